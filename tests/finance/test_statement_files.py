"""A statement's files audit themselves: the XLSX keeps the inputs as values and computes
every derived figure with formulas over cells (the rates in named cells), saved with their
values; a real formula evaluator recomputes it to the page's figures; the PDF lists every line
with the same totals. Under each co-financing model.

The worked example (tests/finance/test_ledger.py), by hand:
Birmingham officer: 41,000.00 GBP / 1,720 h -> 23.84 GBP/h; 37.5 h -> 894.00 GBP -> 1,009.49 EUR.
Gdansk officer: 96,000.00 PLN / 1,720 h -> 55.81 PLN/h; 20 h -> 1,116.20 PLN -> 261.93 EUR.
Travel (on the coordinator): 450.00 GBP -> 508.13 EUR and 18.40 EUR.
Indirect at 7% of direct costs: 70.66, 18.34, 36.86. Partners' totals: Birmingham 1,080.15,
Gdansk 280.27, coordinator 563.39; eligible costs 1,923.81.
- city_staff: co-financing 1,009.49 + 261.93 = 1,271.42; EU 652.39.
- eu_rate (90%): co-financing 1,080.15 - 972.14 = 108.01, 280.27 - 252.24 = 28.03,
  563.39 - 507.05 = 56.34: 192.38; EU 1,923.81 - 192.38 = 1,731.43.
- fixed (Birmingham 500.00, Gdansk 400.00 capped at its 280.27, coordinator none): 780.27;
  EU min(1,731.43, 1,923.81 - 780.27) = 1,143.54.
"""

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from openpyxl import load_workbook
from pypdf import PdfReader

from core.money import format_money
from core.spreadsheets import Formula, FormulaBook
from finance.exports import statement_pdf, statement_xlsx
from finance.models import BudgetLine, PartnerCoFinancing
from finance.services.statements import statement_content, statement_create
from programmes.models import Programme
from tests.finance.test_ledger import _worked_example
from tests.finance.xlsx_formulas import as_cents, recomputed, reconcile

pytestmark = pytest.mark.django_db
D = Decimal
BASE = "https://platform.example.org"
EXPECTED = {
    # model: (co-financing by partner (Birmingham, Gdansk, coordinator), co-financing, EU)
    "city_staff": ((D("1009.49"), D("261.93"), D("0.00")), D("1271.42"), D("652.39")),
    "eu_rate": ((D("108.01"), D("28.03"), D("56.34")), D("192.38"), D("1731.43")),
    "fixed": ((D("500.00"), D("280.27"), D("0.00")), D("780.27"), D("1143.54")),
}


def _staff_budgets():
    """Plans for the cities' staff lines, so that approving the months overspends nothing
    (a stopgap while the worked example does not plan them itself)."""
    programme = Programme.objects.get(slug="cities-grow")
    for partner in programme.partners.exclude(role="coordinator"):
        BudgetLine.objects.get_or_create(
            programme=programme,
            partner=partner,
            category="staff",
            defaults={"planned_eur": D("5000.00")},
        )


def _statement(user_of, model="city_staff"):
    """The worked example reported under a co-financing model."""
    _staff_budgets()
    programme = _worked_example(user_of)
    Programme.objects.filter(pk=programme.pk).update(co_financing_model=model)
    programme.refresh_from_db()
    if model == "fixed":
        for partner in programme.partners.select_related("organisation"):
            name = partner.organisation.name
            amount = D("500.00") if "Birmingham" in name else D("400.00") if "Gda" in name else None
            if amount is not None:
                PartnerCoFinancing.objects.create(
                    programme=programme, partner=partner, fixed_contribution_eur=amount
                )
    return statement_create(
        actor=user_of("finance-1"),
        programme=programme,
        kind="interim",
        period_end=date(2017, 6, 30),
    )


def _partner(content, word):
    return next(p for p in content.partners if word in p.partner.organisation.name)


