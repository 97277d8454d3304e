"""Thin views: iCalendar files and the personal calendar feed."""

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import ConcurrentEditError, DomainError
from core.forms import show_refusal
from programmes.permissions import can_manage_programme
from programmes.selectors import city_page

from . import selectors
from .choices import EventStatus
from .forms import (
    AgendaItemForm,
    EventForm,
    FindingFormSet,
    InviteForm,
    ReportForm,
    StatusForm,
    UnavailabilityForm,
    VisitPlanForm,
)
from .pdf import participant_list_pdf
from .permissions import (
    can_open_city_of_pair,
    can_record_attendance,
    can_write_report,
    report_cities,
)
from .services import (
    calendar_feed_open,
    calendar_feed_revoke,
    event_create,
    event_update,
    participant_invite,
)
from .services.agenda import AgendaInput, agenda_item_add, agenda_item_remove
from .services.attendance import attendance_record, delegation_invite, participant_respond
from .services.calendars import ical_for
from .services.events import EDITABLE_STATUSES
from .services.plan import visit_plan_check, visit_plan_propose
from .services.reports import FindingInput, report_key_factors, visit_report_save
from .services.unavailability import unavailability_add, unavailability_remove
from .workflow import EventTransition, event_transition, transitions_for

ICAL = "text/calendar; charset=utf-8"


@login_required
def event_ics(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = selectors.event_page(request.user, slug, pk)
    body = ical_for([event], name=event.title)
    response = HttpResponse(body, content_type=ICAL)
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}.ics"'
    return response


def feed(request: HttpRequest, token: str) -> HttpResponse:
    """A calendar application fetches this without logging in: the token is the key."""
    _feed, events = selectors.feed_events(token)
    body = ical_for(events, name=_("My mentoring programme events"))
    return HttpResponse(body, content_type=ICAL)


@login_required
@require_http_methods(["GET", "POST"])
def feed_settings(request: HttpRequest) -> HttpResponse:
    """Show the person's feed address; POST creates it, or replaces it when one exists."""
    if request.method == "POST":
        if selectors.calendar_feed_for(request.user) is None:
            calendar_feed_open(actor=request.user)
            messages.success(request, _("Your calendar address is ready."))
        else:
            calendar_feed_revoke(actor=request.user)
            messages.success(
                request, _("The old address no longer works. Subscribe with the new one below.")
            )
        return redirect("visits:feed_settings")
    active = selectors.calendar_feed_for(request.user)
    url = request.build_absolute_uri(reverse("visits:feed", args=[active.token])) if active else ""
    return render(request, "visits/feed_settings.html", {"feed_url": url})


def _month_asked(value: str) -> date | None:
    """`?month=2017-10` → its first day; anything else → None (the default month is shown)."""
    try:
        return datetime.strptime(value, "%Y-%m").date() if value else None  # noqa: DTZ007
    except ValueError:
        return None


@login_required
def calendar(request: HttpRequest, slug: str) -> HttpResponse:
    """The programme calendar as a list by month, or (`?view=month`) as a month grid."""
    context: dict[str, Any]
    if request.GET.get("view") == "month":
        grid = selectors.month_grid(request.user, slug, _month_asked(request.GET.get("month", "")))
        programme, context = grid.programme, {"grid": grid}
        template = "visits/calendar_month.html"
    else:
        listed = selectors.events_by_month(request.user, slug, request.GET.get("page"))
        programme, template = listed.programme, "visits/calendar.html"
        context = {"months": listed.months, "page": listed.page}
    return render(
        request,
        template,
        {
            **context,
            "programme": programme,
            "can_plan": can_manage_programme(request.user, programme.pk),
            "tab": "events",
        },
    )


