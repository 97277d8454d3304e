"""An adopted plan is frozen in the database itself (see core.db): its text, actions, indicators,
links and risks refuse any insert or update until a revision opens the next edition. Saved
versions never change. Deletions are refused by the services (a test database is flushed with
DELETE, which a delete trigger would block)."""

from core.db import Trigger

_PLAN_ADOPTED = (
    "EXISTS (SELECT 1 FROM action_plans_actionplan p WHERE p.id = {plan} AND p.status = 'adopted')"
)

PLAN_ADOPTED_IS_FROZEN = Trigger(
    name="actionplan_adopted_is_frozen",
    table="action_plans_actionplan",
    # Still allowed: publishing it, and the revision that opens the next edition as a draft.
    violated_when=(
        "OLD.status = 'adopted' AND (NEW.title <> OLD.title OR NEW.context <> OLD.context "
        "OR NEW.vision <> OLD.vision OR NEW.objectives <> OLD.objectives "
        "OR NEW.language <> OLD.language OR NEW.city_id <> OLD.city_id "
        "OR (NEW.status = OLD.status AND NEW.edition <> OLD.edition) "
        "OR (NEW.status <> OLD.status AND (NEW.status <> 'draft' "
        "OR NEW.edition <> OLD.edition + 1)))"
    ),
    message="an adopted plan is frozen; start a revision to change it",
    on_insert=False,
)
ACTION_OF_ADOPTED_PLAN_INSERT = Trigger(
    name="planaction_adopted_insert",
    table="action_plans_planaction",
    violated_when=_PLAN_ADOPTED.format(plan="NEW.plan_id"),
    message="the actions of an adopted plan are frozen",
    on_update=False,
)
ACTION_OF_ADOPTED_PLAN_UPDATE = Trigger(
    name="planaction_adopted_update",
    table="action_plans_planaction",
    # The `public` flag is the city's choice of what to publish, also after adoption.
    violated_when=(
        _PLAN_ADOPTED.format(plan="OLD.plan_id")
        + " AND (NEW.title <> OLD.title OR NEW.description <> OLD.description "
        "OR NEW.lead_department <> OLD.lead_department OR NEW.partners <> OLD.partners "
        'OR NEW.start <> OLD.start OR NEW."end" <> OLD."end" '
        "OR NEW.budget_eur <> OLD.budget_eur OR NEW.staff_days <> OLD.staff_days "
        'OR NEW.funding_source <> OLD.funding_source OR NEW."order" <> OLD."order" '
        "OR COALESCE(NEW.adapts_practice_id, 0) <> COALESCE(OLD.adapts_practice_id, 0) "
        "OR NEW.plan_id <> OLD.plan_id)"
    ),
    message="the actions of an adopted plan are frozen",
    on_insert=False,
)
INDICATOR_OF_ADOPTED_PLAN = Trigger(
    name="indicator_of_adopted_plan",
    table="action_plans_indicator",
    violated_when=(
        "EXISTS (SELECT 1 FROM action_plans_planaction a JOIN action_plans_actionplan p "
        "ON p.id = a.plan_id WHERE a.id = NEW.action_id AND p.status = 'adopted')"
    ),
    message="the indicators of an adopted plan are frozen",
)
RISK_OF_ADOPTED_PLAN = Trigger(
    name="risk_of_adopted_plan",
    table="action_plans_planrisk",
    violated_when=_PLAN_ADOPTED.format(plan="NEW.plan_id"),
    message="the risks of an adopted plan are frozen",
)
KEY_FACTOR_LINK_OF_ADOPTED_PLAN = Trigger(
    name="keyfactor_link_of_adopted_plan",
    table="action_plans_planaction_key_factors",
    violated_when=(
        "EXISTS (SELECT 1 FROM action_plans_planaction a JOIN action_plans_actionplan p "
        "ON p.id = a.plan_id WHERE a.id = NEW.planaction_id AND p.status = 'adopted')"
    ),
    message="the links of an adopted plan are frozen",
)
FINDING_LINK_OF_ADOPTED_PLAN = Trigger(
    name="finding_link_of_adopted_plan",
    table="action_plans_planaction_findings",
    violated_when=(
        "EXISTS (SELECT 1 FROM action_plans_planaction a JOIN action_plans_actionplan p "
        "ON p.id = a.plan_id WHERE a.id = NEW.planaction_id AND p.status = 'adopted')"
    ),
    message="the links of an adopted plan are frozen",
)
VERSION_NEVER_CHANGES = Trigger(
    name="planversion_never_changes",
    table="action_plans_planversion",
    violated_when="1 = 1",
    message="a saved version of a plan never changes",
    on_insert=False,
)

ALL = (
    PLAN_ADOPTED_IS_FROZEN,
    ACTION_OF_ADOPTED_PLAN_INSERT,
    ACTION_OF_ADOPTED_PLAN_UPDATE,
    INDICATOR_OF_ADOPTED_PLAN,
    RISK_OF_ADOPTED_PLAN,
    KEY_FACTOR_LINK_OF_ADOPTED_PLAN,
    FINDING_LINK_OF_ADOPTED_PLAN,
    VERSION_NEVER_CHANGES,
)
