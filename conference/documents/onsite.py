"""The on-site documents from what the selectors read: the badges (PDF) and a day's
participants' list for the funder (PDF and XLSX). Labels are in the active language; times on
the conference's own clocks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.formats import time_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from core.funding import funding_statement
from core.spreadsheets import Book
from visits.times import day_text, event_first_day, event_last_day

from ..models import Conference, Registration
from ..selectors.onsite import ParticipantsList, Variant
from .rendering import badges_pdf, participants_pdf


def _language() -> str:
    return (get_language() or "en").split("-")[0]


def _dates(conference: Conference) -> str:
    first, last = event_first_day(conference.event), event_last_day(conference.event)
    if first == last:
        return day_text(first)
    return f"{day_text(first)} \u2013 {day_text(last)}"


def badges_document(
    conference: Conference, registrations: list[Registration], url_for: Callable[[Any], str]
) -> bytes:
    """The badges of these delegates, four to an A4 sheet, each with a QR code opening
    `url_for(registration)` (their check-in page)."""
    badges = [
        {
            "name": r.full_name,
            "organisation": r.organisation,
            "country": str(r.country.name) if r.country else "",
            "url": url_for(r),
            "qr_alt": _("QR code to check in %(name)s") % {"name": r.full_name},
        }
        for r in registrations
    ]
    return badges_pdf(
        {
            "title": _("Badges: %(conference)s") % {"conference": conference.event.title},
            "programme": conference.event.programme.name,
            "language": _language(),
            "conference": conference.event.title,
            "dates": _dates(conference),
            "badges": badges,
        }
    )


def _variant_label(variant: str) -> str:
    if variant == Variant.SIGN_IN:
        return _("Sign-in sheet")
    return _("Checked in")


def _columns(variant: str) -> list[str]:
    last = _("Signature") if variant == Variant.SIGN_IN else _("Checked in at")
    return [
        "#",
        _("Name"),
        _("Organisation"),
        _("Country"),
        _("Level of government"),
        _("Delegation city"),
        last,
    ]


def _unlisted(count: int) -> str:
    if not count:
        return ""
    return ngettext(
        "+ %(count)d participant who did not agree to be listed",
        "+ %(count)d participants who did not agree to be listed",
        count,
    ) % {"count": count}


def _rows(found: ParticipantsList) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for number, p in enumerate(found.listed, start=1):
        last = time_format(p.checked_in_at, "TIME_FORMAT") if p.checked_in_at else ""
        rows.append([number, p.name, p.organisation, p.country, p.level, p.city, last])
    return rows


def participants_title(found: ParticipantsList) -> str:
    return _("Participants' list, %(day)s") % {"day": day_text(found.day)}


def participants_document_pdf(found: ParticipantsList) -> bytes:
    event = found.conference.event
    signature = found.variant == Variant.SIGN_IN
    return participants_pdf(
        {
            "title": f"{participants_title(found)}: {event.title}",
            "programme": event.programme.name,
            "language": _language(),
            "heading": _("Participants' list"),
            "conference": event.title,
            "day": day_text(found.day),
            "variant": _variant_label(found.variant),
            "funding": funding_statement(),
            "columns": _columns(found.variant),
            "widths": [0.3, 1.5, 1.6, 0.9, 1.0, 0.9, 1.5 if signature else 0.7],
            "signature": signature,
            "rows": [[str(cell) for cell in row] for row in _rows(found)],
            "unlisted": _unlisted(found.unlisted),
            "empty": _("Nobody to list."),
        }
    )


def participants_document_xlsx(found: ParticipantsList) -> bytes:
    event = found.conference.event
    book = Book()
    sheet = book.sheet(_variant_label(found.variant)[:31])
    sheet.append([_("Participants' list")])
    sheet.append([event.title])
    sheet.append([day_text(found.day)])
    sheet.append([funding_statement()])
    sheet.append([])
    sheet.append(_columns(found.variant))
    for row in _rows(found):
        sheet.append(row)
    if found.unlisted:
        sheet.append([])
        sheet.append([_unlisted(found.unlisted)])
    for column, width in zip("ABCDEFG", (5, 30, 34, 18, 22, 20, 22), strict=True):
        sheet.worksheet.column_dimensions[column].width = width
    return book.save()
