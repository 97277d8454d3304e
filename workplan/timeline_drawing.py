"""The timeline laid out as shapes (rectangles, polygons, circles, lines, texts) in one
coordinate space, y downwards: the page's SVG, the SVG file, the PNG and the PDF all draw these
same shapes (workplan.timeline_export), so the chart is laid out once.

Meaning never rests on colour alone: a deliverable is a diamond, a milestone a triangle, an event
a circle (filled when held, hollow when planned) or a cross (cancelled), and every deliverable
and milestone has its state written next to it ("Overdue" included). Colours are SVG
presentation attributes (the page's CSP refuses style attributes, not these).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .months import month_end, month_of, month_start
from .timeline import Item, Kind, Timeline

LABEL_W = 330  # the column of row labels
COL_W = 26  # one programme month
ROW_H = 18
PLOT_TOP = 128
RIGHT = 12
FONT = 10

INK = "#1a1a1a"
MUTED = "#595959"
GRID = "#d9d9d9"
GROUP_LINE = "#8c8c8c"
WP_FILL = "#1f3d7a"
TASK_FILL = "#8fa9d6"
OVERDUE = "#b00020"
TODAY = "#b00020"
HELD = "#2e7d32"
CANCELLED = "#6b6b6b"
STATE_FILL = {
    "planned": "#ffffff",
    "in_progress": "#c6dbef",
    "complete": "#6baed6",
    "submitted": "#2171b5",
    "accepted": "#08306b",
    "returned": "#e6550d",
    "reached": INK,
    "not_reached": "#ffffff",
}


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str
    stroke: str = "none"
    cls: str = ""
    title: str = ""


@dataclass(frozen=True)
class Poly:
    points: tuple[tuple[float, float], ...]
    fill: str
    stroke: str
    cls: str = ""
    title: str = ""
    item: str = ""  # the deliverable's or milestone's code

    @property
    def svg_points(self) -> str:
        return " ".join(f"{x:g},{y:g}" for x, y in self.points)

    @property
    def centre(self) -> tuple[float, float]:
        xs, ys = [p[0] for p in self.points], [p[1] for p in self.points]
        return (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2


@dataclass(frozen=True)
class Circle:
    cx: float
    cy: float
    r: float
    fill: str
    stroke: str
    cls: str = ""
    title: str = ""


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str
    width: float = 1.0
    dashed: bool = False
    cls: str = ""


@dataclass(frozen=True)
class Text:
    x: float
    y: float  # the baseline
    text: str
    size: float = FONT
    anchor: str = "start"  # start, middle, end (SVG's text-anchor)
    bold: bool = False
    fill: str = INK
    vertical: bool = False  # turned a quarter left, reading upwards from (x, y)
    cls: str = ""


@dataclass
class Drawing:
    width: float
    height: float
    label: str  # a short description for role="img"
    rects: list[Rect] = field(default_factory=list)
    polys: list[Poly] = field(default_factory=list)
    circles: list[Circle] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    today_x: float | None = None


def text_width(text: str, size: float) -> float:
    """An estimate of the text's width in a sans-serif font (for placing, not measuring)."""
    return len(text) * size * 0.56


def _clip(text: str, room: float, size: float, *, bold: bool = False) -> str:
    most = max(4, int(room / (size * (0.64 if bold else 0.56))))
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


class _Axis:
    def __init__(self, start: date, months: int) -> None:
        self.start, self.months = start, months

    def month_x(self, month: int) -> float:
        """The left edge of a programme month's column."""
        return LABEL_W + (month - 1) * COL_W

    def date_x(self, day: date) -> float | None:
        """Where a day sits: its month's column, then the share of the month gone before it."""
        month = month_of(self.start, day)
        if not 1 <= month <= self.months:
            return None
        first, last = month_start(self.start, month), month_end(self.start, month)
        share = (day - first).days / ((last - first).days + 1)
        return round(self.month_x(month) + share * COL_W, 2)


