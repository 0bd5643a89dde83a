"""Gathering the case for a letter: each area's facts, the readiness input and the redaction terms."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from trpkit.db.models import Case
from trpkit.documents.context import DraftData, Organisation, PermitData, PersonData, PolicyFacts
from trpkit.domain import readiness as rules
from trpkit.domain.dependants import for_application
from trpkit.domain.dependants import from_stored_list as dependants_from_stored
from trpkit.domain.document_checklists import DocumentChecklist
from trpkit.domain.redaction import Redactor, build_redactor
from trpkit.services.access import require_case
from trpkit.services.actor import Actor
from trpkit.services.drafting_account import _exhibits, _narrative, _timeline
from trpkit.services.drafting_assessment import _assessment
from trpkit.services.drafting_notes import LETTER_NOTES, TEMPLATE_NOTES, _notes_detail, _notes_row
from trpkit.services.translations import Localiser, PieceStatus

TRP_TYPES = ("initial_trp", "subsequent_trp")
_EXHIBIT_REF = re.compile(r"\b(?:exhibits?|pi[eè]ces?)\s+(\d+(?:\s*(?:,|and|et)\s*\d+)*)", re.IGNORECASE)


def _template_info(template: str, language: str) -> Any:
    from trpkit.documents.templates import find

    return find(template, language)


def _policy(on: date, application_type: str, language: str = "en") -> tuple[PolicyFacts | None, str]:
    from trpkit.domain.ircc_periods import NoPolicyPeriod, PolicyDataError, policy_in_force

    try:
        period = policy_in_force(on)
    except NoPolicyPeriod as exc:
        return None, str(exc)
    except PolicyDataError as exc:
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
