"""Recomputes a statement's XLSX as a spreadsheet would, with the `formulas` package (a real
formula evaluator: it parses every formula of the workbook, the named cells included, and
computes them from the values in the file), and reads the values the file saved beside its
formulas (openpyxl reads formulas and saved values, and computes nothing).

`recomputed` gives every formula cell's text, computed value and saved value; `reconcile`
labels the Summary's formula cells with their row and column headers."""

import io
import re
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import formulas
from openpyxl import load_workbook

CELL = re.compile(r"^'?\[[^\]]*\](?P<sheet>[^']+)'?!(?P<cell>[A-Z]+\d+)$")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class FormulaCell:
    formula: str  # as written: "=ROUND(F2/G2,2)"
    computed: Any  # by the evaluator
    saved: Any  # the value the file keeps beside the formula (None when it keeps none)


def as_cents(value: Any) -> Decimal:
    """A spreadsheet's number (a float) as the amount it stands for, to the cent."""
    return Decimal(repr(float(value))).quantize(CENT)


def _evaluate(data: bytes) -> dict[tuple[str, str], Any]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "statement.xlsx"
        path.write_bytes(data)
        model = formulas.ExcelModel().loads(str(path)).finish()
        solution = model.calculate()
    values = {}
    for key, result in solution.items():
        if match := CELL.match(str(key)):
            value = getattr(result, "value", result)
            values[(match["sheet"].upper(), match["cell"])] = value[0][0]
    return values


def recomputed(data: bytes) -> dict[tuple[str, str], FormulaCell]:
    """Every formula cell of the workbook, by (sheet title, cell reference)."""
    written = load_workbook(io.BytesIO(data))
    saved = load_workbook(io.BytesIO(data), data_only=True)
    computed = _evaluate(data)
    cells = {}
    for sheet in written.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cells[(sheet.title, cell.coordinate)] = FormulaCell(
                        str(cell.value),
                        computed.get((sheet.title.upper(), cell.coordinate)),
                        saved[sheet.title][cell.coordinate].value,
                    )
    return cells


def _label(sheet: Any, row: int, column: int, header_row: int) -> str:
    """A Summary cell's name: the partner (or the line's label) and the column's header."""
    partner = sheet.cell(row, 2).value
    if partner is not None and row > header_row:
        return f"{partner} / {sheet.cell(header_row, column).value}"
    return str(sheet.cell(row, 1).value)


def reconcile(data: bytes) -> dict[str, tuple[Decimal, Decimal]]:
    """Every formula of the Summary: its label, then (recomputed, saved) to the cent."""
    book = load_workbook(io.BytesIO(data))
    summary = book["Summary"]
    header_row = next(row[0].row for row in summary.iter_rows() if row[0].value == "partner no.")
    rows = {}
    for (title, ref), cell in recomputed(data).items():
        if title != "Summary":
            continue
        target = summary[ref]
        label = _label(summary, target.row, target.column, header_row)
        rows[label] = (as_cents(cell.computed), as_cents(cell.saved))
    return rows
