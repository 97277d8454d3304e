"""Thin views of the knowledge base: parse, call one service or selector, render or redirect."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import ConcurrentEditError, DomainError
from core.forms import show_refusal
from programmes.selectors import programme_get

from . import selectors
from .exports import toolkit_pdf
from .forms import (
    FeedbackForm,
    PracticeForm,
    RecommendationForm,
    StepForm,
    ToolkitCreateForm,
    ToolkitForm,
    ToolkitPracticeForm,
    practice_initial,
)
from .models import PracticeTheme
from .permissions import can_author_practice, can_compose_toolkits, is_practice_editor
from .search.engine import SORTS, practice_search, search_request_from
from .services.exchange import practices_export, practices_for_export
from .services.indexing import Facet
from .services.practices import practice_create, practice_input_of, practice_update
from .services.toolkits import (
    toolkit_create,
    toolkit_feedback_give,
    toolkit_practice_add,
    toolkit_practice_remove,
    toolkit_recommendation_add,
    toolkit_recommendation_remove,
    toolkit_update,
)
from .workflow import (
    PRACTICE_STEPS,
    TOOLKIT_STEPS,
    PracticeStep,
    ToolkitStep,
    practice_step,
    toolkit_step,
)

# ---------------------------------------------------------------- search


def practice_list(request: HttpRequest) -> HttpResponse:
    result = practice_search(search_request_from(request.GET))
    selectors.facet_labels(result)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "knowledge/practice_list.html",
        {
            "result": result,
            "query": request.GET.get("q", ""),
            "sorts": [(s, SORT_LABELS[s]) for s in SORTS],
            "facet_groups": [(f, FACET_TITLES[f], result.facets.get(f, [])) for f in Facet.ALL],
            "page_query": params.urlencode(),
            "can_author": can_author_practice(request.user),
            "is_editor": is_practice_editor(request.user),
        },
    )


SORT_LABELS = {
    "relevance": gettext_lazy("Best match"),
    "newest": gettext_lazy("Newest first"),
    "oldest": gettext_lazy("Oldest first"),
    "title": gettext_lazy("Title"),
    "city": gettext_lazy("City"),
}
FACET_TITLES = {
    Facet.THEME: gettext_lazy("Theme"),
    Facet.KEY_FACTOR: gettext_lazy("Key factor"),
    Facet.CHARTER_ROLE: gettext_lazy("Charter role"),
    Facet.MODULE: gettext_lazy("European module"),
    Facet.COUNTRY: gettext_lazy("Country"),
    Facet.CITY: gettext_lazy("City"),
    Facet.TARGET_GROUP: gettext_lazy("Target group"),
    Facet.SOURCE: gettext_lazy("Source"),
    Facet.YEAR: gettext_lazy("Start year"),
    Facet.STATUS: gettext_lazy("Status"),
}


# ---------------------------------------------------------------- practices


def practice_detail(request: HttpRequest, reference: str) -> HttpResponse:
    page = selectors.practice_page(request.user, reference)
    return render(request, "knowledge/practice.html", {"page": page, "p": page.practice})


@login_required
@require_http_methods(["GET", "POST"])
def practice_new(request: HttpRequest) -> HttpResponse:
    if not can_author_practice(request.user):
        raise Http404("No such page")
    choices = selectors.practice_form_choices()
    form = PracticeForm(request.POST if request.method == "POST" else None, choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            practice = practice_create(actor=request.user, data=form.to_input())
        except DomainError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The practice is saved as a draft."))
            return redirect("knowledge:practice", practice.reference)
    return render(request, "knowledge/practice_form.html", {"form": form, "practice": None})


@login_required
@require_http_methods(["GET", "POST"])
def practice_edit(request: HttpRequest, reference: str) -> HttpResponse:
    page = selectors.practice_page(request.user, reference)
    if not page.can_edit:
        raise Http404("No such page")
    practice = page.practice
    choices = selectors.practice_form_choices()
    if request.method == "POST":
        form = PracticeForm(request.POST, choices=choices)
        if form.is_valid():
            try:
                practice = practice_update(
                    actor=request.user,
                    practice=practice,
                    data=form.to_input(illustrative=practice.illustrative),
                    revision=form.cleaned_data["revision"] or 0,
                )
            except ConcurrentEditError as error:
                form.add_error(None, error.message)
                return render(
                    request,
                    "knowledge/practice_form.html",
                    {"form": form, "practice": practice},
                    status=409,
                )
            except DomainError as error:
                show_refusal(form, error)
            else:
                messages.success(request, _("The practice is saved."))
                return redirect("knowledge:practice", practice.reference)
    else:
        form = PracticeForm(
            initial=practice_initial(practice_input_of(practice), practice.revision),
            choices=choices,
        )
    return render(request, "knowledge/practice_form.html", {"form": form, "practice": practice})


@login_required
@require_http_methods(["GET", "POST"])
def practice_step_view(request: HttpRequest, reference: str, step: str) -> HttpResponse:
    page = selectors.practice_page(request.user, reference)
    try:
        chosen = PracticeStep(step)
    except ValueError:
        raise Http404("No such step") from None
    if chosen not in dict(page.steps):
        raise Http404("No such step")
    rule = PRACTICE_STEPS[chosen]
    form = StepForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            practice_step(
                actor=request.user,
                practice=page.practice,
                step=chosen,
                comment=form.cleaned_data["comment"],
            )
        except DomainError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Done: %(step)s.") % {"step": rule.label})
            return redirect("knowledge:practice", reference)
    return render(
        request,
        "knowledge/practice_step.html",
        {"form": form, "p": page.practice, "rule": rule},
    )


@login_required
def editorial(request: HttpRequest) -> HttpResponse:
    if not can_author_practice(request.user):
        raise Http404("No such page")
    return render(
        request,
        "knowledge/editorial.html",
        {
            "queue": selectors.editorial_queue(request.user),
            "is_editor": is_practice_editor(request.user),
        },
    )


@login_required
def practice_export(request: HttpRequest) -> HttpResponse:
    """All practices as a file, for the editors (drafts included)."""
    if not is_practice_editor(request.user):
        raise Http404("No such page")
    file_format = "csv" if request.GET.get("format") == "csv" else "json"
    text = practices_export(practices_for_export(), file_format)
    content_type = "text/csv" if file_format == "csv" else "application/json"
    response = HttpResponse(text, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="practices.{file_format}"'
    return response


# ---------------------------------------------------------------- recommendations


@login_required
def city_recommendations(request: HttpRequest, programme: str, city: str) -> HttpResponse:
    found = selectors.recommendations_for_city(request.user, programme, city)
    return render(
        request, "knowledge/recommendations.html", {"found": found, "programme": found.programme}
    )


# ---------------------------------------------------------------- toolkits


def _toolkit_form(data: Any = None) -> ToolkitCreateForm:
    themes = [(t.code, t.title) for t in PracticeTheme.objects.all()]
    return ToolkitCreateForm(data, themes=themes, prefix="new")


def _toolkit_list_page(
    request: HttpRequest, form: Any = None, chosen: str = "", status: int = 200
) -> HttpResponse:
    composable = selectors.programmes_composable(request.user)
    if form is None and composable:
        form = _toolkit_form()
    return render(
        request,
        "knowledge/toolkit_list.html",
        {
            "toolkits": selectors.toolkits_list(request.user),
            "composable": composable,
            "form": form,
            "chosen_programme": chosen,
        },
        status=status,
    )


def toolkit_list(request: HttpRequest) -> HttpResponse:
    return _toolkit_list_page(request)


@login_required
@require_POST
def toolkit_new(request: HttpRequest, programme: str) -> HttpResponse:
    programme_obj = programme_get(request.user, programme)
    if not can_compose_toolkits(request.user, programme_obj.pk):
        raise Http404("No such page")
    form = _toolkit_form(request.POST)
    if form.is_valid():
        try:
            toolkit = toolkit_create(
                actor=request.user,
                programme=programme_obj,
                theme_code=form.cleaned_data["theme"],
                title=form.cleaned_data["title"],
            )
        except DomainError as error:
            show_refusal(form, error)
        else:
            return redirect("knowledge:toolkit_compose", toolkit.slug)
    return _toolkit_list_page(request, form, programme_obj.slug, status=400)


def _factor_choices(page: selectors.ToolkitPage) -> list[tuple[str, str]]:
    return [
        (s.key_factor.code, f"{s.key_factor.code.upper()}. {s.key_factor.title}")
        for s in page.sections
        if s.key_factor
    ]


def toolkit_detail(request: HttpRequest, slug: str) -> HttpResponse:
    page = selectors.toolkit_page(request.user, slug)
    form = _feedback_form(page)
    return render(
        request,
        "knowledge/toolkit.html",
        {"page": page, "toolkit": page.toolkit, "feedback_form": form},
    )


def _feedback_form(page: selectors.ToolkitPage, data: Any = None) -> FeedbackForm | None:
    if not page.feedback_cities or page.toolkit.state != "published":
        return None
    return FeedbackForm(
        data,
        cities=[(c.pk, c.name) for c in page.feedback_cities],
        factors=_factor_choices(page),
    )


def toolkit_factor(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    page = selectors.toolkit_page(request.user, slug)
    section = next((s for s in page.sections if s.key_factor and s.key_factor.code == code), None)
    if section is None:
        raise Http404("No such key factor")
    return render(
        request,
        "knowledge/toolkit_factor.html",
        {"page": page, "toolkit": page.toolkit, "section": section},
    )


def toolkit_pdf_view(request: HttpRequest, slug: str) -> HttpResponse:
    page = selectors.toolkit_page(request.user, slug)
    response = HttpResponse(toolkit_pdf(page), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{page.toolkit.slug}.pdf"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def toolkit_compose(request: HttpRequest, slug: str) -> HttpResponse:
    page = selectors.toolkit_page(request.user, slug)
    if not page.can_edit:
        raise Http404("No such page")
    toolkit = page.toolkit
    factors = _factor_choices(page)
    form = ToolkitForm(
        request.POST if request.method == "POST" else None,
        initial={
            "title": toolkit.title,
            "introduction": toolkit.introduction,
            "language": toolkit.language,
            "revision": toolkit.revision,
        },
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            toolkit_update(
                actor=request.user,
                toolkit=toolkit,
                revision=form.cleaned_data["revision"],
                title=form.cleaned_data["title"],
                introduction=form.cleaned_data["introduction"],
                language=form.cleaned_data["language"],
            )
        except ConcurrentEditError as error:
            form.add_error(None, error.message)
            status = 409
        except DomainError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The toolkit is saved."))
            return redirect("knowledge:toolkit_compose", slug)
    return _compose_page(request, page, form=form, status=status, factors=factors)


def _compose_page(
    request: HttpRequest,
    page: selectors.ToolkitPage,
    *,
    factors: list[Any],
    form: Any = None,
    recommendation_form: Any = None,
    practice_form: Any = None,
    status: int = 200,
) -> HttpResponse:
    toolkit = page.toolkit
    return render(
        request,
        "knowledge/toolkit_compose.html",
        {
            "page": page,
            "toolkit": toolkit,
            "form": form
            or ToolkitForm(
                initial={
                    "title": toolkit.title,
                    "introduction": toolkit.introduction,
                    "language": toolkit.language,
                    "revision": toolkit.revision,
                }
            ),
            "recommendation_form": recommendation_form
            or RecommendationForm(factors=factors, prefix="rec"),
            "practice_form": practice_form or ToolkitPracticeForm(factors=factors, prefix="prac"),
            "suggestions": selectors.toolkit_suggestions(page),
        },
        status=status,
    )


def _compose_post(
    request: HttpRequest,
    slug: str,
    form_class: Any,
    prefix: str,
    save: Any,
    done: str,
) -> HttpResponse:
    """Add one item to a toolkit from the compose page; a refusal shows the page again with
    the message next to the field and what was typed."""
    page = selectors.toolkit_page(request.user, slug)
    if not page.can_edit:
        raise Http404("No such page")
    factors = _factor_choices(page)
    form = form_class(request.POST, factors=factors, prefix=prefix)
    if form.is_valid():
        try:
            save(page.toolkit, form.cleaned_data)
        except DomainError as error:
            show_refusal(form, error)
        else:
            messages.success(request, done)
            return redirect("knowledge:toolkit_compose", slug)
    forms = {"recommendation_form" if prefix == "rec" else "practice_form": form}
    return _compose_page(request, page, factors=factors, status=400, **forms)


@login_required
@require_POST
def toolkit_recommendation_new(request: HttpRequest, slug: str) -> HttpResponse:
    def save(toolkit: Any, data: dict[str, Any]) -> None:
        toolkit_recommendation_add(
            actor=request.user,
            toolkit=toolkit,
            text=data["text"],
            key_factor_code=data["key_factor"],
        )

    done = _("The recommendation is added.")
    return _compose_post(request, slug, RecommendationForm, "rec", save, done)


@login_required
@require_POST
def toolkit_practice_new(request: HttpRequest, slug: str) -> HttpResponse:
    def save(toolkit: Any, data: dict[str, Any]) -> None:
        toolkit_practice_add(
            actor=request.user,
            toolkit=toolkit,
            reference=data["practice"],
            key_factor_code=data["key_factor"],
            note=data["note"],
        )

    return _compose_post(
        request, slug, ToolkitPracticeForm, "prac", save, _("The practice is added.")
    )


@login_required
@require_POST
def toolkit_item_remove(request: HttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    page = selectors.toolkit_page(request.user, slug)
    if not page.can_edit:
        raise Http404("No such page")
    removers = {
        "recommendations": toolkit_recommendation_remove,
        "practices": toolkit_practice_remove,
    }
    if kind not in removers:
        raise Http404("No such item")
    remove = removers[kind]
    try:
        remove(actor=request.user, toolkit=page.toolkit, pk=pk)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Removed."))
    return redirect("knowledge:toolkit_compose", slug)


@login_required
@require_POST
def toolkit_step_view(request: HttpRequest, slug: str, step: str) -> HttpResponse:
    page = selectors.toolkit_page(request.user, slug)
    try:
        chosen = ToolkitStep(step)
    except ValueError:
        raise Http404("No such step") from None
    if chosen not in dict(page.steps):
        raise Http404("No such step")
    try:
        toolkit_step(
            actor=request.user,
            toolkit=page.toolkit,
            step=chosen,
            accept_empty_factors=request.POST.get("accept_empty_factors") == "on",
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Done: %(step)s.") % {"step": TOOLKIT_STEPS[chosen].label})
    return redirect("knowledge:toolkit", slug)


@login_required
@require_POST
def toolkit_feedback_new(request: HttpRequest, slug: str) -> HttpResponse:
    page = selectors.toolkit_page(request.user, slug)
    form = _feedback_form(page, request.POST)
    if form is None:
        raise Http404("No such page")
    if form.is_valid():
        city = next(c for c in page.feedback_cities if str(c.pk) == form.cleaned_data["city"])
        try:
            toolkit_feedback_give(
                actor=request.user,
                toolkit=page.toolkit,
                city=city,
                text=form.cleaned_data["text"],
                key_factor_code=form.cleaned_data["key_factor"],
            )
        except DomainError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Thank you: your feedback is recorded."))
            return redirect("knowledge:toolkit", slug)
    return render(
        request,
        "knowledge/toolkit.html",
        {"page": page, "toolkit": page.toolkit, "feedback_form": form},
        status=400,
    )
