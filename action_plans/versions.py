"""Snapshots of a plan: what a PlanVersion keeps, and the side-by-side comparison of two."""

import difflib
import re
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import ActionPlan, PlanVersion

SECTIONS = ("title", "context", "vision", "objectives")
ACTION_FIELDS = (
    "title",
    "description",
    "lead_department",
    "partners",
    "start",
    "end",
    "budget_eur",
    "staff_days",
    "funding_source",
)


def plan_content(plan: ActionPlan) -> dict[str, Any]:
    """The plan's whole drafting content as plain JSON (four queries)."""
    actions = (
        plan.actions.select_related("adapts_practice")
        .prefetch_related("indicators", "key_factors", "findings")
        .order_by("order", "pk")
    )
    return {
        **{name: getattr(plan, name) for name in SECTIONS},
        "language": plan.language,
        "risks": [
            {
                "description": r.description,
                "likelihood": r.likelihood,
                "impact": r.impact,
                "mitigation": r.mitigation,
            }
            for r in plan.risks.order_by("order")
        ],
        "actions": [
            {
                "id": a.pk,
                **{name: str(getattr(a, name)) for name in ACTION_FIELDS},
                "key_factors": sorted(k.code for k in a.key_factors.all()),
                "findings": sorted(f.pk for f in a.findings.all()),
                "adapts_practice": a.adapts_practice.reference if a.adapts_practice else "",
                "indicators": [
                    {
                        "name": i.name,
                        "unit": i.unit,
                        "baseline": "" if i.baseline is None else str(i.baseline),
                        "target": str(i.target),
                    }
                    for i in a.indicators.all()
                ],
            }
            for a in actions
        ],
    }


def version_save(
    *, plan: ActionPlan, actor: Any, note: str, content: dict[str, Any] | None = None, **flags: bool
) -> PlanVersion:
    """Keep a snapshot (the plan's content now, or `content` for a refused save). The plan's row
    is locked while the next number is taken, so two saves never get the same one."""
    with transaction.atomic():
        ActionPlan.objects.select_for_update().filter(pk=plan.pk).first()
        last = plan.versions.order_by("-number").values_list("number", flat=True).first() or 0
        return PlanVersion.objects.create(
            plan=plan,
            number=last + 1,
            edition=plan.edition,
            status=plan.status,
            content=content if content is not None else plan_content(plan),
            saved_by=actor if getattr(actor, "is_authenticated", False) else None,
            note=note[:200],
            **flags,
        )


# ---------------------------------------------------------------- comparison


@dataclass
class DiffRow:
    label: str
    left: SafeString
    right: SafeString
    changed: bool


def _marked(words: list[str], spans: list[tuple[int, int]], tag: str) -> SafeString:
    """The words, with the changed spans wrapped in <ins> or <del> (escaped first)."""
    out: list[str] = []
    position = 0
    for start, end in spans:
        out.append(escape(" ".join(words[position:start])))
        out.append(f"<{tag}>{escape(' '.join(words[start:end]))}</{tag}>")
        position = end
    out.append(escape(" ".join(words[position:])))
    return mark_safe(" ".join(part for part in out if part))  # noqa: S308 - escaped above


def diff_texts(label: str, old: str, new: str) -> DiffRow:
    """A word-level comparison of two texts, changes marked on both sides."""
    left, right = old.split(), new.split()
    matcher = difflib.SequenceMatcher(a=left, b=right, autojunk=False)
    removed, added = [], []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op in ("replace", "delete"):
            removed.append((a1, a2))
        if op in ("replace", "insert"):
            added.append((b1, b2))
    return DiffRow(label, _marked(left, removed, "del"), _marked(right, added, "ins"), old != new)


def marked_changes(typed: str, theirs: str) -> SafeString:
    """`theirs` with the words that are not in `typed` wrapped in <ins>, its line breaks kept
    (escaped first): what another person saved, shown beside what this person typed."""
    mine = re.findall(r"\S+|\n", typed)
    other = re.findall(r"\S+|\n", theirs)
    matcher = difflib.SequenceMatcher(a=mine, b=other, autojunk=False)
    added = [False] * len(other)
    for op, _a1, _a2, b1, b2 in matcher.get_opcodes():
        if op in ("replace", "insert"):
            added[b1:b2] = [True] * (b2 - b1)
    out: list[str] = []
    line: list[str] = []
    for word, new in zip(other, added, strict=True):
        if word == "\n":
            out.append(" ".join(line))
            line = []
        else:
            line.append(f"<ins>{escape(word)}</ins>" if new else str(escape(word)))
    out.append(" ".join(line))
    return mark_safe("<br>".join(out).replace("</ins> <ins>", " "))  # noqa: S308 - escaped above


def _action_text(action: dict[str, Any]) -> dict[str, str]:
    indicators = "; ".join(
        f"{i['name']}: {i['baseline'] or '?'} → {i['target']} {i['unit']}".strip()
        for i in action.get("indicators", [])
    )
    return {
        **{name: str(action.get(name, "")) for name in ACTION_FIELDS},
        "key_factors": ", ".join(action.get("key_factors", [])),
        "adapts_practice": str(action.get("adapts_practice", "")),
        "indicators": indicators,
    }


def versions_compare(old: dict[str, Any], new: dict[str, Any], labels: dict[str, str]) -> list[Any]:
    """Rows for the side-by-side view: the sections, then every action matched by its id (an
    action only on one side is shown against an empty one), then the risks."""
    rows = [diff_texts(labels[n], str(old.get(n, "")), str(new.get(n, ""))) for n in SECTIONS]
    old_actions = {a["id"]: a for a in old.get("actions", [])}
    new_actions = {a["id"]: a for a in new.get("actions", [])}
    for action_id in list(old_actions) + [i for i in new_actions if i not in old_actions]:
        before = _action_text(old_actions.get(action_id, {}))
        after = _action_text(new_actions.get(action_id, {}))
        title = after["title"] or before["title"]
        for name in before:
            row = diff_texts(f"{title} · {labels.get(name, name)}", before[name], after[name])
            if row.changed or name == "title":
                rows.append(row)
    risk_text = [
        "; ".join(f"{r['description']} ({r['likelihood']}/{r['impact']})" for r in side)
        for side in (old.get("risks", []), new.get("risks", []))
    ]
    rows.append(diff_texts(labels["risks"], risk_text[0], risk_text[1]))
    return rows
