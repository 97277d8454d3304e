"""Permission predicates over benchmarks, self-assessments and theme wishes."""

from typing import Any

from django.utils.translation import gettext as _

from core.rules import Action, Decision
from programmes.access import viewer_for
from programmes.models import City, Programme, Theme

from .models import SelfAssessment


def _scheme_id(theme: Theme) -> int | None:
    scheme = getattr(theme, "scheme", None)
    return scheme.pk if scheme else None


def can_edit_benchmark(user: Any, theme: Theme) -> Decision:
    if viewer_for(user).reaches(
        Action.EDIT_BENCHMARK, programme_id=theme.programme_id, scheme_id=_scheme_id(theme)
    ):
        return Decision(True)
    return Decision(False, _("Only the theme's facilitator and the coordinators edit it."))


def can_edit_assessment(user: Any, assessment: SelfAssessment) -> Decision:
    if not viewer_for(user).reaches(
        Action.EDIT_ASSESSMENT, programme_id=assessment.programme_id, city_id=assessment.city_id
    ):
        return Decision(False, _("Only the city's officers fill in its self-assessment."))
    if not assessment.is_editable:
        return Decision(
            False,
            _("This self-assessment is “%(status)s”; it can change only once it is returned.")
            % {"status": assessment.get_status_display()},
        )
    return Decision(True)


def can_start_assessment(user: Any, programme: Programme, city: City) -> Decision:
    if viewer_for(user).reaches(Action.EDIT_ASSESSMENT, programme_id=programme.pk, city_id=city.pk):
        return Decision(True)
    return Decision(False, _("Only the city's officers fill in its self-assessment."))


def can_edit_wishes(user: Any, programme: Programme, city: City) -> Decision:
    if viewer_for(user).reaches(Action.EDIT_WISHES, programme_id=programme.pk, city_id=city.pk):
        return Decision(True)
    return Decision(False, _("Only the city's officers and the coordinators state its wishes."))
