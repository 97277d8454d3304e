"""Statements as files that audit themselves: an XLSX that recomputes every figure from its
inputs, and a PDF that lists every line, with the same figures as the statement's page.

The XLSX holds the inputs as values (each person's annual cost and productive hours, the
hours, the amounts claimed, the exchange rates) and every derived figure as a formula over
cells: the hourly rate, the month's cost, each conversion to EUR, the partners' sums, the flat
rate, the totals, the co-financing and the EU contribution, as the statement's own rules say
(finance.grant_rules). The rates sit in named cells of the Rules sheet (EU_RATE, FLAT_RATE), so
no formula has a rate typed into it. Every formula is saved with the platform's own figure as
its computed value, so a viewer that does not recalculate shows the same numbers as the page;
one that recalculates finds them again.

Numbers are numbers with a number format (the spreadsheet shows them in its own language) and
dates are dates; the PDF is text in the reader's language: dates in the named locale formats
and amounts through core.money.format_money, like the statement's page.

Every cell goes through core.spreadsheets: names, suppliers and titles people typed are text
cells even when they start with "=" (or "+", "-", "@"); only the platform's formulas are
formulas, and the partners' sums match partners by number, never by the names people typed."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from core.money import format_money
from core.spreadsheets import Formula, FormulaBook, FormulaSheet, Style
from core.typst_document import Block, Heading, Paragraph, Table, typst_pdf
from programmes.choices import CoFinancingModel, IndirectCostBase, PartnerRole

from .choices import CostCategory
from .money import ZERO
from .services.statements import PartnerTotals, StaffRow, StatementContent

EUR_FORMAT = "#,##0.00"
MONEY: Style = {"num_format": EUR_FORMAT}
HOURS: Style = {"num_format": "#,##0.0#"}
EXCHANGE: Style = {"num_format": "0.0000##"}
PERCENT: Style = {"num_format": "0.00%"}
MONTH: Style = {"num_format": "yyyy-mm"}
BOLD: Style = {"bold": True}
# The workbook's named cells: the rules every formula refers to.
EU_RATE, FLAT_RATE, FLAT_RATE_BASE, MODEL = (
    "EU_RATE",
    "FLAT_RATE",
    "FLAT_RATE_BASE",
    "CO_FINANCING_MODEL",
)


@dataclass(frozen=True)
class Column:
    header: str
    style: Style | None = None


STAFF_COLUMNS = [
    Column("timesheet"),  # A
    Column("partner no."),  # B
    Column("partner"),  # C
    Column("person"),  # D
    Column("month", MONTH),  # E
    Column("annual gross employer cost", MONEY),  # F
    Column("productive hours", HOURS),  # G
    Column("hourly rate", MONEY),  # H = ROUND(F/G, 2)
    Column("hours", HOURS),  # I
    Column("currency"),  # J
    Column("amount", MONEY),  # K = ROUND(I*H, 2)
    Column("units for one euro", EXCHANGE),  # L
    Column("EUR", MONEY),  # M = K in EUR, or ROUND(K/L, 2)
    Column("timesheet page"),  # N
]
TRAVEL_COLUMNS = [
    Column("claim"),  # A
    Column("partner no."),  # B
    Column("partner"),  # C
    Column("traveller"),  # D
    Column("date"),  # E
    Column("supplier"),  # F
    Column("kind"),  # G
    Column("amount", MONEY),  # H
    Column("currency"),  # I
    Column("units for one euro", EXCHANGE),  # J
    Column("EUR", MONEY),  # K = H in EUR, or ROUND(H/J, 2)
    Column("claim page"),  # L
    Column("receipts"),  # M
]
SUMMARY_HEADER_ROW = 7


def _title(content: StatementContent) -> str:
    statement = content.statement
    scope = statement.partner.organisation.name if statement.partner else statement.programme.name
    return _("%(kind)s financial statement, %(scope)s, to %(end)s") % {
        "kind": statement.get_kind_display(),
        "scope": scope,
        "end": date_format(statement.period_end, "DATE_FORMAT"),
    }


def _who(user: Any) -> str:
    return (user.get_full_name() or user.email) if user is not None else "\u2013"


def _when(moment: Any) -> str:
    return date_format(timezone.localtime(moment), "DATE_FORMAT") if moment else "\u2013"


def _sign_off(content: StatementContent) -> list[tuple[str, str]]:
    """Who prepared and who signed off the statement, and its status."""
    statement = content.statement
    signed = (
        f"{_who(statement.signed_off_by)}, {_when(statement.signed_off_at)}"
        if statement.signed_off_by_id
        else _("not yet")
    )
    return [
        (_("Status"), statement.get_status_display()),
        (_("Prepared by"), f"{_who(statement.created_by)}, {_when(statement.created_at)}"),
        (_("Signed off by"), signed),
    ]


def _rate_text(rate: Decimal) -> str:
    """A rate as a percentage without trailing zeros: 0.9000 → "90%", 0.0750 → "7.5%"."""
    text = f"{rate * 100:f}"
    places = len(text.partition(".")[2].rstrip("0"))
    return f"{number_format(rate * 100, decimal_pos=places)}%"


def _base_label(base: str) -> str:
    return str(IndirectCostBase(base).label) if base in IndirectCostBase.values else base


def _model_label(model: str) -> str:
    return str(CoFinancingModel(model).label) if model in CoFinancingModel.values else model


# ---------------------------------------------------------------- XLSX


def _detail_sheet(book: FormulaBook, title: str, columns: list[Column]) -> FormulaSheet:
    sheet = book.sheet(title)
    sheet.append([column.header for column in columns], BOLD)
    sheet.worksheet.freeze_panes(1, 0)
    sheet.worksheet.set_column(0, len(columns) - 1, 16)
    return sheet


def _row(sheet: FormulaSheet, columns: list[Column], values: Sequence[Any]) -> None:
    row = sheet.last_row + 1
    for number, (column, value) in enumerate(zip(columns, values, strict=True), start=1):
        if value is not None:
            sheet.put(row, number, value, column.style)


def _eur(amount: str, currency: str, rate: str, value: Decimal | None) -> Formula:
    """Rule 1: an amount in EUR as it is, another currency divided by the month's rate."""
    if value is None:  # no exchange rate: the platform counts nothing
        return Formula("=0", ZERO)
    return Formula(f'=IF({currency}="EUR",{amount},ROUND({amount}/{rate},2))', value)


