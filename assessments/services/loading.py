"""Load benchmarks, and demo wishes and self-assessments, from a data file (format
`assessment-data`, version 1; see docs/operators.md).

Idempotent: a published benchmark version is frozen, so a version already in the database is left
as it is (and reported when the file differs); demo wishes and assessments are created only when
missing, because after loading they belong to the cities' officers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from programmes.models import City, Programme, RatingLevel, Theme

from ..choices import AssessmentStatus, BenchmarkStatus, Phase, Priority
from ..models import (
    AdditionalFactor,
    Benchmark,
    GuidingQuestion,
    KeyFactor,
    Rating,
    SelfAssessment,
    ThemeWishes,
)

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DEFAULT_FILE = DATA_DIR / "benchmarks-cities-grow.json"
FORMAT, FORMAT_VERSION = "assessment-data", 1
# Imported assessments arrive in these states (the loader is the only writer of a status besides
# assessments.workflow: it records states reached before the platform existed).
_LOADABLE_STATUSES = (AssessmentStatus.DRAFT, AssessmentStatus.SUBMITTED, AssessmentStatus.ACCEPTED)


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    differs: list[str] = field(default_factory=list)

    def count(self, kind: str) -> None:
        self.created[kind] = self.created.get(kind, 0) + 1

    @property
    def changed_anything(self) -> bool:
        return bool(self.created)


def assessment_data_load_file(path: Path) -> LoadReport:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise DomainError(
            _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error}
        ) from error
    return assessment_data_load(data)


def assessment_data_load(data: Any) -> LoadReport:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise DomainError(_("This is not an assessment data file (format “%s”).") % FORMAT)
    if data.get("format_version") != FORMAT_VERSION:
        raise DomainError(
            _("Assessment data version %(found)s is not supported (expected %(expected)s).")
            % {"found": data.get("format_version"), "expected": FORMAT_VERSION}
        )
    programme = Programme.objects.filter(slug=data.get("programme")).first()
    if programme is None:
        raise DomainError(
            _("Load the programme “%(slug)s” first.") % {"slug": data.get("programme")}
        )
    report = LoadReport()
    themes = {t.code: t for t in Theme.objects.filter(programme=programme)}
    cities = {c.slug: c for c in City.objects.all()}
    try:
        with transaction.atomic():
            for item in data.get("benchmarks", []):
                _load_benchmark(item, _lookup(themes, item.get("theme"), "theme"), report)
            for item in data.get("wishes", []):
                _load_wishes(programme, item, themes, cities, report)
            levels = set(
                RatingLevel.objects.filter(programme=programme).values_list("level", flat=True)
            )
            for item in data.get("assessments", []):
                _load_assessment(programme, item, themes, cities, levels, report)
    except (KeyError, TypeError, ValueError) as error:
        raise DomainError(_("The assessment data file is malformed: %s") % error) from error
    return report


def _lookup(table: dict[str, Any], key: Any, kind: str) -> Any:
    if key not in table:
        raise DomainError(
            _("Unknown %(kind)s “%(key)s” in the data file.") % {"kind": kind, "key": key}
        )
    return table[key]


def _benchmark_content(item: dict[str, Any]) -> Any:
    return (
        item["title"],
        item.get("introduction", ""),
        [
            (f["code"], f["title"], f["why_and_how"], list(f["questions"]))
            for f in item["key_factors"]
        ],
        [(f["title"], f.get("description", "")) for f in item.get("additional_factors", [])],
    )


def _stored_content(benchmark: Benchmark) -> Any:
    return (
        benchmark.title,
        benchmark.introduction,
        [
            (f.code, f.title, f.why_and_how, [q.text for q in f.questions.all()])
            for f in benchmark.key_factors.prefetch_related("questions")
        ],
        [(f.title, f.description) for f in benchmark.additional_factors.all()],
    )


def _load_benchmark(item: dict[str, Any], theme: Theme, report: LoadReport) -> None:
    version = int(item["version"])
    existing = Benchmark.objects.filter(theme=theme, version=version).first()
    if existing is not None:
        if _stored_content(existing) != _benchmark_content(item):
            report.differs.append(f"{theme.code} v{version}")
        return
    benchmark = Benchmark.objects.create(
        theme=theme,
        version=version,
        title=item["title"],
        introduction=item.get("introduction", ""),
        illustrative=bool(item.get("illustrative", False)),
    )
    for order, factor in enumerate(item["key_factors"], start=1):
        key_factor = KeyFactor(
            benchmark=benchmark,
            code=factor["code"],
            order=order,
            title=factor["title"],
            why_and_how=factor["why_and_how"],
        )
        key_factor.full_clean()
        key_factor.save()
        for q_order, text in enumerate(factor["questions"], start=1):
            GuidingQuestion.objects.create(key_factor=key_factor, order=q_order, text=text)
    for order, extra in enumerate(item.get("additional_factors", []), start=1):
        AdditionalFactor.objects.create(
            benchmark=benchmark,
            order=order,
            title=extra["title"],
            description=extra.get("description", ""),
        )
    benchmark.status = BenchmarkStatus.PUBLISHED
    benchmark.published_at = timezone.now()
    benchmark.save()
    report.count("benchmarks")


def _load_wishes(
    programme: Programme,
    item: dict[str, Any],
    themes: dict[str, Theme],
    cities: dict[str, City],
    report: LoadReport,
) -> None:
    city = _lookup(cities, item["city"], "city")
    if ThemeWishes.objects.filter(programme=programme, city=city).exists():
        return
    wishes = ThemeWishes.objects.create(
        programme=programme,
        city=city,
        max_mentees=int(item.get("max_mentees", 1)),
        illustrative=bool(item.get("illustrative", False)),
    )
    wishes.mentor_themes.set([_lookup(themes, c, "theme") for c in item.get("mentor", [])])
    wishes.implement_themes.set([_lookup(themes, c, "theme") for c in item.get("implement", [])])
    report.count("theme wishes")


def _load_assessment(
    programme: Programme,
    item: dict[str, Any],
    themes: dict[str, Theme],
    cities: dict[str, City],
    levels: set[int],
    report: LoadReport,
) -> None:
    city = _lookup(cities, item["city"], "city")
    theme = _lookup(themes, item["theme"], "theme")
    phase = item.get("phase", Phase.BASELINE)
    status = item.get("status", AssessmentStatus.DRAFT)
    if phase not in Phase.values or status not in _LOADABLE_STATUSES:
        raise DomainError(_("Unknown phase or status in the assessment of %s.") % city.name)
    if SelfAssessment.objects.filter(
        programme=programme, city=city, theme=theme, phase=phase
    ).exists():
        return
    benchmark = (
        Benchmark.objects.filter(theme=theme, status=BenchmarkStatus.PUBLISHED)
        .order_by("-version")
        .first()
    )
    if benchmark is None:
        raise DomainError(_("Theme %s has no published benchmark to assess.") % theme.code)
    assessment = SelfAssessment.objects.create(
        programme=programme,
        city=city,
        theme=theme,
        benchmark=benchmark,
        phase=phase,
        illustrative=bool(item.get("illustrative", False)),
    )
    factors = {f.code: f for f in benchmark.key_factors.all()}
    unknown = set(item["ratings"]) - set(factors)
    if unknown:
        raise DomainError(
            _("Unknown key factors %(codes)s in the assessment of %(city)s.")
            % {"codes": ", ".join(sorted(unknown)), "city": city.name}
        )
    for code, factor in factors.items():
        level, priority, evidence = item["ratings"].get(code, (None, None, ""))
        if level is not None and level not in levels:
            raise DomainError(
                _("Level %(level)s is not on the rating scale (%(city)s, %(code)s).")
                % {"level": level, "city": city.name, "code": code}
            )
        if priority is not None and priority not in Priority.values:
            raise DomainError(_("Unknown priority in the assessment of %s.") % city.name)
        Rating.objects.create(
            assessment=assessment,
            key_factor=factor,
            level=level,
            priority=priority,
            evidence=evidence,
        )
    if status != AssessmentStatus.DRAFT:
        assessment.status = status
        assessment.submitted_at = _moment(item.get("submitted_on"))
        if status == AssessmentStatus.ACCEPTED:
            assessment.reviewed_at = _moment(item.get("reviewed_on"))
        assessment.save()
    report.count("self-assessments")


def _moment(day: str | None) -> datetime:
    """A day of the data file (ISO, optional) as noon of that day; no day: now."""
    if not day:
        return timezone.now()
    try:
        return datetime.combine(
            date.fromisoformat(day), time(12), tzinfo=timezone.get_current_timezone()
        )
    except ValueError as error:
        raise DomainError(_("“%(day)s” is not a date (YYYY-MM-DD).") % {"day": day}) from error
