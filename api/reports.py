"""The technical reports over REST: the same selectors (coordinators and auditors read them; a
404 for everyone else) and the same service (a frozen report refuses a change here as on
screen: 409). A report is never replaced or deleted through the API (405)."""

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from reports.selectors import report_get, report_sections, reports_for_programme, section_get
from reports.services.reports import report_section_save


class ReportOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    state = serializers.CharField()
    number = serializers.IntegerField(allow_null=True)
    frozen_at = serializers.DateTimeField(allow_null=True)
    revision = serializers.IntegerField()
    deliverable = serializers.CharField(source="deliverable.code", allow_null=True, default=None)


class SectionOut(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    text = serializers.CharField()
    revision = serializers.IntegerField()


class ReportDetailOut(ReportOut):
    sections = SectionOut(many=True)


class SectionIn(serializers.Serializer):
    """A change of one section's text; `revision` is the section's that the client read."""

    key = serializers.SlugField(max_length=40)
    text = serializers.CharField(max_length=20000, allow_blank=True)
    revision = serializers.IntegerField()


def _detail(report: Any) -> dict[str, Any]:
    data: dict[str, Any] = dict(ReportOut(report).data)
    data["sections"] = SectionOut(report_sections(report), many=True).data
    return data


class ReportList(APIView):
    @extend_schema(responses=ReportOut(many=True))
    def get(self, request: Request, slug: str) -> Response:
        _programme, reports = reports_for_programme(request.user, slug)
        return Response(ReportOut(reports, many=True).data)


class ReportDetail(APIView):
    @extend_schema(responses=ReportDetailOut)
    def get(self, request: Request, slug: str, pk: int) -> Response:
        return Response(_detail(report_get(request.user, slug, pk)))

    @extend_schema(request=SectionIn, responses=ReportDetailOut)
    def patch(self, request: Request, slug: str, pk: int) -> Response:
        report = report_get(request.user, slug, pk)
        if report.is_frozen:
            message = _("This report was submitted and is frozen: it never changes.")
            return Response({"error": {"message": message, "fields": {}}}, status.HTTP_409_CONFLICT)
        given = SectionIn(data=request.data)
        given.is_valid(raise_exception=True)
        data: dict[str, Any] = given.validated_data
        report_section_save(
            actor=request.user,
            section=section_get(report, data["key"]),
            text=data["text"],
            expected_revision=data["revision"],
        )
        return Response(_detail(report_get(request.user, slug, pk)))
