"""Gathering the case for one letter: each area's facts, then the letter's data, the readiness input and
the terms the redactor hides. Each area is read through its own public services."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from trpkit.db.base import utcnow
from trpkit.db.models import Case
from trpkit.documents.context import DraftData, ExhibitData, Organisation, PermitData, PersonData, PolicyFacts
from trpkit.documents.letter_wording import addressed_to_ircc
from trpkit.documents.templates import TemplateInfo
from trpkit.domain import readiness as rules
from trpkit.domain.dependants import Dependant, for_application
from trpkit.domain.dependants import from_stored_list as dependants_from_stored
from trpkit.domain.document_checklists import DocumentChecklist, ItemStatus
from trpkit.domain.redaction import Redactor, build_redactor
from trpkit.services.access import require_case
from trpkit.services.actor import Actor
from trpkit.services.drafting_account import (
    Account,
    Chronology,
    account_for_letter,
    chronology_for_letter,
    exhibits_for_letter,
)
from trpkit.services.drafting_assessment import LetterAssessment, assessment_for_letter
from trpkit.services.drafting_notes import LETTER_NOTES, TEMPLATE_NOTES, NotesDetail, case_notes
from trpkit.services.drafting_policy import permit_and_office, policy_for_letter
from trpkit.services.drafting_source import LetterSource
from trpkit.services.translations import Localiser, PieceStatus

if TYPE_CHECKING:
    from trpkit.services.cases import CaseDetail

_EXHIBIT_REF = re.compile(r"\b(?:exhibits?|pi[eè]ces?)\s+(\d+(?:\s*(?:,|and|et)\s*\d+)*)", re.IGNORECASE)
_CONSENTS = ("submit_to_ircc", "quote_own_words", "prepare_file")  # the purposes a letter depends on


@dataclass(frozen=True)
class Gathered:
    """One read of the case for one letter (nothing written): what the letter shows and what is checked."""

    case_id: int
    case_code: str
    template: TemplateInfo
    data: DraftData
    readiness: rules.ReadinessInput
    redactor_terms: dict[str, Any]
    pieces: tuple[PieceStatus, ...] = ()  # each piece of content and its version in the letter's language

    def redactor(self) -> Redactor:
        return build_redactor(self.data.language, **self.redactor_terms)


@dataclass(frozen=True)
class _Letter:
    """The letter asked for."""

    template: str
    language: str
    redacted: bool
    on: date  # the letter's date: the policy in force then, the dates counted to it
    application_type: str  # the template's application ("" for the exhibit index)


@dataclass(frozen=True)
class _CaseFacts:
    """Every area's facts for one letter, before they are shaped for the letter, readiness, the redactor."""

    letter: _Letter
    case_code: str
    detail: CaseDetail
    consents: dict[str, bool]
    notes: NotesDetail
    policy: PolicyFacts | None
    policy_problem: str  # a missing policy blocks; a policy without a permit length only warns
    permit: PermitData | None
    office_lines: tuple[str, ...]
    account: Account
    assessment: LetterAssessment
    exhibits: tuple[ExhibitData, ...]
    chronology: Chronology
    cited: frozenset[int]  # exhibit numbers cited by the analysis, the summaries or the notes
    checklist: DocumentChecklist | None
    checklist_status: dict[str, ItemStatus]
    dependants: tuple[Dependant, ...]  # in Canada, included in the application or not
    organisation: Organisation


def gather(
    session: Session,
    actor: Actor,
    code: str,
    *,
    template: str = "trp-initial",
    language: str = "en",
    redacted: bool = False,
    on: date | None = None,
    organisation: Organisation | None = None,
) -> Gathered:
    """Read the case for ``template`` in ``language``; the areas' services audit their own reads."""
    from trpkit.documents.templates import find

    info = find(template, language)
    case = require_case(session, actor, code)
    loc = Localiser(session, case.id, language)
    letter = _Letter(template, language, redacted, on or utcnow().date(), info.application_type)
    facts = _read_case(session, actor, case, letter, organisation or Organisation(), loc)
    data = _draft_data(facts, loc)  # translates the notes: before loc.missing is read
    readiness_input = _readiness_input(facts, loc.missing)
    return Gathered(case.id, case.code, info, data, readiness_input, _redaction_terms(facts), tuple(loc.seen))


