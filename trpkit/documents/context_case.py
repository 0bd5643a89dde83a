"""The parts of the drafting context that state facts of the case: the previous permit, the criminal
case and the person's account (their own words only with their consent to be quoted)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from trpkit.documents.context_wording import WORDS, amount_text, format_date, format_fuzzy
from trpkit.domain.text import paragraphs

if TYPE_CHECKING:
    from trpkit.documents.context import DraftData


def previous_permit(data: DraftData, lang: str) -> dict[str, Any]:
    """The previous permit as the letter states it: in force or ended, never "current" once it has ended."""
    permit = data.previous_permit
    if permit is None:
        return {
            "number": "",
            "valid_from": "",
            "valid_to": "",
            "duration": "",
            "lapsed": False,
            "known": False,
        }
    lapsed = permit.valid_to is not None and permit.valid_to < data.draft_date
    return {
        "number": permit.number.strip(),  # unknown: the letter names the permit by its dates only
        "valid_from": format_date(permit.valid_from, lang),
        "valid_to": format_date(permit.valid_to, lang),
        "duration": amount_text(permit.duration_days, lang),
        "lapsed": lapsed,
        "in_force": permit.valid_to is not None and not lapsed,
        "known": permit.valid_from is not None and permit.valid_to is not None,
    }


def criminal_case(data: DraftData, lang: str) -> dict[str, Any]:
    """Only what the file records: nothing is said about a case or a cooperation recorded as none."""
    words = WORDS[lang]
    cooperation = data.cooperation if data.cooperation in ("reported", "cooperating", "testified") else ""
    return {
        "status": words.get(data.criminal_case_status, data.criminal_case_status),
        "known": data.criminal_case_status in ("investigation", "prosecution", "concluded"),
        "concluded": data.criminal_case_status == "concluded",
        "cooperation": words.get({"reported": "reported_police"}.get(cooperation, cooperation), cooperation),
        "cooperated": bool(cooperation),
        "reported": cooperation == "reported",
        "cooperating": cooperation == "cooperating",
        "testified": cooperation == "testified",
    }


def account_passages(data: DraftData, lang: str) -> dict[str, Any]:
    words = WORDS[lang]
    quotes = (
        [
            {
                "number": str(q.number) if q.number else "",
                "text": q.text,
                "date": format_fuzzy(q.date, lang) if q.date else "",
                "translation": q.translation,
                "translator": q.translator or words["translator_unknown"],
            }
            for q in data.own_words
        ]
        if data.quote_allowed
        else []
    )
    summaries = []
    for item in data.summaries:
        for i, text in enumerate(paragraphs(item.text)):
            summaries.append({"number": str(item.number) if i == 0 and item.number else "", "text": text})
    return {"own_words": quotes, "summaries": summaries}
