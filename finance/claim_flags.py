"""What the finance officer checking a claim should look at twice: costs dated outside the
programme's eligible period or outside the dates of the claim's event (with the programme's
travel days either side), and duplicates in the programme (the same receipt file, or the same
amount, currency, date and supplier as another cost that is not rejected).

The date rules are the programme's data (eligible_from/eligible_until, falling back to its dates,
and event_travel_margin_days); the claim services refuse what they flag when the programme's
rule for ineligible costs is "refuse". An event's days are its host city's days (its own zone),
never the server's."""

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.rules import Action
from programmes.access import viewer_for
from programmes.models import Programme
from visits.models import Event
from visits.times import event_first_day, event_last_day

from .choices import LineDecision
from .models import ClaimLine, ExpenseClaim, Receipt


@dataclass(frozen=True)
class DateWindow:
    """The days a cost may be dated, both ends included."""

    start: date
    end: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    @property
    def text(self) -> str:
        """The two dates in the locale's short format with an en dash between them."""
        return (
            f"{date_format(self.start, 'SHORT_DATE_FORMAT')}\u2013"
            f"{date_format(self.end, 'SHORT_DATE_FORMAT')}"
        )


def eligible_period(programme: Programme) -> DateWindow:
    return DateWindow(programme.eligibility_start, programme.eligibility_end)


def event_window(programme: Programme, event: Event) -> DateWindow:
    """The event's first and last days on its host city's clocks, widened by the programme's
    travel days (a flight the day before a visit that starts at 9:00 is part of it)."""
    margin = timedelta(days=programme.event_travel_margin_days)
    return DateWindow(event_first_day(event) - margin, event_last_day(event) + margin)


@dataclass(frozen=True)
class DateProblem:
    """A cost's date outside a window: `flag` is the short text on the checker's line,
    `refusal` the sentence for the traveller next to the date."""

    flag: str
    refusal: str


def date_problems(programme: Programme, event: Event | None, day: date) -> list[DateProblem]:
    """Why a cost of `day` is outside what the programme funds (none when it is inside)."""
    problems = []
    period = eligible_period(programme)
    if day not in period:
        problems.append(
            DateProblem(
                flag=_("Outside the eligible period %(dates)s") % {"dates": period.text},
                refusal=_(
                    "This date is outside the programme's eligible period: costs count from "
                    "%(start)s to %(end)s."
                )
                % {
                    "start": date_format(period.start, "SHORT_DATE_FORMAT"),
                    "end": date_format(period.end, "SHORT_DATE_FORMAT"),
                },
            )
        )
    if event is not None:
        window = event_window(programme, event)
        if day not in window:
            margin = programme.event_travel_margin_days
            problems.append(
                DateProblem(
                    flag=_("Outside the event's dates and travel days %(dates)s")
                    % {"dates": window.text},
                    refusal=ngettext(
                        "This date is outside the event's dates: costs of travel to "
                        "%(event)s count from %(start)s to %(end)s (its days and %(n)d day "
                        "either side).",
                        "This date is outside the event's dates: costs of travel to "
                        "%(event)s count from %(start)s to %(end)s (its days and %(n)d days "
                        "either side).",
                        margin,
                    )
                    % {
                        "event": event.title,
                        "start": date_format(window.start, "SHORT_DATE_FORMAT"),
                        "end": date_format(window.end, "SHORT_DATE_FORMAT"),
                        "n": margin,
                    },
                )
            )
    return problems


def _supplier_key(supplier: str) -> str:
    """The supplier as compared for duplicates: case and spacing do not count."""
    return " ".join(supplier.split()).casefold()


def _others_text(
    claim: ExpenseClaim, claim_ids: set[int], others_text: Callable[[int], str], same_claim: str
) -> list[str]:
    """The flag naming the other claims (#12, #15), and one for another line of this claim."""
    others = sorted(claim_ids - {claim.pk})
    texts = []
    if claim.pk in claim_ids:
        texts.append(same_claim)
    if others:
        texts.append(others_text(len(others)) % {"claims": ", ".join(f"#{pk}" for pk in others)})
    return texts


def claim_line_flags(
    user: Any, claim: ExpenseClaim, lines: Sequence[ClaimLine]
) -> dict[int, list[str]]:
    """For each line of the claim (by pk), what the checker should look at twice: its date
    outside the eligible period or the event's days, the same receipt file as another cost
    of the programme, the same amount, currency, date and supplier as another cost that is not
    rejected. Only for the roles that read the programme's books ({} for anyone else, e.g. the
    traveller: the flags name other people's claims). Two queries, whatever the number of
    lines (their receipts are prefetched by claim_get)."""
    programme = claim.programme
    if not lines or not viewer_for(user).can(Action.VIEW_FINANCE, programme_id=programme.pk):
        return {}
    flags: dict[int, list[str]] = {line.pk: [] for line in lines}
    for line in lines:
        flags[line.pk] += [p.flag for p in date_problems(programme, claim.event, line.day)]

    # The same file: by its SHA-256, anywhere in the programme (another line of this claim too).
    hashes = {r.sha256 for line in lines for r in line.receipts.all() if r.sha256}
    lines_by_hash: dict[str, set[tuple[int, int]]] = defaultdict(set)
    if hashes:
        for sha256, line_id, claim_id in Receipt.objects.filter(
            sha256__in=hashes, line__claim__programme_id=programme.pk
        ).values_list("sha256", "line_id", "line__claim_id"):
            lines_by_hash[sha256].add((line_id, claim_id))
    for line in lines:
        claims = {
            claim_id
            for r in line.receipts.all()
            if r.sha256
            for line_id, claim_id in lines_by_hash[r.sha256]
            if line_id != line.pk
        }
        flags[line.pk] += _others_text(
            claim,
            claims,
            lambda n: ngettext(
                "Same receipt as claim %(claims)s", "Same receipt as claims %(claims)s", n
            ),
            _("Same receipt as another cost of this claim"),
        )

    # The same cost typed twice: amount, currency, date and supplier.
    def key(day: date, amount: Any, currency: str, supplier: str) -> tuple[Any, ...]:
        return (day, amount, currency, _supplier_key(supplier))

    same: dict[tuple[Any, ...], set[tuple[int, int]]] = defaultdict(set)
    for pk, claim_id, day, amount, currency, supplier in (
        ClaimLine.objects.filter(
            claim__programme_id=programme.pk,
            day__in={line.day for line in lines},
            amount__in={line.amount for line in lines},
        )
        .exclude(decision=LineDecision.REJECTED)
        .values_list("pk", "claim_id", "day", "amount", "currency", "supplier")
    ):
        same[key(day, amount, currency, supplier)].add((pk, claim_id))
    for line in lines:
        matches = same[key(line.day, line.amount, line.currency, line.supplier)]
        claims = {claim_id for pk, claim_id in matches if pk != line.pk}
        flags[line.pk] += _others_text(
            claim,
            claims,
            lambda n: ngettext(
                "Same amount, date and supplier as claim %(claims)s",
                "Same amount, date and supplier as claims %(claims)s",
                n,
            ),
            _("Same amount, date and supplier as another cost of this claim"),
        )
    return flags
