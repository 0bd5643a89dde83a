"""Turn a case's data (plain DTOs) into the context the Word templates read.

The context is plain data (dicts, lists, strings, booleans). Every template variable is produced
here; docs/template-authoring.md lists them. Dates are written in the draft's language, and dates
from the person's memory keep their real precision ("around spring 2019", never "15 March 2019").
The person's own words appear only when ``quote_allowed`` (their consent to be quoted); otherwise
they are left out and the accompanier's summary stands alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from babel.dates import get_month_names

from trpkit.domain.fuzzy_dates import FuzzyDate
from trpkit.domain.redaction import Redactor
from trpkit.domain.text import paragraphs

# Month names from CLDR (Babel), as each language writes them ("janvier", "agosto", "May").
MONTHS = {
    language: [get_month_names("wide", locale=language)[n] for n in range(1, 13)] for language in ("en", "fr")
}
WORDS = {
    "en": {
        "unknown_birth": "not known",
        "no_uci": "not yet assigned",
        "exhibit": "exhibit",
        "exhibits": "exhibits",
        "strong": "strong",
        "medium": "medium",
        "weak": "weak",
        "present": "present",
        "reported_unsupported": "reported by the person",
        "reported": "reported by the person",
        "explored_absent": "explored, absent",
        "not_explored": "not explored",
        "positive": "positive",
        "not_positive": "indicators present",
        "supported": "indications present",
        "unsupported": "no indication recorded",
        "health": "Health",
        "housing": "Housing",
        "work": "Work",
        "ties_work": "Work",
        "ties_studies": "Studies and training",
        "ties_community": "Community",
        "ties_family": "Family",
        "ties_treatment": "Care and treatment",
        "translator_unknown": "translator not recorded",
        "months": "months",
        "days": "days",
        "at_least": "at least",
        "up_to": "up to",
        "unknown_date": "date unknown",
        "around": "around",
        "none": "none",
        "investigation": "under investigation",
        "prosecution": "before the courts",
        "concluded": "concluded",
        "reported_police": "reported to the police",
        "cooperating": "cooperating",
        "testified": "testified",
        "no_cooperation": "none",
        "the_person": "the person",
        "by_rule": "rule: ",
        "passage": "passage",
        "passages": "passages",
        "account": "account",
        "indicator": "indicator",
        "indicators": "indicators",
        "strong_pl": "strong",
        "medium_pl": "medium",
        "weak_pl": "weak",
        "and": " and ",
        "fee": (
            "No fee is payable: under the policy in force since {since} ({policy}), "
            "this application is exempt from fees."
        ),
    },
    "fr": {
        "unknown_birth": "inconnue",
        "no_uci": "pas encore attribué",
        "exhibit": "pièce",
        "exhibits": "pièces",
        "strong": "fort",
        "medium": "moyen",
        "weak": "faible",
        "present": "présent",
        "reported_unsupported": "rapporté par la personne",
        "reported": "rapporté par la personne",
        "explored_absent": "exploré, absent",
        "not_explored": "non exploré",
        "positive": "positive",
        "not_positive": "indicateurs présents",
        "supported": "indications présentes",
        "unsupported": "aucune indication notée",
        "health": "Santé",
        "housing": "Logement",
        "work": "Travail",
        "ties_work": "Travail",
        "ties_studies": "Études et formation",
        "ties_community": "Communauté",
        "ties_family": "Famille",
        "ties_treatment": "Soins et traitement",
        "translator_unknown": "traducteur non noté",
        "months": "mois",
        "days": "jours",
        "at_least": "au moins",
        "up_to": "jusqu'à",
        "unknown_date": "date inconnue",
        "around": "vers",
        "none": "aucune",
        "investigation": "enquête en cours",
        "prosecution": "devant les tribunaux",
        "concluded": "terminée",
        "reported_police": "signalé à la police",
        "cooperating": "collabore",
        "testified": "a témoigné",
        "no_cooperation": "aucune",
        "the_person": "la personne",
        "by_rule": "règle : ",
        "passage": "passage",
        "passages": "passages",
        "account": "récit",
        "indicator": "indicateur",
        "indicators": "indicateurs",
        "strong_pl": "forts",
        "medium_pl": "moyens",
        "weak_pl": "faibles",
        "and": " et ",
        "fee": (
            "Aucuns frais ne sont exigibles : selon la politique en vigueur depuis le "
            "{since} ({policy}), cette demande est exemptée des frais."
        ),
    },
}
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
COUNTRIES = {
    "MX": ("Mexico", "Mexique"),
    "GT": ("Guatemala", "Guatemala"),
    "PH": ("Philippines", "Philippines"),
    "IN": ("India", "Inde"),
    "NG": ("Nigeria", "Nigéria"),
    "HU": ("Hungary", "Hongrie"),
    "BR": ("Brazil", "Brésil"),
    "JM": ("Jamaica", "Jamaïque"),
    "CA": ("Canada", "Canada"),
    "UA": ("Ukraine", "Ukraine"),
    "HN": ("Honduras", "Honduras"),
    "SV": ("El Salvador", "El Salvador"),
    "CO": ("Colombia", "Colombie"),
    "HT": ("Haiti", "Haïti"),
    "CN": ("China", "Chine"),
    "VN": ("Viet Nam", "Viet Nam"),
    "TH": ("Thailand", "Thaïlande"),
    "KR": ("Republic of Korea", "République de Corée"),
    "RO": ("Romania", "Roumanie"),
    "MD": ("Moldova", "Moldavie"),
    "GH": ("Ghana", "Ghana"),
    "KE": ("Kenya", "Kenya"),
    "ET": ("Ethiopia", "Éthiopie"),
    "PK": ("Pakistan", "Pakistan"),
    "BD": ("Bangladesh", "Bangladesh"),
    "LK": ("Sri Lanka", "Sri Lanka"),
    "NP": ("Nepal", "Népal"),
    "PE": ("Peru", "Pérou"),
    "VE": ("Venezuela", "Venezuela"),
    "CU": ("Cuba", "Cuba"),
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
# Formatting


def format_date(day: date | None, language: str) -> str:
    if day is None:
        return WORDS[language]["unknown_date"]
    month = MONTHS[language][day.month - 1]
    if language == "fr":
        return f"{'1er' if day.day == 1 else day.day} {month} {day.year}"
    return f"{day.day} {month} {day.year}"


def format_fuzzy(fd: FuzzyDate | None, language: str, in_sentence: bool = False) -> str:
    """A remembered date at its real precision, in the draft's language (the words as said if unparsed).

    ``in_sentence``: the form that follows a verb ("en mars 2019", "au printemps 2019" in French)."""
    if fd is None:
        return WORDS[language]["unknown_date"]
    from trpkit.domain.fuzzy_dates import format_fuzzy as write_back

    return write_back(fd, language, in_sentence=in_sentence)


def amount_text(days: int | None, language: str) -> str:
    """A length of time as people say it: 365 days is "12 months", 180 days stays "180 days"."""
    words = WORDS[language]
    if not days:
        return ""
    if days % 365 == 0:
        return f"{days // 365 * 12} {words['months']}"
    if days % 30 == 0 and days >= 360:
        return f"{days // 30} {words['months']}"
    return f"{days} {words['days']}"


def duration_text(days: int | None, kind: str, language: str) -> str:
    """ "at least 12 months" (minimum), "up to 180 days" (maximum), "12 months" (typical)."""
    if not days:
        return ""
    words = WORDS[language]
    prefix = {"minimum": words["at_least"] + " ", "maximum": words["up_to"] + " "}.get(kind, "")
    return prefix + amount_text(days, language)


def _nationality(code: str, language: str) -> str:
    names = COUNTRIES.get(code.upper())
    if names is None:
        return code
    return names[0] if language == "en" else names[1]


# --------------------------------------------------------------------------------------------------
# The context


def _permit(data: DraftData, lang: str) -> dict[str, Any]:
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


def _criminal_case(data: DraftData, lang: str) -> dict[str, Any]:
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


def _account(data: DraftData, lang: str) -> dict[str, Any]:
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


def build_context(data: DraftData, redactor: Redactor | None = None) -> dict[str, Any]:
    """The template context for ``data``; with ``redactor``, identifying details are replaced by roles."""
    from trpkit.documents.argument import agreement, argued

    lang = data.language
    words = WORDS[lang]
    person = data.person
    policy = data.policy
    org = data.organisation
    notes = {
        key: paragraphs(data.notes.get(key, ""))
        for key in (
            "vulnerabilities",
            "safety",
            "risks_on_return",
            "continued_need",
            "recovery",
            "criminal_case",
        )
    }
    needs = [
        {"label": words[key], "text": data.notes.get(f"needs_{key}", "").strip()}
        for key in ("health", "housing", "work")
        if data.notes.get(f"needs_{key}", "").strip()
    ]
    ties = [  # each tie recorded, its kind named on its first paragraph (the letter argues them together)
        {"label": words[key] if i == 0 else "", "text": text}
        for key in ("ties_work", "ties_studies", "ties_community", "ties_family", "ties_treatment")
        for i, text in enumerate(paragraphs(data.notes.get(key, "")))
    ]
    account = _account(data, lang)
    case_part: dict[str, Any] = {
        "person": {
            "name": person.name,
            "birth_date": person.birth_date_text or words["unknown_birth"],
            "nationality": _nationality(person.nationality, lang)
            if person.nationality
            else words["unknown_birth"],
            "uci": person.uci or words["no_uci"],
        },
        "request": {
            "duration": duration_text(policy.duration_days, policy.duration_kind, lang) if policy else "",
            "fee_exempt": bool(policy and policy.fee_exempt),
            "fee_text": words["fee"].format(
                policy=policy.title, since=format_date(policy.effective_from, lang)
            )
            if policy
            else "",
            "work_permit": data.request_work_permit,
            "ifhp": data.request_ifhp,
            "no_other_coverage": data.health_coverage == "none",
            "dependants": [
                {"name": str(d.get("name", "")), "relationship": str(d.get("relationship", ""))}
                for d in person.dependants
            ],
        },
        "previous_permit": _permit(data, lang),
        "criminal_case": _criminal_case(data, lang),
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
        "ties": ties,
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
    if redactor is not None:
        case_part = redactor.apply_tree(case_part)  # type: ignore[assignment]
        from trpkit.domain.redaction import ROLE_WORDS

        roles = ROLE_WORDS[lang]
        case_part["person"].update(
            name=f"[{roles['person']}]",
            birth_date=f"[{roles['birth_date']}]",
            uci=f"[{roles['uci']}]" if person.uci else words["no_uci"],
        )
    return {
        "doc": {
            "date": format_date(data.draft_date, lang),
            "language": lang,
            "redacted": redactor is not None,
            "template": data.template,
        },
        "case": {"code": data.case_code},
        "g": agreement(person.gender),
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


def example_data(template: str = "trp-initial", language: str = "en") -> DraftData:
    """A complete fictional DraftData (one item in every list): used to list the variables trpkit provides."""
    from trpkit.domain.fuzzy_dates import parse_fuzzy

    spring = parse_fuzzy("around spring 2019")
    indicator = IndicatorData(
        "AL-5.01", "Confiscation of documents", "strong", "present", (1,), ("The passport was kept",), (2,)
    )
    return DraftData(
        template=template,
        language=language,
        draft_date=date(2026, 3, 3),
        case_code="TRP-2026-0001",
        person=PersonData(
            "Example Person",
            "",
            (),
            "1990",
            "MX",
            "0000-0000",
            ({"name": "Child", "relationship": "son"},),
            "woman",
        ),
        organisation=Organisation("Organisation", ("Street",), "000", "Representative", "Accompanier"),
        policy=PolicyFacts("p", "policy", date(2025, 2, 4), 365, "minimum", True, ("IRPA s. 24",)),
        office_lines=("IRCC",),
        previous_permit=PermitData("T1", date(2025, 1, 1), date(2025, 12, 31), 365),
        criminal_case_status="concluded",
        cooperation="testified",
        chronology=(ChronologyItem(spring, "event"),),
        own_words=(QuoteItem("words", spring, "translation", "t", 1, "es"),),
        summaries=(SummaryItem(2, "summary"),),
        quote_allowed=True,
        assessment=AssessmentData(
            "list",
            True,
            "explanation",
            True,
            "detail",
            "note",
            (GroupData("criterion", True, "", (indicator,)),),
            (GroupData("dimension", True, "2 strong", (indicator,), "d", (2, 0, 0), "destination"),),
            "translation note",
        ),
        exhibits=(ExhibitData(1, "exhibit", spring, "source", ("AL-5.01",)),),
        notes=dict.fromkeys(
            (
                "vulnerabilities",
                "safety",
                "risks_on_return",
                "continued_need",
                "recovery",
                "criminal_case",
                "needs_health",
                "needs_housing",
                "needs_work",
                "ties_work",
                "ties_studies",
                "ties_community",
                "ties_family",
                "ties_treatment",
            ),
            "text",
        ),
        health_coverage="none",
    )


def provided_paths() -> set[str]:
    """Every variable path trpkit's drafting context provides (the template linter checks against it)."""
    from trpkit.documents.lint import context_paths

    every, _leaves = context_paths(build_context(example_data()))
    return every
