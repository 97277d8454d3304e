"""The visit planner: plans CITIES-GROW-shaped programmes and explains every broken rule."""

from datetime import date, timedelta

import holidays
import pytest

from visits.planner import (
    City,
    Pair,
    Rules,
    Visit,
    attendees_default,
    check_plan,
    host_of,
    plan_visits,
    traveller_of,
)

CITIES = [
    City("rotterdam", "Rotterdam", "NL"),
    City("gdansk", "Gdansk", "PL"),
    City("birmingham", "Birmingham", "GB"),
    City("nicosia", "Nicosia", "CY"),
    City("munich", "Munich", "DE"),
    City("athens", "Athens", "GR"),
    City("utrecht", "Utrecht", "NL"),
    City("tampere", "Tampere", "FI"),
    City("barcelona", "Barcelona", "ES"),
    City("riga", "Riga", "LV"),
    City("lisbon", "Lisbon", "PT"),
    City("dresden", "Dresden", "DE"),
    City("ghent", "Ghent", "BE"),
    City("brighton-hove", "Brighton and Hove", "GB"),
    City("nantes", "Nantes", "FR"),
    City("helsinki", "Helsinki", "FI"),
]
BY_ID = {c.id: c for c in CITIES}
PAIRS = [Pair(f"p{i}", CITIES[2 * i].id, CITIES[2 * i + 1].id, "ABCD"[i // 2]) for i in range(8)]
OFFICERS = {c.id: {f"{c.id}-1", f"{c.id}-2"} for c in CITIES}
FACILITATORS = {theme: {f"facilitator-{theme}"} for theme in "ABCD"}
NAMES = {"facilitator-A": "Ana Facil", "facilitator-B": "Ben Facil", "munich-1": "Max Muster"}
ATTENDEES = attendees_default(PAIRS, OFFICERS, FACILITATORS)
RULES = Rules(date(2017, 3, 1), date(2018, 6, 30))


def visit(pair: str, kind: str, start: date, days: int = 3) -> Visit:
    return Visit(pair, kind, start, start + timedelta(days - 1))


def good_plan() -> list[Visit]:
    """A valid hand-made plan: a study visit a week per pair, mentoring visits in autumn."""
    visits = []
    for i, pair in enumerate(PAIRS):
        visits.append(visit(pair.id, "study", date(2017, 3, 7) + timedelta(weeks=i)))
        visits.append(visit(pair.id, "mentoring", date(2017, 9, 5) + timedelta(weeks=i)))
    return visits


def replace(visits: list[Visit], new: Visit) -> list[Visit]:
    return [new if (v.pair, v.kind) == (new.pair, new.kind) else v for v in visits]


def codes(conflicts) -> list[str]:
    return [c.code for c in conflicts]


def check(visits, pairs=PAIRS, cities=CITIES, rules=RULES, attendees=ATTENDEES):
    return check_plan(pairs, cities, rules, visits, attendees, NAMES)


@pytest.fixture(scope="module")
def planned():
    return plan_visits(PAIRS, CITIES, RULES, ATTENDEES, NAMES)


def test_good_hand_made_plan_has_no_conflicts():
    assert check(good_plan()) == []


def test_host_and_traveller_follow_the_visit_kind():
    study, mentoring = (
        visit("p2", "study", date(2017, 3, 6)),
        visit("p2", "mentoring", date(2017, 5, 8)),
    )
    assert (host_of(study, PAIRS), traveller_of(study, PAIRS)) == ("munich", "athens")
    assert (host_of(mentoring, PAIRS), traveller_of(mentoring, PAIRS)) == ("athens", "munich")


def test_attendees_default_joins_officers_facilitator_and_staff():
    attendees = attendees_default(PAIRS, OFFICERS, FACILITATORS, {"staff-1"})
    expected = {"munich-1", "munich-2", "athens-1", "athens-2", "facilitator-B", "staff-1"}
    assert attendees[("p2", "study")] == expected
    assert attendees[("p2", "mentoring")] == expected


def test_plan_cities_grow_plans_all_visits_and_checks_clean(planned):
    assert planned.status == "planned"
    assert len(planned.visits) == 16
    assert {(v.pair, v.kind) for v in planned.visits} == {
        (p.id, kind) for p in PAIRS for kind in ("study", "mentoring")
    }
    assert planned.conflicts == []
    assert check(planned.visits) == []


def test_plan_puts_study_visit_first_with_the_gap(planned):
    by_key = {(v.pair, v.kind): v for v in planned.visits}
    for pair in PAIRS:
        study, mentoring = by_key[(pair.id, "study")], by_key[(pair.id, "mentoring")]
        assert (mentoring.start - study.end).days >= RULES.min_gap_days


def test_plan_avoids_holidays_weekends_and_stays_in_window(planned):
    for v in planned.visits:
        assert RULES.window_start <= v.start <= v.end <= RULES.window_end
        days = [v.start + timedelta(n) for n in range((v.end - v.start).days + 1)]
        assert len(days) == RULES.visit_days
        for city in (host_of(v, PAIRS), traveller_of(v, PAIRS)):
            calendar = holidays.country_holidays(BY_ID[city].country, years=[2017, 2018])
            assert not any(d in calendar for d in days), (v, city)
        assert all(d.weekday() < 5 for d in days)


def test_plan_never_double_books_an_attendee(planned):
    visits = planned.visits
    for i, a in enumerate(visits):
        for b in visits[i + 1 :]:
            if ATTENDEES[(a.pair, a.kind)] & ATTENDEES[(b.pair, b.kind)]:
                assert a.end < b.start or b.end < a.start, (a, b)


def test_plan_with_staff_at_every_visit_still_plans():
    attendees = attendees_default(PAIRS, OFFICERS, FACILITATORS, {"staff-1"})
    result = plan_visits(PAIRS, CITIES, RULES, attendees, NAMES)
    assert result.status == "planned"
    assert check(result.visits, attendees=attendees) == []


def test_check_double_booking_names_the_person_and_both_visits():
    # p2 (Munich-Athens) and p3 (Utrecht-Tampere) share facilitator B.
    plan = replace(good_plan(), visit("p3", "study", date(2017, 3, 20)))
    conflicts = [c for c in check(plan) if c.code == "double_booking"]
    assert len(conflicts) == 1
    message = conflicts[0].message
    assert "Ben Facil" in message
    assert "study visit of Athens to Munich" in message
    assert "study visit of Tampere to Utrecht" in message
    assert conflicts[0].params["person"] == "facilitator-B"


def test_check_holiday_names_the_holiday_and_country():
    # Nantes (FR) mentors Helsinki (FI): 6 December 2017 is Finland's Independence Day.
    plan = replace(good_plan(), visit("p7", "mentoring", date(2017, 12, 5)))
    conflicts = [c for c in check(plan) if c.code == "holiday"]
    assert len(conflicts) == 1
    assert "Independence Day in Finland" in conflicts[0].message
    assert conflicts[0].params["date"] == "2017-12-06"


MALMO = City("malmo", "Malmo", "SE")


def test_check_city_travelling_twice_for_a_mentor_with_two_mentees():
    pairs = [*PAIRS, Pair("p8", "rotterdam", "malmo", "A")]
    attendees = attendees_default(pairs, OFFICERS, FACILITATORS)
    plan = [
        *good_plan(),
        visit("p8", "study", date(2017, 5, 1)),
        visit("p8", "mentoring", date(2017, 11, 6)),
    ]
    found = check(plan, pairs=pairs, cities=[*CITIES, MALMO], attendees=attendees)
    travels = [c for c in found if c.code == "city_travels_twice"]
    assert [c.params["city"] for c in travels] == ["rotterdam"]
    assert "Rotterdam would travel for two visits" in travels[0].message
    assert "city_hosts_twice" in codes(found)


def test_check_mentoring_visit_before_study_visit_is_order():
    plan = replace(good_plan(), visit("p0", "mentoring", date(2017, 3, 1)))
    found = [c for c in check(plan) if c.code in {"order", "gap"}]
    assert codes(found) == ["order"]
    assert "comes before the study visit of Gdansk to Rotterdam" in found[0].message


def test_check_mentoring_visit_too_soon_after_study_visit_is_gap():
    # The study visit of p0 ends on 9 March; 14 March is only 5 days later.
    plan = replace(good_plan(), visit("p0", "mentoring", date(2017, 3, 14)))
    found = [c for c in check(plan) if c.code in {"order", "gap"}]
    assert codes(found) == ["gap"]
    assert found[0].params["gap_days"] == 5
    assert "at least 14 days" in found[0].message


def test_check_visit_outside_the_window():
    plan = replace(good_plan(), visit("p1", "mentoring", date(2018, 7, 2)))
    assert codes(check(plan)) == ["outside_window"]


def test_check_visit_on_a_weekend_day():
    # Thursday 9 to Saturday 11 March 2017.
    plan = replace(good_plan(), visit("p1", "study", date(2017, 3, 9)))
    found = check(plan)
    assert "weekend" in codes(found)
    weekend = next(c for c in found if c.code == "weekend")
    assert "Saturday 11 March 2017" in weekend.message


def test_check_visit_of_the_wrong_length():
    plan = replace(good_plan(), visit("p1", "study", date(2017, 3, 13), days=2))
    assert codes(check(plan)) == ["bad_length"]


def test_check_visit_on_dates_the_host_declared_unavailable():
    cities = [
        City("gdansk", "Gdansk", "PL", ((date(2017, 9, 1), date(2017, 9, 8)),))
        if c.id == "gdansk"
        else c
        for c in CITIES
    ]
    found = check(good_plan(), cities=cities)
    assert codes(found) == ["unavailable"]
    assert "Gdansk declared unavailable" in found[0].message
    assert found[0].params["kind"] == "mentoring"


def test_plan_respects_declared_unavailable_dates():
    blocked = (date(2017, 3, 1), date(2017, 4, 30))
    cities = [City(c.id, c.name, c.country, (blocked,)) if c.id == "athens" else c for c in CITIES]
    result = plan_visits(PAIRS, cities, RULES, ATTENDEES, NAMES)
    assert result.status == "planned"
    for v in result.visits:
        if v.pair == "p2":
            assert v.start > blocked[1]
    assert check(result.visits, cities=cities) == []


def test_plan_keeps_a_fixed_visit_where_it_was_put():
    # Riga's study visit to Barcelona took place on 17-19 October 2017.
    fixed = visit("p4", "study", date(2017, 10, 17))
    result = plan_visits(PAIRS, CITIES, RULES, ATTENDEES, NAMES, fixed=[fixed])
    assert result.status == "planned"
    assert fixed in result.visits
    mentoring = next(v for v in result.visits if (v.pair, v.kind) == ("p4", "mentoring"))
    assert (mentoring.start - fixed.end).days >= RULES.min_gap_days
    assert result.conflicts == []


def test_plan_in_a_too_short_window_is_infeasible_and_names_the_pairs():
    rules = Rules(date(2017, 3, 6), date(2017, 3, 17))
    result = plan_visits(PAIRS, CITIES, rules, ATTENDEES, NAMES)
    assert result.status == "infeasible"
    assert result.visits == []
    unfit = [c for c in result.conflicts if c.code == "pair_does_not_fit"]
    assert {c.params["pair"] for c in unfit} == {p.id for p in PAIRS}
    assert "the pair Munich (mentor) and Athens (implementing, theme B)" in " ".join(
        c.message for c in result.conflicts
    )


def test_plan_with_no_working_days_in_window_says_so():
    rules = Rules(date(2017, 3, 4), date(2017, 3, 5))  # a weekend
    result = plan_visits(PAIRS[:1], CITIES[:2], rules, ATTENDEES, NAMES)
    assert result.status == "infeasible"
    assert codes(result.conflicts) == ["no_dates", "no_dates"]
    assert "holds no three consecutive working days" in result.conflicts[0].message


def test_plan_explains_an_overloaded_facilitator():
    # Two weeks, no gap: each pair fits, but facilitator A has four 3-day visits, one a week.
    rules = Rules(date(2017, 3, 6), date(2017, 3, 17), min_gap_days=0)
    result = plan_visits(PAIRS[:2], CITIES[:4], rules, ATTENDEES, NAMES)
    assert result.status == "infeasible"
    overloaded = [c for c in result.conflicts if c.code == "person_overloaded"]
    assert [c.params["person"] for c in overloaded] == ["facilitator-A"]
    assert "Ana Facil is expected at four visits, 12 days in all" in overloaded[0].message


def test_plan_explains_a_clash_the_prechecks_miss():
    # Facilitator A's four visits fit in three weeks of days but not one visit a week.
    rules = Rules(date(2017, 3, 6), date(2017, 3, 24), min_gap_days=1)
    result = plan_visits(PAIRS[:2], CITIES[:4], rules, ATTENDEES, NAMES)
    assert result.status == "infeasible"
    assert codes(result.conflicts) == ["infeasible"]
    assert "Ana Facil attends four visits, one at a time" in result.conflicts[0].message


def test_plan_reports_a_mentor_with_two_mentees_but_still_plans():
    pairs = [*PAIRS, Pair("p8", "rotterdam", "malmo", "A")]
    attendees = attendees_default(pairs, OFFICERS, FACILITATORS)
    result = plan_visits(pairs, [*CITIES, MALMO], RULES, attendees, NAMES)
    assert result.status == "planned"
    assert len(result.visits) == 18
    assert {"city_travels_twice", "city_hosts_twice"} <= set(codes(result.conflicts))
    assert set(codes(result.conflicts)) == {"city_travels_twice", "city_hosts_twice"}
    assert {c.params["city"] for c in result.conflicts} == {"rotterdam"}


def test_double_bookings_are_those_of_every_two_overlapping_visits_in_the_plan_s_order():
    """The sweep that finds overlapping visits reports what comparing every two visits would,
    in the same order, however the visits cross."""
    import random

    rng = random.Random(7)
    everyone = {(p.id, kind): {"staff"} for p in PAIRS for kind in ("study", "mentoring")}
    for _ in range(200):
        visits = [
            visit(
                rng.choice(PAIRS).id,
                rng.choice(["study", "mentoring"]),
                date(2017, 3, 1) + timedelta(rng.randint(0, 40)),
                rng.randint(1, 6),
            )
            for _ in range(rng.randint(0, 14))
        ]
        expected = [
            (i, j)
            for i, a in enumerate(visits)
            for j, b in enumerate(visits)
            if i < j and not (a.start > b.end or b.start > a.end)
        ]
        found = [
            c.params["visits"]
            for c in check(visits, attendees=everyone)
            if c.code == "double_booking"
        ]
        assert len(found) == len(expected)
        for (i, j), pair in zip(expected, found, strict=True):
            assert [pair[0]["start"], pair[1]["start"]] == [
                str(visits[i].start),
                str(visits[j].start),
            ]
