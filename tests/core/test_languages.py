"""The cities' languages across the platform: a person's e-mails in their language, content
written in any of them and declared so in pages and documents, dates and money in each
locale's conventions, search stemming in the content's language, and a public page of each
language's coverage where a native speaker reports a wrong translation."""

import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from docx import Document

from accessibility.models import Feedback, FeedbackKind
from accessibility.notification_kinds import TRANSLATION_REPORTED
from accessibility.selectors import language_coverage
from action_plans.models import ActionPlan
from core.money import format_money
from finance import notification_kinds as finance_kinds
from finance.services.reminders import unsigned_months_remind
from finance.services.timesheets import timesheet_open
from knowledge.models import GoodPractice
from knowledge.search.engine import SearchRequest, practice_search
from knowledge.services.exchange import practices_import
from knowledge.workflow import PracticeStep, practice_step
from notifications.kinds import title_of
from notifications.models import Notification
from programmes.models import Programme
from tests.action_plans.builders import athens_plan
from tests.conftest import email_of
from tests.finance.test_timesheets import MARCH, _week
from tests.notification_checks import last_notification_pk, mails_to, notified_since
from tests.rendered_forms import form_data
from tests.tagged_pdf import assert_accessible_pdf

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- e-mails


def test_a_reminder_to_a_latvian_officer_is_written_in_latvian(
    client_of, user_of, settings, mailoutbox, django_capture_on_commit_callbacks
):
    """Riga's officer chose Latvian in the header once; the monthly timesheet reminder, sent by
    the daily task with no request and no cookie, reaches them in Latvian."""
    client_of("riga-officer-1").post(reverse("set_language"), {"language": "lv"})
    settings.FINANCE_UNSIGNED_REMINDER_DAYS = 5
    officer = user_of("riga-officer-1")
    programme = Programme.objects.get(slug="cities-grow")
    _week(timesheet_open(actor=officer, programme=programme, month=MARCH), officer)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        assert unsigned_months_remind(today=date(2017, 4, 5)) >= 1
    note = Notification.objects.get(
        kind=finance_kinds.TIMESHEET_UNSIGNED, recipient__email=email_of("riga-officer-1")
    )
    with translation.override("lv"):
        title = title_of(note.kind, note.params)
        greeting = translation.gettext("Hello %(name)s,") % {"name": officer.person.first_name}
    with translation.override("en"):
        assert title != title_of(note.kind, note.params)
    (mail,) = mails_to(mailoutbox, "riga-officer-1")
    assert mail.subject == f"[CITIES-GROW] {title}"
    assert greeting in mail.body and "Hello" not in mail.body
    html = mail.alternatives[0][0]
    assert '<html lang="lv">' in html and title in html


# ---------------------------------------------------------------- content in its language


GREEK_PLAN = {
    "title": "Τοπικό σχέδιο δράσης για την ένταξη στην αγορά εργασίας",
    "context": "Οι νεοαφιχθέντες δεν βρίσκουν εργοδότες.",
    "vision": "Κάθε νέος κάτοικος βρίσκει δουλειά που ταιριάζει στις δεξιότητές του.",
    "objectives": "Διακόσιες τοποθετήσεις σε δύο χρόνια.",
}


