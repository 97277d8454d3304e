"""Scheme membership and pairing. The database enforces the rules; this turns its refusals into
messages a coordinator can act on."""

from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.audit import attribute_to
from core.errors import DomainError

from .. import triggers
from ..choices import SchemeRole
from ..models import City, MentoringPair, MentoringScheme, Programme, SchemeMember
from ..permissions import require_coordinator

T = TypeVar("T", SchemeMember, MentoringPair, MentoringScheme)


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


def _require_scheme_manager(actor: Any, programme_id: int) -> None:
    require_coordinator(
        actor, programme_id, _("Only the programme's coordinators may change schemes and pairs.")
    )


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
    _require_scheme_manager(actor, scheme.programme_id)
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
    _require_scheme_manager(actor, scheme.programme_id)
    pair = MentoringPair(
        scheme=scheme, mentor=mentor, implementing=implementing, illustrative=illustrative
    )
    return _save_explained(pair, actor)


@dataclass(frozen=True)
class PairSpec:
    """A pair as a matching decided it: theme code, mentor and implementing city slugs."""

    theme: str
    mentor: str
    implementing: str
    illustrative: bool = False


def pairs_replace(
    *, actor: Any, programme: Programme, pairs: list[PairSpec]
) -> list[MentoringPair]:
    """Make the programme's schemes hold exactly these pairs (an accepted matching).

    Cities that keep their scheme and role keep their membership row (and its history); the
    others are moved, added or removed. Every row written is audited as `actor`.
    """
    _require_scheme_manager(actor, programme.pk)
    themes = {t.code: t for t in programme.themes.select_related("scheme")}
    cities = {c.slug: c for c in City.objects.filter(slug__in=_slugs(pairs))}
    wanted: dict[int, tuple[str, str]] = {}  # city id -> (theme code, scheme role)
    for spec in pairs:
        if spec.theme not in themes or {spec.mentor, spec.implementing} - set(cities):
            raise DomainError(_("The matching names a theme or city unknown to this programme."))
        roles: tuple[tuple[str, str], ...] = (
            (spec.mentor, SchemeRole.MENTOR.value),
            (spec.implementing, SchemeRole.IMPLEMENTING.value),
        )
        for slug, role in roles:
            previous = wanted.setdefault(cities[slug].pk, (spec.theme, role))
            if previous != (spec.theme, role):
                raise DomainError(_("A city takes one role in one theme only."))
    with transaction.atomic():
        for pair in MentoringPair.objects.filter(scheme__programme=programme):
            attribute_to(pair, actor, "matching accepted")
            pair.delete()
        schemes = {}
        for code in sorted({spec.theme for spec in pairs}):
            scheme = getattr(themes[code], "scheme", None)
            if scheme is None:
                scheme = _save_explained(
                    MentoringScheme(programme=programme, theme=themes[code]), actor
                )
            schemes[code] = scheme
        members: dict[int, SchemeMember] = {}
        for member in SchemeMember.objects.filter(programme=programme):
            target = wanted.get(member.city_id)
            attribute_to(member, actor, "matching accepted")
            if target is None:
                member.delete()
                continue
            code, role = target
            if (member.scheme_id, member.role) != (schemes[code].pk, role):
                member.scheme, member.role, member.illustrative = schemes[code], role, False
                _save_explained(member, actor)
            members[member.city_id] = member
        for city_id, (code, role) in wanted.items():
            if city_id not in members:
                members[city_id] = _save_explained(
                    SchemeMember(
                        programme=programme, scheme=schemes[code], city_id=city_id, role=role
                    ),
                    actor,
                )
        created = []
        for spec in pairs:
            created.append(
                _save_explained(
                    MentoringPair(
                        scheme=schemes[spec.theme],
                        mentor=members[cities[spec.mentor].pk],
                        implementing=members[cities[spec.implementing].pk],
                        illustrative=spec.illustrative,
                    ),
                    actor,
                )
            )
    return created


def _slugs(pairs: list[PairSpec]) -> set[str]:
    return {slug for spec in pairs for slug in (spec.mentor, spec.implementing)}


def pair_mentor_change(
    *, actor: Any, programme: Programme, implementing: City, mentor: City
) -> MentoringPair:
    """A coordinator's manual edit after a matching: give an implementing city another mentor
    of its scheme."""
    _require_scheme_manager(actor, programme.pk)
    pair = (
        MentoringPair.objects.filter(scheme__programme=programme, implementing__city=implementing)
        .select_related("scheme")
        .first()
    )
    if pair is None:
        raise DomainError(_("This city has no mentor to change."))
    new_mentor = SchemeMember.objects.filter(
        scheme=pair.scheme, city=mentor, role=SchemeRole.MENTOR
    ).first()
    if new_mentor is None:
        raise DomainError(
            _("%(city)s is not a mentor in this scheme.") % {"city": mentor.name},
            field_errors={"mentor": _("Choose a mentor city of the same scheme.")},
        )
    pair.mentor = new_mentor
    pair.illustrative = False
    return _save_explained(pair, actor)
