"""Full-text search across narratives, limited to the cases the viewer may open.

Query language (the same on both backends): words (all must appear), "a phrase", OR between
alternatives, -word or NOT word to exclude, word* for a prefix. Accents are ignored ("Canada"
finds "Canadá") and words are matched by their stem in the entry's language ("pasaporte" finds
"pasaportes"): each query word is stemmed in every language the vault's entries are written in
(and English and French, the translations' languages). The encrypted vault indexes stems made by
trpkit.domain.search_text; PostgreSQL uses the entry language's text-search configuration.
Excerpts are cut from the entry's own text, matches between HIGHLIGHT_START / HIGHLIGHT_END.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import column, func, select, table, text
from sqlalchemy.orm import Session

from trpkit.db.models import Case
from trpkit.db.models.narrative import NarrativeEntry, NarrativeMeeting
from trpkit.domain.search_text import (
    STEMMED_LANGUAGES,
    TRANSLATION_LANGUAGES,
    Matcher,
    excerpt,
    fold,
    query_languages,
    stem,
)
from trpkit.errors import AccessDenied, UsageError
from trpkit.services import audit
from trpkit.services.access import require_case, visible_cases
from trpkit.services.actor import Actor

if TYPE_CHECKING:
    from sqlalchemy import Row, Select

    # code, entry id, meeting id, held on, kind, language, text, translation
    _HitQuery = Select[str, int, int, date, str, str, str, str]
    _HitRow = Row[str, int, int, date, str, str, str, str]

HIGHLIGHT_START = "\x02"
HIGHLIGHT_END = "\x03"


@dataclass(frozen=True)
class SearchHit:
    case_code: str
    entry_id: int
    meeting_id: int
    meeting_date: date
    kind: str
    language: str
    snippet: str  # matches between HIGHLIGHT_START and HIGHLIGHT_END

    def snippet_parts(self) -> list[tuple[str, bool]]:
        """(text, highlighted) pieces, for terminals and the TUI."""
        parts: list[tuple[str, bool]] = []
        for piece in re.split(f"({HIGHLIGHT_START}.*?{HIGHLIGHT_END})", self.snippet):
            if piece.startswith(HIGHLIGHT_START):
                parts.append((piece[1:-1], True))
            elif piece:
                parts.append((piece, False))
        return parts

    def marked(self, start: str = "[", end: str = "]") -> str:
        return self.snippet.replace(HIGHLIGHT_START, start).replace(HIGHLIGHT_END, end)


@dataclass(frozen=True)
class _Term:
    words: tuple[str, ...]  # one word, or several for a phrase
    prefix: bool = False
    negated: bool = False
    or_before: bool = False


_TOKEN = re.compile(r'(-?)"([^"]*)"|(\S+)')


def parse_query(query: str) -> list[_Term]:
    terms: list[_Term] = []
    pending_or = pending_not = False
    for m in _TOKEN.finditer(query.strip()):
        if m.group(2) is not None:
            words = tuple(w for w in re.findall(r"\w+", m.group(2).casefold()))
            negated, prefix = bool(m.group(1)) or pending_not, False
        else:
            token = m.group(3)
            if token == "OR":
                pending_or = bool(terms)
                continue
            if token in ("NOT", "AND"):
                pending_not = token == "NOT"
                continue
            negated = token.startswith("-") or pending_not
            prefix = token.endswith("*")
            words = tuple(re.findall(r"\w+", token.strip("-*").casefold()))
        if not words:
            pending_or = pending_not = False
            continue
        terms.append(_Term(words, prefix and len(words) == 1, negated, pending_or))
        pending_or = pending_not = False
    if not terms or all(t.negated for t in terms):
        raise UsageError("Give at least one word to look for (e.g. trpkit search 'passport').")
    if terms[0].negated:  # both engines need something to find before excluding: move exclusions last
        terms = [t for t in terms if not t.negated] + [t for t in terms if t.negated]
    return terms


def _groups(terms: list[_Term]) -> list[list[_Term]]:
    """Terms as an OR of AND-groups (AND binds tighter than OR, on both engines alike)."""
    groups: list[list[_Term]] = [[]]
    for term in terms:
        if term.or_before and groups[-1]:
            groups.append([])
        groups[-1].append(term)
    return [g for g in groups if g]


def _fts5_term(term: _Term, languages: tuple[str, ...]) -> str:
    if term.prefix:
        return '"' + fold(term.words[0]) + '"*'
    phrases = dict.fromkeys(" ".join(stem(w, lang) for w in term.words) for lang in languages)
    return "(" + " OR ".join('"' + p.replace('"', '""') + '"' for p in phrases) + ")"


def _fts5_query(terms: list[_Term], languages: tuple[str, ...]) -> str:
    groups: list[str] = []
    for group in _groups(terms):
        positive = [_fts5_term(t, languages) for t in group if not t.negated]
        negative = [_fts5_term(t, languages) for t in group if t.negated]
        if not positive:
            continue
        expr = " AND ".join(positive)
        groups.append("(" + expr + "".join(f" NOT {n}" for n in negative) + ")")
    return " OR ".join(groups)


def _pg_term(term: _Term, configs: tuple[str, ...], params: dict[str, str]) -> str:
    key = f"t{len(params)}"
    params[key] = " ".join(term.words)
    if term.prefix:
        return f"to_tsquery('simple', narrative_fts_fold(:{key}) || ':*')"
    make = "phraseto_tsquery" if len(term.words) > 1 else "plainto_tsquery"
    return "(" + " || ".join(f"{make}('{c}', narrative_fts_fold(:{key}))" for c in configs) + ")"


def _tsquery(terms: list[_Term], configs: tuple[str, ...], params: dict[str, str]) -> str:
    """SQL building one tsquery: each word in every configuration searched, ORed."""
    groups: list[str] = []
    for group in _groups(terms):
        positive = [_pg_term(t, configs, params) for t in group if not t.negated]
        negative = [f"!!{_pg_term(t, configs, params)}" for t in group if t.negated]
        if positive:
            groups.append("(" + " && ".join(positive + negative) + ")")
    return " || ".join(groups)


def _languages(session: Session) -> tuple[str, ...]:
    stored = session.scalars(select(NarrativeEntry.language).distinct()).all()
    return query_languages(stored)


def _matcher(terms: list[_Term], languages: tuple[str, ...]) -> Matcher:
    wanted = [t for t in terms if not t.negated]
    stems = {stem(w, lang) for t in wanted if not t.prefix for w in t.words for lang in languages}
    return Matcher(frozenset(stems), tuple(fold(t.words[0]) for t in wanted if t.prefix))


def _snippet(entry_text: str, translation: str, language: str, matcher: Matcher) -> str:
    """The excerpt around the first match: in the person's words, else in the translation."""
    found = excerpt(entry_text, (language,), matcher, HIGHLIGHT_START, HIGHLIGHT_END)
    if found is None and translation:
        found = excerpt(translation, TRANSLATION_LANGUAGES, matcher, HIGHLIGHT_START, HIGHLIGHT_END)
    if found is None:  # matched through a form the excerpt cannot point at: show the start
        found = " ".join(entry_text.split()[:24])
    return found


