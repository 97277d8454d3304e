"""A plan as a PDF (for the record) and as a DOCX (for the city's council papers), both from one
list of blocks (core.typst_document), with its headings, dates and amounts in the plan's language
(its named date formats, core.money); the PDF is tagged (PDF/UA-1)."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from core.money import format_money
from core.typst_document import Block, Heading, Paragraph, Table, paragraphs, typst_pdf
from core.word import word_blocks, word_bytes, word_document

from .models import ActionPlan

EMPTY = "\u2013"  # an en dash: nothing recorded


def _day(value: date) -> str:
    return date_format(value, "DATE_FORMAT")


def _number(value: Decimal | None) -> str:
    """A figure with the language's decimal mark (300,00 in French)."""
    return EMPTY if value is None else number_format(value)


def _facts(plan: ActionPlan, decision: Any) -> list[tuple[str, str]]:
    facts = [
        (_("City"), plan.city.name),
        (_("Status"), str(plan.get_status_display())),
        (_("Edition"), str(plan.edition)),
    ]
    if plan.pair is not None:
        facts.insert(1, (_("Mentor city"), plan.pair.mentor.city.name))
        facts.insert(2, (_("Theme"), str(plan.pair.scheme.theme)))
    if decision is not None:
        facts.append(
            (
                _("Adopted by"),
                f"{decision.body}, {_day(decision.decided_on)}, {decision.reference}",
            )
        )
    return facts


def _action_facts(action: Any) -> list[tuple[str, str]]:
    return [
        (_("Lead department"), action.lead_department or EMPTY),
        (_("Partners"), action.partners or EMPTY),
        (
            _("When"),
            f"{_day(action.start)} \u2013 {_day(action.end)}",
        ),
        (
            _("Resources"),
            _("%(budget)s; staff days: %(days)s")
            % {"budget": format_money(action.budget_eur, "EUR"), "days": _number(action.staff_days)}
            + (f" ({action.get_funding_source_display()})" if action.funding_source else ""),
        ),
        (
            _("Key factors"),
            "; ".join(f"{k.code}. {k.title}" for k in action.key_factors.all()) or EMPTY,
        ),
    ]


def _content(plan: ActionPlan) -> tuple[list[Any], list[Any], Any]:
    actions = list(
        plan.actions.prefetch_related("indicators", "key_factors").order_by("order", "pk")
    )
    risks = list(plan.risks.order_by("order"))
    decision = plan.transitions.filter(transition="endorse", edition=plan.edition).last()
    return actions, risks, decision


def plan_blocks(plan: ActionPlan) -> list[Block]:
    """The plan as a document's blocks, in the active language: its Word file and its PDF."""
    actions, risks, decision = _content(plan)
    blocks: list[Block] = [Heading(plan.title, 0)]
    blocks += [Paragraph(value, bold_label=label) for label, value in _facts(plan, decision)]
    for label, text in (
        (_("Context"), plan.context),
        (_("Vision"), plan.vision),
        (_("Objectives"), plan.objectives),
    ):
        blocks += [Heading(label, 1), *(paragraphs(text) or [Paragraph(EMPTY)])]
    blocks.append(Heading(_("Actions"), 1))
    for number, action in enumerate(actions, start=1):
        blocks.append(Heading(f"{number}. {action.title}", 2))
        if action.description:
            blocks += paragraphs(action.description)
        blocks += [Paragraph(value, bold_label=label) for label, value in _action_facts(action)]
        blocks.append(
            Table(
                (_("Indicator"), _("Baseline"), _("Target"), _("Unit")),
                [
                    (i.name, _number(i.baseline), _number(i.target), i.unit)
                    for i in action.indicators.all()
                ],
                widths=(80, 25, 25, 30),
                caption=_("Indicators of action %(number)s") % {"number": number},
            )
        )
    blocks.append(Heading(_("Risks"), 1))
    if not risks:
        blocks.append(Paragraph(_("No risk recorded.")))
    else:
        blocks.append(
            Table(
                (_("Risk"), _("Likelihood"), _("Impact"), _("Mitigation")),
                [
                    (
                        r.description,
                        str(r.get_likelihood_display()),
                        str(r.get_impact_display()),
                        r.mitigation,
                    )
                    for r in risks
                ],
                widths=(60, 25, 25, 50),
            )
        )
    return blocks


def plan_pdf(plan: ActionPlan) -> bytes:
    """Tagged PDF/UA-1 in the plan's language (core.typst_document)."""
    with translation.override(plan.language):
        return typst_pdf(
            title=plan.title,
            language=plan.language,
            programme=plan.programme.name,
            blocks=plan_blocks(plan),
        )


def plan_docx(plan: ActionPlan) -> bytes:
    with translation.override(plan.language):
        document = word_document(
            title=plan.title, language=plan.language, programme=plan.programme.name
        )
        word_blocks(document, plan_blocks(plan))
        return word_bytes(document)
