"""The accessibility statement (the EU model's sections, linked from every page's footer) and its
feedback mechanism: anyone reports a problem, the coordinators of every programme are told, read
it and record what was done; bad input is refused next to its field with what was typed kept;
a flood from one address is refused; nobody else reads the feedback."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils.html import escape

from accessibility import statement
from accessibility.models import Feedback, FeedbackStatus
from accessibility.notification_kinds import FEEDBACK_RECEIVED
from core.roles import Role
from programmes.models import Membership
from tests.conftest import email_of
from tests.html_checks import accessibility_problems
from tests.notification_checks import last_notification_pk, notified_since

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_earlier_reports():
    """The reports per hour are counted in the cache, by address: every test starts at none."""
    cache.clear()


FORM = {
    "page": "/programmes/cities-grow/",
    "problem": "The map of the cities has no text alternative: my screen reader says «image».",
    "name": "Αλεξάνδρα",
    "email": "reader@example.org",
}


def _coordinators() -> set[str]:
    return set(
        Membership.objects.current()
        .filter(role=Role.COORDINATOR)
        .values_list("person__email", flat=True)
    )


def test_the_statement_has_the_eu_models_sections_and_every_page_links_it(client, settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "access@network.example"
    html = client.get(reverse("accessibility:statement")).content.decode()
    for heading in (
        "Compliance status",
        "Non-accessible content",
        "Preparation of this accessibility statement",
        "Feedback and contact information",
        "Enforcement procedure",
    ):
        assert f"<h2>{heading}</h2>" in html, heading
    assert "partially compliant with EN 301 549" in html  # while issues are known
    for issue in statement.KNOWN_ISSUES:
        assert escape(str(issue)) in html
    assert f'datetime="{statement.REVIEWED_ON.isoformat()}"' in html  # last review, dated
    assert "mailto:access@network.example" in html
    assert f'href="{settings.ACCESSIBILITY_ENFORCEMENT_URL}"' in html
    assert reverse("accessibility:feedback") in html
    assert accessibility_problems(html) == []
    for page in ("/", reverse("privacy:notice"), reverse("accounts:login")):
        assert f'href="{reverse("accessibility:statement")}"' in client.get(page).content.decode()


def test_the_statement_in_french(client):
    html = client.get(reverse("accessibility:statement"), HTTP_ACCEPT_LANGUAGE="fr").content
    assert "<h2>État de conformité</h2>" in html.decode()


def test_anyone_reports_and_every_coordinator_is_told(client, client_of):
    since = last_notification_pk()
    answer = client.post(reverse("accessibility:feedback"), FORM)
    assert answer.status_code == 302
    assert answer["Location"] == reverse("accessibility:feedback_sent")
    feedback = Feedback.objects.get()
    assert (feedback.page, feedback.email, feedback.person) == (FORM["page"], FORM["email"], None)
    assert feedback.status == FeedbackStatus.OPEN and feedback.language == "en"
    told = notified_since(since, FEEDBACK_RECEIVED)
    assert set(told) == _coordinators() and set(told.values()) == {1}

    # Signed in, the report is theirs (and in their data export's registry).
    officer = client_of("athens-officer-1")
    officer.post(reverse("accessibility:feedback"), {**FORM, "email": ""})
    assert Feedback.objects.latest("pk").person.email == email_of("athens-officer-1")


def test_the_form_starts_from_the_page_it_was_opened_from(client):
    html = client.get(reverse("accessibility:feedback") + "?page=/visits/calendar/").content
    assert 'value="/visits/calendar/"' in html.decode()
    outside = client.get(reverse("accessibility:feedback") + "?page=https://evil.example/x")
    (field,) = re.findall(r'<input type="text" name="page"[^>]*>', outside.content.decode())
    assert "evil.example" not in field


def test_bad_input_is_refused_next_to_its_field_and_keeps_what_was_typed(client):
    answer = client.post(
        reverse("accessibility:feedback"), {**FORM, "problem": "   ", "email": "not-an-address"}
    )
    assert answer.status_code == 400
    html = answer.content.decode()
    assert re.search(r'id="id_problem_error"|class="errorlist', html)
    assert "Enter a valid email address." in html
    assert 'value="Αλεξάνδρα"' in html and 'value="/programmes/cities-grow/"' in html
    assert not Feedback.objects.exists()


def test_a_flood_from_one_address_is_refused_and_keeps_the_text(client, settings):
    settings.ACCESSIBILITY_FEEDBACK_PER_HOUR = 2
    for _ in range(2):
        assert client.post(reverse("accessibility:feedback"), FORM).status_code == 302
    refused = client.post(reverse("accessibility:feedback"), FORM)
    assert refused.status_code == 429
    html = refused.content.decode()
    assert "Too many reports from your connection this hour" in html
    assert "my screen reader says" in html
    assert Feedback.objects.count() == 2


def test_the_coordinators_read_and_answer_and_nobody_else_reads(client, client_of, user_of):
    client.post(reverse("accessibility:feedback"), FORM)
    feedback = Feedback.objects.get()
    detail = reverse("accessibility:feedback_detail", args=[feedback.pk])
    for key in ("athens-officer-1", "facilitator-b", "auditor-1", "finance-1"):
        reader = client_of(key)
        assert reader.get(reverse("accessibility:feedback_list")).status_code == 404, key
        assert reader.get(detail).status_code == 404, key
        assert reader.post(detail, {"answer_note": "x"}).status_code == 404

    coordinator = client_of("coordinator-1")
    listing = coordinator.get(reverse("accessibility:feedback_list")).content.decode()
    assert "Waiting for an answer (1)" in listing and "my screen reader says" in listing
    assert accessibility_problems(listing) == []

    empty = coordinator.post(detail, {"answer_note": " "})
    assert empty.status_code == 400
    assert "This field is required." in empty.content.decode()

    note = "Alternative text added to the map; answered Alexandra by e-mail."
    done = coordinator.post(detail, {"answer_note": note})
    assert done.status_code == 302
    feedback.refresh_from_db()
    assert feedback.status == FeedbackStatus.ANSWERED and feedback.answer_note == note
    assert feedback.answered_by == user_of("coordinator-1")
    last = feedback.history.first()
    assert (last.history_user, last.history_change_reason) == (user_of("coordinator-1"), "answered")
    answered = coordinator.get(reverse("accessibility:feedback_list") + "?status=answered")
    assert "Answered (1)" in answered.content.decode()


def test_a_second_answer_on_a_stale_page_is_refused(client, client_of, user_of):
    """Two coordinators opened the same feedback; the second to save is refused, and the first
    answer stays."""
    client.post(reverse("accessibility:feedback"), FORM)
    feedback = Feedback.objects.get()
    detail = reverse("accessibility:feedback_detail", args=[feedback.pk])
    first, second = client_of("coordinator-1"), client_of("platform-admin")
    assert first.post(detail, {"answer_note": "Fixed."}).status_code == 302
    stale = feedback_answer_refused(user_of("platform-admin"), feedback)
    assert "Someone answered this feedback meanwhile" in stale
    page = second.get(detail).content.decode()
    assert "Mark answered" not in page  # the page read again shows it answered
    feedback.refresh_from_db()
    assert feedback.answer_note == "Fixed."


def feedback_answer_refused(actor, feedback) -> str:
    from accessibility.services import feedback_answer
    from core.errors import ConcurrentEditError

    with pytest.raises(ConcurrentEditError) as refused:
        feedback_answer(actor=actor, feedback=feedback, note="Also fixed.")
    return refused.value.message


def test_the_feedback_list_runs_as_many_queries_for_many_reports_as_for_a_few(client_of):
    """A page of 25, its status tabs counted: the same queries whether 3 or 60 reports (some
    answered, some about translations) are waiting."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accessibility.models import FeedbackKind

    coordinator = client_of("coordinator-1")
    url = reverse("accessibility:feedback_list")

    def queries_with(count: int) -> int:
        Feedback.objects.all().delete()
        Feedback.objects.bulk_create(
            Feedback(
                page=f"/page/{n}/",
                problem=f"Problem {n}",
                language="lv",
                kind=FeedbackKind.TRANSLATION if n % 2 else FeedbackKind.ACCESSIBILITY,
                status=FeedbackStatus.OPEN if n % 3 else FeedbackStatus.ANSWERED,
            )
            for n in range(count)
        )
        with CaptureQueriesContext(connection) as captured:
            assert coordinator.get(url).status_code == 200
        return len(captured)

    assert queries_with(60) == queries_with(3)