def _summary_rows(data):
    """The Summary's partner rows (by partner name) and its closing lines (by label), with the
    column headers: the file's own layout, read as a person reads it."""
    sheet = load_workbook(io.BytesIO(data))["Summary"]
    header = next(r for r in sheet.iter_rows() if r[0].value == "partner no.")
    columns = {cell.value: cell.column_letter for cell in header if cell.value}
    partners, lines = {}, {}
    for row in sheet.iter_rows(min_row=header[0].row + 1):
        if row[1].value:
            partners[row[1].value] = row[0].row
        elif row[0].value:
            lines[row[0].value] = row[0].row
    return columns, partners, lines


@pytest.mark.parametrize("model", ["city_staff", "eu_rate", "fixed"])
def test_the_xlsx_recomputes_to_the_figures_of_the_page(model, user_of, client_of):
    statement = _statement(user_of, model)
    content = statement_content(statement)
    data = statement_xlsx(content, BASE)
    cells = recomputed(data)
    # Every formula of the workbook recomputes to the value it was saved with.
    assert len(cells) >= 3 * len(content.staff) + len(content.travel) + 5 * len(content.partners)
    differing = {
        key: (cell.formula, cell.computed, cell.saved)
        for key, cell in cells.items()
        if as_cents(cell.computed) != as_cents(cell.saved)
    }
    assert differing == {}

    # The Summary recomputes to the platform's figures, the hand-computed ones too.
    columns, partners, lines = _summary_rows(data)

    def figure(row, header):
        return as_cents(cells[("Summary", f"{columns[header]}{row}")].computed)

    by_partner, co_financing, eu = EXPECTED[model]
    split = content.split
    for totals, expected_co in zip(
        (_partner(content, "Birmingham"), _partner(content, "Gda"), content.partners[0]),
        by_partner,
        strict=True,
    ):
        row = partners[totals.partner.organisation.name]
        assert figure(row, "Staff") == totals.staff
        assert figure(row, "Travel and subsistence") == totals.travel
        assert figure(row, "Indirect costs (flat rate)") == totals.indirect
        assert figure(row, "Total") == totals.total
        assert figure(row, "Co-financing") == split.by_partner[totals.partner.pk] == expected_co
    assert content.partners[0].partner.role == "coordinator"
    assert figure(partners["Total"], "Total") == content.total == D("1923.81")
    for label, platform, by_hand in (
        ("Eligible costs", content.total, D("1923.81")),
        ("Co-financing", content.co_financing, co_financing),
        ("EU contribution", content.eu_contribution, eu),
        ("Profit (must be zero or less)", split.profit, D("0.00")),
    ):
        computed = as_cents(cells[("Summary", f"C{lines[label]}")].computed)
        assert computed == platform == by_hand, label
    assert reconcile(data)["EU contribution"] == (eu, eu)

    # ... and the page shows the same figures.
    page = client_of("finance-1").get(
        reverse("finance:statement", args=["cities-grow", statement.pk])
    )
    html = page.content.decode()
    for amount in (content.total, content.co_financing, content.eu_contribution):
        assert format_money(amount, "EUR") in html
    for totals in content.partners:
        row = partners[totals.partner.organisation.name]
        for header in ("Staff", "Travel and subsistence", "Indirect costs (flat rate)", "Total"):
            assert format_money(figure(row, header), "EUR") in html, header


