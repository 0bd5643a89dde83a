"""The narrative search index's helpers that live in the database connection.

SQLite: the triggers on ``narrative_entries`` call ``trpkit_search_document(language, text,
translation)`` to compute what FTS5 indexes (stems without accents, see trpkit.domain.search_text).
SQLite functions live in the connection, so every connection the app opens registers it.
"""

from __future__ import annotations

from typing import Any

from trpkit.domain.search_text import search_document

SQLITE_FUNCTION = "trpkit_search_document"


def register_sqlite_functions(dbapi_connection: Any) -> None:
    dbapi_connection.create_function(SQLITE_FUNCTION, 3, search_document, deterministic=True)
