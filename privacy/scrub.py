"""Replacing a person's name and contacts wherever a copy of them is written as text.

Foreign keys name a person by id and need nothing; but names and addresses are also copied as
text: the history tables' rows, notifications' params and e-mails to others, the audit trail's
reasons ("handed over from ..."), the admin's log, the log-in records, free text someone typed.
`scrub` walks every table of every installed model (history tables included), every text, JSON
and file column, and replaces each copy: in SQL it finds the rows by a plain substring, in
Python it replaces by a pattern that also catches case and spacing changes, the HTML-escaped
and the JSON-escaped forms.

A name alone (a first or a last name without the other) is not replaced in others' text: it
rarely identifies anyone and replacing common words would damage records. The person's own
rows (Person, invitations, their history) are replaced column by column by the service.

Records that the database freezes (a reported claim, an adopted plan, a saved plan version)
refuse any update through their guard triggers (core.db): for such a row only, the table's
guard triggers are suspended for the one UPDATE and restored at once, inside the same
transaction (both SQLite and PostgreSQL change triggers transactionally), so a failure leaves
them as they were. Only text changes this way; amounts, dates and links never do.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote, quote_plus

from django.apps import apps
from django.core.files.base import ContentFile
from django.db import DatabaseError, connection, models, transaction
from django.db.models import Q
from django.db.models.functions import Cast
from django.utils.text import get_valid_filename

_SPACE = r"[\s\u00a0\u202f]+"


@dataclass
class Identity:
    """What identifies the person in text, and what replaces it."""

    first_name: str
    last_name: str
    emails: list[str]
    phone: str
    pseudonym: str
    pseudonym_email: str
    phone_replacement: str = "[removed]"

    def names(self) -> list[tuple[str, str]]:
        first, last = self.first_name.strip(), self.last_name.strip()
        if not first or not last:
            return [(n, self.pseudonym) for n in (first, last) if len(n) >= 4]
        return [
            (f"{first} {last}", self.pseudonym),
            (f"{last} {first}", self.pseudonym),
            (f"{last}, {first}", self.pseudonym),
        ]

    def literals(self) -> list[tuple[str, str]]:
        """(text, replacement) pairs, every form each is written in."""
        pairs = list(self.names())
        pairs += [(e, self.pseudonym_email) for e in self.emails if e]
        digits = re.sub(r"\D", "", self.phone)
        if len(digits) >= 6:
            pairs.append((self.phone.strip(), self.phone_replacement))
        forms: dict[str, str] = {}
        for old, new in pairs:
            for encode in _ENCODINGS:
                forms.setdefault(encode(old), encode(new))
        return sorted(forms.items(), key=lambda p: -len(p[0]))


def _json_escaped(text: str) -> str:
    return json.dumps(text)[1:-1]


_ENCODINGS = (
    lambda s: s,
    lambda s: html.escape(s, quote=True),
    lambda s: html.escape(s, quote=True).replace("&#x27;", "&#39;"),
    _json_escaped,
    lambda s: quote(s, safe=""),
    lambda s: quote_plus(s, safe=""),
)


@dataclass
class Replacer:
    identity: Identity
    _pattern: re.Pattern[str] = field(init=False)
    _by_form: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        forms = self.identity.literals()
        self._by_form = {old.casefold(): new for old, new in forms}
        parts = [re.escape(old).replace(r"\ ", _SPACE) for old, _new in forms if old]
        # Nothing to look for matches nothing (an empty pattern would match everywhere).
        self._pattern = re.compile("|".join(parts) if parts else r"(?!x)x", re.IGNORECASE)

    @property
    def needles(self) -> list[str]:
        """The substrings SQL looks for: the last name (in each of its written forms: every
        name pattern holds it, whatever the spacing), the e-mail addresses and the phone. A
        superset of what is replaced: Python decides."""
        identity = self.identity
        plain = [identity.last_name.strip() or identity.first_name.strip()]
        plain += [e for e in identity.emails if e]
        if len(re.sub(r"\D", "", identity.phone)) >= 6:
            plain.append(identity.phone.strip())
        return sorted({encode(n) for n in plain if n for encode in _ENCODINGS})

    def _one(self, match: re.Match[str]) -> str:
        found = match.group(0)
        key = re.sub(_SPACE, " ", found).casefold()
        return self._by_form.get(key, self._by_form.get(found.casefold(), self.identity.pseudonym))

    def text(self, value: str) -> str:
        return self._pattern.sub(self._one, value)

    def value(self, value: Any) -> Any:
        """A JSON value with every string (keys too) replaced."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.value(v) for v in value]
        if isinstance(value, dict):
            return {self.text(k): self.value(v) for k, v in value.items()}
        return value


def _text_columns(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, (models.CharField, models.TextField, models.JSONField, models.FileField))
        and not f.primary_key
    ]


