"""The `work_plan` section of a programme's data file (programmes/data/*.json), loaded with the
programme by `load_programme` (programmes.services.loading calls `work_plan_load`).

Idempotent: each item is found by its number and saved only when a value differs, so a second
run writes nothing. An item a coordinator has changed on the platform (its revision moved past
the first) is the coordinators' from then on: the file no longer overwrites it. Nothing is ever
deleted by the loader.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from core.errors import DomainError
from programmes.models import Programme, ProgrammePartner, Theme
from programmes.services.loading import LoadReport, upsert

from .choices import SOURCE_KIND, DeliverableKind, Dissemination, Source
from .models import Deliverable, Milestone, Task, WorkPackage


def work_plan_load(report: LoadReport, programme: Programme, data: dict[str, Any]) -> None:
    partners = {
        p.organisation.slug: p
        for p in ProgrammePartner.objects.filter(programme=programme).select_related("organisation")
    }
    themes = {t.code: t for t in Theme.objects.filter(programme=programme)}

    def lead(slug: str) -> ProgrammePartner:
        if slug not in partners:
            raise DomainError(_("The work plan names a lead that is not a partner: %s") % slug)
        return partners[slug]

    def theme(code: str | None) -> Theme | None:
        return themes[code] if code else None

    for wp in data["work_packages"]:
        package = _load(
            report,
            WorkPackage,
            {"programme": programme, "number": wp["number"]},
            {
                "title": wp["title"],
                "description": wp.get("description", ""),
                "lead": lead(wp["lead"]),
                "start_month": wp["start"],
                "end_month": wp["end"],
                "illustrative": wp.get("illustrative", False),
            },
        )
        tasks = {}
        for row in wp.get("tasks", []):
            tasks[row["number"]] = _load(
                report,
                Task,
                {"work_package": package, "number": row["number"]},
                {
                    "title": row["title"],
                    "description": row.get("description", ""),
                    "lead": lead(row["lead"]),
                    "theme": theme(row.get("theme")),
                    "start_month": row["start"],
                    "end_month": row["end"],
                    "illustrative": row.get("illustrative", False),
                },
            )
        for row in wp.get("deliverables", []):
            source = Source(row.get("source", Source.UPLOAD))
            kind = DeliverableKind(row["kind"])
            if source in SOURCE_KIND and SOURCE_KIND[source] != kind:
                raise DomainError(
                    _("Deliverable %(n)s: its source counts another kind.") % {"n": row["title"]}
                )
            _load(
                report,
                Deliverable,
                {"work_package": package, "number": row["number"]},
                {
                    "task": tasks.get(row.get("task") or 0),
                    "title": row["title"],
                    "description": row.get("description", ""),
                    "lead": lead(row["lead"]),
                    "kind": kind,
                    "target": row.get("target", 1),
                    "due_month": row["due"],
                    "dissemination": Dissemination(row.get("dissemination", "PU")),
                    "source": source,
                    "theme": theme(row.get("theme")),
                    "illustrative": row.get("illustrative", False),
                },
            )
        for row in wp.get("milestones", []):
            _load(
                report,
                Milestone,
                {"work_package": package, "number": row["number"]},
                {
                    "title": row["title"],
                    "verification": row.get("verification", ""),
                    "lead": lead(row["lead"]),
                    "due_month": row["due"],
                    "dissemination": Dissemination(row.get("dissemination", "PU")),
                    "illustrative": row.get("illustrative", False),
                },
            )


def _load(report: LoadReport, model: Any, lookup: dict[str, Any], values: dict[str, Any]) -> Any:
    """Create or update from the file, unless the coordinators changed the item since."""
    existing = model.objects.filter(**lookup).first()
    if existing is not None and existing.revision > 1:
        return existing
    return upsert(report, model, lookup, values)
