"""The privacy notice's content: what is kept, why (the legal basis), for how long. The periods
come from the settings, so the notice says what the platform is configured to do."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


@dataclass(frozen=True)
class Category:
    what: str | Promise
    why: str | Promise
    basis: str | Promise
    kept: str


def finance_retention() -> str:
    years = int(settings.PRIVACY_FINANCE_RETENTION_YEARS)
    return ngettext(
        "%(years)d year after the programme's final payment by the funder",
        "%(years)d years after the programme's final payment by the funder",
        years,
    ) % {"years": years}


def categories() -> list[Category]:
    until_left = str(_("while you take part; pseudonymised after you leave, on request"))
    return [
        Category(
            _("Your name, e-mail address, phone, organisation, job title and languages"),
            _("To run the programme with you and reach you"),
            _("Performance of the grant agreement (art. 6(1)(b) and (e) GDPR)"),
            until_left,
        ),
        Category(
            _("Your roles, invitations and their history"),
            _("To grant access and show who held which role"),
            _("Legitimate interest in a reliable audit trail (art. 6(1)(f))"),
            until_left,
        ),
        Category(
            _("Timesheets, staff-cost rates, expense claims with their receipts, attendance"),
            _("To declare eligible costs to the funder and let its auditors check them"),
            _("Legal obligation under the grant rules (art. 6(1)(c))"),
            finance_retention(),
        ),
        Category(
            _("Your comments, reviews, reports, feedback and the changes you made"),
            _("The programme's work and the record of who decided what"),
            _("Performance of the grant agreement; legitimate interest in the audit trail"),
            until_left,
        ),
        Category(
            _("Notifications, e-mails sent to you, your preferences and calendar links"),
            _("To tell you what waits for you"),
            _("Performance of the grant agreement"),
            str(_("while you have an account; erased when you are pseudonymised")),
        ),
        Category(
            _("Log-in records (time, address, browser)"),
            _("To protect accounts against password guessing"),
            _("Legitimate interest in security (art. 6(1)(f))"),
            until_left,
        ),
    ]
