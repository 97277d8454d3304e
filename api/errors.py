"""One error format for the whole API: {"error": {"message": ..., "fields": {...}}}."""

from typing import Any

from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from core.errors import ConcurrentEditError, DomainError


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        code = status.HTTP_409_CONFLICT if isinstance(exc, ConcurrentEditError) else 400
        return Response({"error": {"message": exc.message, "fields": exc.field_errors}}, code)
    response = exception_handler(exc, context)
    if response is not None:
        data = response.data
        if isinstance(data, dict) and "detail" in data:
            response.data = {"error": {"message": str(data["detail"]), "fields": {}}}
        elif isinstance(data, dict):
            fields = {
                k: " ".join(map(str, v)) if isinstance(v, list) else str(v) for k, v in data.items()
            }
            response.data = {"error": {"message": "Invalid input.", "fields": fields}}
        else:  # a list of messages, not tied to a field
            response.data = {"error": {"message": " ".join(map(str, data)), "fields": {}}}
    return response
