"""The signed participant list of an event, as a tagged PDF (PDF/UA-1) for the audit file."""

from django.utils import translation
from django.utils.translation import gettext as _

from core.typst_document import Heading, Paragraph, Table, typst_pdf

from .models import Event
from .times import event_when


def participant_list_pdf(event: Event) -> bytes:
    """One row per participant with a box to sign; attendance as recorded, if any."""
    place = ", ".join(p for p in (event.venue, getattr(event.host_city, "name", "")) if p)
    facts = (
        (_("Programme"), event.programme.name),
        (_("When"), event_when(event)),
        (_("Where"), place or "\u2013"),
        (_("Format"), str(event.get_format_display())),
    )
    attended = {True: _("yes"), False: _("no"), None: ""}
    rows = [
        (p.person.full_name, p.person.organisation.name, attended[p.attended], "")
        for p in event.participants.all()
    ]
    return typst_pdf(
        title=_("Participant list: %(event)s") % {"event": event.title},
        language=translation.get_language() or "en",
        programme=event.programme.name,
        blocks=[
            Heading(event.title, 0),
            *(Paragraph(value, bold_label=label) for label, value in facts),
            Table(
                (_("Name"), _("Organisation"), _("Attended"), _("Signature")),
                rows,
                widths=(50, 52, 18, 40),
                row_height_mm=12,  # room to sign
                font_size=9.5,
            ),
        ],
    )
