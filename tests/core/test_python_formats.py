"""The project's Python code shows dates in named locale formats and money through format_money.

The rules and the allow-list of machine formats are in tests/core/python_audit.py; the same rules
for templates are in tests/core/template_audit.py.
"""

from pathlib import Path

import pytest
from django.conf import settings

from tests.core.python_audit import (
    EXCLUDED_FOLDERS,
    MACHINE_FORMATS,
    audit_python,
    audit_python_source,
    project_python_files,
)
from tests.core.template_audit import allowed_format_names, project_format_names

FORMAT_NAMES = allowed_format_names(project_format_names())
ROOT = Path(settings.BASE_DIR).resolve()


def _problems(source: str) -> list[str]:
    return [p.message for p, _key in audit_python_source("x/module.py", source, FORMAT_NAMES)]


def test_the_audit_reads_the_project_source_and_leaves_out_what_is_not_its_code():
    files = {p.relative_to(ROOT).as_posix() for p in project_python_files(ROOT, EXCLUDED_FOLDERS)}
    for module in (
        "finance/exports.py",
        "finance/forms.py",
        "action_plans/exports.py",
        "action_plans/services/reminders.py",
        "knowledge/exports.py",
        "core/money.py",
        "matching/services.py",
    ):
        assert module in files
    assert not any(
        f.startswith(("tests/", ".venv/", "config/formats/", "matching/solver/"))
        or "/migrations/" in f
        for f in files
    )


def test_no_python_module_shows_a_hand_written_date_format_or_money():
    problems, used = audit_python(ROOT, FORMAT_NAMES)
    assert not problems, "\n" + "\n".join(str(p) for p in problems)
    # Every machine format listed is still in the code: the list cannot hide a new use.
    assert set(MACHINE_FORMATS) - used == set()


@pytest.mark.parametrize(
    "source",
    [
        'day.strftime("%d/%m/%Y")',
        'f"{day:%d/%m/%Y}"',
        'format(day, "%d %B")',
        "day.isoformat()",
        'date_format(day, "j F Y")',
        "date_format(day, 'l j F')",
        "date_format(day, fmt)",
        'formats.date_format(day, format="D j")',
        'time_format(moment, "H:i")',
        'dateformat.format(day, "j M")',
        "Template(\"{{ d|date:'j M Y' }}\")",
        'f"{amount:,.2f}"',
        'f"{amount:,.2f} EUR"',
        'f"{amount:.2f} EUR"',
        'f"{amount}\\u00a0EUR"',
        'f"€{amount}"',
        'f"{line.amount} {line.currency}"',
        'f"{self.amount}\\u00a0{currency}"',
        '"{:,.2f}".format(amount)',
        'format(amount, ",.2f")',
        '_("The payment must be the accepted total, %(due)s EUR.") % {"due": due}',
        '"%.2f EUR" % amount',
        '"{total} EUR".format(total=total)',
    ],
)
def test_the_audit_refuses_a_date_or_money_formatted_by_hand(source):
    assert _problems(source)


@pytest.mark.parametrize(
    "source",
    [
        'date_format(day, "DATE_FORMAT")',
        'date_format(day, "SHORT_DATE_FORMAT")',
        'date_format(day, "WEEKDAY_MONTH_DAY_FORMAT")',
        "date_format(day)",
        'time_format(moment, "TIME_FORMAT")',
        'format_money(amount, "EUR")',
        'f"{seconds:.0f} s"',
        'f"{currency} {month}"',  # a currency named, no amount
        '_("Under 10,000 EUR")',  # a fixed label the translators write
        "date.fromisoformat(text)",
        'forms.DateInput(attrs={"type": "month"}, format="%Y-%m")',  # an input's value
        '"""A docstring may show 1,234.56 EUR and day.strftime("%d")."""',
        "Template(\"{{ d|date:'SHORT_DATE_FORMAT' }}\")",
    ],
)
def test_the_audit_accepts_named_formats_format_money_and_what_is_not_a_display(source):
    assert _problems(source) == []
