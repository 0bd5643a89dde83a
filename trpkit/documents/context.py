"""Turn a case's data (plain DTOs) into the context the Word templates read.

The context is plain data (dicts, lists, strings, booleans). Every template variable is produced
here (the letterhead) or in context_case.py (the facts of the case); docs/template-authoring.md
lists them. Dates are written in the draft's language, and dates from the person's memory keep their
real precision ("around spring 2019", never "15 March 2019"). The person's own words appear only when
``quote_allowed`` (their consent to be quoted); otherwise they are left out and the accompanier's
summary stands alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

from trpkit.documents.argument import agreement
from trpkit.documents.context_case import case_context
from trpkit.documents.context_wording import WORDS, format_date
from trpkit.domain.fuzzy_dates import FuzzyDate
from trpkit.domain.redaction import ROLE_WORDS, Redactor

# The Delphi rule that made a dimension positive, in French (the English text is
# trpkit.domain.delphi_rules.RULE_TEXT). Indicator, dimension and criterion labels come from the framework
# files (``label_fr``), never from here.
RULE_TEXT_FR = {
    "two_strong": "2 indicateurs forts",
    "strong_plus_medium_or_weak": "1 indicateur fort + 1 moyen ou faible",
    "three_medium": "3 indicateurs moyens",
    "two_medium_plus_weak": "2 indicateurs moyens + 1 faible",
}
# What a French letter calls a timeline event the accompanier gave no title of its own (the English names
# are trpkit.domain.timeline.EVENT_TYPES; a test checks that every type has its French name here).
EVENT_TYPES_FR = {
    "recruitment": "Recrutement",
    "departure": "Départ",
    "travel": "Voyage",
    "arrival_canada": "Arrivée au Canada",
    "start_work": "Début du travail",
    "change_employer": "Changement d'employeur ou de lieu",
    "control_incident": "Incident de contrôle",
    "violence": "Violence",
    "debt": "Dette contractée ou augmentée",
    "documents_taken": "Documents pris",
    "escape": "Fuite ou sortie",
    "police_contact": "Contact avec la police ou d'autres autorités",
    "ngo_meeting": "Rencontre avec l'organisme",
    "medical_care": "Soins médicaux",
    "application": "Demande",
    "decision": "Décision",
    "other": "Autre",
}


# --------------------------------------------------------------------------------------------------
# Input DTOs (filled by trpkit.services.drafting from the other areas' services)


@dataclass(frozen=True)
class Organisation:
    name: str = ""
    address_lines: tuple[str, ...] = ()
    contact_line: str = ""
    representative: str = ""
    representative_title: str = ""

    def missing(self) -> tuple[str, ...]:
        """What a letter would leave blank: the name, the contact line, who signs and their title."""
        return tuple(
            what
            for what, value in (
                ("name", self.name),
                ("contact line", self.contact_line),
                ("representative (who signs)", self.representative),
                ("representative's title", self.representative_title),
            )
            if not value.strip()
        )


@dataclass(frozen=True)
class PersonData:
    legal_name: str = ""
    preferred_name: str = ""
    aliases: tuple[str, ...] = ()
    birth_date_text: str = ""
    nationality: str = ""
    uci: str = ""
    dependants: tuple[dict[str, Any], ...] = ()
    gender: str = ""  # as recorded: French agreement follows it (inclusive forms when unknown)

    @property
    def name(self) -> str:
        return self.legal_name or self.preferred_name


@dataclass(frozen=True)
class ChronologyItem:
    date: FuzzyDate | None
    text: str


@dataclass(frozen=True)
class QuoteItem:
    text: str
    date: FuzzyDate | None = None
    translation: str = ""
    translator: str = ""
    number: int = 0  # the passage number the argument refers to
    language: str = ""  # the language the words were spoken in


@dataclass(frozen=True)
class SummaryItem:
    """One summary entry of the accompanier, numbered as a passage of the account."""

    number: int
    text: str


@dataclass(frozen=True)
class IndicatorData:
    id: str
    label: str
    strength: str  # strong | medium | weak
    status: str  # present | reported_unsupported | ...
    exhibits: tuple[int, ...] = ()
    facts: tuple[str, ...] = ()  # what the accompanier noted when linking (in the letter's language)
    passages: tuple[int, ...] = ()  # numbered passages of the account the indicator rests on


@dataclass(frozen=True)
class GroupData:
    """An IRCC criterion or a Delphi dimension, with what the case shows for it."""

    label: str
    positive: bool
    rule: str = ""  # e.g. "1 strong + 1 medium"
    indicators: tuple[IndicatorData, ...] = ()
    id: str = ""  # dimension or criterion id (gives the French label)
    counts: tuple[int, int, int] = (0, 0, 0)  # strong, medium, weak indicators present
    role: str = ""  # recruitment | exploitation | destination (dimensions)


@dataclass(frozen=True)
class AssessmentData:
    framework: str = ""
    identified: bool = False
    explanation: str = ""
    convergence: bool = False
    convergence_detail: str = ""
    verification_note: str = ""
    criteria: tuple[GroupData, ...] = ()
    dimensions: tuple[GroupData, ...] = ()
    translation_note: str = ""  # French letters: the labels are an unofficial translation
    population: str = "adult"  # adult | child: the Delphi rule the list applies
    internal: tuple[str, ...] = ()  # for the accompanier only (internal note, Draft tab): never the letter


@dataclass(frozen=True)
class ExhibitData:
    number: int
    title: str
    date: FuzzyDate | None = None
    source: str = ""
    supports: tuple[str, ...] = ()


@dataclass(frozen=True)
class PermitData:
    number: str = ""
    valid_from: date | None = None
    valid_to: date | None = None
    duration_days: int | None = None


@dataclass(frozen=True)
class PolicyFacts:
    """What the policy period in force on the draft date says (from checklists/policy-periods.toml)."""

    id: str
    title: str
    effective_from: date
    duration_days: int | None
    duration_kind: str  # minimum ("at least"), maximum ("up to") or typical (the length alone)
    fee_exempt: bool
    instruments: tuple[str, ...] = ()
    status: str = "confirmed"


@dataclass(frozen=True)
class DraftData:
    template: str
    language: str
    draft_date: date
    case_code: str
    person: PersonData
    organisation: Organisation
    policy: PolicyFacts | None
    office_lines: tuple[str, ...] = ()
    request_work_permit: bool = True
    request_ifhp: bool = True
    previous_permit: PermitData | None = None
    criminal_case_status: str = "none"
    cooperation: str = "none"
    chronology: tuple[ChronologyItem, ...] = ()
    own_words: tuple[QuoteItem, ...] = ()
    summaries: tuple[SummaryItem, ...] = ()
    quote_allowed: bool = False
    assessment: AssessmentData = field(default_factory=AssessmentData)
    exhibits: tuple[ExhibitData, ...] = ()
    notes: dict[str, str] = field(default_factory=dict)
    health_coverage: str = "unknown"  # none | other | unknown: "no other coverage" only for none


# --------------------------------------------------------------------------------------------------
# The context


def build_context(data: DraftData, redactor: Redactor | None = None) -> dict[str, Any]:
    """The template context for ``data``; with ``redactor``, identifying details are replaced by roles."""
    lang = data.language
    policy = data.policy
    org = data.organisation
    case_part = case_context(data)
    if redactor is not None:
        case_part = _redacted(case_part, data.person, lang, redactor)
    return {
        "doc": {
            "date": format_date(data.draft_date, lang),
            "language": lang,
            "redacted": redactor is not None,
            "template": data.template,
        },
        "case": {"code": data.case_code},
        "g": agreement(data.person.gender),
        "org": {
            "name": org.name,
            "address_lines": list(org.address_lines),
            "contact_line": org.contact_line,
            "representative": org.representative,
            "representative_title": org.representative_title,
        },
        "office": {
            "lines": list(data.office_lines)
            or (
                ["Immigration, Refugees and Citizenship Canada"]
                if lang == "en"
                else ["Immigration, Réfugiés et Citoyenneté Canada"]
            )
        },
        "policy": {
            "name": policy.title if policy else "",
            "effective_from": format_date(policy.effective_from, lang) if policy else "",
            "sources": list(policy.instruments) if policy else [],
        },
        **case_part,
    }


def _redacted(case_part: dict[str, Any], person: PersonData, lang: str, redactor: Redactor) -> dict[str, Any]:
    """The case's facts with identifying details replaced by roles; the person is named by role too."""
    redacted = cast(dict[str, Any], redactor.apply_tree(case_part))  # the same tree, its strings redacted
    roles = ROLE_WORDS[lang]
    redacted["person"].update(
        name=f"[{roles['person']}]",
        birth_date=f"[{roles['birth_date']}]",
        uci=f"[{roles['uci']}]" if person.uci else WORDS[lang]["no_uci"],
    )
    return redacted
