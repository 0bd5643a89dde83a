"""Passphrase strength: long enough, and not guessable (zxcvbn's estimate)."""

from __future__ import annotations

from dataclasses import dataclass

MIN_LENGTH = 12
MIN_SCORE = 3  # zxcvbn: 3 = "safely unguessable: moderate protection from offline slow-hash attacks"


@dataclass(frozen=True)
class StrengthReport:
    acceptable: bool
    score: int
    problems: tuple[str, ...]


def assess_passphrase(passphrase: str, context_words: tuple[str, ...] = ()) -> StrengthReport:
    from zxcvbn import zxcvbn

    problems: list[str] = []
    if len(passphrase) < MIN_LENGTH:
        problems.append(f"use at least {MIN_LENGTH} characters (several unrelated words work well)")
    result = zxcvbn(passphrase[:200], user_inputs=list(context_words))
    score = int(result["score"])
    if score < MIN_SCORE:
        warning = result["feedback"].get("warning") or "it would be easy to guess"
        problems.append(f"too easy to guess: {warning.rstrip('.').lower()}")
    return StrengthReport(acceptable=not problems, score=score, problems=tuple(problems))
