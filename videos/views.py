"""The video screens (thin: a selector or a service each). Members: the catalogue of a
programme, a video's page with its captions and the people filmed, the forms. Public: the
published videos, each with a privacy-friendly player and an embed code.

A video outside the viewer's reach is a 404; a member who may read but not change gets a 403.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from csp.decorators import csp_replace, csp_update
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import ConcurrentEditError, DomainError
from core.files import private_file_response
from core.forms import show_refusal
from core.rules import Decision
from knowledge.models import GoodPractice
from programmes.models import City, Programme, Theme

from . import selectors
from .embed import EMBED_HOSTS, external_player
from .forms import AppearanceForm, ReasonForm, SubtitleForm, VideoForm
from .models import Appearance, Video
from .permissions import (
    can_edit_video,
    can_manage_videos,
    can_view_consent_forms,
    can_view_people,
    may_add_videos,
)
from .services import (
    appearance_add,
    appearance_withdraw,
    publication_problems,
    subtitle_add,
    video_publish,
    video_save,
    video_unpublish,
)


def _allowed(decision: Decision) -> None:
    if not decision:
        raise PermissionDenied(decision.reason)


def _video_form(programme: Programme, *args: Any, **kwargs: Any) -> VideoForm:
    cities = City.objects.filter(scheme_memberships__programme=programme).distinct()
    return VideoForm(
        *args,
        cities=[(c.pk, c.name) for c in cities.order_by("name")],
        themes=[(t.pk, f"{t.code} {t.title}") for t in Theme.objects.filter(programme=programme)],
        practices=list(
            GoodPractice.objects.filter(state="published")
            .order_by("title")
            .values_list("pk", "title")
        ),
        **kwargs,
    )


def _detail(video: Video) -> HttpResponse:
    return redirect("videos:detail", slug=video.programme.slug, pk=video.pk)


# ---------------------------------------------------------------- members


@login_required
@require_GET
def manage(request: HttpRequest, slug: str) -> HttpResponse:
    programme = selectors.programme_for_videos(request.user, slug)
    return render(
        request,
        "videos/manage.html",
        {
            "programme": programme,
            "videos": selectors.video_list(request.user, programme),
            "may_add": may_add_videos(request.user, programme.pk),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest, slug: str) -> HttpResponse:
    programme = selectors.programme_for_videos(request.user, slug)
    if not may_add_videos(request.user, programme.pk):
        raise PermissionDenied(_("You may not add videos."))
    form = _video_form(programme, request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                video = video_save(actor=request.user, programme=programme, data=form.to_input())
            except DomainError as error:
                show_refusal(form, error)
            else:
                messages.success(request, _("The video is saved as a draft."))
                return _detail(video)
    return render(
        request, "videos/form.html", {"programme": programme, "form": form}, status=status
    )


@login_required
@require_GET
def detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = selectors.programme_for_videos(request.user, slug)
    video = selectors.video_get(request.user, programme, pk)
    return render(
        request,
        "videos/detail.html",
        {
            "programme": programme,
            "video": video,
            "problems": publication_problems(video, timezone.localdate()),
            "may_manage": bool(can_manage_videos(request.user, video)),
            "may_edit": bool(can_edit_video(request.user, video)),
            "may_open_forms": bool(can_view_consent_forms(request.user, video)),
            "may_see_people": bool(can_view_people(request.user, video)),
            "unpublish_form": ReasonForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = selectors.programme_for_videos(request.user, slug)
    video = selectors.video_get(request.user, programme, pk)
    _allowed(can_edit_video(request.user, video))
    status, saved = 200, None
    if request.method == "POST":
        form = _video_form(programme, request.POST, request.FILES)
        status = 400
        if form.is_valid():
            try:
                video_save(
                    actor=request.user, programme=programme, video=video, data=form.to_input()
                )
            except ConcurrentEditError as error:
                # What was typed stays in the form; the other person's save is shown beside it,
                # and the next save is drawn from it.
                saved = selectors.video_get(request.user, programme, pk)
                retry = request.POST.copy()
                retry["revision"] = str(saved.revision)
                form.data = retry
                form.add_error(None, error.message)
                status = 409
            except DomainError as error:
                show_refusal(form, error)
            else:
                messages.success(request, _("The video is saved."))
                return _detail(video)
    else:
        form = _video_form(programme, initial=VideoForm.initial_for(video))
    return render(
        request,
        "videos/form.html",
        {"programme": programme, "form": form, "video": video, "saved": saved},
        status=status,
    )


@login_required
@require_GET
def file(request: HttpRequest, slug: str, pk: int) -> HttpResponseBase:
    programme = selectors.programme_for_videos(request.user, slug)
    video = selectors.video_get(request.user, programme, pk)
    if not video.file:
        raise Http404("No file")
    return private_file_response(video.file, video.file_name)


@login_required
@require_http_methods(["GET", "POST"])
def subtitle_new(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = selectors.programme_for_videos(request.user, slug)
    video = selectors.video_get(request.user, programme, pk)
    _allowed(can_edit_video(request.user, video))
    form = SubtitleForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                subtitle_add(
                    actor=request.user,
                    video=video,
                    language=form.cleaned_data["language"],
                    file=form.cleaned_data["file"],
                )
            except DomainError as error:
                show_refusal(form, error)
            else:
                messages.success(request, _("The captions are saved."))
                return _detail(video)
    return render(
        request,
        "videos/subtitle_form.html",
        {"programme": programme, "video": video, "form": form},
        status=status,
    )


@login_required
@require_GET
def subtitle_file(request: HttpRequest, slug: str, pk: int, subtitle: int) -> HttpResponseBase:
    programme = selectors.programme_for_videos(request.user, slug)
    video = selectors.video_get(request.user, programme, pk)
    found = get_object_or_404(video.subtitles.all(), pk=subtitle)
    return private_file_response(found.file, found.file_name)


@login_required
@require_http_methods(["GET", "POST"])
def appearance_new(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = selectors.programme_for_videos(request.user, slug)
    video = selectors.video_get(request.user, programme, pk)
    _allowed(can_manage_videos(request.user, video))
    form = AppearanceForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                appearance_add(actor=request.user, video=video, data=form.to_input())
            except DomainError as error:
                show_refusal(form, error)
            else:
                messages.success(request, _("The person and their consent are recorded."))
                return _detail(video)
    return render(
        request,
        "videos/appearance_form.html",
        {"programme": programme, "video": video, "form": form},
        status=status,
    )


def _appearance(request: HttpRequest, slug: str, pk: int, person: int) -> Appearance:
    programme = selectors.programme_for_videos(request.user, slug)
    video = selectors.video_get(request.user, programme, pk)
    found: Appearance = get_object_or_404(Appearance, video=video, pk=person)
    found.video = video
    return found


@login_required
@require_GET
def consent_form(request: HttpRequest, slug: str, pk: int, person: int) -> HttpResponseBase:
    appearance = _appearance(request, slug, pk, person)
    if not can_view_consent_forms(request.user, appearance.video) or not appearance.consent_form:
        raise Http404("No such form")
    return private_file_response(appearance.consent_form, appearance.consent_form_name)


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, slug: str, pk: int, person: int) -> HttpResponse:
    appearance = _appearance(request, slug, pk, person)
    video = appearance.video
    _allowed(can_manage_videos(request.user, video))
    form = ReasonForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                appearance_withdraw(
                    actor=request.user, appearance=appearance, reason=form.cleaned_data["reason"]
                )
            except DomainError as error:
                show_refusal(form, error)
            else:
                messages.success(
                    request,
                    _("The withdrawal is recorded; the video is no longer on the portal."),
                )
                return _detail(video)
    return render(
        request,
        "videos/withdraw.html",
        {"programme": video.programme, "video": video, "appearance": appearance, "form": form},
        status=status,
    )


@login_required
@require_POST
def step(request: HttpRequest, slug: str, pk: int, action: str) -> HttpResponse:
    programme = selectors.programme_for_videos(request.user, slug)
    video = selectors.video_get(request.user, programme, pk)
    if action not in ("publish", "unpublish"):
        raise Http404("No such step")
    _allowed(can_manage_videos(request.user, video))
    try:
        if action == "publish":
            video_publish(actor=request.user, video=video)
            messages.success(request, _("The video is published on the portal."))
        else:
            video_unpublish(actor=request.user, video=video, reason=request.POST.get("reason", ""))
            messages.success(request, _("The video is taken off the portal."))
    except DomainError as error:
        messages.error(request, error.message)
    return _detail(video)


# ---------------------------------------------------------------- public


@require_GET
def public_list(request: HttpRequest) -> HttpResponse:
    return render(request, "videos/public_list.html", {"videos": selectors.public_video_list()})


def _player(request: HttpRequest, video: Video) -> dict[str, Any]:
    """What the page's player needs: the captions (the page's language on by default), or the
    external player to load only when the visitor presses play."""
    language = translation.get_language() or "en"
    tracks = [
        {
            "subtitle": subtitle,
            "url": reverse("videos:track", args=[video.pk, subtitle.language]),
            "default": subtitle.language == language.split("-")[0],
        }
        for subtitle in video.subtitles.all()
    ]
    return {
        "video": video,
        "tracks": tracks,
        "external": external_player(video.external_url) if video.external_url else None,
        "stream_url": reverse("videos:stream", args=[video.pk]) if video.file else "",
        "mime": "video/webm" if video.file.name.endswith(".webm") else "video/mp4",
        "embed_url": request.build_absolute_uri(reverse("videos:embed", args=[video.pk])),
    }


@require_GET
@csp_update({"frame-src": list(EMBED_HOSTS)})  # type: ignore[arg-type]
def public(request: HttpRequest, pk: int) -> HttpResponse:
    video = selectors.public_video_get(pk)
    return render(request, "videos/public.html", _player(request, video))


@require_GET
@xframe_options_exempt
@csp_update({"frame-src": list(EMBED_HOSTS)})
@csp_replace({"frame-ancestors": ["*"]})  # type: ignore[arg-type]
def embed(request: HttpRequest, pk: int) -> HttpResponse:
    """The player alone, for a city's own site to frame (any site may)."""
    video = selectors.public_video_get(pk)
    return render(request, "videos/embed.html", _player(request, video))


