"""The full-text index of published practices, one per database engine.

PostgreSQL: a generated, weighted `tsvector` column (English stemming) with a GIN index.
SQLite: an FTS5 table (Porter stemming, diacritics folded) kept in step by triggers.
Both index the title (weight highest), the summary, then `search_text` (the description as
plain text, with organisation, place, themes, key factors and target groups).

SQLite drops a table's triggers when Django rebuilds the table: a later migration that alters
knowledge_goodpractice on SQLite must run `create_index` again (the search tests catch it).
"""

from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

FTS_TABLE = "knowledge_practice_fts"

SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS knowledge_practice_fts USING fts5(title, summary, body, "
    "tokenize = 'porter unicode61 remove_diacritics 2')",
    # Title matches weigh most, then the summary, then the body (BM25 column weights).
    "INSERT INTO knowledge_practice_fts(knowledge_practice_fts, rank) "
    "VALUES ('rank', 'bm25(10.0, 4.0, 1.0)')",
    "DROP TRIGGER IF EXISTS knowledge_practice_fts_insert",
    "DROP TRIGGER IF EXISTS knowledge_practice_fts_update",
    "DROP TRIGGER IF EXISTS knowledge_practice_fts_delete",
    "CREATE TRIGGER knowledge_practice_fts_insert AFTER INSERT ON knowledge_goodpractice "
    "WHEN NEW.state = 'published' BEGIN "
    "INSERT INTO knowledge_practice_fts(rowid, title, summary, body) "
    "VALUES (NEW.id, NEW.title, NEW.summary, NEW.search_text); END",
    "CREATE TRIGGER knowledge_practice_fts_update AFTER UPDATE ON knowledge_goodpractice "
    "BEGIN DELETE FROM knowledge_practice_fts WHERE rowid = OLD.id; "
    "INSERT INTO knowledge_practice_fts(rowid, title, summary, body) "
    "SELECT NEW.id, NEW.title, NEW.summary, NEW.search_text WHERE NEW.state = 'published'; END",
    "CREATE TRIGGER knowledge_practice_fts_delete AFTER DELETE ON knowledge_goodpractice "
    "BEGIN DELETE FROM knowledge_practice_fts WHERE rowid = OLD.id; END",
    # Practices that exist already (a re-run after a table rebuild).
    "DELETE FROM knowledge_practice_fts",
    "INSERT INTO knowledge_practice_fts(rowid, title, summary, body) SELECT id, title, summary, "
    "search_text FROM knowledge_goodpractice WHERE state = 'published'",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS knowledge_practice_fts_insert",
    "DROP TRIGGER IF EXISTS knowledge_practice_fts_update",
    "DROP TRIGGER IF EXISTS knowledge_practice_fts_delete",
    "DROP TABLE IF EXISTS knowledge_practice_fts",
]
POSTGRESQL_CREATE = [
    "ALTER TABLE knowledge_goodpractice ADD COLUMN IF NOT EXISTS search_vector tsvector "
    "GENERATED ALWAYS AS ("
    "setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('english', coalesce(summary, '')), 'B') || "
    "setweight(to_tsvector('english', coalesce(search_text, '')), 'C')) STORED",
    "CREATE INDEX IF NOT EXISTS knowledge_practice_search ON knowledge_goodpractice "
    "USING gin (search_vector)",
]
POSTGRESQL_DROP = [
    "DROP INDEX IF EXISTS knowledge_practice_search",
    "ALTER TABLE knowledge_goodpractice DROP COLUMN IF EXISTS search_vector",
]


def _statements(vendor: str, create: bool) -> list[str]:
    if vendor == "sqlite":
        return SQLITE_CREATE if create else SQLITE_DROP
    if vendor == "postgresql":
        return POSTGRESQL_CREATE if create else POSTGRESQL_DROP
    raise NotImplementedError("No full-text index written for {vendor}")


def create_index(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    for sql in _statements(schema_editor.connection.vendor, create=True):
        schema_editor.execute(sql)


def drop_index(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    for sql in _statements(schema_editor.connection.vendor, create=False):
        schema_editor.execute(sql)
