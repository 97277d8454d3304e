"""The signed participant list of an event, as a PDF for the audit file."""

from django.utils.translation import gettext as _

from core.pdf import pdf_document

from .models import Event
from .times import event_when


def participant_list_pdf(event: Event) -> bytes:
    """One row per participant with a box to sign; attendance as recorded, if any."""
    pdf = pdf_document(_("Participant list: %(event)s") % {"event": event.title})
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 14)
    pdf.multi_cell(0, 8, event.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    place = ", ".join(p for p in (event.venue, getattr(event.host_city, "name", "")) if p)
    for label, value in (
        (_("Programme"), event.programme.name),
        (_("When"), event_when(event)),
        (_("Where"), place or "\u2013"),
        (_("Format"), str(event.get_format_display())),
    ):
        pdf.multi_cell(0, 6, f"{label}: {value}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    widths = (60, 62, 22, 46)
    headings = (_("Name"), _("Organisation"), _("Attended"), _("Signature"))
    pdf.set_font("DejaVu", "B", 10)
    for width, heading in zip(widths, headings, strict=True):
        pdf.cell(width, 8, heading, border=1)
    pdf.ln()
    pdf.set_font("DejaVu", "", 10)
    for participant in event.participants.all():
        attended = {True: _("yes"), False: _("no"), None: ""}[participant.attended]
        row = (
            participant.person.full_name,
            participant.person.organisation.name,
            attended,
            "",
        )
        for width, value in zip(widths, row, strict=True):
            pdf.cell(width, 12, value[:40], border=1)
        pdf.ln()
    return bytes(pdf.output())
