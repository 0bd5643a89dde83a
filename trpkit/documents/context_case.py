"""The part of the drafting context that states the facts of the case (the part redaction rewrites):
the person, the request, the previous permit, the criminal case, the chronology, the person's account
(their own words only with their consent to be quoted), the accompanier's notes, the argument, exhibits."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from trpkit.documents.argument import argued
from trpkit.documents.context_wording import (
    WORDS,
    amount_text,
    country_name,
    duration_text,
    format_date,
    format_fuzzy,
)
from trpkit.domain.readiness import TIES
from trpkit.domain.text import paragraphs

if TYPE_CHECKING:
    from trpkit.documents.context import DraftData, PersonData

# The accompanier's notes the letter reads: free sections, needs (notes "needs_health"...) and the person's
# ties in Canada (TIES, argued together in the subsequent letter).
SECTIONS = (
    "vulnerabilities",
    "safety",
    "risks_on_return",
    "continued_need",
    "recovery",
    "criminal_case",
)
NEEDS = ("health", "housing", "work")


def case_context(data: DraftData) -> dict[str, Any]:
    """What the letter states about the person and their case, in the draft's language."""
    lang = data.language
    notes = {key: paragraphs(data.notes.get(key, "")) for key in SECTIONS}
    needs = _needs(data, lang)
    account = account_passages(data, lang)
    return {
        "person": _person(data.person, lang),
        "request": _request(data, lang),
        "previous_permit": previous_permit(data, lang),
        "criminal_case": criminal_case(data, lang),
        "chronology": [
            {
                "date": format_fuzzy(item.date, lang),
                "date_in": format_fuzzy(item.date, lang, True),
                "text": item.text,
            }
            for item in data.chronology
        ],
        **account,
        "notes": notes,
        "needs": needs,
        "ties": _ties(data, lang),
        "sections": {
            "situation": any(notes[k] for k in ("vulnerabilities", "safety", "risks_on_return")),
            "recovery": bool(notes["recovery"] or notes["safety"]),
            "account": bool(account["own_words"] or account["summaries"]),
            "needs": bool(needs),
        },
        "assessment": {
            "framework": data.assessment.framework,
            "translation_note": data.assessment.translation_note,
        },
        "argument": argued(data.assessment, lang),
        "exhibits": [
            {
                "number": str(x.number),
                "title": x.title,
                "date": format_fuzzy(x.date, lang) if x.date else "",
                "source": x.source,
                "supports": ", ".join(x.supports),
            }
            for x in data.exhibits
        ],
    }


def _person(person: PersonData, lang: str) -> dict[str, Any]:
    words = WORDS[lang]
    return {
        "name": person.name,
        "birth_date": person.birth_date_text or words["unknown_birth"],
        "nationality": country_name(person.nationality, lang)
        if person.nationality
        else words["unknown_birth"],
        "uci": person.uci or words["no_uci"],
    }


def _request(data: DraftData, lang: str) -> dict[str, Any]:
    """What is asked for: the permit's length and fee under the policy in force, work permit, IFHP."""
    words = WORDS[lang]
    policy = data.policy
    return {
        "duration": duration_text(policy.duration_days, policy.duration_kind, lang) if policy else "",
        "fee_exempt": bool(policy and policy.fee_exempt),
        "fee_text": words["fee"].format(policy=policy.title, since=format_date(policy.effective_from, lang))
        if policy
        else "",
        "work_permit": data.request_work_permit,
        "ifhp": data.request_ifhp,
        "no_other_coverage": data.health_coverage == "none",
        "dependants": [
            {"name": str(d.get("name", "")), "relationship": str(d.get("relationship", ""))}
            for d in data.person.dependants
        ],
    }


def _needs(data: DraftData, lang: str) -> list[dict[str, str]]:
    words = WORDS[lang]
    return [
        {"label": words[key], "text": data.notes.get(f"needs_{key}", "").strip()}
        for key in NEEDS
        if data.notes.get(f"needs_{key}", "").strip()
    ]


def _ties(data: DraftData, lang: str) -> list[dict[str, str]]:
    """Each tie recorded, its kind named on its first paragraph (the letter argues them together)."""
    words = WORDS[lang]
    return [
        {"label": words[key] if i == 0 else "", "text": text}
        for key in TIES
        for i, text in enumerate(paragraphs(data.notes.get(key, "")))
    ]


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
