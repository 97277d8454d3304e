"""The matching workflow in the platform: build, run, read, compare, accept, edit by hand."""

import pytest
from django.urls import reverse

from assessments.models import KeyFactor, ThemeWishes
from core.errors import DomainError
from matching.choices import RunStatus
from matching.models import MatchRun
from matching.services import (
    RunSettings,
    match_problem_build,
    match_run_accept,
    match_run_create,
    match_run_execute,
)
from matching.solver import pair_value, solve
from matching.tasks import match_run_enqueue
from programmes.models import MentoringPair, Programme
from tests.html_checks import accessibility_problems
from tests.matching.builders import FOUR_BY_TWO, solved_run

pytestmark = pytest.mark.django_db


def _programme():
    return Programme.objects.get(slug="cities-grow")


def _pairs(run):
    return {(p["theme"], p["mentor"], p["implementer"]) for p in run.result["pairs"]}


def test_problem_is_built_from_wishes_and_submitted_assessments():
    built = match_problem_build(
        programme=_programme(),
        run_settings=RunSettings(
            pairs=dict(FOUR_BY_TWO),
            same_country="forbid",
            forbidden=[("munich", "athens")],
            locks={"barcelona": ("mentor", "C"), "riga": ("", "C")},
        ),
    )
    problem = built.problem
    assert [t["id"] for t in problem["themes"]] == ["A", "B", "C", "D"]
    cities = {c["id"]: c for c in problem["cities"]}
    assert len(cities) == 16
    # Helsinki's assessment of theme D is a draft: that wish cannot be used, and it says so.
    assert cities["helsinki"]["implement_themes"] == ["B"]
    assert any("Helsinki chose theme D" in w for w in built.warnings)
    athens = cities["athens"]
    assert athens["country"] == "GR"
    levels = {
        r.key_factor.code: r.level
        for r in _programme()
        .self_assessments.get(city__slug="athens", theme__code="B")
        .ratings.select_related("key_factor")
    }
    assert athens["scores"]["B"] == [levels[f"b{n}"] for n in range(1, 8)]
    assert problem["constraints"] == {
        "same_country": "forbid",
        "require_all": True,
        "forbidden_pairs": [["munich", "athens"]],
        "fixed": [
            {"city": "barcelona", "role": "mentor", "theme": "C"},
            {"city": "riga", "theme": "C"},
        ],
    }


def test_coordinator_runs_the_matching_and_reads_each_pairs_value(client_of):
    client = client_of("coordinator-1")
    home = client.get(reverse("matching:home", args=["cities-grow"]))
    assert home.status_code == 200
    assert accessibility_problems(home.content.decode()) == []
    data = {
        "label": "First try",
        "same_country": "allow",
        "require_all": "on",
        "time_limit": "10",
        **{f"pairs_{code}": "2" for code in "ABCD"},
        # Cities are typed: any case, with or without the country.
        "lock_1_city": "munich",
        "lock_1_role": "mentor",
        "lock_1_theme": "B",
        "lock_2_city": "Athens (GR)",
        "lock_2_role": "implementer",
        "lock_2_theme": "B",
    }
    response = client.post(reverse("matching:home", args=["cities-grow"]), data)
    assert response.status_code == 302
    run = MatchRun.objects.get(label="First try")
    assert run.problem["constraints"]["fixed"] == [
        {"city": "athens", "role": "implementer", "theme": "B"},
        {"city": "munich", "role": "mentor", "theme": "B"},
    ]
    assert (run.status, run.solver_status) == (RunStatus.DONE, "optimal")
    assert run.objective == run.bound and len(run.result["pairs"]) == 8
    page = client.get(response.url)
    html = page.content.decode()
    assert accessibility_problems(html) == []
    pair = next(p for p in run.result["pairs"] if p["implementer"] == "athens")
    assert pair["theme"] == "B"
    mentor = next(c for c in run.problem["cities"] if c["id"] == pair["mentor"])
    athens = next(c for c in run.problem["cities"] if c["id"] == "athens")
    # The page's breakdown is the solver's value, factor by factor.
    assert pair_value(mentor["scores"]["B"], athens["scores"]["B"])[0] == pair["value"]
    assert "mentors Athens" in html
    assert f"Value {pair['value']}" in html
    assert "Helsinki chose theme D" in html  # what the problem could not include
    b1 = KeyFactor.objects.get(benchmark__theme__code="B", benchmark__version=1, code="b1")
    assert f"b1. {b1.title}" in html  # each key factor's share of the value, by name