def test_every_derived_cell_is_a_formula_and_the_rates_are_named_cells(user_of):
    content = statement_content(_statement(user_of))
    data = statement_xlsx(content, BASE)
    book = load_workbook(io.BytesIO(data))

    def is_formula(cell):
        return isinstance(cell.value, str) and cell.value.startswith("=")

    staff, travel = book["Staff"], book["Travel"]
    assert staff.max_row == len(content.staff) + 1 and travel.max_row == len(content.travel) + 1
    for row in staff.iter_rows(min_row=2):
        cells = {cell.column_letter: cell for cell in row}
        # The inputs are values: annual cost, productive hours, hours, exchange rate.
        for letter in "FGIL":
            assert isinstance(cells[letter].value, int | float), (letter, cells[letter].value)
        assert cells["E"].is_date
        # The hourly rate, the month's cost and its conversion are formulas over them.
        r = row[0].row
        assert cells["H"].value == f"=ROUND(F{r}/G{r},2)"
        assert cells["K"].value == f"=ROUND(I{r}*H{r},2)"
        assert cells["M"].value == f'=IF(J{r}="EUR",K{r},ROUND(K{r}/L{r},2))'
    assert {(row[5], row[6]) for row in staff.iter_rows(min_row=2, values_only=True)} == {
        (41000, 1720),
        (96000, 1720),
    }
    for row in travel.iter_rows(min_row=2):
        cells = {cell.column_letter: cell for cell in row}
        assert isinstance(cells["H"].value, int | float) and cells["E"].is_date
        assert is_formula(cells["K"])
    summary = book["Summary"]
    header = next(r for r in summary.iter_rows() if r[0].value == "partner no.")
    derived = 0
    for row in summary.iter_rows(min_row=header[0].row + 1, max_col=8):
        if row[1].value:  # a partner's row or the totals: staff to co-financing
            assert all(is_formula(cell) for cell in row[3:]), [c.value for c in row]
            derived += 1
        elif row[0].value and row[0].value != "EUR (formula)":
            assert is_formula(row[2]), row[0].value
            derived += 1
    assert derived == len(content.partners) + 1 + 4

    # No formula has a rate typed into it: they refer to the Rules' named cells.
    formulas = [
        cell.value
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if is_formula(cell)
    ]
    assert all(not re.search(r"\d\.\d", f) for f in formulas), formulas
    assert sum("FLAT_RATE" in f for f in formulas) == len(content.partners)
    assert any("EU_RATE" in f for f in formulas)
    rules = book["Rules"]
    for name, value in (("EU_RATE", D("0.9")), ("FLAT_RATE", D("0.07"))):
        defined = book.defined_names[name]
        ((title, ref),) = defined.destinations
        assert title == "Rules"
        assert D(str(rules[ref.replace("$", "")].value)) == value
    model = book.defined_names["CO_FINANCING_MODEL"]
    ((title, ref),) = model.destinations
    assert rules[ref.replace("$", "")].value == "city_staff"


def test_the_formulas_are_saved_with_the_platforms_figures(user_of):
    """A viewer that does not recalculate shows the same numbers: every formula keeps its
    value, and the value is the platform's own figure."""
    content = statement_content(_statement(user_of))
    data = statement_xlsx(content, BASE)
    written = load_workbook(io.BytesIO(data))
    saved = load_workbook(io.BytesIO(data), data_only=True)
    for sheet in written.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    value = saved[sheet.title][cell.coordinate].value
                    assert isinstance(value, int | float), (sheet.title, cell.coordinate)
    staff = list(saved["Staff"].iter_rows(min_row=2, values_only=True))
    assert [(D(str(r[7])), D(str(r[10])), D(str(r[12]))) for r in staff] == [
        (r.cost.hourly_rate, r.cost.amount, r.cost.amount_eur) for r in content.staff
    ]
    assert sorted(D(str(r[12])) for r in staff) == [D("261.93"), D("1009.49")]
    travel = [D(str(r[10])) for r in saved["Travel"].iter_rows(min_row=2, values_only=True)]
    assert travel == [r.line.amount_eur for r in content.travel] == [D("508.13"), D("18.40")]
    _columns, _partners, lines = _summary_rows(data)
    summary = saved["Summary"]
    assert D(str(summary[f"C{lines['EU contribution']}"].value)) == D("652.39")
    assert D(str(summary[f"C{lines['Co-financing']}"].value)) == D("1271.42")


def _pdf_text(content) -> str:
    pages = PdfReader(io.BytesIO(statement_pdf(content))).pages
    return " ".join(" ".join(p.extract_text() for p in pages).split())


def _money(amount, currency) -> str:
    """An amount as the PDF's extracted text shows it (spaces made plain, like `_pdf_text`)."""
    return " ".join(format_money(amount, currency).split())