def timeline_drawing(timeline: Timeline) -> Drawing:
    months = len(timeline.months)
    axis = _Axis(timeline.programme.start_date, months)
    plot_right = axis.month_x(months + 1)
    width = plot_right + RIGHT
    rows = [(group, row) for group in timeline.groups for row in group.rows]
    event_heading = any(group.key == "events" for group in timeline.groups)
    plot_bottom = PLOT_TOP + ROW_H * (len(rows) + (1 if event_heading else 0) or 1)
    d = Drawing(
        width,
        0,
        _(
            "Chart of the timeline: %(items)s; the table after it gives the same items, months and "
            "states."
        )
        % {"items": _summary(timeline)},
    )

    # Title, filters, the months.
    d.texts.append(Text(8, 24, timeline.title, 16, bold=True, cls="tl-title"))
    if timeline.filter_summary:
        d.texts.append(
            Text(8, 42, _("Shown: %(what)s") % {"what": timeline.filter_summary}, FONT, fill=MUTED)
        )
    for m in timeline.months:
        x = axis.month_x(m.number)
        d.rects.append(
            Rect(
                x,
                PLOT_TOP,
                COL_W,
                plot_bottom - PLOT_TOP,
                "#f4f6fa" if m.number % 2 else "#ffffff",
                cls="tl-column",
            )
        )
        d.lines.append(Line(x, 52, x, plot_bottom, GRID, 0.6))
        d.texts.append(
            Text(x + COL_W / 2, 62, f"M{m.number}", 8, "middle", fill=MUTED, cls="tl-month")
        )
        d.texts.append(
            Text(x + COL_W / 2 + 3, PLOT_TOP - 4, m.label, 8, vertical=True, cls="tl-month-name")
        )
    d.lines.append(Line(plot_right, 52, plot_right, plot_bottom, GRID, 0.6))
    d.lines.append(Line(8, PLOT_TOP, plot_right, PLOT_TOP, GROUP_LINE, 0.8))

    y = PLOT_TOP
    if not rows:
        d.texts.append(Text(8, y + 13, _("Nothing here matches the filter."), FONT))
    previous = None
    for group, row in rows:
        if group is not previous and previous is not None:
            d.lines.append(Line(8, y, plot_right, y, GROUP_LINE, 0.8))
        if group is not previous and group.key == "events":
            d.texts.append(Text(8, y + 13, group.heading, FONT, bold=True))
            y += ROW_H
        previous = group
        middle = y + ROW_H / 2
        head = row.kind == Kind.WORK_PACKAGE
        indent = 8 if head else 20
        d.texts.append(
            Text(
                indent,
                middle + 3.5,
                _clip(row.label, LABEL_W - indent - 8, FONT, bold=head),
                FONT,
                bold=head,
                cls=f"tl-label tl-{row.kind}",
            )
        )
        for item in row.items:
            _draw(d, axis, item, middle, plot_right)
        y += ROW_H

    # Today, then the legend.
    if timeline.today_month is not None:
        today_x = axis.date_x(timeline.today)
        if today_x is not None:
            x = d.today_x = today_x
            d.lines.append(
                Line(x, PLOT_TOP - 2, x, plot_bottom + 2, TODAY, 1.6, dashed=True, cls="tl-today")
            )
            d.texts.append(
                Text(
                    x,
                    plot_bottom + 14,
                    _("Today, %(day)s") % {"day": date_format(timeline.today, "DATE_FORMAT")},
                    9,
                    "middle",
                    True,
                    TODAY,
                    cls="tl-today-label",
                )
            )
    d.height = _legend(d, plot_bottom + 34, width) + 10
    return d


def _summary(timeline: Timeline) -> str:
    packages, deliverables, milestones, events = (
        timeline.count(kind)
        for kind in (Kind.WORK_PACKAGE, Kind.DELIVERABLE, Kind.MILESTONE, Kind.EVENT)
    )
    overdue = sum(1 for i in timeline.items if i.overdue)
    parts = [
        ngettext("%(n)s work package", "%(n)s work packages", packages) % {"n": packages},
        ngettext("%(n)s deliverable", "%(n)s deliverables", deliverables) % {"n": deliverables},
        ngettext("%(n)s milestone", "%(n)s milestones", milestones) % {"n": milestones},
        ngettext("%(n)s event", "%(n)s events", events) % {"n": events},
    ]
    if overdue:
        parts.append(ngettext("%(n)s overdue", "%(n)s overdue", overdue) % {"n": overdue})
    return ", ".join(parts)


def _diamond(x: float, y: float, r: float) -> tuple[tuple[float, float], ...]:
    return ((x, y - r), (x + r, y), (x, y + r), (x - r, y))


def _triangle(x: float, y: float, r: float) -> tuple[tuple[float, float], ...]:
    return ((x - r, y - r * 0.8), (x + r, y - r * 0.8), (x, y + r * 0.9))


def _note(d: Drawing, x: float, y: float, text: str, plot_right: float, *, alarm: bool) -> None:
    """The state written beside a mark, on the side with room."""
    size = 8
    if x + 9 + text_width(text, size) <= plot_right:
        d.texts.append(
            Text(
                x + 9,
                y + 3,
                text,
                size,
                bold=alarm,
                fill=OVERDUE if alarm else MUTED,
                cls="tl-state",
            )
        )
    else:
        d.texts.append(
            Text(
                x - 9, y + 3, text, size, "end", alarm, OVERDUE if alarm else MUTED, cls="tl-state"
            )
        )


