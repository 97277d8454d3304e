"""The plan as PDF and DOCX, opened with standard readers: every action is there, and the
headings, dates and amounts follow the plan's language."""

import io

import pytest
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from action_plans.models import ActionPlan
from tests.action_plans.builders import adopt, athens_plan
from tests.tagged_pdf import assert_accessible_pdf

pytestmark = pytest.mark.django_db


def _download(client, name, plan):
    response = client.get(reverse(f"action_plans:{name}", args=["cities-grow", plan.city.slug]))
    assert response.status_code == 200
    return response


NBSP = "\u00a0"


def _pdf_text(content):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _one_space(text):
    """Every run of spaces (the non-breaking ones too) as one space."""
    return " ".join(text.split())


def _docx_paragraphs(content):
    return [p.text for p in Document(io.BytesIO(content)).paragraphs]


def test_the_pdf_holds_every_action_and_the_decision(client_of, user_of):
    plan = adopt(user_of, athens_plan(user_of, actions=3))
    response = _download(client_of("auditor-1"), "pdf", plan)
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    for action in plan.actions.all():
        assert action.title in text
    assert "Young people placed" in text
    assert "Athens City Council" in text and "Decision 412/2018" in text
    assert "Employers do not take part" in text
    # Tagged PDF/UA-1 in the plan's language: headings, each indicator table's header row.
    pdf = assert_accessible_pdf(response.content, title=plan.title, language=plan.language)
    assert pdf.tags["Table"] >= 3 and pdf.tags["TH"] >= 12, pdf.tags


def test_the_docx_holds_every_action_in_the_plan_language(client_of, user_of):
    plan = athens_plan(user_of, actions=2)
    ActionPlan.objects.filter(pk=plan.pk).update(language="fr")
    response = _download(client_of("athens-officer-1"), "docx", plan)
    document = Document(io.BytesIO(response.content))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Objectifs" in headings and "Objectives" not in headings
    for action in plan.actions.all():
        assert any(action.title in h for h in headings)
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "Young people placed" in cells and "300,00" in cells  # the French decimal mark
    assert document.core_properties.title == plan.title


def test_names_in_every_european_alphabet_print(client_of, user_of):
    plan = athens_plan(user_of)
    ActionPlan.objects.filter(pk=plan.pk).update(context="Δήμος Αθηναίων · Gdańsk · Rīga")
    text = _pdf_text(_download(client_of("athens-officer-1"), "pdf", plan).content)
    assert "Δήμος Αθηναίων" in text and "Gdańsk" in text and "Rīga" in text


def test_the_pdf_shows_amounts_with_their_currency_and_dates_day_first(client_of, user_of):
    plan = adopt(user_of, athens_plan(user_of))
    text = _one_space(_pdf_text(_download(client_of("auditor-1"), "pdf", plan).content))
    assert "Resources: 120,000.00 EUR; staff days: 240" in text
    assert "When: 1 January 2018 \u2013 31 December 2019" in text
    assert "Athens City Council, 1 October 2018, Decision 412/2018" in text
    assert "120\u202f000.00" not in text and "2018-10-01" not in text


@pytest.mark.parametrize(
    ("language", "resources", "when", "adopted"),
    [
        (
            "en",
            f"Resources: 120,000.00{NBSP}EUR; staff days: 240.0 (Municipal budget)",
            "When: 1 January 2018 \u2013 31 December 2019",
            "Adopted by: Athens City Council, 1 October 2018, Decision 412/2018",
        ),
        (
            "fr",
            f"120{NBSP}000,00{NBSP}EUR",
            "1 janvier 2018 \u2013 31 décembre 2019",
            "Athens City Council, 1 octobre 2018, Decision 412/2018",
        ),
    ],
)
def test_the_docx_shows_amounts_and_dates_in_the_plan_language(
    client_of, user_of, language, resources, when, adopted
):
    plan = athens_plan(user_of)
    ActionPlan.objects.filter(pk=plan.pk).update(language=language)
    plan = adopt(user_of, ActionPlan.objects.get(pk=plan.pk))
    paragraphs = _docx_paragraphs(_download(client_of("auditor-1"), "docx", plan).content)
    assert any(resources in p for p in paragraphs), paragraphs
    assert any(when in p for p in paragraphs)
    assert any(adopted in p for p in paragraphs)