Link = Callable[..., str]


def _staff_rows(
    sheet: FormulaSheet, content: StatementContent, numbers: dict[int, int], link: Link
) -> None:
    for row in content.staff:
        cost, r = row.cost, sheet.last_row + 1
        known = cost.annual_cost is not None and cost.productive_hours
        _row(
            sheet,
            STAFF_COLUMNS,
            [
                f"#{cost.timesheet_id}",
                numbers[row.partner.pk],
                row.partner.organisation.name,
                row.person,
                cost.month,
                cost.annual_cost,
                cost.productive_hours,
                Formula(f"=ROUND(F{r}/G{r},2)", cost.hourly_rate) if known else None,
                cost.hours,
                cost.currency,
                Formula(f"=ROUND(I{r}*H{r},2)", cost.amount) if known else None,
                cost.exchange_rate if cost.currency != "EUR" else None,
                _eur(f"K{r}", f"J{r}", f"L{r}", cost.amount_eur if known else None),
                link("finance:timesheet", cost.timesheet_id),
            ],
        )


def _travel_rows(
    sheet: FormulaSheet, content: StatementContent, numbers: dict[int, int], link: Link
) -> None:
    for travel in content.travel:
        line, r = travel.line, sheet.last_row + 1
        _row(
            sheet,
            TRAVEL_COLUMNS,
            [
                f"#{line.claim_id}",
                numbers[travel.partner.pk],
                travel.partner.organisation.name,
                str(line.claim.traveller),
                line.day,
                line.supplier,
                line.get_kind_display(),
                line.amount,
                line.currency,
                line.rate if line.currency != "EUR" else None,
                _eur(f"H{r}", f"I{r}", f"J{r}", line.amount_eur),
                link("finance:claim", line.claim_id),
                " ".join(
                    link("finance:receipt", line.claim_id, receipt.pk)
                    for receipt in line.receipts.all()
                ),
            ],
        )