def scrubbed_models() -> list[type[models.Model]]:
    """Every table the platform writes: installed models, history and link tables included."""
    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and _text_columns(m)
    ]


# At most this many LIKE terms in one query (SQLite nests ORs, up to a depth of 1000).
_TERMS_PER_QUERY = 200


def _matching_pks(model: type[models.Model], columns: list[Any], needles: list[str]) -> set[Any]:
    """The keys of the rows of `model` where a column holds a needle (JSON read as text)."""
    found: set[Any] = set()
    per_query = max(1, _TERMS_PER_QUERY // max(1, len(needles)))
    for start in range(0, len(columns), per_query):
        annotations: dict[str, Any] = {}
        condition = Q()
        for column in columns[start : start + per_query]:
            name = column.name
            if isinstance(column, models.JSONField):
                name = f"privacy_text_{column.name}"
                annotations[name] = Cast(column.name, output_field=models.TextField())
            for needle in needles:
                condition |= Q(**{f"{name}__icontains": needle})
        rows = model._base_manager.annotate(**annotations).filter(condition)
        found |= set(rows.values_list("pk", flat=True))
    return found


def scrub(replacer: Replacer, *, skip: frozenset[str] = frozenset()) -> dict[str, int]:
    """Replace the person's identity in every table but those of `skip` (model labels);
    returns the rows changed per table. Call it inside the pseudonymisation's transaction."""
    changed: dict[str, int] = {}
    needles = replacer.needles
    for model in scrubbed_models():
        if str(model._meta.label) in skip:
            continue
        columns = _text_columns(model)
        keys = sorted(_matching_pks(model, columns, needles))
        pk = model._meta.pk.attname
        count = 0
        for start in range(0, len(keys), 500):
            batch = model._base_manager.filter(pk__in=keys[start : start + 500])
            for row in batch.values(pk, *[c.attname for c in columns]):
                changes = _row_changes(replacer, columns, row)
                if changes:
                    _update(model, row[pk], changes)
                    count += 1
        if count:
            changed[str(model._meta.db_table)] = count
    return changed


def _row_changes(replacer: Replacer, columns: list[Any], row: dict[str, Any]) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for column in columns:
        value = row[column.attname]
        if value is None or value == "":
            continue
        if isinstance(column, models.JSONField):
            new = replacer.value(value)
        else:
            new = replacer.text(str(value))
            if column.max_length:
                new = new[: column.max_length]
        if new != value:
            if isinstance(column, models.FileField):
                new = _file_renamed(column, str(value), new)
            changes[column.attname] = new
    return changes


def _file_renamed(column: models.FileField, old: str, wanted: str) -> str:
    """A stored file whose path carries the name: copied under the new path; the old file is
    removed once the transaction commits."""
    storage = column.storage
    folder = PurePosixPath(old).parent
    wanted = str(folder / (get_valid_filename(PurePosixPath(wanted).name) or "file"))
    try:
        with storage.open(old, "rb") as handle:
            new = storage.save(wanted, ContentFile(handle.read()))
    except FileNotFoundError:
        return wanted
    transaction.on_commit(lambda: storage.delete(old))
    return new


def _update(model: type[models.Model], pk: Any, changes: dict[str, Any]) -> None:
    rows = model._base_manager.filter(pk=pk)
    try:
        with transaction.atomic():
            rows.update(**changes)
    except DatabaseError:
        # A frozen record (see the module's docstring): its guards step aside for this row.
        with guards_suspended(str(model._meta.db_table)):
            rows.update(**changes)


# ---------------------------------------------------------------- the guard triggers


@contextmanager
def guards_suspended(table: str) -> Iterator[None]:
    """Suspend the triggers of `table` that refuse changes (those raising an error: core.db's
    guards), not the ones that keep other tables in step, for the enclosed statements."""
    if not connection.in_atomic_block:
        raise RuntimeError("Guards are suspended only inside a transaction")
    vendor = connection.vendor
    with connection.cursor() as cursor:
        if vendor == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s "
                "AND sql LIKE %s",
                [table, "%RAISE(ABORT%"],
            )
            saved = cursor.fetchall()
            for name, _sql in saved:
                cursor.execute(f'DROP TRIGGER "{name}"')
            try:
                yield
            finally:
                for _name, sql in saved:
                    cursor.execute(sql)
        elif vendor == "postgresql":
            cursor.execute(
                "SELECT t.tgname FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid "
                "WHERE t.tgrelid = %s::regclass AND NOT t.tgisinternal "
                "AND p.prosrc LIKE %s",
                [table, "%RAISE EXCEPTION%"],
            )
            names = [r[0] for r in cursor.fetchall()]
            # ALTER TABLE refuses while deferred constraint checks are pending: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for name in names:
                cursor.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER "{name}"')
            try:
                yield
            finally:
                for name in names:
                    cursor.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER "{name}"')
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            raise NotImplementedError(f"No guard triggers known for {vendor}")
