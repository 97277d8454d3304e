"""Timesheet screens: my week (a grid of hours by activity and day), signing the month, the
supervisor's approvals, and one month's page with its approval, reopening and history."""

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import ConcurrentEditError, DomainError
from core.forms import show_refusal
from core.history import history_entries
from programmes.selectors import programme_get

from .. import selectors
from ..forms import ReopenForm, SignForm, WeekForm
from ..permissions import can_approve_timesheet, can_reopen_timesheet, person_of
from ..services.timesheets import (
    hours_in_year,
    ineligible_days,
    productive_hours,
    timesheet_approve,
    timesheet_open,
    timesheet_reopen,
    timesheet_save,
    timesheet_sign,
)


def _month(year: int, month: int) -> date:
    try:
        return date(year, month, 1)
    except ValueError:
        raise Http404("No such month") from None


def _monday(request: HttpRequest) -> date | None:
    try:
        return date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        return None


@login_required
def my_time(request: HttpRequest, slug: str) -> HttpResponse:
    """This month's timesheet, or the programme's last (or first) month outside its period."""
    programme = programme_get(request.user, slug)
    today = timezone.localdate()
    month = min(max(today, programme.start_date), programme.end_date)
    return redirect("finance:week", slug, month.year, month.month)


def _week_page(
    request: HttpRequest,
    programme: Any,
    sheet: Any,
    grid: Any,
    *,
    form: Any = None,
    sign_form: Any = None,
    status: int = 200,
) -> HttpResponse:
    person = person_of(request.user)
    year = sheet.month.year
    months = selectors.programme_months(programme)
    index = months.index(sheet.month)
    form = form or WeekForm(grid=grid, initial={"revision": sheet.revision})
    # Each cell with its field (read-only cells have none), for the template's grid.
    grid_rows = [
        (row, [(cell, form[cell.name] if cell.name in form.fields else None) for cell in row.cells])
        for row in grid.rows
    ]
    return render(
        request,
        "finance/week.html",
        {
            "programme": programme,
            "tab": "finance",
            "sheet": sheet,
            "grid": grid,
            "form": form,
            "grid_rows": grid_rows,
            "sign_form": sign_form or SignForm(),
            "previous_month": months[index - 1] if index > 0 else None,
            "next_month": months[index + 1] if index + 1 < len(months) else None,
            "months": selectors.own_timesheets(request.user, programme),
            "year_hours": hours_in_year(person, year) if person else None,
            "year_cap": productive_hours(person, programme, year) if person else None,
            "year": year,
        },
        status=status,
    )


@login_required
def week(request: HttpRequest, slug: str, year: int, month: int) -> HttpResponse:
    """GET shows a week of the month; POST saves that week's hours."""
    programme = programme_get(request.user, slug)
    sheet = selectors.own_timesheet(request.user, programme, _month(year, month))
    grid = selectors.week_grid(sheet, _monday(request), person_of(request.user))
    if request.method != "POST":
        return _week_page(request, programme, sheet, grid)
    form = WeekForm(request.POST, grid=grid)
    status = 400
    if form.is_valid():
        entries, names = form.entries()
        try:
            saved = timesheet_open(actor=request.user, programme=programme, month=sheet.month)
            timesheet_save(
                actor=request.user,
                timesheet=saved,
                entries=entries,
                days=grid.editable_days,
                revision=form.cleaned_data["revision"],
            )
        except DomainError as error:
            show_refusal(form, error, renames=names)
            status = 409 if isinstance(error, ConcurrentEditError) else 400
        else:
            messages.success(request, _("Your hours are saved."))
            return redirect(f"{request.path}?week={grid.monday.isoformat()}")
    return _week_page(request, programme, sheet, grid, form=form, status=status)


@login_required
@require_POST
def sign(request: HttpRequest, slug: str, year: int, month: int) -> HttpResponse:
    programme = programme_get(request.user, slug)
    sheet = selectors.own_timesheet(request.user, programme, _month(year, month))
    form = SignForm(request.POST)
    if form.is_valid():
        try:
            if sheet.pk is None:
                raise DomainError(_("There are no hours to sign in this month."))
            timesheet_sign(actor=request.user, timesheet=sheet)
        except DomainError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The month is signed and sent for approval."))
            return redirect("finance:week", slug, year, month)
    grid = selectors.week_grid(sheet, _monday(request), person_of(request.user))
    return _week_page(request, programme, sheet, grid, sign_form=form, status=400)


def _sheet_page(
    request: HttpRequest, programme: Any, sheet: Any, reopen_form: Any = None, status: int = 200
) -> HttpResponse:
    may_approve = can_approve_timesheet(request.user, programme, sheet.person)
    may_reopen = can_reopen_timesheet(request.user, programme, sheet.person) and (
        not sheet.is_open and sheet.reported_in_id is None
    )
    return render(
        request,
        "finance/timesheet.html",
        {
            "programme": programme,
            "tab": "finance",
            "sheet": sheet,
            "summary": selectors.timesheet_summary(sheet, programme),
            "can_approve": may_approve and sheet.status == "signed",
            # Hours outside the eligible dates, when the programme accepts them flagged.
            "ineligible_days": ineligible_days(
                programme, [entry.day for entry in sheet.entries.all()]
            ),
            "reopen_form": reopen_form or (ReopenForm() if may_reopen else None),
            "history": history_entries(sheet),
        },
        status=status,
    )


@login_required
def timesheet_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = programme_get(request.user, slug)
    return _sheet_page(request, programme, selectors.timesheet_get(request.user, programme, pk))


@login_required
@require_POST
def timesheet_approve_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = programme_get(request.user, slug)
    sheet = selectors.timesheet_get(request.user, programme, pk)
    warnings: list[str] = []
    try:
        timesheet_approve(actor=request.user, timesheet=sheet, warnings=warnings)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("finance:timesheet", slug, pk)
    messages.success(request, _("The month is approved."))
    for warning in warnings:
        messages.warning(request, warning)
    return redirect("finance:approvals", slug)


@login_required
@require_POST
def timesheet_reopen_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = programme_get(request.user, slug)
    sheet = selectors.timesheet_get(request.user, programme, pk)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            timesheet_reopen(
                actor=request.user, timesheet=sheet, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The month is open again for its correction."))
            return redirect("finance:timesheet", slug, pk)
    return _sheet_page(request, programme, sheet, reopen_form=form, status=400)


@login_required
def approvals(request: HttpRequest, slug: str) -> HttpResponse:
    """The supervisor's inbox: the signed months waiting for their approval."""
    programme = programme_get(request.user, slug)
    return render(
        request,
        "finance/approvals.html",
        {
            "programme": programme,
            "tab": "finance",
            "sheets": selectors.timesheets_to_approve(request.user, programme),
        },
    )
