"""Toolkits: composed by the theme's facilitator, published for piloting, given feedback by
implementing cities, marked final; published as web pages and a PDF that parses."""

import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from core.errors import DomainError
from knowledge.models import Toolkit
from knowledge.services.toolkits import (
    toolkit_create,
    toolkit_feedback_give,
    toolkit_practice_add,
    toolkit_recommendation_add,
    toolkit_update,
)
from knowledge.workflow import ToolkitStep, toolkit_step
from programmes.models import City, Programme
from tests.knowledge.builders import toolkit_b
from tests.tagged_pdf import assert_accessible_pdf

pytestmark = pytest.mark.django_db


def _composed(user_of):
    facilitator = user_of("facilitator-b")
    toolkit = toolkit_b(facilitator)
    toolkit = toolkit_update(
        actor=facilitator,
        toolkit=toolkit,
        title=toolkit.title,
        introduction="<p>How cities match <strong>young people</strong> with jobs.</p>",
        revision=toolkit.revision,
    )
    toolkit_recommendation_add(
        actor=facilitator,
        toolkit=toolkit,
        text="Start with a shared strategy.",
        key_factor_code="b1",
    )
    toolkit_recommendation_add(actor=facilitator, toolkit=toolkit, text="Listen to young people.")
    toolkit_practice_add(
        actor=facilitator,
        toolkit=toolkit,
        reference="berlin-apprenticeship-alliance-young-migrants",
        key_factor_code="b1",
        note="A strategy shared by schools and employers.",
    )
    toolkit_practice_add(actor=facilitator, toolkit=toolkit, reference="ghent-kitchen-incubator")
    return Toolkit.objects.get(pk=toolkit.pk)


def test_only_the_themes_facilitator_and_coordinators_compose(user_of):
    programme = Programme.objects.get(slug="cities-grow")
    for key in ("facilitator-a", "athens-officer-1", "auditor-1"):
        with pytest.raises(DomainError):
            toolkit_create(
                actor=user_of(key), programme=programme, theme_code="cities-grow-b", title="T"
            )
    toolkit = toolkit_create(
        actor=user_of("coordinator-1"), programme=programme, theme_code="cities-grow-b", title="T"
    )
    assert toolkit.benchmark is not None and toolkit.benchmark.theme.code == "B"
    with pytest.raises(DomainError):
        toolkit_practice_add(
            actor=user_of("facilitator-a"), toolkit=toolkit, reference="ghent-kitchen-incubator"
        )


def test_composing_refuses_bad_choices(user_of):
    facilitator = user_of("facilitator-b")
    toolkit = toolkit_b(facilitator)
    with pytest.raises(DomainError) as refused:
        toolkit_practice_add(actor=facilitator, toolkit=toolkit, reference="no-such-practice")
    assert "practice" in refused.value.field_errors
    with pytest.raises(DomainError) as refused:
        toolkit_recommendation_add(
            actor=facilitator, toolkit=toolkit, text="x", key_factor_code="c1"
        )
    assert "key_factor" in refused.value.field_errors
    toolkit_practice_add(actor=facilitator, toolkit=toolkit, reference="ghent-kitchen-incubator")
    with pytest.raises(DomainError):
        toolkit_practice_add(
            actor=facilitator, toolkit=toolkit, reference="ghent-kitchen-incubator"
        )
    with pytest.raises(DomainError):  # a stale copy of the title and introduction
        toolkit_update(actor=facilitator, toolkit=toolkit, title="New", introduction="", revision=1)