def _rules_sheet(sheet: FormulaSheet, content: StatementContent) -> None:
    """The statement's rules, in the named cells every formula refers to."""
    rules = content.rules
    sheet.worksheet.set_column(0, 0, 44)
    sheet.worksheet.set_column(1, 1, 14)
    sheet.worksheet.set_column(2, 2, 60)
    sheet.append([_("The rules this statement was prepared with")], {**BOLD, "font_size": 13})
    sheet.append([])
    for label, value, name, style, meaning in (
        (_("EU rate"), rules.eu_rate, EU_RATE, PERCENT, ""),
        (_("Flat rate of indirect costs"), rules.indirect_rate, FLAT_RATE, PERCENT, ""),
        (
            _("Base of the flat rate"),
            rules.indirect_base,
            FLAT_RATE_BASE,
            None,
            _base_label(rules.indirect_base),
        ),
        (
            _("Co-financing model"),
            rules.co_financing_model,
            MODEL,
            None,
            _model_label(rules.co_financing_model),
        ),
    ):
        row = sheet.last_row + 1
        sheet.put(row, 1, label)
        sheet.put(row, 2, value, style)
        sheet.put(row, 3, meaning or name)
        sheet.name(name, row, 2)
    sheet.append([])
    for text in (
        _(
            "Staff: hourly rate = annual gross employer cost / productive hours, rounded to the "
            "cent; a month's cost = hours times the hourly rate, rounded to the cent."
        ),
        _(
            "Conversion: an amount in another currency / the month's rate (units for one euro), "
            "rounded to the cent."
        ),
        _("Indirect costs: the flat rate times its base, rounded to the cent, per partner."),
        _("Sums of rounded amounts are not rounded again."),
    ):
        sheet.append([text])


def _co_financing_formula(model: str, r: int, contribution: str) -> str:
    """One partner's co-financing in the statement's model (finance.grant_rules.split)."""
    if model == CoFinancingModel.EU_RATE:
        return f"=G{r}-ROUND(G{r}*{EU_RATE},2)"
    if model == CoFinancingModel.FIXED:
        return f"=MIN({contribution}{r},G{r})"
    return f'=IF(C{r}="{PartnerRole.CITY}",D{r},0)'


def _summary(
    summary: FormulaSheet,
    content: StatementContent,
    numbers: dict[int, int],
    last_staff: int,
    last_travel: int,
) -> None:
    rules = content.rules
    division = content.split
    fixed = rules.co_financing_model == CoFinancingModel.FIXED
    summary.worksheet.set_column(0, 0, 34)
    summary.worksheet.set_column(1, 1, 34)
    summary.worksheet.set_column(2, 9, 16)
    summary.put(1, 1, _title(content), {**BOLD, "font_size": 13})
    for row, (label, text) in enumerate(_sign_off(content), start=3):
        summary.put(row, 1, label)
        summary.put(row, 2, text)
    headers = [
        "partner no.",
        "partner",
        "role",
        str(CostCategory.STAFF.label),
        str(CostCategory.TRAVEL.label),
        str(CostCategory.INDIRECT.label),
        _("Total"),
        *([_("Fixed contribution")] if fixed else []),
        _("Co-financing"),
    ]
    co_column = "I" if fixed else "H"
    summary.last_row = SUMMARY_HEADER_ROW - 1
    summary.append(headers, BOLD)
    first = summary.last_row + 1
    staff_range = f"Staff!$M$2:$M${max(last_staff, 2)},Staff!$B$2:$B${max(last_staff, 2)}"
    travel_range = f"Travel!$K$2:$K${max(last_travel, 2)},Travel!$B$2:$B${max(last_travel, 2)}"
    for totals in content.partners:
        r = summary.last_row + 1
        pk = totals.partner.pk
        base = f"D{r}" if rules.indirect_base == IndirectCostBase.STAFF else f"(D{r}+E{r})"
        values: list[Any] = [
            numbers[pk],
            totals.partner.organisation.name,
            totals.partner.role,
            Formula(f"=SUMIFS({staff_range},$A{r})", totals.staff),
            Formula(f"=SUMIFS({travel_range},$A{r})", totals.travel),
            Formula(f"=ROUND({base}*{FLAT_RATE},2)", totals.indirect),
            Formula(f"=D{r}+E{r}+F{r}", totals.total),
        ]
        if fixed:
            values.append(rules.contributions.get(pk, ZERO))
        values.append(
            Formula(
                _co_financing_formula(rules.co_financing_model, r, "H"),
                division.by_partner.get(pk, ZERO),
            )
        )
        summary.append(values[:3])
        for column, value in enumerate(values[3:], start=4):
            summary.put(r, column, value, MONEY)
    last = summary.last_row
    r = last + 1
    summary.put(r, 2, _("Total"), BOLD)

    def column_sum(getter: Callable[[PartnerTotals], Decimal]) -> Decimal:
        return sum((getter(p) for p in content.partners), ZERO)

    sums = {
        "D": column_sum(lambda p: p.staff),
        "E": column_sum(lambda p: p.travel),
        "F": column_sum(lambda p: p.indirect),
        "G": content.total,
        co_column: division.co_financing,
    }
    if fixed:
        contributions = (rules.contributions.get(p.partner.pk, ZERO) for p in content.partners)
        sums["H"] = sum(contributions, ZERO)
    for letter, value in sums.items():
        column = ord(letter) - ord("A") + 1
        formula = f"=SUM({letter}{first}:{letter}{max(last, first)})"
        summary.put(r, column, Formula(formula, value), {**MONEY, **BOLD})

    # What the funder is asked for: the formulas, and beside them the platform's figures.
    total, co = f"G{r}", f"{co_column}{r}"
    if rules.co_financing_model == CoFinancingModel.EU_RATE:
        eu_formula = f"={total}-{co}"
    else:
        eu_formula = f"=MAX(MIN(ROUND({total}*{EU_RATE},2),{total}-{co}),0)"
    r += 2
    summary.put(r, 3, _("EUR (formula)"), BOLD)
    summary.put(r, 4, _("EUR (platform)"), BOLD)
    for offset, (label, formula, value) in enumerate(
        (
            (_("Eligible costs"), f"={total}", content.total),
            (_("Co-financing"), f"={co}", content.co_financing),
            (_("EU contribution"), eu_formula, content.eu_contribution),
            (
                _("Profit (must be zero or less)"),
                f"=C{r + 3}+C{r + 2}-C{r + 1}",
                division.profit,
            ),
        ),
        start=1,
    ):
        summary.put(r + offset, 1, label)
        summary.put(r + offset, 3, Formula(formula, value), MONEY)
        summary.put(r + offset, 4, value, MONEY)


