"""Scheme membership and pairing. The database enforces the rules; this turns its refusals into
messages a coordinator can act on."""

from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import attribute_to
from core.errors import DomainError

from .. import triggers
from ..choices import SchemeRole
from ..models import (
    PAIR_END_MENTOR_CHANGED,
    City,
    MentoringPair,
    MentoringScheme,
    Programme,
    SchemeMember,
)
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
        "pair_one_current_mentor": _("This implementing city already has a mentor."),
        "implementing_id": _("This implementing city already has a mentor."),
        triggers.PAIR_MEMBERS_CURRENT.name: _(
            "A current pair joins two cities that are members of its scheme now."
        ),
        triggers.MEMBER_ENDS_AFTER_ITS_PAIRS.name: _(
            "This city is in a current pair: end the pair before its membership."
        ),
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


def _save_explained(instance: T, actor: Any, reason: str = "") -> T:
    """Save, audited as `actor`, turning a database refusal into a readable DomainError."""
    attribute_to(instance, actor, reason)
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

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.theme, self.mentor, self.implementing)


def _key(pair: MentoringPair) -> tuple[str, str, str]:
    return (pair.scheme.theme.code, pair.mentor.city.slug, pair.implementing.city.slug)


@dataclass
class PairsChange:
    """What replacing a programme's pairs does: pairs kept as they are, pairs that end, pairs
    that start (those are specs before acceptance, saved pairs after it)."""

    kept: list[MentoringPair]
    ending: list[MentoringPair]
    starting: list[PairSpec]
    created: list[MentoringPair] = field(default_factory=list)

    @property
    def current(self) -> list[MentoringPair]:
        return self.kept + self.created

    def new_pair_for(self, implementing_city_id: int) -> MentoringPair | None:
        """The pair that takes over from an ending pair: the new pair of its implementing city."""
        return next(
            (p for p in self.created if p.implementing.city_id == implementing_city_id), None
        )


def _current_pairs(programme: Programme) -> list[MentoringPair]:
    return list(
        MentoringPair.objects.current()
        .filter(scheme__programme=programme)
        .select_related("scheme__theme", "mentor__city", "implementing__city")
        .order_by("scheme__theme__code", "implementing__city__name")
    )


def pairs_replace_preview(*, programme: Programme, pairs: list[PairSpec]) -> PairsChange:
    """What `pairs_replace` would keep, end and start (reads only; for the confirmation page)."""
    wanted = {spec.key for spec in pairs}
    current = _current_pairs(programme)
    kept = [p for p in current if _key(p) in wanted]
    kept_keys = {_key(p) for p in kept}
    return PairsChange(
        kept=kept,
        ending=[p for p in current if _key(p) not in wanted],
        starting=[spec for spec in pairs if spec.key not in kept_keys],
    )


def pairs_replace(
    *,
    actor: Any,
    programme: Programme,
    pairs: list[PairSpec],
    run_number: int | None = None,
    reason: str = "",
) -> PairsChange:
    """Make these pairs the programme's current pairs (an accepted matching).

    Nothing is deleted that anything may refer to. A current pair the matching keeps (same
    theme, mentor and implementing city) stays as it is; the others end today, with the run that
    ended them and `reason`, and keep their events, findings and plans. A city that keeps its
    scheme and role keeps its membership; a membership that a pair (current or past) refers to is
    ended when its city moves or leaves, and a new one starts; an unreferenced one is moved or
    deleted. Every row written is audited as `actor`, with `reason`.
    """
    _require_scheme_manager(actor, programme.pk)
    reason = reason or "matching accepted"
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
    today = timezone.localdate()
    with transaction.atomic():
        # Two acceptances at once replace the pairs one after the other, each seeing the other's.
        Programme.objects.select_for_update().filter(pk=programme.pk).first()
        change = pairs_replace_preview(programme=programme, pairs=pairs)
        for pair in change.ending:
            pair.ended_on, pair.ended_by_run, pair.end_reason = today, run_number, reason
            _save_explained(pair, actor, reason)
        schemes = {}
        for code in sorted({spec.theme for spec in pairs}):
            scheme = getattr(themes[code], "scheme", None)
            if scheme is None:
                scheme = _save_explained(
                    MentoringScheme(programme=programme, theme=themes[code]), actor, reason
                )
            schemes[code] = scheme
        referenced = _members_in_pairs(programme)
        members: dict[int, SchemeMember] = {}
        for member in SchemeMember.objects.current().filter(programme=programme):
            target = wanted.get(member.city_id)
            if target is not None and (member.scheme_id, member.role) == (
                schemes[target[0]].pk,
                target[1],
            ):
                members[member.city_id] = member
                continue
            if member.pk in referenced:  # an ended pair names it in this role: keep it, ended
                member.ended_on, member.end_reason = today, reason
                _save_explained(member, actor, reason)
            elif target is None:
                attribute_to(member, actor, reason)
                member.delete()
            else:
                code, role = target
                member.scheme, member.role, member.illustrative = schemes[code], role, False
                members[member.city_id] = _save_explained(member, actor, reason)
        for city_id, (code, role) in wanted.items():
            if city_id not in members:
                members[city_id] = _save_explained(
                    SchemeMember(
                        programme=programme, scheme=schemes[code], city_id=city_id, role=role
                    ),
                    actor,
                    reason,
                )
        for spec in change.starting:
            change.created.append(
                _save_explained(
                    MentoringPair(
                        scheme=schemes[spec.theme],
                        mentor=members[cities[spec.mentor].pk],
                        implementing=members[cities[spec.implementing].pk],
                        illustrative=spec.illustrative,
                        created_by_run=run_number,
                    ),
                    actor,
                    reason,
                )
            )
    return change


def _members_in_pairs(programme: Programme) -> set[int]:
    """Ids of the programme's memberships that some pair, current or ended, refers to."""
    rows = MentoringPair.objects.filter(scheme__programme=programme).values_list(
        "mentor_id", "implementing_id"
    )
    return {member_id for row in rows for member_id in row}


def _slugs(pairs: list[PairSpec]) -> set[str]:
    return {slug for spec in pairs for slug in (spec.mentor, spec.implementing)}


def pair_mentor_change(
    *, actor: Any, programme: Programme, implementing: City, mentor: City
) -> MentoringPair:
    """A coordinator's manual edit after a matching: give an implementing city another mentor
    of its scheme. Another mentor is another pair: the current one ends (its events stay with
    it, as they were held or planned with that mentor) and the new one starts today."""
    _require_scheme_manager(actor, programme.pk)
    pair = (
        MentoringPair.objects.current()
        .filter(scheme__programme=programme, implementing__city=implementing)
        .select_related("scheme", "mentor")
        .first()
    )
    if pair is None:
        raise DomainError(_("This city has no mentor to change."))
    new_mentor = (
        SchemeMember.objects.current()
        .filter(scheme=pair.scheme, city=mentor, role=SchemeRole.MENTOR)
        .first()
    )
    if new_mentor is None:
        raise DomainError(
            _("%(city)s is not a mentor in this scheme.") % {"city": mentor.name},
            field_errors={"mentor": _("Choose a mentor city of the same scheme.")},
        )
    if new_mentor.pk == pair.mentor_id:
        return pair
    reason = PAIR_END_MENTOR_CHANGED
    with transaction.atomic():
        pair.ended_on, pair.end_reason = timezone.localdate(), reason
        _save_explained(pair, actor, reason)
        return _save_explained(
            MentoringPair(scheme=pair.scheme, mentor=new_mentor, implementing=pair.implementing),
            actor,
            reason,
        )
