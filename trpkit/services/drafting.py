"""Drafting the submission: gather the case, check readiness, render, record, audit.

``readiness`` lists every blocker and warning with where to fix it. ``generate_draft`` refuses an
unredacted draft without the person's consent to submit to IRCC, renders the chosen template in the
chosen language, writes the file only at the path the person chose, records the draft (template,
language, who, when, SHA-256, file name) and audits the export. Nothing about the person goes into the
audit log: codes, template names and counts only.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from trpkit.db.base import utcnow
from trpkit.db.models import Case, User
from trpkit.db.models.drafts import Draft, SubmissionNotes
from trpkit.documents.context import (
    EVENT_TYPES_FR,
    RULE_TEXT_FR,
    AssessmentData,
    ChronologyItem,
    DraftData,
    ExhibitData,
    GroupData,
    IndicatorData,
    Organisation,
    PermitData,
    PersonData,
    PolicyFacts,
    QuoteItem,
    SummaryItem,
    build_context,
)
from trpkit.domain import readiness as rules
from trpkit.domain.dependants import for_application
from trpkit.domain.dependants import from_stored_list as dependants_from_stored
from trpkit.domain.document_checklists import DocumentChecklist
from trpkit.domain.redaction import Redactor, build_redactor
from trpkit.errors import ConflictError, TrpkitError, UsageError
from trpkit.services import audit
from trpkit.services.access import require_case
from trpkit.services.actor import Actor
from trpkit.services.translations import Localiser, PieceStatus

TIES = rules.TIES  # the person's ties in Canada, argued in the subsequent letter
NOTE_FIELDS = (
    "vulnerabilities",
    "safety",
    "risks_on_return",
    "continued_need",
    "recovery",
    "criminal_case",
    "needs_health",
    "needs_housing",
    "needs_work",
    *TIES,
    "ircc_office",
)
FLAG_FIELDS = ("request_work_permit", "request_ifhp")
HEALTH_COVERAGE = ("none", "other", "unknown")  # other health coverage than IFHP, as the file knows it
LETTER_NOTES = NOTE_FIELDS[:-1]  # every note a letter prints (the IRCC office is an address)
_NEEDS = ("needs_health", "needs_housing", "needs_work")
TEMPLATE_NOTES = {  # the notes each template prints (only these need a version in its language)
    "trp-initial": ("vulnerabilities", "safety", "risks_on_return", *_NEEDS),
    "trp-subsequent": LETTER_NOTES,
    "owp-cover": _NEEDS,
    "exhibit-index": (),
}
TRP_TYPES = ("initial_trp", "subsequent_trp")
_EXHIBIT_REF = re.compile(r"\b(?:exhibits?|pi[eè]ces?)\s+(\d+(?:\s*(?:,|and|et)\s*\d+)*)", re.IGNORECASE)


class DraftBlocked(TrpkitError):
    """Readiness found blockers: the message lists each one and where to fix it."""

    exit_code = 2

    def __init__(self, case_code: str, findings: list[rules.Finding]) -> None:
        self.findings = findings
        lines = "; ".join(f"{f.message} (fix: {f.fix})" for f in findings)
        super().__init__(f"{case_code} is not ready to draft: {lines}")


@dataclass(frozen=True)
class ReadinessReport:
    case_code: str
    template: str
    language: str
    redacted: bool
    application_type: str
    findings: tuple[rules.Finding, ...]
    internal: tuple[str, ...] = ()  # for the accompanier, never the officer (internal note, Draft tab)

    @property
    def ready(self) -> bool:
        return not any(f.is_blocker for f in self.findings)

    @property
    def blockers(self) -> tuple[rules.Finding, ...]:
        return tuple(f for f in self.findings if f.is_blocker)

    @property
    def warnings(self) -> tuple[rules.Finding, ...]:
        return tuple(f for f in self.findings if not f.is_blocker)


@dataclass(frozen=True)
class DraftRecord:
    id: int
    case_code: str
    template: str
    language: str
    redacted: bool
    created_at: datetime
    created_by: str
    sha256: str
    size_bytes: int
    output_filename: str
    draft_date: date
    policy_period: str
    warnings: int
    path: Path | None = None  # only on the record returned right after writing
    findings: tuple[rules.Finding, ...] = ()  # the readiness warnings accepted (right after writing)
    internal: tuple[str, ...] = ()  # the internal notes (right after writing): never in the letter


@dataclass(frozen=True)
class NotesDetail:
    case_code: str
    values: dict[str, str]
    request_work_permit: bool
    request_ifhp: bool
    version: int
    health_coverage: str = "unknown"
    letter_language: str = "en"


# --------------------------------------------------------------------------------------------------
# The accompanier's notes for the submission


def _notes_row(session: Session, case: Case) -> SubmissionNotes | None:
    return session.scalar(select(SubmissionNotes).where(SubmissionNotes.case_id == case.id))


def _notes_detail(case: Case, row: SubmissionNotes | None) -> NotesDetail:
    values = {name: (getattr(row, name) if row else "") for name in NOTE_FIELDS}
    return NotesDetail(
        case.code,
        values,
        row.request_work_permit if row else True,
        row.request_ifhp if row else True,
        row.version if row else 0,
        (row.health_coverage or "unknown") if row else "unknown",
        (row.letter_language or "en") if row else "en",
    )


def get_notes(session: Session, actor: Actor, code: str) -> NotesDetail:
    case = require_case(session, actor, code)
    audit.record(session, actor, "draft.notes.read", case.code)
    return _notes_detail(case, _notes_row(session, case))


def update_notes(
    session: Session, actor: Actor, code: str, *, expected_version: int | None = None, **values: Any
) -> NotesDetail:
    """Change sections of the submission notes (text fields and the work-permit / IFHP flags)."""
    case = require_case(session, actor, code)
    unknown = set(values) - set(NOTE_FIELDS) - set(FLAG_FIELDS) - {"health_coverage", "letter_language"}
    if unknown:
        raise UsageError(
            f"unknown section(s) {', '.join(sorted(unknown))}: use "
            f"{', '.join((*NOTE_FIELDS, *FLAG_FIELDS, 'health_coverage', 'letter_language'))}"
        )
    if "health_coverage" in values and str(values["health_coverage"]).strip() not in HEALTH_COVERAGE:
        raise UsageError(
            f"health_coverage is one of {', '.join(HEALTH_COVERAGE)} (none: no coverage other than IFHP)"
        )
    if not values:
        raise UsageError("Nothing to change: give at least one section.")
    row = _notes_row(session, case)
    if row is None:
        row = SubmissionNotes(case_id=case.id)
        session.add(row)
    elif expected_version is not None and row.version != expected_version:
        raise ConflictError(
            f"{case.code}: the submission notes were changed by someone else (now version "
            f"{row.version}). Reload them and apply your change again."
        )
    if "letter_language" in values and str(values["letter_language"]).strip() not in ("en", "fr"):
        raise UsageError("letter_language is en or fr")
    for key, value in values.items():
        if key == "letter_language":
            row.letter_language = str(value).strip()
        elif key == "health_coverage":
            row.health_coverage = str(value).strip()
        elif key in FLAG_FIELDS:
            setattr(
                row,
                key,
                value
                if isinstance(value, bool)
                else str(value).strip().lower() in ("1", "true", "yes", "y", "oui"),
            )
        else:
            setattr(row, key, str(value))
    row.updated_by_id = actor.user_id
    try:
        session.flush()
    except StaleDataError:
        raise ConflictError(
            f"{case.code}: the notes were changed by someone else at the same time."
        ) from None
    audit.record(session, actor, "draft.notes.update", case.code, sections=sorted(values))
    return _notes_detail(case, row)


# --------------------------------------------------------------------------------------------------
# Gathering the case (each area's service, read through its public functions)


def organisation_from_settings(extra: dict[str, Any]) -> Organisation:
    """The ``[organisation]`` table of config.toml (see docs/drafting.md)."""
    from trpkit.services.organisation import from_table

    raw = extra.get("organisation") or {}
    if not isinstance(raw, dict):
        raise UsageError("[organisation] in config.toml must be a table (see docs/drafting.md)")
    return from_table(raw)


def _template_info(template: str, language: str) -> Any:
    from trpkit.documents.templates import find

    return find(template, language)


def _policy(on: date, application_type: str, language: str = "en") -> tuple[PolicyFacts | None, str]:
    from trpkit.domain.ircc_periods import NoPolicyPeriod
    from trpkit.loading.errors import DataFileError
    from trpkit.loading.ircc_periods import policy_in_force

    try:
        period = policy_in_force(on)
    except NoPolicyPeriod as exc:
        return None, str(exc)
    except DataFileError as exc:
        return None, f"policy data cannot be read: {exc}"
    kind = application_type or "initial_trp"
    days = period.duration_to_request_days(kind) if kind in TRP_TYPES else None
    if kind == "initial_trp":
        duration_kind = "minimum" if period.value("initial_trp_min_days") else "maximum"
    else:
        duration_kind = "typical"
    problem = ""
    if kind in TRP_TYPES and not days:
        problem = (
            f"The policy period in force on {on.isoformat()} ({period.id}) sets no permit length for "
            f"{kind.replace('_', ' ')}: the letter will not name a duration."
        )
    return PolicyFacts(
        period.id,
        period.title_in(language),
        period.effective_from,
        days,
        duration_kind,
        period.fee_exempt(kind),
        period.instruments_in(language),
        period.weakest_status,
    ), problem


def _permit_and_office(
    session: Session, actor: Actor, code: str, application_type: str
) -> tuple[PermitData | None, str]:
    from trpkit.services.applications import case_applications

    apps = case_applications(session, actor, code)
    permit = None
    for app in apps:  # newest first
        decision = app.decision
        if (
            app.type in TRP_TYPES
            and decision is not None
            and decision.outcome in ("granted", "partially_granted")
        ):
            days = decision.duration_granted_days
            if days is None and decision.validity_start and decision.validity_end:
                days = (decision.validity_end - decision.validity_start).days + 1
            permit = PermitData(app.file_number, decision.validity_start, decision.validity_end, days)
            break
    office = next((a.ircc_office for a in apps if a.type == application_type and a.ircc_office), "")
    return permit, office


_NOT_IDENTIFIED_EN = (
    "IRCC's preliminary assessment asks for an indication of at least one of its four criteria. "
    "This file shows indications for: {criteria}."
)
_NOT_IDENTIFIED_FR = (
    "L'évaluation préliminaire d'IRCC demande une indication d'au moins un de ses quatre critères. "
    "Ce dossier présente des indications pour : {criteria}."
)


def _translation_note(labels_shown: list[Any], language: str) -> str:
    """In a French letter, say plainly when the indicator and criterion labels are not official wording."""
    from trpkit.domain.frameworks import FrenchStatus

    if language != "fr" or not any(x.label_fr_status is FrenchStatus.UNOFFICIAL for x in labels_shown):
        return ""
    return (
        "Les libellés des critères et des indicateurs ci-dessous sont une traduction non officielle; les "
        "textes de référence (instructions d'IRCC, indicateurs OIT/CE) font foi."
    )


def _link_facts(
    session: Session, actor: Actor, code: str, passages: dict[int, int], loc: Localiser
) -> dict[str, tuple[list[str], list[int]]]:
    """Per indicator id: the notes written when linking it, and the account passages it rests on."""
    from trpkit.services.indicators import list_links

    found: dict[str, tuple[list[str], list[int]]] = {}
    for link in list_links(session, actor, code):
        if link.status != "present":
            continue
        notes, numbers = found.setdefault(link.indicator_id, ([], []))
        note = loc.text(f"link:{link.id}", link.note.strip(), f"fact noted with {link.indicator_id}")
        if note and note not in notes:
            notes.append(note)
        if link.narrative_entry_id is not None and link.narrative_entry_id in passages:
            numbers.append(passages[link.narrative_entry_id])
    return found


def _label_in(found: Any, fallback: str, language: str) -> str:
    return str(found.label_in(language)) if found is not None else fallback


def _internal_notes(
    result: Any, delphi: Any, language: str, warnings: list[str], label_of: Any
) -> tuple[str, ...]:
    """What the accompanier must know and the officer must not read, in the letter's language."""
    from trpkit.services import internal_notes as say

    notes = say.caveats(result, delphi, language)
    for dim in result.dimensions:
        if dim.present and not dim.positive:
            notes.append(say.unmet_dimension(label_of(dim), (dim.strong, dim.medium, dim.weak), language))
    if not result.identified:
        notes.append(say.verdict(result, delphi, language))
    return tuple(dict.fromkeys([*notes, *warnings]))


