"""Searching the whole database for a text: every model's text, JSON and file columns through
the ORM (history and link tables included), and every column of every table through SQL, as
the database's own introspection lists them (tables no model describes included)."""

from __future__ import annotations

from django.apps import apps
from django.db import connection, models
from django.db.models import Q
from django.db.models.functions import Cast


def orm_hits(needles: list[str]) -> list[str]:
    """'label.column #pk' of every model row where a column holds one of the needles."""
    hits = []
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if not isinstance(
                field, (models.CharField, models.TextField, models.JSONField, models.FileField)
            ):
                continue
            rows = model._base_manager.all()
            name = field.name
            if isinstance(field, models.JSONField):
                name = "as_text"
                rows = rows.annotate(as_text=Cast(field.name, output_field=models.TextField()))
            condition = Q()
            for needle in needles:
                condition |= Q(**{f"{name}__icontains": needle})
            hits += [
                f"{model._meta.label}.{field.name} #{pk}"
                for pk in rows.filter(condition).values_list("pk", flat=True)
            ]
    return hits


def _like(needle: str) -> str:
    escaped = needle.lower().replace("!", "!!").replace("%", "!%").replace("_", "!_")
    return f"%{escaped}%"


def _columns(cursor, table: str) -> list[str]:
    """The table's columns as the database lists them (Django's own introspection parses the
    SQLite schema's text, which it cannot always)."""
    if connection.vendor == "sqlite":
        cursor.execute(f"PRAGMA table_info({connection.ops.quote_name(table)})")
        return [row[1] for row in cursor.fetchall()]
    cursor.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
        "AND table_schema = current_schema()",
        [table],
    )
    return [row[0] for row in cursor.fetchall()]


def raw_hits(needles: list[str]) -> list[str]:
    """'table.column' wherever the database holds a needle, whatever the column's type."""
    hits = []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in _columns(cursor, table):
                for needle in needles:
                    cursor.execute(
                        f"SELECT COUNT(*) FROM {quote(table)} "  # noqa: S608 - introspected names
                        f"WHERE LOWER(CAST({quote(column)} AS TEXT)) LIKE %s ESCAPE '!'",
                        [_like(needle)],
                    )
                    if cursor.fetchone()[0]:
                        hits.append(f"{table}.{column} ({needle})")
    return hits