def test_the_life_of_a_toolkit_publish_feedback_final(user_of):
    facilitator = user_of("facilitator-b")
    toolkit = _composed(user_of)
    athens = City.objects.get(slug="athens")
    with pytest.raises(DomainError):  # no feedback on a draft
        toolkit_feedback_give(
            actor=user_of("athens-officer-1"), toolkit=toolkit, city=athens, text="x"
        )
    toolkit = toolkit_step(
        actor=facilitator, toolkit=toolkit, step=ToolkitStep.PUBLISH, accept_empty_factors=True
    )
    assert toolkit.state == "published" and toolkit.published_at
    toolkit_feedback_give(
        actor=user_of("athens-officer-1"),
        toolkit=toolkit,
        city=athens,
        text="Useful.",
        key_factor_code="b2",
    )
    with pytest.raises(DomainError):  # Munich mentors: it does not pilot the toolkit
        toolkit_feedback_give(
            actor=user_of("munich-officer-1"),
            toolkit=toolkit,
            city=City.objects.get(slug="munich"),
            text="x",
        )
    with pytest.raises(DomainError):  # not their city
        toolkit_feedback_give(
            actor=user_of("tampere-officer-1"), toolkit=toolkit, city=athens, text="x"
        )
    toolkit = toolkit_step(actor=facilitator, toolkit=toolkit, step=ToolkitStep.FINALISE)
    assert toolkit.state == "final" and toolkit.finalised_at
    for change in (
        lambda: toolkit_recommendation_add(actor=facilitator, toolkit=toolkit, text="Late"),
        lambda: toolkit_practice_add(
            actor=facilitator, toolkit=toolkit, reference="riga-diversity-pledge-shops-services"
        ),
        lambda: toolkit_update(
            actor=facilitator,
            toolkit=toolkit,
            title="x",
            introduction="",
            revision=toolkit.revision,
        ),
        lambda: toolkit_feedback_give(
            actor=user_of("athens-officer-1"), toolkit=toolkit, city=athens, text="x"
        ),
    ):
        with pytest.raises(DomainError):
            change()
    steps = list(toolkit.transitions.values_list("step", "actor__username"))
    assert steps == [("publish", facilitator.username), ("finalise", facilitator.username)]


def test_publishing_needs_a_practice(user_of):
    toolkit = toolkit_b(user_of("facilitator-b"), title="Empty toolkit")
    with pytest.raises(DomainError):
        toolkit_step(
            actor=user_of("facilitator-b"),
            toolkit=toolkit,
            step=ToolkitStep.PUBLISH,
            accept_empty_factors=True,
        )


def test_publishing_with_empty_key_factors_names_them_and_needs_a_confirmation(user_of):
    facilitator = user_of("facilitator-b")
    toolkit = _composed(user_of)  # advice and a practice under B1 only
    factors = list(toolkit.benchmark.key_factors.values_list("code", flat=True))
    assert len(factors) > 2
    html = Client()
    html.force_login(facilitator)
    page = html.get(reverse("knowledge:toolkit", args=[toolkit.slug])).content.decode()
    assert f"{len(factors) - 1} key factors have nothing yet" in page
    assert "B2." in page and 'name="accept_empty_factors"' in page
    with pytest.raises(DomainError) as refused:
        toolkit_step(actor=facilitator, toolkit=toolkit, step=ToolkitStep.PUBLISH)
    assert "B2" in refused.value.message and "B1" not in refused.value.message
    url = reverse("knowledge:toolkit_step", args=[toolkit.slug, "publish"])
    html.post(url)  # no confirmation: still a draft
    assert Toolkit.objects.get(pk=toolkit.pk).state == "draft"
    html.post(url, {"accept_empty_factors": "on"})
    assert Toolkit.objects.get(pk=toolkit.pk).state == "published"


def test_a_toolkit_with_every_key_factor_filled_publishes_without_a_confirmation(user_of):
    facilitator = user_of("facilitator-b")
    toolkit = _composed(user_of)
    for code in toolkit.benchmark.key_factors.values_list("code", flat=True):
        toolkit_recommendation_add(
            actor=facilitator, toolkit=toolkit, text=f"Advice for {code}.", key_factor_code=code
        )
    toolkit = toolkit_step(actor=facilitator, toolkit=toolkit, step=ToolkitStep.PUBLISH)
    assert toolkit.state == "published"


def test_the_published_toolkit_as_web_pages(user_of):
    toolkit = _composed(user_of)
    public = Client()
    assert public.get(reverse("knowledge:toolkit", args=[toolkit.slug])).status_code == 404
    toolkit_step(
        actor=user_of("facilitator-b"),
        toolkit=toolkit,
        step=ToolkitStep.PUBLISH,
        accept_empty_factors=True,
    )
    html = public.get(reverse("knowledge:toolkit", args=[toolkit.slug])).content.decode()
    assert "<strong>young people</strong>" in html  # sanitised rich text, shown as such
    assert "B1. Schools, job agencies" in html and "Listen to young people." in html
    assert "Kitchen Incubator" in html  # a practice for the toolkit as a whole
    factor = public.get(
        reverse("knowledge:toolkit_factor", args=[toolkit.slug, "b1"])
    ).content.decode()
    assert "Guiding questions" in factor and "Start with a shared strategy." in factor
    assert "A strategy shared by schools and employers." in factor
    listing = public.get(reverse("knowledge:toolkits")).content.decode()
    assert toolkit.title in listing


