from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A log-in. The user name is the person's e-mail address; roles live on Person memberships.

    `sessions_valid_after` ends every session begun before it (sign out everywhere): the session
    middleware compares it with the moment each session logged in, on the user row it reads
    anyway, so no session table is scanned.
    """

    email = models.EmailField(_("e-mail address"), unique=True)
    sessions_valid_after = models.DateTimeField(
        _("sessions valid after"),
        null=True,
        blank=True,
        help_text=_("Sessions that logged in before this moment are ended."),
    )


class SessionsEnded(models.Model):
    """An audit record: every session of `user` begun before `at` was ended (sign out
    everywhere), by the person themself or by a platform admin (`actor`). Append-only; it is
    the trail of `User.sessions_valid_after`."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="sessions_ended",
        verbose_name=_("person"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ended by"),
    )
    at = models.DateTimeField(_("ended at"))

    class Meta:
        verbose_name = _("sessions ended")
        verbose_name_plural = _("sessions ended")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.user} ({date_format(localtime(self.at), 'SHORT_DATETIME_FORMAT')})"


class SecondFactorReset(models.Model):
    """An audit record: a platform admin (`actor`) removed every second factor of `user`
    (authenticator apps, passkeys, recovery codes), who must enrol again at their next log-in.
    Append-only; `removed` says what was removed, `reason` why (the admin's words)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="second_factor_resets",
        verbose_name=_("person"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reset by"),
    )
    at = models.DateTimeField(_("reset at"))
    reason = models.CharField(_("reason"), max_length=300)
    removed = models.CharField(_("removed"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("second factor reset")
        verbose_name_plural = _("second factor resets")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.user} ({date_format(localtime(self.at), 'SHORT_DATETIME_FORMAT')})"
