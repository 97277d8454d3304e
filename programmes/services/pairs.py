"""Scheme membership and pairing. The database enforces the rules; this turns its refusals into
messages a coordinator can act on."""

from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.audit import attribute_to
from core.errors import DomainError
from core.rules import Action

from .. import triggers
from ..access import viewer_for
from ..models import City, MentoringPair, MentoringScheme, SchemeMember

T = TypeVar("T", SchemeMember, MentoringPair)


def _explain(error: IntegrityError) -> str:
    text = str(error)
    messages = {
        triggers.PAIR_MENTOR_IS_MENTOR.name: _(
            "The mentor city must be a mentor in the same scheme as the pair."
        ),
        triggers.PAIR_IMPLEMENTING_IS_IMPLEMENTING.name: _(
            "The implementing city must be an implementing city in the same scheme as the pair."
        ),
        triggers.MEMBER_IN_PAIR_KEEPS_ROLE.name: _(
            "This city is in a pair: remove the pair before changing its role or scheme."
        ),
        "schememember_one_scheme_per_programme": _(
            "This city is already in a scheme of this programme: a city takes part in one scheme."
        ),
        "pair_two_different_members": _("A city cannot mentor itself."),
        "implementing_id": _("This implementing city already has a mentor."),
    }
    # SQLite names the columns of a failed UNIQUE constraint, PostgreSQL names the constraint.
    messages["programmes_schememember.programme_id, programmes_schememember.city_id"] = messages[
        "schememember_one_scheme_per_programme"
    ]
    for code, message in messages.items():
        if code in text:
            return message
    return _("The change breaks a rule of the programme: %s") % text


def _require_scheme_manager(actor: Any, scheme: MentoringScheme) -> None:
    if not viewer_for(actor).can(Action.MANAGE_SCHEMES, programme_id=scheme.programme_id):
        raise DomainError(_("Only the programme's coordinators may change schemes and pairs."))


def _save_explained(instance: T, actor: Any) -> T:
    """Save, audited as `actor`, turning a database refusal into a readable DomainError."""
    attribute_to(instance, actor)
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as error:
        raise DomainError(_explain(error)) from error
    return instance


def scheme_member_add(
    *, actor: Any, scheme: MentoringScheme, city: City, role: str, illustrative: bool = False
) -> SchemeMember:
    _require_scheme_manager(actor, scheme)
    member = SchemeMember(
        programme_id=scheme.programme_id,
        scheme=scheme,
        city=city,
        role=role,
        illustrative=illustrative,
    )
    return _save_explained(member, actor)


def pair_create(
    *,
    actor: Any,
    scheme: MentoringScheme,
    mentor: SchemeMember,
    implementing: SchemeMember,
    illustrative: bool = False,
) -> MentoringPair:
    _require_scheme_manager(actor, scheme)
    pair = MentoringPair(
        scheme=scheme, mentor=mentor, implementing=implementing, illustrative=illustrative
    )
    return _save_explained(pair, actor)
