"""A pattern in the incident bulletin, in English or French: a rise in refusals where and when
incidents were reported, said as questions to check, never as a conclusion."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PatternFacts:
    place: str  # the province's name in the bulletin's language
    year: int
    refused_before: int
    decided_before: int
    refused: int
    decided: int
    incidents: str  # "title (ref); title (ref)" of up to five incidents


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole)


def pattern_sentence(facts: PatternFacts, language: str = "en") -> str:
    f = facts
    then, now = _percent(f.refused_before, f.decided_before), _percent(f.refused, f.decided)
    if language == "fr":
        return (
            f"{f.place}, {f.year} : les refus sont passés de {then} % ({f.refused_before} sur "
            f"{f.decided_before}) en {f.year - 1} à {now} % ({f.refused} sur {f.decided}), et des incidents "
            f"y ont été signalés cette année-là : {f.incidents}. Les personnes touchées figurent-elles parmi "
            "les demandes refusées ? Les agents ont-ils changé de pratique après ces événements ? À vérifier "
            "avant toute conclusion."
        )
    return (
        f"{f.place}, {f.year}: refusals rose from {then}% ({f.refused_before} of {f.decided_before}) in "
        f"{f.year - 1} to {now}% ({f.refused} of {f.decided}), and incidents were reported there that "
        f"year: {f.incidents}. Were people affected by these events among those refused? Did officers "
        "change how they decide after them? Questions to check, not conclusions."
    )
