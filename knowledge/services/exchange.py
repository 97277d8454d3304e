"""Import and export of practices, in CSV and JSON (the format is in docs/practices-format.md).

An import validates every row before it writes anything: a file with one bad row writes nothing
and reports every bad row with its number. Rows are matched to practices by `reference`, so
importing an export again changes nothing, and an unchanged row is not written at all.

A CSV export is written through core.spreadsheets: a text a spreadsheet would take for a
formula (starting with =, +, -, @, a tab or a carriage return) gets a leading single quote, and
the import removes it again, so the round trip stays lossless.
"""

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import attribute_to
from core.spreadsheets import csv_records, csv_value_read
from programmes.models import EuropeanModule, Theme

from ..choices import PracticeState
from ..models import GoodPractice, PracticeTheme
from .indexing import practices_index
from .practices import (
    LinkInput,
    PracticeInput,
    practice_apply,
    practice_input_errors,
    practice_input_normalised,
    practice_input_of,
)
from .references import References

FORMAT = "cities-grow-practices"
FORMAT_VERSION = 1
DATA_DIR = Path(__file__).resolve().parent.parent / "data"
THEMES_FILE = DATA_DIR / "themes.json"
CORPUS_FILE = DATA_DIR / "practices-illustrative.json"
CSV_COLUMNS = [
    "reference",
    "title",
    "city",
    "country",
    "organisation",
    "summary",
    "description",
    "themes",
    "key_factors",
    "commitments",
    "european_module",
    "target_groups",
    "start_year",
    "status",
    "results",
    "evidence",
    "budget_range",
    "contact_name",
    "contact_email",
    "contact_consent",
    "links",
    "language",
    "source_kind",
    "source_name",
    "state",
    "illustrative",
]
LIST_SEPARATOR = ";"
TRUE, FALSE = {"yes", "true", "1"}, {"no", "false", "0", ""}


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    message: str

    def __str__(self) -> str:
        return _("Row %(row)s, %(field)s: %(message)s") % {
            "row": self.row,
            "field": self.field,
            "message": self.message,
        }


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class Row:
    number: int
    practice: PracticeInput
    state: str


# ---------------------------------------------------------------- reading


def practice_themes_load() -> int:
    """Create or update the eleven toolkit themes (idempotent); returns how many changed."""
    data = json.loads(THEMES_FILE.read_text(encoding="utf-8"))
    modules = {m.number: m for m in EuropeanModule.objects.all()}
    changed = 0
    for order, item in enumerate(data["themes"], start=1):
        programme_theme = None
        if item.get("programme"):
            programme_theme = Theme.objects.filter(
                programme__slug=item["programme"], code=item["programme_theme"]
            ).first()
        values = {
            "title": item["title"],
            "source_name": item["source_name"],
            "order": order,
            "european_module": modules.get(item.get("european_module")),
            "programme_theme": programme_theme,
        }
        theme = PracticeTheme.objects.filter(code=item["code"]).first()
        if theme and all(getattr(theme, k) == v for k, v in values.items()):
            continue
        PracticeTheme.objects.update_or_create(code=item["code"], defaults=values)
        changed += 1
    return changed


def _text(raw: dict[str, Any], key: str) -> str:
    value = raw.get(key)
    return "" if value is None else str(value)


def _codes(value: Any) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(str(v).strip() for v in value if str(v).strip())
    return tuple(v.strip() for v in str(value or "").split(LIST_SEPARATOR) if v.strip())


def _integer(value: Any, name: str, problems: dict[str, str]) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(str(value).strip())
    except ValueError:
        problems[name] = _("Give a whole number.")
        return None


def _boolean(value: Any, name: str, problems: dict[str, str]) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value or "").strip().lower()
    if text in TRUE | FALSE:
        return text in TRUE
    problems[name] = _("Write yes or no.")
    return False


def _links(value: Any, problems: dict[str, str]) -> tuple[LinkInput, ...]:
    if isinstance(value, str):
        if not value.strip():
            return ()
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            problems["links"] = _("Write the links as a JSON list (see the format).")
            return ()
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        problems["links"] = _("Write the links as a list of objects (see the format).")
        return ()
    return tuple(
        LinkInput(
            kind=_text(v, "kind"),
            url=_text(v, "url"),
            title=_text(v, "title"),
            description=_text(v, "description"),
        )
        for v in value
    )


