"""A technical report as an A4 DOCX (for the funder's template) and PDF (for the record).

Both are drawn from one list of blocks (headings, paragraphs, tables: core.typst_document) built
from the report's sections and facts, so they say the same thing; the PDF is tagged (PDF/UA-1).
Every page carries the programme's name and the report's title at the top, and the EU funding
statement and the page number at the bottom.
Dates and amounts follow the active language (named formats, core.money)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from core.funding import funding_statement
from core.money import format_money
from core.typst_document import Block, Heading, Paragraph, Table, typst_pdf
from core.word import word_blocks, word_bytes, word_document

from .records import ConferenceFacts, PackageFacts, ReportFacts

EMPTY = "\u2013"


@dataclass
class NarrativeSection:
    key: str
    title: str
    text: str


@dataclass
class ReportDocument:
    """What a report's files show: ready data, read by reports.selectors.report_document."""

    title: str  # "Interim report, version 1"
    language: str
    facts: ReportFacts
    sections: dict[str, NarrativeSection]
    state_line: str  # "Submitted version 1, frozen on ..." or "Draft of ..."
    blocks: list[Block] = field(default_factory=list)


def _day(value: date | None) -> str:
    return date_format(value, "DATE_FORMAT") if value else EMPTY


def _text(document: ReportDocument, key: str) -> list[Block]:
    section = document.sections.get(key)
    if section is None:
        return []
    return [Paragraph(part) for part in (section.text or EMPTY).split("\n") if part.strip()]


def _average(value: Decimal | None) -> str:
    return number_format(value, 1) if value is not None else _("hidden (fewer than 3 answers)")


def _conference_blocks(conference: ConferenceFacts) -> list[Block]:
    """A conference held in the period, in figures (from its records, never typed)."""
    title = conference.title
    rows: list[tuple[str, str]] = [
        (_("Confirmed registrations"), str(conference.confirmed)),
        (_("On the waiting list"), str(conference.waiting)),
        (_("Cancelled"), str(conference.cancelled)),
        (_("Delegates present (checked in on at least one day)"), str(conference.present)),
        (
            _("Programme cities' delegates (travel paid by the grant)"),
            str(conference.travel_eligible),
        ),
        (_("Sessions"), str(conference.sessions)),
    ]
    rows += [
        (_("Sessions: %(kind)s") % {"kind": f.label}, str(f.count))
        for f in conference.sessions_by_kind
    ]
    rows += [
        (_("Answers to the feedback survey (whole conference)"), str(conference.feedback_answers)),
        (_("Average overall score (1 to 5)"), _average(conference.feedback_overall)),
        (_("Average usefulness (1 to 5)"), _average(conference.feedback_usefulness)),
    ]
    blocks: list[Block] = [
        Heading(_("%(title)s in figures") % {"title": title}, 3),
        Table(
            (_("Figure"), _("Number")),
            rows,
            (120, 40),
            caption=_("Registrations and attendance: %(title)s") % {"title": title},
        ),
    ]
    delegates = [(f.label, str(f.count)) for f in conference.by_level + conference.by_country]
    if delegates:
        blocks.append(
            Table(
                (_("Level of government or country"), _("Delegates")),
                delegates,
                (120, 40),
                caption=_("Confirmed delegates by level of government and by country: %(title)s")
                % {"title": title},
            )
        )
    present = [(f.label, str(f.count)) for f in conference.by_day + conference.by_session]
    if present:
        blocks.append(
            Table(
                (_("Day or session"), _("Present")),
                present,
                (120, 40),
                caption=_("Attendance per day and per session: %(title)s") % {"title": title},
            )
        )
    return blocks


