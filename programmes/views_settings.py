"""The coordinators' settings screens: the programme's period and its key dates (thin views)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.errors import ConcurrentEditError, DomainError
from core.forms import show_refusal

from . import selectors
from .forms import TeamRulesForm
from .forms_settings import KeyDateForm, KeyDateRemoveForm, PeriodForm
from .models import KeyDate, Programme
from .permissions import can_manage_programme
from .services.settings import (
    key_date_create,
    key_date_remove,
    key_date_revision,
    key_date_update,
    programme_period_update,
)


def _coordinated_programme(request: HttpRequest, slug: str) -> Programme:
    """The programme, for its coordinators; everyone else never learns the pages exist."""
    programme = selectors.programme_get(request.user, slug)
    if not can_manage_programme(request.user, programme.pk):
        raise Http404("No settings here")
    return programme


def _key_date(programme: Programme, pk: int) -> KeyDate:
    found = KeyDate.objects.filter(programme=programme, pk=pk).first()
    if found is None:
        raise Http404("No such key date")
    return found


def _retry(form_class: Any, data: Any, field: str, value: int) -> Any:
    """The refused form again, with the typed values and the revision now saved."""
    retry = data.copy()
    retry[field] = str(value)
    form = form_class(retry)
    form.is_valid()
    return form


def _settings_page(
    request: HttpRequest,
    programme: Programme,
    *,
    form: Any = None,
    saved: Any = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "programmes/settings.html",
        {
            "programme": programme,
            "tab": "settings",
            "form": form or PeriodForm.for_programme(programme),
            "team_form": TeamRulesForm.for_programme(programme),
            "key_dates": list(programme.key_dates.all()),
            "saved": saved,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def settings(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _coordinated_programme(request, slug)
    if request.method != "POST":
        return _settings_page(request, programme)
    form = PeriodForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            programme_period_update(
                actor=request.user,
                programme=programme,
                expected_version=data["version"],
                start_date=data["start_date"],
                end_date=data["end_date"],
            )
        except ConcurrentEditError as error:
            saved = Programme.objects.get(pk=programme.pk)
            form = _retry(PeriodForm, request.POST, "version", saved.version)
            form.add_error(None, error.message)
            return _settings_page(request, saved, form=form, saved=saved, status=409)
        except DomainError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The programme's period is saved."))
            return redirect("programmes:settings", slug=slug)
    return _settings_page(request, programme, form=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def key_date_new(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _coordinated_programme(request, slug)
    form = KeyDateForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                key_date_create(actor=request.user, programme=programme, data=form.to_input())
            except DomainError as error:
                show_refusal(form, error)
            else:
                messages.success(request, _("The key date is added."))
                return redirect("programmes:settings", slug=slug)
    return render(
        request,
        "programmes/settings_key_date.html",
        {"programme": programme, "tab": "settings", "form": form, "key_date": None},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def key_date_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = _coordinated_programme(request, slug)
    key_date = _key_date(programme, pk)
    context: dict[str, Any] = {"programme": programme, "tab": "settings", "key_date": key_date}
    if request.method != "POST":
        context["form"] = KeyDateForm.for_key_date(key_date)
        return render(request, "programmes/settings_key_date.html", context)
    form = KeyDateForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            key_date_update(
                actor=request.user,
                programme=programme,
                pk=key_date.pk,
                expected_revision=form.cleaned_data["revision"] or 0,
                data=form.to_input(),
            )
        except ConcurrentEditError as error:
            saved = _key_date(programme, pk)  # a 404 if a colleague removed it
            form = _retry(KeyDateForm, request.POST, "revision", key_date_revision(saved))
            form.add_error(None, error.message)
            context["saved"], status = saved, 409
        except DomainError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The key date is saved."))
            return redirect("programmes:settings", slug=slug)
    context["form"] = form
    return render(request, "programmes/settings_key_date.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def key_date_remove_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = _coordinated_programme(request, slug)
    key_date = _key_date(programme, pk)
    status = 200
    if request.method == "POST":
        form = KeyDateRemoveForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                key_date_remove(
                    actor=request.user,
                    programme=programme,
                    pk=key_date.pk,
                    expected_revision=form.cleaned_data["revision"],
                )
            except ConcurrentEditError as error:
                key_date = _key_date(programme, pk)  # a 404 if a colleague removed it
                form = _retry(
                    KeyDateRemoveForm, request.POST, "revision", key_date_revision(key_date)
                )
                form.add_error(None, error.message)
                status = 409
            except DomainError as error:
                show_refusal(form, error)
            else:
                messages.success(request, _("The key date is removed."))
                return redirect("programmes:settings", slug=slug)
    else:
        form = KeyDateRemoveForm(initial={"revision": key_date_revision(key_date)})
    return render(
        request,
        "programmes/settings_key_date_remove.html",
        {"programme": programme, "tab": "settings", "key_date": key_date, "form": form},
        status=status,
    )
