"""Evaluates the formulas of a statement's Summary sheet from its detail sheets, as a
spreadsheet would (openpyxl reads formulas but does not compute them). Only what the statement
uses: SUMIFS over a detail sheet, SUM of a range, ROUND, MIN, cell references and arithmetic."""

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

SUMIFS = re.compile(r'SUMIFS\((\w+)!\$J\$2:\$J\$(\d+),\w+!\$B\$2:\$B\$\d+,"((?:[^"]|"")*)"\)')


def _sumifs(book: Any, match: re.Match[str]) -> str:
    sheet, last, criterion = match.group(1), int(match.group(2)), match.group(3)
    # The criterion is "=" and the name with its quotes doubled and ~ * ? escaped by ~.
    assert criterion.startswith("="), criterion
    name = re.sub(r"~(.)", r"\1", criterion[1:].replace('""', '"'))
    total = sum(
        (
            Decimal(str(row[9]))
            for row in book[sheet].iter_rows(min_row=2, max_row=last, values_only=True)
            if row[1] == name and row[9] is not None
        ),
        Decimal("0"),
    )
    return f'D("{total}")'


def _round(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def cell_value(book: Any, ref: str, sheet: str = "Summary") -> Decimal:
    value = book[sheet][ref].value
    if not (isinstance(value, str) and value.startswith("=")):
        return Decimal(str(value or 0))
    expression = re.sub(r'(?<![\w."$])(\d+\.\d+)(?![\w"])', r'D("\1")', value[1:])
    expression = SUMIFS.sub(lambda m: _sumifs(book, m), expression)
    expression = re.sub(
        r"SUM\(C(\d+):C(\d+)\)",
        lambda m: "(" + "+".join(f"C{i}" for i in range(int(m[1]), int(m[2]) + 1)) + ")",
        expression,
    )
    expression = re.sub(
        r"\bC(\d+)\b", lambda m: f'D("{cell_value(book, f"C{m[1]}", sheet)}")', expression
    )
    expression = expression.replace("ROUND(", "_round(").replace("MIN(", "min(")
    return Decimal(eval(expression, {"D": Decimal, "_round": _round, "min": min}))  # noqa: S307


def reconcile(book: Any) -> dict[str, tuple[Decimal, Decimal]]:
    """Every Summary row with a formula: its label, then (formula's value, platform's value)."""
    rows = {}
    for index, row in enumerate(book["Summary"].iter_rows(min_row=4, values_only=True), start=4):
        if isinstance(row[2], str) and row[2].startswith("="):
            label = f"{row[0]} / {row[1]}" if row[1] else str(row[0])
            rows[label] = (cell_value(book, f"C{index}"), Decimal(str(row[3])))
    return rows
