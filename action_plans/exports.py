"""A plan as a PDF (for the record) and as a DOCX (for the city's council papers), with its
headings, dates and amounts in the plan's language (its named date formats, core.money)."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from core.money import format_money
from core.pdf import FONT, pdf_document
from core.word import word_bytes, word_document, word_table

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


def plan_pdf(plan: ActionPlan) -> bytes:
    with translation.override(plan.language):
        actions, risks, decision = _content(plan)
        pdf = pdf_document(plan.title, language=plan.language)
        pdf.add_page()
        pdf.set_font(FONT, "B", 18)
        pdf.multi_cell(0, 9, plan.title, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        pdf.set_font(FONT, "", 10)
        for label, value in _facts(plan, decision):
            pdf.multi_cell(0, 6, f"{label}: {value}", new_x="LMARGIN", new_y="NEXT")

        def heading(text: str, size: int = 14) -> None:
            pdf.ln(4)
            pdf.set_font(FONT, "B", size)
            pdf.multi_cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")
            pdf.set_font(FONT, "", 10)

        for label, text in (
            (_("Context"), plan.context),
            (_("Vision"), plan.vision),
            (_("Objectives"), plan.objectives),
        ):
            heading(label)
            pdf.multi_cell(0, 5.5, text or EMPTY, new_x="LMARGIN", new_y="NEXT")
        heading(_("Actions"))
        for number, action in enumerate(actions, start=1):
            heading(f"{number}. {action.title}", 12)
            if action.description:
                pdf.multi_cell(0, 5.5, action.description, new_x="LMARGIN", new_y="NEXT")
            for label, value in _action_facts(action):
                pdf.multi_cell(0, 5.5, f"{label}: {value}", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
            with pdf.table(col_widths=(80, 35, 35, 40), text_align="LEFT") as table:
                head = table.row()
                for title in (_("Indicator"), _("Baseline"), _("Target"), _("Unit")):
                    head.cell(title)
                for indicator in action.indicators.all():
                    row = table.row()
                    row.cell(indicator.name)
                    row.cell(_number(indicator.baseline))
                    row.cell(_number(indicator.target))
                    row.cell(indicator.unit)
        heading(_("Risks"))
        if risks:
            with pdf.table(col_widths=(70, 25, 25, 70), text_align="LEFT") as table:
                head = table.row()
                for title in (_("Risk"), _("Likelihood"), _("Impact"), _("Mitigation")):
                    head.cell(title)
                for risk in risks:
                    row = table.row()
                    row.cell(risk.description)
                    row.cell(str(risk.get_likelihood_display()))
                    row.cell(str(risk.get_impact_display()))
                    row.cell(risk.mitigation)
        else:
            pdf.multi_cell(0, 5.5, _("No risk recorded."), new_x="LMARGIN", new_y="NEXT")
        return bytes(pdf.output())


def plan_docx(plan: ActionPlan) -> bytes:
    with translation.override(plan.language):
        actions, risks, decision = _content(plan)
        document = word_document(
            title=plan.title, language=plan.language, programme=plan.programme.name
        )
        document.add_heading(plan.title, level=0)
        for label, value in _facts(plan, decision):
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{label}: ").bold = True
            paragraph.add_run(value)
        for label, text in (
            (_("Context"), plan.context),
            (_("Vision"), plan.vision),
            (_("Objectives"), plan.objectives),
        ):
            document.add_heading(label, level=1)
            for part in (text or EMPTY).split("\n"):
                document.add_paragraph(part)
        document.add_heading(_("Actions"), level=1)
        for number, action in enumerate(actions, start=1):
            document.add_heading(f"{number}. {action.title}", level=2)
            if action.description:
                document.add_paragraph(action.description)
            for label, value in _action_facts(action):
                paragraph = document.add_paragraph()
                paragraph.add_run(f"{label}: ").bold = True
                paragraph.add_run(value)
            word_table(
                document,
                (_("Indicator"), _("Baseline"), _("Target"), _("Unit")),
                [
                    (
                        i.name,
                        _number(i.baseline),
                        _number(i.target),
                        i.unit,
                    )
                    for i in action.indicators.all()
                ],
            )
        document.add_heading(_("Risks"), level=1)
        word_table(
            document,
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
        )
        return word_bytes(document)