def _read_case(
    session: Session, actor: Actor, case: Case, letter: _Letter, organisation: Organisation, loc: Localiser
) -> _CaseFacts:
    """Each area's facts, read in the order the letter's passages are numbered."""
    from trpkit.services.cases import get_case
    from trpkit.services.checklists import all_checklists, statuses
    from trpkit.services.consent import has_consent

    language, kind = letter.language, letter.application_type
    detail = get_case(session, actor, case.code, purpose="draft")
    consents = {p: has_consent(session, case.id, p) for p in _CONSENTS}
    notes = case_notes(session, case)
    policy, policy_problem = policy_for_letter(letter.on, kind, language) if kind else (None, "")
    source = LetterSource(session, actor, case.code, language, loc)
    permit, office = permit_and_office(source, kind)
    # the exhibit index shows only the exhibits: the rest needs no version for it
    told = (
        source
        if letter.template != "exhibit-index"
        else LetterSource(session, actor, case.code, language, Localiser(session, case.id, "en"))
    )
    account = account_for_letter(told, consents["quote_own_words"])
    assessment = assessment_for_letter(told, account.passages)
    exhibits = exhibits_for_letter(source)
    chronology = chronology_for_letter(told)
    office_text = notes.values["ircc_office"] or office
    return _CaseFacts(
        letter=letter,
        case_code=case.code,
        detail=detail,
        consents=consents,
        notes=notes,
        policy=policy,
        policy_problem=policy_problem,
        permit=permit,
        office_lines=addressed_to_ircc(
            tuple(line.strip() for line in office_text.splitlines() if line.strip()), language
        ),
        account=account,
        assessment=assessment,
        exhibits=exhibits,
        chronology=chronology,
        cited=assessment.cited | _cited_in([*(x.text for x in account.summaries), *notes.values.values()]),
        checklist=all_checklists().get(kind) if kind else None,
        checklist_status=statuses(session, case.id, kind) if kind else {},
        dependants=dependants_from_stored(detail.person.dependants_in_canada),
        organisation=organisation,
    )


def _cited_in(texts: list[str]) -> frozenset[int]:
    """Exhibit numbers the accompanier's words cite ("exhibits 2 and 3", "pièce 4")."""
    cited: set[int] = set()
    for text in texts:
        for match in _EXHIBIT_REF.finditer(text):
            cited |= {int(n) for n in re.findall(r"\d+", match.group(1))}
    return frozenset(cited)


def _draft_data(facts: _CaseFacts, loc: Localiser) -> DraftData:
    """What the letter shows; the notes it prints are shown in the letter's language."""
    person, notes, letter = facts.detail.person, facts.notes, facts.letter
    return DraftData(
        template=letter.template,
        language=letter.language,
        draft_date=letter.on,
        case_code=facts.case_code,
        person=PersonData(
            person.legal_name,
            person.preferred_name,
            person.aliases,
            person.birth_date_text,
            person.nationality,
            person.uci,
            for_application(facts.dependants, letter.language, letter.on),  # only those included
            person.gender,
        ),
        organisation=facts.organisation,
        policy=facts.policy,
        office_lines=facts.office_lines,
        request_work_permit=notes.request_work_permit,
        request_ifhp=notes.request_ifhp,
        previous_permit=facts.permit,
        criminal_case_status=facts.detail.criminal_case_status,
        cooperation=facts.detail.law_enforcement_cooperation,
        chronology=facts.chronology.items,
        own_words=facts.account.quotes,
        summaries=facts.account.summaries,
        quote_allowed=facts.consents["quote_own_words"],
        assessment=facts.assessment.data,
        exhibits=facts.exhibits,
        notes={
            key: loc.text(f"note:{key}", value, f"your note '{key.replace('_', ' ')}'")
            if key in TEMPLATE_NOTES.get(letter.template, LETTER_NOTES)
            else value
            for key, value in notes.values.items()
        },
        health_coverage=notes.health_coverage,
    )


