"""The timeline: items placed on the programme's months (a deliverable in its due month, today's
line in today's month, a held event on its day in its host city), the overdue interim report
flagged in the chart and in the table, filters that narrow both, the SVG, PNG and PDF files, and
the same number of queries for 16 cities and for 400."""

import io
import struct
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from defusedxml import ElementTree as ET
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from programmes.models import Membership, MentoringPair, MentoringScheme, Programme
from tests.factories import account_for
from tests.html_checks import accessibility_problems
from tests.tagged_pdf import assert_accessible_pdf
from tests.workplan.builders import deliverable
from tests.workplan.test_query_counts import _scaled_work_plan
from visits.choices import EventFormat, EventStatus
from visits.models import Event
from visits.services import EventInput, event_create
from workplan import selectors
from workplan.timeline import Kind, TimelineFilters, timeline_get
from workplan.timeline_drawing import COL_W, LABEL_W, timeline_drawing

pytestmark = pytest.mark.django_db

TIMELINE = reverse("workplan:timeline", args=["cities-grow"])
TODAY = date(2018, 6, 15)  # month 18 of CITIES-GROW (1 January 2017 - 31 December 2018)
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch):
    monkeypatch.setattr(selectors, "_today", lambda today=None: today or TODAY)


def _file(client, file_format, query=""):
    return client.get(reverse("workplan:timeline_file", args=["cities-grow", file_format]) + query)


def _month_x(month):
    return LABEL_W + (month - 1) * COL_W


def _items(timeline, kind):
    return {i.code or i.title: i for i in timeline.items if i.kind == kind}


def _athens_webinar(user_of, status=EventStatus.HELD):
    """A scheme B event in Athens just after midnight on 17 October 2017, Athens time (still
    16 October in UTC and in Brussels)."""
    athens = ZoneInfo("Europe/Athens")
    event = event_create(
        actor=user_of("coordinator-1"),
        programme=Programme.objects.get(slug="cities-grow"),
        data=EventInput(
            format=EventFormat.TRAINING_WORKSHOP,
            title="Job-skills workshop in Athens",
            starts_at=datetime(2017, 10, 17, 0, 30, tzinfo=athens),
            ends_at=datetime(2017, 10, 17, 3, 0, tzinfo=athens),
            timezone="Europe/Athens",
            scheme=MentoringScheme.objects.get(programme__slug="cities-grow", theme__code="B"),
        ),
    )
    Event.objects.filter(pk=event.pk).update(status=status)
    return event


def test_items_sit_in_their_months_and_today_in_today_s_month(user_of):
    d41 = deliverable("D4.1")
    d41.due_month = 12
    d41.save()
    timeline = timeline_get(user_of("coordinator-1"), "cities-grow")
    assert [m.number for m in timeline.months] == list(range(1, 27))  # the final report: M26
    assert timeline.months[11].label == "Dec 2017"
    assert timeline.today_month == 18
    drawing = timeline_drawing(timeline)
    marks = {p.item: p for p in drawing.polys if "tl-deliverable-mark" in p.cls}
    assert len(marks) == 7
    x, _y = marks["D4.1"].centre
    assert _month_x(12) < x < _month_x(13)
    assert _items(timeline, Kind.DELIVERABLE)["D4.1"].first_month == 12
    # 15 June 2018: 14 of June's 30 days gone.
    assert drawing.today_x == pytest.approx(_month_x(18) + COL_W * 14 / 30, abs=0.01)
    packages = _items(timeline, Kind.WORK_PACKAGE)
    assert (packages["WP1"].first_month, packages["WP1"].last_month) == (1, 24)
    bars = [r for r in drawing.rects if r.cls == "tl-bar tl-work_package"]
    assert bars[0].x == _month_x(1) + 1 and bars[0].x + bars[0].w == _month_x(25) - 1


def test_a_held_event_sits_on_its_day_in_the_host_city(user_of):
    _athens_webinar(user_of)
    timeline = timeline_get(user_of("coordinator-1"), "cities-grow")
    event = _items(timeline, Kind.EVENT)["Job-skills workshop in Athens"]
    assert (event.starts, event.first_month, event.state) == (date(2017, 10, 17), 10, "held")
    assert "EEST (Athens time)" in event.when
    rows = {row.label: row for group in timeline.groups for row in group.rows}
    assert event in rows["Scheme B: " + _scheme_title("B")].items
    held = [c for c in timeline_drawing(timeline).circles if c.cls == "tl-event tl-event-held"]
    assert len(held) == 1
    assert held[0].cx == pytest.approx(_month_x(10) + COL_W * 16 / 31, abs=0.01)


def _scheme_title(code):
    theme = MentoringScheme.objects.get(programme__slug="cities-grow", theme__code=code).theme
    return theme.short_title or theme.title


