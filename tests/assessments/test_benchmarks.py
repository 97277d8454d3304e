"""Benchmarks: versioned per theme, edited by the theme's facilitator, frozen once published."""

import json

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from assessments.choices import BenchmarkStatus
from assessments.models import Benchmark, GuidingQuestion, KeyFactor, SelfAssessment
from assessments.services import (
    benchmark_draft_open,
    benchmark_publish,
    key_factor_save,
    self_assessment_start,
)
from assessments.services.loading import DEFAULT_FILE, assessment_data_load
from core.errors import ConcurrentEditError, DomainError
from programmes.models import City, Programme, Theme
from tests.html_checks import accessibility_problems

pytestmark = pytest.mark.django_db


def _theme(code="B"):
    return Theme.objects.get(programme__slug="cities-grow", code=code)


def test_demo_benchmarks_cover_themes_a_to_d_with_5_to_8_key_factors():
    for code in "ABCD":
        benchmark = Benchmark.objects.get(theme=_theme(code), version=1)
        assert benchmark.status == BenchmarkStatus.PUBLISHED
        assert benchmark.illustrative
        factors = list(benchmark.key_factors.all())
        assert 5 <= len(factors) <= 8, code
        assert all(f.why_and_how and f.questions.exists() for f in factors)
        assert benchmark.additional_factors.exists()


