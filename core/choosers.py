"""Typed choices where a select would list hundreds of options (a city of the matching, a
partner of the budget): what a person types is resolved to one record on submit, or a message
next to the field says what to type instead; as one types, a scoped endpoint suggests the first
matches (static/js/suggest.js fills the field's datalist). `TypedChoiceField` is the form field
that does both."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django import forms

from .errors import DomainError

SHOWN = 20  # suggestions per answer: enough to see one's city, few enough to read


def folded(text: str) -> str:
    """Text compared the way people type it: any case, accents optional ("gdansk")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


@dataclass(frozen=True)
class Choice:
    key: str  # what the form keeps: a slug or a primary key
    name: str
    country: str = ""  # tells apart two choices of the same name

    @property
    def label(self) -> str:
        return f"{self.name} ({self.country})" if self.country else self.name


@dataclass(frozen=True)
class ChooserMessages:
    """What a refusal says, with %(text)s (what was typed), %(example)s and %(names)s."""

    several: str
    did_you_mean: str
    unknown: str


class NameChooser:
    """Choices found by what is typed: a name in any case with accents optional, a name with
    its country ("Valencia (ES)"), or the choice's key. Loaded once, on first use: a form
    names a handful."""

    _label = re.compile(r"^(?P<name>.*?)\s*\((?P<country>[A-Za-z]{2})\)$")

    def __init__(self, load: Callable[[], list[Choice]], messages: ChooserMessages) -> None:
        self._load, self.messages = load, messages

    @cached_property
    def choices(self) -> list[Choice]:
        return self._load()

    @cached_property
    def _by_name(self) -> dict[str, list[Choice]]:
        by_name: dict[str, list[Choice]] = {}
        for choice in self.choices:
            by_name.setdefault(folded(choice.name), []).append(choice)
        return by_name

    def search(self, text: str) -> tuple[list[Choice], bool]:
        """The first choices whose name holds the text (names starting with it first), and
        whether more match."""
        typed = folded(text)
        if not typed:
            return [], False
        found = [c for name, same in self._by_name.items() if typed in name for c in same] + [
            c for c in self.choices if c.key == text.strip() and typed not in folded(c.name)
        ]
        found.sort(key=lambda c: (not folded(c.name).startswith(typed), folded(c.name)))
        return found[:SHOWN], len(found) > SHOWN

    def _alike(self, typed: str) -> list[Choice]:
        """Choices whose name is spelt nearly so (a typo: "Munnich")."""
        alike = difflib.get_close_matches(typed, list(self._by_name), n=5, cutoff=0.75)
        return [c for name in alike for c in self._by_name[name]]

    def resolve(self, text: str) -> Choice:
        """The one choice the text names, or a DomainError saying what to type instead."""
        text = text.strip()
        named = self._label.match(text)
        name, country = (named["name"], named["country"].upper()) if named else (text, "")
        same = [
            c for c in self._by_name.get(folded(name), []) if not country or c.country == country
        ] or [c for c in self.choices if c.key == text]
        if len(same) == 1:
            return same[0]
        if same:
            raise DomainError(self.messages.several % {"text": text, "example": same[0].label})
        close = self.search(name)[0] or self._alike(folded(name))
        if close:
            raise DomainError(
                self.messages.did_you_mean
                % {"text": text, "names": ", ".join(f"“{c.label}”" for c in close[:5])}
            )
        raise DomainError(self.messages.unknown % {"text": text})


class TypedChoiceField(forms.CharField):
    """A choice typed by name, suggested as one types from `suggest_url` into the datalist
    `list_id`; cleaned to the one `Choice` it names (None when left empty), or an error next
    to the field saying what to type instead. What was typed stays in the field."""

    def __init__(
        self,
        *,
        chooser: NameChooser,
        list_id: str,
        suggest_url: str,
        max_length: int = 200,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("required", False)
        super().__init__(
            max_length=max_length,
            widget=forms.TextInput(
                attrs={"list": list_id, "data-suggest": suggest_url, "autocomplete": "off"}
            ),
            **kwargs,
        )
        self.chooser = chooser

    def clean(self, value: Any) -> Choice | None:
        text = super().clean(value).strip()
        if not text:
            return None
        try:
            return self.chooser.resolve(text)
        except DomainError as error:
            raise forms.ValidationError(error.message) from error