def test_the_overdue_interim_report_is_flagged_in_the_chart_and_the_table(client_of):
    response = client_of("athens-officer-1").get(TIMELINE)
    html = response.content.decode()
    assert response.status_code == 200
    assert accessibility_problems(html) == []
    timeline = response.context["timeline"]
    # The milestones not reached by their month are overdue too (as on the work plan's page).
    assert [i.code for i in timeline.overdue] == ["MS1.1", "MS2.1", "D5.1"]
    assert 'data-item="D5.1"' in html
    svg = html[html.index("<svg") : html.index("</svg>") + 6]
    root = ET.fromstring(svg.replace("<svg", f'<svg xmlns="{SVG[1:-1]}"', 1))
    overdue = [p for p in root.iter(f"{SVG}polygon") if "tl-overdue" in p.get("class", "")]
    assert [p.get("data-item") for p in overdue] == ["MS1.1", "MS2.1", "D5.1"]
    assert "tl-deliverable-mark" in overdue[2].get("class")
    assert "Planned · Overdue" in svg
    table = html[html.index("<table") : html.index("</table>")]
    row = table[table.index("D5.1 Interim report") :]
    row = row[: row.index("</tr>")]
    assert "due by 28 February 2018" in row and "badge-overdue" in row
    assert 'role="img"' in svg and table.count('<th scope="row">') == len(timeline.items)
    assert "style=" not in html.split("<main", 1)[1] and "<script>" not in html
    assert (
        reverse("workplan:timeline", args=["cities-grow"])
        in client_of("athens-officer-1")
        .get(reverse("workplan:plan", args=["cities-grow"]))
        .content.decode()
    )


def test_filters_narrow_the_chart_and_the_table(client_of, user_of):
    _athens_webinar(user_of)
    client = client_of("coordinator-1")
    wp5 = client.get(TIMELINE + "?wp=5").context["timeline"]
    assert [g.key for g in wp5.groups] == ["wp-5", "events"]
    assert {i.code for i in wp5.items if i.kind == Kind.DELIVERABLE} == {"D5.1", "D5.2"}
    two = client.get(TIMELINE + "?wp=1&wp=4&events=none")
    assert [g.key for g in two.context["timeline"].groups] == ["wp-1", "wp-4"]
    html = two.content.decode()
    assert "D5.1 Interim report" not in html and "Job-skills workshop" not in html
    scheme_b = client.get(TIMELINE + "?scheme=B").context["timeline"]
    assert [i.code for i in scheme_b.items if i.kind == Kind.TASK] == ["T2.2"]
    assert not [i for i in scheme_b.items if i.kind in (Kind.DELIVERABLE, Kind.MILESTONE)]
    assert [i.title for i in scheme_b.items if i.kind == Kind.EVENT] == [
        "Job-skills workshop in Athens"
    ]
    scheme_a = client.get(TIMELINE + "?scheme=A").context["timeline"]
    assert not [i for i in scheme_a.items if i.kind == Kind.EVENT]
    # Nonsense is ignored, not an error.
    response = client.get(TIMELINE + "?wp=x&scheme=<b>&events=maybe")
    assert response.status_code == 200 and not response.context["timeline"].filters.active
    assert TimelineFilters.from_query({"wp": "3"}).packages == (3,)


def test_the_svg_file_stands_alone(client_of, user_of):
    _athens_webinar(user_of, EventStatus.CANCELLED)
    client = client_of("auditor-1")
    response = _file(client, "svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Content-Disposition"] == 'attachment; filename="cities-grow-timeline.svg"'
    root = ET.fromstring(response.content)
    assert root.tag == f"{SVG}svg" and "sans-serif" in root.get("font-family")
    marks = [p for p in root.iter(f"{SVG}polygon") if "tl-deliverable-mark" in p.get("class", "")]
    assert len(marks) == 7
    texts = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
    assert "CITIES-GROW work plan, 15 June 2018" in texts and "Today, 15 June 2018" in texts
    assert [c for c in root.iter(f"{SVG}line") if c.get("class") == "tl-event-cancelled"]
    assert b"<script" not in response.content and b"href" not in response.content
    narrowed = ET.fromstring(_file(client, "svg", "?wp=5").content)
    marks = [p for p in narrowed.iter(f"{SVG}polygon") if "deliverable-mark" in p.get("class", "")]
    assert [p.get("data-item") for p in marks] == ["D5.1", "D5.2"]


def test_the_png_and_pdf_files(client_of):
    client = client_of("coordinator-1")
    png = _file(client, "png")
    assert png["Content-Type"] == "image/png"
    assert png["Content-Disposition"] == 'attachment; filename="cities-grow-timeline.png"'
    assert png.content[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png.content[16:24])
    assert width == 1999 or width == 2000
    assert 600 < height < 3000
    pdf = _file(client, "pdf", "?wp=4&wp=5")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == 'attachment; filename="cities-grow-timeline.pdf"'
    reader = PdfReader(io.BytesIO(pdf.content))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (
        297,
        210,
    )
    text = reader.pages[0].extract_text()
    assert "CITIES-GROW work plan, 15 June 2018" in text
    assert "WP4 Dissemination and the Integrating Cities" in text
    assert "WP5 Evaluation and reporting" in text
    assert "WP1 Management" not in text
    assert "Overdue" in text and "Today, 15 June 2018" in text
    assert reader.metadata.title == "CITIES-GROW work plan, 15 June 2018"
    # Tagged PDF/UA-1: the chart a figure with its alternative text.
    assert_accessible_pdf(
        pdf.content,
        title="CITIES-GROW work plan, 15 June 2018",
        language="en",
        tables=False,
        figures=1,
    )
    assert _file(client, "gif").status_code == 404


