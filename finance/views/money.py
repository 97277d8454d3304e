"""The programme's money screens: the budget dashboard with its lines and transfers, the
monthly exchange rates, staff-cost rates, a city's co-financing and workload, and the
statements to the funder with their files."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import ConcurrentEditError, DomainError
from core.files import private_file_response
from core.forms import show_refusal
from core.generated_files import is_stale
from programmes.selectors import programme_get

from .. import selectors
from ..charts import burndown_chart
from ..forms import (
    PARTNER_LIST_ID,
    BudgetLineForm,
    ExchangeRateForm,
    OverrideForm,
    RatesImportForm,
    StaffRateForm,
    StatementForm,
    TransferForm,
)
from ..models import Statement
from ..permissions import (
    can_manage_finance,
    can_view_city_money,
    can_view_finance,
    salary_settable_ids,
)
from ..services.budget import budget_line_create, budget_override_grant, budget_transfer
from ..services.rates import exchange_rate_save, exchange_rates_import, staff_rate_save
from ..services.statement_files import statement_files_request
from ..services.statements import statement_create, statement_page, statement_sign_off


def _finance_programme(request: HttpRequest, slug: str) -> Any:
    """The programme, for the roles that read its books (a 404 for everyone else)."""
    programme = programme_get(request.user, slug)
    if not can_view_finance(request.user, programme):
        raise Http404("No such page")
    return programme


# ---------------------------------------------------------------- budget


def _budget_of(request: HttpRequest, programme: Any) -> selectors.BudgetPage:
    """The budget's page the request is on (its search and page number travel in the address,
    the forms' too, so a refused form comes back on the same partners)."""
    return selectors.budget_page(
        programme, query=request.GET.get("q", ""), page=request.GET.get("page", 1)
    )


def _budget_redirect(slug: str, budget: selectors.BudgetPage) -> HttpResponse:
    url = reverse("finance:budget", args=[slug])
    return redirect(f"{url}?{budget.query_string}" if budget.query_string else url)


def _budget_page(
    request: HttpRequest,
    programme: Any,
    budget: selectors.BudgetPage,
    *,
    line_form: Any = None,
    transfer_form: Any = None,
    override_form: Any = None,
    status: int = 200,
) -> HttpResponse:
    manager = can_manage_finance(request.user, programme)
    lines = budget.lines
    partners = budget.partners
    return render(
        request,
        "finance/budget.html",
        {
            "programme": programme,
            "tab": "finance",
            "budget": budget,
            "overview": budget.overview,
            "ledger": budget.ledger,
            "transfers": selectors.budget_transfers(programme, partners),
            "line_form": line_form
            or (BudgetLineForm(partners=partners) if manager and partners else None),
            "transfer_form": transfer_form
            or (_transfer_form(programme, lines) if manager and lines else None),
            "partner_list_id": PARTNER_LIST_ID,
            "overrides": selectors.budget_overrides(programme, partners),
            "override_form": override_form
            or (OverrideForm(lines=lines) if manager and lines else None),
        },
        status=status,
    )


def _transfer_form(programme: Any, lines: list[Any], data: Any = None) -> TransferForm:
    return TransferForm(
        data,
        lines=lines,
        chooser=selectors.partner_chooser(programme),
        find_line=lambda partner_id, category: selectors.budget_line_of(
            programme, partner_id, category
        ),
        suggest_url=reverse("finance:partners", args=[programme.slug]),
    )


@login_required
def partners(request: HttpRequest, slug: str) -> JsonResponse:
    """The programme's partners whose name holds what a finance officer types (`?q=`), for the
    partner fields' suggestions (static/js/suggest.js)."""
    programme = _finance_programme(request, slug)
    if not can_manage_finance(request.user, programme):
        raise Http404("Only finance officers name partners in the budget's forms")
    found, more = selectors.partner_chooser(programme).search(request.GET.get("q", "")[:200])
    return JsonResponse({"results": [{"id": c.key, "label": c.label} for c in found], "more": more})


