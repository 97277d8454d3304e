"""The conference's on-site screens, for the organisers (and, for the participants' lists, the
auditors): the on-site page with the day's counts, check-in on a phone (search, or the badge's
QR opening the delegate's page), presence in a session, the badges and the funder's lists.
Everyone else gets a 404; anonymous people go to the log-in page first."""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import time_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import DomainError
from visits.times import day_text

from ..documents.onsite import (
    badges_document,
    participants_document_pdf,
    participants_document_xlsx,
)
from ..forms.onsite import (
    BadgesForm,
    CheckinForm,
    CheckinSearchForm,
    ParticipantsForm,
    SessionAttendanceForm,
)
from ..models import Conference, Registration
from ..permissions import can_organise
from ..selectors import onsite as selectors
from ..services.onsite import checkin_record, checkin_undo, session_attendance_save


def _clock(moment: Any, conference: Conference) -> str:
    return time_format(moment.astimezone(ZoneInfo(conference.event.timezone)), "TIME_FORMAT")


def _chosen_day(form: Any) -> date | None:
    return form.cleaned_data.get("day") if form.is_valid() else None


def _back(request: HttpRequest, form: CheckinForm, conference: Conference) -> HttpResponse:
    target = form.cleaned_data.get("next") if form.is_valid() else request.POST.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("conference:onsite_checkin", slug=conference.slug)


def _checkin_post(
    request: HttpRequest, slug: str, pk: int
) -> tuple[Conference, Registration, CheckinForm]:
    """The conference, the delegate and the day posted by a check-in or undo button (404 out
    of scope); a day outside the conference is flashed as an error."""
    conference = selectors.organised_conference_get(request.user, slug)
    registration = selectors.registration_for_checkin(request.user, conference, pk)
    form = CheckinForm(request.POST, days=selectors.conference_days(conference))
    if not form.is_valid():
        messages.error(request, _("Choose one of the conference's days."))
    return conference, registration, form


def _page(request: HttpRequest, conference: Conference, **extra: Any) -> dict[str, Any]:
    return {
        "conference": conference,
        "event": conference.event,
        "organiser": bool(can_organise(request.user, conference)),
        **extra,
    }


@login_required
@require_GET
def home(request: HttpRequest, slug: str) -> HttpResponse:
    conference = selectors.readable_conference_get(request.user, slug)
    overview = selectors.onsite_overview(request.user, conference)
    return render(
        request,
        "conference/onsite/home.html",
        _page(
            request,
            conference,
            overview=overview,
            days=[(day_text(d.day), d) for d in overview.days],
        ),
    )


@login_required
@require_GET
def checkin(request: HttpRequest, slug: str) -> HttpResponse:
    conference = selectors.organised_conference_get(request.user, slug)
    days = selectors.conference_days(conference)
    form = CheckinSearchForm(request.GET or None, days=days)
    found = selectors.checkin_day(conference, _chosen_day(form))
    query = form.cleaned_data.get("q", "") if form.is_valid() else ""
    if form.is_valid() or not form.is_bound:
        form = CheckinSearchForm.showing(query, found.day, days=days)
    page = selectors.checkin_search(
        request.user, conference, query, found.day, request.GET.get("page")
    )
    return render(
        request,
        "conference/onsite/checkin.html",
        _page(
            request,
            conference,
            form=form,
            checkin=found,
            day_label=day_text(found.day),
            query=query,
            page=page,
            results=[
                (r, _clock(r.checked_in_at, conference) if r.checked_in_at else "")
                for r in page.object_list
            ],
            back=request.get_full_path(),
        ),
    )


