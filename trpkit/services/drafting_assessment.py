"""The indicator analysis a letter argues, and what stays in the internal note."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from trpkit.documents.context import RULE_TEXT_FR, AssessmentData, GroupData, IndicatorData
from trpkit.documents.letter_wording import translation_note
from trpkit.domain import readiness as rules
from trpkit.services.actor import Actor
from trpkit.services.translations import Localiser

_NOT_IDENTIFIED_EN = (
    "IRCC's preliminary assessment asks for an indication of at least one of its four criteria. "
    "This file shows indications for: {criteria}."
)
_NOT_IDENTIFIED_FR = (
    "L'évaluation préliminaire d'IRCC demande une indication d'au moins un de ses quatre critères. "
    "Ce dossier présente des indications pour : {criteria}."
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
    from trpkit.documents import internal_note_wording as say

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
    from trpkit.documents import internal_note_wording as say
    from trpkit.loading.frameworks import load_frameworks
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
        translation_note=translation_note(shown, language),
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
