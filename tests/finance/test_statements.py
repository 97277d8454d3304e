"""Statements: generated from the records, they lock what they report and freeze the rates
they use; the XLSX's formulas reconcile with the platform's figures and the worked example."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from core.errors import DomainError
from finance.exports import statement_pdf, statement_xlsx
from finance.models import ExpenseClaim, StaffRate, Timesheet
from finance.services.statements import statement_content, statement_create
from finance.services.timesheets import timesheet_reopen
from programmes.models import Programme
from tests.finance.test_ledger import _worked_example
from tests.finance.xlsx_formulas import reconcile
from tests.tagged_pdf import assert_accessible_pdf

pytestmark = pytest.mark.django_db
D = Decimal


def _statement(user_of):
    programme = _worked_example(user_of)
    return statement_create(
        actor=user_of("finance-1"),
        programme=programme,
        kind="interim",
        period_end=date(2017, 6, 30),
    )


def test_a_statement_reports_the_worked_example_and_locks_it(user_of):
    statement = _statement(user_of)
    content = statement_content(statement)
    assert content.total == D("1923.81")
    assert content.co_financing == D("1271.42")
    assert content.eu_contribution == D("652.39")
    assert sorted(r.cost.amount_eur for r in content.staff) == [D("261.93"), D("1009.49")]
    assert sorted(r.line.amount_eur for r in content.travel) == [D("18.40"), D("508.13")]
    # Everything reported is locked, and the rates used are frozen.
    assert Timesheet.objects.filter(reported_in=statement).count() == 2
    assert ExpenseClaim.objects.filter(reported_in=statement).count() == 1
    assert StaffRate.objects.filter(frozen_at__isnull=False).count() == 2
    sheet = Timesheet.objects.filter(reported_in=statement).first()
    with pytest.raises(DomainError):
        timesheet_reopen(actor=user_of("finance-1"), timesheet=sheet, reason="Fix")
    claim = ExpenseClaim.objects.get(reported_in=statement)
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as c:
        c.execute("UPDATE finance_expenseclaim SET reimbursed_eur = 1 WHERE id = %s", [claim.pk])
    assert sheet.history.filter(history_change_reason=f"reported in statement {statement.pk}")
    # Nothing is reported twice.
    with pytest.raises(DomainError):
        statement_create(
            actor=user_of("finance-1"),
            programme=statement.programme,
            kind="final",
            period_end=date(2017, 12, 31),
        )


def test_only_finance_officers_prepare_statements(user_of):
    programme = _worked_example(user_of)
    for key in ("coordinator-1", "auditor-1", "birmingham-approver-admin"):
        with pytest.raises(DomainError):
            statement_create(
                actor=user_of(key),
                programme=programme,
                kind="interim",
                period_end=date(2017, 6, 30),
            )


def test_the_xlsx_formulas_reconcile_with_the_details_and_the_platform(user_of):
    content = statement_content(_statement(user_of))
    data = statement_xlsx(content, "https://platform.example.org")
    book = load_workbook(io.BytesIO(data), data_only=True)
    staff, travel, summary = book["Staff"], book["Travel"], book["Summary"]
    staff_eur = [row[12] for row in staff.iter_rows(min_row=2, values_only=True)]
    travel_eur = [row[10] for row in travel.iter_rows(min_row=2, values_only=True)]
    assert sum(D(str(v)) for v in staff_eur) == D("1271.42")
    assert sum(D(str(v)) for v in travel_eur) == D("526.53")
    formulas = load_workbook(io.BytesIO(data))["Summary"]
    header = next(r for r in summary.iter_rows() if r[0].value == "partner no.")
    rows = {r[1].value: r for r in summary.iter_rows(min_row=header[0].row + 1) if r[1].value}
    birmingham = next(name for name in rows if "Birmingham" in name)
    number = rows[birmingham][0].value
    staff_cell = rows[birmingham][3]
    assert formulas[staff_cell.coordinate].value == (
        f"=SUMIFS(Staff!$M$2:$M$3,Staff!$B$2:$B$3,$A{staff_cell.row})"
    )
    # The platform's figure, saved with the formula, is what it adds up from the detail sheet.
    detail = sum(
        D(str(r[12])) for r in staff.iter_rows(min_row=2, values_only=True) if r[1] == number
    )
    assert D(str(staff_cell.value)) == detail == D("1009.49")
    labels = {r[0]: (r[2], r[3]) for r in summary.iter_rows(min_row=4, values_only=True) if r[0]}
    assert D(str(labels["Eligible costs"][1])) == D("1923.81")
    assert D(str(labels["EU contribution"][1])) == D("652.39")
    eu_row = next(r[0].row for r in summary.iter_rows() if r[0].value == "EU contribution")
    assert formulas[f"C{eu_row}"].value.startswith("=MAX(MIN(ROUND(")
    assert D(str(labels["Profit (must be zero or less)"][1])) == D("0.00")
    links = [r[11] for r in travel.iter_rows(min_row=2, values_only=True)]
    assert all(link.endswith(f"/claims/{content.travel[0].line.claim_id}/") for link in links)
    assert all("/receipts/" in r[12] for r in travel.iter_rows(min_row=2, values_only=True))


def _pdf_text(content) -> str:
    """The PDF's text with every run of spaces (the non-breaking ones too) as one space."""
    pages = PdfReader(io.BytesIO(statement_pdf(content))).pages
    return " ".join(" ".join(p.extract_text() for p in pages).split())


