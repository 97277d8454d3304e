"""Editorial workflow of a practice, and the life of a toolkit: one table of steps each, one
function that performs them. Nothing else assigns `GoodPractice.state` or `Toolkit.state`
(except the importer, an operator's tool that states each row's state).

Practice: draft → in review (its author) → published (a facilitator or coordinator), or back
to draft with reasons; a published practice can be withdrawn to draft, with reasons. Editors
may publish their own draft directly.
Toolkit: draft → published for piloting → final (no longer changes).
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.audit import attribute_to
from core.errors import DomainError
from core.roles import Role
from core.rules import RULES, Action
from notifications.recipients import holders
from notifications.services import notify
from programmes.choices import SchemeRole
from programmes.models import Membership, Person, SchemeMember

from . import notification_kinds as kinds
from .choices import PracticeState, ToolkitState
from .models import GoodPractice, PracticeTransition, Toolkit, ToolkitTransition
from .permissions import can_edit_toolkit, can_submit_practice, is_practice_editor
from .services.indexing import practices_index


class PracticeStep(StrEnum):
    SUBMIT = "submit"
    PUBLISH = "publish"
    RETURN = "return"
    WITHDRAW = "withdraw"


@dataclass(frozen=True)
class StepRule:
    sources: tuple[str, ...]
    target: str
    allowed: Callable[[Any, Any], bool]
    label: Any
    needs_reason: bool = False


def _editor(user: Any, practice: GoodPractice) -> bool:
    return is_practice_editor(user)


PRACTICE_STEPS: dict[PracticeStep, StepRule] = {
    PracticeStep.SUBMIT: StepRule(
        (PracticeState.DRAFT,),
        PracticeState.IN_REVIEW,
        can_submit_practice,
        gettext_lazy("Send for review"),
    ),
    PracticeStep.PUBLISH: StepRule(
        (PracticeState.DRAFT, PracticeState.IN_REVIEW),
        PracticeState.PUBLISHED,
        _editor,
        gettext_lazy("Publish"),
    ),
    PracticeStep.RETURN: StepRule(
        (PracticeState.IN_REVIEW,),
        PracticeState.DRAFT,
        _editor,
        gettext_lazy("Return to the author"),
        needs_reason=True,
    ),
    PracticeStep.WITHDRAW: StepRule(
        (PracticeState.PUBLISHED,),
        PracticeState.DRAFT,
        _editor,
        gettext_lazy("Withdraw from publication"),
        needs_reason=True,
    ),
}


def practice_steps_for(user: Any, practice: GoodPractice) -> list[tuple[PracticeStep, StepRule]]:
    return [
        (step, rule)
        for step, rule in PRACTICE_STEPS.items()
        if practice.state in rule.sources and rule.allowed(user, practice)
    ]


def practice_step(
    *, actor: Any, practice: GoodPractice, step: PracticeStep, comment: str = ""
) -> GoodPractice:
    """Take one editorial step: locked, checked, logged, audited; the search index follows."""
    rule = PRACTICE_STEPS[step]
    comment = comment.strip()
    with transaction.atomic():
        current = GoodPractice.objects.select_for_update().get(pk=practice.pk)
        if current.state not in rule.sources:
            raise DomainError(_("This step is not possible in the practice's present state."))
        if not rule.allowed(actor, current):
            raise DomainError(_("You cannot take this step on this practice."))
        if rule.needs_reason and not comment:
            raise DomainError(
                _("Please give the reasons."), field_errors={"comment": _("Give the reasons.")}
            )
        previous = current.state
        current.state = rule.target
        current.published_at = timezone.now() if rule.target == PracticeState.PUBLISHED else None
        if rule.needs_reason:
            current.review_comment = comment
        elif step == PracticeStep.PUBLISH:
            current.review_comment = ""
        current.revision += 1
        attribute_to(current, actor, step.value)
        current.save()
        PracticeTransition.objects.create(
            practice=current,
            step=step.value,
            from_state=previous,
            to_state=rule.target,
            actor=actor,
            comment=comment,
        )
        practices_index([current.pk])
        _practice_notify(actor, current, step, comment)
    return current


PRACTICE_KINDS = {
    PracticeStep.SUBMIT: kinds.PRACTICE_IN_REVIEW,
    PracticeStep.PUBLISH: kinds.PRACTICE_PUBLISHED,
    PracticeStep.RETURN: kinds.PRACTICE_RETURNED,
    PracticeStep.WITHDRAW: kinds.PRACTICE_WITHDRAWN,
}


def _practice_notify(actor: Any, practice: GoodPractice, step: PracticeStep, comment: str) -> None:
    """Sent for review: the editors (REVIEW_PRACTICE, a role held in any programme, as
    permissions.is_practice_editor). A decision: the practice's author."""
    recipients: list[Person]
    if step is PracticeStep.SUBMIT:
        recipients = list(
            Person.objects.filter(
                pk__in=Membership.objects.current()
                .filter(role__in=list(RULES[Action.REVIEW_PRACTICE]))
                .values("person_id")
            )
        )
    elif practice.created_by_id is None:  # imported: no author to tell
        return
    else:
        recipients = list(Person.objects.filter(user_id=practice.created_by_id))
    notify(
        kind=PRACTICE_KINDS[step],
        recipients=recipients,
        url=reverse("knowledge:practice", args=[practice.reference]),
        actor=actor,
        params={"practice": practice.title, "city": practice.city_name},
        message=comment,
    )