def _assessment(
    session: Session, actor: Actor, code: str, language: str, passages: dict[int, int], loc: Localiser
) -> tuple[AssessmentData, list[rules.IndicatorIn], set[int], list[str]]:
    """The indicator analysis for the letter, plus what readiness should say about it.

    The letter argues the person's case: only the positive dimensions and the IRCC criteria with
    indications, each indicator with the facts noted when it was linked and the exhibits or account
    passages it rests on. Caveats about the frameworks and unmet dimensions go to ``internal`` (the
    internal note and the Draft tab), never into the letter. Every label comes from the framework files
    in the letter's language (``label_fr`` for French).
    """
    from trpkit.loading.frameworks import load_frameworks
    from trpkit.services import internal_notes as say
    from trpkit.services.indicators_assessment import case_assessment

    result = case_assessment(session, actor, code)
    frameworks = load_frameworks()
    delphi = frameworks.get(result.framework)
    ircc = frameworks.criteria["ircc"]
    facts = _link_facts(session, actor, code, passages, loc)
    shown: list[Any] = []

    def labelled(found: Any, fallback: str) -> str:
        """The item's label in the letter's language (noting that it was shown), or the fallback."""
        if found is None:
            return fallback
        shown.append(found)
        return str(found.label_in(language))

    def rule_text(dim: Any) -> str:
        if language == "fr" and dim.rule:
            return RULE_TEXT_FR.get(dim.rule, dim.rule_text or "")
        return dim.rule_text or ""

    indicators: dict[str, IndicatorData] = {}
    english: dict[str, str] = {}
    dimensions = []
    for dim in result.dimensions:
        present_here = []
        for present in dim.present:
            noted, numbers = facts.get(present.id, ([], []))
            item = IndicatorData(
                present.id,
                labelled(delphi.resolve(present.id), present.label),
                present.strength,
                "present",
                present.exhibits,
                tuple(noted),
                tuple(sorted(set(numbers))),
            )
            indicators[present.id] = item
            english[present.id] = present.label
            present_here.append(item)
        if present_here:
            dimensions.append(
                GroupData(
                    labelled(next((d for d in delphi.dimensions if d.id == dim.id), None), dim.label),
                    dim.positive,
                    rule_text(dim),
                    tuple(present_here),
                    dim.id,
                    (dim.strong, dim.medium, dim.weak),
                    dim.role,
                )
            )
    criteria = []
    analysis_warnings = []  # for readiness (the app's words) ...
    internal_warnings = []  # ... and for the internal note, in the letter's language
    for criterion in result.gaps.ircc:
        held = tuple(indicators[i] for i in criterion.indicators if i in indicators)
        found = next((c for c in ircc.criteria if c.id == criterion.id), None)
        if criterion.supported and held:
            criteria.append(GroupData(labelled(found, criterion.label), True, "", held, criterion.id))
        else:
            analysis_warnings.append(say.criterion_gap(criterion.label, "en"))
            internal_warnings.append(say.criterion_gap(_label_in(found, criterion.label, language), language))
    if not result.identified and result.links:
        analysis_warnings.append(say.threshold_not_met("en"))
        internal_warnings.append(say.threshold_not_met(language))
    soft = [
        labelled(next((x for x in delphi.dimensions if x.id == d.id), None), d.label).lower()
        for d in result.dimensions
        if d.positive and d.strong == 0
    ]
    data = AssessmentData(
        framework=delphi.name_in(language),
        identified=result.identified,
        explanation=result.explanation,
        convergence=result.identified and result.convergence and bool(soft),
        convergence_detail=", ".join(soft),
        verification_note="",
        criteria=tuple(criteria),
        dimensions=tuple(dimensions),
        translation_note=_translation_note(shown, language),
        population=delphi.population,
        internal=_internal_notes(
            result,
            delphi,
            language,
            internal_warnings,
            lambda dim: _label_in(
                next((d for d in delphi.dimensions if d.id == dim.id), None), dim.label, language
            ),
        ),
    )
    account_only = set(result.gaps.account_only) | set(result.gaps.no_support_recorded)
    readiness_indicators = [
        rules.IndicatorIn(
            i,
            english.get(i, i),
            "present",
            0 if i in account_only else len(indicators[i].exhibits) if i in indicators else 0,
        )
        for i in sorted(account_only)
    ]
    cited = {n for dim in result.dimensions for p in dim.present for n in p.exhibits}
    return data, readiness_indicators, cited, analysis_warnings


