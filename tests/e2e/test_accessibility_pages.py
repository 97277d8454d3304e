"""WCAG 2.1 A and AA on every page each role reaches, in Debian's Chromium, measured by axe-core
(installed from npm by `make test`, never fetched at run time).

For each demo role of the crawler (tests/portal/test_crawler.py), the pages its links reach on
the living demo (month 18) are collected with the test client, one page per URL name (a practice
stands for the 144 others); each is opened in the browser as that person, at desktop width
(1280 CSS px) and at a phone's 320 CSS px, where it must not scroll sideways (WCAG 1.4.10
Reflow: a wide table scrolls inside its own container, not the page). Pages are served under the
platform's Content-Security-Policy as in every browser test.

Measured with `.venv/bin/pytest -p no:xdist -m e2e tests/e2e/test_accessibility_pages.py`.
"""

import json
from collections import defaultdict
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.conftest import email_of, load_demo_as_make_setup_does
from tests.portal.test_crawler import ROLES, Crawl

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = (1280, 320)
# The crawl reads more pages than are checked, so that rarer URL names are reached.
PAGES_PER_ROLE = 160

_RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {
    runOnly: {type: "tag", values: tags}, resultTypes: ["violations"],
  });
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
    count: v.nodes.length,
  }));
}"""
# The part of the page wider than the window, and the widest element causing it (to name it in
# the failure): the innermost elements whose right edge passes the window, a table's scrolling
# region counting as one.
_SIDEWAYS = r"""() => {
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth <= width) return null;
  const culprits = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.right > width + 1 && !(el.parentElement && el.parentElement.closest(".table-scroll"))) {
      const classes = typeof el.className === "string" ? el.className.trim() : "";
      culprits.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
        (classes ? "." + classes.split(/\s+/).join(".") : ""));
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, culprits: culprits.slice(-3)};
}"""


def _pages_of(role: str, key: str | None, user_model) -> list[str]:
    """One HTML page per URL name among those the role's links reach."""
    client = Client()
    if key:
        client.force_login(user_model.objects.get(username=email_of(key)))
    crawl = Crawl(client=client, signed_in=bool(key), pages_per_role=PAGES_PER_ROLE, per_url_name=1)
    crawl.run("/")
    assert not crawl.problems, "\n".join(crawl.problems)
    return crawl.html_pages


def _signed_in_context(browser, live_server, key: str | None, user_model):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    # An init script is not subject to the page's Content-Security-Policy, so the pages are
    # checked as they are served.
    context.add_init_script(path=str(AXE))
    if key:
        client = Client()
        client.force_login(user_model.objects.get(username=email_of(key)))
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return context


def test_every_page_of_every_role_meets_wcag_21_aa_and_reflows(
    browser, live_server, django_user_model
):
    assert AXE.exists(), f"axe-core is missing at {AXE}: `npm ci` installs it (make test does)"
    load_demo_as_make_setup_does()
    problems: dict[str, list[str]] = defaultdict(list)
    checked = 0
    for role, key in ROLES.items():
        pages = _pages_of(role, key, django_user_model)
        assert len(pages) > (5 if key is None else 15), f"{role} reached only {len(pages)} pages"
        context = _signed_in_context(browser, live_server, key, django_user_model)
        page = context.new_page()
        page.set_default_timeout(20_000)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            for url in pages:
                page.goto(url, wait_until="domcontentloaded")
                if key and "/accounts/login" in page.url:
                    problems[f"{role} at {width} px"].append(f"{url}: sent to log in")
                    continue
                for violation in page.evaluate(_RUN_AXE, WCAG_TAGS):
                    problems[f"{violation['id']}: {violation['help']}"].append(
                        f"{role} {width}px {url} ({violation['count']} times, e.g. "
                        f"{'; '.join(violation['targets'])})"
                    )
                if width == 320:
                    sideways = page.evaluate(_SIDEWAYS)
                    if sideways:
                        problems["Reflow: the page scrolls sideways at 320 px"].append(
                            f"{role} {url} ({json.dumps(sideways)})"
                        )
                checked += 1
        context.close()
    report = "\n".join(
        f"{rule} ({len(where)} pages)\n    " + "\n    ".join(where[:12])
        for rule, where in sorted(problems.items())
    )
    assert not problems, f"{checked} pages checked:\n{report}"
