"""Reads template sources and reports dates and money shown by hand instead of by locale.

Two rules, applied to every `{{ ... }}` and `{% ... %}` of a template:

Dates. A `|date:` or `|time:` filter (and `{% now %}`) takes either no argument or the name of a
format: one of Django's named formats (DATE_FORMAT, SHORT_DATE_FORMAT, ...) or one of the
project's own (config/formats/<lang>/formats.py). A literal such as "j M Y" is refused, because
it fixes one language's order and words for all. The only literals allowed are the machine formats
of MACHINE_DATE_FORMATS, and only inside an HTML attribute value (a URL, a query string, a
`datetime=` attribute), where no one reads them as prose.

Money. An expression is money-looking when either
  (1) the text right after it is a currency, a three-letter code of CURRENCY_CODES or a variable
      whose name ends in "currency" ({{ x }} EUR, {{ x }} {{ line.currency }}), or
  (2) the last word of its variable's last name is a money word of MONEY_WORDS
      (line.amount, claim.reimbursed_eur, rate.annual_cost, programme.total_budget,
      accepted_total), or that name is one of MONEY_NAMES (hourly_rate).
The words are read from the variable's own name, so `indirect_cost_rate` (a rate), `total_days`
and `get_budget_range_display` (a label) are not money; a `|length` is a count. A money-looking
expression must go through the `money` filter, which prints the currency itself: so (1) after a
`|money` is a currency printed twice, and a money-looking expression without it (for instance
with `floatformat:"2g"`) is refused. Names that look like money but are not (a week's total of
hours) are listed with their reason in NOT_MONEY.

`{% blocktranslate with x=expr %}`, `{% with %}` and `{% include ... with %}` bindings are
checked as expressions; a placeholder `{{ x }}` bound by a blocktranslate is checked by rule (1)
only, its name being the translator's, not the data's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.utils.formats import FORMAT_SETTINGS
from django.utils.text import smart_split

# Django's named display formats (the *_INPUT_FORMATS are for parsing, never for display).
DJANGO_NAMED_FORMATS = frozenset(
    name for name in FORMAT_SETTINGS if name.endswith("_FORMAT") and "INPUT" not in name
)
# Literal formats a machine reads: ISO 8601 date-time, date and month. Inside attributes only.
MACHINE_DATE_FORMATS = frozenset({"c", "Y-m-d", "Y-m", "U"})

# programmes.choices.Currency and a few more European currencies.
CURRENCY_CODES = frozenset(
    {"EUR", "GBP", "PLN", "SEK", "DKK", "CZK", "HUF", "RON", "BGN", "NOK", "CHF", "ISK"}
    | {"USD", "TRY", "UAH", "RSD", "MKD", "ALL", "BAM", "MDL", "GEL"}
)
MONEY_WORDS = frozenset({"amount", "amounts", "budget", "eur", "cost", "costs", "price", "total"})
MONEY_WORDS |= frozenset({"salary", "fee", "fees", "money"})
MONEY_NAMES = frozenset({"hourly_rate"})
# (template path relative to its templates folder, expression's variable) -> why it is not money.
NOT_MONEY: dict[tuple[str, str], str] = {
    ("finance/week.html", "total"): "hours of a day",
    ("finance/week.html", "row.total"): "hours of an activity in the week",
    ("finance/week.html", "grid.total"): "hours of the week",
    ("finance/timesheet.html", "total"): "hours of a day",
    ("finance/timesheet.html", "summary.total"): "hours of the month",
    ("knowledge/practice_list.html", "result.total"): "number of practices found",
    ("knowledge/practice_list.html", "total"): "number of practices found",
    ("programmes/people.html", "total"): "number of people",
}
# Filters after which the value is a count or a label, not an amount.
NOT_AMOUNT_FILTERS = frozenset({"length", "yesno", "pluralize", "date", "time", "money"})

_COMMENT = re.compile(r"\{#.*?#\}|\{%\s*comment\b.*?%\}.*?\{%\s*endcomment\s*%\}", re.DOTALL)
_TAG = re.compile(r"\{\{(?P<var>.*?)\}\}|\{%(?P<block>.*?)%\}", re.DOTALL)
_DATE_FILTER = re.compile(
    r"\|\s*(?P<filter>date|time)\b(?:\s*:\s*(?P<arg>\"[^\"]*\"|'[^']*'|[^\s|}%]+))?"
)
_NOW_TAG = re.compile(r"^\s*now\s+(?P<arg>\"[^\"]*\"|'[^']*'|\S+)")
_FLOATFORMAT_2 = re.compile(r"\|\s*floatformat\s*:\s*[\"']?-?2[gu]*[\"']?")
_BINDING = re.compile(r"^(?P<name>\w+)=(?P<expr>[^=].*)$", re.DOTALL)
_CURRENCY_AFTER = re.compile(
    r"^(?:\s|&nbsp;|\u00a0)*(?:(?P<code>[A-Z]{3})\b|\{\{\s*(?P<var>[\w.]*currency)\s*(?:\|[^}]*)?\}\})"
)
_STRING = re.compile(r"\"[^\"]*\"|'[^']*'")


@dataclass(frozen=True)
class Problem:
    template: str
    line: int
    source: str
    message: str

    def __str__(self) -> str:
        return f"{self.template}:{self.line}: {self.source.strip()}: {self.message}"


def project_format_names() -> frozenset[str]:
    """The project's own named formats, as the English module defines them."""
    module = import_module(f"{settings.FORMAT_MODULE_PATH[0]}.en.formats")
    return frozenset(
        name
        for name in vars(module)
        if name.endswith("_FORMAT") and name not in DJANGO_NAMED_FORMATS
    )


def allowed_format_names(custom: frozenset[str]) -> frozenset[str]:
    return DJANGO_NAMED_FORMATS | custom


