"""Practices: writing them (who, errors, concurrency), the editorial workflow for every role,
the audit trail, sanitised rich text on the page, personal data, similar practices, uptake."""

from dataclasses import replace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.errors import ConcurrentEditError, DomainError
from knowledge.choices import PracticeState
from knowledge.models import GoodPractice
from knowledge.services.practices import practice_create, practice_input_of, practice_update
from knowledge.workflow import PracticeStep, practice_step
from tests.core.test_access_table import ROLES
from tests.knowledge.builders import draft_practice, practice_input

pytestmark = pytest.mark.django_db


def test_an_officer_documents_their_own_city_not_another(user_of):
    practice = draft_practice(user_of("athens-officer-1"))
    assert practice.state == PracticeState.DRAFT and practice.city.slug == "athens"
    with pytest.raises(DomainError) as refused:
        practice_create(
            actor=user_of("munich-officer-1"), data=practice_input(reference="munich-copy")
        )
    assert "city_name" in refused.value.field_errors
    assert not GoodPractice.objects.filter(reference="munich-copy").exists()
    # Approvers, finance officers and auditors do not author practices.
    for key in ("athens-approver-admin", "finance-1", "auditor-1"):
        with pytest.raises(DomainError):
            practice_create(actor=user_of(key), data=practice_input(reference=f"x-{key}"))


def test_bad_input_is_refused_field_by_field(user_of):
    with pytest.raises(DomainError) as refused:
        practice_create(
            actor=user_of("coordinator-1"),
            data=practice_input(
                reference="Not a slug!",
                title="",
                country="ZZ",
                themes=(),
                start_year=1492,
                contact_email="not-an-address",
            ),
        )
    assert set(refused.value.field_errors) >= {
        "reference",
        "title",
        "country",
        "themes",
        "start_year",
        "contact_email",
    }


