"""The codes a practice refers to (themes, key factors, commitments, modules, platform cities),
loaded once so that validating ten thousand imported rows costs a handful of queries."""

from dataclasses import dataclass, field

from assessments.choices import BenchmarkStatus
from assessments.models import KeyFactor
from programmes.models import CharterCommitment, City, EuropeanModule

from ..models import PracticeTheme


@dataclass
class References:
    themes: dict[str, PracticeTheme] = field(default_factory=dict)
    # code -> the key factor of the newest published benchmark of a practice theme
    key_factors: dict[str, KeyFactor] = field(default_factory=dict)
    # key factor code -> the practice theme it belongs to
    key_factor_theme: dict[str, str] = field(default_factory=dict)
    commitments: dict[str, CharterCommitment] = field(default_factory=dict)
    modules: dict[int, EuropeanModule] = field(default_factory=dict)
    # (lower-case name, country code) -> platform city
    cities: dict[tuple[str, str], City] = field(default_factory=dict)

    @classmethod
    def load(cls) -> "References":
        refs = cls()
        refs.themes = {t.code: t for t in PracticeTheme.objects.select_related("european_module")}
        theme_of_programme_theme = {
            t.programme_theme_id: t.code for t in refs.themes.values() if t.programme_theme_id
        }
        factors = (
            KeyFactor.objects.filter(
                benchmark__status=BenchmarkStatus.PUBLISHED,
                benchmark__theme_id__in=theme_of_programme_theme,
            )
            .select_related("benchmark__theme")
            .order_by("benchmark__version")  # the newest version wins below
        )
        for factor in factors:
            refs.key_factors[factor.code] = factor
            refs.key_factor_theme[factor.code] = theme_of_programme_theme[factor.benchmark.theme_id]
        refs.commitments = {c.code: c for c in CharterCommitment.objects.select_related("role")}
        refs.modules = {m.number: m for m in EuropeanModule.objects.all()}
        refs.cities = {(c.name.lower(), str(c.country)): c for c in City.objects.all()}
        return refs
