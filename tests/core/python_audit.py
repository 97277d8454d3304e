"""Reads the project's Python source and reports dates and money formatted by hand for people.

Python code that writes a document, an e-mail, a message or a label must show a date through
Django's named formats (`date_format(day, "DATE_FORMAT")`, the language modules in
config/formats) and money through `core.money.format_money(amount, currency)`, so that both follow
the reader's language. The rules, read from the syntax tree (comments never count, docstrings are
skipped):

Dates.
  - `x.strftime(...)`, `x.isoformat()` and a `%` directive in an f-string or `format()` spec
    (`f"{day:%d/%m/%Y}"`) write a date by hand. Each is refused unless it is listed in
    MACHINE_FORMATS with the reason a machine, not a person, reads it (a URL, a data file, a
    spreadsheet cell, an HTML input's value).
  - `date_format(x, fmt)` and `time_format(x, fmt)` (and `dateformat.format`/`time_format`) take
    no format or the name of one (DATE_FORMAT, SHORT_DATE_FORMAT, the project's own); a literal
    such as "j F Y" or a variable is refused.
  - A string holding template code (`{{`, `{%`) is audited with the template rules
    (tests/core/template_audit.py): `|date:"j M"` is refused there as in a template file.

Money.
  - An f-string or `format()` spec that groups thousands (`:,`, `:_`, `:,.2f`) is one language's
    convention written by hand.
  - A value placed right before or after a currency code (CURRENCY_CODES, or €) is an amount
    printed by hand: `f"{total:.2f} EUR"`, `f"{amount} EUR"`, `f"{line.amount} {line.currency}"`,
    `"%(due)s EUR"`, `"{total} EUR"` and `"%.2f EUR"`. The currency
    belongs to format_money, which places it (with a non-breaking space) for the language.
    Listed in MACHINE_FORMATS when the text is a record for auditors, not a display.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

from tests.core.template_audit import CURRENCY_CODES, audit_source

# Folders of the project that are not its source, or that are checked elsewhere.
EXCLUDED_PARTS = frozenset(
    {
        ".venv",
        "node_modules",
        "tests",  # tests write expected values by hand on purpose
        "migrations",  # generated, frozen history
        "var",
        "static",
        "locale",
        "docs",
        "__pycache__",
    }
)
EXCLUDED_FOLDERS = (
    "config/formats",  # the locale formats themselves (input formats are strftime patterns)
    # The matching solver is plain Python with no Django import (ARCHITECTURE.md): it cannot
    # call date_format, and it formats nothing for people (its CLI writes JSON).
    "matching/solver",
)

# (path from the project root, the expression as ast.unparse writes it) -> why a machine reads it.
# An entry that no longer matches anything fails the test, so the list cannot rot.
MACHINE_FORMATS: dict[tuple[str, str], str] = {
    ("conference/forms/onsite.py", "day.isoformat()"): (
        "the value of a day's <option> and of the check-in form's hidden day"
    ),
    ("conference/views/onsite.py", "d.isoformat()"): "the value of a day's <option>",
    ("conference/views/onsite.py", "default.isoformat()"): "the day select's initial value",
    ("conference/views/onsite.py", "found.day.isoformat()"): "the downloaded list's file name",
    ("conference/services/onsite.py", "day.isoformat()"): (
        "the reason recorded in the registration's history, read by auditors"
    ),
    ("core/templatetags/formats.py", "value.isoformat()"): (
        "the iso_date filter: YYYY-MM-DD for URLs, query strings and datetime= attributes"
    ),
    ("finance/views/timesheets.py", "grid.monday.isoformat()"): (
        "the ?week= query string of the redirect after saving a week"
    ),
    ("finance/selectors.py", "f'h-{activity}-{event_id or 0}-{day:%Y%m%d}'"): (
        "the name of a form field of the week's grid"
    ),
    ("demo/scale.py", "PROGRAMME_START.isoformat()"): (
        "the scale programme's data, read by the programme loader like programmes/data/*.json"
    ),
    ("demo/scale.py", "PROGRAMME_END.isoformat()"): (
        "the scale programme's data, read by the programme loader like programmes/data/*.json"
    ),
    ("demo/scale_specs.py", "d.isoformat()"): (
        "a generated timesheet's day, read by the demo year's loader like demo/data/year.json"
    ),
    ("demo/scale_specs.py", "other.isoformat()"): (
        "a generated timesheet's day, read by the demo year's loader like demo/data/year.json"
    ),
    ("demo/scale_specs.py", "first.strftime('%Y-%m')"): (
        "a generated timesheet's month, read by the demo year's loader like demo/data/year.json"
    ),
    ("demo/scale_specs.py", "paid.isoformat()"): (
        "a generated claim's payment day, read by the demo year's loader"
    ),
    ("finance/models.py", "f'{self.currency} {self.month:%Y-%m}: {self.rate}'"): (
        "__str__ of an exchange rate: the record's name in the admin and the history, the same in "
        "every language"
    ),
    ("finance/models.py", "f'{self.person} {self.month:%Y-%m}'"): (
        "__str__ of a timesheet: the record's name in the admin and the history"
    ),
    (
        "finance/services/claims.py",
        "f'approved: {accepted_total(current)} EUR'",
    ): "history change reason: a record for auditors, stored once, in no reader's language",
    ("finance/services/claims.py", "f'reimbursed: {amount_eur} EUR'"): (
        "history change reason: a record for auditors, stored once, in no reader's language"
    ),
    ("notifications/services/notify.py", "value.isoformat()"): (
        "a notification's stored params: an ISO date, shown in the reader's format when read"
    ),
    ("reports/records.py", "value.isoformat()"): (
        "a frozen report's facts stored as JSON, read back by reports.records"
    ),
    ("core/backups.py", "datetime.datetime.now(datetime.UTC).isoformat(timespec='seconds')"): (
        "a backup's manifest: when it was taken, read by the restore and by operators' tools"
    ),
    (
        "core/management/commands/backup_platform.py",
        "datetime.datetime.now(datetime.UTC).strftime('%Y%m%dT%H%M%SZ')",
    ): "a backup's default file name: sorts by time, the same on every machine",
    ("portal/views.py", "expires.isoformat()"): (
        "security.txt's Expires field: an RFC 3339 time that scanners read (RFC 9116)"
    ),
    (
        "programmes/services/loading.py",
        "existing.charter_signed_on.isoformat()",
    ): "the reference data row compared with the data file, which holds ISO dates",
}

DATE_FUNCTIONS = frozenset({"date_format", "time_format"})
_CURRENCY = "(?:" + "|".join(sorted(CURRENCY_CODES)) + "|€)"
_SPACE = r"[ \u00a0\u202f]*"
# A %-placeholder or a str.format field, then a currency: "%(due)s EUR", "%.2f EUR", "{} EUR".
_PLACEHOLDER = r"(?:%(?:\([\w]+\))?[-+ #0]*\d*(?:\.\d+)?[sdfgeiu]|\{[\w.\[\]]*(?::[^{}]*)?\})"
_PLACEHOLDER_THEN_CURRENCY = re.compile(_PLACEHOLDER + _SPACE + _CURRENCY + r"\b")
_CURRENCY_THEN_PLACEHOLDER = re.compile(r"(?:\b|^)" + _CURRENCY + _SPACE + _PLACEHOLDER)
# A str.format field that groups thousands: "{:,.2f}", "{total:_}".
_GROUPING_FIELD = re.compile(r"\{[\w.\[\]]*:[^{}]*[,_][^{}]*\}")
_GROUPING_SPEC = re.compile(r"^[^%]*[,_]")
_CURRENCY_START = re.compile("^" + _SPACE + _CURRENCY + r"\b")
_CURRENCY_END = re.compile(r"(?:\b|^)" + _CURRENCY + _SPACE + "$")


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    source: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.source}: {self.message}"


def project_python_files(root: Path, excluded_folders: tuple[str, ...]) -> list[Path]:
    files = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if any(part in EXCLUDED_PARTS or part.startswith(".") for part in relative.parts):
            continue
        if any(relative.as_posix().startswith(folder + "/") for folder in excluded_folders):
            continue
        if any(part.endswith(".egg-info") for part in relative.parts):
            continue
        files.append(path)
    return files


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the string constants that are docstrings or bare string statements."""
    found = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            found.add(id(node.value))
    return found