def test_a_plan_written_in_greek_is_exported_in_greek(client_of, user_of):
    """The officer writes the plan in Greek through the edit form (as the browser submits it);
    its page, PDF and DOCX declare Greek, and the documents' own headings are Greek."""
    plan = athens_plan(user_of, actions=2)
    client = client_of("athens-officer-1")
    edit = reverse("action_plans:edit", args=["cities-grow", "athens"])
    data = form_data(client.get(edit).content.decode(), action="")
    data.update({key: [value] for key, value in GREEK_PLAN.items()})
    data["language"] = ["el"]
    response = client.post(edit, {k: v if len(v) > 1 else v[0] for k, v in data.items()})
    assert response.status_code == 302, response.content.decode()[:2000]
    plan = ActionPlan.objects.get(pk=plan.pk)
    assert plan.language == "el" and plan.title == GREEK_PLAN["title"]

    page = client.get(reverse("action_plans:plan", args=["cities-grow", "athens"])).content
    assert f'<span lang="el">{GREEK_PLAN["title"]}</span>'.encode() in page

    with translation.override("el"):
        actions_heading = translation.gettext("Actions")
    assert actions_heading != "Actions"
    pdf = client.get(reverse("action_plans:pdf", args=["cities-grow", "athens"]))
    tagged = assert_accessible_pdf(pdf.content, title=GREEK_PLAN["title"], language="el")
    assert actions_heading in tagged.text

    docx = client.get(reverse("action_plans:docx", args=["cities-grow", "athens"]))
    document = Document(io.BytesIO(docx.content))
    assert document.core_properties.language == "el"
    assert document.core_properties.title == GREEK_PLAN["title"]
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert actions_heading in headings


@pytest.mark.parametrize(
    ("language", "day", "money"),
    [
        ("de", "Dienstag, 3. Oktober 2017", "650.000,00\u00a0EUR"),
        ("el", "Τρίτη 3 Οκτωβρίου 2017", "650.000,00\u00a0EUR"),
        ("es", "martes 3 de octubre de 2017", "650\u00a0000,00\u00a0EUR"),
        ("fi", "tiistai 3. lokakuuta 2017", "650\u00a0000,00\u00a0EUR"),
        ("lv", "otrdiena, 2017. gada 3. oktobris", "650\u00a0000,00\u00a0EUR"),
        ("nl", "dinsdag 3 oktober 2017", "650.000,00\u00a0EUR"),
        ("pl", "Wtorek, 3 października 2017", "650\u00a0000,00\u00a0EUR"),
        ("pt", "Terça-feira, 3 de Outubro de 2017", "650.000,00\u00a0EUR"),
        ("tr", "3 Ekim 2017 Sal\u0131", "650.000,00\u00a0EUR"),
        ("ca", "Dimarts 3 octubre de 2017", "650.000,00\u00a0EUR"),
    ],
)
def test_dates_and_money_follow_each_languages_conventions(language, day, money):
    with translation.override(language):
        assert date_format(date(2017, 10, 3), "WEEKDAY_DATE_FORMAT") == day
        assert format_money(Decimal("650000"), "EUR") == money


# ---------------------------------------------------------------- search in the content's language


def _publish(user_of, reference: str, language: str, title: str, summary: str) -> GoodPractice:
    content = json.dumps(
        {
            "practices": [
                {
                    "reference": reference,
                    "title": title,
                    "city": "Tampere",
                    "country": "FI",
                    "summary": summary,
                    "language": language,
                    "themes": ["implementoring-neighbourhoods"],
                    "state": "draft",
                }
            ]
        }
    )
    assert practices_import(actor=None, content=content, file_format="json").ok
    practice = GoodPractice.objects.get(reference=reference)
    practice_step(actor=user_of("facilitator-c"), practice=practice, step=PracticeStep.PUBLISH)
    return practice


def _found(text: str) -> list[str]:
    result = practice_search(SearchRequest(text=text, with_facets=False, per_page=100))
    return [hit.practice.reference for hit in result.hits]


def test_a_finnish_search_term_finds_its_inflected_form(user_of):
    """Finnish inflects where English adds a word: "kielikurssit" (language courses) is written
    "kielikursseilla" (at the language courses) in the practice. Both engines stem it in
    Finnish: PostgreSQL's `finnish` configuration, Snowball's Finnish stemmer for SQLite."""
    _publish(
        user_of,
        "tampere-kielikurssit",
        "fi",
        "Maahanmuuttajien kielikursseilla opitaan työelämän suomea",
        "Kurssit kokoavat maahanmuuttajia ja työnantajia.",
    )
    assert "tampere-kielikurssit" in _found("kielikurssit")
    assert "tampere-kielikurssit" in _found("maahanmuuttajat")
    assert "tampere-kielikurssit" in _found("kielikurssit maahanmuuttaja")
    assert _found("kielikurssit") == _found("KIELIKURSSIT")
    # Found and highlighted: the page shows the practice for the inflected query.
    assert "tampere-kielikurssit" not in _found("kielitaito")