def _exhibits(session: Session, actor: Actor, code: str, loc: Localiser) -> list[ExhibitData]:
    from trpkit.services.evidence import list_evidence

    return [
        ExhibitData(
            row.exhibit_number,
            loc.text(
                f"exhibit:{row.exhibit_number}",
                row.description or row.type_label,
                f"title of exhibit {row.exhibit_number}",
            ),
            row.date,
            loc.text(
                f"exhibit-source:{row.exhibit_number}", row.source, f"source of exhibit {row.exhibit_number}"
            ),
            row.indicator_ids,
        )
        for row in list_evidence(session, actor, code)
    ]


def _narrative(
    session: Session, actor: Actor, code: str, quote_allowed: bool, loc: Localiser
) -> tuple[list[QuoteItem], list[SummaryItem], dict[int, int], int]:
    """(own words, summaries, passage number of each entry shown, own-words count) from the narrative.

    The letter numbers the passages of the account it shows (own words first when they may be quoted,
    then the summaries) so the argument can point to them: "account, passage 3".
    """
    from trpkit.domain.fuzzy_dates import DateStatus, FuzzyDate, Precision
    from trpkit.services import narrative

    entries = [e for e in narrative.list_entries(session, actor, code) if e.text.strip()]
    quotes: list[QuoteItem] = []
    summaries: list[SummaryItem] = []
    numbers: dict[int, int] = {}
    shown = [e for e in entries if e.kind == "own_words" and quote_allowed]
    shown += [e for e in entries if e.kind != "own_words"]
    for number, entry in enumerate(shown, start=1):
        numbers[entry.id] = number
        if entry.kind == "own_words":
            said = FuzzyDate(
                original=entry.meeting_date.isoformat(),
                edtf=entry.meeting_date.isoformat(),
                earliest=entry.meeting_date,
                latest=entry.meeting_date,
                precision=Precision.DAY,
                status=DateStatus.PARSED,
            )
            translation, translator = entry.translation, entry.translated_by
            if loc.active:  # the translation shown is into the letter's language, or none if spoken in it
                version = loc.quote(
                    f"entry:{entry.id}",
                    entry.text,
                    f"quote, passage {number}",
                    entry.language,
                    (entry.translation, entry.translated_by),
                )
                translation, translator = version or ("", "")
            quotes.append(QuoteItem(entry.text, said, translation, translator, number, entry.language))
        else:
            text = loc.text(f"entry:{entry.id}", entry.text, f"summary, passage {number}")
            summaries.append(SummaryItem(number, text))
    return quotes, summaries, numbers, sum(1 for e in entries if e.kind == "own_words")


