"""The editor's forms: the title, and one row per item (existing ones by id; blank extra rows
add a finding or plan action of the records, and are ignored when left blank)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .models import Infographic
from .records import Records
from .services import ItemInput


class StartForm(forms.Form):
    subject = forms.CharField(widget=forms.HiddenInput)
    language = forms.ChoiceField(
        label=_("Language"), choices=settings.LANGUAGES, initial=get_language
    )


class TitleForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    revision = forms.IntegerField(widget=forms.HiddenInput)


class ItemForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput, required=False)
    source = forms.ChoiceField(label=_("Add from the records"), required=False)
    text = forms.CharField(
        label=_("Text on the infographic"),
        max_length=240,
        required=False,
        help_text=_("Left blank on a new row: the record's text, shortened."),
    )
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=999)
    shown = forms.BooleanField(label=_("Shown"), required=False, initial=True)

    def __init__(self, *args: Any, sources: list[tuple[str, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        source: Any = self.fields["source"]
        source.choices = [("", "\u2013"), *(sources or [])]

    def to_input(self) -> ItemInput:
        data = self.cleaned_data
        return ItemInput(
            pk=data.get("item"),
            source=data.get("source") or "",
            text=data.get("text") or "",
            order=data["order"],
            shown=bool(data.get("shown")),
        )


class BaseItemFormSet(forms.BaseFormSet):
    def __init__(self, *args: Any, sources: list[tuple[str, str]], **kwargs: Any):
        self.sources = sources
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {"sources": self.sources}

    def inputs(self) -> list[ItemInput]:
        """The rows to save: existing items and filled new rows (a blank new row is ignored)."""
        rows = []
        for form in self.forms:
            if not form.has_changed() and not form.initial.get("item"):
                continue
            row = form.to_input()
            if row.pk is None and not row.source:
                continue
            rows.append(row)
        return rows


ItemFormSet = forms.formset_factory(ItemForm, formset=BaseItemFormSet, extra=2, max_num=60)


def source_label(kind: str, text: str) -> str:
    return f"{kind}: {text[:90]}"


def editor_forms(
    infographic: Infographic, records: Records, data: Any = None
) -> tuple[TitleForm, Any]:
    """The title form and the item formset of an infographic, filled from it."""
    used = {
        f"finding-{i.finding_id}" if i.finding_id else f"action-{i.plan_action_id}"
        for i in infographic.items.all()
    }
    sources = [
        (c.key, source_label(str(c.kind), c.text)) for c in records.candidates if c.key not in used
    ]
    items = list(infographic.items.all())
    initial = [{"item": i.pk, "text": i.text, "order": i.order, "shown": i.shown} for i in items]
    next_order = max((i.order for i in items), default=-1) + 1
    formset = ItemFormSet(data, initial=initial, sources=sources, prefix="items")  # type: ignore[call-arg]
    for index, form in enumerate(formset.forms[len(items) :]):
        form.initial = {"order": next_order + index, "shown": True}
    title = TitleForm(data, initial={"title": infographic.title, "revision": infographic.revision})
    return title, formset
