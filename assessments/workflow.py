"""The self-assessment workflow: one table of transitions, one function that performs them.

Nothing else assigns `SelfAssessment.status`.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import attribute_to
from core.errors import DomainError
from core.roles import Role
from core.rules import Action
from notifications.recipients import holders
from notifications.services import notify
from programmes.access import viewer_for
from programmes.models import Person

from . import notification_kinds as kinds
from .choices import AssessmentStatus, Phase
from .models import SelfAssessment


class Transition(StrEnum):
    SUBMIT = "submit"
    ACCEPT = "accept"
    RETURN = "return"


@dataclass(frozen=True)
class TransitionRule:
    sources: tuple[AssessmentStatus, ...]
    target: AssessmentStatus
    action: Action  # who may perform it, through core.rules
    refusal: Any  # shown when the person may not


TRANSITIONS: dict[Transition, TransitionRule] = {
    Transition.SUBMIT: TransitionRule(
        sources=(AssessmentStatus.DRAFT, AssessmentStatus.RETURNED),
        target=AssessmentStatus.SUBMITTED,
        action=Action.EDIT_ASSESSMENT,
        refusal=gettext_lazy("Only the city's officers may submit its self-assessment."),
    ),
    Transition.ACCEPT: TransitionRule(
        sources=(AssessmentStatus.SUBMITTED,),
        target=AssessmentStatus.ACCEPTED,
        action=Action.REVIEW_ASSESSMENT,
        refusal=gettext_lazy("Only the theme's facilitator and the coordinators review it."),
    ),
    # An accepted assessment may be reopened too, when the city's situation has changed.
    Transition.RETURN: TransitionRule(
        sources=(AssessmentStatus.SUBMITTED, AssessmentStatus.ACCEPTED),
        target=AssessmentStatus.RETURNED,
        action=Action.REVIEW_ASSESSMENT,
        refusal=gettext_lazy("Only the theme's facilitator and the coordinators review it."),
    ),
}


def transition_allowed(user: Any, assessment: SelfAssessment, transition: Transition) -> bool:
    """Whether this person may perform the transition now (for showing buttons)."""
    rule = TRANSITIONS[transition]
    return assessment.status in rule.sources and _reaches(user, assessment, rule.action)


def _reaches(user: Any, assessment: SelfAssessment, action: Action) -> bool:
    scheme = getattr(assessment.theme, "scheme", None)
    return viewer_for(user).reaches(
        action,
        programme_id=assessment.programme_id,
        scheme_id=scheme.pk if scheme else None,
        city_id=assessment.city_id,
    )


def transition_perform(
    *, actor: Any, assessment: SelfAssessment, transition: Transition, comment: str = ""
) -> SelfAssessment:
    """Move the assessment (locked by the caller's transaction) to the transition's target."""
    rule = TRANSITIONS[transition]
    if not _reaches(actor, assessment, rule.action):
        raise DomainError(str(rule.refusal))
    if assessment.status not in rule.sources:
        raise DomainError(
            _("This self-assessment is “%(status)s”: it cannot be %(verb)s now.")
            % {"status": assessment.get_status_display(), "verb": _verb(transition)}
        )
    now = timezone.now()
    if transition is Transition.SUBMIT:
        assessment.submitted_at, assessment.submitted_by = now, actor
        # A new submission awaits a new review; the earlier one stays in the history.
        assessment.reviewed_at, assessment.reviewed_by, assessment.review_comment = None, None, ""
    else:
        assessment.reviewed_at, assessment.reviewed_by = now, actor
        assessment.review_comment = comment
    assessment.status = rule.target
    assessment.revision += 1
    attribute_to(assessment, actor, reason=transition.value)
    assessment.save()
    _notify(actor, assessment, transition)
    return assessment


def _notify(actor: Any, assessment: SelfAssessment, transition: Transition) -> None:
    """Tell who must act now: the reviewers of a submission (the same people as
    REVIEW_ASSESSMENT: coordinators and the theme's scheme's facilitator), the city's officers
    of a decision (a return carries the reviewer's comment)."""
    scheme = getattr(assessment.theme, "scheme", None)
    recipients: list[Person]
    if transition is Transition.SUBMIT:
        kind = kinds.SUBMITTED
        roles = (Role.COORDINATOR, Role.FACILITATOR) if scheme else (Role.COORDINATOR,)
        recipients = holders(
            assessment.programme_id, *roles, scheme_id=scheme.pk if scheme else None
        )
    else:
        kind = kinds.ACCEPTED if transition is Transition.ACCEPT else kinds.RETURNED
        recipients = holders(assessment.programme_id, Role.CITY_OFFICER, city_id=assessment.city_id)
    theme = assessment.theme
    notify(
        kind=kind,
        recipients=recipients,
        url=reverse(
            "assessments:assessment",
            args=[assessment.programme.slug, assessment.city.slug, theme.code, assessment.phase],
        ),
        programme=assessment.programme,
        actor=actor,
        params={
            "city": assessment.city.name,
            "theme": f"{theme.code}. {theme.short_title or theme.title}",
            "phase_label": Phase(assessment.phase).label,
        },
        message=assessment.review_comment if transition is Transition.RETURN else "",
    )


def _verb(transition: Transition) -> str:
    return {
        Transition.SUBMIT: _("submitted"),
        Transition.ACCEPT: _("accepted"),
        Transition.RETURN: _("returned"),
    }[transition]