def test_forbidding_the_best_pair_changes_the_answer(user_of):
    first = solved_run(user_of)
    theme, mentor, implementer = sorted(_pairs(first))[0]
    second = solved_run(user_of, forbidden=[(implementer, mentor)])
    assert (theme, mentor, implementer) not in _pairs(second)
    assert second.objective <= first.objective


def test_an_impossible_request_is_explained_in_words(user_of, client_of):
    settings = RunSettings(pairs={"A": 6, "B": 1, "C": 1, "D": 0})
    run = match_run_create(
        actor=user_of("coordinator-1"), programme=_programme(), run_settings=settings
    )
    run = match_run_execute(run.pk)
    assert run.solver_status == "infeasible"
    assert run.result["pairs"] == []
    html = client_of("coordinator-1").get(reverse("matching:run", args=["cities-grow", run.pk]))
    text = html.content.decode()
    assert "No matching possible" in text
    assert "Theme A" in text or "theme A" in text
    with pytest.raises(DomainError):
        match_run_accept(actor=user_of("coordinator-1"), run=run)


def test_nothing_to_match_gets_a_clear_message(client_of):
    ThemeWishes.objects.all().delete()
    client = client_of("coordinator-1")
    data = {"same_country": "allow", "time_limit": "10", **{f"pairs_{c}": "2" for c in "ABCD"}}
    response = client.post(reverse("matching:home", args=["cities-grow"]), data)
    assert response.status_code == 400
    assert "There is nothing to match yet" in response.content.decode()


def test_accepting_a_run_makes_its_pairs_the_programmes_pairs(user_of, client_of):
    run = solved_run(user_of)
    response = client_of("coordinator-1").post(
        reverse("matching:run_accept", args=["cities-grow", run.pk])
    )
    assert response.status_code == 302
    now = {
        (p.scheme.theme.code, p.mentor.city.slug, p.implementing.city.slug)
        for p in MentoringPair.objects.current()
        .filter(scheme__programme=_programme())
        .select_related("scheme__theme", "mentor__city", "implementing__city")
    }
    assert now == _pairs(run)
    run.refresh_from_db()
    assert run.accepted_by == user_of("coordinator-1")
    # Audited: the new pairs were created by the coordinator.
    pair = MentoringPair.objects.current().filter(created_by_run=run.number).first()
    assert pair.history.earliest().history_user == user_of("coordinator-1")
    # Accepting another run moves the mark.
    other = solved_run(user_of, label="again")
    match_run_accept(actor=user_of("coordinator-1"), run=other)
    run.refresh_from_db()
    assert run.accepted_at is None


def test_a_manual_change_after_acceptance_is_rescored(user_of, client_of):
    run = solved_run(user_of)
    match_run_accept(actor=user_of("coordinator-1"), run=run)
    theme, mentor, implementer = next(
        t for t in sorted(_pairs(run)) if sum(1 for p in _pairs(run) if p[0] == t[0]) == 2
    )
    other_mentor = next(m for th, m, i in _pairs(run) if th == theme and m != mentor)
    client = client_of("coordinator-1")
    response = client.post(
        reverse("matching:mentor_change", args=["cities-grow", implementer]),
        {"mentor": other_mentor},
    )
    assert response.status_code == 302
    pair = MentoringPair.objects.current().get(implementing__city__slug=implementer)
    assert pair.mentor.city.slug == other_mentor
    # Another mentor is another pair: the one before ended, and says why.
    before = MentoringPair.objects.past().filter(implementing__city__slug=implementer).latest("pk")
    assert before.mentor.city.slug == mentor and before.end_reason == "mentor changed"
    scores = {c["id"]: c["scores"] for c in run.problem["cities"]}
    expected = pair_value(scores[other_mentor][theme], scores[implementer][theme])[0]
    home = client.get(reverse("matching:home", args=["cities-grow"]))
    rows = home.content.decode().split("<tr>")
    row = next(r for r in rows if pair.implementing.city.name in r and "<td>" in r)
    assert f"<td>{expected}</td>" in row


