"""Is a case ready to be drafted? Pure rules over plain data, each finding saying where to fix it.

A **blocker** stops an unredacted draft (no consent to submit, an expired required document, exhibits
cited but missing, a chronology that contradicts itself, no policy period for the date); a **warning**
is shown but does not stop the draft (a date kept verbatim, an indicator resting only on the person's
account, a section left empty).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from trpkit.domain.document_checklists import DocumentChecklist, ItemStatus, evaluate

BLOCKER = "blocker"
WARNING = "warning"

# Sections of the accompanier's notes each template relies on (see trpkit.services.drafting).
NOTE_SECTIONS = {
    "trp-initial": ("vulnerabilities", "risks_on_return", "safety"),
    "trp-subsequent": ("continued_need", "recovery", "safety", "risks_on_return"),
    "owp-cover": ("needs_work",),
    "exhibit-index": (),
}
# The person's ties in Canada (work, studies, community, family, treatment): factors for a longer-term
# permit that the subsequent letter argues when recorded, and that readiness asks for when none is.
TIES = ("ties_work", "ties_studies", "ties_community", "ties_family", "ties_treatment")
NEEDS_PREVIOUS_PERMIT = ("trp-subsequent", "owp-cover")
DEPENDANT_TEMPLATES = ("trp-initial", "trp-subsequent")  # letters that ask for permits for dependants too


@dataclass(frozen=True)
class Finding:
    severity: str  # blocker | warning
    code: str
    message: str
    fix: str  # where to fix it: a command or a TUI tab

    @property
    def is_blocker(self) -> bool:
        return self.severity == BLOCKER


@dataclass(frozen=True)
class EventIn:
    label: str
    date_text: str
    parsed: bool
    conflict: str = ""  # non-empty when the timeline found an ordering conflict


@dataclass(frozen=True)
class IndicatorIn:
    id: str
    label: str
    status: str  # present | reported | ...
    evidence_count: int  # evidence items other than the person's own account
    exhibit_refs: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReadinessInput:
    case_code: str
    template: str
    today: date
    redacted: bool = False
    consents: dict[str, bool] = field(default_factory=dict)
    own_words_count: int = 0
    person_name: str = ""
    birth_date: str = ""
    uci: str = ""
    checklist: DocumentChecklist | None = None
    checklist_status: dict[str, ItemStatus] = field(default_factory=dict)
    events: tuple[EventIn, ...] = ()
    exhibit_numbers: tuple[str, ...] = ()
    cited_exhibits: tuple[str, ...] = ()  # exhibit numbers the text refers to ("exhibit 7")
    indicators: tuple[IndicatorIn, ...] = ()
    assessed: bool = True
    notes_filled: frozenset[str] = frozenset()
    previous_permit: bool = True
    previous_permit_number: bool = (
        True  # the granted permit's number (the application's file number) is known
    )
    policy_problem: str = ""  # no policy period at all: a blocker
    policy_note: str = ""  # the period lacks a rule the letter would use: a warning
    analysis_warnings: tuple[str, ...] = ()  # from the indicator analysis (criteria without indication...)
    organisation_missing: tuple[str, ...] = ()
    dependants_without_birth: tuple[int, ...] = ()  # numbers of included dependants with no date of birth
    # What the letter itself needs (see letter_findings)
    nationality: str = ""
    immigration_status: str = ""
    sections_filled: frozenset[str] = frozenset()  # note fields plus chronology/account/criteria/exhibits
    permit_valid_to: date | None = None
    request_ifhp: bool = False
    health_coverage: str = "unknown"  # none | other | unknown
    untranslated: tuple[str, ...] = ()  # French draft: pieces of case content with no French version
    unsupported_dimensions: tuple[str, ...] = ()  # positive dimensions with no exhibit or passage cited


def _expired(required: bool, expired_warning: str, label: str, detail: str) -> tuple[str, str, str]:
    """(severity, code, message) for an expired document. Some still serve (an expired passport
    still proves identity): those warn with what to do instead of blocking."""
    if expired_warning:
        return WARNING, "document-expired", f"{label}: {detail}. {expired_warning}"
    return (BLOCKER if required else WARNING), "document-expired", f"{label}: {detail}."


def check(data: ReadinessInput) -> list[Finding]:
    """Every finding for the case, blockers first."""
    from trpkit.domain.letter_readiness import letter_findings  # it imports Finding from here

    found = [
        *_consent_findings(data),
        *_person_findings(data),
        *_policy_findings(data),
        *_checklist_findings(data),
        *_chronology_findings(data),
        *_exhibit_findings(data),
        *_notes_findings(data),
        *letter_findings(data),
    ]
    return sorted(found, key=lambda f: (f.severity != BLOCKER, f.code))


def _consent_findings(data: ReadinessInput) -> Iterator[Finding]:
    """Consent to submit to IRCC and to quote the person's own words."""
    code = data.case_code

    if not data.consents.get("submit_to_ircc"):
        if data.redacted:
            yield Finding(
                WARNING,
                "consent-submit",
                "The person has not consented to submitting to IRCC; this redacted "
                "copy is for supervision only.",
                f"trpkit consent record {code} --purpose submit_to_ircc --given --method ...",
            )
        else:
            yield Finding(
                BLOCKER,
                "consent-submit",
                "No consent to submit to IRCC: an unredacted draft cannot be made.",
                f"trpkit consent record {code} --purpose submit_to_ircc --given --method written (Consent tab)",
            )
    if data.own_words_count and not data.consents.get("quote_own_words"):
        yield Finding(
            WARNING,
            "consent-quote",
            f"{data.own_words_count} passage(s) in the person's own words will not be "
            "quoted: no consent to quote them (the summary is used instead).",
            f"trpkit consent record {code} --purpose quote_own_words --given --method ... (Consent tab)",
        )