def _package_blocks(document: ReportDocument, package: PackageFacts) -> list[Block]:
    section = document.sections.get(f"wp-{package.number}")
    title = section.title if section else f"{package.code} {package.title}".strip()
    blocks: list[Block] = [Heading(title, 2)]
    if package.lead:
        blocks.append(
            Paragraph(
                _("%(lead)s, M%(start)s–M%(end)s")  # noqa: RUF001
                % {"lead": package.lead, "start": package.start_month, "end": package.end_month},
                bold_label=_("Lead partner and months"),
            )
        )
    blocks += _text(document, f"wp-{package.number}")
    blocks.append(Heading(_("Events held"), 3))
    if package.events:
        blocks.append(
            Table(
                (_("When"), _("Event"), _("Place"), _("Participants by city and role")),
                [
                    (
                        e.when,
                        e.title
                        if e.format.lower() in e.title.lower()
                        else f"{e.title} ({e.format})",
                        e.place,
                        _("%(count)s present of %(invited)s invited")
                        % {"count": e.attended, "invited": e.invited}
                        + ("\n" if e.attendance else "")
                        + "\n".join(f"{a.place}, {a.role}: {a.count}" for a in e.attendance),
                    )
                    for e in package.events
                ],
                (42, 45, 30, 43),
                caption=_("Events held in the period"),
            )
        )
    else:
        blocks.append(Paragraph(_("No event of this work package was held in the period.")))
    for conference in package.conferences:
        blocks += _conference_blocks(conference)
    blocks.append(Heading(_("Deliverables"), 3))
    if package.outputs:
        blocks.append(
            Table(
                (
                    _("Deliverable"),
                    _("Due"),
                    _("State at the end of the period"),
                    _("Evidence and link"),
                ),
                [
                    (
                        f"{o.code} {o.title}",
                        f"M{o.due_month} ({_day(o.due_on)})",
                        o.state
                        + (f" ({o.count}/{o.target})" if o.count is not None else "")
                        + (f", {_('overdue')}" if o.overdue else "")
                        + (
                            f"; {_('submitted on %(day)s') % {'day': _day(o.submitted_on)}}"
                            if o.submitted_on
                            else ""
                        ),
                        "\n".join(part for part in (o.evidence, o.url) if part),
                    )
                    for o in package.outputs
                ],
                (50, 28, 37, 45),
                caption=_("Deliverables"),
            )
        )
    else:
        blocks.append(Paragraph(_("No deliverable in this work package.")))
    return blocks


