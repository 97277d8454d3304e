"""Derived search data of practices, rebuilt whenever a practice is saved or changes state:
its plain `search_text` (the full-text index reads it, see search/index.py), its facet rows,
and the vocabulary that typo correction draws from. Searches notice the change by themselves
(see search.engine._fingerprint)."""

import re
import uuid
from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch

from core.richtext import html_to_text, one_line
from programmes.models import CharterCommitment

from ..choices import TargetGroup
from ..models import GoodPractice, PracticeFacet, SearchTerm, SearchVersion
from ..search.stemming import stems

WORD = re.compile(r"[^\W\d_]{3,40}")


class Facet:
    """The facets of the search, in the order the page shows them."""

    THEME = "theme"
    KEY_FACTOR = "key_factor"
    CHARTER_ROLE = "charter_role"
    MODULE = "module"
    COUNTRY = "country"
    CITY = "city"
    TARGET_GROUP = "target_group"
    SOURCE = "source"
    YEAR = "year"
    STATUS = "status"
    ALL = (
        THEME,
        KEY_FACTOR,
        CHARTER_ROLE,
        MODULE,
        COUNTRY,
        CITY,
        TARGET_GROUP,
        SOURCE,
        YEAR,
        STATUS,
    )


def _with_relations(ids: Iterable[int]) -> list[GoodPractice]:
    return list(
        GoodPractice.objects.filter(pk__in=list(ids))
        .select_related("european_module")
        .prefetch_related(
            "themes",
            Prefetch("key_factors", to_attr="factor_list"),
            Prefetch(
                "commitments",
                queryset=CharterCommitment.objects.select_related("role"),
                to_attr="commitment_list",
            ),
        )
    )


def _prefetched(practice: GoodPractice, name: str) -> list[Any]:
    """A relation prefetched `to_attr` (see _with_relations)."""
    found: list[Any] = getattr(practice, name)
    return found


def _search_text(practice: GoodPractice) -> str:
    target_labels = {value: str(label) for value, label in TargetGroup.choices}
    parts = [
        html_to_text(practice.description),
        practice.organisation,
        practice.city_name,
        str(practice.country.name),
        practice.results,
        practice.evidence,
        practice.source_name,
        " ".join(t.title for t in practice.themes.all()),
        " ".join(f.title for f in _prefetched(practice, "factor_list")),
        " ".join(target_labels.get(code, "") for code in practice.target_groups),
    ]
    # Control characters would collide with the highlight markers of search snippets.
    return re.sub(r"[\x00-\x08\x0b-\x1f]", " ", "\n".join(p for p in parts if p))


def _facet_rows(practice: GoodPractice) -> list[PracticeFacet]:
    values: set[tuple[str, str]] = set()
    values |= {(Facet.THEME, t.code) for t in practice.themes.all()}
    values |= {(Facet.KEY_FACTOR, f.code) for f in _prefetched(practice, "factor_list")}
    values |= {(Facet.CHARTER_ROLE, c.role.code) for c in _prefetched(practice, "commitment_list")}
    values |= {(Facet.TARGET_GROUP, code) for code in practice.target_groups}
    if practice.european_module is not None:
        values.add((Facet.MODULE, str(practice.european_module.number)))
    values.add((Facet.COUNTRY, str(practice.country)))
    values.add((Facet.CITY, one_line(practice.city_name)[:120]))
    if practice.source_name:
        values.add((Facet.SOURCE, practice.source_name[:120]))
    if practice.start_year:
        values.add((Facet.YEAR, str(practice.start_year)))
    values.add((Facet.STATUS, practice.status))
    return [PracticeFacet(practice=practice, facet=f, value=v) for f, v in sorted(values)]


def practices_index(ids: Iterable[int]) -> None:
    """Rebuild the search text, facets and vocabulary of these practices (inside the caller's
    transaction). Bulk: the loaders index thousands at once."""
    practices = _with_relations(ids)
    if not practices:
        return
    PracticeFacet.objects.filter(practice__in=practices).delete()
    rows: list[PracticeFacet] = []
    words: set[str] = set()
    for practice in practices:
        practice.search_text = _search_text(practice)
        text = f"{practice.title} {practice.summary} {practice.search_text}"
        practice.search_stems = stems(text, practice.language)
        rows.extend(_facet_rows(practice))
        if practice.is_published:
            words |= {w.lower() for w in WORD.findall(text)}
    GoodPractice.objects.bulk_update(practices, ["search_text", "search_stems"], batch_size=500)
    PracticeFacet.objects.bulk_create(rows, batch_size=2000)
    if words:
        SearchTerm.objects.bulk_create(
            [SearchTerm(term=w) for w in sorted(words)], ignore_conflicts=True, batch_size=2000
        )
    search_data_changed()


def search_data_changed() -> None:
    """A new version of the search data: every process rebuilds its in-memory index."""
    SearchVersion.objects.update_or_create(pk=1, defaults={"token": uuid.uuid4()})