def statement_xlsx(content: StatementContent, base_url: str) -> bytes:
    """The statement as a workbook: Summary (it opens on it), Staff, Travel and Rules."""
    slug = content.statement.programme.slug

    def link(name: str, *args: Any) -> str:
        return f"{base_url}{reverse(name, args=[slug, *args])}"

    numbers = {totals.partner.pk: n for n, totals in enumerate(content.partners, start=1)}
    for partner in [r.partner for r in content.staff] + [r.partner for r in content.travel]:
        numbers.setdefault(partner.pk, len(numbers) + 1)
    book = FormulaBook()
    summary = book.sheet("Summary")
    staff = _detail_sheet(book, "Staff", STAFF_COLUMNS)
    travel = _detail_sheet(book, "Travel", TRAVEL_COLUMNS)
    _staff_rows(staff, content, numbers, link)
    _travel_rows(travel, content, numbers, link)
    _rules_sheet(book.sheet("Rules"), content)
    _summary(summary, content, numbers, staff.last_row, travel.last_row)
    return book.save()


# ---------------------------------------------------------------- PDF


def _table(
    widths: tuple[int, ...],
    headers: Sequence[str],
    rows: Sequence[tuple[bool, Sequence[str]]],
    numeric_from: int,
    caption: str,
) -> Table:
    """A table whose last columns (from `numeric_from`) are figures, aligned right; rows
    marked True (subtotals, totals) in bold."""
    return Table(
        tuple(headers),
        [tuple(cells) for _strong, cells in rows],
        widths=widths,
        caption=caption,
        numeric_from=numeric_from,
        strong_rows=tuple(i for i, (strong, _cells) in enumerate(rows) if strong),
        font_size=7,
    )


def _staff_table(content: StatementContent) -> Table:
    rows: list[tuple[bool, Sequence[str]]] = []
    by_partner: dict[int, list[StaffRow]] = {}
    for row in content.staff:
        by_partner.setdefault(row.partner.pk, []).append(row)
    for totals in content.partners:
        lines = by_partner.get(totals.partner.pk, [])
        if not lines:
            continue
        for row in sorted(lines, key=lambda r: (r.person, r.cost.month)):
            cost = row.cost
            rows.append(
                (
                    False,
                    (
                        row.person,
                        row.partner.organisation.name,
                        date_format(cost.month, "YEAR_MONTH_FORMAT"),
                        number_format(cost.hours),
                        format_money(cost.hourly_rate, cost.currency)
                        if cost.hourly_rate is not None
                        else "\u2013",
                        format_money(cost.amount, cost.currency)
                        if cost.amount is not None
                        else "\u2013",
                        number_format(cost.exchange_rate)
                        if cost.exchange_rate and cost.currency != "EUR"
                        else "\u2013",
                        format_money(cost.amount_eur or ZERO, "EUR"),
                    ),
                )
            )
        name = totals.partner.organisation.name
        subtotal = _("Staff costs of %(partner)s") % {"partner": name}
        rows.append((True, (subtotal, "", "", "", "", "", "", format_money(totals.staff, "EUR"))))
    headers = (
        _("Person"),
        _("Partner"),
        _("Month"),
        _("Hours"),
        _("Hourly rate"),
        _("Amount"),
        _("Rate"),
        _("Amount (EUR)"),
    )
    caption = _("Staff costs, by person and month")
    return _table((34, 34, 20, 14, 24, 24, 16, 24), headers, rows, 3, caption)