def _timeline(
    session: Session, actor: Actor, code: str, language: str, loc: Localiser
) -> tuple[list[ChronologyItem], list[rules.EventIn], list[tuple[str, str]]]:
    """(chronology, readiness checks, (name, role) of people involved) from the timeline area."""
    from trpkit.services import timeline_view

    result = timeline_view.case_timeline(session, actor, code)
    items: list[ChronologyItem] = []
    checks: list[rules.EventIn] = []
    people: list[tuple[str, str]] = []
    for event in result.events:
        title, place = event.title.strip(), event.place.strip()
        what = f"event '{title or event.type_label}' ({event.date.original})"
        if title:  # the accompanier's words (title and place) are one piece to translate
            text = loc.text(f"event:{event.id}", f"{title} ({place})" if place else title, what)
        else:  # the type is named in the letter's language; the place is the piece
            label = EVENT_TYPES_FR.get(event.type, event.type_label) if language == "fr" else event.type_label
            text = f"{label} ({loc.text(f'event:{event.id}', place, what)})" if place else label
        when = event.date
        if loc.active and not event.date.is_parsed:  # a date kept in the words said is content too
            said = loc.text(f"event-date:{event.id}", event.date.original, f"date of {what}")
            when = dataclasses.replace(event.date, original=said)
        items.append(ChronologyItem(when, text))
        checks.append(
            rules.EventIn(
                event.title.strip() or event.type_label,
                event.date.original,
                event.date.is_parsed,
                "; ".join(event.conflict_reasons),
            )
        )
        for role, names in event.people.items():
            people += [(name, role) for name in names if name.strip()]
    return items, checks, people


