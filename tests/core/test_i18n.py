"""The interface ships in the twelve languages of the programme's cities, each catalogue complete
and well-formed, switchable by anyone and kept with a person once they sign in."""

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import translation

from programmes.models import Person
from tests.conftest import email_of

CITY_LANGUAGES = {"el", "ca", "es", "en", "de", "pl", "nl", "fi", "pt", "fr", "lv", "tr"}
TRANSLATED = sorted(code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE)


def _catalogue(language: str):
    path = settings.BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.po"
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


def test_the_platform_offers_the_languages_of_the_programmes_cities():
    assert {code for code, _name in settings.LANGUAGES} == CITY_LANGUAGES


@pytest.mark.parametrize("language", TRANSLATED)
def test_each_catalogue_is_complete_and_well_formed(language):
    catalogue = _catalogue(language)
    messages = [m for m in catalogue if m.id]
    untranslated = [
        m.id for m in messages if not all(m.string if isinstance(m.string, tuple) else [m.string])
    ]
    fuzzy = [m.id for m in messages if m.fuzzy]
    assert untranslated == [] and fuzzy == []
    # Babel's checks: the same placeholders as the English, and as many plural forms as the
    # language's header says.
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalogue.check()]
    assert problems == []
    assert len(messages) > 3000
    assert catalogue.num_plurals == (3 if language in {"pl", "lv"} else 2)


@pytest.mark.django_db
@pytest.mark.parametrize("language", TRANSLATED)
def test_each_language_translates_the_page_frame(language, client):
    english = "Skip to main content"
    with translation.override(language):
        translated = translation.gettext(english)
    assert translated != english
    client.post(reverse("set_language"), {"language": language})
    page = client.get(reverse("portal:home")).content.decode()
    assert f'<html lang="{language}">' in page
    assert translated.replace("'", "&#x27;") in page


@pytest.mark.django_db
def test_user_switches_interface_to_french_and_back(client_of):
    client = client_of("nantes-officer-1")
    url = reverse("programmes:overview", args=["cities-grow"])
    assert "Skip to main content" in client.get(url).content.decode()

    response = client.post(reverse("set_language"), {"language": "fr", "next": url})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert '<html lang="fr">' in page
    assert "Aller au contenu principal" in page
    assert "Skip to main content" not in page

    client.post(reverse("set_language"), {"language": "en", "next": url})
    assert "Skip to main content" in client.get(url).content.decode()


@pytest.mark.django_db
def test_a_persons_language_follows_them_to_their_next_log_in_on_another_browser():
    """Chosen once (the header's switcher), kept with the person: a new browser with no cookie
    shows Latvian from the moment they sign in."""
    user = get_user_model().objects.get(username=email_of("riga-officer-1"))
    first = Client()
    first.force_login(user)
    first.post(reverse("set_language"), {"language": "lv"})
    assert Person.objects.get(email=email_of("riga-officer-1")).language == "lv"

    second = Client()
    assert '<html lang="en">' in second.get(reverse("portal:home")).content.decode()
    second.force_login(user)
    page = second.get(reverse("programmes:overview", args=["cities-grow"])).content.decode()
    assert '<html lang="lv">' in page
    with translation.override("lv"):
        assert translation.gettext("Skip to main content") in page
