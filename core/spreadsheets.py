"""Every spreadsheet the platform writes (XLSX and CSV) goes through here, so that what people
typed stays text: a supplier typed as `=HYPERLINK(...)` must reach the funder's finance officer
as those characters, never as a live formula. Only the platform's own formulas are formulas.

The rule, for both formats:
- A value is user text when it is a string (or a lazy translation). Text that a spreadsheet
  would read as a formula or a command is *formula-like*: it starts with `=`, `+`, `-`, `@`, a
  tab or a carriage return (the OWASP list).
- Numbers written as numbers (int, Decimal, float) are not user text and stay numbers: -12.50
  is a negative amount, written as one. The same characters typed into a text field ("-12.50"
  as a supplier's name) are text and are escaped. Dates, booleans and None are written as
  values too.
- XLSX: every string is a text cell (`data_type` "s", never "f" or "e"; openpyxl on its own
  turns any string starting with "=" into a formula and "#N/A" into an error); a formula-like
  one also gets the quote prefix, so a spreadsheet keeps it text when someone edits the cell.
  The characters stay exactly as typed (no quote added); control characters a worksheet
  cannot hold are shown as U+FFFD. A platform formula is a `Formula`; user text inside one is
  quoted with `xlsx_string_literal`. When the book is saved, any formula or error cell that
  was not written as a `Formula` is turned back into text, whatever wrote it.
- CSV: a formula-like string gets a leading single quote (`'=1+1`), which spreadsheets show
  as text; every field is quoted, so a `;` inside a value cannot start a new cell in a
  spreadsheet that splits on semicolons. So that an export imports back unchanged, a string
  of quotes followed by a formula-like start gets one quote more, and `csv_value_read` removes
  exactly one: the escaping is reversible (`csv_value_read(csv_value(s)) == s`).

`Book` (openpyxl) writes values and formulas; `FormulaBook` (XlsxWriter) also saves each
formula's computed value and names cells (a statement's rates), under the same rule.

A module that writes a spreadsheet any other way fails tests/core/test_exports.py.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import xlsxwriter
from openpyxl import Workbook
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.worksheet.worksheet import Worksheet
from xlsxwriter.utility import xl_rowcol_to_cell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_ESCAPED_START = re.compile(r"'*[=+\-@\t\r]")
_READ_BACK = re.compile(r"'+[=+\-@\t\r]")
XLSX_TEXT_LIMIT = 32767  # characters a cell holds
NUMBERS = (int, float, Decimal)
VALUES = (*NUMBERS, bool, date, datetime, time)


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet would take this text for a formula or a command."""
    return text.startswith(FORMULA_STARTS)


# ---------------------------------------------------------------- CSV


def csv_value(value: Any) -> Any:
    """One field as written: numbers as they are, text escaped (see the module's rule)."""
    if value is None:
        return ""
    if isinstance(value, VALUES):
        return value
    text = str(value)
    return f"'{text}" if _ESCAPED_START.match(text) else text


def csv_value_read(text: str) -> str:
    """A field of a CSV file as the person meant it: the quote `csv_value` added removed."""
    return text[1:] if _READ_BACK.match(text) else text