def _unquote(arg: str) -> str | None:
    """The literal string of a filter argument, or None for a variable."""
    if len(arg) >= 2 and arg[0] == arg[-1] and arg[0] in "\"'":
        return arg[1:-1]
    return None


def _in_attribute_value(source: str, position: int) -> bool:
    """Whether `position` is inside the value of an HTML attribute: after `<tag ... name="`."""
    start = source.rfind("<", 0, position)
    if start == -1:
        return False
    before = _TAG.sub("x", source[start:position])  # template tags carry quotes of their own
    if ">" in before:
        return False
    return re.search(r"=\s*(?:\"[^\"]*|'[^']*|[^\s\"'>]+)$", before) is not None


def _variable_and_filters(expression: str) -> tuple[str, list[str]]:
    """`a.b|f:"x"|g` -> ("a.b", ["f", "g"]); quoted arguments never split it."""
    masked = _STRING.sub(lambda m: '"' + "x" * (len(m.group()) - 2) + '"', expression)
    parts = masked.split("|")
    filters = [re.match(r"\s*(\w*)", part).group(1) for part in parts[1:]]  # type: ignore[union-attr]
    return expression[: len(parts[0])].strip(), filters


def _is_money_name(variable: str) -> bool:
    if not re.fullmatch(r"[A-Za-z_][\w.]*", variable):
        return False  # a literal, not a variable
    last = variable.rsplit(".", 1)[-1].lower()
    if last.startswith("get_") and last.endswith("_display"):
        return False
    return last in MONEY_NAMES or last.split("_")[-1] in MONEY_WORDS


def _currency_after(source: str, end: int) -> str | None:
    match = _CURRENCY_AFTER.match(source[end : end + 200])
    if not match:
        return None
    if match.group("code"):
        return match.group("code") if match.group("code") in CURRENCY_CODES else None
    return match.group("var")


def _line(source: str, position: int) -> int:
    return source.count("\n", 0, position) + 1


def audit_source(name: str, source: str, format_names: frozenset[str]) -> Iterator[Problem]:
    """Every problem of one template's source; `name` is its path under its templates folder."""
    source = _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), source)
    placeholders: set[str] = set()  # names bound by the open blocktranslate
    for tag in _TAG.finditer(source):
        content = tag.group("var") if tag.group("var") is not None else tag.group("block")
        line = _line(source, tag.start())
        yield from _date_problems(name, source, tag, content, line, format_names)

        if tag.group("block") is not None:
            bits = list(smart_split(content.strip()))
            tag_name = bits[0] if bits else ""
            if tag_name in {"blocktranslate", "blocktrans"}:
                placeholders = set()
            if tag_name in {"blocktranslate", "blocktrans", "with", "include"}:
                for bit in bits[1:]:
                    binding = _BINDING.match(bit)
                    if binding:
                        if tag_name in {"blocktranslate", "blocktrans"}:
                            placeholders.add(binding.group("name"))
                        yield from _money_problems(
                            name, source, tag, binding.group("expr"), line, after_text=False
                        )
            if tag_name in {"endblocktranslate", "endblocktrans"}:
                placeholders = set()
            continue

        variable, _filters = _variable_and_filters(content)
        yield from _money_problems(
            name, source, tag, content, line, after_text=True, placeholder=variable in placeholders
        )


def _date_problems(name, source, tag, content, line, format_names) -> Iterator[Problem]:
    arguments = [(m.group("filter"), m.group("arg")) for m in _DATE_FILTER.finditer(content)]
    now = _NOW_TAG.match(content) if tag.group("block") is not None else None
    if now:
        arguments.append(("now", now.group("arg")))
    for filter_name, arg in arguments:
        if arg is None:
            continue  # DATE_FORMAT / TIME_FORMAT of the language
        literal = _unquote(arg)
        if literal is None:
            yield Problem(name, line, tag.group(), f"|{filter_name} takes a variable format")
        elif literal in format_names:
            continue
        elif literal in MACHINE_DATE_FORMATS:
            if not _in_attribute_value(source, tag.start()):
                yield Problem(
                    name,
                    line,
                    tag.group(),
                    f'the machine format "{literal}" is shown to people; use a named format',
                )
        else:
            yield Problem(
                name,
                line,
                tag.group(),
                f'|{filter_name}:"{literal}" is written by hand; use a named format '
                "(DATE_FORMAT, SHORT_DATE_FORMAT, YEAR_MONTH_FORMAT, ...)",
            )


def _money_problems(
    name, source, tag, expression, line, *, after_text: bool, placeholder: bool = False
) -> Iterator[Problem]:
    variable, filters = _variable_and_filters(expression)
    if (name, variable) in NOT_MONEY:
        return
    formatted = "money" in filters
    currency = _currency_after(source, tag.end()) if after_text else None
    if formatted and currency:
        yield Problem(name, line, tag.group(), "the money filter prints the currency already")
        return
    if formatted or any(f in NOT_AMOUNT_FILTERS for f in filters):
        return
    by_name = not placeholder and _is_money_name(variable)
    if not (currency or by_name):
        return
    how = "with floatformat" if _FLOATFORMAT_2.search(expression) else "by hand"
    yield Problem(
        name,
        line,
        tag.group() if after_text else expression,
        f"money printed {how}; use {{{{ {variable}|money:<currency> }}}}",
    )


def audit_templates(folders: list[Path], format_names: frozenset[str]) -> list[Problem]:
    problems: list[Problem] = []
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.suffix in {".html", ".txt", ".xml", ".svg", ".ics"} and path.is_file():
                relative = path.relative_to(folder).as_posix()
                problems.extend(
                    audit_source(relative, path.read_text(encoding="utf-8"), format_names)
                )
    return problems