@login_required
@require_GET
def checkin_code(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """The page a badge's QR code opens: the delegate and the check-in button."""
    conference = selectors.organised_conference_get(request.user, slug)
    days = selectors.conference_days(conference)
    form = CheckinSearchForm(request.GET or None, days=days)
    found = selectors.checkin_day(conference, _chosen_day(form))
    registration = selectors.registration_for_code(request.user, conference, code, found.day)
    checked_in_at = registration.checked_in_at  # type: ignore[attr-defined]
    return render(
        request,
        "conference/onsite/confirm.html",
        _page(
            request,
            conference,
            checkin=found,
            day_label=day_text(found.day),
            day_choices=[(d.isoformat(), day_text(d)) for d in found.days],
            registration=registration,
            checked_in_time=_clock(checked_in_at, conference) if checked_in_at else "",
            back=request.get_full_path(),
        ),
    )


@login_required
@require_POST
def checkin_record_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    conference, registration, form = _checkin_post(request, slug, pk)
    if not form.is_valid():
        return _back(request, form, conference)
    try:
        done = checkin_record(
            actor=request.user, registration=registration, day=form.cleaned_data["day"]
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        values = {
            "name": registration.full_name,
            "time": _clock(done.attendance.recorded_at, conference),
        }
        if done.created:
            messages.success(request, _("%(name)s is checked in at %(time)s.") % values)
        else:
            messages.info(request, _("%(name)s was already checked in at %(time)s.") % values)
    return _back(request, form, conference)


@login_required
@require_POST
def checkin_undo_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    conference, registration, form = _checkin_post(request, slug, pk)
    if not form.is_valid():
        return _back(request, form, conference)
    try:
        undone = checkin_undo(
            actor=request.user, registration=registration, day=form.cleaned_data["day"]
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        name = {"name": registration.full_name}
        if undone:
            messages.success(request, _("The check-in of %(name)s is undone.") % name)
        else:
            messages.info(request, _("%(name)s was not checked in that day.") % name)
    return _back(request, form, conference)


@login_required
@require_http_methods(["GET", "POST"])
def session_attendance(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    conference = selectors.organised_conference_get(request.user, slug)
    session = selectors.attendance_session_get(request.user, conference, pk)
    query = request.GET.get("q", "").strip()[:100]
    if request.method == "POST":
        form = SessionAttendanceForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Mark only the delegates listed on the page."))
            return redirect(request.get_full_path())
        try:
            marked = session_attendance_save(
                actor=request.user,
                session=session,
                shown_ids=form.cleaned_data["shown"],
                present_ids=form.cleaned_data["present"],
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                ngettext(
                    "Saved: %(added)d marked present, %(removed)d mark removed.",
                    "Saved: %(added)d marked present, %(removed)d marks removed.",
                    marked.removed,
                )
                % {"added": marked.added, "removed": marked.removed},
            )
        return redirect(request.get_full_path())
    found = selectors.session_attendance(
        request.user, conference, session, query, request.GET.get("page")
    )
    return render(
        request,
        "conference/onsite/session.html",
        _page(
            request,
            conference,
            session=session,
            found=found,
            query=query,
            back=request.get_full_path(),
        ),
    )


def _badges_page(
    request: HttpRequest, conference: Conference, form: BadgesForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "conference/onsite/badges.html",
        _page(request, conference, form=form),
        status=status,
    )


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def badges(request: HttpRequest, slug: str) -> HttpResponse:
    conference = selectors.organised_conference_get(request.user, slug)
    return _badges_page(
        request, conference, BadgesForm(cities=selectors.delegation_cities(conference))
    )


@login_required
@require_GET
def badges_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    conference = selectors.organised_conference_get(request.user, slug)
    form = BadgesForm(request.GET, cities=selectors.delegation_cities(conference))
    if not form.is_valid():
        return _badges_page(request, conference, form, status=400)
    found = selectors.badge_registrations(
        request.user, conference, city_id=form.cleaned_data["city"], ids=form.cleaned_data["ids"]
    )
    if not found:
        # Not a mistake in the form: nobody to print yet (or in this delegation).
        form.add_error(None, _("No delegate with a confirmed place matches: no badge to print."))
        return _badges_page(request, conference, form)
    content = badges_document(
        conference, found, lambda r: selectors.checkin_url(r, conference.slug)
    )
    return _download(content, "application/pdf", f"badges-{conference.slug}.pdf")


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_GET
def participants(request: HttpRequest, slug: str) -> HttpResponse:
    """The form asking which list; with its answer, the file."""
    conference = selectors.readable_conference_get(request.user, slug)
    days = selectors.conference_days(conference)
    if not request.GET:
        default = selectors.checkin_day(conference).day
        form = ParticipantsForm(initial={"day": default.isoformat()}, days=days)
        status = 200
    else:
        form = ParticipantsForm(request.GET, days=days)
        if form.is_valid():
            found = selectors.participants_for_day(
                request.user, conference, form.cleaned_data["day"], form.cleaned_data["variant"]
            )
            name = f"participants-{conference.slug}-{found.day.isoformat()}-{found.variant}"
            if form.cleaned_data["file_format"] == "xlsx":
                return _download(participants_document_xlsx(found), XLSX, f"{name}.xlsx")
            return _download(participants_document_pdf(found), "application/pdf", f"{name}.pdf")
        status = 400
    return render(
        request,
        "conference/onsite/participants.html",
        _page(request, conference, form=form),
        status=status,
    )