def test_a_language_with_no_stemmer_still_matches_its_words_as_written(user_of):
    """Polish has no stemmer on either engine: its words match as written (diacritics folded on
    SQLite), nothing fails, and a Greek practice is stemmed in Greek alongside it."""
    _publish(user_of, "gdansk-rada", "pl", "Rada imigrantów w Gdańsku", "Rada doradza miastu.")
    _publish(
        user_of, "athens-entaxi", "el", "Γραφείο ένταξης μεταναστών", "Στήριξη για την ένταξη."
    )
    assert "gdansk-rada" in _found("imigrantów")
    assert "gdansk-rada" in _found("rada")
    assert "athens-entaxi" in _found("ένταξη")  # the practice says ένταξης


# ---------------------------------------------------------------- coverage and corrections


def test_the_languages_page_lists_each_languages_coverage_and_a_way_to_report(client):
    page = client.get(reverse("accessibility:languages")).content.decode()
    for coverage in language_coverage():
        assert f'<th scope="row" lang="{coverage.code}">{coverage.name}</th>' in page
        assert coverage.percent == 100, coverage
        assert f"?language={coverage.code}" in page
    assert reverse("accessibility:languages") in client.get(reverse("portal:home")).content.decode()


def test_coverage_counts_untranslated_and_fuzzy_messages_as_missing(tmp_path, settings):
    folder = tmp_path / "fi" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "django.po").write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Save"\nmsgstr "Tallenna"\n\n'
        'msgid "Cancel"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Send"\nmsgstr "Lähetä"\n\n'
        'msgid "Back"\nmsgstr "Takaisin"\n',
        encoding="utf-8",
    )
    settings.LANGUAGES = [("en", "English"), ("fi", "Finnish"), ("lv", "Latvian")]
    coverage = {c.code: c for c in language_coverage(tmp_path)}
    assert (coverage["fi"].translated, coverage["fi"].messages, coverage["fi"].percent) == (
        2,
        4,
        50,
    )
    assert coverage["fi"].name == "suomi"
    assert (coverage["lv"].translated, coverage["lv"].messages) == (0, 4)  # no catalogue at all
    assert (coverage["en"].translated, coverage["en"].messages) == (4, 4)  # the source language


def test_a_native_speaker_reports_a_wrong_translation_to_the_coordinators(client, client_of):
    cache.clear()
    since = last_notification_pk()
    url = reverse("accessibility:translation_report") + "?language=lv&page=/programmes/"
    form = client.get(url).content.decode()
    assert '<option value="lv" selected>' in form
    data = form_data(form, action="")
    data.update(
        {"problem": ["«Iesniegt» should be «Nosūtīt» on the claim's button."], "name": ["Ilze"]}
    )
    response = client.post(url, {k: v[0] for k, v in data.items()})
    assert response.status_code == 302
    report = Feedback.objects.get()
    assert (report.kind, report.language, report.page) == (
        FeedbackKind.TRANSLATION,
        "lv",
        "/programmes/",
    )
    assert email_of("coordinator-1") in notified_since(since, TRANSLATION_REPORTED)
    notes = Notification.objects.filter(pk__gt=since, kind=TRANSLATION_REPORTED)
    assert {tuple(n.params.items()) for n in notes} == {(("language", "latviešu"),)}
    listing = client_of("coordinator-1").get(reverse("accessibility:feedback_list")).content
    assert "Translation (lv)" in listing.decode() and "Nosūtīt" in listing.decode()


def test_a_report_without_text_keeps_what_was_typed(client):
    cache.clear()
    url = reverse("accessibility:translation_report")
    response = client.post(url, {"language": "el", "page": "/toolkits/", "problem": "  "})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="/toolkits/"' in html and '<option value="el" selected>' in html
    assert Feedback.objects.count() == 0
