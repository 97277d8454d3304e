"""Every Word document the platform produces is fit for a council's papers: A4 portrait, its
language on its properties and its styles, headings as Word headings, each table's header row
marked and repeated on every page, the programme's name in the header, the EU funding
statement and "Page N of M" in the footer (core.word)."""

import io

import pytest
from django.conf import settings
from django.utils import translation
from docx import Document
from docx.oxml.ns import qn

from action_plans.exports import plan_docx
from action_plans.models import ActionPlan
from core.funding import funding_statement
from programmes.models import Programme
from reports.documents import ReportDocument, report_blocks, report_docx
from reports.records import period_of_months, report_facts
from tests.action_plans.builders import athens_plan

pytestmark = pytest.mark.django_db

FUNDING = {
    "en": "Co-funded by the European Union's Asylum, Migration and Integration Fund",
    "fr": "Cofinancé par le Fonds « Asile, migration et intégration » de l'Union européenne",
}
LANGUAGES = [code for code, _name in settings.LANGUAGES]


def _funding_line(language: str) -> str:
    """The EU funding statement in the document's language: the reviewed English and French
    literally, the other languages from their catalogue (and never the English)."""
    if language in FUNDING:
        return FUNDING[language]
    with translation.override(language):
        line = funding_statement()
    assert line != FUNDING["en"]
    return line


def _plan(user_of, language: str) -> bytes:
    plan = athens_plan(user_of, actions=2)
    ActionPlan.objects.filter(pk=plan.pk).update(language=language)
    return plan_docx(ActionPlan.objects.get(pk=plan.pk))


def _report(language: str) -> bytes:
    programme = Programme.objects.get(slug="cities-grow")
    start, end = period_of_months(programme, 1, 6)
    with translation.override(language):
        facts = report_facts(programme, kind_label="Interim report", start=start, end=end)
        document = ReportDocument(
            title="Interim report", language=language, facts=facts, sections={}, state_line=""
        )
        document.blocks = report_blocks(document)
        return report_docx(document)


def _check_council_ready(content: bytes, language: str, programme: str) -> None:
    document = Document(io.BytesIO(content))
    assert document.core_properties.language == language
    styles = document.styles.element
    normal = document.styles["Normal"].element.rPr
    assert normal.find(qn("w:lang")).get(qn("w:val")) == language
    defaults = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert defaults.find(qn("w:lang")).get(qn("w:val")) == language
    for section in document.sections:
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
        assert programme in section.header.paragraphs[0].text
        assert section.footer.paragraphs[0].text == _funding_line(language)
        fields = section.footer._element.xml
        assert "PAGE" in fields and "NUMPAGES" in fields
    assert document.tables, "a document with tables"
    for table in document.tables:
        first = table.rows[0]._tr
        header = first.trPr.find(qn("w:tblHeader")) if first.trPr is not None else None
        assert header is not None and header.get(qn("w:val")) == "true"
        assert all(cell.paragraphs[0].runs[0].bold for cell in table.rows[0].cells)
    assert any(p.style.name.startswith("Heading") for p in document.paragraphs)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_plan_for_the_council(user_of, language):
    _check_council_ready(_plan(user_of, language), language, "CITIES-GROW")


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_technical_report_for_the_funder(language):
    _check_council_ready(_report(language), language, "CITIES-GROW")
