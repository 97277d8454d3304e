"""Statements as files: an XLSX whose totals are formulas over the detail sheets (so the
funder can re-add them; each formula sits beside the platform's own figure, and they must
agree), and a PDF of the same content. Every detail row names its record and links to it.

The XLSX keeps numbers as numbers (with a number format the spreadsheet applies in its own
language); the PDF is text, in the reader's language: dates in the named locale formats and
amounts through core.money.format_money, like the statement's page.

Every cell goes through core.spreadsheets: names, suppliers and titles people typed are text
cells even when they start with "=" (or "+", "-", "@"), and the Summary's sums are the only
formulas."""

from typing import Any

from django.urls import reverse
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.money import format_money
from core.pdf import FONT, pdf_document
from core.spreadsheets import Book, Formula, Sheet, xlsx_criterion_equal

from .choices import CostCategory
from .services.statements import StatementContent

EUR_FORMAT = "#,##0.00"
STAFF_COLUMNS = [
    "timesheet",
    "partner",
    "person",
    "month",
    "hours",
    "hourly rate",
    "currency",
    "amount",
    "units for one euro",
    "EUR",
    "timesheet page",
]
TRAVEL_COLUMNS = [
    "claim",
    "partner",
    "traveller",
    "date",
    "supplier",
    "kind",
    "amount",
    "currency",
    "units for one euro",
    "EUR",
    "claim page",
    "receipts",
]


def _title(content: StatementContent) -> str:
    statement = content.statement
    scope = statement.partner.organisation.name if statement.partner else statement.programme.name
    return _("%(kind)s financial statement, %(scope)s, to %(end)s") % {
        "kind": statement.get_kind_display(),
        "scope": scope,
        "end": date_format(statement.period_end, "DATE_FORMAT"),
    }


def _sheet(book: Book, title: str, columns: list[str], rows: list[list[Any]]) -> Sheet:
    sheet = book.sheet(title)
    sheet.append(columns)
    for cell in sheet.worksheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    for index in range(1, len(columns) + 1):
        sheet.worksheet.column_dimensions[get_column_letter(index)].width = 18
    return sheet


def statement_xlsx(content: StatementContent, base_url: str) -> bytes:
    slug = content.statement.programme.slug

    def link(name: str, *args: Any) -> str:
        return f"{base_url}{reverse(name, args=[slug, *args])}"

    book = Book()
    summary = book.sheet("Summary")
    staff_rows = [
        [
            f"#{r.cost.timesheet_id}",
            r.partner.organisation.name,
            r.person,
            r.cost.month.strftime("%Y-%m"),
            r.cost.hours,
            r.cost.hourly_rate,
            r.cost.currency,
            r.cost.amount,
            r.cost.exchange_rate,
            r.cost.amount_eur,
            link("finance:timesheet", r.cost.timesheet_id),
        ]
        for r in content.staff
    ]
    travel_rows = [
        [
            f"#{r.line.claim_id}",
            r.partner.organisation.name,
            str(r.line.claim.traveller),
            r.line.day,
            r.line.supplier,
            r.line.get_kind_display(),
            r.line.amount,
            r.line.currency,
            r.line.rate,
            r.line.amount_eur,
            link("finance:claim", r.line.claim_id),
            " ".join(
                link("finance:receipt", r.line.claim_id, receipt.pk)
                for receipt in r.line.receipts.all()
            ),
        ]
        for r in content.travel
    ]
    staff = _sheet(book, "Staff", STAFF_COLUMNS, staff_rows)
    travel = _sheet(book, "Travel", TRAVEL_COLUMNS, travel_rows)
    for sheet, column in ((staff, "J"), (travel, "J")):
        for cell in sheet.worksheet[column][1:]:
            cell.number_format = EUR_FORMAT
    last_staff, last_travel = len(staff_rows) + 1, len(travel_rows) + 1

    summary.append([_title(content)])
    summary.worksheet["A1"].font = Font(bold=True, size=13)
    summary.append([])
    summary.append(["partner", "category", "EUR (formula)", "EUR (platform)"])
    for cell in summary.worksheet[3]:
        cell.font = Font(bold=True)
    rate = content.indirect_rate
    total_cells, cofinancing_cells = [], []
    for totals in content.partners:
        name = totals.partner.organisation.name
        first = summary.last_row + 1
        staff_formula = _sum_of(name, "Staff", last_staff)
        travel_formula = _sum_of(name, "Travel", last_travel)
        summary.append(
            [
                name,
                str(CostCategory.STAFF.label),
                staff_formula,
                totals.by_category[CostCategory.STAFF],
            ]
        )
        summary.append(
            [
                name,
                str(CostCategory.TRAVEL.label),
                travel_formula,
                totals.by_category[CostCategory.TRAVEL],
            ]
        )
        summary.append(
            [
                name,
                str(CostCategory.INDIRECT.label),
                Formula(f"=ROUND((C{first}+C{first + 1})*{rate},2)"),
                totals.by_category[CostCategory.INDIRECT],
            ]
        )
        summary.append([name, _("Total"), Formula(f"=SUM(C{first}:C{first + 2})"), totals.total])
        total_cells.append(f"C{first + 3}")
        if totals.partner.role == "city":
            cofinancing_cells.append(f"C{first}")
    row = summary.last_row + 2
    eu_rate = content.statement.programme.max_eu_rate
    total = f"({'+'.join(total_cells) or '0'})"
    cofinancing = f"({'+'.join(cofinancing_cells) or '0'})"
    summary.put(row, 1, _("Eligible costs"))
    summary.put(row, 3, Formula(f"={total}"))
    summary.put(row, 4, content.total)
    summary.put(row + 1, 1, _("Co-financing (cities' staff costs)"))
    summary.put(row + 1, 3, Formula(f"={cofinancing}"))
    summary.put(row + 1, 4, content.co_financing)
    summary.put(row + 2, 1, _("EU contribution"))
    summary.put(row + 2, 3, Formula(f"=MIN(ROUND({total}*{eu_rate},2),{total}-{cofinancing})"))
    summary.put(row + 2, 4, content.eu_contribution)
    summary.put(row + 3, 1, _("Profit (must be zero or less)"))
    summary.put(row + 3, 3, Formula(f"=C{row + 2}+C{row + 1}-C{row}"))
    summary.put(row + 3, 4, content.eu_contribution + content.co_financing - content.total)
    for cells in summary.worksheet.iter_rows(min_row=4, min_col=3, max_col=4):
        for cell in cells:
            cell.number_format = EUR_FORMAT
    for column, width in (("A", 40), ("B", 30), ("C", 18), ("D", 18)):
        summary.worksheet.column_dimensions[column].width = width
    return book.save()


