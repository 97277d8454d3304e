"""Widgets rendered in Python rather than through Django's widget templates, for forms that
carry a field per row of a large programme (a number per theme, a select per lock row): the
template path costs about 0.2 ms a field and 0.05 ms an option, which at a hundred themes is
most of a page's time. They render the same HTML as Django's NumberInput and Select."""

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString


class PlainNumberInput(forms.NumberInput):
    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        shown = self.format_value(value)
        if shown is not None:
            final["value"] = shown
        return format_html('<input type="{}" name="{}"{}>', self.input_type, name, flatatt(final))


class PlainSelect(forms.Select):
    """A select of flat choices (no groups)."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        chosen = {str(v) for v in self.format_value(value)}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (str(key), " selected" if str(key) in chosen else "", label)
                for key, label in self.choices
            ),
        )
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(final), options)
