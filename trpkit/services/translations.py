"""French (or English) versions of a case's content, written by the accompanier for letters.

A letter in French shows every piece of the case in French: the chronology, the summaries of the
account, the notes for the letter, the exhibit titles and sources, the facts noted with indicators,
and a French translation of each quote spoken in another language. Pieces already written in the
letter's language need nothing; the others need a version here, with who translated it. A version
records the SHA-256 of the original it translates: when the original changes, the version is out of
date and the letter is blocked again until it is redone (the officer never reads a translation of
older words).

Piece ids: ``event:<id>``, ``event-date:<id>`` (a date kept as said), ``entry:<id>`` (summary or quote), ``note:<section>``, ``exhibit:<n>``,
``exhibit-source:<n>``, ``link:<id>`` (the fact noted with an indicator).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from trpkit.db.models.translations import LetterTranslation
from trpkit.errors import NotFound, UsageError
from trpkit.services import audit
from trpkit.services.access import require_case
from trpkit.services.actor import Actor

LANGUAGES = ("fr", "en")
_PIECE = re.compile(r"^(event|event-date|entry|link|exhibit|exhibit-source):\d+$|^note:[a-z_]+$")
# Short texts defeat statistical detection ("Quitte la ferme" reads as Italian): these words decide.
_WORDS = {
    "fr": {
        "le",
        "la",
        "les",
        "l",
        "d",
        "de",
        "des",
        "du",
        "au",
        "aux",
        "et",
        "à",
        "un",
        "une",
        "avec",
        "pour",
        "sur",
        "est",
        "sa",
        "son",
        "ses",
        "elle",
        "il",
        "dans",
        "par",
        "ne",
        "pas",
        "qui",
        "que",
        "sous",
        "chez",
        "été",
        "était",
        "ont",
    },
    "en": {
        "the",
        "a",
        "an",
        "of",
        "to",
        "and",
        "in",
        "on",
        "with",
        "for",
        "is",
        "was",
        "her",
        "his",
        "she",
        "he",
        "at",
        "by",
        "from",
        "they",
        "their",
        "were",
        "has",
        "had",
        "not",
        "who",
        "that",
    },
}
_ACCENTS = {"fr": set("éèêàçùûôîœ"), "en": set()}


def sha256(text: str) -> str:
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()


def written_in(text: str, language: str) -> bool:
    """Whether ``text`` reads as already written in ``language`` (fr or en): then it needs no version."""
    words = re.findall(r"[^\W\d_]+", text.lower().replace("'", " ").replace("’", " "))
    if not words:
        return True  # numbers, codes, dates: nothing to translate
    other = "en" if language == "fr" else "fr"
    if len(words) >= 4:
        from langdetect import (  # type: ignore[import-untyped]
            DetectorFactory,
            LangDetectException,
            detect_langs,
        )

        DetectorFactory.seed = 0  # the same text always gives the same answer
        try:
            best = detect_langs(text)[0]
        except LangDetectException:
            best = None
        if best is not None and best.prob >= 0.8 and best.lang in (language, other):
            return bool(best.lang == language)
    ours = sum(w in _WORDS[language] for w in words)
    theirs = sum(w in _WORDS[other] for w in words)
    if ours != theirs:
        return ours > theirs
    return bool(_ACCENTS[language] & set(text.lower())) and not _ACCENTS[other] & set(text.lower())


@dataclass(frozen=True)
class Version:
    piece: str
    language: str
    text: str
    translator: str
    current: bool  # False when the original changed after it was translated


@dataclass(frozen=True)
class PieceStatus:
    piece: str
    label: str  # what the piece is, for a person ("event 'Arrival' (June 2019)")
    original: str
    status: str  # translated | outdated | missing | already (written in the language)
    text: str = ""
    translator: str = ""


def versions(session: Session, case_id: int, language: str, originals: dict[str, str]) -> dict[str, Version]:
    """Stored versions for a case, marked current when they translate the original as it is now."""
    rows = session.scalars(
        select(LetterTranslation).where(
            LetterTranslation.case_id == case_id, LetterTranslation.language == language
        )
    )
    return {
        row.piece: Version(
            row.piece,
            language,
            row.text,
            row.translator,
            row.piece in originals and row.source_sha256 == sha256(originals[row.piece]),
        )
        for row in rows
    }


def _check(piece: str, language: str) -> None:
    if language not in LANGUAGES:
        raise UsageError(f"language {language!r}: use fr or en")
    if not _PIECE.match(piece):
        raise UsageError(
            f"'{piece}' is not a piece of a letter: use event:N, entry:N, note:SECTION, exhibit:N, "
            "exhibit-source:N or link:N (see 'trpkit translations list')"
        )


def set_version(
    session: Session,
    actor: Actor,
    code: str,
    piece: str,
    *,
    text: str,
    translator: str,
    original: str,
    language: str = "fr",
) -> Version:
    """Record the version of ``piece`` (whose current text is ``original``) in ``language``."""
    from trpkit.services.consent import require_consent

    _check(piece, language)
    case = require_case(session, actor, code)
    require_consent(session, case, "prepare_file")
    if not text.strip():
        raise UsageError("the translation is empty: write it, or remove the version instead")
    if not translator.strip():
        raise UsageError("say who translated it (--translator): the letter names the translator")
    row = session.scalar(
        select(LetterTranslation).where(
            LetterTranslation.case_id == case.id,
            LetterTranslation.piece == piece,
            LetterTranslation.language == language,
        )
    )
    if row is None:
        row = LetterTranslation(case_id=case.id, piece=piece, language=language)
        session.add(row)
    row.text, row.translator = text.strip(), translator.strip()[:200]
    row.source_sha256 = sha256(original)
    row.updated_by_id = actor.user_id
    session.flush()
    audit.record(session, actor, "translation.set", case.code, piece=piece, language=language)
    return Version(piece, language, row.text, row.translator, True)


def remove_version(session: Session, actor: Actor, code: str, piece: str, language: str = "fr") -> None:
    _check(piece, language)
    case = require_case(session, actor, code)
    row = session.scalar(
        select(LetterTranslation).where(
            LetterTranslation.case_id == case.id,
            LetterTranslation.piece == piece,
            LetterTranslation.language == language,
        )
    )
    if row is None:
        raise NotFound(f"{case.code} has no {language} version of {piece}")
    session.delete(row)
    session.flush()
    audit.record(session, actor, "translation.remove", case.code, piece=piece, language=language)


class Localiser:
    """Puts each piece of case content into the letter's language while a draft is gathered.

    For a French letter, ``text`` returns the current French version of a piece, or the original when
    it already reads as French; otherwise it keeps the original and notes the piece as missing (the
    readiness check then blocks the draft, naming it). For an English letter it changes nothing.
    """

    def __init__(self, session: Session, case_id: int, language: str) -> None:
        self.language = language
        self.active = language == "fr"
        self.rows: dict[str, LetterTranslation] = {}
        if self.active:
            self.rows = {
                row.piece: row
                for row in session.scalars(
                    select(LetterTranslation).where(
                        LetterTranslation.case_id == case_id, LetterTranslation.language == language
                    )
                )
            }
        self.seen: list[PieceStatus] = []

    def text(self, piece: str, original: str, label: str, spoken: str = "") -> str:
        if not self.active or not original.strip():
            return original
        row = self.rows.get(piece)
        if row is not None and row.source_sha256 == sha256(original):
            self.seen.append(PieceStatus(piece, label, original, "translated", row.text, row.translator))
            return row.text
        if spoken == self.language or (not spoken and written_in(original, self.language)):
            self.seen.append(PieceStatus(piece, label, original, "already"))
            return original
        status = "outdated" if row is not None else "missing"
        self.seen.append(
            PieceStatus(
                piece, label, original, status, row.text if row else "", row.translator if row else ""
            )
        )
        return original

    def quote(
        self, piece: str, original: str, label: str, spoken: str, existing: tuple[str, str] = ("", "")
    ) -> tuple[str, str] | None:
        """(translation, translator) of words spoken in another language, or None when not needed/missing.

        ``existing`` is the translation recorded with the words in the narrative: used when it is
        already in the letter's language."""
        if not self.active or spoken == self.language:
            return None
        row = self.rows.get(piece)
        if row is not None and row.source_sha256 == sha256(original):
            self.seen.append(PieceStatus(piece, label, original, "translated", row.text, row.translator))
            return row.text, row.translator
        if existing[0].strip() and written_in(existing[0], self.language):
            self.seen.append(PieceStatus(piece, label, original, "translated", *existing))
            return existing
        status = "outdated" if row is not None else "missing"
        self.seen.append(
            PieceStatus(
                piece, label, original, status, row.text if row else "", row.translator if row else ""
            )
        )
        return None

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(
            f"{p.label} ({p.piece}{', changed since it was translated' if p.status == 'outdated' else ''})"
            for p in self.seen
            if p.status in ("missing", "outdated")
        )