def test_the_form_shows_errors_next_to_fields_and_keeps_what_was_typed(client_of):
    client = client_of("athens-officer-1")
    response = client.post(
        reverse("knowledge:practice_new"),
        {
            "title": "Μαθήματα ελληνικών τη νύχτα",
            "reference": "athens-night",
            "city_name": "Athens",
            "country": "GR",
            "summary": "Night classes in Greek.",
            "themes": ["cities-grow-a"],
            "key_factors": ["b1"],  # a factor of another theme
            "status": "ongoing",
            "budget_range": "unknown",
            "language": "el",
            "source_kind": "project",
            "link_0_kind": "image",
            "link_0_url": "https://example.org/photo.jpg",
            "link_0_title": "Photo",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Μαθήματα ελληνικών τη νύχτα" in html
    assert "belong to a theme the practice does not have" in html
    assert "describe the image" in html
    assert not GoodPractice.objects.filter(reference="athens-night").exists()


def test_a_stale_edit_is_refused_and_the_text_kept(user_of, client_of):
    officer = user_of("athens-officer-1")
    practice = draft_practice(officer)
    practice_update(
        actor=officer,
        practice=practice,
        data=practice_input(title="First edit"),
        revision=practice.revision,
    )
    with pytest.raises(ConcurrentEditError):
        practice_update(
            actor=officer,
            practice=practice,
            data=practice_input(title="Second edit"),
            revision=practice.revision,
        )
    client = client_of("athens-officer-2")
    form = {
        "title": "My stale title",
        "reference": practice.reference,
        "city_name": "Athens",
        "country": "GR",
        "summary": "Summary",
        "themes": ["cities-grow-b"],
        "status": "ongoing",
        "budget_range": "unknown",
        "language": "en",
        "source_kind": "project",
        "revision": practice.revision,  # the copy read before the first edit
    }
    response = client.post(reverse("knowledge:practice_edit", args=[practice.reference]), form)
    assert response.status_code == 409
    assert "My stale title" in response.content.decode()
    assert GoodPractice.objects.get(pk=practice.pk).title == "First edit"


STEP_ROLES = {
    # step: (state it starts from, roles allowed)
    PracticeStep.SUBMIT: ("draft", {"officer_athens", "coordinator", "facilitator_b"}),
    PracticeStep.PUBLISH: ("in_review", {"coordinator", "facilitator_b"}),
    PracticeStep.RETURN: ("in_review", {"coordinator", "facilitator_b"}),
    PracticeStep.WITHDRAW: ("published", {"coordinator", "facilitator_b"}),
}


@pytest.mark.parametrize("step", list(STEP_ROLES))
@pytest.mark.parametrize("role", [r for r in ROLES if r not in ("anonymous", "outsider")])
def test_every_editorial_step_for_every_role(step, role, user_of):
    state, allowed = STEP_ROLES[step]
    practice = draft_practice(user_of("athens-officer-1"))
    GoodPractice.objects.filter(pk=practice.pk).update(
        state=state, published_at="2026-01-01T00:00:00Z" if state == "published" else None
    )
    practice.refresh_from_db()
    actor = user_of(ROLES[role])
    if role in allowed or role == "platform_admin":
        done = practice_step(actor=actor, practice=practice, step=step, comment="Reasons")
        assert done.state == {"submit": "in_review", "publish": "published"}.get(step, "draft")
    else:
        with pytest.raises(DomainError):
            practice_step(actor=actor, practice=practice, step=step, comment="Reasons")
        assert GoodPractice.objects.get(pk=practice.pk).state == state


def test_a_step_from_a_wrong_state_or_without_reasons_is_refused(user_of):
    editor = user_of("facilitator-b")
    practice = draft_practice(user_of("athens-officer-1"))
    with pytest.raises(DomainError):
        practice_step(actor=editor, practice=practice, step=PracticeStep.WITHDRAW, comment="x")
    practice_step(actor=editor, practice=practice, step=PracticeStep.SUBMIT)
    with pytest.raises(DomainError) as refused:
        practice_step(actor=editor, practice=practice, step=PracticeStep.RETURN, comment="  ")
    assert "comment" in refused.value.field_errors


def test_the_editorial_path_is_in_the_audit_trail(user_of, client_of):
    officer, editor = user_of("athens-officer-1"), user_of("facilitator-b")
    practice = draft_practice(officer)
    practice_step(actor=officer, practice=practice, step=PracticeStep.SUBMIT)
    practice_step(actor=editor, practice=practice, step=PracticeStep.RETURN, comment="Add data.")
    practice_step(actor=officer, practice=practice, step=PracticeStep.SUBMIT)
    practice_step(actor=editor, practice=practice, step=PracticeStep.PUBLISH)
    steps = list(practice.transitions.values_list("step", "actor__username", "comment"))
    assert steps == [
        ("submit", officer.username, ""),
        ("return", editor.username, "Add data."),
        ("submit", officer.username, ""),
        ("publish", editor.username, ""),
    ]
    history = list(practice.history.order_by("history_date").values_list("state", "history_user"))
    assert history[-1] == ("published", editor.pk)
    assert ("draft", editor.pk) in history  # the return, with who did it
    page = client_of("coordinator-1").get(reverse("knowledge:practice", args=[practice.reference]))
    assert "Add data." in page.content.decode()


def test_unpublished_practices_are_a_404_to_the_public_and_other_cities(client, client_of, user_of):
    practice = draft_practice(user_of("athens-officer-1"))
    url = reverse("knowledge:practice", args=[practice.reference])
    assert client.get(url).status_code == 404
    assert client_of("munich-officer-1").get(url).status_code == 404
    assert client_of("athens-officer-2").get(url).status_code == 200
    assert client_of("facilitator-d").get(url).status_code == 200


def test_stored_scripts_never_reach_the_page(user_of, client):
    editor = user_of("coordinator-1")
    practice = practice_create(
        actor=editor,
        data=practice_input(
            reference="hostile-page",
            city_name="Vienna",
            country="AT",
            description=(
                '<p onclick="steal()">Fine <script>alert(1)</script></p>'
                '<a href="javascript:alert(2)">x</a><img src="x" onerror="alert(3)">'
                '<svg onload="alert(4)"></svg><iframe src="https://evil.example"></iframe>'
            ),
            links=(),
        ),
    )
    practice_step(actor=editor, practice=practice, step=PracticeStep.PUBLISH)
    html = client.get(reverse("knowledge:practice", args=["hostile-page"])).content.decode()
    assert "<p>Fine </p>" in html
    for payload in ("alert(", "onclick", "onerror", "onload", "javascript:", "<iframe", "<svg"):
        assert payload not in html


def test_the_contact_is_public_only_with_consent(user_of, client):
    editor = user_of("coordinator-1")
    practice = practice_create(
        actor=editor,
        data=practice_input(reference="consent-test", city_name="Vienna", country="AT"),
    )
    practice_step(actor=editor, practice=practice, step=PracticeStep.PUBLISH)
    url = reverse("knowledge:practice", args=["consent-test"])
    assert "job.desk@athens.example.org" not in client.get(url).content.decode()
    data = practice_input_of(GoodPractice.objects.get(pk=practice.pk))
    practice_update(
        actor=editor,
        practice=practice,
        data=replace(data, contact_consent=True),
        revision=GoodPractice.objects.get(pk=practice.pk).revision,
    )
    assert "job.desk@athens.example.org" in client.get(url).content.decode()


def test_a_practice_page_shows_similar_practices(client):
    html = client.get(reverse("knowledge:practice", args=["ghent-kitchen-incubator"])).content
    page = html.decode()
    assert "Similar practices" in page
    similar = page.split("Similar practices", 1)[1]
    # Practices sharing its key factors (c2, c5) come first.
    top = GoodPractice.objects.filter(
        state="published", key_factors__code__in=["c2", "c5"]
    ).exclude(reference="ghent-kitchen-incubator")
    assert any(p.title in similar for p in top)


def test_the_practice_page_runs_a_bounded_number_of_queries(client, user_of):
    url = reverse("knowledge:practice", args=["ghent-kitchen-incubator"])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = count()
    editor = user_of("coordinator-1")
    for n in range(5):
        practice = practice_create(
            actor=editor,
            data=practice_input(
                reference=f"similar-{n}",
                city_name=f"Town {n}",
                country="AT",
                themes=("cities-grow-c",),
                key_factors=("c2", "c5"),
            ),
        )
        practice_step(actor=editor, practice=practice, step=PracticeStep.PUBLISH)
    assert count() == before


def test_the_editorial_queue_lists_what_waits_for_each(user_of, client_of):
    officer = user_of("athens-officer-1")
    practice = draft_practice(officer)
    practice_step(actor=officer, practice=practice, step=PracticeStep.SUBMIT)
    editor_page = client_of("facilitator-a").get(reverse("knowledge:editorial")).content.decode()
    assert "Waiting for your review" in editor_page and practice.title in editor_page
    own = client_of("athens-officer-2").get(reverse("knowledge:editorial")).content.decode()
    assert practice.title in own and "Waiting for your review" not in own
    other = client_of("munich-officer-1").get(reverse("knowledge:editorial")).content.decode()
    assert practice.title not in other


def test_editors_export_every_practice(client_of):
    response = client_of("coordinator-1").get(
        reverse("knowledge:practice_export"), {"format": "csv"}
    )
    assert response["Content-Type"].startswith("text/csv")
    assert b"ghent-kitchen-incubator" in response.content