def _person_findings(data: ReadinessInput) -> Iterator[Finding]:
    """The person's and the dependants' identity fields the letter prints."""
    code = data.case_code

    if not data.person_name.strip():
        yield Finding(
            BLOCKER,
            "person-name",
            "The person's name is empty.",
            f"trpkit case edit {code} --set person.legal_name=...",
        )
    if not data.birth_date.strip():
        yield Finding(
            WARNING,
            "person-birth-date",
            "No date of birth (an approximate one such as '1990' is fine).",
            f"trpkit case edit {code} --set person.birth_date_text=...",
        )
    if not data.uci.strip():
        yield Finding(
            WARNING,
            "person-uci",
            "No UCI: the letter will say it is not known yet.",
            f"trpkit case edit {code} --set person.uci=...",
        )
    if data.template in DEPENDANT_TEMPLATES and data.dependants_without_birth:
        numbers = ", ".join(str(n) for n in data.dependants_without_birth)
        yield Finding(
            WARNING,
            "dependant-birth-date",
            f"Dependant(s) {numbers}, to be included in the request, have no date "
            "of birth (an approximate one such as '2015' or 'aged 9' is fine).",
            f"trpkit case dependant edit {code} {data.dependants_without_birth[0]} --birth-date ... (Person tab)",
        )


def _policy_findings(data: ReadinessInput) -> Iterator[Finding]:
    """The policy in force and, for later letters, the permit being renewed."""
    code = data.case_code

    if data.policy_problem:
        yield Finding(BLOCKER, "policy", data.policy_problem, "checklists/policy-periods.toml")
    if data.policy_note:
        yield Finding(
            WARNING, "policy-duration", data.policy_note, "checklists/policy-periods.toml, or --date"
        )
    if data.template in NEEDS_PREVIOUS_PERMIT and not data.previous_permit:
        yield Finding(
            BLOCKER,
            "previous-permit",
            "No granted TRP is recorded: this letter needs the current permit's number and validity.",
            f"trpkit decision record ... for the TRP application of {code} (Applications tab)",
        )
    elif data.template in NEEDS_PREVIOUS_PERMIT and not data.previous_permit_number:
        yield Finding(
            WARNING,
            "previous-permit-number",
            "The current permit's number is not recorded; the letter names the permit by its dates only.",
            f"trpkit application edit {code}/A<n> --file-number ... (Applications tab)",
        )


def _checklist_findings(data: ReadinessInput) -> Iterator[Finding]:
    """Documents of the checklist: expired, missing, too old."""
    code = data.case_code

    if data.checklist is not None:
        for item in evaluate(data.checklist, data.checklist_status, data.today):
            if not item.problem or item.item.produced_by_draft:
                continue
            fix = f"trpkit checklist set {code} {item.item.id} ... (Draft tab, checklist)"
            label = item.item.label
            if item.problem == "expired":
                yield Finding(
                    *_expired(item.item.required, item.item.expired_warning, label, item.detail), fix
                )
            elif item.problem == "missing" and item.item.required:
                yield Finding(
                    WARNING, "document-missing", f"Required before submitting: {label} ({item.detail}).", fix
                )
            elif item.problem in ("too-old", "expiry-unknown"):
                yield Finding(WARNING, f"document-{item.problem}", f"{label}: {item.detail}.", fix)


