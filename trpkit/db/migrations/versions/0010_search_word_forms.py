"""narrative search finds word forms and ignores accents, in the entry's language

Replaces the full-text index of revision 0003 and rebuilds it for every existing entry.

- Encrypted vault (SQLite/SQLCipher): ``narrative_fts`` becomes an FTS5 table of its own holding, per
  entry, each word stemmed in the entry's language with accents removed (Snowball stemmers; the
  translation is indexed in English and in French), tokenised with ``unicode61 remove_diacritics 2``.
  Triggers fill it through the ``trpkit_search_document`` function that every trpkit connection
  registers (trpkit.db.search_index): entries can only be written through trpkit from now on.
- PostgreSQL: ``narrative_fts.document`` is built with the text-search configuration of the entry's
  language (english, french, spanish and the other Snowball languages; 'simple' otherwise) over text
  with accents folded, plus the translation in english and in french.

Downgrading restores revision 0003's index (whole words, no stemming) and rebuilds it; nothing else is
lost.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

ACCENTED = "áàâäãåāéèêëēíìîïīóòôöõøōúùûüūçñýÿœæ"
PLAIN = "aaaaaaaeeeeeiiiiiooooooouuuuucnyyoa"
# ISO 639-1 code and language name -> PostgreSQL text-search configuration (frozen with this revision).
PG_CONFIGS = {
    "da": "danish",
    "de": "german",
    "en": "english",
    "es": "spanish",
    "fi": "finnish",
    "fr": "french",
    "hu": "hungarian",
    "it": "italian",
    "nl": "dutch",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sv": "swedish",
    "tr": "turkish",
}
SQLITE_TRIGGERS = ("narrative_fts_ai", "narrative_fts_ad", "narrative_fts_au")
DOC = "trpkit_search_document"


def _sqlite_upgrade() -> None:
    from trpkit.db.search_index import register_sqlite_functions

    # The connection that runs the migration may not be one of trpkit's (e.g. a scratch engine).
    register_sqlite_functions(op.get_bind().connection.driver_connection)
    for trigger in SQLITE_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS narrative_fts")
    op.execute(
        "CREATE VIRTUAL TABLE narrative_fts USING fts5(document, tokenize='unicode61 remove_diacritics 2')"
    )
    op.execute(
        "CREATE TRIGGER narrative_fts_ai AFTER INSERT ON narrative_entries BEGIN "
        f"INSERT INTO narrative_fts(rowid, document) VALUES (new.id, {DOC}(new.language, new.text, "
        "new.translation)); END"
    )
    op.execute(
        "CREATE TRIGGER narrative_fts_ad AFTER DELETE ON narrative_entries BEGIN "
        "DELETE FROM narrative_fts WHERE rowid = old.id; END"
    )
    op.execute(
        "CREATE TRIGGER narrative_fts_au AFTER UPDATE OF text, translation, language ON narrative_entries "
        "BEGIN DELETE FROM narrative_fts WHERE rowid = old.id; "
        f"INSERT INTO narrative_fts(rowid, document) VALUES (new.id, {DOC}(new.language, new.text, "
        "new.translation)); END"
    )
    op.execute(
        f"INSERT INTO narrative_fts(rowid, document) SELECT id, {DOC}(language, text, translation) "
        "FROM narrative_entries"
    )


def _pg_config_function() -> str:
    cases = " ".join(
        f"WHEN '{code}' THEN '{name}'::regconfig WHEN '{name}' THEN '{name}'::regconfig"
        for code, name in PG_CONFIGS.items()
    )
    return (
        "CREATE FUNCTION narrative_fts_config(lang text) RETURNS regconfig LANGUAGE sql IMMUTABLE AS $$ "
        f"SELECT CASE split_part(replace(lower(coalesce(lang, '')), '_', '-'), '-', 1) {cases} "
        "ELSE 'simple'::regconfig END $$"
    )


def _pg_upgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS narrative_fts_sync ON narrative_entries")
    op.execute("DROP FUNCTION IF EXISTS narrative_fts_refresh()")
    op.execute(
        "CREATE FUNCTION narrative_fts_fold(value text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ "
        f"SELECT translate(lower(coalesce(value, '')), '{ACCENTED}', '{PLAIN}') $$"
    )
    op.execute(_pg_config_function())
    document = (
        "to_tsvector(narrative_fts_config({p}language), narrative_fts_fold({p}text)) "
        "|| to_tsvector('english', narrative_fts_fold({p}translation)) "
        "|| to_tsvector('french', narrative_fts_fold({p}translation))"
    )
    op.execute(
        "CREATE FUNCTION narrative_fts_refresh() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "INSERT INTO narrative_fts(entry_id, case_id, document) VALUES (NEW.id, NEW.case_id, "
        f"{document.format(p='NEW.')}) "
        "ON CONFLICT (entry_id) DO UPDATE SET document = EXCLUDED.document, case_id = EXCLUDED.case_id; "
        "RETURN NEW; END $$"
    )
    op.execute(
        "CREATE TRIGGER narrative_fts_sync AFTER INSERT OR UPDATE OF text, translation, language "
        "ON narrative_entries FOR EACH ROW EXECUTE FUNCTION narrative_fts_refresh()"
    )
    op.execute("DELETE FROM narrative_fts")
    op.execute(
        "INSERT INTO narrative_fts(entry_id, case_id, document) "
        f"SELECT id, case_id, {document.format(p='')} FROM narrative_entries"
    )


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_upgrade()
    else:
        _pg_upgrade()


def _sqlite_downgrade() -> None:
    for trigger in SQLITE_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS narrative_fts")
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


def _pg_downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS narrative_fts_sync ON narrative_entries")
    op.execute("DROP FUNCTION IF EXISTS narrative_fts_refresh()")
    op.execute("DROP FUNCTION IF EXISTS narrative_fts_config(text)")
    op.execute("DROP FUNCTION IF EXISTS narrative_fts_fold(text)")
    document = (
        "to_tsvector('simple', translate(lower(coalesce({p}text, '') || ' ' || coalesce({p}translation, '')), "
        f"'{ACCENTED}', '{PLAIN}'))"
    )
    op.execute(
        "CREATE FUNCTION narrative_fts_refresh() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "INSERT INTO narrative_fts(entry_id, case_id, document) VALUES (NEW.id, NEW.case_id, "
        f"{document.format(p='NEW.')}) "
        "ON CONFLICT (entry_id) DO UPDATE SET document = EXCLUDED.document, case_id = EXCLUDED.case_id; "
        "RETURN NEW; END $$"
    )
    op.execute(
        "CREATE TRIGGER narrative_fts_sync AFTER INSERT OR UPDATE OF text, translation ON narrative_entries "
        "FOR EACH ROW EXECUTE FUNCTION narrative_fts_refresh()"
    )
    op.execute("DELETE FROM narrative_fts")
    op.execute(
        f"INSERT INTO narrative_fts(entry_id, case_id, document) SELECT id, case_id, {document.format(p='')} "
        "FROM narrative_entries"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_downgrade()
    else:
        _pg_downgrade()