@login_required
def event_detail(
    request: HttpRequest,
    slug: str,
    pk: int,
    agenda_form: AgendaItemForm | None = None,
    invite_form: InviteForm | None = None,
    status_form: StatusForm | None = None,
    status: int = 200,
) -> HttpResponse:
    event = selectors.event_page(request.user, slug, pk)
    organiser = can_record_attendance(request.user, event)
    coordinator = can_manage_programme(request.user, event.programme_id)
    mine = next((p for p in event.participants.all() if p.person.user_id == request.user.pk), None)
    open_for_changes = event.status in EDITABLE_STATUSES
    if invite_form is None and coordinator and open_for_changes:
        invite_form = InviteForm(lookup=selectors.InvitableLookup(event))
    return render(
        request,
        "visits/event.html",
        {
            "event": event,
            "programme": event.programme,
            "mine": mine,
            "can_invite": coordinator and open_for_changes,
            "can_edit": coordinator and open_for_changes,
            "invite_form": invite_form,
            "transitions": transitions_for(request.user, event),
            "status_form": status_form,
            "can_record": organiser
            and event.starts_at <= timezone.now()
            and event.status in (EventStatus.CONFIRMED, EventStatus.HELD),
            "confirm_to_record": organiser
            and event.starts_at <= timezone.now()
            and event.status == EventStatus.PLANNED,
            "agenda_form": (agenda_form or AgendaItemForm()) if organiser else None,
            "can_report": can_write_report(request.user, event)
            and event.status != EventStatus.CANCELLED,
            # Links only to the pages that open for this person (no dead ends).
            "pair_opens": event.pair is not None
            and can_open_city_of_pair(request.user, event.pair.implementing),
            "findings_cities": [
                member.city
                for member in ((event.pair.implementing, event.pair.mentor) if event.pair else ())
                if can_open_city_of_pair(request.user, member)
            ],
            "tab": "events",
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_form(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    """Plan a new event (no `pk`) or change one; the coordinators' screen."""
    if pk is None:
        programme = selectors.programme_to_plan(request.user, slug)
        event = None
    else:
        event = selectors.event_to_edit(request.user, slug, pk)
        programme = event.programme
    choices = selectors.event_choices(programme, event)
    initial = EventForm.initial_for(event) if event else {}
    form = EventForm(request.POST or None, initial=initial, choices=choices)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                if event is None:
                    event = event_create(
                        actor=request.user, programme=programme, data=form.event_input()
                    )
                else:
                    event = event_update(
                        actor=request.user,
                        event=event,
                        data=form.event_input(),
                        expected_revision=form.cleaned_data["revision"] or 0,
                    )
            except DomainError as error:
                show_refusal(form, error, renames=EventForm.SERVICE_FIELDS)
                status = 409 if isinstance(error, ConcurrentEditError) else 400
            else:
                messages.success(request, _("The event is saved."))
                return _event_redirect(event)
    return render(
        request,
        "visits/event_form.html",
        {"programme": programme, "event": event, "form": form, "tab": "events"},
        status=status,
    )


@login_required
@require_POST
def event_status(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = selectors.event_get(request.user, slug, pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            event_transition(
                actor=request.user,
                event=event,
                transition=EventTransition(form.cleaned_data["transition"]),
                comment=form.cleaned_data["comment"],
            )
        except DomainError as error:
            show_refusal(form, error)
        else:
            messages.success(
                request,
                _("The event is now “%(status)s”.") % {"status": event.get_status_display()},
            )
            return _event_redirect(event)
    return event_detail(request, slug, pk, status_form=form, status=400)


@login_required
@require_POST
def participant_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = selectors.event_get(request.user, slug, pk)
    form = InviteForm(request.POST, lookup=selectors.InvitableLookup(event))
    if form.is_valid():
        person = form.cleaned_data["person"]
        try:
            participant_invite(actor=request.user, event=event, person=person)
        except DomainError as error:
            if not error.field_errors:  # the event is full or closed: say so on its page
                messages.error(request, error.message)
                return _event_redirect(event)
            show_refusal(form, error)
        else:
            messages.success(request, _("%(person)s is invited.") % {"person": person.full_name})
            return _event_redirect(event)
    return event_detail(request, slug, pk, invite_form=form, status=400)


@login_required
def invitable(request: HttpRequest, slug: str, pk: int) -> JsonResponse:
    """The people the coordinator may still invite whose name, e-mail or organisation holds
    what was typed (`?q=`), for the invitation form's live list."""
    lookup = selectors.invitable_lookup(request.user, slug, pk)
    text = request.GET.get("q", "").strip()[:200]
    people, more = lookup.search(text) if text else ([], False)
    return JsonResponse(
        {
            "results": [
                {"id": p.pk, "label": f"{p.full_name} ({p.organisation.name})"} for p in people
            ],
            "more": more,
        }
    )


@login_required
def pair_timeline(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    timeline = selectors.pair_timeline(request.user, slug, pk)
    return render(
        request,
        "visits/pair.html",
        {"timeline": timeline, "programme": timeline.programme, "tab": "events"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def visit_plan(request: HttpRequest, slug: str) -> HttpResponse:
    programme = selectors.programme_to_plan(request.user, slug)
    events = selectors.plan_visits(programme)
    form = VisitPlanForm(request.POST or None, programme=programme)
    status = 200
    conflicts: list[Any] = []
    if request.method == "POST":
        if form.is_valid():
            try:
                created, conflicts = visit_plan_propose(
                    actor=request.user, programme=programme, rules=form.rules()
                )
            except DomainError as error:
                show_refusal(form, error)
                status = 400
            else:
                if created:
                    messages.success(
                        request,
                        ngettext(
                            "%(n)d visit is planned.", "%(n)d visits are planned.", len(created)
                        )
                        % {"n": len(created)},
                    )
                    return redirect("visits:plan", slug=slug)
                status = 400 if conflicts else 200
        else:
            status = 400
    if not conflicts and form.is_bound and form.is_valid():
        conflicts = visit_plan_check(programme=programme, rules=form.rules(), events=events)
    elif not form.is_bound:
        conflicts = visit_plan_check(programme=programme, rules=form.default_rules(), events=events)
    return render(
        request,
        "visits/plan.html",
        {
            "programme": programme,
            "form": form,
            "visits": selectors.visits_page(events, programme, request.GET.get("page")),
            "conflicts": conflicts,
            "tab": "events",
        },
        status=status,
    )


def _event_redirect(event: Any) -> HttpResponse:
    return redirect("visits:event", slug=event.programme.slug, pk=event.pk)


@login_required
@require_POST
def delegation(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = selectors.event_get(request.user, slug, pk)
    try:
        created = delegation_invite(actor=request.user, event=event)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            ngettext("%(n)d person is invited.", "%(n)d people are invited.", len(created))
            % {"n": len(created)},
        )
    return _event_redirect(event)


@login_required
@require_POST
def respond(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = selectors.event_get(request.user, slug, pk)
    participant = selectors.own_participation(request.user, event)
    try:
        participant_respond(
            actor=request.user, participant=participant, accept=request.POST.get("answer") == "yes"
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your answer is recorded."))
    return _event_redirect(event)


@login_required
@require_POST
def attendance(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = selectors.event_get(request.user, slug, pk)
    present = {int(v) for v in request.POST.getlist("present") if v.isascii() and v.isdigit()}
    try:
        count = attendance_record(actor=request.user, event=event, present=present)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            ngettext(
                "Attendance is recorded: %(n)d person present.",
                "Attendance is recorded: %(n)d people present.",
                count,
            )
            % {"n": count},
        )
    return _event_redirect(event)


@login_required
def participants_pdf(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = selectors.event_page(request.user, slug, pk)
    response = HttpResponse(participant_list_pdf(event), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="participants-event-{event.pk}.pdf"'
    return response


def _finding_inputs(rows: list[Any]) -> list[FindingInput]:
    return [
        FindingInput(
            kind=form.cleaned_data["kind"],
            text=form.cleaned_data["text"],
            city=form.cleaned_data["city"],
            key_factor=form.cleaned_data.get("key_factor", ""),
        )
        for form in rows
    ]


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = selectors.event_get(request.user, slug, pk)
    if not can_write_report(request.user, event):
        raise PermissionDenied(_("Only the facilitator and the pair's officers write this report."))
    cities, factors = report_cities(event), report_key_factors(event)
    report = getattr(event, "report", None)
    choices = {"cities": cities, "key_factors": factors}
    status = 200
    if request.method == "POST":
        form = ReportForm(request.POST)
        formset = FindingFormSet(request.POST, prefix="findings", form_kwargs=choices)
        if form.is_valid() and formset.is_valid():
            rows = [f for f in formset if f.cleaned_data.get("text")]  # an empty one is dropped
            try:
                visit_report_save(
                    actor=request.user,
                    event=event,
                    expected_revision=form.cleaned_data["revision"],
                    summary=form.cleaned_data["summary"],
                    findings=_finding_inputs(rows),
                    submit="submit" in request.POST,
                )
            except DomainError as error:
                show_refusal(form, error, rows={"findings": rows})
                status = 409 if isinstance(error, ConcurrentEditError) else 400
            else:
                messages.success(request, _("The report is saved."))
                return redirect("visits:report", slug=slug, pk=pk)
        else:
            status = 400
    else:
        form = ReportForm(
            initial={
                "revision": report.revision if report else None,
                "summary": report.summary if report else "",
            }
        )
        initial = [
            {
                "kind": f.kind,
                "text": f.text,
                "city": f.city.slug,
                "key_factor": f.key_factor.code if f.key_factor else "",
            }
            for f in (report.findings.select_related("city", "key_factor") if report else [])
        ]
        formset = FindingFormSet(initial=initial, prefix="findings", form_kwargs=choices)
    return render(
        request,
        "visits/report.html",
        {
            "event": event,
            "programme": event.programme,
            "form": form,
            "formset": formset,
            "report": report,
            "tab": "events",
        },
        status=status,
    )


@login_required
def city_findings(request: HttpRequest, slug: str, city: str) -> HttpResponse:
    programme, city_obj, findings = selectors.findings_for_city(request.user, slug, city)
    return render(
        request,
        "visits/findings.html",
        {"programme": programme, "city": city_obj, "findings": findings, "tab": "events"},
    )


@login_required
@require_POST
def agenda_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = selectors.event_get(request.user, slug, pk)
    form = AgendaItemForm(request.POST)
    if form.is_valid():
        data, zone = form.cleaned_data, ZoneInfo(event.timezone)
        try:
            agenda_item_add(
                actor=request.user,
                event=event,
                data=AgendaInput(
                    starts_at=datetime.combine(data["day"], data["start"], tzinfo=zone),
                    ends_at=datetime.combine(data["day"], data["end"], tzinfo=zone),
                    title=data["title"],
                    format=data["format"],
                    speakers=data["speakers"],
                    place=data["place"],
                ),
            )
        except DomainError as error:
            show_refusal(form, error, renames={"starts_at": "start", "ends_at": "end"})
        else:
            messages.success(request, _("The agenda item is added."))
            return _event_redirect(event)
    return event_detail(request, slug, pk, agenda_form=form, status=400)


@login_required
@require_POST
def agenda_remove(request: HttpRequest, slug: str, pk: int, item: int) -> HttpResponse:
    event = selectors.event_page(request.user, slug, pk)
    found = next((i for i in event.agenda.all() if i.pk == item), None)
    if found is None:
        raise Http404("No such agenda item")
    try:
        agenda_item_remove(actor=request.user, item=found)
    except DomainError as error:
        messages.error(request, error.message)
    return _event_redirect(event)


@login_required
@require_http_methods(["GET", "POST"])
def unavailable_dates(request: HttpRequest, slug: str, city: str) -> HttpResponse:
    page = city_page(request.user, slug, city)
    if not page.can_edit:
        raise PermissionDenied(_("Only the city's officers and the coordinators may edit it."))
    form = UnavailabilityForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                unavailability_add(
                    actor=request.user,
                    programme=page.programme,
                    city=page.city,
                    **form.cleaned_data,
                )
            except DomainError as error:
                show_refusal(form, error)
                status = 400
            else:
                messages.success(request, _("The dates are saved; the visit planner avoids them."))
                return redirect("visits:unavailable", slug=slug, city=city)
        else:
            status = 400
    return render(
        request,
        "visits/unavailable.html",
        {
            "programme": page.programme,
            "city": page.city,
            "rows": selectors.unavailable_dates(page.programme, page.city),
            "form": form,
        },
        status=status,
    )


@login_required
@require_POST
def unavailable_remove(request: HttpRequest, slug: str, city: str, pk: int) -> HttpResponse:
    page = city_page(request.user, slug, city)
    row = next(
        (r for r in selectors.unavailable_dates(page.programme, page.city) if r.pk == pk), None
    )
    if row is None:
        raise Http404("No such dates")
    try:
        unavailability_remove(actor=request.user, row=row)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("visits:unavailable", slug=slug, city=city)
