"""Every template shows dates in named locale formats and money through the `money` filter.

The rules and the money heuristic are documented in tests/core/template_audit.py.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines

from tests.core.template_audit import (
    allowed_format_names,
    audit_source,
    audit_templates,
    project_format_names,
)

FORMAT_NAMES = allowed_format_names(project_format_names())


def _project_template_folders() -> list[Path]:
    """The DIRS and the apps' templates folders of the project, not those of installed packages."""
    base = Path(settings.BASE_DIR).resolve()
    folders = []
    for folder in engines["django"].template_dirs:
        folder = Path(folder).resolve()
        if folder.is_relative_to(base) and ".venv" not in folder.parts and folder.is_dir():
            folders.append(folder)
    return folders


def _problems(source: str, name: str = "x/page.html") -> list[str]:
    return [p.message for p in audit_source(name, source, FORMAT_NAMES)]


def test_the_audit_reads_every_project_template_folder():
    folders = _project_template_folders()
    assert Path(settings.BASE_DIR, "templates").resolve() in folders
    assert sum(1 for folder in folders for _ in folder.rglob("*.html")) > 50


def test_no_template_shows_a_hand_written_date_format_or_unformatted_money():
    problems = audit_templates(_project_template_folders(), FORMAT_NAMES)
    assert not problems, "\n" + "\n".join(str(p) for p in problems)


@pytest.mark.parametrize(
    "source",
    [
        '{{ d|date:"j M Y" }}',
        "{{ d|date:'F Y' }}",
        '{{ d|time:"H:i" }}',
        '{% blocktranslate with day=d|date:"D j" %}on {{ day }}{% endblocktranslate %}',
        '{% now "Y" %}',
        "{{ d|date:fmt }}",
        '<p>{{ d|date:"Y-m-d" }}</p>',  # a machine format shown to people
    ],
)
def test_the_audit_refuses_a_hand_written_date(source):
    assert _problems(source)


@pytest.mark.parametrize(
    "source",
    [
        '{{ d|date:"SHORT_DATE_FORMAT" }}',
        "{{ d|date }}",
        '{{ d|date:"YEAR_MONTH_FORMAT" }}',
        '{{ d|date:"WEEKDAY_DAY_FORMAT" }}',
        "<a href=\"?week={{ d|date:'Y-m-d' }}\">",
        '<time datetime="{{ d|date:"c" }}">{{ d|date:"DATETIME_FORMAT" }}</time>',
        '<a href="{% url "x" %}?month={{ d|date:"Y-m" }}&amp;view={% translate "m" %}">',
    ],
)
def test_the_audit_accepts_named_and_machine_formats(source):
    assert _problems(source) == []


@pytest.mark.parametrize(
    "source",
    [
        "{{ line.amount }} {{ line.currency }}",
        "{{ claim.reimbursed_eur }}",
        "{{ x.planned }} EUR",
        "{{ x.planned }}&nbsp;GBP",
        '{{ row.budget|floatformat:"2g" }}',
        "{{ rate.hourly_rate }}",
        "{{ accepted_total|default_if_none:'-' }}",
        "{% blocktranslate with total=accepted_total %}Approve {{ total }}{% endblocktranslate %}",
        '{% blocktranslate with t=x|money:"EUR" %}Approve {{ t }} EUR{% endblocktranslate %}',
        "{{ line.amount|money:line.currency }} {{ line.currency }}",  # currency twice
    ],
)
def test_the_audit_refuses_money_printed_by_hand(source):
    assert _problems(source)


@pytest.mark.parametrize(
    "source",
    [
        "{{ line.amount|money:line.currency }}",
        '{{ c.claimed_eur|money:"EUR" }}',
        '{% blocktranslate with total=accepted_total|money:"EUR" %}'
        "Approve {{ total }}{% endblocktranslate %}",
        "{{ programme.indirect_cost_rate }}",
        "{{ page.total_days }}",
        "{{ p.get_budget_range_display }}",
        "{{ budgets|length }}",
        "{{ line.rate }} {{ line.pk }}",
    ],
)
def test_the_audit_accepts_money_through_the_filter_and_what_is_not_money(source):
    assert _problems(source) == []


def test_a_total_of_hours_is_not_money_only_where_it_is_listed():
    assert _problems("{{ total }}", "finance/week.html") == []
    assert _problems("{{ total }}", "finance/claim.html")