def _matching_entries(
    session: Session, terms: list[_Term], languages: tuple[str, ...], params: dict[str, str]
) -> _HitQuery:
    """The entries the full-text index matches, best first (SQLite FTS5 or PostgreSQL text search);
    fills ``params`` with the query's bound values."""
    columns = (
        Case.code,
        NarrativeEntry.id,
        NarrativeEntry.meeting_id,
        NarrativeMeeting.held_on,
        NarrativeEntry.kind,
        NarrativeEntry.language,
        NarrativeEntry.text,
        NarrativeEntry.translation,
    )
    if session.get_bind().dialect.name == "sqlite":
        fts = table("narrative_fts", column("rowid"))
        stmt = (
            select(*columns)
            .select_from(fts)
            .join(NarrativeEntry, NarrativeEntry.id == fts.c.rowid)
            .where(text("narrative_fts MATCH :q"))
            .order_by(text("narrative_fts.rank"))
        )
        params["q"] = _fts5_query(terms, languages)
    else:
        fts = table("narrative_fts", column("entry_id"), column("document"))
        configs = tuple(dict.fromkeys(STEMMED_LANGUAGES.get(lang, "simple") for lang in languages))
        tsq = text("(" + _tsquery(terms, configs, params) + ")")
        stmt = (
            select(*columns)
            .select_from(fts)
            .join(NarrativeEntry, NarrativeEntry.id == fts.c.entry_id)
            .where(fts.c.document.op("@@")(tsq))
            .order_by(func.ts_rank(fts.c.document, tsq).desc(), NarrativeEntry.id)
        )
    return stmt


def _execute(session: Session, stmt: _HitQuery, params: dict[str, str], query: str) -> Sequence[_HitRow]:
    try:
        return session.execute(stmt, params).all()
    except Exception as exc:  # a query the engine rejects is the person's input, not a crash
        if "fts5" in str(exc).lower() or "tsquery" in str(exc).lower() or "syntax" in str(exc).lower():
            raise UsageError(
                f'Cannot search for {query!r}: use words, "a phrase", OR, -word or word*.'
            ) from None
        raise


def search(
    session: Session,
    actor: Actor,
    query: str,
    *,
    case_code: str | None = None,
    limit: int = 50,
    audit_reads: bool = True,
) -> list[SearchHit]:
    """The best-matching entries (most relevant first) in cases the actor may open."""
    if not actor.reads_case_files:
        raise AccessDenied(f"The {actor.role.value} role cannot read narratives.")
    terms = parse_query(query)
    limit = max(1, min(limit, 500))
    case_id = require_case(session, actor, case_code).id if case_code else None
    languages = _languages(session)
    params: dict[str, str] = {}
    stmt = _matching_entries(session, terms, languages, params)
    stmt = (
        stmt.join(NarrativeMeeting, NarrativeMeeting.id == NarrativeEntry.meeting_id)
        .join(Case, Case.id == NarrativeEntry.case_id)
        .limit(limit)
    )
    stmt = visible_cases(actor, stmt)
    if case_id is not None:
        stmt = stmt.where(NarrativeEntry.case_id == case_id)
    rows = _execute(session, stmt, params, query)
    matcher = _matcher(terms, languages)
    hits = [
        SearchHit(
            code,
            entry_id,
            meeting_id,
            held_on,
            kind,
            language,
            _snippet(body, translation, language, matcher),
        )
        for code, entry_id, meeting_id, held_on, kind, language, body, translation in rows
    ]
    if audit_reads:
        audit.record(
            session,
            actor,
            "narrative.search",
            case_code.upper() if case_code else None,
            hits=len(hits),
            cases=len({h.case_code for h in hits}),
        )
    return hits