def report_blocks(document: ReportDocument) -> list[Block]:
    """The report's content, in order: the same for the DOCX and the PDF."""
    facts = document.facts
    i = facts.indicators
    blocks: list[Block] = [
        Heading(document.title, 0),
        Paragraph(
            f"{facts.programme}: {facts.full_title}" if facts.full_title else facts.programme
        ),
        Paragraph(
            _("M%(first)s to M%(last)s, %(start)s to %(end)s")
            % {
                "first": facts.first_month,
                "last": facts.last_month,
                "start": _day(facts.period_start),
                "end": _day(facts.period_end),
            },
            bold_label=_("Period"),
        ),
        Paragraph(facts.funder, bold_label=_("Funder")),
        Paragraph(facts.grant_reference, bold_label=_("Grant reference")),
        Paragraph(document.state_line, bold_label=_("Version")),
        Paragraph(funding_statement()),
        Heading(_("Summary of the period"), 1),
        *_text(document, "summary"),
        Heading(_("Activities per work package"), 1),
    ]
    for package in facts.packages:
        blocks += _package_blocks(document, package)
    blocks.append(Heading(_("Indicators"), 1))
    blocks.append(
        Table(
            (_("Indicator"), _("In the period")),
            [
                (_("Cities involved"), str(i.cities_involved)),
                (_("City officers involved"), str(i.officers_involved)),
                (_("Events held"), str(i.events_held)),
                (_("Study and mentoring visits held"), str(i.visits_held)),
                (_("Participations in events held"), str(i.participants)),
                (_("Findings of the visits"), str(i.findings)),
                (_("Local action plans adopted"), str(i.plans_adopted)),
                (_("Good practices published"), str(i.practices_published)),
                (_("Toolkits published"), str(i.toolkits_published)),
                (
                    _("People trained (visits, webinars, workshops, peer reviews)"),
                    str(i.people_trained),
                ),
            ],
            (120, 40),
            caption=_("Indicators"),
        )
    )
    blocks.append(Heading(_("Outputs of the period"), 2))
    blocks.append(Heading(_("Local action plans adopted"), 3))
    if facts.plans:
        blocks.append(
            Table(
                (_("Plan"), _("Adopted on")),
                [(p.title, _day(p.adopted_on)) for p in facts.plans],
                (120, 40),
                caption=_("Local action plans adopted"),
            )
        )
    else:
        blocks.append(Paragraph(_("No local action plan was adopted in the period.")))
    blocks.append(Heading(_("Toolkits and good practices published"), 3))
    published = [(_("Toolkit"), t.title, _day(t.on)) for t in facts.toolkits] + [
        (_("Good practice"), p.title, _day(p.on)) for p in facts.practices
    ]
    if published:
        blocks.append(
            Table(
                (_("Kind"), _("Title"), _("Published on")),
                published,
                (30, 95, 35),
                caption=_("Toolkits and good practices published"),
            )
        )
    else:
        blocks.append(Paragraph(_("No toolkit or good practice was published in the period.")))
    actions = document.sections.get("actions")
    if actions is not None:
        blocks.append(Heading(actions.title, 1))
        blocks += _text(document, "actions")
    blocks.append(Heading(_("Deviations from the work plan"), 1))
    blocks += _text(document, "deviations")
    if facts.deviations:
        blocks.append(
            Table(
                (_("Deliverable"), _("Due on"), _("State"), _("Reason recorded")),
                [
                    (
                        f"{d.code} {d.title}",
                        _day(d.due_on),
                        d.state
                        + (
                            f"; {_('submitted on %(day)s') % {'day': _day(d.submitted_on)}}"
                            if d.submitted_on
                            else ""
                        ),
                        d.reason or EMPTY,
                    )
                    for d in facts.deviations
                ],
                (55, 30, 35, 40),
                caption=_("Late deliverables"),
            )
        )
    blocks.append(Heading(_("Summary of the financial statement"), 1))
    blocks += _text(document, "finance")
    money = facts.finance
    if money is not None:
        rows = [(a.label, format_money(a.amount, money.currency)) for a in money.by_category]
        rows += [
            (_("Total eligible costs"), format_money(money.total, money.currency)),
            (_("Co-financing by the partners"), format_money(money.co_financing, money.currency)),
            (_("EU contribution"), format_money(money.eu_contribution, money.currency)),
            (_("Budget of the programme"), format_money(money.budget, money.currency)),
        ]
        blocks.append(
            Table((money.statement, _("Amount")), rows, (110, 50), caption=_("Costs by category"))
        )
        if money.by_partner:
            blocks.append(
                Table(
                    (_("Partner"), _("Eligible costs")),
                    [(a.label, format_money(a.amount, money.currency)) for a in money.by_partner],
                    (110, 50),
                    caption=_("Costs by partner"),
                )
            )
    outlook = document.sections.get("outlook")
    if outlook is not None:
        blocks.append(Heading(outlook.title, 1))
        blocks += _text(document, "outlook")
    return blocks


# ---------------------------------------------------------------- DOCX


def report_docx(document: ReportDocument) -> bytes:
    word = word_document(
        title=document.title, language=document.language, programme=document.facts.programme
    )
    word_blocks(word, document.blocks)
    return word_bytes(word)


# ---------------------------------------------------------------- PDF


def report_pdf(document: ReportDocument) -> bytes:
    """Tagged PDF/UA-1 (core.typst_document): headings, table headers, title and language."""
    return typst_pdf(
        title=document.title,
        language=document.language,
        programme=document.facts.programme,
        blocks=document.blocks,
    )
