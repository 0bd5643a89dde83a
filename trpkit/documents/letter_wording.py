"""Sentences of the letters that the templates do not hold, in English and French."""

from __future__ import annotations

from typing import Any


def translation_note(labels_shown: list[Any], language: str) -> str:
    """In a French letter, say plainly when the indicator and criterion labels are not official wording."""
    from trpkit.domain.frameworks import FrenchStatus

    if language != "fr" or not any(x.label_fr_status is FrenchStatus.UNOFFICIAL for x in labels_shown):
        return ""
    return (
        "Les libellés des critères et des indicateurs ci-dessous sont une traduction non officielle; les "
        "textes de référence (instructions d'IRCC, indicateurs OIT/CE) font foi."
    )
