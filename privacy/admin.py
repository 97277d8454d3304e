"""The Django admin never deletes a person or an account that records must outlive: its delete
page explains what blocks the deletion and offers pseudonymisation instead; a refusal by the
database itself (a guard trigger) is a message, never a 500.

The admins of Person and of the user model are registered by their own apps; this module (run
after theirs, privacy being later in INSTALLED_APPS) registers them again with the guard mixed
in, so their own code needs no change."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from programmes.models import Person

from .deletion import deletion_blockers, person_of
from .models import PseudonymisationRequest


class DeletionGuard:
    """Mixed into a ModelAdmin: records that must be kept count as protected objects (Django
    then shows them and deletes nothing), with a link to pseudonymise the person instead."""

    delete_confirmation_template = "privacy/admin/delete_confirmation.html"
    delete_selected_confirmation_template = "privacy/admin/delete_selected_confirmation.html"

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        to_delete, counts, perms_needed, protected = super().get_deleted_objects(  # type: ignore[misc]
            objs, request
        )
        blockers = [f"{obj}: {reason}" for obj in objs for reason in deletion_blockers(obj)]
        return to_delete, counts, perms_needed, [*protected, *blockers]

    def render_delete_form(self, request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
        person = person_of(context.get("object"))
        if person is not None:
            context["pseudonymise_url"] = reverse("privacy:request_new", args=[person.pk])
        return super().render_delete_form(request, context)  # type: ignore[misc]

    def _refused(self, request: HttpRequest, error: DatabaseError) -> HttpResponse:
        self.message_user(  # type: ignore[attr-defined]
            request,
            _(
                "The database refused the deletion (%(reason)s): records that must be kept "
                "refer to it. Pseudonymise the person instead."
            )
            % {"reason": str(error).split("\n")[0][:200]},
            messages.ERROR,
        )
        return HttpResponseRedirect(request.path)

    def delete_view(self, request: HttpRequest, object_id: str, extra_context: Any = None) -> Any:
        try:
            return super().delete_view(request, object_id, extra_context)  # type: ignore[misc]
        except DatabaseError as error:
            return self._refused(request, error)

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        if request.method != "POST" or request.POST.get("action") != "delete_selected":
            return super().changelist_view(request, extra_context)  # type: ignore[misc]
        try:
            return super().changelist_view(request, extra_context)  # type: ignore[misc]
        except DatabaseError as error:
            return self._refused(request, error)


def _guard(model: Any) -> None:
    registered = admin.site._registry.get(model)
    if registered is None or isinstance(registered, DeletionGuard):
        return
    base = type(registered)
    admin.site.unregister(model)
    admin.site.register(model, type(f"Guarded{base.__name__}", (DeletionGuard, base), {}))


_guard(get_user_model())
_guard(Person)


@admin.register(PseudonymisationRequest)
class PseudonymisationRequestAdmin(SimpleHistoryAdmin):
    """Read only: requests are made and confirmed on the privacy pages, by two people."""

    list_display = ["pk", "person", "status", "requested_by", "requested_at", "confirmed_by"]
    list_filter = ["status"]
    list_select_related = ["person", "requested_by", "confirmed_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
