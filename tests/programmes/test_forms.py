"""Bad input on every form: a clear message next to the field, what was typed kept, never a 500;
and two people editing at once never overwrite each other silently."""

import pytest
from django.urls import reverse

from programmes.models import City

pytestmark = pytest.mark.django_db

EDIT_URL = reverse("programmes:city_edit", args=["cities-grow", "athens"])
SCRIPT = "<script>alert('x')</script>"


def _form_data(**overrides):
    city = City.objects.get(slug="athens")
    data = {
        "version": city.version,
        "population": city.population,
        "charter_signatory": "on" if city.charter_signatory else "",
        "charter_signed_on": city.charter_signed_on.isoformat() if city.charter_signed_on else "",
        "description": "",
    }
    data.update(overrides)
    return data


def _field_error(response, field):
    form = response.context["form"]
    assert field in form.errors, form.errors
    html = response.content.decode()
    # the message is rendered inside the field's own group, next to its input
    assert f'id="id_{field}_error"' in html
    return " ".join(form.errors[field])


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("population", "many", "whole number"),
        ("population", "-5", "greater than or equal to 0"),
        ("population", "99999999999", "less than or equal to"),
        ("description", "x" * 4001, "at most 4000 characters"),
        ("description", SCRIPT, "plain text only"),
        ("charter_signed_on", "31/02/2015", "valid date"),
        ("charter_signed_on", "2015-01-01", "signatory"),
    ],
)
def test_city_form_rejects_bad_input_next_to_field_and_keeps_it(client_of, field, value, message):
    overrides = {field: value}
    if field == "charter_signed_on" and message == "signatory":
        overrides["charter_signatory"] = ""
    response = client_of("athens-officer-1").post(EDIT_URL, _form_data(**overrides))
    assert response.status_code == 200
    assert message in _field_error(response, field).lower()
    kept = response.context["form"][field].value()
    assert kept == value
    if field == "description" and value == SCRIPT:
        assert SCRIPT not in response.content.decode()  # escaped, never executed
        assert "&lt;script&gt;" in response.content.decode()


def test_city_form_saves_good_input(client_of):
    response = client_of("athens-officer-1").post(
        EDIT_URL, _form_data(population="664100", description="Centre of the Attica region.")
    )
    assert response.status_code == 302
    city = City.objects.get(slug="athens")
    assert (city.population, city.description) == (664100, "Centre of the Attica region.")


def test_second_concurrent_save_is_refused_and_both_texts_are_kept(client_of, client):
    first = client_of("athens-officer-1")
    opened_version = City.objects.get(slug="athens").version
    first.post(EDIT_URL, _form_data(version=opened_version, description="First officer's text."))

    second = client_of("coordinator-1")
    response = second.post(
        EDIT_URL, _form_data(version=opened_version, description="Coordinator's text.")
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else saved this city" in html
    assert response.context["form"]["description"].value() == "Coordinator's text."
    assert "First officer&#x27;s text." in html  # the saved text is shown beside the form
    assert City.objects.get(slug="athens").description == "First officer's text."

    # having compared, the second person saves again and it goes through
    retry = second.post(EDIT_URL, response.context["form"].data)
    assert retry.status_code == 302
    assert City.objects.get(slug="athens").description == "Coordinator's text."


@pytest.mark.parametrize(
    ("params", "field"),
    [({"role": "emperor"}, "role"), ({"q": "x" * 101}, "q")],
)
def test_people_filter_rejects_bad_input(client_of, params, field):
    response = client_of("coordinator-1").get(
        reverse("programmes:people", args=["cities-grow"]), params
    )
    assert response.status_code == 200
    assert _field_error(response, field)


def test_people_search_with_script_tags_is_harmless(client_of):
    response = client_of("coordinator-1").get(
        reverse("programmes:people", args=["cities-grow"]), {"q": SCRIPT, "page": "abc"}
    )
    assert response.status_code == 200
    assert SCRIPT not in response.content.decode()
    assert response.context["form"]["q"].value() == SCRIPT
