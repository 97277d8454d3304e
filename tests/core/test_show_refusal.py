"""A service's refusal lands next to the field it names, on the row the service was given."""

from django import forms

from core.errors import ConcurrentEditError, DomainError
from core.forms import show_refusal


class _Main(forms.Form):
    title = forms.CharField(required=False)
    start_day = forms.DateField(required=False)


class _Row(forms.Form):
    name = forms.CharField(required=False)
    target = forms.IntegerField(required=False)


_Rows = forms.formset_factory(_Row, extra=0)


def _forms():
    rows = _Rows(
        {
            "r-TOTAL_FORMS": "3",
            "r-INITIAL_FORMS": "0",
            "r-0-name": "",  # an empty row: not sent to the service
            "r-1-name": "Desks",
            "r-2-name": "Placed",
        },
        prefix="r",
    )
    main = _Main({"title": "x"})
    assert rows.is_valid() and main.is_valid()
    return main, rows, [f for f in rows if f.cleaned_data.get("name")]


def test_row_errors_follow_the_rows_sent_not_the_formset_positions():
    main, rows, sent = _forms()
    error = DomainError("Not saved.", field_errors={"r-1-target": "Give a target."})
    show_refusal(main, error, rows={"r": sent})
    assert rows.forms[2].errors == {"target": ["Give a target."]}
    assert rows.forms[1].errors == {} and main.non_field_errors() == []


def test_renamed_and_unknown_fields_and_plain_refusals():
    main, _rows, _sent = _forms()
    show_refusal(
        main,
        DomainError("Not saved.", field_errors={"starts_at": "Too early.", "nowhere": "Odd."}),
        renames={"starts_at": "start_day"},
    )
    assert main.errors["start_day"] == ["Too early."]
    assert main.non_field_errors() == ["Odd."]
    other, _rows, _sent = _forms()
    show_refusal(other, ConcurrentEditError("Someone else saved it."))
    assert other.non_field_errors() == ["Someone else saved it."]
