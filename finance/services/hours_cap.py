"""The productive-hours cap: a person's hours across all grants in a year (this platform's
timesheets in every programme, plus the hours they declared on other grants) never exceed their
productive hours that year (their staff-cost rate's, else the programme's default).

Every write that moves either side re-checks it: saving hours, declaring other-grant hours,
recording a rate with fewer productive hours, and (through `cap_problems`) lowering the
programme's default."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Q
from django.db.models.functions import ExtractYear
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from core.aggregates import ExactSum
from programmes.models import Membership, Person, Programme

from ..models import OtherGrantHours, StaffRate, TimeEntry, Timesheet

ZERO = Decimal("0")


def format_hours(hours: Decimal) -> str:
    """Hours for a reader in the active language: grouped by thousands, without trailing zeros
    ("1,650", "7.5")."""
    places = max(0, min(2, -int(hours.normalize().as_tuple().exponent)))
    return number_format(hours, decimal_pos=places, force_grouping=True)


def productive_hours(person: Person, programme: Programme, year: int) -> Decimal:
    """The person's productive hours in a year: their staff-cost rate's, else the programme's
    default."""
    rate = StaffRate.objects.filter(person=person, programme=programme, year=year).first()
    return rate.productive_hours if rate else programme.default_productive_hours


def hours_in_year(
    person: Person,
    year: int,
    *,
    excluding_sheet: int | None = None,
    excluding_declaration: int | None = None,
) -> Decimal:
    """Every hour the person declared in a year: this platform's timesheets (all programmes)
    and the other grants they declared."""
    entries = TimeEntry.objects.filter(timesheet__person=person, day__year=year)
    if excluding_sheet is not None:
        entries = entries.exclude(timesheet_id=excluding_sheet)
    here = entries.aggregate(total=ExactSum("hours"))["total"] or ZERO
    declared = OtherGrantHours.objects.filter(person=person, year=year)
    if excluding_declaration is not None:
        declared = declared.exclude(pk=excluding_declaration)
    elsewhere = declared.aggregate(total=ExactSum("hours"))["total"] or ZERO
    return here + elsewhere


def hold_hours_of(person: Person) -> None:
    """Lock the person's timesheets and declarations until the transaction ends: two writes at
    once (a week of hours, a declaration, a rate) cannot together pass the cap."""
    list(Timesheet.objects.select_for_update().filter(person=person).values_list("pk", flat=True))
    list(
        OtherGrantHours.objects.select_for_update()
        .filter(person=person)
        .values_list("pk", flat=True)
    )


def cap_problems(programme: Programme, default_productive_hours: Decimal) -> list[str]:
    """What would pass the cap if the programme's default productive hours became
    `default_productive_hours`: one readable line per person and year of the programme whose
    total across all grants is above it, for the people without their own rate that year (a
    rate's own productive hours do not change with the default). Four queries."""
    years = list(range(programme.start_date.year, programme.end_date.year + 1))
    people = Membership.objects.filter(programme=programme).values("person_id")
    in_programme = Timesheet.objects.filter(programme=programme).values("person_id")
    totals: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
    recorded = (
        TimeEntry.objects.filter(
            Q(timesheet__person_id__in=people) | Q(timesheet__person_id__in=in_programme),
            day__year__in=years,
        )
        .annotate(year=ExtractYear("day"))
        .values("timesheet__person_id", "year")
        .annotate(total=ExactSum("hours"))
        .order_by()
    )
    for row in recorded:
        totals[(row["timesheet__person_id"], row["year"])] += row["total"]
    declared = (
        OtherGrantHours.objects.filter(
            Q(person_id__in=people) | Q(person_id__in=in_programme), year__in=years
        )
        .values("person_id", "year")
        .annotate(total=ExactSum("hours"))
        .order_by()
    )
    for row in declared:
        totals[(row["person_id"], row["year"])] += row["total"]
    own_rate = set(
        StaffRate.objects.filter(programme=programme, year__in=years).values_list(
            "person_id", "year"
        )
    )
    over = {
        key: total
        for key, total in totals.items()
        if key not in own_rate and total > default_productive_hours
    }
    if not over:
        return []
    names = {p.pk: p for p in Person.objects.filter(pk__in={person for person, _y in over})}
    return [
        _("%(person)s, %(year)s: %(hours)s hours recorded, above %(cap)s productive hours")
        % {
            "person": names[person].full_name,
            "year": year,
            "hours": format_hours(total),
            "cap": format_hours(default_productive_hours),
        }
        for (person, year), total in sorted(
            over.items(),
            key=lambda item: (
                names[item[0][0]].last_name,
                names[item[0][0]].first_name,
                item[0][1],
            ),
        )
    ]
