"""Sentences of the letters that the templates do not hold, in English and French."""

from __future__ import annotations

from collections.abc import Sequence

from trpkit.domain.frameworks import Criterion, Dimension, FrenchStatus, Indicator

IRCC_NAME = {
    "en": "Immigration, Refugees and Citizenship Canada",
    "fr": "Immigration, Réfugiés et Citoyenneté Canada",
}


def addressed_to_ircc(office_lines: tuple[str, ...], language: str) -> tuple[str, ...]:
    """The IRCC office's address, headed by the department's name unless its first line names it."""
    if office_lines and not any(w in office_lines[0] for w in ("IRCC", "Immigration")):
        return (IRCC_NAME["en"] if language == "en" else IRCC_NAME["fr"], *office_lines)
    return office_lines


def translation_note(labels_shown: Sequence[Indicator | Dimension | Criterion], language: str) -> str:
    """In a French letter, say plainly when the indicator and criterion labels are not official wording."""
    if language != "fr" or not any(x.label_fr_status is FrenchStatus.UNOFFICIAL for x in labels_shown):
        return ""
    return (
        "Les libellés des critères et des indicateurs ci-dessous sont une traduction non officielle; les "
        "textes de référence (instructions d'IRCC, indicateurs OIT/CE) font foi."
    )