def test_the_toolkit_pdf_parses_with_its_chapters_and_practices(user_of):
    toolkit = _composed(user_of)
    response = Client().get(reverse("knowledge:toolkit_pdf", args=[toolkit.slug]))
    assert response.status_code == 404  # a draft: not public
    facilitator_client = Client()
    facilitator_client.force_login(user_of("facilitator-b"))
    response = facilitator_client.get(reverse("knowledge:toolkit_pdf", args=[toolkit.slug]))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert toolkit.title in text
    assert "Contents" in text and "Introduction" in text
    assert "Berlin" in text and "Kitchen Incubator for Newcomer Food" in text
    assert "Start with a shared strategy." in text
    # The chapters are the bookmarks' first level (their sections nested under them).
    outline = [item["/Title"] for item in reader.outline if not isinstance(item, list)]
    assert outline[0] == "Introduction" and any(t.startswith("B1.") for t in outline), outline
    assert_accessible_pdf(response.content, title=toolkit.title, language="en", tables=False)


def test_the_compose_page_keeps_what_was_typed_on_a_refusal(user_of, client_of):
    toolkit = toolkit_b(user_of("facilitator-b"))
    client = client_of("facilitator-b")
    response = client.post(
        reverse("knowledge:toolkit_practice_new", args=[toolkit.slug]),
        {"prac-practice": "no-such-practice", "prac-note": "Because it works"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose a published practice." in html and "Because it works" in html
    assert "Suggested practices" in html


def test_toolkit_pages_run_a_bounded_number_of_queries(user_of):
    toolkit = _composed(user_of)
    client = Client()
    client.force_login(user_of("facilitator-b"))
    urls = [
        reverse("knowledge:toolkit", args=[toolkit.slug]),
        reverse("knowledge:toolkit_compose", args=[toolkit.slug]),
        reverse("knowledge:toolkit_factor", args=[toolkit.slug, "b1"]),
    ]

    def counts():
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            result.append(len(queries))
        return result

    before = counts()
    for reference in ("riga-diversity-pledge-shops-services", "tampere-library-story-circles"):
        toolkit_practice_add(
            actor=user_of("facilitator-b"),
            toolkit=toolkit,
            reference=reference,
            key_factor_code="b1",
        )
    toolkit_recommendation_add(
        actor=user_of("facilitator-b"), toolkit=toolkit, text="More", key_factor_code="b3"
    )
    assert counts() == before


def test_a_toolkit_written_in_finnish_declares_it_on_its_page_and_in_its_pdf(user_of, client_of):
    """The facilitator chooses the toolkit's language in the compose form (posted as the page
    renders it); its page marks the authored text, and its PDF is written in Finnish."""
    from django.utils import translation

    from tests.rendered_forms import form_data

    toolkit = _composed(user_of)
    client = client_of("facilitator-b")
    compose = reverse("knowledge:toolkit_compose", args=[toolkit.slug])
    data = form_data(client.get(compose).content.decode(), action=compose)
    assert data["language"] == ["en"]  # the facilitator's own language to start with
    data.update({"language": ["fi"], "title": ["Nuorten työllistymisen työkalupakki"]})
    response = client.post(compose, {key: values[0] for key, values in data.items()})
    assert response.status_code == 302, response.content.decode()[:1500]
    toolkit = Toolkit.objects.get(pk=toolkit.pk)
    assert toolkit.language == "fi"

    page = client.get(reverse("knowledge:toolkit", args=[toolkit.slug])).content.decode()
    assert f'<span lang="fi">{toolkit.title}</span>' in page
    pdf = client.get(reverse("knowledge:toolkit_pdf", args=[toolkit.slug]))
    tagged = assert_accessible_pdf(pdf.content, title=toolkit.title, language="fi", tables=False)
    with translation.override("fi"):
        introduction = translation.gettext("Introduction")
    assert introduction != "Introduction" and introduction in tagged.text