def _function_name(call: ast.Call) -> str:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return ""


def _literal(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _is_currency_name(node: ast.AST) -> bool:
    """`currency`, `line.currency`, `self.currency_code`: a field that holds a currency."""
    name = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")
    return "currency" in name.lower()


def _spec_text(spec: ast.AST | None) -> str:
    """The literal part of an f-string field's format spec."""
    if spec is None:
        return ""
    if isinstance(spec, ast.JoinedStr):
        return "".join(v.value for v in spec.values if isinstance(v, ast.Constant))
    return _literal(spec) or ""


class _Auditor(ast.NodeVisitor):
    def __init__(self, path: str, format_names: frozenset[str], docstrings: set[int]) -> None:
        self.path = path
        self.format_names = format_names
        self.docstrings = docstrings
        self.found: list[tuple[ast.AST, str, str]] = []  # (node, snippet, message)

    def _report(self, node: ast.AST, message: str) -> None:
        self.found.append((node, ast.unparse(node), message))

    def visit_Call(self, node: ast.Call) -> None:
        name = _function_name(node)
        is_method = isinstance(node.func, ast.Attribute)
        if is_method and name == "strftime":
            self._report(node, "a date written by hand with strftime; use a named format")
        elif is_method and name == "isoformat" and not node.args:
            self._report(node, "an ISO date is for machines; show people a named format")
        elif name in DATE_FUNCTIONS or (
            name == "format"
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "dateformat"
        ):
            fmt = node.args[1] if len(node.args) > 1 else None
            for keyword in node.keywords:
                if keyword.arg in {"format", "format_string"}:
                    fmt = keyword.value
            if fmt is not None:
                literal = _literal(fmt)
                if literal is None:
                    self._report(node, f"{name} takes a variable format; name one")
                elif literal not in self.format_names:
                    self._report(
                        node,
                        f'{name}(..., "{literal}") is written by hand; use a named format '
                        "(DATE_FORMAT, SHORT_DATE_FORMAT, YEAR_MONTH_FORMAT, ...)",
                    )
        elif isinstance(node.func, ast.Name) and name == "format" and len(node.args) == 2:
            spec = _literal(node.args[1]) or ""
            if "%" in spec:
                self._report(node, "a date written by hand in a format() spec; use a named format")
            elif _GROUPING_SPEC.match(spec):
                self._report(node, "thousands grouped by hand; use core.money.format_money")
        self.generic_visit(node)

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        parts = node.values
        for index, part in enumerate(parts):
            if not isinstance(part, ast.FormattedValue):
                continue
            spec = _spec_text(part.format_spec)
            if "%" in spec:
                self._report(node, "a date written by hand in an f-string; use a named format")
            elif _GROUPING_SPEC.match(spec):
                self._report(node, "thousands grouped by hand; use core.money.format_money")
            before = _literal(parts[index - 1]) if index > 0 else None
            after = _literal(parts[index + 1]) if index + 1 < len(parts) else None
            following = parts[index + 2] if index + 2 < len(parts) else None
            if (
                (after and _CURRENCY_START.match(after))
                or (before and _CURRENCY_END.search(before))
                or (
                    after is not None
                    and not after.strip(" \u00a0\u202f")
                    and isinstance(following, ast.FormattedValue)
                    and _is_currency_name(following.value)
                )
            ):
                self._report(
                    node, "an amount printed beside its currency by hand; use format_money"
                )
        # The literal parts are read above, not as plain strings: only the fields are visited.
        for part in parts:
            if isinstance(part, ast.FormattedValue):
                self.visit(part)

    def visit_Constant(self, node: ast.Constant) -> None:
        if not isinstance(node.value, str) or id(node) in self.docstrings:
            return
        text = node.value
        if _PLACEHOLDER_THEN_CURRENCY.search(text) or _CURRENCY_THEN_PLACEHOLDER.search(text):
            self._report(node, "an amount printed beside its currency by hand; use format_money")
        if _GROUPING_FIELD.search(text):
            self._report(node, "thousands grouped by hand; use core.money.format_money")
        if "{{" in text or "{%" in text:
            for problem in audit_source(self.path, text, self.format_names):
                self._report(node, f"template code: {problem.message}")


def audit_python_source(
    path: str, source: str, format_names: frozenset[str]
) -> list[tuple[Problem, tuple[str, str]]]:
    """Every problem of one module, each with its allow-list key (path, snippet)."""
    tree = ast.parse(source, filename=path)
    auditor = _Auditor(path, format_names, _docstrings(tree))
    auditor.visit(tree)
    return [
        (Problem(path, getattr(node, "lineno", 0), snippet, message), (path, snippet))
        for node, snippet, message in auditor.found
    ]


def audit_python(
    root: Path, format_names: frozenset[str], excluded_folders: tuple[str, ...] = EXCLUDED_FOLDERS
) -> tuple[list[Problem], set[tuple[str, str]]]:
    """The problems not allowed by MACHINE_FORMATS, and the allow-list keys that were used."""
    problems: list[Problem] = []
    used: set[tuple[str, str]] = set()
    for path in project_python_files(root, excluded_folders):
        relative = path.relative_to(root).as_posix()
        for problem, key in audit_python_source(
            relative, path.read_text(encoding="utf-8"), format_names
        ):
            if key in MACHINE_FORMATS:
                used.add(key)
            else:
                problems.append(problem)
    return problems, used