@pytest.mark.parametrize("model", ["city_staff", "eu_rate"])
def test_the_pdf_lists_every_line_with_the_pages_totals(model, user_of):
    statement = _statement(user_of, model)
    content = statement_content(statement)
    with translation.override("en"):
        text = _pdf_text(content)
    # Every staff line: the person, the month, the hours, the rate, the amounts.
    assert len(content.staff) == 2
    for row in content.staff:
        cost = row.cost
        assert row.person in text
        assert date_format(cost.month, "YEAR_MONTH_FORMAT") in text
        line = " ".join(
            [
                date_format(cost.month, "YEAR_MONTH_FORMAT"),
                f"{cost.hours:.2f}",
                _money(cost.hourly_rate, cost.currency),
                _money(cost.amount, cost.currency),
            ]
        )
        assert " ".join(line.split()) in text, line
        assert _money(cost.amount_eur, "EUR") in text
        subtotal = f"Staff costs of {row.partner.organisation.name}"
        assert f"{subtotal} {_money(cost.amount_eur, 'EUR')}" in text
    assert "March 2017 37.50 23.84 GBP 894.00 GBP 0.885600 1,009.49 EUR" in text
    assert "March 2017 20.00 55.81 PLN 1,116.20 PLN 4.261500 261.93 EUR" in text
    # Every travel line: claim, traveller, date, supplier, kind, amount, rate, EUR.
    for travel in content.travel:
        assert travel.line.supplier in text
        assert _money(travel.line.amount, travel.line.currency) in text
    claim = content.travel[0].line.claim_id
    traveller = str(content.travel[0].line.claim.traveller)
    assert f"#{claim} {traveller} 06/03/2017 Airline Travel 450.00 GBP 0.885600 508.13 EUR" in text
    assert "Travel costs 526.53 EUR" in text
    # The totals per partner and category, and who pays them, as on the page.
    for totals in content.partners:
        figures = " ".join(
            _money(v, "EUR")
            for v in (
                totals.staff,
                totals.travel,
                totals.indirect,
                totals.total,
                content.split.by_partner[totals.partner.pk],
            )
        )
        assert f"{totals.partner.organisation.name} {figures}" in text
    _by_partner, co_financing, eu = EXPECTED[model]
    assert f"Eligible costs: {_money(content.total, 'EUR')}" in text
    assert f"Co-financing: {_money(co_financing, 'EUR')}" in text
    assert f"EU contribution: {_money(eu, 'EUR')}" in text
    # The rules used, and who prepared it.
    assert "EU rate: 90%" in text
    assert "Flat rate of indirect costs: 7% (All eligible direct costs)" in text
    model_label = {"city_staff": "Cities' staff costs", "eu_rate": "Every cost reimbursed"}
    assert f"Co-financing model: {model_label[model]}" in text
    assert "Status: Prepared, to be signed off" in text
    finance = user_of("finance-1")
    assert f"Prepared by: {finance.get_full_name()}" in text
    assert "Signed off by: not yet" in text
    assert "2017-03" not in text and "1923.81" not in text


def test_a_formula_book_keeps_typed_text_as_text_and_saves_formulas_with_values():
    book = FormulaBook()
    sheet = book.sheet("S")
    sheet.append(["=1+1", "#N/A", "-12.50", D("-12.50"), date(2017, 3, 6)])
    sheet.put(2, 1, Formula("=D1*2", D("-25.00")))
    sheet.put(2, 2, D("0.9"))
    sheet.name("RATE", 2, 2)
    data = book.save()
    written = load_workbook(io.BytesIO(data))["S"]
    cells = written[1]
    assert [c.data_type for c in cells] == ["s", "s", "s", "n", "d"]
    assert [c.value for c in cells[:3]] == ["=1+1", "#N/A", "-12.50"]
    assert cells[0].quotePrefix and cells[2].quotePrefix and not cells[3].quotePrefix
    assert (written["A2"].data_type, written["A2"].value) == ("f", "=D1*2")
    saved = load_workbook(io.BytesIO(data), data_only=True)["S"]
    assert saved["A2"].value == -25 and saved["A1"].value == "=1+1"
    assert load_workbook(io.BytesIO(data)).defined_names["RATE"].attr_text == "'S'!$B$2"
    assert as_cents(recomputed(data)[("S", "A2")].computed) == D("-25.00")