@dataclass(frozen=True)
class _Gathered:
    data: DraftData
    readiness: rules.ReadinessInput
    redactor_terms: dict[str, Any]
    pieces: tuple[PieceStatus, ...] = ()  # each piece of content and its version in the letter's language


def _gather(
    session: Session,
    actor: Actor,
    code: str,
    template: str,
    language: str,
    redacted: bool,
    on: date,
    organisation: Organisation,
) -> tuple[_Gathered, Case, Any]:
    from trpkit.services.cases import get_case
    from trpkit.services.checklists import all_checklists, statuses
    from trpkit.services.consent import has_consent

    info = _template_info(template, language)
    case = require_case(session, actor, code)
    detail = get_case(session, actor, code, purpose="draft")
    person = detail.person
    consents = {
        p: has_consent(session, case.id, p) for p in ("submit_to_ircc", "quote_own_words", "prepare_file")
    }
    notes_row = _notes_row(session, case)
    notes = _notes_detail(case, notes_row)
    kind = info.application_type
    policy, policy_problem = _policy(on, kind, language) if kind else (None, "")
    policy_note = policy_problem if policy is not None else ""
    policy_problem = policy_problem if policy is None else ""
    permit, office = _permit_and_office(session, actor, code, kind)
    loc = Localiser(session, case.id, language)
    # the exhibit index shows only the exhibits: the rest needs no version for it
    told = loc if template != "exhibit-index" else Localiser(session, case.id, "en")
    quotes, summaries, passages, own_words_count = _narrative(
        session, actor, code, consents["quote_own_words"], told
    )
    assessment, indicator_checks, cited, analysis_warnings = _assessment(
        session, actor, code, language, passages, told
    )
    exhibits = _exhibits(session, actor, code, loc)
    chronology, event_checks, people_involved = _timeline(session, actor, code, language, told)
    for text in [*(x.text for x in summaries), *notes.values.values()]:
        for match in _EXHIBIT_REF.finditer(text):
            cited |= {int(n) for n in re.findall(r"\d+", match.group(1))}
    checklist: DocumentChecklist | None = all_checklists().get(kind) if kind else None
    office_lines = tuple(
        line.strip() for line in (notes.values["ircc_office"] or office).splitlines() if line.strip()
    )
    if office_lines and not any(w in office_lines[0] for w in ("IRCC", "Immigration")):
        office_lines = (
            "Immigration, Refugees and Citizenship Canada"
            if language == "en"
            else "Immigration, Réfugiés et Citoyenneté Canada",
            *office_lines,
        )
    dependants_in_canada = dependants_from_stored(
        person.dependants_in_canada
    )  # only those included are asked for
    data = DraftData(
        template=template,
        language=language,
        draft_date=on,
        case_code=case.code,
        person=PersonData(
            person.legal_name,
            person.preferred_name,
            person.aliases,
            person.birth_date_text,
            person.nationality,
            person.uci,
            for_application(dependants_in_canada, language, on),
            person.gender,
        ),
        organisation=organisation,
        policy=policy,
        office_lines=office_lines,
        request_work_permit=notes.request_work_permit,
        request_ifhp=notes.request_ifhp,
        previous_permit=permit,
        criminal_case_status=detail.criminal_case_status,
        cooperation=detail.law_enforcement_cooperation,
        chronology=tuple(chronology),
        own_words=tuple(quotes),
        summaries=tuple(summaries),
        quote_allowed=consents["quote_own_words"],
        assessment=assessment,
        exhibits=tuple(exhibits),
        notes={
            key: loc.text(f"note:{key}", value, f"your note '{key.replace('_', ' ')}'")
            if key in TEMPLATE_NOTES.get(template, LETTER_NOTES)
            else value
            for key, value in notes.values.items()
        },
        health_coverage=notes.health_coverage,
    )
    filled = {k for k, v in notes.values.items() if v.strip()}
    sections = set(filled)
    sections |= {"chronology"} if chronology else set()
    sections |= {"account"} if summaries or quotes else set()
    sections |= {"criteria"} if assessment.criteria else set()
    sections |= {"exhibits"} if exhibits else set()
    readiness_input = rules.ReadinessInput(
        case_code=case.code,
        template=template,
        today=on,
        redacted=redacted,
        consents=consents,
        own_words_count=own_words_count,
        person_name=person.legal_name or person.preferred_name,
        birth_date=person.birth_date_text,
        uci=person.uci,
        checklist=checklist,
        checklist_status=statuses(session, case.id, kind) if kind else {},
        events=tuple(event_checks),
        exhibit_numbers=tuple(str(x.number) for x in exhibits),
        cited_exhibits=tuple(str(n) for n in sorted(cited)),
        indicators=tuple(indicator_checks),
        assessed=bool(assessment.dimensions and any(g.indicators for g in assessment.dimensions)),
        notes_filled=frozenset(filled),
        previous_permit=permit is not None,
        previous_permit_number=bool(permit and permit.number.strip()),
        policy_problem=policy_problem,
        policy_note=policy_note,
        analysis_warnings=tuple(analysis_warnings),
        organisation_missing=organisation.missing(),
        dependants_without_birth=tuple(
            d.id
            for d in dependants_in_canada
            if d.include_in_application and d.name and not d.birth.text.strip()
        ),
        nationality=person.nationality,
        immigration_status=person.immigration_status,
        sections_filled=frozenset(sections),
        permit_valid_to=permit.valid_to if permit else None,
        request_ifhp=notes.request_ifhp,
        health_coverage=notes.health_coverage,
        untranslated=loc.missing,
        unsupported_dimensions=tuple(
            d.label
            for d in assessment.dimensions
            if d.positive and not any(i.exhibits or i.passages for i in d.indicators)
        ),
    )
    # every dependant's name is redacted, included in the application or not, and an exact date of birth
    dependants = [(d.name, "dependant") for d in dependants_in_canada if d.name]
    # A bare year of birth ("1991") is left alone in the text (it would hide every year 1991 in the
    # chronology); the identity block replaces the date of birth whatever it is.
    birth = person.birth_date_text.strip()
    terms = {
        "person_names": [person.legal_name, person.preferred_name, *person.aliases],
        "birth_dates": ([birth] if len(birth) > 4 else [])
        + [
            d.birth.text
            for d in dependants_in_canada  # a dependant's exact date (not "around 2015")
            if d.birth.earliest and d.birth.latest and (d.birth.latest - d.birth.earliest).days <= 31
        ],
        "uci": person.uci,
        "others": [*dependants, *people_involved],
    }
    return _Gathered(data, readiness_input, terms, tuple(loc.seen)), case, info