def test_benchmark_page_shows_factors_and_questions(client_of):
    response = client_of("athens-officer-1").get(
        reverse("assessments:benchmark", args=["cities-grow", "B"])
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert accessibility_problems(html) == []
    first = KeyFactor.objects.get(benchmark__theme=_theme(), code="b1")
    assert first.title in html
    assert first.questions.first().text in html
    assert "Start a new version" not in html  # officers do not edit benchmarks


def test_facilitator_opens_edits_and_publishes_a_new_version(user_of, client_of):
    facilitator = user_of("facilitator-b")
    draft = benchmark_draft_open(actor=facilitator, theme=_theme())
    assert (draft.version, draft.status) == (2, BenchmarkStatus.DRAFT)
    assert list(draft.key_factors.values_list("code", flat=True)) == [f"b{n}" for n in range(1, 8)]
    # Opening again returns the same draft.
    assert benchmark_draft_open(actor=facilitator, theme=_theme()).pk == draft.pk

    client = client_of("facilitator-b")
    page = client.get(reverse("assessments:benchmark_draft", args=["cities-grow", "B"]))
    assert page.status_code == 200
    assert accessibility_problems(page.content.decode()) == []
    response = client.post(
        reverse("assessments:key_factor_new", args=["cities-grow", "B"]),
        {
            "revision": draft.revision,
            "code": "b8",
            "title": "Mentors from the diaspora",
            "why_and_how": "Role models open doors.",
            "questions": "Are there mentors?\n\nDo employers take part?",
            "position": "1",
        },
    )
    assert response.status_code == 302
    new = KeyFactor.objects.get(benchmark=draft, code="b8")
    assert new.order == 1
    assert list(new.questions.values_list("text", flat=True)) == [
        "Are there mentors?",
        "Do employers take part?",
    ]
    draft.refresh_from_db()
    client.post(
        reverse("assessments:benchmark_publish", args=["cities-grow", "B"]),
        {"revision": draft.revision},
    )
    draft.refresh_from_db()
    assert draft.status == BenchmarkStatus.PUBLISHED
    assert draft.published_by == facilitator
    # New assessments rate the new version; version 1 stays as it was.
    assessment = self_assessment_start(
        actor=user_of("utrecht-officer-1"),
        programme=Programme.objects.get(slug="cities-grow"),
        city=City.objects.get(slug="utrecht"),
        theme=_theme(),
        phase="mid_term",
    )
    assert assessment.benchmark == draft
    assert assessment.ratings.count() == 8
    assert Benchmark.objects.get(theme=_theme(), version=1).key_factors.count() == 7


def test_a_published_benchmark_is_frozen_in_the_database():
    benchmark = Benchmark.objects.get(theme=_theme(), version=1)
    benchmark.title = "Changed"
    with pytest.raises(IntegrityError, match="benchmark_published_is_frozen"), transaction.atomic():
        benchmark.save()
    factor = benchmark.key_factors.first()
    factor.title = "Changed"
    with pytest.raises(IntegrityError, match="key_factor_of_draft"), transaction.atomic():
        factor.save()
    with pytest.raises(IntegrityError, match="guiding_question_of_draft"), transaction.atomic():
        GuidingQuestion.objects.create(key_factor=factor, order=99, text="New?")


def test_only_the_themes_facilitator_and_coordinators_edit(user_of, client_of):
    for key in ("facilitator-a", "munich-officer-1", "auditor-1"):
        with pytest.raises(DomainError):
            benchmark_draft_open(actor=user_of(key), theme=_theme())
    assert benchmark_draft_open(actor=user_of("coordinator-1"), theme=_theme()).version == 2
    response = client_of("facilitator-a").get(
        reverse("assessments:benchmark_draft", args=["cities-grow", "B"])
    )
    assert response.status_code == 404


def test_duplicate_code_and_stale_revision_are_refused(user_of, client_of):
    draft = benchmark_draft_open(actor=user_of("facilitator-b"), theme=_theme())
    client = client_of("facilitator-b")
    response = client.post(
        reverse("assessments:key_factor_new", args=["cities-grow", "B"]),
        {
            "revision": draft.revision,
            "code": "b1",
            "title": "Typed title",
            "why_and_how": "x",
            "questions": "q?",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose another code; each key factor has its own." in html
    assert "Typed title" in html
    with pytest.raises(ConcurrentEditError):
        key_factor_save(
            actor=user_of("facilitator-b"),
            benchmark=draft,
            expected_revision=draft.revision - 1,
            key_factor=None,
            code="b9",
            title="t",
            why_and_how="w",
            questions=["q?"],
        )


def test_publishing_needs_questions_for_every_key_factor(user_of):
    draft = benchmark_draft_open(actor=user_of("facilitator-b"), theme=_theme())
    GuidingQuestion.objects.filter(key_factor__benchmark=draft, key_factor__code="b3").delete()
    with pytest.raises(DomainError, match="b3"):
        benchmark_publish(
            actor=user_of("facilitator-b"), benchmark=draft, expected_revision=draft.revision
        )


def test_loading_the_data_file_twice_changes_nothing(capsys):
    call_command("load_assessment_data")
    assert "already up to date" in capsys.readouterr().out


def test_loader_names_unknown_key_factors_and_levels():
    data = json.loads(DEFAULT_FILE.read_text(encoding="utf-8"))
    data["benchmarks"] = []
    data["wishes"] = []
    data["assessments"] = [
        {"city": "riga", "theme": "A", "phase": "mid_term", "ratings": {"zz": [1, 1, ""]}}
    ]
    with pytest.raises(DomainError, match="Unknown key factors zz"):
        assessment_data_load(data)
    data["assessments"] = [
        {"city": "riga", "theme": "A", "phase": "mid_term", "ratings": {"a1": [9, 1, ""]}}
    ]
    with pytest.raises(DomainError, match="Level 9 is not on the rating scale"):
        assessment_data_load(data)
    with pytest.raises(DomainError, match="not an assessment data file"):
        assessment_data_load({"format": "other"})
    data["assessments"] = [
        {
            "city": "riga",
            "theme": "A",
            "phase": "mid_term",
            "status": "submitted",
            "submitted_on": "2018-02-30",
            "ratings": {"a1": [1, 1, ""]},
        }
    ]
    with pytest.raises(DomainError, match="“2018-02-30” is not a date"):
        assessment_data_load(data)


def test_demo_assessments_are_dated_within_the_programme():
    settled = SelfAssessment.objects.filter(programme__slug="cities-grow").exclude(status="draft")
    assert settled.exists()
    for assessment in settled:
        assert assessment.submitted_at.date().isoformat() == "2017-07-14"
        if assessment.status == "accepted":
            assert assessment.reviewed_at.date().isoformat() == "2017-07-28"


def test_facilitator_adds_edits_and_removes_factors_of_the_draft(user_of, client_of):
    draft = benchmark_draft_open(actor=user_of("facilitator-b"), theme=_theme())
    client = client_of("facilitator-b")
    url = reverse("assessments:additional_factor_new", args=["cities-grow", "B"])
    response = client.post(
        url, {"revision": draft.revision, "title": "Youth unemployment", "description": "High"}
    )
    assert response.status_code == 302
    extra = draft.additional_factors.get(title="Youth unemployment")
    draft.refresh_from_db()
    edit = reverse("assessments:additional_factor_edit", args=["cities-grow", "B", extra.pk])
    assert "Youth unemployment" in client.get(edit).content.decode()
    client.post(edit, {"revision": draft.revision, "title": "Youth jobless rate"})
    extra.refresh_from_db()
    assert extra.title == "Youth jobless rate"
    draft.refresh_from_db()
    b7 = draft.key_factors.get(code="b7")
    remove = reverse("assessments:factor_delete", args=["cities-grow", "B", "key", b7.pk])
    assert client.post(remove, {"revision": draft.revision}).status_code == 302
    assert not draft.key_factors.filter(code="b7").exists()
    # A factor of the published version cannot be reached through the draft's pages.
    published = KeyFactor.objects.get(benchmark__version=1, benchmark__theme=_theme(), code="b1")
    page = reverse("assessments:key_factor_edit", args=["cities-grow", "B", published.pk])
    assert client.get(page).status_code == 404
