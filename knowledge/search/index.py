"""The full-text index of published practices, one per database engine.

PostgreSQL: a side table of weighted `tsvector`s with a GIN index, each stemmed with the
text-search configuration of the practice's language (`knowledge_search_config`, 'simple' for
a language PostgreSQL cannot stem).
SQLite: an FTS5 table (Porter stemming for English, diacritics folded) with a `stems` column:
the practice's words stemmed in its own language (GoodPractice.search_stems, see stemming.py).
Both hold the published practices only, kept in step by triggers, and index the title
(weight highest), the summary, then `search_text` (the description as plain text, with
organisation, place, themes, key factors and target groups).

SQLite drops a table's triggers when Django rebuilds the table: a later migration that alters
knowledge_goodpractice on SQLite must run `create_index` again (the search tests catch it).
"""

from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from .stemming import FALLBACK_CONFIG, POSTGRESQL_CONFIGS

FTS_TABLE = "knowledge_practice_fts"

SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS knowledge_practice_fts USING fts5(title, summary, body, "
    "stems, tokenize = 'porter unicode61 remove_diacritics 2')",
    # Title matches weigh most, then the summary, then a stem, then the body (BM25 weights).
    "INSERT INTO knowledge_practice_fts(knowledge_practice_fts, rank) "
    "VALUES ('rank', 'bm25(10.0, 4.0, 1.0, 2.0)')",
    "DROP TRIGGER IF EXISTS knowledge_practice_fts_insert",
    "DROP TRIGGER IF EXISTS knowledge_practice_fts_update",
    "DROP TRIGGER IF EXISTS knowledge_practice_fts_delete",
    "CREATE TRIGGER knowledge_practice_fts_insert AFTER INSERT ON knowledge_goodpractice "
    "WHEN NEW.state = 'published' BEGIN "
    "INSERT INTO knowledge_practice_fts(rowid, title, summary, body, stems) "
    "VALUES (NEW.id, NEW.title, NEW.summary, NEW.search_text, NEW.search_stems); END",
    "CREATE TRIGGER knowledge_practice_fts_update AFTER UPDATE ON knowledge_goodpractice "
    "BEGIN DELETE FROM knowledge_practice_fts WHERE rowid = OLD.id; "
    "INSERT INTO knowledge_practice_fts(rowid, title, summary, body, stems) "
    "SELECT NEW.id, NEW.title, NEW.summary, NEW.search_text, NEW.search_stems "
    "WHERE NEW.state = 'published'; END",
    "CREATE TRIGGER knowledge_practice_fts_delete AFTER DELETE ON knowledge_goodpractice "
    "BEGIN DELETE FROM knowledge_practice_fts WHERE rowid = OLD.id; END",
    # Practices that exist already (a re-run after a table rebuild).
    "DELETE FROM knowledge_practice_fts",
    "INSERT INTO knowledge_practice_fts(rowid, title, summary, body, stems) SELECT id, title, "
    "summary, search_text, search_stems FROM knowledge_goodpractice WHERE state = 'published'",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS knowledge_practice_fts_insert",
    "DROP TRIGGER IF EXISTS knowledge_practice_fts_update",
    "DROP TRIGGER IF EXISTS knowledge_practice_fts_delete",
    "DROP TABLE IF EXISTS knowledge_practice_fts",
]
# Only published practices are in the search table, as in SQLite. The table is narrow (no
# text), so a broad query's bitmap scan reads few pages; `head` (title and summary) is what
# ranking reads, so ranking ten thousand matches does not decompress their whole documents.
_CONFIG_CASES = " ".join(
    f"WHEN '{code}' THEN '{name}'" for code, name in sorted(POSTGRESQL_CONFIGS.items())
)
POSTGRESQL_CREATE = [
    # A practice's language -> the configuration that stems it (both sides of a match use it).
    "CREATE OR REPLACE FUNCTION knowledge_search_config(code text) RETURNS regconfig AS $$ "
    f"SELECT (CASE code {_CONFIG_CASES} ELSE '{FALLBACK_CONFIG}' END)::regconfig $$ "
    "LANGUAGE sql IMMUTABLE",
    "CREATE TABLE IF NOT EXISTS knowledge_practice_tsv (practice_id bigint PRIMARY KEY, "
    "document tsvector NOT NULL, head tsvector NOT NULL)",
    "CREATE INDEX IF NOT EXISTS knowledge_practice_tsv_document ON knowledge_practice_tsv "
    "USING gin (document)",
    "CREATE OR REPLACE FUNCTION knowledge_practice_tsv_sync() RETURNS trigger AS $$ BEGIN "
    "IF TG_OP IN ('UPDATE', 'DELETE') THEN "
    "DELETE FROM knowledge_practice_tsv WHERE practice_id = OLD.id; END IF; "
    "IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.state = 'published' THEN "
    "INSERT INTO knowledge_practice_tsv (practice_id, document, head) VALUES (NEW.id, "
    "setweight(to_tsvector(knowledge_search_config(NEW.language), "
    "coalesce(NEW.title, '')), 'A') || "
    "setweight(to_tsvector(knowledge_search_config(NEW.language), "
    "coalesce(NEW.summary, '')), 'B') || "
    "setweight(to_tsvector(knowledge_search_config(NEW.language), "
    "coalesce(NEW.search_text, '')), 'C'), "
    "setweight(to_tsvector(knowledge_search_config(NEW.language), "
    "coalesce(NEW.title, '')), 'A') || "
    "setweight(to_tsvector(knowledge_search_config(NEW.language), "
    "coalesce(NEW.summary, '')), 'B')); "
    "END IF; "
    "RETURN NULL; END; $$ LANGUAGE plpgsql",
    "CREATE OR REPLACE FUNCTION knowledge_practice_tsv_empty() RETURNS trigger AS $$ BEGIN "
    "TRUNCATE knowledge_practice_tsv; RETURN NULL; END; $$ LANGUAGE plpgsql",
    "DROP TRIGGER IF EXISTS knowledge_practice_tsv_sync ON knowledge_goodpractice",
    "CREATE TRIGGER knowledge_practice_tsv_sync AFTER INSERT OR UPDATE OR DELETE "
    "ON knowledge_goodpractice FOR EACH ROW EXECUTE FUNCTION knowledge_practice_tsv_sync()",
    # A test database is emptied with TRUNCATE, which row triggers do not see.
    "DROP TRIGGER IF EXISTS knowledge_practice_tsv_empty ON knowledge_goodpractice",
    "CREATE TRIGGER knowledge_practice_tsv_empty AFTER TRUNCATE ON knowledge_goodpractice "
    "FOR EACH STATEMENT EXECUTE FUNCTION knowledge_practice_tsv_empty()",
    # Practices that exist already: touching them runs the trigger.
    "UPDATE knowledge_goodpractice SET state = state WHERE state = 'published'",
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS knowledge_practice_tsv_sync ON knowledge_goodpractice",
    "DROP TRIGGER IF EXISTS knowledge_practice_tsv_empty ON knowledge_goodpractice",
    "DROP FUNCTION IF EXISTS knowledge_practice_tsv_sync()",
    "DROP FUNCTION IF EXISTS knowledge_practice_tsv_empty()",
    "DROP TABLE IF EXISTS knowledge_practice_tsv",
    "DROP FUNCTION IF EXISTS knowledge_search_config(text)",
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