def _redactor(gathered: _Gathered, language: str) -> Redactor:
    return build_redactor(language, **gathered.redactor_terms)


# --------------------------------------------------------------------------------------------------
# Use-cases


def readiness(
    session: Session,
    actor: Actor,
    code: str,
    *,
    template: str = "trp-initial",
    language: str = "en",
    redacted: bool = False,
    on: date | None = None,
    organisation: Organisation | None = None,
) -> ReadinessReport:
    """Every blocker and warning for drafting ``template`` for the case, with where to fix each."""
    gathered, case, info = _gather(
        session,
        actor,
        code,
        template,
        language,
        redacted,
        on or utcnow().date(),
        organisation or Organisation(),
    )
    findings = rules.check(gathered.readiness)
    from trpkit.services.case_review import readiness_findings  # unlinked cues, contradictions

    findings = [*findings, *readiness_findings(session, actor, case.code)]
    audit.record(
        session,
        actor,
        "draft.readiness",
        case.code,
        template=template,
        blockers=sum(f.is_blocker for f in findings),
        warnings=sum(not f.is_blocker for f in findings),
    )
    return ReadinessReport(
        case.code,
        template,
        language,
        redacted,
        info.application_type,
        tuple(findings),
        _internal(gathered.data),
    )


def _internal(data: DraftData) -> tuple[str, ...]:
    """What the internal note says: the analysis caveats, then what the letter does about the permit."""
    from trpkit.services.internal_notes import permit_ended

    notes = list(data.assessment.internal)
    permit = data.previous_permit
    if permit is not None and permit.valid_to is not None and permit.valid_to < data.draft_date:
        notes.append(permit_ended(permit.valid_to, data.language))
    return tuple(notes)


