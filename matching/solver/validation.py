"""Turn untrusted JSON-like data into a `Problem`, or explain every way it is wrong.

Validation collects all errors, each with a JSON path such as `cities[3].scores.A`, because
people fix an input file in one pass rather than one error per run. Unknown fields are errors
too: a misspelt `max_mentee` silently falling back to its default would be worse.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from matching.solver.problem import (
    FORMAT_NAME,
    FORMAT_VERSION,
    ROLES,
    SAME_COUNTRY_VALUES,
    City,
    Constraints,
    Fixed,
    Problem,
    ProblemError,
    Role,
    Theme,
)

_TOP_FIELDS = {"format", "version", "meta", "themes", "cities", "constraints"}
_CITY_FIELDS = {"id", "country", "mentor_themes", "implement_themes", "max_mentees", "scores"}
_CONSTRAINT_FIELDS = {"same_country", "require_all", "forbidden_pairs", "fixed"}


class _Errors:
    """Collects `{"path", "message"}` entries while validation walks the input."""

    def __init__(self) -> None:
        self.items: list[dict[str, str]] = []

    def add(self, path: str, message: str) -> None:
        self.items.append({"path": path, "message": message})


def _kind(value: object) -> str:
    """How a JSON value is called in messages, e.g. 'a list' or 'null'."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    names: dict[type, str] = {dict: "an object", list: "a list", str: "a string"}
    return names.get(type(value), type(value).__name__)