def _draw(d: Drawing, axis: _Axis, item: Item, y: float, plot_right: float) -> None:
    if item.kind in (Kind.WORK_PACKAGE, Kind.TASK):
        first = max(1, min(item.first_month, axis.months))
        last = max(first, min(item.last_month, axis.months))
        x0, x1 = axis.month_x(first) + 1, axis.month_x(last + 1) - 1
        high = 10 if item.kind == Kind.WORK_PACKAGE else 7
        fill = WP_FILL if item.kind == Kind.WORK_PACKAGE else TASK_FILL
        d.rects.append(
            Rect(
                x0,
                y - high / 2,
                x1 - x0,
                high,
                fill,
                cls=f"tl-bar tl-{item.kind}",
                title=f"{item.name}: M{item.first_month}\u2013M{item.last_month}",
            )
        )
        return
    if item.kind in (Kind.DELIVERABLE, Kind.MILESTONE):
        if not 1 <= item.first_month <= axis.months:
            return
        x = axis.month_x(item.first_month) + COL_W / 2
        fill = OVERDUE if item.overdue else STATE_FILL.get(item.state, "#ffffff")
        shape = _diamond(x, y, 6) if item.kind == Kind.DELIVERABLE else _triangle(x, y, 6)
        overdue = " tl-overdue" if item.overdue else ""
        note = item.state_label + (" · " + _("Overdue") if item.overdue else "")
        d.polys.append(
            Poly(
                shape,
                fill,
                OVERDUE if item.overdue else INK,
                f"tl-mark tl-{item.kind}-mark tl-state-{item.state}{overdue}",
                f"{item.name}: {note}",
                item.code,
            )
        )
        _note(d, x, y, note, plot_right, alarm=item.overdue)
        return
    on = axis.date_x(item.starts)
    if on is None:
        return
    x = on
    title = f"{item.title}: {item.when} ({item.state_label})"
    if item.state == "cancelled":
        d.lines.append(
            Line(x - 3.5, y - 3.5, x + 3.5, y + 3.5, CANCELLED, 1.4, cls="tl-event-cancelled")
        )
        d.lines.append(
            Line(x - 3.5, y + 3.5, x + 3.5, y - 3.5, CANCELLED, 1.4, cls="tl-event-cancelled")
        )
    else:
        fill = HELD if item.state == "held" else "#ffffff"
        d.circles.append(Circle(x, y, 4, fill, HELD, f"tl-event tl-event-{item.state}", title))


def _legend(d: Drawing, top: float, width: float) -> float:
    """The key to the shapes, wrapped over as many lines as the width needs; its bottom."""
    entries = [
        ("wp", _("Work package")),
        ("task", _("Task")),
        ("deliverable", _("Deliverable")),
        ("overdue", _("Overdue")),
        ("milestone", _("Milestone")),
        ("held", _("Event held")),
        ("planned", _("Event planned")),
        ("cancelled", _("Event cancelled")),
        ("today", _("Today")),
    ]
    x, y = 8.0, top
    for key, label in entries:
        room = 22 + text_width(label, 9) + 14
        if x + room > width:
            x, y = 8.0, y + 16
        c = y - 3
        if key in ("wp", "task"):
            d.rects.append(
                Rect(x, c - 4, 16, 8 if key == "wp" else 6, WP_FILL if key == "wp" else TASK_FILL)
            )
        elif key in ("deliverable", "overdue"):
            d.polys.append(
                Poly(
                    _diamond(x + 8, c, 5),
                    OVERDUE if key == "overdue" else "#ffffff",
                    OVERDUE if key == "overdue" else INK,
                    "tl-legend",
                )
            )
        elif key == "milestone":
            d.polys.append(Poly(_triangle(x + 8, c, 5), "#ffffff", INK, "tl-legend"))
        elif key in ("held", "planned"):
            d.circles.append(
                Circle(x + 8, c, 4, HELD if key == "held" else "#ffffff", HELD, "tl-legend")
            )
        elif key == "cancelled":
            d.lines.append(Line(x + 4.5, c - 3.5, x + 11.5, c + 3.5, CANCELLED, 1.4))
            d.lines.append(Line(x + 4.5, c + 3.5, x + 11.5, c - 3.5, CANCELLED, 1.4))
        else:
            d.lines.append(Line(x + 8, c - 6, x + 8, c + 6, TODAY, 1.6, dashed=True))
        d.texts.append(Text(x + 22, y, label, 9, cls="tl-legend"))
        x += room
    return y + 4