def translation_status(
    session: Session,
    actor: Actor,
    code: str,
    *,
    template: str = "trp-initial",
    language: str = "fr",
    on: date | None = None,
) -> tuple[PieceStatus, ...]:
    """Every piece of case content a letter in ``language`` shows, and whether it has its version."""
    gathered, _case, _info = _gather(
        session, actor, code, template, language, False, on or utcnow().date(), Organisation()
    )
    return gathered.pieces


def set_translation(
    session: Session,
    actor: Actor,
    code: str,
    piece: str,
    *,
    text: str,
    translator: str,
    language: str = "fr",
) -> PieceStatus:
    """Record the ``language`` version of one piece (as listed by ``translation_status``)."""
    from trpkit.services.translations import set_version

    # the subsequent letter shows every piece the other templates show
    pieces = {
        p.piece: p
        for p in translation_status(session, actor, code, template="trp-subsequent", language=language)
    }
    found = pieces.get(piece)
    if found is None:
        raise UsageError(
            f"{piece} is not shown in a {language} letter for {code.strip().upper()} (list the pieces with "
            f"'trpkit translations list {code.strip().upper()}')"
        )
    version = set_version(
        session,
        actor,
        code,
        piece,
        text=text,
        translator=translator,
        original=found.original,
        language=language,
    )
    return PieceStatus(piece, found.label, found.original, "translated", version.text, version.translator)


def build_draft_context(
    session: Session,
    actor: Actor,
    code: str,
    *,
    template: str,
    language: str = "en",
    redacted: bool = False,
    on: date | None = None,
    organisation: Organisation | None = None,
) -> dict[str, Any]:
    """The template context a draft would use (for previews and tests); no file is written."""
    gathered, _case, _info = _gather(
        session,
        actor,
        code,
        template,
        language,
        redacted,
        on or utcnow().date(),
        organisation or Organisation(),
    )
    return build_context(gathered.data, _redactor(gathered, language) if redacted else None)