def _row(number: int, raw: dict[str, Any], refs: References) -> tuple[Row | None, list[RowError]]:
    """One row as input, with every problem it has (conversion and validation)."""
    problems: dict[str, str] = {}
    contact: dict[str, Any] = raw["contact"] if isinstance(raw.get("contact"), dict) else {}
    source: dict[str, Any] = raw["source"] if isinstance(raw.get("source"), dict) else {}
    data = PracticeInput(
        reference=_text(raw, "reference").strip(),
        title=_text(raw, "title"),
        city_name=_text(raw, "city"),
        country=_text(raw, "country").strip().upper(),
        organisation=_text(raw, "organisation"),
        summary=_text(raw, "summary"),
        description=_text(raw, "description"),
        themes=_codes(raw.get("themes")),
        key_factors=_codes(raw.get("key_factors")),
        commitments=_codes(raw.get("commitments")),
        european_module=_integer(raw.get("european_module"), "european_module", problems),
        target_groups=_codes(raw.get("target_groups")),
        start_year=_integer(raw.get("start_year"), "start_year", problems),
        status=_text(raw, "status") or "ongoing",
        results=_text(raw, "results"),
        evidence=_text(raw, "evidence"),
        budget_range=_text(raw, "budget_range") or "unknown",
        contact_name=_text(contact, "name") or _text(raw, "contact_name"),
        contact_email=_text(contact, "email") or _text(raw, "contact_email"),
        contact_consent=_boolean(
            contact.get("consent", raw.get("contact_consent")), "contact_consent", problems
        ),
        links=_links(raw.get("links") or [], problems),
        language=_text(raw, "language") or "en",
        source_kind=_text(source, "kind") or _text(raw, "source_kind") or "toolkit",
        source_name=_text(source, "name") or _text(raw, "source_name"),
        illustrative=_boolean(raw.get("illustrative"), "illustrative", problems),
    )
    state = _text(raw, "state") or PracticeState.DRAFT
    if state not in PracticeState.values:
        problems["state"] = _("Choose one of: %(choices)s.") % {
            "choices": ", ".join(PracticeState.values)
        }
    for name, message in practice_input_errors(data, refs).items():
        problems.setdefault(name, message)
    errors = [RowError(number, _public_name(name), msg) for name, msg in problems.items()]
    return (None if errors else Row(number, data, state)), errors


def _public_name(field_name: str) -> str:
    return "city" if field_name == "city_name" else field_name


def read_rows(content: str, file_format: str) -> tuple[list[tuple[int, dict[str, Any]]], str]:
    """The file's records with their row numbers, or a message why the file cannot be read.

    CSV rows are numbered as a spreadsheet shows them (the header is row 1); JSON practices
    from 1 in the order of the `practices` list.
    """
    if file_format == "csv":
        reader = csv.DictReader(io.StringIO(content))
        missing = [c for c in ("reference", "title") if c not in (reader.fieldnames or [])]
        if missing:
            return [], _("The CSV file has no column %(columns)s.") % {
                "columns": ", ".join(missing)
            }
        return [(number, _csv_read(raw)) for number, raw in enumerate(reader, start=2)], ""
    try:
        data = json.loads(content)
    except json.JSONDecodeError as error:
        return [], _("The JSON file cannot be read: %(error)s.") % {"error": error}
    items = data.get("practices") if isinstance(data, dict) else data
    if not isinstance(items, list):
        return [], _('The JSON file needs a list of practices under "practices".')
    if isinstance(data, dict) and data.get("format_version", FORMAT_VERSION) != FORMAT_VERSION:
        return [], _("This file is in format version %(v)s; this platform reads version 1.") % {
            "v": data.get("format_version")
        }
    return [(n, item if isinstance(item, dict) else {}) for n, item in enumerate(items, 1)], ""


def _csv_read(raw: dict[Any, Any]) -> dict[str, Any]:
    """A CSV row's fields as the people typed them (without the quote the export added)."""
    return {k: csv_value_read(v) if isinstance(v, str) else v for k, v in raw.items()}