def test_the_statement_pdf_parses(user_of):
    content = statement_content(_statement(user_of))
    text = _pdf_text(content)
    assert "1,923.81" in text and "652.39" in text and "508.13" in text
    assert Programme.objects.get(slug="cities-grow").name in text
    with translation.override("fr"):
        pdf = statement_pdf(content)
    # Tagged PDF/UA-1 in the reader's language, its totals' table with header cells.
    title = "État financier Intermédiaire, CITIES-GROW, au 30 juin 2017"
    assert_accessible_pdf(pdf, title=title, language="fr")


def test_the_statement_pdf_shows_money_and_dates_in_the_readers_language(user_of):
    """Amounts with their currency, grouped as the language groups them; dates day first."""
    content = statement_content(_statement(user_of))
    with translation.override("en"):
        text = _pdf_text(content)
    assert "to 30 June 2017" in text  # the period's end, in the title
    assert "Eligible costs: 1,923.81 EUR" in text and "EU contribution: 652.39 EUR" in text
    assert "1,009.49 EUR 0.00 EUR 70.66 EUR 1,080.15 EUR" in text  # Birmingham's totals
    # The travel lines: the day (6 March, not 3 June), the amount in its own currency, in euros.
    assert "06/03/2017 Airline Travel 450.00 GBP 0.885600 508.13 EUR" in text
    assert "2017-03-06" not in text and "1923.81" not in text
    with translation.override("fr"):
        text = _pdf_text(content)
    assert "au 30 juin 2017" in text
    assert "Coûts éligibles: 1 923,81 EUR" in text
    assert "06/03/2017 Airline Transport 450,00 GBP 0,885600 508,13 EUR" in text


def test_the_xlsx_keeps_amounts_as_numbers_with_a_number_format(user_of):
    """The spreadsheet shows amounts in its own language: numbers, never text."""
    content = statement_content(_statement(user_of))
    with translation.override("fr"):
        data = statement_xlsx(content, "https://platform.example.org")
    book = load_workbook(io.BytesIO(data), data_only=True)
    for sheet, column in ((book["Staff"], 12), (book["Travel"], 10)):
        cells = [row[column] for row in sheet.iter_rows(min_row=2)]
        assert cells and all(isinstance(c.value, int | float | Decimal) for c in cells)
        assert {c.number_format for c in cells} == {"#,##0.00"}
    summary = book["Summary"]
    header = next(r[0].row for r in summary.iter_rows() if r[0].value == "partner no.")
    figures = [row[3] for row in summary.iter_rows(min_row=header + 1) if row[1].value]
    assert figures and all(isinstance(c.value, int | float) for c in figures)
    assert {c.number_format for c in figures} == {"#,##0.00"}
    assert book["Travel"]["E2"].is_date  # the day of a line is a date cell, not text
    assert book["Staff"]["E2"].is_date  # and so is the month of a staff line


def test_every_formula_of_the_summary_computes_the_platforms_figure(user_of):
    content = statement_content(_statement(user_of))
    rows = reconcile(statement_xlsx(content, "https://platform.example.org"))
    assert len(rows) >= 5 * len(content.partners) + 4
    assert {label: pair for label, pair in rows.items() if pair[0] != pair[1]} == {}
    assert rows["EU contribution"] == (D("652.39"), D("652.39"))
