"""The technical reports' screens (thin: a selector or a service each). The coordinators write;
the auditors read everything and are refused every change (403); for anyone else a report does
not exist (404). A frozen report shows no form, and a change posted to it is refused with a
message (never a 500)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import ConcurrentEditError, DomainError
from core.files import private_file_response
from core.forms import show_refusal
from core.generated_files import is_stale
from programmes.models import Programme

from . import selectors
from .choices import FilesStatus, ReportKind
from .forms import FreezeForm, ReportForm, SectionForm
from .models import TechnicalReport
from .permissions import can_write_reports
from .services.files import report_files_request
from .services.reports import (
    report_facts_of,
    report_section_save,
    technical_report_freeze,
    technical_report_start,
)

FORMATS = {"docx": "docx", "pdf": "pdf"}


def _writer_programme(request: HttpRequest, slug: str) -> Programme:
    """The programme, for a reader of its reports (404) who may write them (403)."""
    programme = selectors.reports_programme(request.user, slug)
    decision = can_write_reports(request.user, programme.pk)
    if not decision:
        raise PermissionDenied(decision.reason)
    return programme


def _require_writer(request: HttpRequest, report: TechnicalReport) -> None:
    decision = can_write_reports(request.user, report.programme_id)
    if not decision:
        raise PermissionDenied(decision.reason)


def _context(programme: Programme, **values: Any) -> dict[str, Any]:
    return {"programme": programme, "tab": "reports", **values}


@login_required
@require_GET
def index(request: HttpRequest, slug: str) -> HttpResponse:
    programme, reports = selectors.reports_for_programme(request.user, slug)
    return render(
        request,
        "reports/index.html",
        _context(
            programme,
            reports=[(r, selectors.report_title(r)) for r in reports],
            can_write=bool(can_write_reports(request.user, programme.pk)),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _writer_programme(request, slug)
    deliverables = selectors.report_deliverables(programme)
    choices = [(d.pk, str(d)) for d in deliverables]
    status = 200
    if request.method == "POST":
        form = ReportForm(request.POST, deliverables=choices)
        status = 400
        if form.is_valid():
            try:
                report = technical_report_start(
                    actor=request.user,
                    programme=programme,
                    data=form.to_input(),
                    language=translation.get_language(),
                )
            except DomainError as error:
                show_refusal(form, error)
            else:
                messages.success(
                    request, _("The report is started; each section is prefilled from the records.")
                )
                return redirect("reports:report", slug, report.pk)
    else:
        kind = request.GET.get("kind", ReportKind.INTERIM)
        periods = selectors.default_periods(programme, deliverables)
        period = periods.get(kind, periods[ReportKind.INTERIM])
        form = ReportForm(
            initial={
                "kind": period.kind,
                "period_start": period.start,
                "period_end": period.end,
                "deliverable": period.deliverable_id,
            },
            deliverables=choices,
        )
    return render(request, "reports/new.html", _context(programme, form=form), status=status)


def _files_context(files: Any) -> dict[str, Any]:
    return {
        "files": files,
        "files_waiting": files is not None and not files.is_finished and not is_stale(files),
    }


@login_required
@require_GET
def report(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    page = selectors.report_page(request.user, slug, pk, translation.get_language())
    return render(
        request,
        "reports/report.html",
        _context(
            page.programme,
            page=page,
            report=page.report,
            **_files_context(page.files),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def section(request: HttpRequest, slug: str, pk: int, key: str) -> HttpResponse:
    """A section's text: its form for a draft; for a frozen report, the text and no form (a
    change posted to it is refused with a message)."""
    report = selectors.report_get(request.user, slug, pk)
    _require_writer(request, report)
    found = selectors.section_get(report, key)
    if report.is_frozen:
        if request.method == "POST":
            messages.error(
                request,
                _("This report was submitted and is frozen: its text never changes."),
            )
            return redirect("reports:report", slug, report.pk)
        return render(
            request,
            "reports/section.html",
            _context(report.programme, report=report, section=found, form=None),
        )
    status, saved = 200, None
    if request.method == "POST":
        form = SectionForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                report_section_save(
                    actor=request.user,
                    section=found,
                    text=form.cleaned_data["text"],
                    expected_revision=form.cleaned_data["revision"],
                )
            except ConcurrentEditError as error:
                saved = selectors.section_get(report, key)
                retry = request.POST.copy()
                retry["revision"] = str(saved.revision)
                form = SectionForm(retry)
                form.is_valid()
                form.add_error(None, error.message)
                status = 409
            except DomainError as error:
                show_refusal(form, error)
            else:
                messages.success(request, _("The section is saved."))
                return redirect("reports:report", slug, report.pk)
    else:
        form = SectionForm.for_section(found)
    return render(
        request,
        "reports/section.html",
        _context(report.programme, report=report, section=found, form=form, saved=saved),
        status=status,
    )


@login_required
@require_GET
def preview(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The whole report as its files will show it, on one page."""
    report = selectors.report_get(request.user, slug, pk)
    with translation.override(report.language):
        document = selectors.report_document(report, report_facts_of(report))
    return render(
        request,
        "reports/preview.html",
        _context(report.programme, report=report, document=document),
    )


@login_required
@require_POST
def files_new(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Ask for the report's DOCX and PDF in the reader's language (generated on the queue)."""
    report = selectors.report_get(request.user, slug, pk)
    try:
        report_files_request(actor=request.user, report=report, language=translation.get_language())
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The files are being generated."))
    return redirect("reports:report", slug, report.pk)


@login_required
@require_GET
def file(request: HttpRequest, slug: str, pk: int, file_format: str) -> HttpResponse | FileResponse:
    """The file once generated; until then a page saying it is being generated (it reloads
    itself, and the download starts when the file is there)."""
    if file_format not in FORMATS:
        raise Http404("No such format")
    report = selectors.report_get(request.user, slug, pk)
    files = selectors.report_files_of(report, translation.get_language())
    if files is not None and files.status == FilesStatus.DONE:
        version = f"v{report.number}" if report.number else "draft"
        name = f"{report.kind}-report-{report.period_end}-{version}.{file_format}"
        return private_file_response(getattr(files, file_format), name)
    return render(
        request,
        "reports/file_wait.html",
        _context(
            report.programme,
            report=report,
            title=selectors.report_title(report),
            **_files_context(files),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def freeze(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Confirm, then freeze the draft as the version submitted to the funder."""
    report = selectors.report_get(request.user, slug, pk)
    _require_writer(request, report)
    if report.is_frozen:
        messages.error(request, _("This report was submitted and is frozen already."))
        return redirect("reports:report", slug, report.pk)
    status = 200
    if request.method == "POST":
        form = FreezeForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                frozen = technical_report_freeze(
                    actor=request.user,
                    report=report,
                    expected_revision=form.cleaned_data["revision"],
                    language=translation.get_language(),
                )
            except ConcurrentEditError as error:
                form.add_error(None, error.message)
                status = 409
            except DomainError as error:
                messages.error(request, error.message)
                return redirect("reports:report", slug, report.pk)
            else:
                messages.success(
                    request,
                    _("Version %(number)s is frozen; its files are being generated.")
                    % {"number": frozen.number},
                )
                return redirect("reports:report", slug, report.pk)
    else:
        form = FreezeForm(initial={"revision": report.revision})
    return render(
        request,
        "reports/freeze.html",
        _context(report.programme, report=report, title=selectors.report_title(report), form=form),
        status=status,
    )