def test_runs_compare_side_by_side(user_of, client_of):
    first = solved_run(user_of, label="allow")
    second = solved_run(user_of, label="forbid", same_country="forbid")
    response = client_of("auditor-1").get(
        reverse("matching:compare", args=["cities-grow"]) + f"?run={first.pk}&run={second.pk}"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert accessibility_problems(html) == []
    assert "Run 1" in html and "Run 2" in html
    assert html.count("→") == 16


def test_only_coordinators_run_and_accept(user_of, client_of):
    run = solved_run(user_of)
    auditor = client_of("auditor-1")
    assert auditor.get(reverse("matching:run", args=["cities-grow", run.pk])).status_code == 200
    assert auditor.post(reverse("matching:home", args=["cities-grow"]), {}).status_code == 403
    with pytest.raises(DomainError):
        match_run_accept(actor=user_of("auditor-1"), run=run)
    with pytest.raises(DomainError):
        match_run_create(
            actor=user_of("facilitator-b"),
            programme=_programme(),
            run_settings=RunSettings(pairs=dict(FOUR_BY_TWO)),
        )


def test_large_problems_run_in_the_background(
    user_of, client_of, settings, django_capture_on_commit_callbacks
):
    settings.MATCHING_BACKGROUND_FROM_CITIES = 10
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run = match_run_create(
            actor=user_of("coordinator-1"),
            programme=_programme(),
            run_settings=RunSettings(pairs=dict(FOUR_BY_TWO)),
        )
        assert match_run_enqueue(run) is True
    assert len(callbacks) == 1  # the task is enqueued once the run is committed
    client = client_of("coordinator-1")
    page = client.get(reverse("matching:run", args=["cities-grow", run.pk]))
    assert "Waiting to start" in page.content.decode()
    assert "run-progress.js" in page.content.decode()
    progress = client.get(reverse("matching:run_progress", args=["cities-grow", run.pk])).json()
    assert progress["finished"] is False
    match_run_execute(run.pk)  # what the queue's worker does
    progress = client.get(reverse("matching:run_progress", args=["cities-grow", run.pk])).json()
    assert progress["finished"] is True
    assert progress["progress"]["objective"] == MatchRun.objects.get(pk=run.pk).objective


def test_a_running_run_shows_its_best_so_far_bound_and_gap(user_of, client_of, settings):
    settings.MATCHING_BACKGROUND_FROM_CITIES = 10
    run = match_run_create(
        actor=user_of("coordinator-1"),
        programme=_programme(),
        run_settings=RunSettings(pairs=dict(FOUR_BY_TWO)),
    )
    # What the solver writes first: the greedy matching, before CP-SAT has started.
    MatchRun.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING, progress={"objective": 90, "bound": 120, "seconds": 0.4}
    )
    client = client_of("coordinator-1")
    html = client.get(reverse("matching:run", args=["cities-grow", run.pk])).content.decode()
    assert "best so far 90 (at most 120 possible, gap 25.00 %), after 0.4 s" in html
    progress = client.get(reverse("matching:run_progress", args=["cities-grow", run.pk])).json()
    assert progress["progress"]["gap_percent"] == 25.0


