"""Showing a service's refusal on the form the person filled in."""

from typing import Any

from core.errors import DomainError


def show_refusal(
    form: Any,
    error: DomainError,
    *,
    renames: dict[str, str] | None = None,
    rows: dict[str, list[Any]] | None = None,
) -> None:
    """Put each message next to the field it names, or above the form.

    `renames` maps a service's names to the form's ("starts_at" → "start_day"); `rows` maps a
    prefix to the forms of a formset in the order their rows were given to the service, so that
    "risks-1-impact" lands on the second row sent. Without a message next to a field, the
    refusal's own message goes above the form.
    """
    renames, rows = renames or {}, rows or {}
    placed = False
    for name, message in error.field_errors.items():
        name = renames.get(name, name)
        prefix, _sep, rest = name.partition("-")
        index, _sep, field = rest.partition("-")
        if prefix in rows and index.isdigit() and int(index) < len(rows[prefix]):
            row = rows[prefix][int(index)]
            row.add_error(field if field in row.fields else None, message)
            placed = True
        elif name in form.fields:
            form.add_error(name, message)
            placed = True
        else:
            form.add_error(None, message)
    if not placed:
        form.add_error(None, error.message)
