"""The narrative sections of a report and the text each starts with, written from the period's
facts in the active language; the coordinators then rewrite them as they see fit."""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.money import format_money

from .choices import ReportKind
from .records import PackageFacts, ReportFacts


def _day(value: date) -> str:
    return date_format(value, "DATE_FORMAT")


def _lines(items: list[str]) -> str:
    return "\n".join(f"- {item}" for item in items)


def period_text(facts: ReportFacts) -> str:
    return _("M%(first)s to M%(last)s (%(start)s to %(end)s)") % {
        "first": facts.first_month,
        "last": facts.last_month,
        "start": _day(facts.period_start),
        "end": _day(facts.period_end),
    }


def _summary(facts: ReportFacts) -> str:
    i = facts.indicators
    return "\n".join(
        [
            _("This report covers %(period)s of %(programme)s.")
            % {"period": period_text(facts), "programme": facts.programme},
            _(
                "Events held: %(events)s, with %(participants)s participations of people from "
                "%(cities)s cities."
            )
            % {
                "events": i.events_held,
                "participants": i.participants,
                "cities": i.cities_involved,
            },
            _("Study and mentoring visits held: %(visits)s; findings recorded: %(findings)s.")
            % {"visits": i.visits_held, "findings": i.findings},
            _(
                "Local action plans adopted: %(plans)s; toolkits published: %(toolkits)s; good "
                "practices published: %(practices)s."
            )
            % {
                "plans": i.plans_adopted,
                "toolkits": i.toolkits_published,
                "practices": i.practices_published,
            },
        ]
    )


def _package(package: PackageFacts) -> str:
    parts = []
    if package.events:
        formats = Counter(e.format for e in package.events)
        parts.append(
            _(
                "Events held in the period: %(count)s (%(formats)s), with %(participants)s "
                "participations."
            )
            % {
                "count": len(package.events),
                "formats": ", ".join(f"{name}: {count}" for name, count in formats.items()),
                "participants": package.participants,
            }
        )
    else:
        parts.append(_("No event of this work package was held in the period."))
    if package.outputs:
        parts.append(_("Deliverables at the end of the period:"))
        parts.append(_lines([f"{o.code} {o.title}: {o.state}" for o in package.outputs]))
    return "\n".join(parts)


def _actions(facts: ReportFacts) -> str:
    parts = [
        _("Actions undertaken under %(programme)s so far, for the Integrating Cities Conference:")
        % {"programme": facts.programme}
    ]
    items = [
        _("%(day)s: %(title)s; findings: %(findings)s")
        % {"day": _day(e.first_day), "title": e.title, "findings": e.findings}
        for e in facts.events
    ]
    items += [
        _("%(title)s, adopted on %(day)s")
        % {"title": p.title, "day": _day(p.adopted_on) if p.adopted_on else "\u2013"}
        for p in facts.plans
    ]
    items += [_("Toolkit published: %(title)s") % {"title": t.title} for t in facts.toolkits]
    parts.append(_lines(items) if items else _("No action recorded yet."))
    return "\n".join(parts)


def _deviations(facts: ReportFacts) -> str:
    if not facts.deviations:
        return _("No deliverable was late in this period.")
    return _lines(
        [
            _("%(code)s %(title)s, due on %(due)s: %(state)s. Reason: %(reason)s")
            % {
                "code": d.code,
                "title": d.title,
                "due": _day(d.due_on),
                "state": d.state,
                "reason": d.reason or _("(to be explained)"),
            }
            for d in facts.deviations
        ]
    )


def _finance(facts: ReportFacts) -> str:
    money = facts.finance
    if money is None:
        return _("No financial statement to the funder ends in this period yet.")
    return "\n".join(
        [
            _("Financial statement: %(statement)s.") % {"statement": money.statement},
            _(
                "Eligible costs: %(total)s, of which co-financing %(co)s; EU contribution: "
                "%(eu)s (budget: %(budget)s)."
            )
            % {
                "total": format_money(money.total, money.currency),
                "co": format_money(money.co_financing, money.currency),
                "eu": format_money(money.eu_contribution, money.currency),
                "budget": format_money(money.budget, money.currency),
            },
        ]
    )


def _outlook(facts: ReportFacts, kind: str) -> str:
    if kind == ReportKind.FINAL:
        return _("How the cities carry on the work after the programme: to be written.")
    going_on = [p for p in facts.packages if p.end_month > facts.last_month]
    if not going_on:
        return _("Every work package ends within this period.")
    return "\n".join(
        [
            _("Work packages that go on after this period:"),
            _lines(
                [f"{p.code} {p.title} (M{p.start_month}\u2013M{p.end_month})" for p in going_on]
            ),
        ]
    )


def section_texts(facts: ReportFacts, kind: str) -> list[tuple[str, str, str]]:
    """(key, title, prefilled text) of every narrative section, in the document's order."""
    sections = [("summary", _("Summary of the period"), _summary(facts))]
    for package in facts.packages:
        title = f"{package.code} {package.title}".strip()
        sections.append((f"wp-{package.number}", title, _package(package)))
    if kind == ReportKind.INTERIM:
        sections.append(("actions", _("Interim report on actions"), _actions(facts)))
    else:
        sections.append(("actions", _("Results of the programme"), _actions(facts)))
    sections.append(("deviations", _("Deviations from the work plan"), _deviations(facts)))
    sections.append(("finance", _("Summary of the financial statement"), _finance(facts)))
    sections.append(
        (
            "outlook",
            _("Next steps") if kind == ReportKind.INTERIM else _("After the programme"),
            _outlook(facts, kind),
        )
    )
    return sections