def _write_atomically(path: Path, data: bytes, overwrite: bool, make_folder: bool = False) -> None:
    if path.exists() and not overwrite:
        raise UsageError(f"{path} already exists: choose another file name or pass --force to replace it")
    if make_folder and not path.parent.exists():
        try:
            path.parent.mkdir(parents=True, mode=0o700)
        except OSError as exc:
            raise UsageError(f"cannot create the folder {path.parent}: {exc.strerror}") from None
    if not path.parent.is_dir():
        raise UsageError(f"folder {path.parent} does not exist: create it or choose another place")
    handle, tmp_name = tempfile.mkstemp(prefix=".trpkit-draft-", suffix=".docx", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def generate_draft(
    session: Session,
    actor: Actor,
    code: str,
    *,
    template: str,
    output: Path,
    language: str = "en",
    redacted: bool = False,
    on: date | None = None,
    organisation: Organisation | None = None,
    overwrite: bool = False,
    application: str | None = None,
    make_folder: bool = False,
) -> DraftRecord:
    """Render the draft to ``output`` (a .docx path the person chose) and record it in the case.

    ``application`` (a reference such as TRP-2026-0042/A2) links the draft to that application as
    "the draft used" (through the applications service).
    """
    from trpkit.documents.render import render_bytes
    from trpkit.services.consent import require_consent

    if output.suffix.lower() != ".docx":
        raise UsageError(f"{output.name}: the draft is a Word document; give a file name ending in .docx")
    if application is not None:
        from trpkit.services.applications import parse_ref

        if parse_ref(application)[0] != code.strip().upper():
            raise UsageError(f"application {application} belongs to another case than {code.strip().upper()}")
        if redacted:
            raise UsageError("a redacted copy is not a submission: do not link it to an application")
    day = on or utcnow().date()
    gathered, case, info = _gather(
        session, actor, code, template, language, redacted, day, organisation or Organisation()
    )
    if not redacted:
        require_consent(session, case, "submit_to_ircc")
    findings = rules.check(gathered.readiness)
    blocking = rules.blockers(findings)
    if blocking:
        raise DraftBlocked(case.code, blocking)
    context = build_context(gathered.data, _redactor(gathered, language) if redacted else None)
    data = render_bytes(info.path, context)
    digest = hashlib.sha256(data).hexdigest()
    _write_atomically(output, data, overwrite, make_folder)
    record = Draft(
        case_id=case.id,
        template=template,
        language=language,
        redacted=redacted,
        created_by_id=actor.user_id,
        sha256=digest,
        size_bytes=len(data),
        output_filename=output.name,
        draft_date=day,
        policy_period=gathered.data.policy.id if gathered.data.policy else "",
        warnings=len(findings),
    )
    session.add(record)
    session.flush()
    audit.record(
        session,
        actor,
        "draft.export",
        case.code,
        draft=record.id,
        template=template,
        language=language,
        redacted=redacted,
        sha256=digest,
    )
    if application is not None:
        from trpkit.services.applications import update_application

        update_application(session, actor, application, draft_id=record.id)
    return _record(record, case.code, actor.username, output, tuple(findings), _internal(gathered.data))


def write_internal_note(record: DraftRecord, output: Path, *, overwrite: bool = False) -> Path:
    """The internal cover note for a draft just written: marked "not for submission", never sent."""
    from trpkit.documents.internal_note import InternalNote, render_internal_note

    if output.suffix.lower() != ".docx":
        raise UsageError(f"{output.name}: the internal note is a Word document; end the name in .docx")
    note = InternalNote(
        record.case_code,
        record.template,
        record.language,
        record.draft_date,
        record.output_filename,
        record.internal,
        tuple(f"{f.message} (fix: {f.fix})" for f in record.findings),
    )
    _write_atomically(output, render_internal_note(note), overwrite)
    return output


def _record(
    row: Draft,
    code: str,
    username: str,
    path: Path | None = None,
    findings: tuple[rules.Finding, ...] = (),
    internal: tuple[str, ...] = (),
) -> DraftRecord:
    return DraftRecord(
        row.id,
        code,
        row.template,
        row.language,
        row.redacted,
        row.created_at,
        username,
        row.sha256,
        row.size_bytes,
        row.output_filename,
        row.draft_date,
        row.policy_period,
        row.warnings,
        path,
        findings,
        internal,
    )


def list_drafts(session: Session, actor: Actor, code: str) -> list[DraftRecord]:
    case = require_case(session, actor, code)
    rows = session.execute(
        select(Draft, User.username)
        .outerjoin(User, User.id == Draft.created_by_id)
        .where(Draft.case_id == case.id)
        .order_by(Draft.created_at.desc(), Draft.id.desc())
    ).all()
    audit.record(session, actor, "draft.list", case.code, count=len(rows))
    return [_record(row, case.code, username or "") for row, username in rows]


def default_drafts_folder() -> Path:
    """Where the app suggests saving drafts: a "trpkit drafts" folder in the person's documents."""
    from platformdirs import user_documents_path

    return user_documents_path() / "trpkit drafts"


def suggest_output(folder: Path, code: str, template: str, language: str, on: date) -> Path:
    """A file name that says what the draft is (case code, never the person's name) and is not taken."""
    stem = f"{code}-{template}-{language}-{on.isoformat()}"
    path = folder / f"{stem}.docx"
    number = 2
    while path.exists():
        path = folder / f"{stem}-{number}.docx"
        number += 1
    return path