def _travel_table(content: StatementContent) -> Table:
    rows: list[tuple[bool, Sequence[str]]] = []
    for travel in content.travel:
        line = travel.line
        rows.append(
            (
                False,
                (
                    f"#{line.claim_id}",
                    str(line.claim.traveller),
                    date_format(line.day, "SHORT_DATE_FORMAT"),
                    line.supplier,
                    line.get_kind_display(),
                    format_money(line.amount, line.currency),
                    number_format(line.rate) if line.rate else "\u2013",
                    format_money(line.amount_eur or ZERO, "EUR"),
                ),
            )
        )
    total = sum((p.travel for p in content.partners), ZERO)
    rows.append((True, (_("Travel costs"), "", "", "", "", "", "", format_money(total, "EUR"))))
    headers = (
        _("Claim"),
        _("Traveller"),
        _("Date"),
        _("Supplier"),
        _("Kind"),
        _("Amount"),
        _("Rate"),
        _("Amount (EUR)"),
    )
    caption = _("Travel costs, line by line")
    return _table((12, 32, 18, 40, 22, 24, 18, 24), headers, rows, 5, caption)


def statement_pdf(content: StatementContent) -> bytes:
    """Every line of the statement, its totals, who pays them under its rules, and who
    prepared and signed it off: tagged PDF/UA-1 (core.typst_document)."""
    title = _title(content)
    rules = content.rules
    division = content.split
    blocks: list[Block] = [Heading(title, 0)]
    blocks += [Paragraph(text, bold_label=label) for label, text in _sign_off(content)]
    blocks += [
        Heading(_("The rules used"), 1),
        Paragraph(_rate_text(rules.eu_rate), bold_label=_("EU rate")),
        Paragraph(
            f"{_rate_text(rules.indirect_rate)} ({_base_label(rules.indirect_base)})",
            bold_label=_("Flat rate of indirect costs"),
        ),
        Paragraph(_model_label(rules.co_financing_model), bold_label=_("Co-financing model")),
        Heading(_("Totals by partner and category"), 1),
    ]
    rows: list[tuple[bool, Sequence[str]]] = [
        (
            False,
            (
                totals.partner.organisation.name,
                format_money(totals.staff, "EUR"),
                format_money(totals.travel, "EUR"),
                format_money(totals.indirect, "EUR"),
                format_money(totals.total, "EUR"),
                format_money(division.by_partner.get(totals.partner.pk, ZERO), "EUR"),
            ),
        )
        for totals in content.partners
    ]
    rows.append(
        (
            True,
            (
                _("Total"),
                format_money(sum((p.staff for p in content.partners), ZERO), "EUR"),
                format_money(sum((p.travel for p in content.partners), ZERO), "EUR"),
                format_money(sum((p.indirect for p in content.partners), ZERO), "EUR"),
                format_money(content.total, "EUR"),
                format_money(content.co_financing, "EUR"),
            ),
        )
    )
    headers = (
        _("Partner"),
        str(CostCategory.STAFF.label),
        str(CostCategory.TRAVEL.label),
        str(CostCategory.INDIRECT.label),
        _("Total"),
        _("Co-financing"),
    )
    blocks.append(
        _table((50, 28, 28, 28, 28, 28), headers, rows, 1, _("Totals by partner and category"))
    )
    blocks += [
        Paragraph(format_money(amount, "EUR"), bold_label=label)
        for label, amount in (
            (_("Eligible costs"), content.total),
            (_("Co-financing"), content.co_financing),
            (_("EU contribution"), content.eu_contribution),
        )
    ]
    blocks.append(Heading(_("Staff costs, by person and month"), 1))
    if content.staff:
        blocks.append(_staff_table(content))
    else:
        blocks.append(Paragraph(_("No staff costs in this statement.")))
    blocks.append(Heading(_("Travel costs, line by line"), 1))
    if content.travel:
        blocks.append(_travel_table(content))
    else:
        blocks.append(Paragraph(_("No travel costs in this statement.")))
    return typst_pdf(
        title=title,
        language=translation.get_language() or "en",
        programme=content.statement.programme.name,
        blocks=blocks,
    )
