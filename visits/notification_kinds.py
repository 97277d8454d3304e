"""The events' notifications: each step that hands an event to someone (an invitation, dates to
confirm, a change of time or place, a cancellation, a report to write, a submitted report), and
the two reminders. Registered from VisitsConfig.ready(); raised by visits.notices, called by the
services and the workflow inside their transactions, and by visits.services.reminders.

Params: `event` (its title, as stored), `starts_on` and `ended_on` (the event's first and last
day on its host city's clocks, ISO, shown in the reader's date format), `city` (a city's name).
A reason typed by the actor (a cancellation's) is the notification's message."""

from django.utils.translation import gettext_lazy as _

from notifications.choices import Channel
from notifications.kinds import Kind, register

INVITED = "visits.invited"
TO_CONFIRM = "visits.to_confirm"
CONFIRMED = "visits.confirmed"
CHANGED = "visits.changed"
CANCELLED = "visits.cancelled"
REOPENED = "visits.reopened"
REPORT_TO_WRITE = "visits.report_to_write"
REPORT_SUBMITTED = "visits.report_submitted"
EVENT_SOON = "visits.event_soon"
REPORT_OVERDUE = "visits.report_overdue"

KINDS = (
    Kind(
        key=INVITED,
        label=_("You are invited to an event"),
        title=_("You are invited to %(event)s on %(starts_on)s: please answer"),
        default=Channel.IMMEDIATE,
    ),
    Kind(
        key=TO_CONFIRM,
        label=_("An event your city hosts waits for you to confirm its dates"),
        title=_("%(event)s on %(starts_on)s is hosted by %(city)s: please confirm the dates"),
        default=Channel.IMMEDIATE,
    ),
    Kind(
        key=CONFIRMED,
        label=_("The dates of an event you are invited to are confirmed"),
        title=_("The dates of %(event)s are confirmed: %(starts_on)s"),
        default=Channel.IMMEDIATE,
    ),
    Kind(
        key=CHANGED,
        label=_("An event you are invited to changes its time or place"),
        title=_("The time or place of %(event)s changed: it now starts on %(starts_on)s"),
        default=Channel.IMMEDIATE,
    ),
    Kind(
        key=CANCELLED,
        label=_("An event you are invited to is cancelled"),
        title=_("%(event)s on %(starts_on)s is cancelled"),
        default=Channel.IMMEDIATE,
    ),
    Kind(
        key=REOPENED,
        label=_("A cancelled event you were invited to is planned again"),
        title=_("%(event)s is planned again, on %(starts_on)s"),
        default=Channel.IMMEDIATE,
    ),
    Kind(
        key=REPORT_TO_WRITE,
        label=_("A visit of your scheme is held and its report is to be written"),
        title=_("%(event)s is held: please write its report"),
        default=Channel.IMMEDIATE,
    ),
    Kind(
        key=REPORT_SUBMITTED,
        label=_("A visit report with findings about your city is submitted"),
        title=_("The report of %(event)s is submitted, with findings about %(city)s"),
        default=Channel.IMMEDIATE,
    ),
    Kind(
        key=EVENT_SOON,
        label=_("An event you take part in is coming soon"),
        title=_("Reminder: %(event)s starts on %(starts_on)s"),
        default=Channel.IMMEDIATE,
        reminder=True,
    ),
    Kind(
        key=REPORT_OVERDUE,
        label=_("The report of a visit of your scheme is overdue"),
        title=_("The report of %(event)s is overdue: the visit ended on %(ended_on)s"),
        default=Channel.IMMEDIATE,
        reminder=True,
    ),
)


def register_kinds() -> None:
    register(*KINDS)