def test_a_feasible_run_shows_its_gap(user_of, client_of, monkeypatch):
    from matching import services

    def stopped_early(problem, **kwargs):
        result = solve(problem, **kwargs)
        return {**result, "status": "feasible", "bound": result["objective"] + 10}

    monkeypatch.setattr(services, "solve", stopped_early)
    run = solved_run(user_of)
    assert run.progress["gap"] is not None
    html = (
        client_of("coordinator-1")
        .get(reverse("matching:run", args=["cities-grow", run.pk]))
        .content.decode()
    )
    assert "Good, not proven best" in html
    assert f"no matching can exceed {run.objective + 10}: gap" in html


def test_problem_download_feeds_the_command_line(user_of, client_of):
    run = solved_run(user_of)
    response = client_of("coordinator-1").get(
        reverse("matching:run_problem", args=["cities-grow", run.pk])
    )
    assert response.json() == run.problem
    assert "attachment" in response["Content-Disposition"]


def test_a_contradictory_lock_is_explained_naming_the_city(user_of, client_of):
    # Athens only wants to implement; locking it as a mentor cannot be satisfied.
    run = solved_run(user_of, locks={"athens": ("mentor", "B")})
    assert run.solver_status == "infeasible"
    details = " ".join(d["message"] for d in run.result["explanation"]["details"])
    assert "athens" in details.lower()
    page = client_of("coordinator-1").get(reverse("matching:run", args=["cities-grow", run.pk]))
    html = page.content.decode()
    assert "No matching possible" in html
    assert "Athens" in html and "athens " not in html  # people read names, not ids
    assert accessibility_problems(html) == []


def test_cities_left_out_are_listed_with_a_reason_in_the_readers_language(user_of, client_of):
    run = solved_run(user_of, require_all=False, pairs={"A": 1, "B": 1, "C": 1, "D": 1})
    assert run.solver_status == "optimal" and len(run.result["left_out"]) == 8
    client = client_of("coordinator-1")
    url = reverse("matching:run", args=["cities-grow", run.pk])
    html = client.get(url).content.decode()
    assert "Cities left out" in html
    assert "could take part, but pairing others gave a higher total" in html
    assert "4 pairs in 4 themes" in html and "the best possible (proven)" in html
    # The header's switcher (a signed-in person's stored language wins over Django's cookie).
    client.post(reverse("set_language"), {"language": "fr", "next": url})
    french = client.get(url).content.decode()
    assert "4 binômes" in french or "4 paires" in french


def test_a_run_is_solved_once_and_accepted_once(user_of):
    run = solved_run(user_of)
    again = match_run_execute(run.pk)  # a second worker finds it claimed and leaves it
    assert again.result == run.result
    match_run_accept(actor=user_of("coordinator-1"), run=run)
    with pytest.raises(DomainError, match="already accepted"):
        match_run_accept(actor=user_of("coordinator-1"), run=run)


def test_malformed_query_parameters_are_ignored_not_a_crash(client_of):
    client = client_of("coordinator-1")
    compare = reverse("matching:compare", args=["cities-grow"]) + "?run=%C2%B2&run=x"
    assert client.get(compare).status_code == 200
    benchmark = reverse("assessments:benchmark", args=["cities-grow", "B"]) + "?version=%C2%B2"
    assert client.get(benchmark).status_code == 200


def test_a_background_run_whose_result_cannot_be_saved_ends_failed(user_of, monkeypatch):
    from matching import tasks

    run = match_run_create(
        actor=user_of("coordinator-1"),
        programme=_programme(),
        run_settings=RunSettings(pairs=dict(FOUR_BY_TWO)),
    )

    def refused(run_id, **kwargs):
        MatchRun.objects.filter(pk=run_id).update(status="running")
        raise RuntimeError("database is locked")

    monkeypatch.setattr(tasks, "match_run_execute", refused)
    tasks.match_run_solve.call_local(run.pk)
    run.refresh_from_db()
    assert run.status == "failed"
    assert "database is locked" in run.error
