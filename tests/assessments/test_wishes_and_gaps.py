"""Theme wishes, the per-city gap analysis and the per-theme comparison."""

import pytest
from django.urls import reverse

from assessments.models import Rating, SelfAssessment, ThemeWishes
from assessments.selectors import city_gaps, theme_comparison
from assessments.services import (
    RatingInput,
    self_assessment_save,
    self_assessment_start,
    self_assessment_submit,
    theme_wishes_update,
)
from core.errors import ConcurrentEditError, DomainError
from programmes.models import City, Programme, Theme
from tests.html_checks import accessibility_problems

pytestmark = pytest.mark.django_db


def _theme(code):
    return Theme.objects.get(programme__slug="cities-grow", code=code)


def test_officer_states_wishes_and_a_theme_in_both_lists_is_refused(client_of):
    client = client_of("riga-officer-1")
    url = reverse("assessments:wishes", args=["cities-grow", "riga"])
    page = client.get(url)
    assert page.status_code == 200
    assert accessibility_problems(page.content.decode()) == []
    wishes = ThemeWishes.objects.get(city__slug="riga")
    both = {
        "revision": wishes.revision,
        "mentor_themes": [_theme("A").pk],
        "implement_themes": [_theme("A").pk, _theme("C").pk],
        "max_mentees": "2",
    }
    response = client.post(url, both)
    assert response.status_code == 400
    assert "Untick the themes you also offer to mentor in." in response.content.decode()
    ok = {**both, "implement_themes": [_theme("C").pk]}
    assert client.post(url, ok).status_code == 302
    wishes.refresh_from_db()
    assert [t.code for t in wishes.mentor_themes.all()] == ["A"]
    assert [t.code for t in wishes.implement_themes.all()] == ["C"]
    assert wishes.max_mentees == 2
    # The audit trail keeps the themes before and after.
    assert wishes.history.count() >= 2


def test_concurrent_wish_edits_conflict(user_of):
    wishes = ThemeWishes.objects.get(city__slug="riga")
    programme, riga = Programme.objects.get(slug="cities-grow"), City.objects.get(slug="riga")
    theme_wishes_update(
        actor=user_of("riga-officer-1"),
        programme=programme,
        city=riga,
        expected_revision=wishes.revision,
        mentor_themes=[],
        implement_themes=[_theme("C")],
        max_mentees=1,
    )
    with pytest.raises(ConcurrentEditError):
        theme_wishes_update(
            actor=user_of("riga-officer-2"),
            programme=programme,
            city=riga,
            expected_revision=wishes.revision,
            mentor_themes=[],
            implement_themes=[_theme("A")],
            max_mentees=1,
        )
    with pytest.raises(DomainError):
        theme_wishes_update(
            actor=user_of("athens-officer-1"),
            programme=programme,
            city=riga,
            expected_revision=None,
            mentor_themes=[],
            implement_themes=[],
            max_mentees=1,
        )


def _mid_term(user_of, levels):
    """Athens rates theme B again at mid-term and submits it."""
    actor = user_of("athens-officer-1")
    assessment = self_assessment_start(
        actor=actor,
        programme=Programme.objects.get(slug="cities-grow"),
        city=City.objects.get(slug="athens"),
        theme=_theme("B"),
        phase="mid_term",
    )
    assessment = self_assessment_save(
        actor=actor,
        assessment=assessment,
        expected_revision=assessment.revision,
        ratings={code: RatingInput(level, 3, "") for code, level in levels.items()},
    )
    return self_assessment_submit(
        actor=actor, assessment=assessment, expected_revision=assessment.revision
    )


def test_city_gaps_rank_needs_and_show_change_between_phases(user_of):
    baseline = {
        r.key_factor.code: r
        for r in Rating.objects.filter(
            assessment__city__slug="athens", assessment__theme__code="B"
        ).select_related("key_factor")
    }
    levels = dict.fromkeys(baseline, 3) | {"b1": 0, "b2": 1}
    _mid_term(user_of, levels)
    gaps = city_gaps(user_of("athens-officer-1"), "cities-grow", "athens")
    theme_b = next(t for t in gaps.themes if t.theme.code == "B")
    assert theme_b.phases == ["baseline", "mid_term"]
    lines = {line.code: line for line in theme_b.lines}
    # Rated 0 and 1 with a high priority on a 0-3 scale: the two gaps, the larger need first.
    assert [line.code for line in theme_b.gaps] == ["b1", "b2"]
    assert (lines["b1"].need, lines["b2"].need) == (9, 6)
    assert lines["b3"].change == 3 - baseline["b3"].level
    assert lines["b3"].levels == {"baseline": baseline["b3"].level, "mid_term": 3}
    assert not lines["b3"].is_gap


def test_city_gap_page_has_a_chart_and_its_table(client_of, user_of):
    _mid_term(user_of, dict.fromkeys([f"b{n}" for n in range(1, 8)], 2))
    response = client_of("athens-officer-1").get(
        reverse("assessments:city_gaps", args=["cities-grow", "athens"])
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert accessibility_problems(html) == []
    assert 'role="img"' in html and "<title" in html
    assert 'class="bar-mid-term"' in html  # the mid-term bars are hatched, not only coloured
    assert "Mid-term: 2 Partly in place" in html  # every bar carries its phase and level
    assert "<caption>Ratings of theme B</caption>" in html
    assert "<h1>Gap analysis of Athens</h1>" in html
    assert "<td>High</td>" in html


def test_theme_comparison_shows_settled_assessments_of_cities_in_reach(user_of, client_of):
    coordinator = theme_comparison(user_of("coordinator-1"), "cities-grow", "D", "baseline")
    cities = [row.city.slug for row in coordinator.rows]
    # Helsinki's baseline of D is a draft: not compared, even for the coordinator.
    assert "helsinki" not in cities
    assert {"ghent", "nantes", "brighton-hove"} <= set(cities)
    assert len(coordinator.key_factors) == 5
    officer = theme_comparison(user_of("athens-officer-1"), "cities-grow", "B", "baseline")
    # An officer compares their own city with its mentoring partner only.
    assert sorted(row.city.slug for row in officer.rows) == ["athens", "munich"]
    response = client_of("coordinator-1").get(
        reverse("assessments:theme_gaps", args=["cities-grow", "B"])
    )
    html = response.content.decode()
    assert accessibility_problems(html) == []
    athens = next(
        r
        for r in theme_comparison(user_of("coordinator-1"), "cities-grow", "B", "baseline").rows
        if r.city.slug == "athens"
    )
    first = athens.cells[0]
    assert f"Athens, b1: {first.level} " in html  # each cell names its city, factor and level
    assert "heat-" in html and "<tfoot>" in html


def test_unknown_phase_falls_back_to_baseline(client_of):
    response = client_of("coordinator-1").get(
        reverse("assessments:theme_gaps", args=["cities-grow", "B"]) + "?phase=bogus"
    )
    assert response.status_code == 200
    assert SelfAssessment.objects.filter(theme__code="B").exists()
