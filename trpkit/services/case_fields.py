"""What a case file may hold: the case's and the person's field names, and checking the values given
(choices by their words, countries and languages by name or code, an approximate date of birth)."""

from __future__ import annotations

from typing import Any

from trpkit.domain.vocab import (
    CaseStatus,
    CriminalCaseStatus,
    ExploitationSector,
    LawEnforcementCooperation,
    parse_choice,
)
from trpkit.errors import UsageError

PERSON_FIELDS = (
    "legal_name",
    "preferred_name",
    "aliases",
    "birth_date_text",
    "birth_date_earliest",
    "birth_date_latest",
    "gender",
    "nationality",
    "languages",
    "interpreter_needs",
    "contact",
    "safe_contact_instructions",
    "immigration_status",
    "uci",
    "dependants_in_canada",
)
CASE_FIELDS = (
    "status",
    "exploitation_sector",
    "law_enforcement_cooperation",
    "criminal_case_status",
    "summary",
)
_CASE_ENUMS = {
    "status": (CaseStatus, "status"),
    "exploitation_sector": (ExploitationSector, "exploitation sector"),
    "law_enforcement_cooperation": (LawEnforcementCooperation, "law enforcement cooperation"),
    "criminal_case_status": (CriminalCaseStatus, "criminal case status"),
}


def clean_case_values(values: dict[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for key, value in values.items():
        if key in _CASE_ENUMS:
            enum, what = _CASE_ENUMS[key]
            try:
                cleaned[key] = parse_choice(enum, str(value), what).value
            except ValueError as exc:
                raise UsageError(str(exc)) from None
        elif key in CASE_FIELDS:
            cleaned[key] = value
        else:
            raise UsageError(f"unknown case field '{key}'")
    return cleaned


def _country(text: str) -> str:
    """A country by name (English, French, Spanish) or ISO code, as its code: "Mexique" -> "MX"."""
    from trpkit.domain.places_languages import UnknownName, resolve_country

    try:
        return resolve_country(text)
    except UnknownName as exc:
        raise UsageError(f"Nationality: {exc}") from None


def _language(text: str) -> str:
    """A language by name or ISO 639 code, as its code: "espagnol" -> "es"."""
    from trpkit.domain.places_languages import UnknownName, resolve_language

    try:
        return resolve_language(text)
    except UnknownName as exc:
        raise UsageError(f"Languages: {exc}") from None


def clean_person_values(values: dict[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for key, value in values.items():
        if key not in PERSON_FIELDS:
            raise UsageError(f"unknown person field '{key}'")
        if key == "nationality" and value and str(value).strip():
            value = _country(str(value))
        if key in ("aliases", "languages") and isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        if key == "languages" and value:
            value = [_language(str(part)) for part in value]
        cleaned[key] = value
    if (
        "birth_date_text" in cleaned
        and "birth_date_earliest" not in cleaned
        and "birth_date_latest" not in cleaned
    ):
        # an approximate date of birth ("around 1990", "March 1988") keeps its words and the interval they allow
        from trpkit.domain.fuzzy_dates import parse_fuzzy

        birth = parse_fuzzy(str(cleaned["birth_date_text"] or ""))
        cleaned["birth_date_earliest"], cleaned["birth_date_latest"] = birth.earliest, birth.latest
    return cleaned
