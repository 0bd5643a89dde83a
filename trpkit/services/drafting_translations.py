"""The pieces of case content a letter shows, and their versions in the letter's language."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from trpkit.errors import UsageError
from trpkit.services.actor import Actor
from trpkit.services.drafting_gather import gather
from trpkit.services.translations import PieceStatus


def translation_status(
    session: Session,
    actor: Actor,
    code: str,
    *,
    template: str = "trp-initial",
    language: str = "fr",
    on: date | None = None,
) -> tuple[PieceStatus, ...]:
    """Every piece of case content a letter in ``language`` shows, and whether it has its version."""
    return gather(session, actor, code, template=template, language=language, on=on).pieces


def set_translation(
    session: Session,
    actor: Actor,
    code: str,
    piece: str,
    *,
    text: str,
    translator: str,
    language: str = "fr",
) -> PieceStatus:
    """Record the ``language`` version of one piece (as listed by ``translation_status``)."""
    from trpkit.services.translations import set_version

    # the subsequent letter shows every piece the other templates show
    pieces = {
        p.piece: p
        for p in translation_status(session, actor, code, template="trp-subsequent", language=language)
    }
    found = pieces.get(piece)
    if found is None:
        raise UsageError(
            f"{piece} is not shown in a {language} letter for {code.strip().upper()} (list the pieces with "
            f"'trpkit translations list {code.strip().upper()}')"
        )
    version = set_version(
        session,
        actor,
        code,
        piece,
        text=text,
        translator=translator,
        original=found.original,
        language=language,
    )
    return PieceStatus(piece, found.label, found.original, "translated", version.text, version.translator)
