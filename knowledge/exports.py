"""The toolkit as a typeset PDF: a cover, contents with page numbers, the introduction, one
chapter per key factor (why and how, guiding questions, recommendations, practices), and the
PDF outline (bookmarks) that screen readers and viewers use to navigate."""

from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.pdf import FONT, pdf_document
from core.richtext import html_to_text

from .selectors import ToolkitPage, ToolkitSection

ACCENT = (0, 84, 147)  # the site's link blue: 7:1 against white


def _chapter_title(section: ToolkitSection) -> str:
    factor = section.key_factor
    return f"{factor.code.upper()}. {factor.title}" if factor else _("Across the key factors")


def toolkit_pdf(page: ToolkitPage) -> bytes:
    toolkit = page.toolkit
    pdf = pdf_document(toolkit.title)
    pdf.set_margins(20, 18, 20)
    pdf.set_author(toolkit.programme.name)
    pdf.set_subject(toolkit.theme.title)

    # Cover.
    pdf.add_page()
    pdf.set_y(70)
    pdf.set_text_color(*ACCENT)
    pdf.set_font(FONT, "B", 26)
    pdf.multi_cell(0, 12, toolkit.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.ln(4)
    pdf.set_font(FONT, "", 13)
    pdf.multi_cell(0, 7, toolkit.theme.title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(10)
    pdf.set_font(FONT, "", 10)
    facts = [
        (_("Programme"), toolkit.programme.name),
        (_("State"), str(toolkit.get_state_display())),
        (_("Printed"), date_format(timezone.localdate(), "DATE_FORMAT")),
    ]
    if toolkit.benchmark:
        facts.insert(
            1, (_("Benchmark"), f"{toolkit.benchmark.title} (v{toolkit.benchmark.version})")
        )
    for label, value in facts:
        pdf.multi_cell(0, 6, f"{label}: {value}", new_x="LMARGIN", new_y="NEXT")

    # Contents, filled in once the chapters know their pages.
    pdf.add_page()
    pdf.insert_toc_placeholder(_render_contents, pages=1)

    def chapter(title: str) -> None:
        pdf.add_page()
        pdf.start_section(title, level=0)
        pdf.set_text_color(*ACCENT)
        pdf.set_font(FONT, "B", 17)
        pdf.multi_cell(0, 9, title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
        pdf.ln(2)

    def heading(title: str) -> None:
        pdf.ln(3)
        pdf.set_font(FONT, "B", 12)
        pdf.multi_cell(0, 7, title, new_x="LMARGIN", new_y="NEXT")

    def paragraph(text: str, style: str = "", size: float = 10) -> None:
        pdf.set_font(FONT, style, size)
        for block in [b for b in text.split("\n") if b.strip()]:
            pdf.multi_cell(0, 5.4, block.strip(), align="J", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1.2)

    if toolkit.introduction:
        chapter(_("Introduction"))
        paragraph(html_to_text(toolkit.introduction))

    sections = [*page.sections]
    if page.general.recommendations or page.general.entries:
        sections.append(page.general)
    for section in sections:
        chapter(_chapter_title(section))
        factor = section.key_factor
        if factor is not None:
            heading(_("Why and how"))
            paragraph(factor.why_and_how)
            questions = list(factor.questions.all())
            if questions:
                heading(_("Guiding questions"))
                for question in questions:
                    paragraph(f"\u2022 {question.text}")
        if section.recommendations:
            heading(_("Recommendations"))
            for number, recommendation in enumerate(section.recommendations, start=1):
                paragraph(f"{number}. {recommendation.text}")
        if section.entries:
            heading(_("Good practices"))
            for entry in section.entries:
                _practice_box(pdf, entry)
    return bytes(pdf.output())


def _practice_box(pdf: Any, entry: Any) -> None:
    practice = entry.practice
    pdf.ln(2)
    pdf.set_draw_color(*ACCENT)
    top, start_page = pdf.get_y(), pdf.page_no()
    pdf.set_font(FONT, "B", 11)
    pdf.multi_cell(0, 6, practice.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "I", 9)
    place = ", ".join(p for p in (practice.city_name, practice.country.name) if p)
    years = f" \u00b7 {_('since')} {practice.start_year}" if practice.start_year else ""
    pdf.multi_cell(0, 5, f"{place}{years}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 9.5)
    pdf.multi_cell(0, 5, practice.summary, align="J", new_x="LMARGIN", new_y="NEXT")
    if practice.results:
        pdf.set_font(FONT, "B", 9.5)
        pdf.write(5, _("Results: "))
        pdf.set_font(FONT, "", 9.5)
        pdf.multi_cell(0, 5, practice.results, new_x="LMARGIN", new_y="NEXT")
    if entry.note:
        pdf.set_font(FONT, "I", 9.5)
        pdf.multi_cell(0, 5, entry.note, new_x="LMARGIN", new_y="NEXT")
    bottom = pdf.get_y()
    if pdf.page_no() == start_page:  # a rule beside the box when it fits on one page
        pdf.line(pdf.l_margin - 3, top, pdf.l_margin - 3, bottom)
    pdf.ln(2)


def _render_contents(pdf: Any, outline: list[Any]) -> None:
    pdf.set_x(pdf.l_margin)  # called at output time, wherever the last page ended
    pdf.set_text_color(*ACCENT)
    pdf.set_font(FONT, "B", 17)
    pdf.multi_cell(0, 9, _("Contents"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.ln(3)
    pdf.set_font(FONT, "", 10.5)
    for section in outline:
        link = pdf.add_link(page=section.page_number)
        title = section.name if len(section.name) < 85 else section.name[:82] + "\u2026"
        pdf.cell(150, 7, title, link=link)
        pdf.cell(
            0, 7, str(section.page_number), align="R", link=link, new_x="LMARGIN", new_y="NEXT"
        )
