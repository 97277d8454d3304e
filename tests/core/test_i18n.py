"""The interface ships in English and French, switchable by the user."""

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.urls import reverse

PO_FILE = settings.BASE_DIR / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def test_french_catalogue_is_complete():
    with PO_FILE.open("rb") as handle:
        catalogue = read_po(handle)
    untranslated = [
        m.id
        for m in catalogue
        if m.id and not all(m.string if isinstance(m.string, tuple) else [m.string])
    ]
    fuzzy = [m.id for m in catalogue if m.id and m.fuzzy]
    assert untranslated == [] and fuzzy == []


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
