"""The case a letter is drafted from: who reads it, in which language, with which versions of its content."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from trpkit.services.actor import Actor
from trpkit.services.translations import Localiser


@dataclass(frozen=True)
class LetterSource:
    """One reading of a case for one letter, handed to each gathering step.

    Every step reads through the areas' own services with ``actor``, so each access check still applies.
    """

    session: Session
    actor: Actor
    code: str
    language: str  # the letter's language: labels and type names are worded in it
    loc: Localiser  # the versions of the case's own words shown (English-only for the exhibit index)
