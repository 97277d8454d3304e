"""The toolkit as a typeset, tagged PDF (PDF/UA-1, core.typst_document): a cover, contents with
page numbers, the introduction, one chapter per key factor (why and how, guiding questions,
recommendations, practices), and the PDF outline (bookmarks) that screen readers and viewers use
to navigate."""

from typing import Any

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.richtext import html_to_text
from core.typst_document import (
    Block,
    Contents,
    Heading,
    PageBreak,
    Paragraph,
    paragraphs,
    typst_pdf,
)

from .selectors import ToolkitPage, ToolkitSection


def _chapter_title(section: ToolkitSection) -> str:
    factor = section.key_factor
    return f"{factor.code.upper()}. {factor.title}" if factor else _("Across the key factors")


def _practice(entry: Any) -> list[Block]:
    practice = entry.practice
    place = ", ".join(p for p in (practice.city_name, practice.country.name) if p)
    years = f" \u00b7 {_('since')} {practice.start_year}" if practice.start_year else ""
    blocks: list[Block] = [
        Heading(practice.title, 3),
        Paragraph(f"{place}{years}", style="italic"),
        *paragraphs(practice.summary),
    ]
    if practice.results:
        blocks.append(Paragraph(practice.results, bold_label=_("Results")))
    if entry.note:
        blocks += paragraphs(entry.note, style="italic")
    return blocks


def toolkit_blocks(page: ToolkitPage) -> list[Block]:
    """A cover, the contents, the introduction, then one chapter per key factor."""
    toolkit = page.toolkit
    facts = [
        (_("Programme"), toolkit.programme.name),
        (_("State"), str(toolkit.get_state_display())),
        (_("Printed"), date_format(timezone.localdate(), "DATE_FORMAT")),
    ]
    if toolkit.benchmark:
        facts.insert(
            1, (_("Benchmark"), f"{toolkit.benchmark.title} (v{toolkit.benchmark.version})")
        )
    blocks: list[Block] = [
        Heading(toolkit.title, 0, outlined=False),
        Paragraph(toolkit.theme.title),
        *(Paragraph(value, bold_label=label) for label, value in facts),
        PageBreak(),
        Contents(_("Contents")),
    ]
    if toolkit.introduction:
        blocks += [PageBreak(), Heading(_("Introduction"), 1)]
        blocks += paragraphs(html_to_text(toolkit.introduction))
    sections = [*page.sections]
    if page.general.recommendations or page.general.entries:
        sections.append(page.general)
    for section in sections:
        blocks += [PageBreak(), Heading(_chapter_title(section), 1)]
        factor = section.key_factor
        if factor is not None:
            blocks += [Heading(_("Why and how"), 2), *paragraphs(factor.why_and_how)]
            questions = list(factor.questions.all())
            if questions:
                blocks.append(Heading(_("Guiding questions"), 2))
                blocks += [Paragraph(f"\u2022 {question.text}") for question in questions]
        if section.recommendations:
            blocks.append(Heading(_("Recommendations"), 2))
            blocks += [
                Paragraph(f"{number}. {recommendation.text}")
                for number, recommendation in enumerate(section.recommendations, start=1)
            ]
        if section.entries:
            blocks.append(Heading(_("Good practices"), 2))
            for entry in section.entries:
                blocks += _practice(entry)
    return blocks


def toolkit_pdf(page: ToolkitPage) -> bytes:
    """Tagged PDF/UA-1 (core.typst_document), wholly in the toolkit's language: its text is
    written in it, so its headings and the document's declared language follow."""
    toolkit = page.toolkit
    with translation.override(toolkit.language):
        return typst_pdf(
            title=toolkit.title,
            language=toolkit.language,
            programme=toolkit.programme.name,
            blocks=toolkit_blocks(page),
        )
