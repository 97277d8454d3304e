"""Benchmarks and self-assessments for a programme built by tests.factories.build_programme."""

from django.utils import timezone

from assessments.choices import AssessmentStatus, BenchmarkStatus, Phase
from assessments.models import (
    AdditionalFactor,
    Benchmark,
    GuidingQuestion,
    KeyFactor,
    Rating,
    SelfAssessment,
    ThemeWishes,
)
from programmes.models import Programme, SchemeMember


def publish_benchmarks(programme: Programme, factors: int = 6) -> list[Benchmark]:
    benchmarks = []
    for theme in programme.themes.all():
        benchmark = Benchmark.objects.create(theme=theme, version=1, title=f"Benchmark {theme}")
        for order in range(1, factors + 1):
            factor = KeyFactor.objects.create(
                benchmark=benchmark,
                code=f"{theme.code.lower()}{order}",
                order=order,
                title=f"Key factor {order}",
                why_and_how="Why it matters and how cities do it.",
            )
            GuidingQuestion.objects.create(key_factor=factor, order=1, text="Is it in place?")
        AdditionalFactor.objects.create(benchmark=benchmark, order=1, title="National law")
        benchmark.status, benchmark.published_at = BenchmarkStatus.PUBLISHED, timezone.now()
        benchmark.save()
        benchmarks.append(benchmark)
    return benchmarks


def assess_every_member(programme: Programme, status: str = AssessmentStatus.ACCEPTED) -> None:
    """Each scheme member rates its scheme's theme at baseline: mentors high, implementers low."""
    members = SchemeMember.objects.filter(programme=programme).select_related("scheme__theme")
    for member in members:
        theme = member.scheme.theme
        benchmark = Benchmark.objects.get(theme=theme, status=BenchmarkStatus.PUBLISHED)
        assessment = SelfAssessment.objects.create(
            programme=programme,
            city=member.city,
            theme=theme,
            benchmark=benchmark,
            phase=Phase.BASELINE,
        )
        high = member.role == "mentor"
        Rating.objects.bulk_create(
            Rating(
                assessment=assessment,
                key_factor=factor,
                level=3 if high else (factor.order % 2),
                priority=1 if high else 3,
                evidence="Evidence",
            )
            for factor in benchmark.key_factors.all()
        )
        if status != AssessmentStatus.DRAFT:
            assessment.status, assessment.submitted_at = status, timezone.now()
            assessment.save()
        wishes = ThemeWishes.objects.create(programme=programme, city=member.city)
        (wishes.mentor_themes if high else wishes.implement_themes).set([theme])