def _chronology_findings(data: ReadinessInput) -> Iterator[Finding]:
    """The chronology: empty, dates that contradict each other or could not be read."""
    code = data.case_code

    if not data.events:
        yield Finding(
            WARNING,
            "timeline-empty",
            "The chronology is empty.",
            f"trpkit timeline ... {code} (Timeline tab)",
        )
    for event in data.events:
        if event.conflict:
            yield Finding(
                BLOCKER,
                "date-conflict",
                f"Dates contradict each other: '{event.label}' ({event.date_text}): "
                f"{event.conflict}. An officer may read this as inconsistency.",
                f"Timeline tab of {code}: correct the date or the order",
            )
        elif not event.parsed:
            yield Finding(
                WARNING,
                "date-unparsed",
                f"The date '{event.date_text}' of '{event.label}' could not be read; "
                "it will appear word for word.",
                f"Timeline tab of {code}: fix the date",
            )


def _exhibit_findings(data: ReadinessInput) -> Iterator[Finding]:
    """Exhibits cited but missing, indicators resting on the account alone, no assessment."""
    code = data.case_code

    existing = set(data.exhibit_numbers)
    cited = {ref for ind in data.indicators for ref in ind.exhibit_refs} | set(data.cited_exhibits)
    missing_refs = sorted((ref for ref in cited if ref not in existing), key=lambda r: (len(r), r))
    if missing_refs:
        yield Finding(
            BLOCKER,
            "exhibit-missing",
            f"Exhibit(s) {', '.join(missing_refs)} are cited but not in the register.",
            f"trpkit evidence list {code} (Evidence tab)",
        )
    for ind in data.indicators:
        if ind.status == "reported" or (ind.status == "present" and ind.evidence_count == 0):
            yield Finding(
                WARNING,
                "indicator-unsupported",
                f"Indicator {ind.id} ({ind.label}) rests only on the person's "
                "account. That is evidence, but corroboration helps if it exists.",
                f"trpkit evidence add {code} ... (Evidence tab)",
            )
    if not data.assessed:
        yield Finding(
            WARNING,
            "no-assessment",
            "No indicators are mapped yet: the analysis section will be empty.",
            f"Indicators tab of {code}",
        )
    for message in data.analysis_warnings:
        yield Finding(WARNING, "analysis", message, f"Indicators tab of {code}")
    if not data.exhibit_numbers:
        yield Finding(
            WARNING, "no-exhibits", "No exhibits in the register.", f"trpkit evidence add {code} ..."
        )


def _notes_findings(data: ReadinessInput) -> Iterator[Finding]:
    """Empty sections of the accompanier's notes (the mandatory ones are blockers: letter_findings)."""
    code = data.case_code

    from trpkit.domain.letter_readiness import (  # it imports Finding from here
        MANDATORY_SECTIONS,
    )

    mandatory = {name for group in MANDATORY_SECTIONS.get(data.template, ()) for name in group}
    for section in NOTE_SECTIONS.get(data.template, ()):
        if section not in data.notes_filled and section not in mandatory:
            yield Finding(
                WARNING,
                "notes-empty",
                f"The section '{section.replace('_', ' ')}' is empty.",
                f"trpkit draft-notes {code} --set {section}=... (Draft tab)",
            )


def blockers(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.is_blocker]


def review_findings(
    code: str,
    suggestions: list[tuple[str, str, str, str, str]],
    more_support: int,
    contradictions: list[str],
) -> list[Finding]:
    """Warnings about the file's own content before drafting (see trpkit.services.case_review).

    ``suggestions``: (suggestion id, passage, indicator id, label, excerpt) for passages whose words
    match an indicator the file does not record yet; ``more_support``: how many other passages match
    an indicator already recorded; ``contradictions``: one message each. Never blockers: a person
    reads each one and decides.
    """
    found = [
        Finding(
            WARNING,
            "indicator-suggested",
            f"{passage[:1].upper()}{passage[1:]} reads like indicator {indicator} ({label}) but is not "
            f"linked to it: {excerpt}",
            f"trpkit indicators accept {code} {sid} (or leave it: nothing is linked on its own)",
        )
        for sid, passage, indicator, label, excerpt in suggestions
    ]
    if more_support:
        found.append(
            Finding(
                WARNING,
                "indicator-more-support",
                f"{more_support} more passage(s) match indicators already recorded and could support them.",
                f"trpkit indicators suggest {code}",
            )
        )
    found.extend(
        Finding(WARNING, "contradiction", message, f"Timeline and Evidence tabs of {code}: correct one side")
        for message in contradictions
    )
    return found
