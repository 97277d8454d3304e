"""The snapshot of an infographic: a JSON document of everything its files and its page show,
in its language. A draft's snapshot is built anew for each preview; a published version keeps
the one it was rendered from, so it never changes with the records."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from assessments.choices import Phase
from core.funding import funding_statement

from .choices import ItemKind
from .records import Records, shorten

SECTION_HEADINGS = {
    ItemKind.STRENGTH: lambda: _("Strengths"),
    ItemKind.CHALLENGE: lambda: _("Challenges"),
    ItemKind.ACTION: lambda: _("Future actions"),
}


def _level(value: float | None) -> str:
    return "" if value is None else number_format(value, decimal_pos=1)


def build_snapshot(
    infographic: Any, records: Records, items: list[tuple[str, str, str]]
) -> dict[str, Any]:
    """`items`: the shown items in order, as (kind, text, source key)."""
    programme = infographic.programme
    theme = records.theme
    with translation.override(infographic.language):
        names = [name for name, _role in records.cities]
        if infographic.pair_id:
            heading = " \u2013 ".join(names)
            kind_label = _("Mentoring relationship")
        else:
            heading = _("Scheme %(code)s") % {"code": theme.code}
            kind_label = _("Mentoring scheme")
        sections = []
        for kind in ItemKind:
            texts = [text for item_kind, text, _key in items if item_kind == kind]
            if texts:
                sections.append(
                    {"kind": str(kind), "heading": SECTION_HEADINGS[kind](), "items": texts}
                )
        before_phase, after_phase = records.gap_phases
        gap_rows = [
            {
                "code": row.code,
                "label": shorten(f"{row.code.upper()} {row.title}", 64),
                "before": row.before,
                "after": row.after,
                "before_text": _level(row.before),
                "after_text": _level(row.after),
            }
            for row in records.gap_rows
        ]
        figures = [
            {"label": _("visits"), "value": str(records.visits)},
            {"label": _("officers involved"), "value": str(records.officers)},
            {"label": _("days of visits"), "value": str(records.visit_days)},
            {"label": _("findings"), "value": str(records.findings)},
        ]
        programme_line = _("%(programme)s: %(title)s, coordinated by EUROCITIES.") % {
            "programme": programme.name,
            "title": programme.full_title or programme.name,
        }
        snapshot = {
            "format": 1,
            "language": infographic.language,
            "title": infographic.title,
            "heading": heading,
            "programme": programme.name,
            "theme": f"{theme.code} \u2013 {theme.short_title or theme.title}",
            "cities": [{"name": name, "role": role} for name, role in records.cities],
            "figures": figures,
            "sections": sections,
            "sources": [key for _kind, _text, key in items],
            "gaps": {
                "heading": _("Gap analysis: before and after"),
                "before_label": str(Phase(before_phase).label) if before_phase else _("Before"),
                "after_label": str(Phase(after_phase).label) if after_phase else _("After"),
                "scale_label": _("level of each key factor, 0 to %(top)s")
                % {"top": records.gap_top},
                "none_label": _("not assessed yet"),
                "top": records.gap_top,
                "rows": gap_rows,
            },
            "credits": [programme_line, funding_statement()],
            "labels": {"kind": kind_label, "theme": _("Theme")},
        }
        snapshot["description"] = text_alternative(snapshot)
    return snapshot


def text_alternative(snapshot: dict[str, Any]) -> str:
    """Everything the infographic says, as plain sentences (the SVG's description, the PDF's
    subject and the page's text alternative are built from the same snapshot)."""
    lines = [f"{snapshot['heading']}. {snapshot['labels']['theme']}: {snapshot['theme']}."]
    lines.append("; ".join(f"{c['name']}: {c['role']}" for c in snapshot["cities"]) + ".")
    lines.append(", ".join(f"{f['value']} {f['label']}" for f in snapshot["figures"]) + ".")
    for section in snapshot["sections"]:
        lines.append(f"{section['heading']}: " + " ".join(section["items"]))
    gaps = snapshot["gaps"]
    if gaps["rows"]:
        parts = [
            f"{row['label']}: {gaps['before_label']} {row['before_text'] or gaps['none_label']}, "
            f"{gaps['after_label']} {row['after_text'] or gaps['none_label']}"
            for row in gaps["rows"]
        ]
        lines.append(f"{gaps['heading']} ({gaps['scale_label']}): " + "; ".join(parts) + ".")
    lines += snapshot["credits"]
    return "\n".join(lines)
