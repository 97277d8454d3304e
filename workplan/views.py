"""The work plan's screens (thin: a selector or a service each). A programme outside the
viewer's reach is a 404; a member who may read but not change is refused (403)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.errors import ConcurrentEditError, DomainError
from core.files import private_file_response
from core.forms import show_refusal
from core.history import history_entries
from programmes.models import Programme

from . import selectors
from .choices import DeliverableKind, Step
from .forms import DeliverableForm, MilestoneForm, StepForm, TaskForm, WorkPackageForm
from .models import Deliverable, Milestone, Task, WorkPackage
from .permissions import can_edit_workplan, can_record_deliverable, can_view_history
from .services import deliverable_save, milestone_save, task_save, work_package_save
from .timeline import TimelineFilters, timeline_get
from .timeline_drawing import timeline_drawing
from .timeline_export import CONTENT_TYPES, timeline_pdf, timeline_png, timeline_svg
from .workflow import deliverable_step


def _plan_url(programme: Programme) -> str:
    return reverse("workplan:plan", args=[programme.slug])


@login_required
@require_GET
def plan(request: HttpRequest, slug: str) -> HttpResponse:
    filters = selectors.Filters.from_query(request.GET)
    page = selectors.workplan_page(request.user, slug, filters)
    return render(
        request,
        "workplan/plan.html",
        {
            "page": page,
            "programme": page.programme,
            "tab": "workplan",
            "kinds": DeliverableKind.choices,
        },
    )


@login_required
@require_GET
def timeline(request: HttpRequest, slug: str) -> HttpResponse:
    found = timeline_get(request.user, slug, TimelineFilters.from_query(request.GET))
    return render(
        request,
        "workplan/timeline.html",
        {
            "timeline": found,
            "drawing": timeline_drawing(found),
            "programme": found.programme,
            "tab": "workplan",
        },
    )


@login_required
@require_GET
def timeline_file(request: HttpRequest, slug: str, file_format: str) -> HttpResponse:
    """The chart as an SVG, PNG or PDF file, with the page's filters."""
    if file_format not in CONTENT_TYPES:
        raise Http404("No such format")
    found = timeline_get(request.user, slug, TimelineFilters.from_query(request.GET))
    drawing = timeline_drawing(found)
    if file_format == "svg":
        content = timeline_svg(drawing)
    elif file_format == "png":
        content = timeline_png(drawing)
    else:
        content = timeline_pdf(drawing, found.title, found.programme.name)
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    name = f"{found.programme.slug}-timeline.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def deliverable(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    page = selectors.deliverable_page(request.user, slug, pk, page_number=request.GET.get("page"))
    return render(
        request,
        "workplan/deliverable.html",
        {"page": page, "programme": page.programme, "tab": "workplan"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def deliverable_step_view(request: HttpRequest, slug: str, pk: int, step: str) -> HttpResponse:
    found = selectors.deliverable_get(request.user, slug, pk)
    if step not in Step.values:
        raise Http404("No such step")
    chosen = Step(step)
    programme = found.work_package.programme
    decision = can_record_deliverable(request.user, programme.pk)
    if not decision:
        raise PermissionDenied(decision.reason)
    page = selectors.deliverable_page(request.user, slug, pk)
    classified = page.classified
    status = 200
    if request.method == "POST":
        form = StepForm(request.POST, request.FILES, step=chosen, classified=classified)
        status = 400
        if form.is_valid():
            try:
                deliverable_step(
                    actor=request.user, deliverable=found, step=chosen, data=form.to_input()
                )
            except DomainError as error:
                show_refusal(form, error)
            else:
                messages.success(request, _("Recorded: %(step)s.") % {"step": chosen.label})
                return redirect("workplan:deliverable", slug=slug, pk=pk)
    else:
        if chosen not in page.open_steps:
            messages.error(
                request,
                _("This deliverable is “%(state)s”: “%(step)s” cannot be recorded now.")
                % {"state": page.standing.state.label, "step": chosen.label},
            )
            return redirect("workplan:deliverable", slug=slug, pk=pk)
        form = StepForm(step=chosen, classified=classified)
    return render(
        request,
        "workplan/step.html",
        {
            "page": page,
            "programme": programme,
            "tab": "workplan",
            "form": form,
            "step": chosen,
        },
        status=status,
    )


@login_required
@require_GET
def step_file(request: HttpRequest, slug: str, pk: int, step_pk: int) -> Any:
    step = selectors.step_file_get(request.user, slug, pk, step_pk)
    return private_file_response(step.file, step.file_name)


# ---------------------------------------------------------------- the coordinators' forms


def _editor_programme(request: HttpRequest, slug: str) -> Programme:
    """The programme, for a reader of its work plan (404 otherwise) who may change it (403)."""
    programme = selectors.workplan_programme(request.user, slug)
    decision = can_edit_workplan(request.user, programme.pk)
    if not decision:
        raise PermissionDenied(decision.reason)
    return programme


def _edit_page(
    request: HttpRequest,
    *,
    programme: Programme,
    title: str,
    form: Any,
    save: Callable[[Any], Any],
    instance: Any,
    success: str,
    back: str,
) -> HttpResponse:
    """GET: the form; POST: save it through `save(form)`, a refusal next to its field, a stale
    copy refused (409) with the saved values beside the typed ones."""
    status, saved = 200, None
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                save(form)
            except ConcurrentEditError as error:
                saved = type(instance).objects.get(pk=instance.pk)
                retry = request.POST.copy()
                retry["revision"] = str(saved.revision)
                form.data = retry
                form.add_error(None, error.message)
                status = 409
            except DomainError as error:
                show_refusal(form, error, renames={})
            else:
                messages.success(request, success)
                return redirect(back)
    return render(
        request,
        "workplan/edit.html",
        {
            "programme": programme,
            "tab": "workplan",
            "title": title,
            "form": form,
            "instance": instance,
            "saved": saved,
            "back": back,
            "history": history_entries(instance)
            if instance is not None and can_view_history(request.user, programme.pk)
            else [],
        },
        status=status,
    )


def _revision(form: Any) -> int | None:
    value = form.cleaned_data.get("revision")
    return int(value) if value is not None else None


@login_required
@require_http_methods(["GET", "POST"])
def work_package_new(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _editor_programme(request, slug)
    partners = selectors.partner_choices(programme)
    form = WorkPackageForm(request.POST or None, partners=partners)
    return _edit_page(
        request,
        programme=programme,
        title=_("Add a work package"),
        form=form,
        save=lambda f: work_package_save(
            actor=request.user, programme=programme, data=f.to_input()
        ),
        instance=None,
        success=_("The work package is added."),
        back=_plan_url(programme),
    )


@login_required
@require_http_methods(["GET", "POST"])
def work_package_edit(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    programme = _editor_programme(request, slug)
    wp = selectors.work_package_get(programme, number)
    partners = selectors.partner_choices(programme)
    form = (
        WorkPackageForm(request.POST, partners=partners)
        if request.method == "POST"
        else WorkPackageForm.for_work_package(wp, partners=partners)
    )
    return _edit_page(
        request,
        programme=programme,
        title=_("Change %(item)s") % {"item": wp},
        form=form,
        save=lambda f: work_package_save(
            actor=request.user,
            programme=programme,
            data=f.to_input(),
            work_package=wp,
            expected_revision=_revision(f),
        ),
        instance=wp,
        success=_("The work package is saved."),
        back=_plan_url(programme),
    )


@login_required
@require_http_methods(["GET", "POST"])
def task_new(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    programme = _editor_programme(request, slug)
    wp = selectors.work_package_get(programme, number)
    kwargs = {
        "partners": selectors.partner_choices(programme),
        "themes": selectors.theme_choices(programme),
    }
    return _edit_page(
        request,
        programme=programme,
        title=_("Add a task to %(wp)s") % {"wp": wp},
        form=TaskForm(request.POST or None, **kwargs),
        save=lambda f: task_save(actor=request.user, work_package=wp, data=f.to_input()),
        instance=None,
        success=_("The task is added."),
        back=_plan_url(programme),
    )


@login_required
@require_http_methods(["GET", "POST"])
def task_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = _editor_programme(request, slug)
    task: Task = selectors.item_get(programme, Task, pk)
    kwargs = {
        "partners": selectors.partner_choices(programme),
        "themes": selectors.theme_choices(programme),
    }
    form = (
        TaskForm(request.POST, **kwargs)
        if request.method == "POST"
        else TaskForm.for_task(task, **kwargs)
    )
    return _edit_page(
        request,
        programme=programme,
        title=_("Change %(item)s") % {"item": task},
        form=form,
        save=lambda f: task_save(
            actor=request.user,
            work_package=task.work_package,
            data=f.to_input(),
            task=task,
            expected_revision=_revision(f),
        ),
        instance=task,
        success=_("The task is saved."),
        back=_plan_url(programme),
    )


def _deliverable_kwargs(programme: Programme, wp: WorkPackage) -> dict[str, Any]:
    return {
        "partners": selectors.partner_choices(programme),
        "themes": selectors.theme_choices(programme),
        "tasks": selectors.task_choices(wp),
    }


@login_required
@require_http_methods(["GET", "POST"])
def deliverable_new(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    programme = _editor_programme(request, slug)
    wp = selectors.work_package_get(programme, number)
    return _edit_page(
        request,
        programme=programme,
        title=_("Add a deliverable to %(wp)s") % {"wp": wp},
        form=DeliverableForm(request.POST or None, **_deliverable_kwargs(programme, wp)),
        save=lambda f: deliverable_save(actor=request.user, work_package=wp, data=f.to_input()),
        instance=None,
        success=_("The deliverable is added."),
        back=_plan_url(programme),
    )


@login_required
@require_http_methods(["GET", "POST"])
def deliverable_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = _editor_programme(request, slug)
    found: Deliverable = selectors.item_get(programme, Deliverable, pk)
    kwargs = _deliverable_kwargs(programme, found.work_package)
    form = (
        DeliverableForm(request.POST, **kwargs)
        if request.method == "POST"
        else DeliverableForm.for_deliverable(found, **kwargs)
    )
    return _edit_page(
        request,
        programme=programme,
        title=_("Change %(item)s") % {"item": found},
        form=form,
        save=lambda f: deliverable_save(
            actor=request.user,
            work_package=found.work_package,
            data=f.to_input(),
            deliverable=found,
            expected_revision=_revision(f),
        ),
        instance=found,
        success=_("The deliverable is saved."),
        back=reverse("workplan:deliverable", args=[programme.slug, found.pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def milestone_new(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    programme = _editor_programme(request, slug)
    wp = selectors.work_package_get(programme, number)
    return _edit_page(
        request,
        programme=programme,
        title=_("Add a milestone to %(wp)s") % {"wp": wp},
        form=MilestoneForm(request.POST or None, partners=selectors.partner_choices(programme)),
        save=lambda f: milestone_save(actor=request.user, work_package=wp, data=f.to_input()),
        instance=None,
        success=_("The milestone is added."),
        back=_plan_url(programme),
    )


@login_required
@require_http_methods(["GET", "POST"])
def milestone_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = _editor_programme(request, slug)
    found: Milestone = selectors.item_get(programme, Milestone, pk)
    partners = selectors.partner_choices(programme)
    form = (
        MilestoneForm(request.POST, partners=partners)
        if request.method == "POST"
        else MilestoneForm.for_milestone(found, partners=partners)
    )
    return _edit_page(
        request,
        programme=programme,
        title=_("Change %(item)s") % {"item": found},
        form=form,
        save=lambda f: milestone_save(
            actor=request.user,
            work_package=found.work_package,
            data=f.to_input(),
            milestone=found,
            expected_revision=_revision(f),
        ),
        instance=found,
        success=_("The milestone is saved."),
        back=_plan_url(programme),
    )


# ---------------------------------------------------------------- the public site


@require_GET
def public_index(request: HttpRequest) -> HttpResponse:
    return render(request, "workplan/public.html", {"rows": selectors.public_deliverables()})


@require_GET
def public_file(request: HttpRequest, slug: str, pk: int) -> Any:
    step = selectors.public_file_get(slug, pk)
    return private_file_response(step.file, step.file_name)