def _events_for_every_pair(programme, per_pair):
    """Held study visits in every pair of a programme (written directly: this measures reads)."""
    pairs = MentoringPair.objects.filter(scheme__programme=programme).select_related("scheme")
    zone = ZoneInfo("Europe/Brussels")
    Event.objects.bulk_create(
        Event(
            programme=programme,
            format=EventFormat.STUDY_VISIT,
            title=f"Visit {pair.pk}-{n}",
            starts_at=datetime(2017, 3 + n, 10, 9, tzinfo=zone),
            ends_at=datetime(2017, 3 + n, 11, 17, tzinfo=zone),
            timezone="Europe/Brussels",
            pair=pair,
            scheme=pair.scheme,
            status=EventStatus.HELD,
        )
        for pair in pairs
        for n in range(per_pair)
    )


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_timeline_queries_do_not_grow_with_the_programme(client, user_of):
    from tests.factories import build_programme

    small = Programme.objects.get(slug="cities-grow")
    _events_for_every_pair(small, 2)
    big = build_programme(schemes=100, slug="scaled")
    big.start_date, big.end_date = small.start_date, small.end_date
    big.save()
    _scaled_work_plan(big)
    _events_for_every_pair(big, 3)
    assert Event.objects.filter(programme=big).count() == 600
    big_user = account_for(
        Membership.objects.filter(programme=big, role="coordinator").first().person
    )
    for suffix in ("", "?wp=2&scheme=A"):
        for name, args in (("workplan:timeline", []), ("workplan:timeline_file", ["svg"])):
            client.force_login(user_of("coordinator-1"))
            few = _count(client, reverse(name, args=["cities-grow", *args]) + suffix)
            client.force_login(big_user)
            many = _count(client, reverse(name, args=["scaled", *args]) + suffix)
            assert few == many, f"{name}{suffix}: {few} queries at 16 cities, {many} at 400"
            assert many <= 20, f"{name}: {many} queries"


def test_the_chart_speaks_the_reader_s_language_and_escapes_titles(client_of, user_of):
    task = deliverable("D5.1").work_package.tasks.get(number=1)
    task.title = 'Evaluation <script>alert("x")</script> & co'
    task.save()
    client = client_of("coordinator-1")
    root = ET.fromstring(_file(client, "svg").content)
    assert not list(root.iter(f"{SVG}script"))
    labels = [t.text for t in root.iter(f"{SVG}text")]
    assert any(text and text.startswith('T5.1 Evaluation <script>alert("x")') for text in labels)
    with translation.override("fr"):
        timeline = timeline_get(user_of("coordinator-1"), "cities-grow")
        assert timeline.months[0].label == "jan. 2017"
        assert timeline.title.endswith("15 juin 2018")


def test_many_events_are_counted_by_month_and_a_scheme_s_shown_one_by_one(client, user_of):
    """600 events: the chart and its table count them by month (held, planned, cancelled),
    the note says so and links the calendar; a scheme's own events are shown one by one."""
    from tests.factories import build_programme
    from workplan.timeline import EVENTS_ONE_BY_ONE

    big = build_programme(schemes=100, slug="scaled")
    small = Programme.objects.get(slug="cities-grow")
    big.start_date, big.end_date = small.start_date, small.end_date
    big.save()
    _events_for_every_pair(big, 3)
    Event.objects.filter(programme=big, starts_at__month=3).update(status=EventStatus.PLANNED)
    user = account_for(Membership.objects.filter(programme=big, role="coordinator").first().person)
    timeline = timeline_get(user, "scaled")
    assert timeline.events_by_month and timeline.event_count == 600
    (row,) = [row for group in timeline.groups if group.key == "events" for row in group.rows]
    assert [item.title for item in row.items] == ["200 events"] * 3
    march = row.items[0]
    assert march.state == "planned" and march.state_label == "0 held, 200 planned, 0 cancelled"
    assert row.items[1].state == "held" and row.items[1].first_month == 4
    client.force_login(user)
    url = reverse("workplan:timeline", args=["scaled"])
    html = client.get(url).content.decode()
    assert accessibility_problems(html) == []
    assert "600 events are shown, too many to draw one by one" in html
    assert html.count("<title>200 events: ") == 3
    assert "Chart of the timeline: " in html and "600 events" in html
    one = client.get(url, {"scheme": "S7"}).content.decode()
    assert "counted by month" not in one and html.count('">Visit ') == 0
    assert one.count('">Visit ') == 6 <= EVENTS_ONE_BY_ONE  # 2 pairs, 3 visits each
