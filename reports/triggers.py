"""A frozen report never changes, whoever writes to the database (see core.db)."""

from core.db import Trigger

REPORT_FROZEN = Trigger(
    name="report_frozen",
    table="reports_technicalreport",
    violated_when=(
        "OLD.state = 'frozen' AND (NEW.state <> OLD.state OR NEW.kind <> OLD.kind "
        "OR NEW.period_start <> OLD.period_start OR NEW.period_end <> OLD.period_end "
        "OR NEW.number <> OLD.number OR NEW.facts <> OLD.facts OR NEW.language <> OLD.language "
        "OR NEW.programme_id <> OLD.programme_id OR NEW.frozen_at <> OLD.frozen_at)"
    ),
    message="a submitted (frozen) technical report never changes",
    on_insert=False,
)
SECTION_OF_FROZEN_REPORT = Trigger(
    name="section_of_frozen_report",
    table="reports_reportsection",
    violated_when=(
        "EXISTS (SELECT 1 FROM reports_technicalreport r "
        "WHERE r.id = NEW.report_id AND r.state = 'frozen')"
    ),
    message="the sections of a submitted (frozen) technical report never change",
)

ALL = (REPORT_FROZEN, SECTION_OF_FROZEN_REPORT)
