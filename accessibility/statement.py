"""The accessibility statement's facts, as the EU's model statement asks for them (Commission
Implementing Decision (EU) 2018/1523): how compliant the platform is with EN 301 549 (WCAG 2.1
AA), what is known not to be accessible yet and why, how and when this was assessed. Update
KNOWN_ISSUES and REVIEWED_ON with each review; the page dates itself from REVIEWED_ON."""

from datetime import date

from django.utils.translation import gettext_lazy as _

STANDARD = "EN 301 549 V3.2.1 (WCAG 2.1 AA)"
# "full", "partial" or "none": partially compliant while KNOWN_ISSUES is not empty.
PREPARED_ON = date(2026, 12, 7)
REVIEWED_ON = date(2026, 12, 7)
METHOD = _(
    "a self-assessment: automated checks of every page of the platform for each role (axe-core, "
    "in the end-to-end tests), HTML checks of every page in the unit tests, and a manual review "
    "with the keyboard alone and with a screen reader"
)

# Each: what is not accessible, and what people can do meanwhile.
KNOWN_ISSUES = (
    _(
        "Documents that cities and partners upload (council decisions, evidence, receipts) are "
        "shown as they were received and may not be accessible: ask for an accessible version "
        "with the form below."
    ),
)


def compliance() -> str:
    return "partial" if KNOWN_ISSUES else "full"
