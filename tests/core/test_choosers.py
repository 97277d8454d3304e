"""Typed choices (core.choosers): what a person types resolves to one choice, or the refusal
says what to type instead; suggestions put names starting with the text first."""

import pytest

from core.choosers import SHOWN, Choice, ChooserMessages, NameChooser, TypedChoiceField, folded
from core.errors import DomainError

MESSAGES = ChooserMessages(
    several="several %(text)s e.g. %(example)s",
    did_you_mean="unknown %(text)s; did you mean %(names)s",
    unknown="unknown %(text)s",
)


def chooser(choices: list[Choice]) -> NameChooser:
    loads = []

    def load() -> list[Choice]:
        loads.append(1)
        return choices

    made = NameChooser(load, MESSAGES)
    made.loads = loads  # type: ignore[attr-defined]
    return made


CITIES = [
    Choice("gdansk", "Gdańsk", "PL"),
    Choice("munich", "Munich", "DE"),
    Choice("valencia-es", "Valencia", "ES"),
    Choice("valencia-ve", "Valencia", "VE"),
    Choice("den-haag", "Den Haag", "NL"),
    Choice("7", "City of Ghent"),
]


def test_folded_ignores_case_and_accents():
    assert folded("  GDAŃSK ") == "gdansk"
    assert folded("Zürich") == "zurich"


def test_resolves_a_name_as_people_type_it():
    pick = chooser(CITIES)
    assert pick.resolve("gdansk").key == "gdansk"
    assert pick.resolve("  MUNICH ").key == "munich"
    assert pick.resolve("Valencia (ve)").key == "valencia-ve"
    assert pick.resolve("Valencia (ES)").label == "Valencia (ES)"
    assert pick.resolve("7").key == "7"  # the key, as a suggestion's id
    assert pick.resolve("city of ghent").label == "City of Ghent"  # no country: the name alone
    assert pick.loads == [1]  # type: ignore[attr-defined]  # loaded once for every field


def test_refusals_say_what_to_type():
    pick = chooser(CITIES)
    with pytest.raises(DomainError) as several:
        pick.resolve("Valencia")
    assert several.value.message == "several Valencia e.g. Valencia (ES)"
    with pytest.raises(DomainError) as typo:
        pick.resolve("Munnich")
    assert typo.value.message == "unknown Munnich; did you mean “Munich (DE)”"
    with pytest.raises(DomainError) as part:
        pick.resolve("haag")  # part of a name: the names holding it
    assert part.value.message == "unknown haag; did you mean “Den Haag (NL)”"
    with pytest.raises(DomainError) as nothing:
        pick.resolve("Atlantis")
    assert nothing.value.message == "unknown Atlantis"
    with pytest.raises(DomainError):
        pick.resolve("Valencia (FR)")  # a country the name has not


def test_search_puts_names_starting_with_the_text_first_and_says_when_more_match():
    pick = chooser([Choice(f"x{n}", f"Borough {n:03d} Valley") for n in range(30)] + CITIES)
    found, more = pick.search("val")
    assert [c.key for c in found[:2]] == ["valencia-es", "valencia-ve"]
    assert len(found) == SHOWN and more
    found, more = pick.search("gdańsk")
    assert [c.key for c in found] == ["gdansk"] and not more
    assert pick.search("   ") == ([], False)


def test_the_typed_field_cleans_to_its_choice_and_keeps_what_was_typed_on_a_refusal():
    from django import forms

    class Form(forms.Form):
        city = TypedChoiceField(
            label="City", chooser=chooser(CITIES), list_id="cities", suggest_url="/suggest"
        )

    typed = Form({"city": " gdansk "})
    assert typed.is_valid() and typed.cleaned_data["city"] == CITIES[0]
    empty = Form({"city": ""})
    assert empty.is_valid() and empty.cleaned_data["city"] is None

    refused = Form({"city": "Valencia"})
    assert not refused.is_valid()
    assert refused.errors["city"] == ["several Valencia e.g. Valencia (ES)"]
    html = str(refused["city"])
    assert 'value="Valencia"' in html
    assert 'list="cities"' in html and 'data-suggest="/suggest"' in html
    assert 'autocomplete="off"' in html