def practices_import(
    *, actor: Any, content: str, file_format: str, dry_run: bool = False
) -> ImportResult:
    """Validate every row, then (unless one is wrong, or it is a dry run) write them all."""
    practice_themes_load()
    result = ImportResult()
    records, problem = read_rows(content, file_format)
    if problem:
        result.errors.append(RowError(0, "file", problem))
        return result
    refs = References.load()
    rows: list[Row] = []
    seen: dict[str, int] = {}
    for number, raw in records:
        row, errors = _row(number, raw, refs)
        result.errors.extend(errors)
        if row is None:
            continue
        if row.practice.reference in seen:
            result.errors.append(
                RowError(
                    number,
                    "reference",
                    _("Row %(row)s has the same reference.")
                    % {"row": seen[row.practice.reference]},
                )
            )
        seen[row.practice.reference] = number
        rows.append(row)
    if result.errors or dry_run:
        return result
    _write(actor, rows, refs, result)
    return result


def _write(actor: Any, rows: list[Row], refs: References, result: ImportResult) -> None:
    existing = {
        p.reference: p
        for p in GoodPractice.objects.filter(reference__in=[r.practice.reference for r in rows])
        .select_related("european_module")
        .prefetch_related("themes", "key_factors", "commitments", "links")
    }
    changed_ids: list[int] = []
    now = timezone.now()
    with transaction.atomic():
        for row in rows:
            practice = existing.get(row.practice.reference)
            if practice is not None:
                same = practice_input_of(practice) == practice_input_normalised(row.practice)
                if same and practice.state == row.state:
                    result.unchanged += 1
                    continue
                practice.revision += 1
                result.updated += 1
            else:
                practice = GoodPractice(created_by=actor)
                result.created += 1
            practice.state = row.state
            published = row.state == PracticeState.PUBLISHED
            practice.published_at = (practice.published_at or now) if published else None
            attribute_to(practice, actor, "import")
            practice_apply(practice, row.practice, refs)
            changed_ids.append(practice.pk)
        practices_index(changed_ids)


# ---------------------------------------------------------------- writing


def practice_record(practice: GoodPractice) -> dict[str, Any]:
    """One practice in the JSON format."""
    data = practice_input_of(practice)
    return {
        "reference": data.reference,
        "title": data.title,
        "city": data.city_name,
        "country": data.country,
        "organisation": data.organisation,
        "summary": data.summary,
        "description": data.description,
        "themes": list(data.themes),
        "key_factors": list(data.key_factors),
        "commitments": list(data.commitments),
        "european_module": data.european_module,
        "target_groups": list(data.target_groups),
        "start_year": data.start_year,
        "status": data.status,
        "results": data.results,
        "evidence": data.evidence,
        "budget_range": data.budget_range,
        "contact": {
            "name": data.contact_name,
            "email": data.contact_email,
            "consent": data.contact_consent,
        },
        "links": [vars(link) for link in data.links],
        "language": data.language,
        "source": {"kind": data.source_kind, "name": data.source_name},
        "state": practice.state,
        "illustrative": data.illustrative,
    }


def _flat(record: dict[str, Any]) -> dict[str, Any]:
    """One practice as CSV fields: numbers stay numbers, the rest is text."""

    def cell(value: Any) -> Any:
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, list):
            return LIST_SEPARATOR.join(value)
        if isinstance(value, int):
            return value
        return "" if value is None else str(value)

    flat = {k: cell(v) for k, v in record.items() if k not in ("contact", "source", "links")}
    flat["contact_name"] = record["contact"]["name"]
    flat["contact_email"] = record["contact"]["email"]
    flat["contact_consent"] = cell(record["contact"]["consent"])
    flat["source_kind"] = record["source"]["kind"]
    flat["source_name"] = record["source"]["name"]
    flat["links"] = json.dumps(record["links"], ensure_ascii=False) if record["links"] else ""
    return flat


def practices_export(practices: Iterable[GoodPractice], file_format: str) -> str:
    """The practices as a file's text (prefetch themes, key_factors, commitments, links)."""
    records = [practice_record(p) for p in practices]
    if file_format == "csv":
        return csv_records(CSV_COLUMNS, [_flat(r) for r in records])
    document = {"format": FORMAT, "format_version": FORMAT_VERSION, "practices": records}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def practices_for_export(state: str | None = None):  # type: ignore[no-untyped-def]
    practices = GoodPractice.objects.select_related("european_module").prefetch_related(
        "themes", "key_factors", "commitments", "links"
    )
    return (practices.filter(state=state) if state else practices).order_by("reference")
