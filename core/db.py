"""Cross-table invariants as database triggers, written once for SQLite and PostgreSQL.

Django has no composite foreign keys, so rules such as "a pair's mentor is a mentor member of the
pair's scheme" are enforced by BEFORE INSERT/UPDATE triggers that raise an integrity error with a
stable code the services translate into a readable message.

SQLite drops a table's triggers when Django rebuilds the table in a later migration: a migration
that alters one of these tables must re-run the trigger operation (the constraint tests catch it).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


@dataclass(frozen=True)
class Trigger:
    name: str  # also the code carried in the error message
    table: str
    violated_when: str  # SQL over NEW (and OLD on update), portable between both databases
    message: str
    on_insert: bool = True
    on_update: bool = True

    @property
    def _error(self) -> str:
        return f"{self.name}: {self.message}".replace("'", "''")

    def sqlite_create(self) -> list[str]:
        events = [e for e, on in (("INSERT", self.on_insert), ("UPDATE", self.on_update)) if on]
        return [
            f"CREATE TRIGGER {self.name}_{event.lower()} BEFORE {event} ON {self.table} "
            f"FOR EACH ROW WHEN {self.violated_when} "
            f"BEGIN SELECT RAISE(ABORT, '{self._error}'); END;"
            for event in events
        ]

    def sqlite_drop(self) -> list[str]:
        return [f"DROP TRIGGER IF EXISTS {self.name}_{e}" for e in ("insert", "update")]

    def postgresql_create(self) -> list[str]:
        events = " OR ".join(
            e for e, on in (("INSERT", self.on_insert), ("UPDATE", self.on_update)) if on
        )
        return [
            f"CREATE OR REPLACE FUNCTION {self.name}_fn() RETURNS trigger AS $$ BEGIN "
            f"IF {self.violated_when} THEN RAISE EXCEPTION USING ERRCODE = 'check_violation', "
            f"MESSAGE = '{self._error}'; END IF; RETURN NEW; END; "
            "$$ LANGUAGE plpgsql;",
            f"DROP TRIGGER IF EXISTS {self.name} ON {self.table};",
            f"CREATE TRIGGER {self.name} BEFORE {events} ON {self.table} "
            f"FOR EACH ROW EXECUTE FUNCTION {self.name}_fn();",
        ]

    def postgresql_drop(self) -> list[str]:
        return [
            f"DROP TRIGGER IF EXISTS {self.name} ON {self.table};",
            f"DROP FUNCTION IF EXISTS {self.name}_fn();",
        ]


def _run(
    statements_for: str, triggers: tuple[Trigger, ...]
) -> Callable[[StateApps, BaseDatabaseSchemaEditor], None]:
    def apply(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        vendor = schema_editor.connection.vendor
        if vendor not in ("sqlite", "postgresql"):
            raise NotImplementedError(f"No consistency triggers written for {vendor}")
        for trigger in triggers:
            for sql in getattr(trigger, f"{vendor}_{statements_for}")():
                schema_editor.execute(sql)

    return apply


def create_triggers(*triggers: Trigger) -> migrations.RunPython:
    """A migration operation that (re)creates the triggers; reversible."""
    return migrations.RunPython(_run("create", triggers), _run("drop", triggers))


def replace_triggers(*triggers: Trigger) -> migrations.RunPython:
    """A migration operation that redefines triggers (drop, then create): for a trigger whose
    condition changes, e.g. to watch a new column. Going back keeps the new definition."""

    def apply(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        _run("drop", triggers)(apps, schema_editor)
        _run("create", triggers)(apps, schema_editor)

    return migrations.RunPython(apply, migrations.RunPython.noop)
