"""A leaving city officer's places in events not yet held go to the officer who takes over
(programmes.handover). Registered from VisitsConfig.ready().

Only events still ahead count: planned or confirmed and not yet begun. Held, reported and
cancelled events, and any event already under way, keep the leaver as their record.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import attribute_to
from core.errors import DomainError
from programmes.handover import HandoverItem, HandoverProvider
from programmes.models import Membership, Person

from .choices import Invitation
from .models import Participant
from .pair_ending import NOT_YET_HELD


def _open_participations(person_id: int, programme_id: int) -> QuerySet[Participant]:
    return Participant.objects.filter(
        person_id=person_id,
        event__programme_id=programme_id,
        event__status__in=NOT_YET_HELD,
        event__starts_at__gt=timezone.now(),
    )


def participation_items(membership: Membership) -> list[HandoverItem]:
    """The leaver's places in the programme's events still ahead, in one query."""
    rows = (
        _open_participations(membership.person_id, membership.programme_id)
        .select_related("event__programme")
        .order_by("event__starts_at")
    )
    return [
        HandoverItem(
            kind="participation",
            pk=row.pk,
            title=row.event.title,
            state=row.event.get_status_display(),
            day=row.event.starts_at.date(),
            url=reverse("visits:event", args=[row.event.programme.slug, row.event_id]),
        )
        for row in rows
    ]


def participation_hand_over(
    *, actor: Any, leaver: Person, successor: Person, pks: list[int], reason: str
) -> None:
    """Each place goes to the successor, invited afresh (their own answer is to come). If the
    successor already takes part in that event, the leaver's place is removed instead."""
    rows = list(Participant.objects.select_for_update().filter(pk__in=pks).select_related("event"))
    if len(rows) != len(set(pks)):
        raise DomainError(_("Some of the events to hand over have changed; please look again."))
    already = set(
        Participant.objects.filter(
            person=successor, event_id__in=[r.event_id for r in rows]
        ).values_list("event_id", flat=True)
    )
    now = timezone.now()
    for row in rows:
        still_open = row.event.status in NOT_YET_HELD and row.event.starts_at > now
        if row.person_id != leaver.pk or not still_open:
            raise DomainError(
                _("“%(title)s” can no longer be handed over.") % {"title": row.event.title}
            )
        attribute_to(row, actor, reason)
        if row.event_id in already:
            row.delete()
            continue
        row.person = successor
        row.invitation = Invitation.INVITED
        row.responded_at = None
        row.attended = None
        row.save(update_fields=["person", "invitation", "responded_at", "attended"])


PROVIDER = HandoverProvider(
    kind="participation", items=participation_items, hand_over=participation_hand_over
)