def _inline(handle: Any, content_type: str) -> FileResponse:
    response = FileResponse(handle, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    # A consent may lapse at any moment: no copy is kept by a shared cache.
    response["Cache-Control"] = "private, no-cache"
    return response


@require_GET
def stream(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A published video's file, played in the page (checked for valid consents each time)."""
    video = selectors.public_video_get(pk)
    if not video.file:
        raise Http404("No file")
    try:
        handle = video.file.open("rb")
    except FileNotFoundError as error:
        raise Http404("The file is missing") from error
    mime = "video/webm" if video.file.name.endswith(".webm") else "video/mp4"
    size = video.file.size
    wanted = _byte_range(request.headers.get("Range", ""), size)
    if wanted is None:
        response = _inline(handle, mime)
    else:
        # One byte range (seeking; Safari plays nothing without it), read in chunks.
        start, end = wanted
        handle.seek(start)
        response = _inline(_chunks(handle, end - start + 1), mime)
        response.status_code = 206
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(end - start + 1)
    response["Accept-Ranges"] = "bytes"
    return response


_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def _byte_range(header: str, size: int) -> tuple[int, int] | None:
    """The one byte range a Range header asks for, within the file; None for the whole file
    (no header, several ranges, or one that cannot be served)."""
    found = _RANGE.match(header.strip())
    if not found or size == 0 or found.groups() == ("", ""):
        return None
    first, last = found.groups()
    if first == "":  # the last N bytes
        start, end = max(size - int(last), 0), size - 1
    else:
        start, end = int(first), min(int(last), size - 1) if last else size - 1
    if start > end or start >= size:
        return None
    return start, end


def _chunks(handle: Any, length: int) -> Iterator[bytes]:
    try:
        while length > 0:
            chunk = handle.read(min(64 * 1024, length))
            if not chunk:
                break
            length -= len(chunk)
            yield chunk
    finally:
        handle.close()


@require_GET
def track(request: HttpRequest, pk: int, language: str) -> HttpResponseBase:
    video = selectors.public_video_get(pk)
    subtitle = next((s for s in video.subtitles.all() if s.language == language), None)
    if subtitle is None:
        raise Http404("No captions in this language")
    try:
        handle = subtitle.file.open("rb")
    except FileNotFoundError as error:
        raise Http404("The file is missing") from error
    return _inline(handle, "text/vtt; charset=utf-8")