@login_required
def budget(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _finance_programme(request, slug)
    return _budget_page(request, programme, _budget_of(request, programme))


@login_required
@require_POST
def budget_line_new(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _finance_programme(request, slug)
    budget = _budget_of(request, programme)
    partners = budget.partners
    form = BudgetLineForm(request.POST, partners=partners)
    if form.is_valid():
        partner = next(p for p in partners if p.pk == form.cleaned_data["partner"])
        try:
            budget_line_create(
                actor=request.user,
                programme=programme,
                partner=partner,
                category=form.cleaned_data["category"],
                planned_eur=form.cleaned_data["planned_eur"],
            )
        except DomainError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The budget line is opened."))
            return _budget_redirect(slug, budget)
    return _budget_page(request, programme, budget, line_form=form, status=400)


@login_required
@require_POST
def budget_transfer_new(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _finance_programme(request, slug)
    budget = _budget_of(request, programme)
    form = _transfer_form(programme, budget.lines, request.POST)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            budget_transfer(
                actor=request.user,
                programme=programme,
                source_id=data["source"],
                target_id=data["target"],
                amount_eur=data["amount_eur"],
                reason=data["reason"],
                revisions=form.shown_revisions(),
            )
        except DomainError as error:
            show_refusal(form, error)
            status = 409 if isinstance(error, ConcurrentEditError) else 400
        else:
            messages.success(request, _("The transfer is recorded."))
            return _budget_redirect(slug, budget)
    return _budget_page(request, programme, budget, transfer_form=form, status=status)


@login_required
@require_POST
def budget_override_new(request: HttpRequest, slug: str) -> HttpResponse:
    """Leave to spend beyond a line's plan, with the reason (another officer's approvals use it)."""
    programme = _finance_programme(request, slug)
    budget = _budget_of(request, programme)
    form = OverrideForm(request.POST, lines=budget.lines)
    if form.is_valid():
        try:
            budget_override_grant(
                actor=request.user,
                programme=programme,
                line_id=form.cleaned_data["line"],
                amount_eur=form.cleaned_data["amount_eur"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The override is recorded."))
            return _budget_redirect(slug, budget)
    return _budget_page(request, programme, budget, override_form=form, status=400)


# ---------------------------------------------------------------- exchange rates


def _rates_page(
    request: HttpRequest,
    programme: Any,
    *,
    form: Any = None,
    import_form: Any = None,
    status: int = 200,
) -> HttpResponse:
    manager = can_manage_finance(request.user, programme)
    currencies, months = selectors.exchange_rate_table(programme)
    return render(
        request,
        "finance/rates.html",
        {
            "programme": programme,
            "tab": "finance",
            "currencies": currencies,
            "months": months,
            "form": form or (ExchangeRateForm() if manager else None),
            "import_form": import_form or (RatesImportForm() if manager else None),
        },
        status=status,
    )


@login_required
def rates(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _finance_programme(request, slug)
    if request.method != "POST":
        return _rates_page(request, programme)
    form = ExchangeRateForm(request.POST)
    if form.is_valid():
        try:
            exchange_rate_save(actor=request.user, programme=programme, **form.cleaned_data)
        except DomainError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The rate is recorded."))
            return redirect("finance:rates", slug)
    return _rates_page(request, programme, form=form, status=400)


@login_required
@require_POST
def rates_import(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _finance_programme(request, slug)
    form = RatesImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            result = exchange_rates_import(
                actor=request.user, programme=programme, text=form.cleaned_data["file"]
            )
        except DomainError as error:
            show_refusal(form, error)
        else:
            messages.success(
                request,
                _("%(changed)s rates recorded, %(unchanged)s already known.")
                % {"changed": result.changed, "unchanged": result.unchanged},
            )
            return redirect("finance:rates", slug)
    return _rates_page(request, programme, import_form=form, status=400)


# ---------------------------------------------------------------- staff-cost rates


def _settable(request: HttpRequest, programme: Any, people: list[Any]) -> list[Any]:
    """Of these people, those whose rate the user may set, in the same order."""
    settable_ids = salary_settable_ids(request.user, programme, people)
    return [p for p in people if p.pk in settable_ids]


def _salaries_page(
    request: HttpRequest,
    programme: Any,
    *,
    form: Any = None,
    chosen: Any = None,
    status: int = 200,
) -> HttpResponse:
    """The page of rates the request is on (its search and page number in the address); the
    form offers the people of this page whose rate the user sets (and the one chosen)."""
    rates = selectors.staff_rates_page(
        request.user,
        programme,
        query=request.GET.get("q", ""),
        page=request.GET.get("page", 1),
    )
    people = rates.people
    if chosen is not None and chosen.pk not in {p.pk for p in people}:
        people = [chosen, *people]
    settable = _settable(request, programme, people)
    years = list(range(programme.start_date.year, programme.end_date.year + 1))
    if form is not None:
        form.fields["person"].choices = StaffRateForm.person_choices(settable)
    return render(
        request,
        "finance/salaries.html",
        {
            "programme": programme,
            "tab": "finance",
            "rates": rates,
            "form": form
            or (
                StaffRateForm(
                    people=settable,
                    years=years,
                    initial={"productive_hours": programme.default_productive_hours},
                )
                if settable
                else None
            ),
        },
        status=status,
    )


@login_required
def salaries(request: HttpRequest, slug: str) -> HttpResponse:
    """Staff-cost rates: each viewer sees only the salaries they may read (their own at least),
    a page at a time."""
    programme = programme_get(request.user, slug)
    if request.method != "POST":
        return _salaries_page(request, programme)
    posted = request.POST.get("person", "")
    # The person chosen, within what the user may read (a 404 beyond); settable or refused.
    chosen = (
        selectors.salary_person_get(request.user, programme, int(posted))
        if posted.isdigit()
        else None
    )
    years = list(range(programme.start_date.year, programme.end_date.year + 1))
    settable = _settable(request, programme, [chosen] if chosen is not None else [])
    form = StaffRateForm(request.POST, people=settable, years=years)
    if form.is_valid():
        data = dict(form.cleaned_data)
        person = selectors.salary_person_get(request.user, programme, data.pop("person"))
        try:
            staff_rate_save(actor=request.user, programme=programme, person=person, **data)
        except DomainError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The staff-cost rate is recorded."))
            return redirect("finance:salaries", slug)
    return _salaries_page(request, programme, form=form, chosen=chosen, status=400)


# ---------------------------------------------------------------- a city's page


@login_required
def city(request: HttpRequest, slug: str, city: str) -> HttpResponse:
    """A city's days against its allocation (a burn-down, per officer and activity) and, for
    its finance contact and the programme-wide roles, its co-financing."""
    programme = programme_get(request.user, slug)
    found = selectors.finance_city_get(request.user, programme, city)
    workload = selectors.city_workload(programme, found)
    return render(
        request,
        "finance/city.html",
        {
            "programme": programme,
            "tab": "finance",
            "city": found,
            "workload": workload,
            "chart": burndown_chart(workload, programme),
            "co_financing": selectors.city_co_financing(programme, found)
            if can_view_city_money(request.user, programme, found.pk)
            else None,
        },
    )


# ---------------------------------------------------------------- statements


def _statements_page(
    request: HttpRequest, programme: Any, *, form: Any = None, status: int = 200
) -> HttpResponse:
    manager = can_manage_finance(request.user, programme)
    return render(
        request,
        "finance/statements.html",
        {
            "programme": programme,
            "tab": "finance",
            "statements": selectors.statements_of(request.user, programme),
            "form": form or (_statement_form(programme) if manager else None),
            "partner_list_id": PARTNER_LIST_ID,
        },
        status=status,
    )


def _statement_form(programme: Any, data: Any = None) -> StatementForm:
    return StatementForm(
        data,
        kinds=Statement.Kind.choices,
        chooser=selectors.partner_chooser(programme),
        suggest_url=reverse("finance:partners", args=[programme.slug]),
    )


@login_required
def statements(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _finance_programme(request, slug)
    if request.method != "POST":
        return _statements_page(request, programme)
    form = _statement_form(programme, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            statement = statement_create(
                actor=request.user,
                programme=programme,
                kind=data["kind"],
                period_end=data["period_end"],
                partner=selectors.programme_partner_get(programme, data["partner"]),
            )
        except DomainError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The statement is prepared; what it reports is locked."))
            # Its files are generated on the queue, in the language of the one who prepared it.
            statement_files_request(
                actor=request.user, statement=statement, language=translation.get_language()
            )
            return redirect("finance:statement", slug, statement.pk)
    return _statements_page(request, programme, form=form, status=400)


def _files_context(request: HttpRequest, programme: Any, statement: Statement) -> dict[str, Any]:
    """The statement's files in the reader's language: ready, on their way, or to ask for."""
    files = selectors.statement_files_of(statement, translation.get_language())
    return {
        "programme": programme,
        "tab": "finance",
        "statement": statement,
        "files": files,
        "files_waiting": files is not None and not files.is_finished and not is_stale(files),
    }


def _statement_page(
    request: HttpRequest,
    programme: Any,
    statement: Statement,
    *,
    refusal: str = "",
    status: int = 200,
) -> HttpResponse:
    shown = statement_page(
        statement,
        partners_page=request.GET.get("partners_page", 1),
        staff_page=request.GET.get("staff_page", 1),
        travel_page=request.GET.get("travel_page", 1),
    )
    content = shown.content
    return render(
        request,
        "finance/statement.html",
        {
            **_files_context(request, programme, statement),
            "content": content,
            "shown": shown,
            "split": content.split,
            "eu_percent": content.rules.eu_rate * 100,
            "flat_percent": content.rules.indirect_rate * 100,
            "partner_rows": shown.partners,
            "may_sign_off": statement.status == Statement.Status.PREPARED
            and can_manage_finance(request.user, programme),
            "sign_off_refusal": refusal,
        },
        status=status,
    )


@login_required
def statement_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = programme_get(request.user, slug)
    return _statement_page(request, programme, selectors.statement_get(request.user, programme, pk))


@login_required
@require_POST
def statement_sign_off_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A second finance officer signs the statement off (the reason shown when refused)."""
    programme = programme_get(request.user, slug)
    statement = selectors.statement_get(request.user, programme, pk)
    try:
        statement_sign_off(actor=request.user, statement=statement)
    except DomainError as error:
        return _statement_page(request, programme, statement, refusal=error.message, status=400)
    messages.success(request, _("The statement is signed off."))
    return redirect("finance:statement", slug, statement.pk)


@login_required
@require_POST
def statement_files_new(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Ask for the statement's XLSX and PDF in the reader's language (generated on the queue)."""
    programme = programme_get(request.user, slug)
    statement = selectors.statement_get(request.user, programme, pk)
    try:
        statement_files_request(
            actor=request.user, statement=statement, language=translation.get_language()
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The files are being generated."))
    return redirect("finance:statement", slug, statement.pk)


@login_required
def statement_file(
    request: HttpRequest, slug: str, pk: int, file_format: str
) -> HttpResponse | FileResponse:
    """The file once generated; until then a page saying it is being generated (it reloads
    itself, and the download starts when the file is there)."""
    if file_format not in ("xlsx", "pdf"):
        raise Http404("No such format")
    programme = programme_get(request.user, slug)
    statement = selectors.statement_get(request.user, programme, pk)
    context = _files_context(request, programme, statement)
    files = context["files"]
    if files is not None and files.status == files.Status.DONE:
        name = f"statement-{statement.pk}-{statement.period_end}.{file_format}"
        return private_file_response(getattr(files, file_format), name)
    return render(request, "finance/statement_file_wait.html", context)
