"""Self-assessment: start, save a draft, submit, review; scope, validation and concurrency."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from assessments.choices import AssessmentStatus
from assessments.models import Rating, SelfAssessment
from assessments.services import (
    RatingInput,
    self_assessment_review,
    self_assessment_save,
    self_assessment_start,
    self_assessment_submit,
)
from core.errors import ConcurrentEditError, DomainError
from programmes.models import City, Programme, Theme
from tests.html_checks import accessibility_problems

pytestmark = pytest.mark.django_db

B_CODES = ["b1", "b2", "b3", "b4", "b5", "b6", "b7"]


def _url(name, city="athens", code="B", phase="mid_term", **extra):
    return reverse(
        f"assessments:{name}",
        kwargs={"slug": "cities-grow", "city": city, "code": code, "phase": phase, **extra},
    )


def _start(user_of, city="athens", code="B", phase="mid_term"):
    return self_assessment_start(
        actor=user_of(f"{city}-officer-1"),
        programme=Programme.objects.get(slug="cities-grow"),
        city=City.objects.get(slug=city),
        theme=Theme.objects.get(programme__slug="cities-grow", code=code),
        phase=phase,
    )


def _full_post(assessment, level="2", priority="3", **overrides):
    data = {"revision": str(assessment.revision)}
    for code in B_CODES:
        data.update({f"level_{code}": level, f"priority_{code}": priority})
        data[f"evidence_{code}"] = f"Evidence for {code}"
    data.update(overrides)
    return data


def test_officer_starts_saves_a_draft_and_submits(client_of):
    client = client_of("athens-officer-1")
    response = client.post(_url("assessment_start"))
    assert response.status_code == 302
    assessment = SelfAssessment.objects.get(city__slug="athens", theme__code="B", phase="mid_term")
    assert assessment.status == AssessmentStatus.DRAFT
    assert assessment.ratings.count() == len(B_CODES)

    page = client.get(_url("assessment"))
    assert page.status_code == 200
    html = page.content.decode()
    assert accessibility_problems(html) == []
    assert "Your level in the previous phase:" in html  # the baseline is shown as a hint

    # A partial draft: only b1 rated.
    draft = {"revision": str(assessment.revision), "level_b1": "1", "evidence_b1": "Half done"}
    assert client.post(_url("assessment"), {**draft, "save": ""}).status_code == 302
    b1 = Rating.objects.get(assessment=assessment, key_factor__code="b1")
    assert (b1.level, b1.evidence) == (1, "Half done")
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT

    response = client.post(_url("assessment"), {**_full_post(assessment), "submit": ""})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED
    assert assessment.submitted_by.email == "eleni.papadaki@athens.demo.invalid"
    assert set(assessment.ratings.values_list("level", flat=True)) == {2}
    # The submission is in the audit trail, with who made it.
    last = assessment.history.first()
    assert (last.status, last.history_user_id) == ("submitted", assessment.submitted_by_id)


def test_submit_needs_every_key_factor_rated_and_keeps_what_was_typed(client_of, user_of):
    assessment = _start(user_of)
    client = client_of("athens-officer-1")
    data = _full_post(assessment)
    del data["level_b4"]
    data["priority_b6"] = ""
    data["evidence_b2"] = "Typed and must not be lost"
    response = client.post(_url("assessment"), {**data, "submit": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Rate this key factor." in html
    assert "Give this key factor a priority." in html
    assert "Typed and must not be lost" in html
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT
    # The draft was saved, so the form now carries its new revision: sending it again works.
    assert f'name="revision" value="{assessment.revision}"' in html
    # The draft part was saved; nothing typed was lost.
    assert Rating.objects.get(assessment=assessment, key_factor__code="b2").evidence == (
        "Typed and must not be lost"
    )


def test_out_of_range_level_gets_a_message_next_to_the_field(client_of, user_of):
    assessment = _start(user_of)
    client = client_of("athens-officer-1")
    data = _full_post(assessment, level_b3="7", evidence_b3="Kept")
    response = client.post(_url("assessment"), {**data, "save": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Select a valid choice. 7 is not one of the available choices." in html
    assert "Kept" in html
    assert Rating.objects.get(assessment=assessment, key_factor__code="b3").level is None


def test_service_refuses_unknown_key_factor_and_level(user_of):
    assessment = _start(user_of)
    with pytest.raises(DomainError) as error:
        self_assessment_save(
            actor=user_of("athens-officer-1"),
            assessment=assessment,
            expected_revision=assessment.revision,
            ratings={"zz9": RatingInput(1, 1), "b1": RatingInput(9, 1)},
        )
    assert "There is no key factor “zz9”" in error.value.field_errors["level_zz9"]
    assert error.value.field_errors["level_b1"] == "Choose one of the levels of the scale."


def test_two_officers_saving_at_once_do_not_overwrite_each_other(client_of, user_of):
    assessment = _start(user_of)
    stale = assessment.revision
    self_assessment_save(
        actor=user_of("athens-officer-2"),
        assessment=assessment,
        expected_revision=stale,
        ratings={"b1": RatingInput(3, 1, "From officer 2")},
    )
    client = client_of("athens-officer-1")
    data = {"revision": str(stale), "level_b1": "0", "evidence_b1": "From officer 1"}
    response = client.post(_url("assessment"), {**data, "save": ""})
    assert response.status_code == 409
    assert "A colleague saved this self-assessment" in response.content.decode()
    assert "From officer 1" in response.content.decode()
    assert Rating.objects.get(assessment=assessment, key_factor__code="b1").evidence == (
        "From officer 2"
    )
    html = response.content.decode()
    assert "Saved by your colleague:" in html and "“From officer 2”" in html
    # Having looked, the officer saves again: the form now carries the current revision.
    assessment.refresh_from_db()
    assert f'name="revision" value="{assessment.revision}"' in html
    again = {"revision": str(assessment.revision), "level_b1": "0", "evidence_b1": "Agreed"}
    assert client.post(_url("assessment"), {**again, "save": ""}).status_code == 302
    assert Rating.objects.get(assessment=assessment, key_factor__code="b1").evidence == "Agreed"


def test_facilitator_accepts_or_returns_with_a_comment(client_of, user_of):
    assessment = SelfAssessment.objects.get(city__slug="tampere", theme__code="B")
    assert assessment.status == AssessmentStatus.SUBMITTED
    client = client_of("facilitator-b")
    url = _url("assessment_review", city="tampere", phase="baseline")
    seen = assessment.revision
    response = client.post(url, {"decision": "return", "comment": "", "revision": seen})
    assert response.status_code == 400
    assert "A returned self-assessment needs a comment." in response.content.decode()
    response = client.post(
        url, {"decision": "return", "comment": "Add evidence for b5.", "revision": seen}
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.RETURNED
    # The city sees the comment and can change the ratings again.
    page = client_of("tampere-officer-1").get(_url("assessment", city="tampere", phase="baseline"))
    assert "Add evidence for b5." in page.content.decode()
    assert 'name="level_b1"' in page.content.decode()
    resubmitted = self_assessment_submit(
        actor=user_of("tampere-officer-1"),
        assessment=assessment,
        expected_revision=assessment.revision,
    )
    assert resubmitted.review_comment == ""  # the new submission awaits a new review
    # A decision taken on the page read before the resubmission is refused, not applied.
    client = client_of("facilitator-b")
    stale = client.post(url, {"decision": "accept", "comment": "", "revision": seen})
    assert stale.status_code == 409
    assert "changed while you were reading it" in stale.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED
    accepted = self_assessment_review(
        actor=user_of("facilitator-b"),
        assessment=resubmitted,
        accept=True,
        comment="",
        expected_revision=assessment.revision,
    )
    assert accepted.status == AssessmentStatus.ACCEPTED
    assert accepted.reviewed_by == user_of("facilitator-b")


def test_only_the_theme_facilitator_and_coordinators_review(user_of):
    assessment = SelfAssessment.objects.get(city__slug="tampere", theme__code="B")
    for key in ("facilitator-a", "tampere-officer-1", "auditor-1", "munich-officer-1"):
        with pytest.raises(DomainError):
            self_assessment_review(
                actor=user_of(key), assessment=assessment, accept=True, comment=""
            )
    done = self_assessment_review(
        actor=user_of("coordinator-1"), assessment=assessment, accept=True, comment=""
    )
    assert done.status == AssessmentStatus.ACCEPTED


def test_officers_cannot_see_another_citys_draft(client_of, user_of):
    _start(user_of)  # Athens' mid-term draft of theme B
    url = _url("assessment")
    assert client_of("athens-officer-1").get(url).status_code == 200
    assert client_of("athens-approver-political").get(url).status_code == 200
    # Its mentor city, its facilitator and the coordinator see it only once submitted.
    for key in ("munich-officer-1", "rotterdam-officer-1", "facilitator-b", "coordinator-1"):
        assert client_of(key).get(url).status_code == 404, key
    # ... and the demo's draft of Helsinki (theme D) is as private.
    helsinki = _url("assessment", city="helsinki", code="D", phase="baseline")
    assert client_of("helsinki-officer-1").get(helsinki).status_code == 200
    assert client_of("nantes-officer-1").get(helsinki).status_code == 404
    home = client_of("nantes-officer-1").get(reverse("assessments:home", args=["cities-grow"]))
    assert "/assessments/helsinki/D/" not in home.content.decode()


def test_submitted_ratings_are_frozen_in_the_database():
    rating = Rating.objects.filter(assessment__status=AssessmentStatus.ACCEPTED).first()
    rating.level = 0
    with pytest.raises(IntegrityError, match="rating_frozen_once_submitted"), transaction.atomic():
        rating.save()


def test_officer_of_another_city_cannot_start_or_edit(user_of, client_of):
    with pytest.raises(DomainError):
        self_assessment_start(
            actor=user_of("munich-officer-1"),
            programme=Programme.objects.get(slug="cities-grow"),
            city=City.objects.get(slug="athens"),
            theme=Theme.objects.get(programme__slug="cities-grow", code="A"),
            phase="baseline",
        )
    response = client_of("munich-officer-1").post(_url("assessment_start", code="A"))
    assert response.status_code == 302  # back to the list with the refusal
    assert not SelfAssessment.objects.filter(city__slug="athens", theme__code="A").exists()


def test_attachments_upload_download_and_refuse_unknown_types(client_of, user_of):
    assessment = _start(user_of)
    client = client_of("athens-officer-1")
    data = {
        "revision": str(assessment.revision),
        "files_b2": [
            SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan", content_type="application/pdf")
        ],
        "save": "",
    }
    assert client.post(_url("assessment"), data).status_code == 302
    rating = Rating.objects.get(assessment=assessment, key_factor__code="b2")
    attachment = rating.attachments.get()
    assert (attachment.name, attachment.size) == ("plan.pdf", 13)
    download = client.get(_url("attachment", pk=attachment.pk))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 plan"
    # Another city's officer cannot fetch it, even knowing its number.
    assert client_of("munich-officer-1").get(_url("attachment", pk=attachment.pk)).status_code == (
        404
    )
    client = client_of("athens-officer-1")  # the same test client: log back in
    assessment.refresh_from_db()
    bad = {
        "revision": str(assessment.revision),
        "files_b2": [SimpleUploadedFile("run.exe", b"MZ", content_type="application/x-msdos")],
        "save": "",
    }
    response = client.post(_url("assessment"), bad)
    assert response.status_code == 400
    assert "“run.exe” is not an accepted kind of file" in response.content.decode()
    assert rating.attachments.count() == 1
    # Removing it.
    assert client.post(_url("attachment_remove", pk=attachment.pk)).status_code == 302
    assert rating.attachments.count() == 0


def test_stale_revision_is_refused_by_the_service(user_of):
    assessment = _start(user_of)
    with pytest.raises(ConcurrentEditError):
        self_assessment_submit(
            actor=user_of("athens-officer-1"),
            assessment=assessment,
            expected_revision=assessment.revision - 1,
        )


def test_a_returned_assessment_is_reworked_in_private(client_of, user_of):
    """Once returned, the city's new edits are seen by the city and its reviewers only."""
    assessment = SelfAssessment.objects.get(city__slug="athens", theme__code="B")
    self_assessment_review(
        actor=user_of("facilitator-b"), assessment=assessment, accept=False, comment="More."
    )
    url = _url("assessment", phase="baseline")
    for key in ("athens-officer-1", "facilitator-b", "coordinator-1"):
        assert client_of(key).get(url).status_code == 200, key
    for key in ("munich-officer-1", "auditor-1", "facilitator-a"):
        assert client_of(key).get(url).status_code == 404, key


def test_only_reviewers_may_post_a_review(client_of):
    assessment = SelfAssessment.objects.get(city__slug="tampere", theme__code="B")
    url = _url("assessment_review", city="tampere", phase="baseline")
    data = {"decision": "accept", "comment": "", "revision": assessment.revision}
    assert client_of("auditor-1").post(url, data).status_code == 403
    assert client_of("tampere-officer-1").post(url, data).status_code == 403
    assert client_of("facilitator-a").post(url, data).status_code == 404
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED


def test_an_attachment_is_reached_only_through_its_own_assessment(client_of, user_of):
    assessment = _start(user_of)
    client = client_of("athens-officer-1")
    upload = SimpleUploadedFile("plan.pdf", b"%PDF-1.4", content_type="application/pdf")
    client.post(
        _url("assessment"),
        {"revision": str(assessment.revision), "files_b1": [upload], "save": ""},
    )
    attachment = Rating.objects.get(assessment=assessment, key_factor__code="b1").attachments.get()
    wrong = _url("attachment", city="athens", code="A", phase="final", pk=attachment.pk)
    assert client.get(wrong).status_code == 404
