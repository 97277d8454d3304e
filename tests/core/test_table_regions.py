"""Every table scrolls inside its own focusable region named by its caption (core/templatetags/
tables.py), so no page scrolls sideways at 320 CSS px because of a table (WCAG 1.4.10)."""

import re

from django.conf import settings
from django.template import Context, Template

from core.templatetags.tables import caption_text
from tests.core.test_template_formats import _project_template_folders


def test_every_table_of_every_template_is_in_a_region_and_has_a_caption():
    tables, problems = 0, []
    paths = sorted(p for folder in _project_template_folders() for p in folder.rglob("*.html"))
    for path in paths:
        source = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<table\b.*?</table>", source, flags=re.DOTALL):
            tables += 1
            line = source.count("\n", 0, match.start()) + 1
            where = f"{path.relative_to(settings.BASE_DIR)}:{line}"
            if not source[: match.start()].endswith("{% scrolltable %}"):
                problems.append(f"{where}: not inside {{% scrolltable %}}")
            # (A report's table has a caption when its block has one.)
            if not re.match(r"<table\b[^>]*>\s*(\{% if [^%]*%\})?<caption\b", match.group(0)):
                problems.append(f"{where}: its first child is not a <caption>")
    assert tables > 100
    assert not problems, "\n".join(problems)


def test_the_region_is_focusable_and_named_by_the_rendered_caption():
    html = Template(
        "{% load tables %}{% for city in cities %}{% scrolltable %}<table><caption>Claims of "
        "<span>{{ city }}</span></caption><tr><td>1</td></tr></table>{% endscrolltable %}"
        "{% endfor %}"
    ).render(Context({"cities": ["Brighton & Hove", "Gdańsk"]}))
    assert html.count('class="table-scroll" role="region" tabindex="0"') == 2
    assert 'aria-label="Claims of Brighton &amp; Hove"' in html
    assert 'aria-label="Claims of Gdańsk"' in html
    assert "<caption>Claims of <span>Brighton &amp; Hove</span></caption>" in html


def test_a_table_without_a_caption_still_scrolls_but_claims_no_name():
    html = Template(
        "{% load tables %}{% scrolltable %}<table><tr><td>1</td></tr></table>{% endscrolltable %}"
    ).render(Context())
    assert html == '<div class="table-scroll" tabindex="0"><table><tr><td>1</td></tr></table></div>'
    assert caption_text("<table><caption> Two\n  words </caption></table>") == "Two words"
