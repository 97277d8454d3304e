"""The programme calendar, the event page and the visit plan screen."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.formats import time_format

from programmes.models import Person, Programme
from tests.html_checks import accessibility_problems
from visits import planner
from visits.models import Event
from visits.services import participant_invite
from visits.services.plan import VISIT_DAY_START, visit_plan_propose

pytestmark = pytest.mark.django_db
WINDOW = planner.Rules(window_start=date(2017, 3, 1), window_end=date(2018, 6, 30))


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert accessibility_problems(response.content.decode()) == []
    return len(queries)


def test_coordinator_plans_visits_on_the_screen(client_of):
    client = client_of("coordinator-1")
    url = reverse("visits:plan", args=["cities-grow"])
    page = client.get(url)
    assert accessibility_problems(page.content.decode()) == []
    bad = client.post(url, {"window_start": "2017-06-01", "window_end": "2017-05-01"})
    assert bad.status_code == 400
    assert "The end must come after the start." in bad.content.decode()
    data = {"window_start": "2017-03-01", "window_end": "2018-06-30", "min_gap_days": "14"}
    assert client.post(url, data).status_code == 302
    assert Event.objects.filter(programme__slug="cities-grow").count() == 16
    after = client.get(url).content.decode()
    assert "None: the plan meets every rule." in after
    short = {"window_start": "2017-03-01", "window_end": "2017-03-03", "min_gap_days": "14"}
    Event.objects.all().delete()
    refused = client.post(url, short)
    assert refused.status_code == 400 and Event.objects.count() == 0


def test_calendar_and_event_pages_keep_their_query_count(client_of, user_of):
    client = client_of("athens-officer-1")
    calendar = reverse("visits:calendar", args=["cities-grow"])
    empty = _count(client, calendar)
    created, _ = visit_plan_propose(
        actor=user_of("coordinator-1"),
        programme=Programme.objects.get(slug="cities-grow"),
        rules=WINDOW,
    )
    full = _count(client, calendar)
    # The page's rows are one query (an empty programme has none to read), whatever their
    # number; the calendar's paging test checks that pages of 50 cost the same.
    assert full == empty + 1
    event = created[0]
    page = reverse("visits:event", args=["cities-grow", event.pk])
    before = _count(client, page)
    for person in Person.objects.filter(memberships__programme__slug="cities-grow").distinct()[:12]:
        participant_invite(actor=user_of("coordinator-1"), event=event, person=person)
    assert _count(client, page) == before
    html = client.get(page).content.decode()
    assert event.title in html and time_format(VISIT_DAY_START, "TIME_FORMAT") in html


def test_the_planning_pages_refuse_before_reading_the_events(client_of, user_of):
    """A city officer asking for the visit plan or the new-event form gets a 404, and reading
    no event to get it: the refusal costs the same with 16 visits as with none."""
    client = client_of("athens-officer-1")
    urls = [
        reverse("visits:plan", args=["cities-grow"]),
        reverse("visits:event_new", args=["cities-grow"]),
    ]

    def counts():
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 404
            assert not [q for q in queries if 'FROM "visits_event"' in q["sql"]]
            result.append(len(queries))
        return result

    before = counts()
    visit_plan_propose(
        actor=user_of("coordinator-1"),
        programme=Programme.objects.get(slug="cities-grow"),
        rules=WINDOW,
    )
    assert counts() == before


def test_the_calendar_list_is_paged_and_opens_on_the_events_to_come(client_of):
    """130 events: the list shows 50 a page, opens on the page of the first event not over
    yet, pages keep their queries, and an unknown page shows a page, never an error."""
    from datetime import timedelta

    from django.utils import timezone

    from visits.selectors import EVENTS_PER_PAGE

    programme = Programme.objects.get(slug="cities-grow")
    now = timezone.now()
    # 70 events over (one a day until yesterday), 60 to come.
    Event.objects.bulk_create(
        Event(
            programme=programme,
            format="webinar",
            title=f"Meeting {k:03d}",
            starts_at=now + timedelta(days=k - 70),
            ends_at=now + timedelta(days=k - 70, hours=2),
        )
        for k in range(130)
    )
    client = client_of("athens-officer-1")
    url = reverse("visits:calendar", args=["cities-grow"])
    page = client.get(url).content.decode()
    assert "Events 51 to 100 of 130, in date order." in page and "Page 2 of 3" in page
    assert "Meeting 070" in page and "Meeting 049" not in page
    first = client.get(url, {"page": 1}).content.decode()
    assert "Meeting 000" in first and first.count("Meeting 0") == EVENTS_PER_PAGE
    assert _count(client, url + "?page=1") == _count(client, url + "?page=3")
    assert client.get(url, {"page": "x"}).status_code == 200


def test_the_visit_plan_lists_its_visits_a_page_at_a_time_with_every_status_counted(client_of):
    """3 visits, then 120: the visits a page of 25 in date order, the count of each status
    over all of them, the same queries on every page and for few visits as for many."""
    from datetime import timedelta

    from django.utils import timezone

    from programmes.models import MentoringPair
    from visits.selectors import VISITS_PER_PAGE

    programme = Programme.objects.get(slug="cities-grow")
    pairs = list(MentoringPair.objects.filter(scheme__programme=programme).order_by("pk"))
    start = timezone.now().replace(microsecond=0)

    def visits(numbers, status):
        Event.objects.bulk_create(
            Event(
                programme=programme,
                format="study_visit",
                title=f"Visit {k:03d}",
                starts_at=start + timedelta(days=k),
                ends_at=start + timedelta(days=k, hours=8),
                pair=pairs[k % len(pairs)],
                status=status,
            )
            for k in numbers
        )

    client = client_of("coordinator-1")
    url = reverse("visits:plan", args=["cities-grow"])
    visits(range(3), "planned")
    few = _count(client, url)
    visits(range(3, 100), "planned")
    visits(range(100, 120), "confirmed")
    html = client.get(url).content.decode()
    assert "Visits 1 to 25 of 120, in date order." in html and "Page 1 of 5" in html
    assert "Planned: 100; Confirmed: 20." in html
    assert html.count(">Visit 0") == VISITS_PER_PAGE and "Visit 050" not in html
    assert _count(client, url) == few
    last = client.get(url, {"page": 5}).content.decode()
    assert "Visit 119" in last and "Visit 099" not in last and "Visits 101 to 120" in last
    assert _count(client, url + "?page=5") == few
    assert client.get(url, {"page": "x"}).status_code == 200
