"""One full task per role with the keyboard alone, in Debian's Chromium, on the living demo
(month 18): no click, no `fill` and no `check`; only Tab, Shift+Tab, arrows, Space, Enter and typed
text, the way a person who cannot use a mouse works (WCAG 2.1.1 Keyboard, 2.4.3 Focus Order,
2.4.7 Focus Visible). Each control is reached from the page before it by Tab, and each must show
where the focus is when it gets there.

- the public finds a good practice by searching for it;
- a city officer rates a factor of the city's self-assessment and saves the draft;
- a facilitator accepts a self-assessment submitted for review;
- a finance officer checks the costs of a submitted claim;
- an administrative approver approves the city's action plan;
- a political approver records the council's endorsement, its decision document included;
- a coordinator invites a person to the programme;
- an auditor opens the interim statement and the claim it declares.
"""

import re
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from tests.conftest import email_of, load_demo_as_make_setup_does

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# The focused element: its accessible text (its label, its own text or its value) and whether
# the focus shows (the platform draws a 3 px outline on every focused control).
_FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const label = el.getAttribute("aria-label") ||
    (el.labels && el.labels.length ? el.labels[0].innerText : "");
  const style = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(), type: el.getAttribute("type") || "",
    name: (label || el.innerText || el.value || "").replace(/\\s+/g, " ").trim(),
    visible: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
  };
}"""


def tab_to(page, name: str | re.Pattern, *, tag: str | None = None, limit: int = 150) -> dict:
    """Presses Tab until the focus is on the control whose text has `name` (and is a `tag`),
    and checks that the focus is visible there."""
    passed = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(_FOCUSED)
        if focused is None:
            continue
        text = focused["name"]
        found = name.search(text) if isinstance(name, re.Pattern) else name in text
        if found and (tag is None or focused["tag"] == tag):
            assert focused["visible"], f"the focus on {text!r} is not visible ({page.url})"
            return focused
        passed.append(text[:40])
    raise AssertionError(f"{name!r} is not reached by Tab on {page.url}; passed {passed}")


def activate(page, name: str | re.Pattern, *, tag: str | None = None) -> None:
    """Tabs to a link or button and presses Enter on it, which opens another page."""
    tab_to(page, name, tag=tag)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _signed_in_page(browser, live_server, key: str | None):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    if key:
        client = Client()
        client.force_login(_user(key))
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/")
    return page


def _user(key: str):
    from accounts.models import User

    return User.objects.get(username=email_of(key))


def find_a_practice(page) -> None:
    activate(page, "Good practices", tag="a")
    tab_to(page, "Search the practices", tag="input")
    page.keyboard.type("language café")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # Enter in a search field sends its form
    expect(page.get_by_role("heading", level=1)).to_contain_text("Good practices")
    activate(page, re.compile("language caf", re.IGNORECASE), tag="a")
    expect(page.get_by_role("heading", level=1)).to_contain_text(re.compile("caf", re.IGNORECASE))


def rate_a_factor_and_save(page) -> None:
    activate(page, "self-assessment of your city to finish", tag="a")
    if "Self-assessment of Athens" not in page.title():
        activate(page, "B, Mid-term", tag="a")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Self-assessment of Athens")
    # The first rating of the first factor: arrows move the choice within its radio group.
    tab_to(page, "0 \N{EN DASH} Not in place", tag="input")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    tab_to(page, "Priority for your city", tag="select")
    page.keyboard.press("ArrowDown")
    tab_to(page, "Evidence", tag="textarea")
    page.keyboard.type("A pilot with the job centre, typed without a mouse.")
    activate(page, "Save draft", tag="button")
    expect(page.get_by_text("A pilot with the job centre, typed without a mouse.")).to_be_visible()


def accept_a_self_assessment(page) -> None:
    activate(page, "self-assessments to review", tag="a")
    activate(page, re.compile(r"Tampere, theme B, Baseline"), tag="a")
    tab_to(page, "Accept", tag="input")
    page.keyboard.press("Space")
    tab_to(page, "Comments for the city", tag="textarea")
    page.keyboard.type("Clear evidence, reviewed with the keyboard.")
    activate(page, "Record the review", tag="button")
    expect(page.get_by_text(re.compile("accepted", re.IGNORECASE)).first).to_be_visible()


def check_a_claim(page) -> None:
    activate(page, "expense claims to check, approve or pay", tag="a")
    activate(page, "Mentoring visit of Birmingham to Nicosia", tag="a")
    # Each cost's decision is a radio group whose first choice accepts it.
    for _ in range(page.get_by_role("group", name=re.compile("^Decision")).count()):
        tab_to(page, "Accept", tag="input")
        page.keyboard.press("Space")
    activate(page, "Record the check", tag="button")
    expect(page.get_by_text("The claim is checked.")).to_be_visible()


def approve_a_plan(page) -> None:
    activate(page, "action plan waits for your review or decision", tag="a")
    if "Dresden:" not in page.title():
        activate(page, "Dresden", tag="a")
    activate(page, "Approve", tag="a")
    activate(page, "Approve", tag="button")
    expect(
        page.get_by_text("Done: the plan is now “Approved by the administration”.")
    ).to_be_visible()


def endorse_a_plan(page, decision: Path) -> None:
    activate(page, "action plan waits for your review or decision", tag="a")
    if "Brighton & Hove:" not in page.title():
        activate(page, "Brighton & Hove", tag="a")
    activate(page, "Record the political endorsement", tag="a")
    tab_to(page, "Decision-making body", tag="input")
    page.keyboard.type("Brighton & Hove City Council")
    tab_to(page, "Date of the decision", tag="input")
    # The date field takes digits in the order of the browser's own locale (day and month are
    # the same here, so either order gives 10 October 2018).
    page.keyboard.type("10102018")
    tab_to(page, "Decision reference", tag="input")
    page.keyboard.type("BH-2018-77")
    tab_to(page, "Decision document", tag="input")
    with page.expect_file_chooser() as chooser:  # Space opens the system's file dialogue
        page.keyboard.press("Space")
    chooser.value.set_files(str(decision))
    activate(page, "Record the political endorsement", tag="button")
    expect(page.get_by_text("Done: the plan is now “Adopted”.")).to_be_visible()


def invite_a_person(page) -> None:
    activate(page, "People", tag="a")
    activate(page, "Invite a person", tag="a")
    tab_to(page, "E-mail", tag="input")
    page.keyboard.type("new.officer@gdansk.example.org")
    tab_to(page, "First name", tag="input")
    page.keyboard.type("Agnieszka")
    tab_to(page, "Last name", tag="input")
    page.keyboard.type("Nowak")
    tab_to(page, "Role", tag="select")
    page.keyboard.type("City officer")  # a select takes the typed start of an option
    tab_to(page, "City", tag="select")
    page.keyboard.type("Gdansk")
    activate(page, "Send the invitation", tag="button")
    expect(page.get_by_text("new.officer@gdansk.example.org").first).to_be_visible()


def open_the_statement(page) -> None:
    activate(page, "CITIES-GROW", tag="a")
    activate(page, "Money and time", tag="a")
    activate(page, "Statements to the funder", tag="a")
    activate(page, re.compile("Interim"), tag="a")
    expect(page.get_by_role("heading", level=1)).to_contain_text("statement")
    activate(page, re.compile(r"^#\d+"), tag="a")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Claim")


def test_one_full_task_per_role_with_the_keyboard_alone(browser, live_server, tmp_path):
    from action_plans.models import ActionPlan
    from assessments.models import Rating, SelfAssessment
    from finance.models import ExpenseClaim
    from programmes.models import Invitation

    load_demo_as_make_setup_does()
    decision = tmp_path / "council-decision.pdf"
    decision.write_bytes(b"%PDF-1.4\n% Brighton & Hove City Council, BH-2018-77\n%%EOF\n")
    tasks = [
        (None, find_a_practice),
        ("athens-officer-1", rate_a_factor_and_save),
        ("facilitator-b", accept_a_self_assessment),
        ("finance-1", check_a_claim),
        ("dresden-approver-admin", approve_a_plan),
        ("brighton-hove-approver-political", lambda page: endorse_a_plan(page, decision)),
        ("coordinator-1", invite_a_person),
        ("auditor-1", open_the_statement),
    ]
    for key, task in tasks:
        page = _signed_in_page(browser, live_server, key)
        try:
            task(page)
        finally:
            page.context.close()

    # What the keyboard did is recorded as if done with a mouse.
    rating = Rating.objects.get(
        assessment__city__slug="athens", evidence__contains="typed without a mouse"
    )
    assert (rating.level, rating.assessment.phase) == (2, "mid_term")
    assert rating.priority is not None
    assert (
        SelfAssessment.objects.get(city__slug="tampere", theme__code="B", phase="baseline").status
        == "accepted"
    )
    assert ExpenseClaim.objects.get(purpose="Mentoring visit of Birmingham to Nicosia").checked_at
    assert ActionPlan.objects.get(city__slug="dresden").status == "approved"
    brighton = ActionPlan.objects.get(city__slug="brighton-hove")
    assert brighton.status == "adopted"
    assert brighton.transitions.get(transition="endorse").decided_on == date(2018, 10, 10)
    assert Invitation.objects.filter(email="new.officer@gdansk.example.org").exists()
