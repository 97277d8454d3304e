"""Thin views of the plan screens: parse, call one service or selector, render or redirect."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import ConcurrentEditError, DomainError
from core.files import private_file_response
from core.forms import show_refusal
from programmes.selectors import city_get, programme_get

from . import selectors
from .exports import plan_docx, plan_pdf
from .forms import (
    ActionForm,
    CommentForm,
    IndicatorFormSet,
    MilestoneForm,
    PlanSectionsForm,
    ProgressForm,
    RiskFormSet,
    StepForm,
    filled_rows,
    indicators_of,
    risk_formset_for,
    risks_of,
    risks_saved_beside,
)
from .permissions import can_edit_plan, can_monitor_plan
from .services.actions import (
    citable_practices,
    linkable_findings,
    linkable_key_factors,
    plan_action_remove,
    plan_action_save,
)
from .services.comments import plan_comment_add, plan_comment_apply, plan_comment_resolve
from .services.monitoring import (
    action_plan_publication_set,
    check_in_hold,
    milestone_add,
    milestone_reach,
    progress_update_add,
)
from .services.plans import action_plan_save, action_plan_start
from .versions import ACTION_FIELDS, versions_compare
from .workflow import STEPS, Step, plan_step

TAB = "plans"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _to_plan(plan: Any) -> HttpResponse:
    return redirect("action_plans:plan", slug=plan.programme.slug, city=plan.city.slug)


@login_required
def plans_index(request: HttpRequest, slug: str) -> HttpResponse:
    home = selectors.plans_home(request.user, slug, selectors.PlansFilters.from_query(request.GET))
    return render(
        request,
        "action_plans/index.html",
        {"home": home, "programme": home.programme, "tab": TAB},
    )


@login_required
@require_POST
def plan_start(request: HttpRequest, slug: str, city: str) -> HttpResponse:
    programme = programme_get(request.user, slug)
    city_obj = city_get(request.user, slug, city)
    try:
        plan = action_plan_start(actor=request.user, programme=programme, city=city_obj)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("action_plans:index", slug=slug)
    return _to_plan(plan)


@login_required
def plan_detail(
    request: HttpRequest,
    slug: str,
    city: str,
    comment_form: CommentForm | None = None,
    check_in_refused: tuple[int, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The plan page; after a refused comment or check-in, shown again with the typed text and
    the message next to its field."""
    page = selectors.plan_page(request.user, slug, city)
    if comment_form is None:
        comment_form = CommentForm(actions=[view.action for view in page.actions])
    refused_pk, refused_message = check_in_refused or (None, "")
    return render(
        request,
        "action_plans/plan.html",
        {
            "page": page,
            "plan": page.plan,
            "programme": page.plan.programme,
            "comment_form": comment_form,
            "check_in_refused": refused_pk,
            "check_in_message": refused_message,
            "check_in_text": request.POST.get("summary", "") if check_in_refused else "",
            "tab": TAB,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, slug: str, city: str) -> HttpResponse:
    plan = selectors.action_plan_get(request.user, slug, city)
    if not can_edit_plan(request.user, plan):
        raise PermissionDenied(_("Only the city's officers edit the plan; others comment on it."))
    status = 200
    risks_saved = None
    if request.method == "POST":
        form = PlanSectionsForm(request.POST)
        risks = RiskFormSet(request.POST, prefix="risks")
        status = 400
        if form.is_valid() and risks.is_valid():
            rows = filled_rows(risks, "description")
            try:
                action_plan_save(
                    actor=request.user,
                    plan=plan,
                    expected_revision=form.cleaned_data["revision"],
                    sections=form.sections(),
                    risks=risks_of(rows),
                )
            except DomainError as error:
                show_refusal(form, error, rows={"risks": rows})
                status = 400
                if isinstance(error, ConcurrentEditError):  # show both texts, field by field
                    status = 409
                    saved = selectors.plan_as_saved(plan)
                    form.show_saved(saved.plan, saved.saved_by)
                    risks_saved = risks_saved_beside(risks, saved.risks, saved.saved_by)
            else:
                messages.success(request, _("The plan is saved; a version is kept."))
                return _to_plan(plan)
    else:
        form = PlanSectionsForm.for_plan(plan)
        risks = risk_formset_for(plan)
    return render(
        request,
        "action_plans/edit.html",
        {
            "plan": plan,
            "programme": plan.programme,
            "form": form,
            "risks": risks,
            "risks_saved": risks_saved,
            "tab": TAB,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, slug: str, city: str, pk: int | None = None) -> HttpResponse:
    plan = selectors.action_plan_get(request.user, slug, city)
    if not can_edit_plan(request.user, plan):
        raise PermissionDenied(_("Only the city's officers edit the plan; others comment on it."))
    action = selectors.plan_action_get(plan, pk) if pk is not None else None
    choices: dict[str, list[Any]] = {
        "key_factors": linkable_key_factors(plan),
        "findings": linkable_findings(plan),
        "practices": citable_practices(plan),
    }
    status = 200
    if request.method == "POST":
        form = ActionForm(request.POST, **choices)
        indicators = IndicatorFormSet(request.POST, prefix="indicators")
        status = 400
        if form.is_valid() and indicators.is_valid():
            rows = filled_rows(indicators, "name")
            try:
                plan_action_save(
                    actor=request.user,
                    plan=plan,
                    action=action,
                    expected_revision=form.cleaned_data["revision"],
                    data=form.action_input(indicators_of(rows)),
                )
            except DomainError as error:
                show_refusal(form, error, rows={"indicators": rows})
                status = 409 if isinstance(error, ConcurrentEditError) else 400
            else:
                messages.success(request, _("The action is saved; a version is kept."))
                return _to_plan(plan)
    else:
        initial: dict[str, Any] = {}
        saved: list[dict[str, Any]] = []
        if action is not None:
            initial = {name: getattr(action, name) for name in ACTION_FIELDS}
            initial |= {
                "revision": action.revision,
                "public": action.public,
                "key_factors": [str(k.pk) for k in action.key_factors.all()],
                "findings": [str(f.pk) for f in action.findings.all()],
                "adapts_practice": action.adapts_practice.reference
                if action.adapts_practice
                else "",
            }
            saved = [
                {"name": i.name, "unit": i.unit, "baseline": i.baseline, "target": i.target}
                for i in action.indicators.all()
            ]
        form = ActionForm(initial=initial, **choices)
        indicators = IndicatorFormSet(prefix="indicators", initial=saved)
    return render(
        request,
        "action_plans/action.html",
        {
            "plan": plan,
            "programme": plan.programme,
            "action": action,
            "form": form,
            "indicators": indicators,
            "tab": TAB,
        },
        status=status,
    )


@login_required
@require_POST
def action_remove(request: HttpRequest, slug: str, city: str, pk: int) -> HttpResponse:
    plan = selectors.action_plan_get(request.user, slug, city)
    action = selectors.plan_action_get(plan, pk)
    try:
        plan_action_remove(actor=request.user, plan=plan, action=action)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The action is removed; the earlier versions keep it."))
    return _to_plan(plan)


@login_required
@require_http_methods(["GET", "POST"])
def plan_step_view(request: HttpRequest, slug: str, city: str, step: str) -> HttpResponse:
    plan = selectors.action_plan_get(request.user, slug, city)
    try:
        chosen = Step(step)
    except ValueError as error:
        raise Http404("No such step") from error
    rule = STEPS[chosen]
    if not rule.allowed(request.user, plan):
        raise PermissionDenied(str(rule.refusal))
    endorse = chosen is Step.ENDORSE
    posted = request.method == "POST"  # a step may be posted with no field at all
    form = StepForm(
        request.POST if posted else None, request.FILES if posted else None, endorse=endorse
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                plan_step(
                    actor=request.user,
                    plan=plan,
                    step=chosen,
                    comment=form.cleaned_data["comment"],
                    endorsement=form.endorsement(),
                )
            except DomainError as error:
                show_refusal(form, error)
            else:
                messages.success(
                    request,
                    _("Done: the plan is now “%(status)s”.")
                    % {"status": plan.get_status_display()},
                )
                return _to_plan(plan)
    return render(
        request,
        "action_plans/step.html",
        {
            "plan": plan,
            "programme": plan.programme,
            "rule": rule,
            "form": form,
            "tab": TAB,
        },
        status=status,
    )


@login_required
@require_POST
def comment_add(request: HttpRequest, slug: str, city: str) -> HttpResponse:
    plan = selectors.action_plan_get(request.user, slug, city)
    actions = list(plan.actions.all())
    form = CommentForm(request.POST, actions=actions)
    if form.is_valid():
        data = form.cleaned_data
        parent = selectors.plan_comment_get(plan, data["parent"]) if data["parent"] else None
        action = next((a for a in actions if str(a.pk) == data["action"]), None)
        try:
            plan_comment_add(
                actor=request.user,
                plan=plan,
                body=data["body"],
                section=data["section"] or ("action" if action else ""),
                action=action,
                suggestion=data["suggestion"],
                parent=parent,
            )
        except DomainError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Your comment is added."))
            return _to_plan(plan)
    return plan_detail(request, slug, city, comment_form=form, status=400)


@login_required
@require_POST
def comment_resolve(request: HttpRequest, slug: str, city: str, pk: int) -> HttpResponse:
    plan = selectors.action_plan_get(request.user, slug, city)
    comment = selectors.plan_comment_get(plan, pk)
    try:
        plan_comment_resolve(actor=request.user, comment=comment)
    except DomainError as error:
        messages.error(request, error.message)
    return _to_plan(plan)


@login_required
@require_POST
def comment_apply(request: HttpRequest, slug: str, city: str, pk: int) -> HttpResponse:
    """Apply a comment's suggested text to its section."""
    plan = selectors.action_plan_get(request.user, slug, city)
    comment = selectors.plan_comment_get(plan, pk)
    try:
        plan_comment_apply(actor=request.user, comment=comment)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The suggested text is applied; a version is kept."))
    return _to_plan(plan)


_LABELS = {
    "title": gettext_lazy("Title"),
    "context": gettext_lazy("Context"),
    "vision": gettext_lazy("Vision"),
    "objectives": gettext_lazy("Objectives"),
    "risks": gettext_lazy("Risks"),
    "description": gettext_lazy("Description"),
    "lead_department": gettext_lazy("Lead department"),
    "partners": gettext_lazy("Partners"),
    "start": gettext_lazy("Start"),
    "end": gettext_lazy("End"),
    "budget_eur": gettext_lazy("Budget (EUR)"),
    "staff_days": gettext_lazy("Staff days"),
    "funding_source": gettext_lazy("Funding source"),
    "key_factors": gettext_lazy("Key factors"),
    "adapts_practice": gettext_lazy("Adapts the good practice"),
    "indicators": gettext_lazy("Indicators"),
}


@login_required
def plan_versions(request: HttpRequest, slug: str, city: str) -> HttpResponse:
    """Every saved version; `?a=2&b=5` compares two side by side."""
    plan = selectors.action_plan_get(request.user, slug, city)
    versions = selectors.plan_versions(plan)
    rows, pair = None, None
    numbers = {v.number: v for v in versions}
    a, b = request.GET.get("a", ""), request.GET.get("b", "")
    if a.isdigit() and b.isdigit() and int(a) in numbers and int(b) in numbers:
        pair = (numbers[int(a)], numbers[int(b)])
        labels = {key: str(label) for key, label in _LABELS.items()}
        rows = versions_compare(pair[0].content, pair[1].content, labels)
    elif a or b:
        messages.error(request, _("Choose two versions of the list to compare."))
    latest = versions[0].number if versions else 0
    return render(
        request,
        "action_plans/versions.html",
        {
            "plan": plan,
            "programme": plan.programme,
            "versions": versions,
            "rows": rows,
            "pair": pair,
            "default_a": versions[1].number if len(versions) > 1 else latest,
            "default_b": latest,
            "tab": TAB,
        },
    )


@login_required
def decision_document(request: HttpRequest, slug: str, city: str, pk: int) -> FileResponse:
    plan = selectors.action_plan_get(request.user, slug, city)
    decision = selectors.decision_get(plan, pk)
    return private_file_response(decision.document, decision.document_name)


@login_required
def evidence_document(request: HttpRequest, slug: str, city: str, pk: int) -> FileResponse:
    plan = selectors.action_plan_get(request.user, slug, city)
    update = selectors.evidence_get(plan, pk)
    return private_file_response(update.evidence, update.evidence_name)


def _download(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def plan_pdf_download(request: HttpRequest, slug: str, city: str) -> HttpResponse:
    plan = selectors.action_plan_get(request.user, slug, city)
    return _download(plan_pdf(plan), "application/pdf", f"action-plan-{plan.city.slug}.pdf")


@login_required
def plan_docx_download(request: HttpRequest, slug: str, city: str) -> HttpResponse:
    plan = selectors.action_plan_get(request.user, slug, city)
    return _download(plan_docx(plan), DOCX, f"action-plan-{plan.city.slug}.docx")


@login_required
@require_http_methods(["GET", "POST"])
def action_progress(request: HttpRequest, slug: str, city: str, pk: int) -> HttpResponse:
    """An adopted action's progress: its reports, its milestones, and the forms to add them."""
    plan = selectors.action_plan_get(request.user, slug, city)
    action = selectors.plan_action_get(plan, pk)
    posted = request.method == "POST"
    progress_form = ProgressForm(
        request.POST if posted and "progress" in request.POST else None,
        request.FILES if posted and "progress" in request.POST else None,
    )
    milestone_form = MilestoneForm(request.POST if posted and "milestone" in request.POST else None)
    status = 200
    if posted:
        status = 400
        try:
            if progress_form.is_bound and progress_form.is_valid():
                progress_update_add(
                    actor=request.user, action=action, data=progress_form.progress()
                )
                messages.success(request, _("The progress is recorded."))
                return redirect(request.path)
            if milestone_form.is_bound and milestone_form.is_valid():
                milestone_add(actor=request.user, action=action, **milestone_form.cleaned_data)
                messages.success(request, _("The milestone is added."))
                return redirect(request.path)
            if "reached" in request.POST:
                found = selectors.milestone_get(action, request.POST.get("reached", ""))
                milestone_reach(actor=request.user, milestone=found, on=timezone.localdate())
                return redirect(request.path)
        except DomainError as error:
            target = progress_form if progress_form.is_bound else milestone_form
            show_refusal(target, error)
    return render(
        request,
        "action_plans/progress.html",
        {
            "plan": plan,
            "programme": plan.programme,
            "action": action,
            "updates": selectors.progress_updates(action),
            "milestones": selectors.milestones(action),
            "can_monitor": can_monitor_plan(request.user, plan) and plan.adopted_at is not None,
            "progress_form": progress_form,
            "milestone_form": milestone_form,
            "tab": TAB,
        },
        status=status,
    )


@login_required
@require_POST
def publication(request: HttpRequest, slug: str, city: str) -> HttpResponse:
    plan = selectors.action_plan_get(request.user, slug, city)
    chosen = {int(v) for v in request.POST.getlist("public") if v.isascii() and v.isdigit()}
    try:
        action_plan_publication_set(
            actor=request.user,
            plan=plan,
            published=request.POST.get("published") == "on",
            public_action_ids=chosen,
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your choice of what is published is saved."))
    return _to_plan(plan)


@login_required
@require_POST
def check_in(request: HttpRequest, slug: str, city: str, pk: int) -> HttpResponse:
    plan = selectors.action_plan_get(request.user, slug, city)
    found = selectors.check_in_get(plan, pk)
    try:
        check_in_hold(actor=request.user, check_in=found, summary=request.POST.get("summary", ""))
    except DomainError as error:
        message = error.field_errors.get("summary", error.message)
        return plan_detail(request, slug, city, check_in_refused=(found.pk, message), status=400)
    messages.success(request, _("The check-in is recorded."))
    return _to_plan(plan)


@login_required
def progress_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    programme, rows = selectors.progress_dashboard(request.user, slug)
    return render(
        request,
        "action_plans/dashboard.html",
        {"programme": programme, "rows": rows, "tab": TAB},
    )


def public_index(request: HttpRequest) -> HttpResponse:
    """Adopted plans their cities chose to publish: open to everyone."""
    return render(request, "action_plans/public_index.html", {"rows": selectors.public_plans()})


def public_plan(request: HttpRequest, slug: str, city: str) -> HttpResponse:
    return render(
        request, "action_plans/public_plan.html", {"page": selectors.public_plan(slug, city)}
    )