def _is_count(value: object, minimum: int) -> bool:
    """A whole number >= minimum; JSON true/false are not numbers here."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= minimum


def _check_fields(
    obj: Mapping[str, Any], path: str, allowed: set[str], required: set[str], err: _Errors
) -> None:
    prefix = f"{path}." if path else ""
    for key in obj:
        if key not in allowed:
            err.add(f"{prefix}{key}", f"unknown field {key!r}; known fields: {sorted(allowed)}")
    for key in sorted(required - set(obj)):
        err.add(f"{prefix}{key}", f"missing required field {key!r}")


def _text(obj: Mapping[str, Any], key: str, path: str, err: _Errors) -> str | None:
    """A required non-empty string field (missing fields are reported by _check_fields)."""
    if key not in obj:
        return None
    value = obj[key]
    if not isinstance(value, str) or not value.strip():
        err.add(f"{path}.{key}", f"must be a non-empty string, got {_kind(value)}")
        return None
    return value


def _themes(data: Any, err: _Errors) -> list[Theme]:
    if not isinstance(data, list):
        err.add("themes", f"must be a list of themes, got {_kind(data)}")
        return []
    if not data:
        err.add("themes", "must list at least one theme: with no themes there is nothing to match")
    themes: list[Theme] = []
    seen: set[str] = set()
    for n, raw in enumerate(data):
        path = f"themes[{n}]"
        if not isinstance(raw, dict):
            err.add(path, f"must be an object with 'id' and 'pairs', got {_kind(raw)}")
            continue
        _check_fields(raw, path, {"id", "pairs"}, {"id", "pairs"}, err)
        theme_id = _text(raw, "id", path, err)
        pairs = raw.get("pairs")
        if "pairs" in raw and not _is_count(pairs, 0):
            err.add(f"{path}.pairs", f"must be a whole number, 0 or more, got {pairs!r}")
        if theme_id is not None and theme_id in seen:
            err.add(f"{path}.id", f"duplicate theme id {theme_id!r}")
        elif theme_id is not None:
            seen.add(theme_id)
            themes.append(Theme(theme_id, cast(int, pairs) if _is_count(pairs, 0) else 0))
    return themes


def _theme_list(
    raw: Mapping[str, Any], key: str, path: str, themes: set[str], err: _Errors
) -> list[str]:
    value = raw.get(key, [])
    if not isinstance(value, list):
        err.add(f"{path}.{key}", f"must be a list of theme ids, got {_kind(value)}")
        return []
    result: list[str] = []
    for n, theme_id in enumerate(value):
        where = f"{path}.{key}[{n}]"
        if not isinstance(theme_id, str):
            err.add(where, f"must be a theme id (a string), got {_kind(theme_id)}")
        elif theme_id not in themes:
            err.add(where, f"unknown theme {theme_id!r}")
        elif theme_id in result:
            err.add(where, f"theme {theme_id!r} is listed twice")
        else:
            result.append(theme_id)
    return result


def _scores(
    raw: Any,
    path: str,
    city: str,
    themes: set[str],
    needed: list[str],
    lengths: dict[str, tuple[int, str]],
    err: _Errors,
) -> dict[str, tuple[int, ...]]:
    """A city's levels per theme; `lengths` keeps the first city's factor count per theme."""
    if not isinstance(raw, dict):
        err.add(path, f"must be an object mapping theme ids to lists of levels, got {_kind(raw)}")
        return {}
    scores: dict[str, tuple[int, ...]] = {}
    for theme_id, levels in raw.items():
        where = f"{path}.{theme_id}"
        if theme_id not in themes:
            err.add(where, f"levels for unknown theme {theme_id!r}")
            continue
        if not isinstance(levels, list):
            err.add(where, f"must be a list of levels (whole numbers), got {_kind(levels)}")
            continue
        bad = [n for n, level in enumerate(levels) if not _is_count(level, 0)]
        for n in bad:
            err.add(
                f"{where}[{n}]", f"a level must be a whole number, 0 or more, got {levels[n]!r}"
            )
        if bad:
            continue
        expected = lengths.setdefault(theme_id, (len(levels), city))
        if expected[0] != len(levels):
            err.add(
                where,
                f"has {len(levels)} key factor levels, but theme {theme_id!r} has "
                f"{expected[0]} (as given first by {expected[1]})",
            )
            continue
        scores[theme_id] = tuple(levels)
    for theme_id in needed:
        if theme_id not in raw:
            err.add(
                f"{path}.{theme_id}",
                f"missing levels for theme {theme_id!r}, which the city offers to mentor or "
                "wants to implement",
            )
    return scores


def _cities(data: Any, themes: set[str], err: _Errors) -> tuple[list[City], set[str]]:
    """The valid cities, and every city id given (so references to a city with an error in it
    are not reported a second time as unknown)."""
    if not isinstance(data, list):
        err.add("cities", f"must be a list of cities, got {_kind(data)}")
        return [], set()
    if not data:
        err.add("cities", "must list at least one city: with no cities there is nothing to match")
    cities: list[City] = []
    seen: set[str] = set()
    lengths: dict[str, tuple[int, str]] = {}
    for n, raw in enumerate(data):
        path = f"cities[{n}]"
        if not isinstance(raw, dict):
            err.add(path, f"must be an object describing a city, got {_kind(raw)}")
            continue
        _check_fields(raw, path, _CITY_FIELDS, {"id", "country", "scores"}, err)
        city_id = _text(raw, "id", path, err)
        country = _text(raw, "country", path, err)
        if city_id is not None and city_id in seen:
            err.add(f"{path}.id", f"duplicate city id {city_id!r}")
            city_id = None
        elif city_id is not None:
            seen.add(city_id)
        mentor = _theme_list(raw, "mentor_themes", path, themes, err)
        implement = _theme_list(raw, "implement_themes", path, themes, err)
        max_mentees = raw.get("max_mentees", 1)
        if not _is_count(max_mentees, 1):
            err.add(
                f"{path}.max_mentees", f"must be a whole number, 1 or more, got {max_mentees!r}"
            )
            max_mentees = 1
        needed = mentor + [t for t in implement if t not in mentor]
        label = city_id or path
        scores = (
            _scores(raw["scores"], f"{path}.scores", label, themes, needed, lengths, err)
            if "scores" in raw
            else {}
        )
        if city_id is not None and country is not None:
            cities.append(
                City(city_id, country, tuple(mentor), tuple(implement), max_mentees, scores)
            )
    return cities, seen


def _city_ref(value: Any, path: str, cities: set[str], err: _Errors) -> str | None:
    if not isinstance(value, str):
        err.add(path, f"must be a city id (a string), got {_kind(value)}")
        return None
    if value not in cities:
        err.add(path, f"unknown city {value!r}")
        return None
    return value


def _forbidden(data: Any, cities: set[str], err: _Errors) -> frozenset[frozenset[str]]:
    path = "constraints.forbidden_pairs"
    if not isinstance(data, list):
        err.add(path, f"must be a list of [city, city] pairs, got {_kind(data)}")
        return frozenset()
    pairs: set[frozenset[str]] = set()
    for n, raw in enumerate(data):
        where = f"{path}[{n}]"
        if not isinstance(raw, list) or len(raw) != 2:
            err.add(where, f"must be a list of exactly two city ids, got {raw!r}")
            continue
        a = _city_ref(raw[0], f"{where}[0]", cities, err)
        b = _city_ref(raw[1], f"{where}[1]", cities, err)
        if a is not None and a == b:
            err.add(where, f"names {a!r} twice; a forbidden pair needs two different cities")
        elif a is not None and b is not None:
            pairs.add(frozenset((a, b)))
    return frozenset(pairs)


def _fixed(data: Any, cities: set[str], themes: set[str], err: _Errors) -> list[Fixed]:
    path = "constraints.fixed"
    if not isinstance(data, list):
        err.add(path, f"must be a list of {{city, role, theme}} objects, got {_kind(data)}")
        return []
    entries: list[Fixed] = []
    for n, raw in enumerate(data):
        where = f"{path}[{n}]"
        if not isinstance(raw, dict):
            err.add(
                where,
                f"must be an object with 'city' and optional 'role'/'theme', got {_kind(raw)}",
            )
            continue
        _check_fields(raw, where, {"city", "role", "theme"}, {"city"}, err)
        city = _city_ref(raw["city"], f"{where}.city", cities, err) if "city" in raw else None
        role, theme = raw.get("role"), raw.get("theme")
        ok = city is not None
        if role is not None and role not in ROLES:
            err.add(
                f"{where}.role", f"must be 'mentor' or 'implementer' (or left out), got {role!r}"
            )
            ok = False
        if theme is not None and (not isinstance(theme, str) or theme not in themes):
            err.add(f"{where}.theme", f"unknown theme {theme!r}")
            ok = False
        if ok and city is not None:
            entries.append(Fixed(city, cast(Role | None, role), theme))
    return entries


def _constraints(data: Any, cities: set[str], themes: set[str], err: _Errors) -> Constraints:
    if data is None:
        return Constraints()
    if not isinstance(data, dict):
        err.add("constraints", f"must be an object, got {_kind(data)}")
        return Constraints()
    _check_fields(data, "constraints", _CONSTRAINT_FIELDS, set(), err)
    same_country = data.get("same_country", "allow")
    if same_country not in SAME_COUNTRY_VALUES:
        err.add("constraints.same_country", f"must be 'allow' or 'forbid', got {same_country!r}")
        same_country = "allow"
    require_all = data.get("require_all", True)
    if not isinstance(require_all, bool):
        err.add("constraints.require_all", f"must be true or false, got {require_all!r}")
        require_all = True
    forbidden = _forbidden(data.get("forbidden_pairs", []), cities, err)
    fixed = _fixed(data.get("fixed", []), cities, themes, err)
    return Constraints(same_country, require_all, forbidden, tuple(fixed))


def validate_problem(data: Any) -> Problem:
    """Check a decoded JSON problem (format version 1); raise ProblemError listing every error."""
    err = _Errors()
    if isinstance(data, Mapping) and not isinstance(data, dict):
        data = dict(data)
    if not isinstance(data, dict):
        raise ProblemError(
            [{"path": "", "message": f"the problem must be a JSON object, got {_kind(data)}"}]
        )
    if "format" in data and data["format"] != FORMAT_NAME:
        err.add("format", f"must be {FORMAT_NAME!r} when given, got {data['format']!r}")
    if "version" in data and (
        data["version"] != FORMAT_VERSION or isinstance(data["version"], bool)
    ):
        raise ProblemError(
            [
                {
                    "path": "version",
                    "message": f"unsupported format version {data['version']!r}; "
                    f"this solver reads version {FORMAT_VERSION}",
                }
            ]
        )
    _check_fields(data, "", _TOP_FIELDS, {"themes", "cities"}, err)
    themes = _themes(data.get("themes", []), err) if "themes" in data else []
    theme_ids = {t.id for t in themes}
    cities, city_ids = _cities(data["cities"], theme_ids, err) if "cities" in data else ([], set())
    constraints = _constraints(data.get("constraints"), city_ids, theme_ids, err)
    if err.items:
        raise ProblemError(err.items)
    return Problem(tuple(themes), tuple(cities), constraints)