def csv_file(rows: Iterable[Sequence[Any]]) -> str:
    """Rows (the first is usually the header) as CSV text, every field quoted and escaped."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL)
    writer.writerows([csv_value(value) for value in row] for row in rows)
    return out.getvalue()


def csv_records(columns: Sequence[str], records: Iterable[Mapping[str, Any]]) -> str:
    """Records as CSV text under a header of `columns` (a missing key is an empty field)."""
    return csv_file([columns, *([record.get(c) for c in columns] for record in records)])


# ---------------------------------------------------------------- XLSX


@dataclass(frozen=True)
class Formula:
    """A formula the platform wrote (it starts with "="). Quote any user text in it with
    `xlsx_string_literal`. `value` is what it computes, saved beside it by a `FormulaBook`
    so that a viewer that does not recalculate still shows the figure."""

    text: str
    value: Any = None

    def __post_init__(self) -> None:
        if not self.text.startswith("="):
            raise ValueError("A formula starts with '='.")


def xlsx_string_literal(text: str) -> str:
    """Text as a string inside a formula: in double quotes, its own quotes doubled."""
    return '"' + _clean(text).replace('"', '""') + '"'


def xlsx_criterion_equal(text: str) -> str:
    """A SUMIFS/COUNTIFS criterion that matches cells holding exactly this text: without the
    leading "=" a text such as "<>x" or "=x" would be read as a comparison, and *, ? and ~ as
    wildcards."""
    literal = text.replace("~", "~~").replace("*", "~*").replace("?", "~?")
    return xlsx_string_literal(f"={literal}")


def _clean(text: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)[:XLSX_TEXT_LIMIT]


def _as_text(cell: Cell, text: str) -> None:
    cell.value = _clean(text)
    cell.data_type = "s"
    if is_formula_like(text) or text in ERROR_CODES:
        cell.quotePrefix = True


class Sheet:
    """One worksheet written through the rule. `worksheet` is there for looks only (fonts,
    widths, number formats): values go through `append` and `put`."""

    def __init__(self, worksheet: Worksheet) -> None:
        self.worksheet = worksheet
        self.formulas: set[str] = set()
        self.last_row = 0

    def put(self, row: int, column: int, value: Any) -> Cell:
        cell: Cell = self.worksheet.cell(row, column)
        self.last_row = max(self.last_row, row)
        if isinstance(value, Formula):
            cell.value = value.text
            self.formulas.add(cell.coordinate)
        elif value is None or isinstance(value, VALUES):
            cell.value = value
        else:
            _as_text(cell, str(value))
        return cell

    def append(self, values: Sequence[Any]) -> int:
        """Write a row below the last one (an empty row leaves a gap); its number."""
        self.last_row += 1
        for column, value in enumerate(values, start=1):
            if value is not None:
                self.put(self.last_row, column, value)
        return self.last_row

    def _neutralise(self) -> None:
        for row in self.worksheet.iter_rows():
            for cell in row:
                if cell.data_type in ("f", "e") and cell.coordinate not in self.formulas:
                    _as_text(cell, str(cell.value))


class Book:
    """An XLSX workbook whose cells follow the rule."""

    def __init__(self) -> None:
        self._book = Workbook()
        self._sheets: list[Sheet] = []

    def sheet(self, title: str) -> Sheet:
        if self._sheets:
            worksheet = self._book.create_sheet(title)
        else:
            worksheet = self._book.active
            worksheet.title = title
        sheet = Sheet(worksheet)
        self._sheets.append(sheet)
        return sheet

    def save(self) -> bytes:
        for sheet in self._sheets:
            sheet._neutralise()
        out = io.BytesIO()
        self._book.save(out)
        return out.getvalue()


# ---------------------------------------------------------------- XLSX with computed values

Style = Mapping[str, Any]  # XlsxWriter format properties: {"bold": True, "num_format": "0.00"}
DATE_STYLE: Style = {"num_format": "yyyy-mm-dd"}


class FormulaSheet:
    """One worksheet of a `FormulaBook`. Rows and columns count from 1, as in `Sheet`; the
    `worksheet` is there for looks only (column widths, frozen panes)."""

    def __init__(self, book: FormulaBook, worksheet: Any, title: str) -> None:
        self.book = book
        self.worksheet = worksheet
        self.title = title
        self.last_row = 0

    def put(self, row: int, column: int, value: Any, style: Style | None = None) -> str:
        """Write one cell by the rule; its reference ("B3")."""
        r, c = row - 1, column - 1
        self.last_row = max(self.last_row, row)
        style = dict(style or {})
        if isinstance(value, Formula):
            cached = value.value
            if isinstance(cached, Decimal):
                cached = float(cached)  # written as its shortest text: 1009.49
            elif isinstance(cached, str):
                cached = _clean(cached)
            self.worksheet.write_formula(r, c, value.text, self.book.format(style), cached)
        elif value is None:
            self.worksheet.write_blank(r, c, None, self.book.format(style))
        elif isinstance(value, bool):
            self.worksheet.write_boolean(r, c, value, self.book.format(style))
        elif isinstance(value, NUMBERS):
            self.worksheet.write_number(r, c, float(value), self.book.format(style))
        elif isinstance(value, date | datetime | time):
            dated = {**DATE_STYLE, **style}
            self.worksheet.write_datetime(r, c, value, self.book.format(dated))
        else:
            text = str(value)
            quoted = is_formula_like(text) or text in ERROR_CODES
            self.worksheet.write_string(r, c, _clean(text), self.book.format(style, quoted))
        return xl_rowcol_to_cell(r, c)

    def append(self, values: Sequence[Any], style: Style | None = None) -> int:
        """Write a row below the last one (None leaves a cell empty); its number."""
        self.last_row += 1
        for column, value in enumerate(values, start=1):
            if value is not None:
                self.put(self.last_row, column, value, style)
        return self.last_row

    def name(self, name: str, row: int, column: int) -> None:
        """Name one cell of this sheet in the workbook (formulas then say `EU_RATE`)."""
        cell = xl_rowcol_to_cell(row - 1, column - 1, True, True)
        self.book.workbook.define_name(name, f"='{self.title}'!{cell}")


class FormulaBook:
    """An XLSX workbook whose cells follow the rule, with each formula's computed value
    saved beside it and cells named (XlsxWriter: it writes, and never reads back). Strings are
    always string cells (never turned into formulas, numbers or links)."""

    def __init__(self) -> None:
        self._out = io.BytesIO()
        self.workbook = xlsxwriter.Workbook(
            self._out,
            {
                "in_memory": True,
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
            },
        )
        self._formats: dict[tuple[Any, ...], Any] = {}

    def sheet(self, title: str) -> FormulaSheet:
        return FormulaSheet(self, self.workbook.add_worksheet(title), title)

    def format(self, style: Style, quoted: bool = False) -> Any:
        """One XlsxWriter format per style (the quote prefix keeps a formula-like text text
        when someone edits the cell)."""
        properties = {**style, **({"quote_prefix": True} if quoted else {})}
        key = tuple(sorted(properties.items()))
        if key not in self._formats:
            self._formats[key] = self.workbook.add_format(properties) if properties else None
        return self._formats[key]

    def save(self) -> bytes:
        self.workbook.close()
        return self._out.getvalue()
