"""Infographics: the editors' screens (start, edit, preview, publish) and the public portal
pages (list, page, files, embed code)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import ConcurrentEditError, DomainError
from programmes.models import MentoringPair, Theme

from . import selectors, services
from .choices import FileFormat
from .forms import StartForm, editor_forms
from .models import InfographicVersion
from .permissions import can_edit_infographics
from .records import records_for
from .rendering import CONTENT_TYPES, EXTENSIONS


@login_required
def index(request: HttpRequest, slug: str) -> HttpResponse:
    home = selectors.infographics_home(
        request.user, slug, query=request.GET.get("q", ""), page=request.GET.get("page", 1)
    )
    return render(
        request,
        "infographics/index.html",
        {
            "programme": home.programme,
            "home": home,
            "start_languages": StartForm.base_fields["language"].choices,  # type: ignore[attr-defined]
            "tab": "plans",
        },
    )


@login_required
@require_POST
def start(request: HttpRequest, slug: str) -> HttpResponse:
    form = StartForm(request.POST)
    if not form.is_valid():
        return redirect("infographics:index", slug)
    wanted = selectors.infographic_subject_get(request.user, slug, form.cleaned_data["subject"])
    theme: Theme = wanted.theme
    pair: MentoringPair | None = wanted.pair
    try:
        infographic = services.infographic_start(
            actor=request.user,
            programme=theme.programme,
            theme=theme,
            pair=pair,
            language=form.cleaned_data["language"],
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("infographics:index", slug)
    return redirect("infographics:edit", slug, infographic.pk)


@login_required
def edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    infographic = selectors.infographic_get(request.user, slug, pk)
    records = records_for(request.user, theme=infographic.theme, pair=infographic.pair)
    title_form, formset = editor_forms(
        infographic, records, request.POST if request.method == "POST" else None
    )
    status = 200
    if request.method == "POST":
        if title_form.is_valid() and formset.is_valid():
            try:
                services.infographic_save(
                    actor=request.user,
                    infographic=infographic,
                    revision=title_form.cleaned_data["revision"],
                    title=title_form.cleaned_data["title"],
                    items=formset.inputs(),
                )
            except ConcurrentEditError as error:
                messages.error(request, error.message)
                status = 409
            except DomainError as error:
                title_form.add_error(None, error.message)
                status = 400
            else:
                messages.success(request, _("Saved. The preview shows the new version."))
                return redirect("infographics:edit", slug, pk)
        else:
            status = 400
    items = list(infographic.items.all())
    rows = list(zip(items + [None] * (len(formset.forms) - len(items)), formset.forms, strict=True))
    return render(
        request,
        "infographics/edit.html",
        {
            "programme": infographic.programme,
            "infographic": infographic,
            "title_form": title_form,
            "formset": formset,
            "rows": rows,
            "versions": list(infographic.versions.all()),
            "tab": "plans",
        },
        status=status,
    )


@login_required
def preview(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The draft as the web SVG, for the editor's <img>: rendered now, stored nowhere."""
    infographic = selectors.infographic_get(request.user, slug, pk)
    content = services.infographic_preview(actor=request.user, infographic=infographic)
    response = HttpResponse(content, content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
@require_POST
def publish(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    infographic = selectors.infographic_get(request.user, slug, pk)
    decision = can_edit_infographics(
        request.user, infographic.programme_id, infographic.theme.scheme.pk
    )
    if not decision:
        messages.error(request, decision.reason)
        return redirect("infographics:edit", slug, pk)
    try:
        version = services.infographic_publish(actor=request.user, infographic=infographic)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("infographics:edit", slug, pk)
    messages.success(request, _("Version %(number)s is published.") % {"number": version.number})
    return redirect("infographics:public", infographic.pk)


# ---------------------------------------------------------------- the public portal


def public_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "infographics/public_list.html", {"versions": selectors.published_latest()}
    )


def _downloads(version: InfographicVersion) -> list[tuple[str, str, int]]:
    return [
        (
            str(fmt.label),
            reverse("infographics:download", args=[version.infographic_id, version.number, fmt]),
            version.file_of(fmt).size,
        )
        for fmt in FileFormat
    ]


def public(request: HttpRequest, pk: int) -> HttpResponse:
    versions = selectors.published_versions(pk)
    version = versions[0]
    image = reverse("infographics:file", args=[pk, version.number, FileFormat.SVG])
    page = request.build_absolute_uri(reverse("infographics:public", args=[pk]))
    snapshot = version.snapshot
    embed = (
        f'<a href="{page}"><img src="{request.build_absolute_uri(image)}" '
        f'width="540" height="675" alt="{escape(snapshot["title"])}: '
        f'{escape(snapshot["heading"])}"></a>'
    )
    return render(
        request,
        "infographics/public.html",
        {
            "version": version,
            "snapshot": snapshot,
            "image": image,
            "downloads": _downloads(version),
            "older": versions[1:],
            "embed": embed,
        },
    )


def _file(
    request: HttpRequest, pk: int, number: int, file_format: str, *, attachment: bool
) -> HttpResponse:
    if file_format not in FileFormat.values:
        raise Http404("No such format")
    version = selectors.published_version_get(pk, number)
    fmt = FileFormat(file_format)
    field = version.file_of(fmt)
    try:
        with field.open("rb") as handle:
            content = handle.read()
    except FileNotFoundError as error:
        raise Http404("The file is missing") from error
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    name = f"infographic-{pk}-v{number}-{fmt}.{EXTENSIONS[fmt]}"
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    # A published version never changes; the SVG and PNGs may be shown on the cities' own
    # sites (the embed code), so another site may load them.
    response["Cache-Control"] = "public, max-age=86400"
    if not attachment:
        response["Cross-Origin-Resource-Policy"] = "cross-origin"
    # Opened on its own, the file runs nothing and loads nothing (as every stored file).
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def file(request: HttpRequest, pk: int, number: int, file_format: str) -> HttpResponse:
    return _file(request, pk, number, file_format, attachment=False)


def download(request: HttpRequest, pk: int, number: int, file_format: str) -> HttpResponse:
    return _file(request, pk, number, file_format, attachment=True)
