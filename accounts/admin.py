from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.errors import DomainError

from .models import SessionsEnded, User
from .services import user_sessions_end


@admin.register(User)
class PlatformUserAdmin(UserAdmin):
    actions = ["sign_out_everywhere"]

    @admin.action(description=_("Sign out everywhere (end every session of the selected people)"))
    def sign_out_everywhere(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        ended = 0
        for user in queryset:
            try:
                user_sessions_end(user=user, actor=request.user)  # type: ignore[arg-type]
            except DomainError as error:
                self.message_user(request, error.message, messages.ERROR)
                return
            ended += 1
        self.message_user(
            request,
            ngettext(
                "Every session of %(count)d person was ended.",
                "Every session of %(count)d people was ended.",
                ended,
            )
            % {"count": ended},
            messages.SUCCESS,
        )


@admin.register(SessionsEnded)
class SessionsEndedAdmin(admin.ModelAdmin):
    """The audit trail of sign-outs everywhere: read only."""

    list_display = ["user", "actor", "at"]
    list_select_related = ["user", "actor"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
