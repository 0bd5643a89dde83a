"""Controlled vocabularies shared by every layer, with plain-language labels.

Values are stable identifiers stored in the database and in exports; labels are what people see.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

E = TypeVar("E", bound=StrEnum)


class CaseStatus(StrEnum):
    INTAKE = "intake"
    PREPARING = "preparing"
    SUBMITTED = "submitted"
    DECIDED = "decided"
    CLOSED = "closed"


class Role(StrEnum):
    ACCOMPANIER = "accompanier"
    SUPERVISOR = "supervisor"
    ANALYST = "analyst"
    ADMIN = "admin"


class ConsentPurpose(StrEnum):
    PREPARE_FILE = "prepare_file"
    SUBMIT_TO_IRCC = "submit_to_ircc"
    COALITION_SHARING = "coalition_sharing"
    LAW_ENFORCEMENT = "law_enforcement"
    NGO_CONTACT = "ngo_contact"
    QUOTE_OWN_WORDS = "quote_own_words"


CONSENT_PURPOSE_LABELS: dict[ConsentPurpose, str] = {
    ConsentPurpose.PREPARE_FILE: "preparing the file",
    ConsentPurpose.SUBMIT_TO_IRCC: "submitting to IRCC",
    ConsentPurpose.COALITION_SHARING: "sharing anonymised outcome data with the coalition",
    ConsentPurpose.LAW_ENFORCEMENT: "disclosure to law enforcement",
    ConsentPurpose.NGO_CONTACT: "contact by the NGO",
    ConsentPurpose.QUOTE_OWN_WORDS: "quoting the person's own words in the submission",
}


class ConsentDecision(StrEnum):
    GIVEN = "given"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"


class ConsentMethod(StrEnum):
    VERBAL = "verbal"
    WRITTEN = "written"
    THROUGH_INTERPRETER = "through_interpreter"
    VERBAL_THROUGH_INTERPRETER = "verbal_through_interpreter"
    WRITTEN_THROUGH_INTERPRETER = "written_through_interpreter"


class ExploitationSector(StrEnum):
    SEX_TRADE = "sex_trade"
    AGRICULTURE = "agriculture"
    CONSTRUCTION = "construction"
    DOMESTIC_WORK = "domestic_work"
    HOSPITALITY = "hospitality"
    MANUFACTURING = "manufacturing"
    FORCED_CRIMINALITY = "forced_criminality"
    OTHER = "other"
    UNKNOWN = "unknown"


class LawEnforcementCooperation(StrEnum):
    NONE = "none"
    REPORTED = "reported"
    COOPERATING = "cooperating"
    TESTIFIED = "testified"


class CriminalCaseStatus(StrEnum):
    NONE = "none"
    INVESTIGATION = "investigation"
    PROSECUTION = "prosecution"
    CONCLUDED = "concluded"


def parse_choice(enum: type[E], value: str, what: str) -> E:
    """Turn user input into an enum member, or explain the allowed values."""
    cleaned = value.strip().lower().replace("-", "_").replace(" ", "_")
    try:
        return enum(cleaned)
    except ValueError:
        allowed = ", ".join(member.value for member in enum)
        raise ValueError(f"unknown {what} '{value}': use one of {allowed}") from None
