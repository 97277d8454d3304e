"""Thin views of the matching workflow (coordinators run and accept; auditors read)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import DomainError
from programmes.permissions import can_manage_programme
from programmes.selectors import city_get
from programmes.services import pair_mentor_change

from . import selectors
from .forms import CITY_LIST_ID, AcceptForm, MentorChangeForm, RunForm
from .services import match_run_accept, match_run_create
from .tasks import match_run_enqueue


def _can_manage(request: HttpRequest, programme_id: int) -> bool:
    return can_manage_programme(request.user, programme_id)


@login_required
@require_http_methods(["GET", "POST"])
def home(request: HttpRequest, slug: str) -> HttpResponse:
    programme = selectors.programme_for_matching(request.user, slug)
    context = selectors.run_form_context(programme)
    can_manage = _can_manage(request, programme.pk)
    form = RunForm(
        request.POST if request.method == "POST" else None,
        themes=context.themes,
        pairs=context.pairs,
        has_current=context.has_current,
        chooser=selectors.city_chooser(programme),
        suggest_url=reverse("matching:cities", args=[slug]),
    )
    status = 200
    if request.method == "POST":
        if not can_manage:
            return HttpResponse(status=403)
        if form.is_valid():
            try:
                run = match_run_create(
                    actor=request.user, programme=programme, run_settings=form.run_settings()
                )
            except DomainError as error:
                form.add_error(None, error.message)
                status = 400
            else:
                if match_run_enqueue(run):
                    messages.info(request, _("The matching runs in the background."))
                return redirect("matching:run", slug=slug, pk=run.pk)
        else:
            status = 400
    page = selectors.matching_home(
        request.user, slug, query=request.GET.get("q", ""), page=request.GET.get("page", 1)
    )
    return render(
        request,
        "matching/home.html",
        {
            "page": page,
            "programme": programme,
            "form": form,
            "city_list_id": CITY_LIST_ID,
            "can_manage": can_manage,
            "tab": "matching",
        },
        status=status,
    )


@login_required
def cities(request: HttpRequest, slug: str) -> JsonResponse:
    """The cities of a run's form matching what a coordinator types (`?q=`), for the city
    fields' suggestions (static/js/suggest.js)."""
    programme = selectors.programme_for_matching(request.user, slug)
    if not _can_manage(request, programme.pk):
        raise Http404("Only coordinators name cities in a run")
    found, more = selectors.city_chooser(programme).search(request.GET.get("q", "")[:120])
    return JsonResponse({"results": [{"id": c.key, "label": c.label} for c in found], "more": more})


@login_required
def run_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    report = selectors.match_run_report(request.user, slug, pk)
    can_manage = _can_manage(request, report.run.programme_id)
    preview = selectors.acceptance_preview(report.run) if can_manage else None
    return render(
        request,
        "matching/run.html",
        {
            "report": report,
            "run": report.run,
            "progress": selectors.run_progress(report.run),
            "programme": report.run.programme,
            "can_manage": can_manage,
            "preview": preview,
            "accept_form": AcceptForm(preview=preview),
            "tab": "matching",
        },
    )


@login_required
def run_progress(request: HttpRequest, slug: str, pk: int) -> JsonResponse:
    """The run's state for the page's progress display (polled while it runs)."""
    run = selectors.match_run_report(request.user, slug, pk).run
    progress = selectors.run_progress(run)
    return JsonResponse({"status": run.status, "finished": run.is_finished, "progress": progress})


@login_required
def run_problem(request: HttpRequest, slug: str, pk: int) -> JsonResponse:
    """The run's problem as a file, to re-run it with `citiesgrow-match`."""
    run = selectors.match_run_report(request.user, slug, pk).run
    response = JsonResponse(run.problem, json_dumps_params={"indent": 2})
    response["Content-Disposition"] = f'attachment; filename="{slug}-run-{run.number}.json"'
    return response


@login_required
@require_POST
def run_accept(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    run = selectors.match_run_report(request.user, slug, pk).run
    form = AcceptForm(request.POST, preview=selectors.acceptance_preview(run))
    if not form.is_valid():
        messages.error(request, _("Choose what becomes of each visit not yet held."))
        return redirect("matching:run", slug=slug, pk=pk)
    try:
        change = match_run_accept(actor=request.user, run=run, fates=form.fates())
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("matching:run", slug=slug, pk=pk)
    messages.success(
        request,
        _(
            "Run %(n)d is accepted: the schemes now hold its %(count)d pairs "
            "(%(kept)d kept, %(ended)d ended, %(new)d new)."
        )
        % {
            "n": run.number,
            "count": len(change.current),
            "kept": len(change.kept),
            "ended": len(change.ending),
            "new": len(change.created),
        },
    )
    return redirect("matching:home", slug=slug)


@login_required
def compare(request: HttpRequest, slug: str) -> HttpResponse:
    pks = [int(v) for v in request.GET.getlist("run") if v.isascii() and v.isdigit()]
    programme, reports = selectors.match_runs_compare(request.user, slug, pks)
    themes = sorted({p.theme for r in reports for p in r.pairs})
    return render(
        request,
        "matching/compare.html",
        {"programme": programme, "reports": reports, "themes": themes, "tab": "matching"},
    )


@login_required
@require_POST
def mentor_change(request: HttpRequest, slug: str, city: str) -> HttpResponse:
    programme = selectors.programme_for_matching(request.user, slug)
    implementing = city_get(request.user, slug, city)
    form = MentorChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a mentor city."))
    else:
        try:
            mentor = city_get(request.user, slug, form.cleaned_data["mentor"])
            pair_mentor_change(
                actor=request.user, programme=programme, implementing=implementing, mentor=mentor
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("%(mentor)s now mentors %(city)s; the pair's value is re-scored below.")
                % {"mentor": mentor.name, "city": implementing.name},
            )
    return redirect("matching:home", slug=slug)
