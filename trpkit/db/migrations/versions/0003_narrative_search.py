"""Full-text search over narrative entries (hand-written: autogenerate cannot produce it).

- Encrypted vault (SQLite/SQLCipher): an FTS5 table ``narrative_fts`` using the entries table as its
  external content, kept in step by triggers (the index is inside the encrypted file).
- PostgreSQL: a table ``narrative_fts`` (entry id, case id, tsvector with a GIN index) kept in step by
  a trigger function. The 'simple' configuration (no stemming: narratives mix languages) over text with
  accents folded, so "Canadá" finds "canada".

Both tables start with ``narrative_fts``: the Alembic environment leaves them out of autogenerate.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# Accent folding for PostgreSQL without the unaccent extension (which needs a superuser to install).
ACCENTED = "áàâäãåāéèêëēíìîïīóòôöõøōúùûüūçñýÿœæ"
PLAIN = "aaaaaaaeeeeeiiiiiooooooouuuuucnyyoa"


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE narrative_fts USING fts5(text, translation, content='narrative_entries', "
            "content_rowid='id', tokenize='unicode61 remove_diacritics 2')"
        )
        op.execute(
            "CREATE TRIGGER narrative_fts_ai AFTER INSERT ON narrative_entries BEGIN "
            "INSERT INTO narrative_fts(rowid, text, translation) VALUES (new.id, new.text, new.translation); END"
        )
        op.execute(
            "CREATE TRIGGER narrative_fts_ad AFTER DELETE ON narrative_entries BEGIN "
            "INSERT INTO narrative_fts(narrative_fts, rowid, text, translation) "
            "VALUES ('delete', old.id, old.text, old.translation); END"
        )
        op.execute(
            "CREATE TRIGGER narrative_fts_au AFTER UPDATE OF text, translation ON narrative_entries BEGIN "
            "INSERT INTO narrative_fts(narrative_fts, rowid, text, translation) "
            "VALUES ('delete', old.id, old.text, old.translation); "
            "INSERT INTO narrative_fts(rowid, text, translation) VALUES (new.id, new.text, new.translation); END"
        )
        op.execute("INSERT INTO narrative_fts(narrative_fts) VALUES ('rebuild')")
        return
    op.execute(
        "CREATE TABLE narrative_fts ("
        " entry_id INTEGER PRIMARY KEY REFERENCES narrative_entries(id) ON DELETE CASCADE,"
        " case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
        " document tsvector NOT NULL)"
    )
    op.execute("CREATE INDEX narrative_fts_document ON narrative_fts USING GIN (document)")
    op.execute("CREATE INDEX narrative_fts_case ON narrative_fts (case_id)")
    op.execute(
        "CREATE FUNCTION narrative_fts_refresh() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "INSERT INTO narrative_fts(entry_id, case_id, document) VALUES (NEW.id, NEW.case_id, "
        f"to_tsvector('simple', translate(lower(coalesce(NEW.text, '') || ' ' || coalesce(NEW.translation, '')), "
        f"'{ACCENTED}', '{PLAIN}'))) "
        "ON CONFLICT (entry_id) DO UPDATE SET document = EXCLUDED.document, case_id = EXCLUDED.case_id; "
        "RETURN NEW; END $$"
    )
    op.execute(
        "CREATE TRIGGER narrative_fts_sync AFTER INSERT OR UPDATE OF text, translation ON narrative_entries "
        "FOR EACH ROW EXECUTE FUNCTION narrative_fts_refresh()"
    )
    op.execute(
        "INSERT INTO narrative_fts(entry_id, case_id, document) SELECT id, case_id, "
        f"to_tsvector('simple', translate(lower(coalesce(text, '') || ' ' || coalesce(translation, '')), "
        f"'{ACCENTED}', '{PLAIN}')) FROM narrative_entries"
    )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for trigger in ("narrative_fts_ai", "narrative_fts_ad", "narrative_fts_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS narrative_fts")
        return
    op.execute("DROP TRIGGER IF EXISTS narrative_fts_sync ON narrative_entries")
    op.execute("DROP FUNCTION IF EXISTS narrative_fts_refresh()")
    op.execute("DROP TABLE IF EXISTS narrative_fts")
