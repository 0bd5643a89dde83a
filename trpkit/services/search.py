"""Full-text search across narratives, limited to the cases the viewer may open.

Query language (the same on both backends): words (all must appear), "a phrase", OR between
alternatives, -word or NOT word to exclude, word* for a prefix. Accents are ignored ("Canada"
finds "Canadá"). Snippets mark the matches with HIGHLIGHT_START / HIGHLIGHT_END.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import column, func, literal_column, select, table, text
from sqlalchemy.orm import Session

from trpkit.db.models import Case
from trpkit.db.models.narrative import NarrativeEntry, NarrativeMeeting
from trpkit.errors import AccessDenied, UsageError
from trpkit.services import audit
from trpkit.services.access import require_case, visible_cases
from trpkit.services.actor import Actor

HIGHLIGHT_START = "\x02"
HIGHLIGHT_END = "\x03"
_ACCENTED = "áàâäãåāéèêëēíìîïīóòôöõøōúùûüūçñýÿœæ"
_PLAIN = "aaaaaaaeeeeeiiiiiooooooouuuuucnyyoa"
_FOLD = str.maketrans(_ACCENTED, _PLAIN)


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


def _fts5_query(terms: list[_Term]) -> str:
    out: list[str] = []
    for term in terms:
        quoted = '"' + " ".join(term.words).replace('"', '""') + '"' + ("*" if term.prefix else "")
        if term.negated:
            out.append(f"NOT {quoted}")
        elif term.or_before and out:
            out.append(f"OR {quoted}")
        else:
            out.append(quoted)
    return " ".join(out)


def _tsquery(terms: list[_Term]) -> str:
    out = ""
    for term in terms:
        lexemes = ["'" + w.translate(_FOLD).replace("'", "''").replace("\\", "") + "'" for w in term.words]
        piece = " <-> ".join(lexemes) + (":*" if term.prefix else "")
        if len(lexemes) > 1:
            piece = f"({piece})"
        if term.negated:
            out += f" & !{piece}"
        elif out:
            out += f" {'|' if term.or_before else '&'} {piece}"
        else:
            out = piece
    return out


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
    if session.get_bind().dialect.name == "sqlite":
        fts = table("narrative_fts", column("rowid"))
        snippet = literal_column(
            f"snippet(narrative_fts, -1, '{HIGHLIGHT_START}', '{HIGHLIGHT_END}', '…', 14)"
        )
        stmt = (
            select(
                Case.code,
                NarrativeEntry.id,
                NarrativeEntry.meeting_id,
                NarrativeMeeting.held_on,
                NarrativeEntry.kind,
                NarrativeEntry.language,
                snippet,
            )
            .select_from(fts)
            .join(NarrativeEntry, NarrativeEntry.id == fts.c.rowid)
            .join(NarrativeMeeting, NarrativeMeeting.id == NarrativeEntry.meeting_id)
            .join(Case, Case.id == NarrativeEntry.case_id)
            .where(text("narrative_fts MATCH :q"))
            .order_by(text("narrative_fts.rank"))
            .limit(limit)
        )
        params = {"q": _fts5_query(terms)}
    else:
        fts = table("narrative_fts", column("entry_id"), column("document"), column("case_id"))
        tsq = func.to_tsquery("simple", text(":q"))
        headline = func.ts_headline(
            "simple",
            NarrativeEntry.text + " " + NarrativeEntry.translation,
            tsq,
            f"StartSel={HIGHLIGHT_START}, StopSel={HIGHLIGHT_END}, MaxWords=24, MinWords=10, MaxFragments=2, "
            "FragmentDelimiter=…",
        )
        stmt = (
            select(
                Case.code,
                NarrativeEntry.id,
                NarrativeEntry.meeting_id,
                NarrativeMeeting.held_on,
                NarrativeEntry.kind,
                NarrativeEntry.language,
                headline,
            )
            .select_from(fts)
            .join(NarrativeEntry, NarrativeEntry.id == fts.c.entry_id)
            .join(NarrativeMeeting, NarrativeMeeting.id == NarrativeEntry.meeting_id)
            .join(Case, Case.id == NarrativeEntry.case_id)
            .where(fts.c.document.op("@@")(tsq))
            .order_by(func.ts_rank(fts.c.document, tsq).desc(), NarrativeEntry.id)
            .limit(limit)
        )
        params = {"q": _tsquery(terms)}
    stmt = visible_cases(actor, stmt)
    if case_id is not None:
        stmt = stmt.where(NarrativeEntry.case_id == case_id)
    try:
        rows = session.execute(stmt, params).all()
    except Exception as exc:  # a query the engine rejects is the person's input, not a crash
        if "fts5" in str(exc).lower() or "tsquery" in str(exc).lower() or "syntax" in str(exc).lower():
            raise UsageError(
                f'Cannot search for {query!r}: use words, "a phrase", OR, -word or word*.'
            ) from None
        raise
    hits = [
        SearchHit(code, entry_id, meeting_id, held_on, kind, language, snippet or "")
        for code, entry_id, meeting_id, held_on, kind, language, snippet in rows
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