def _sections_filled(facts: _CaseFacts, notes_filled: set[str]) -> frozenset[str]:
    sections = set(notes_filled)
    sections |= {"chronology"} if facts.chronology.items else set()
    sections |= {"account"} if facts.account.summaries or facts.account.quotes else set()
    sections |= {"criteria"} if facts.assessment.data.criteria else set()
    sections |= {"exhibits"} if facts.exhibits else set()
    return frozenset(sections)


def _readiness_input(facts: _CaseFacts, untranslated: tuple[str, ...]) -> rules.ReadinessInput:
    person, notes, permit = facts.detail.person, facts.notes, facts.permit
    assessment = facts.assessment.data
    filled = {k for k, v in notes.values.items() if v.strip()}
    return rules.ReadinessInput(
        case_code=facts.case_code,
        template=facts.letter.template,
        today=facts.letter.on,
        redacted=facts.letter.redacted,
        consents=facts.consents,
        own_words_count=facts.account.own_words_count,
        person_name=person.legal_name or person.preferred_name,
        birth_date=person.birth_date_text,
        uci=person.uci,
        checklist=facts.checklist,
        checklist_status=facts.checklist_status,
        events=facts.chronology.checks,
        exhibit_numbers=tuple(str(x.number) for x in facts.exhibits),
        cited_exhibits=tuple(str(n) for n in sorted(facts.cited)),
        indicators=facts.assessment.indicator_checks,
        assessed=bool(assessment.dimensions and any(g.indicators for g in assessment.dimensions)),
        notes_filled=frozenset(filled),
        previous_permit=permit is not None,
        previous_permit_number=bool(permit and permit.number.strip()),
        policy_problem=facts.policy_problem if facts.policy is None else "",
        policy_note=facts.policy_problem if facts.policy is not None else "",
        analysis_warnings=facts.assessment.warnings,
        organisation_missing=facts.organisation.missing(),
        dependants_without_birth=tuple(
            d.id for d in facts.dependants if d.include_in_application and d.name and not d.birth.text.strip()
        ),
        nationality=person.nationality,
        immigration_status=person.immigration_status,
        sections_filled=_sections_filled(facts, filled),
        permit_valid_to=permit.valid_to if permit else None,
        request_ifhp=notes.request_ifhp,
        health_coverage=notes.health_coverage,
        untranslated=untranslated,
        unsupported_dimensions=tuple(
            d.label
            for d in assessment.dimensions
            if d.positive and not any(i.exhibits or i.passages for i in d.indicators)
        ),
    )


def _redaction_terms(facts: _CaseFacts) -> dict[str, Any]:
    """What the redactor hides: the person's names, exact dates of birth, UCI, dependants, people named."""
    person = facts.detail.person
    # every dependant's name is redacted, included in the application or not, and an exact date of birth
    dependants = [(d.name, "dependant") for d in facts.dependants if d.name]
    # A bare year of birth ("1991") is left alone in the text (it would hide every year 1991 in the
    # chronology); the identity block replaces the date of birth whatever it is.
    birth = person.birth_date_text.strip()
    return {
        "person_names": [person.legal_name, person.preferred_name, *person.aliases],
        "birth_dates": ([birth] if len(birth) > 4 else [])
        + [
            d.birth.text
            for d in facts.dependants  # a dependant's exact date (not "around 2015")
            if d.birth.earliest and d.birth.latest and (d.birth.latest - d.birth.earliest).days <= 31
        ],
        "uci": person.uci,
        "others": [*dependants, *facts.chronology.people],
    }