def statement_pdf(content: StatementContent) -> bytes:
    title = _title(content)
    pdf = pdf_document(title)
    pdf.add_page()
    pdf.set_font(FONT, "B", 15)
    pdf.multi_cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font(FONT, "", 9)
    with pdf.table(col_widths=(70, 60, 40), text_align=("LEFT", "LEFT", "RIGHT")) as table:
        head = table.row()
        for text in (_("Partner"), _("Category"), _("Amount")):
            head.cell(text)
        for totals in content.partners:
            for category in (CostCategory.STAFF, CostCategory.TRAVEL, CostCategory.INDIRECT):
                row = table.row()
                row.cell(totals.partner.organisation.name)
                row.cell(str(category.label))
                row.cell(format_money(totals.by_category[category], "EUR"))
            row = table.row()
            row.cell(totals.partner.organisation.name)
            row.cell(_("Total"))
            row.cell(format_money(totals.total, "EUR"))
    pdf.ln(4)
    for label, amount in (
        (_("Eligible costs"), content.total),
        (_("Co-financing (cities' staff costs)"), content.co_financing),
        (_("EU contribution"), content.eu_contribution),
    ):
        pdf.multi_cell(
            0, 6, f"{label}: {format_money(amount, 'EUR')}", new_x="LMARGIN", new_y="NEXT"
        )
    pdf.ln(3)
    pdf.set_font(FONT, "B", 11)
    pdf.multi_cell(0, 7, _("Travel costs, line by line"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 8)
    with pdf.table(col_widths=(15, 25, 50, 30, 25, 25), text_align="LEFT") as table:
        head = table.row()
        for text in (
            _("Claim"),
            _("Date"),
            _("Supplier"),
            _("Amount"),
            _("Rate"),
            _("Amount (EUR)"),
        ):
            head.cell(text)
        for travel in content.travel:
            line = travel.line
            row = table.row()
            row.cell(f"#{line.claim_id}")
            row.cell(date_format(line.day, "SHORT_DATE_FORMAT"))
            row.cell(line.supplier)
            row.cell(format_money(line.amount, line.currency))
            row.cell(number_format(line.rate) if line.rate else "\u2013")
            row.cell(format_money(line.amount_eur, "EUR"))
    return bytes(pdf.output())


def _sum_of(partner: str, sheet: str, last_row: int) -> Formula:
    """The EUR column (J) of a detail sheet, for one partner (column B): the partner's name
    is matched as it is, whatever characters it has."""
    last = max(last_row, 2)
    criterion = xlsx_criterion_equal(partner)
    return Formula(f"=SUMIFS({sheet}!$J$2:$J${last},{sheet}!$B$2:$B${last},{criterion})")
