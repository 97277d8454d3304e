"""Thin views: parse input, call one selector or service, render or redirect."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import ConcurrentEditError, DomainError
from core.files import private_file_response
from core.forms import show_refusal
from programmes.selectors import city_get, programme_get

from . import charts, selectors, services
from .choices import Phase
from .forms import (
    AdditionalFactorForm,
    BenchmarkForm,
    KeyFactorForm,
    ReviewForm,
    RevisionForm,
    SelfAssessmentForm,
    ThemeWishesForm,
)
from .models import Benchmark
from .permissions import can_edit_assessment, can_edit_benchmark, can_edit_wishes
from .services import RatingInput
from .workflow import Transition, transition_allowed


def _refused(form: Any, error: DomainError, current_revision: int | None = None) -> int:
    """Show a refusal on the form and give the status to answer with. After a conflict the
    form carries the revision saved now, so that saving again (having looked) works."""
    show_refusal(form, error)
    if not isinstance(error, ConcurrentEditError):
        return 400
    if current_revision is not None:
        data = form.data.copy()
        data["revision"] = str(current_revision)
        form.data = data
    return 409


# ---------------------------------------------------------------- home


@login_required
def home(request: HttpRequest, slug: str) -> HttpResponse:
    page = selectors.assessments_home(
        request.user, slug, selectors.AssessmentFilters.from_query(request.GET)
    )
    return render(
        request,
        "assessments/home.html",
        {"page": page, "programme": page.programme, "tab": "assessments"},
    )


# ---------------------------------------------------------------- benchmarks


@login_required
def benchmark_detail(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    version = request.GET.get("version", "")
    page = selectors.benchmark_page(
        request.user, slug, code, int(version) if version.isascii() and version.isdigit() else None
    )
    return render(
        request,
        "assessments/benchmark.html",
        {
            "page": page,
            "programme": page.programme,
            "can_edit": can_edit_benchmark(request.user, page.theme),
            "tab": "assessments",
        },
    )


@login_required
@require_POST
def benchmark_draft_open(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    page = selectors.benchmark_page(request.user, slug, code)
    try:
        services.benchmark_draft_open(actor=request.user, theme=page.theme)
    except DomainError as error:
        raise Http404(error.message) from error
    return redirect("assessments:benchmark_draft", slug=slug, code=page.theme.code)


def _no_draft(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    messages.info(request, _("There is no draft of this benchmark: start a new version first."))
    return redirect("assessments:benchmark", slug=slug, code=code)


def _factor_of(draft: Benchmark, kind: str, pk: int | None) -> Any:
    """A key or additional factor of the draft (None for a new one); 404 if not in it."""
    if pk is None:
        return None
    items = draft.key_factors.all() if kind == "key" else draft.additional_factors.all()
    factor = next((f for f in items if f.pk == pk), None)
    if factor is None:
        raise Http404("No such factor in this draft")
    return factor


def _factor_page(
    request: HttpRequest,
    draft: Benchmark,
    form: Any,
    factor: Any,
    kind: str,
    status: int | None = None,
) -> HttpResponse:
    return render(
        request,
        "assessments/factor_form.html",
        {
            "draft": draft,
            "programme": draft.theme.programme,
            "form": form,
            "factor": factor,
            "kind": kind,
            "tab": "assessments",
        },
        status=status or (400 if form.errors else 200),
    )


def _draft_page(
    request: HttpRequest, draft: Benchmark, form: Any, status: int = 200, **extra: Any
) -> HttpResponse:
    programme = draft.theme.programme
    context = {"draft": draft, "programme": programme, "form": form, "tab": "assessments"}
    context.update(extra)
    return render(request, "assessments/benchmark_draft.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def benchmark_draft(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    draft = selectors.benchmark_draft_get(request.user, slug, code)
    if draft is None:
        return _no_draft(request, slug, code)
    if request.method == "POST":
        form = BenchmarkForm(request.POST)
        if form.is_valid():
            try:
                services.benchmark_update(
                    actor=request.user,
                    benchmark=draft,
                    expected_revision=form.cleaned_data["revision"],
                    title=form.cleaned_data["title"],
                    introduction=form.cleaned_data["introduction"],
                )
            except DomainError as error:
                status = _refused(form, error, selectors.benchmark_revision(draft))
                return _draft_page(request, draft, form, status, publish_form=_publish_form(draft))
            messages.success(request, _("The draft is saved."))
            return redirect("assessments:benchmark_draft", slug=slug, code=draft.theme.code)
    else:
        form = BenchmarkForm(
            initial={
                "revision": draft.revision,
                "title": draft.title,
                "introduction": draft.introduction,
            }
        )
    return _draft_page(request, draft, form, publish_form=_publish_form(draft))


def _publish_form(draft: Benchmark) -> RevisionForm:
    return RevisionForm(initial={"revision": selectors.benchmark_revision(draft)})


@login_required
@require_http_methods(["GET", "POST"])
def key_factor_edit(
    request: HttpRequest, slug: str, code: str, pk: int | None = None
) -> HttpResponse:
    draft = selectors.benchmark_draft_get(request.user, slug, code)
    if draft is None:
        return _no_draft(request, slug, code)
    factor = _factor_of(draft, "key", pk)
    if request.method == "POST":
        form = KeyFactorForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.key_factor_save(
                    actor=request.user,
                    benchmark=draft,
                    expected_revision=data["revision"],
                    key_factor=factor,
                    code=data["code"],
                    title=data["title"],
                    why_and_how=data["why_and_how"],
                    questions=data["questions"],
                    position=data["position"],
                )
            except DomainError as error:
                status = _refused(form, error, selectors.benchmark_revision(draft))
                return _factor_page(request, draft, form, factor, "key", status)
            else:
                messages.success(request, _("The key factor is saved."))
                return redirect("assessments:benchmark_draft", slug=slug, code=draft.theme.code)
    elif factor is not None:
        form = KeyFactorForm(initial=KeyFactorForm.initial_for(factor, draft.revision))
    else:
        form = KeyFactorForm(initial={"revision": draft.revision})
    return _factor_page(request, draft, form, factor, "key")


@login_required
@require_http_methods(["GET", "POST"])
def additional_factor_edit(
    request: HttpRequest, slug: str, code: str, pk: int | None = None
) -> HttpResponse:
    draft = selectors.benchmark_draft_get(request.user, slug, code)
    if draft is None:
        return _no_draft(request, slug, code)
    factor = _factor_of(draft, "additional", pk)
    if request.method == "POST":
        form = AdditionalFactorForm(request.POST)
        if form.is_valid():
            try:
                services.additional_factor_save(
                    actor=request.user,
                    benchmark=draft,
                    expected_revision=form.cleaned_data["revision"],
                    factor=factor,
                    title=form.cleaned_data["title"],
                    description=form.cleaned_data["description"],
                )
            except DomainError as error:
                status = _refused(form, error, selectors.benchmark_revision(draft))
                return _factor_page(request, draft, form, factor, "additional", status)
            else:
                messages.success(request, _("The additional factor is saved."))
                return redirect("assessments:benchmark_draft", slug=slug, code=draft.theme.code)
    else:
        initial: dict[str, Any] = {"revision": draft.revision}
        if factor is not None:
            initial.update(title=factor.title, description=factor.description)
        form = AdditionalFactorForm(initial=initial)
    return _factor_page(request, draft, form, factor, "additional")


@login_required
@require_POST
def factor_delete(request: HttpRequest, slug: str, code: str, kind: str, pk: int) -> HttpResponse:
    if kind not in ("key", "additional"):
        raise Http404("No such kind of factor")
    draft = selectors.benchmark_draft_get(request.user, slug, code)
    if draft is None:
        return _no_draft(request, slug, code)
    form = RevisionForm(request.POST)
    if not form.is_valid():
        raise Http404("No revision")
    revision = form.cleaned_data["revision"]
    factor = _factor_of(draft, kind, pk)
    try:
        if kind == "key":
            services.key_factor_delete(
                actor=request.user, benchmark=draft, expected_revision=revision, key_factor=factor
            )
        else:
            services.additional_factor_delete(
                actor=request.user, benchmark=draft, expected_revision=revision, factor=factor
            )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("“%(title)s” is removed.") % {"title": factor.title})
    return redirect("assessments:benchmark_draft", slug=slug, code=draft.theme.code)


@login_required
@require_POST
def benchmark_publish(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    draft = selectors.benchmark_draft_get(request.user, slug, code)
    if draft is None:
        return _no_draft(request, slug, code)
    form = RevisionForm(request.POST)
    if form.is_valid():
        try:
            published = services.benchmark_publish(
                actor=request.user,
                benchmark=draft,
                expected_revision=form.cleaned_data["revision"],
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Version %(version)d is published; cities now rate it.")
                % {"version": published.version},
            )
            return redirect("assessments:benchmark", slug=slug, code=draft.theme.code)
    return redirect("assessments:benchmark_draft", slug=slug, code=draft.theme.code)


# ---------------------------------------------------------------- self-assessments


def _assessment_url(assessment: Any) -> str:
    return reverse(
        "assessments:assessment",
        kwargs={
            "slug": assessment.programme.slug,
            "city": assessment.city.slug,
            "code": assessment.theme.code,
            "phase": assessment.phase,
        },
    )


@login_required
@require_POST
def assessment_start(
    request: HttpRequest, slug: str, city: str, code: str, phase: str
) -> HttpResponse:
    programme = programme_get(request.user, slug)
    city_obj = city_get(request.user, slug, city)
    theme = selectors.theme_get(request.user, programme, code)
    if phase not in Phase.values:
        raise Http404("No such phase")
    try:
        assessment = services.self_assessment_start(
            actor=request.user, programme=programme, city=city_obj, theme=theme, phase=phase
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("assessments:home", slug=slug)
    return redirect(_assessment_url(assessment))


@login_required
@require_http_methods(["GET", "POST"])
def assessment_detail(
    request: HttpRequest, slug: str, city: str, code: str, phase: str
) -> HttpResponse:
    programme = programme_get(request.user, slug)
    assessment = selectors.self_assessment_get(request.user, programme, city, code, phase)
    ratings = list(assessment.ratings.all())
    scale = selectors.rating_scale(programme)
    editable = can_edit_assessment(request.user, assessment)
    status = 200
    form = None
    if editable:
        form = SelfAssessmentForm(
            request.POST or None,
            request.FILES or None,
            ratings=ratings,
            scale=scale,
            initial={"revision": assessment.revision},
        )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(editable.reason)
        if form.is_valid():
            submit = "submit" in request.POST
            saved = None
            try:
                saved = services.self_assessment_save(
                    actor=request.user,
                    assessment=assessment,
                    expected_revision=form.cleaned_data["revision"],
                    ratings={code_: RatingInput(*entry) for code_, entry in form.entries().items()},
                    attachments=form.uploads(),
                )
                if submit:
                    services.self_assessment_submit(
                        actor=request.user, assessment=saved, expected_revision=saved.revision
                    )
            except DomainError as error:
                if saved is not None:  # the draft was saved, only the submission was refused
                    data = request.POST.copy()
                    data["revision"] = str(saved.revision)
                    form = SelfAssessmentForm(data, ratings=ratings, scale=scale)
                    form.is_valid()
                status = _refused(form, error, selectors.assessment_revision(assessment))
                if status == 409:  # show what the colleague saved next to each key factor
                    form.saved = selectors.saved_ratings(assessment)
            else:
                messages.success(
                    request,
                    _("Submitted: the facilitator of the theme will review it.")
                    if submit
                    else _("The draft is saved. You can come back to it at any time."),
                )
                return redirect(_assessment_url(assessment))
        else:
            status = 400
    review_form = ReviewForm(initial={"revision": assessment.revision})
    return _assessment_page(request, assessment, form, review_form, status, scale)


def _can_review(user: Any, assessment: Any) -> bool:
    return transition_allowed(user, assessment, Transition.ACCEPT) or transition_allowed(
        user, assessment, Transition.RETURN
    )


def _assessment_page(
    request: HttpRequest,
    assessment: Any,
    form: SelfAssessmentForm | None,
    review_form: ReviewForm,
    status: int = 200,
    scale: list[Any] | None = None,
) -> HttpResponse:
    programme = assessment.programme
    return render(
        request,
        "assessments/assessment.html",
        {
            "assessment": assessment,
            "programme": programme,
            "ratings": list(assessment.ratings.all()),
            "scale": scale if scale is not None else selectors.rating_scale(programme),
            "form": form,
            "previous": selectors.previous_levels(request.user, assessment),
            "can_review": _can_review(request.user, assessment),
            "review_form": review_form,
            "tab": "assessments",
        },
        status=status,
    )


@login_required
@require_POST
def assessment_review(
    request: HttpRequest, slug: str, city: str, code: str, phase: str
) -> HttpResponse:
    programme = programme_get(request.user, slug)
    assessment = selectors.self_assessment_get(request.user, programme, city, code, phase)
    if not _can_review(request.user, assessment):
        raise PermissionDenied(_("Only the theme's facilitator and the coordinators review it."))
    form = ReviewForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            services.self_assessment_review(
                actor=request.user,
                assessment=assessment,
                accept=form.cleaned_data["decision"] == "accept",
                comment=form.cleaned_data["comment"],
                expected_revision=form.cleaned_data["revision"],
            )
        except DomainError as error:
            status = _refused(form, error, selectors.assessment_revision(assessment))
            if status == 409:  # show the assessment as it is now
                assessment = selectors.self_assessment_get(
                    request.user, programme, city, code, phase
                )
        else:
            messages.success(request, _("Your review is recorded and the city can see it."))
            return redirect(_assessment_url(assessment))
    return _assessment_page(request, assessment, None, form, status)


@login_required
def attachment_download(
    request: HttpRequest, slug: str, city: str, code: str, phase: str, pk: int
) -> FileResponse:
    programme = programme_get(request.user, slug)
    attachment = selectors.attachment_get(request.user, programme, city, code, phase, pk)
    return private_file_response(attachment.file, attachment.name)


@login_required
@require_POST
def attachment_remove(
    request: HttpRequest, slug: str, city: str, code: str, phase: str, pk: int
) -> HttpResponse:
    programme = programme_get(request.user, slug)
    attachment = selectors.attachment_get(request.user, programme, city, code, phase, pk)
    assessment = attachment.rating.assessment
    try:
        services.attachment_delete(actor=request.user, attachment=attachment)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("“%(name)s” is removed.") % {"name": attachment.name})
    return redirect(_assessment_url(assessment))


# ---------------------------------------------------------------- wishes


@login_required
@require_http_methods(["GET", "POST"])
def wishes_edit(request: HttpRequest, slug: str, city: str) -> HttpResponse:
    programme = programme_get(request.user, slug)
    city_obj = city_get(request.user, slug, city)
    decision = can_edit_wishes(request.user, programme, city_obj)
    if not decision:
        raise PermissionDenied(decision.reason)
    themes = list(programme.themes.all())
    wishes = selectors.theme_wishes_get(request.user, programme, city_obj)
    status = 200
    if request.method == "POST":
        form = ThemeWishesForm(request.POST, themes=themes)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.theme_wishes_update(
                    actor=request.user,
                    programme=programme,
                    city=city_obj,
                    expected_revision=data["revision"],
                    mentor_themes=list(data["mentor_themes"]),
                    implement_themes=list(data["implement_themes"]),
                    max_mentees=data["max_mentees"],
                )
            except DomainError as error:
                current = selectors.theme_wishes_get(request.user, programme, city_obj)
                status = _refused(form, error, current.revision if current else None)
            else:
                messages.success(request, _("The city's theme wishes are saved."))
                return redirect("assessments:home", slug=slug)
        else:
            status = 400
    else:
        initial: dict[str, Any] = {"revision": wishes.revision if wishes else None}
        if wishes is not None:
            initial.update(
                mentor_themes=list(wishes.mentor_themes.all()),
                implement_themes=list(wishes.implement_themes.all()),
                max_mentees=str(wishes.max_mentees),
            )
        form = ThemeWishesForm(initial=initial, themes=themes)
    return render(
        request,
        "assessments/wishes.html",
        {"programme": programme, "city": city_obj, "form": form, "tab": "assessments"},
        status=status,
    )


# ---------------------------------------------------------------- gap analysis


@login_required
def city_gaps(request: HttpRequest, slug: str, city: str) -> HttpResponse:
    gaps = selectors.city_gaps(request.user, slug, city)
    chart_list = [
        (theme, charts.bar_chart(theme.lines, theme.phases, gaps.scale)) for theme in gaps.themes
    ]
    return render(
        request,
        "assessments/city_gaps.html",
        {
            "gaps": gaps,
            "programme": gaps.programme,
            "charts": chart_list,
            "threshold": selectors.gap_threshold(gaps.top),
            "tab": "assessments",
        },
    )


@login_required
def theme_gaps(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    phase = request.GET.get("phase", Phase.BASELINE)
    if phase not in Phase.values:
        phase = Phase.BASELINE
    comparison = selectors.theme_comparison(request.user, slug, code, phase)
    return render(
        request,
        "assessments/theme_gaps.html",
        {
            "comparison": comparison,
            "programme": comparison.programme,
            "heat": charts.heat_map(comparison),
            "phases": list(Phase),
            "tab": "assessments",
        },
    )
