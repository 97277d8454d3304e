"""The video catalogue: videos showing good practices, their subtitles, and the consent of every
person who appears or speaks in them.

A video is public only while it is published and every appearance's consent is valid (signed,
not expired, not withdrawn, covering publication on the portal): videos.services checks it
before publishing, a withdrawal takes the video off in the same transaction, the daily task
(videos.tasks) takes it off when a consent expires, and every public read checks it again
(videos.selectors.published_videos), so a lapsed consent is never shown, even before the task.

People filmed are mostly not platform users: an appearance names them in free text (a name or a
pseudonym); their signed form is a private file, never public.
"""

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.uploads import PolicyFileField
from knowledge.models import GoodPractice
from programmes.models import City, Programme, Theme

from .choices import Scope, VideoState


class Video(models.Model):
    """One video of a programme: an uploaded file (MP4/WebM) or an external link (YouTube,
    Vimeo), exactly one of the two. Its state changes only through videos.services."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="videos")
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=2000)
    city = models.ForeignKey(
        City,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="videos",
        verbose_name=_("city"),
    )
    theme = models.ForeignKey(
        Theme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="videos",
        verbose_name=_("theme"),
    )
    practices = models.ManyToManyField(
        GoodPractice, blank=True, related_name="videos", verbose_name=_("good practices shown")
    )
    duration_seconds = models.PositiveIntegerField(_("duration (seconds)"), default=0)
    language = models.CharField(_("spoken language"), max_length=10)
    file = PolicyFileField(_("video file"), policy="videos", blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    external_url = models.URLField(_("external link"), blank=True)
    transcript = models.TextField(_("transcript"), max_length=100_000, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=VideoState.choices, default=VideoState.DRAFT
    )
    unpublished_reason = models.TextField(_("why it was taken off"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Raised by every save through the form, so a copy opened before someone else's save is
    # refused instead of overwriting it.
    revision = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_at", "title"]
        verbose_name = _("video")
        verbose_name_plural = _("videos")
        constraints = [
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(external_url="")) | (~Q(file="") & Q(external_url="")),
                name="video_file_or_link",
            ),
            models.CheckConstraint(
                condition=Q(state__in=VideoState.values), name="video_state_known"
            ),
            models.CheckConstraint(
                condition=~Q(state=VideoState.PUBLISHED) | Q(published_at__isnull=False),
                name="video_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.state == VideoState.PUBLISHED


class Subtitle(models.Model):
    """The captions of a video in one language (a checked WebVTT file)."""

    video = models.ForeignKey(Video, on_delete=models.CASCADE, related_name="subtitles")
    language = models.CharField(_("language"), max_length=10)
    file = PolicyFileField(_("subtitle file"), policy="subtitles")
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["video", "language"]
        verbose_name = _("subtitles")
        verbose_name_plural = _("subtitles")
        constraints = [
            models.UniqueConstraint(fields=["video", "language"], name="subtitle_one_per_language")
        ]

    def __str__(self) -> str:
        return f"{self.video_id} {self.language}"


class Appearance(models.Model):
    """A person who appears or speaks in a video, and their consent: what they agreed to
    (`scopes`), the signed form (private), when they signed, until when, and their withdrawal.
    Their name is shown publicly only when `show_name_publicly` says so."""

    video = models.ForeignKey(Video, on_delete=models.CASCADE, related_name="appearances")
    name = models.CharField(_("name or pseudonym"), max_length=200)
    show_name_publicly = models.BooleanField(_("name may be shown publicly"), default=False)
    # What they agreed to (choices.Scope): each a yes or no on the signed form.
    scope_recording = models.BooleanField(_("recording"), default=False)
    scope_portal = models.BooleanField(_("publication on the portal"), default=False)
    scope_social = models.BooleanField(_("social media"), default=False)
    scope_toolkits = models.BooleanField(_("use in toolkits"), default=False)
    consent_form = PolicyFileField(_("signed consent form"), policy="consents", blank=True)
    consent_form_name = models.CharField(_("form's file name"), max_length=200, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    expires_on = models.DateField(_("valid until"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["video", "name", "pk"]
        verbose_name = _("person filmed")
        verbose_name_plural = _("people filmed")

    def __str__(self) -> str:
        return self.name

    @property
    def scopes(self) -> list[str]:
        agreed = {
            Scope.RECORDING: self.scope_recording,
            Scope.PORTAL: self.scope_portal,
            Scope.SOCIAL: self.scope_social,
            Scope.TOOLKITS: self.scope_toolkits,
        }
        return [str(scope.label) for scope, yes in agreed.items() if yes]

    def consent_problem(self, today: date) -> str:
        """What keeps this consent from allowing publication on the portal ("" when valid)."""
        if self.withdrawn_at is not None:
            return str(_("consent withdrawn"))
        if not self.signed_on or not self.consent_form:
            return str(_("no signed consent form"))
        if self.expires_on is not None and self.expires_on < today:
            return str(_("consent expired on %(day)s") % {"day": date_format(self.expires_on)})
        if not self.scope_portal:
            return str(_("consent does not cover publication on the portal"))
        return ""