# ---------------------------------------------------------------- toolkits


class ToolkitStep(StrEnum):
    PUBLISH = "publish"
    FINALISE = "finalise"


TOOLKIT_STEPS: dict[ToolkitStep, StepRule] = {
    ToolkitStep.PUBLISH: StepRule(
        (ToolkitState.DRAFT,),
        ToolkitState.PUBLISHED,
        can_edit_toolkit,
        gettext_lazy("Publish for piloting"),
    ),
    ToolkitStep.FINALISE: StepRule(
        (ToolkitState.PUBLISHED,),
        ToolkitState.FINAL,
        can_edit_toolkit,
        gettext_lazy("Mark as final"),
    ),
}


def toolkit_steps_for(user: Any, toolkit: Toolkit) -> list[tuple[ToolkitStep, StepRule]]:
    return [
        (step, rule)
        for step, rule in TOOLKIT_STEPS.items()
        if toolkit.state in rule.sources and rule.allowed(user, toolkit)
    ]


def toolkit_empty_factors(toolkit: Toolkit) -> list[Any]:
    """The key factors of the toolkit's benchmark that no recommendation or practice
    illustrates yet (one query): a toolkit published with gaps says so, and its composer
    confirms it."""
    benchmark = toolkit.benchmark
    if benchmark is None:
        return []
    # NOT IN over a column with NULLs matches nothing: only advice tied to a factor counts.
    advised = toolkit.recommendations.filter(key_factor__isnull=False).values("key_factor_id")
    illustrated = toolkit.entries.filter(
        key_factor__isnull=False, practice__state=PracticeState.PUBLISHED
    ).values("key_factor_id")
    return list(benchmark.key_factors.exclude(pk__in=advised).exclude(pk__in=illustrated))


def toolkit_step(
    *, actor: Any, toolkit: Toolkit, step: ToolkitStep, accept_empty_factors: bool = False
) -> Toolkit:
    """Take one step of a toolkit's life. Publishing with key factors that nothing
    illustrates needs `accept_empty_factors`: the composer has seen which ones."""
    rule = TOOLKIT_STEPS[step]
    with transaction.atomic():
        current = (
            Toolkit.objects.select_for_update(of=("self",))
            .select_related("theme__programme_theme__scheme")
            .get(pk=toolkit.pk)
        )
        if current.state not in rule.sources:
            raise DomainError(_("This step is not possible in the toolkit's present state."))
        if not rule.allowed(actor, current):
            raise DomainError(_("Only the theme's facilitator and the coordinators do this."))
        if step == ToolkitStep.PUBLISH and not current.entries.exists():
            raise DomainError(_("Choose at least one practice before publishing the toolkit."))
        if step == ToolkitStep.PUBLISH and not accept_empty_factors:
            empty = toolkit_empty_factors(current)
            if empty:
                raise DomainError(
                    ngettext(
                        "Key factor %(codes)s has no recommendation or practice yet: add one, "
                        "or confirm that the toolkit is published with this gap.",
                        "Key factors %(codes)s have no recommendation or practice yet: add "
                        "some, or confirm that the toolkit is published with these gaps.",
                        len(empty),
                    )
                    % {"codes": ", ".join(f.code.upper() for f in empty)},
                    field_errors={"accept_empty_factors": _("Confirm to publish with gaps.")},
                )
        previous = current.state
        current.state = rule.target
        now = timezone.now()
        if step == ToolkitStep.PUBLISH:
            current.published_at = now
        else:
            current.finalised_at = now
        current.revision += 1
        attribute_to(current, actor, step.value)
        current.save()
        ToolkitTransition.objects.create(
            toolkit=current, step=step.value, from_state=previous, to_state=rule.target, actor=actor
        )
        if step == ToolkitStep.PUBLISH:
            _toolkit_piloting_notify(actor, current)
    return current


def _toolkit_piloting_notify(actor: Any, toolkit: Toolkit) -> None:
    """Published for piloting: the officers of the programme's implementing cities, who give
    feedback (GIVE_TOOLKIT_FEEDBACK, as permissions.feedback_city_ids). Marking it final asks
    nothing of anyone."""
    city_ids = sorted(
        set(
            SchemeMember.objects.current()
            .filter(scheme__programme_id=toolkit.programme_id, role=SchemeRole.IMPLEMENTING)
            .values_list("city_id", flat=True)
        )
    )
    notify(
        kind=kinds.TOOLKIT_PILOTING,
        recipients=[
            person
            for city_id in city_ids
            for person in holders(toolkit.programme_id, Role.CITY_OFFICER, city_id=city_id)
        ],
        url=reverse("knowledge:toolkit", args=[toolkit.slug]),
        programme=toolkit.programme,
        actor=actor,
        params={"toolkit": toolkit.title},
    )
