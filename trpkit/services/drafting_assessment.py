"""The indicator analysis a letter argues, what readiness says about it, and what stays internal.

The letter argues the person's case: only the positive dimensions and the IRCC criteria with indications,
each indicator with the facts noted when it was linked and the exhibits or account passages it rests on.
Caveats about the frameworks and unmet dimensions go to ``internal`` (the internal note and the Draft
tab), never into the letter. Every label comes from the framework files in the letter's language
(``label_fr`` for French).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from trpkit.documents import internal_note_wording as say
from trpkit.documents.context import RULE_TEXT_FR, AssessmentData, GroupData, IndicatorData
from trpkit.documents.letter_wording import translation_note
from trpkit.domain import readiness as rules
from trpkit.domain.assessment_results import DimensionResult
from trpkit.domain.frameworks import CriteriaSet, Criterion, DelphiList, Dimension, Indicator
from trpkit.services.drafting_source import LetterSource

if TYPE_CHECKING:
    from trpkit.services.indicators_assessment import CaseAssessment

Labelled = Indicator | Dimension | Criterion


@dataclass(frozen=True)
class LetterAssessment:
    """The analysis as the letter shows it, and what readiness is told about it."""

    data: AssessmentData
    indicator_checks: tuple[rules.IndicatorIn, ...]  # indicators resting on the account only
    cited: frozenset[int]  # exhibit numbers the analysis cites
    warnings: tuple[str, ...]  # for readiness, in the app's words (English)


class _Labels:
    """Framework labels in the letter's language, remembering those shown (for the translation note)."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.shown: list[Labelled] = []

    def shown_label(self, found: Labelled | None, fallback: str) -> str:
        """The item's label in the letter's language (noting that it was shown), or the fallback."""
        if found is None:
            return fallback
        self.shown.append(found)
        return str(found.label_in(self.language))

    def label(self, found: Labelled | None, fallback: str) -> str:
        """The same label for the internal note: not shown to the officer, so not noted."""
        return str(found.label_in(self.language)) if found is not None else fallback


def _link_facts(source: LetterSource, passages: dict[int, int]) -> dict[str, tuple[list[str], list[int]]]:
    """Per indicator id: the notes written when linking it, and the account passages it rests on."""
    from trpkit.services.indicators import list_links

    found: dict[str, tuple[list[str], list[int]]] = {}
    for link in list_links(source.session, source.actor, source.code):
        if link.status != "present":
            continue
        notes, numbers = found.setdefault(link.indicator_id, ([], []))
        note = source.loc.text(f"link:{link.id}", link.note.strip(), f"fact noted with {link.indicator_id}")
        if note and note not in notes:
            notes.append(note)
        if link.narrative_entry_id is not None and link.narrative_entry_id in passages:
            numbers.append(passages[link.narrative_entry_id])
    return found


def _internal_notes(
    result: CaseAssessment,
    delphi: DelphiList,
    language: str,
    warnings: list[str],
    label_of: Callable[[DimensionResult], str],
) -> tuple[str, ...]:
    """What the accompanier must know and the officer must not read, in the letter's language."""
    notes = say.caveats(result, delphi, language)
    for dim in result.dimensions:
        if dim.present and not dim.positive:
            notes.append(say.unmet_dimension(label_of(dim), (dim.strong, dim.medium, dim.weak), language))
    if not result.identified:
        notes.append(say.verdict(result, delphi, language))
    return tuple(dict.fromkeys([*notes, *warnings]))


def _rule_text(dim: DimensionResult, language: str) -> str:
    if language == "fr" and dim.rule:
        return RULE_TEXT_FR.get(dim.rule, dim.rule_text or "")
    return dim.rule_text or ""


def _dimension_of(delphi: DelphiList, dim: DimensionResult) -> Dimension | None:
    return next((d for d in delphi.dimensions if d.id == dim.id), None)


def _dimensions(
    result: CaseAssessment,
    delphi: DelphiList,
    facts: dict[str, tuple[list[str], list[int]]],
    labels: _Labels,
) -> tuple[list[GroupData], dict[str, IndicatorData]]:
    """The dimensions with present indicators, and each present indicator as the letter shows it."""
    indicators: dict[str, IndicatorData] = {}
    dimensions = []
    for dim in result.dimensions:
        present_here = []
        for present in dim.present:
            noted, numbers = facts.get(present.id, ([], []))
            item = IndicatorData(
                present.id,
                labels.shown_label(delphi.resolve(present.id), present.label),
                present.strength,
                "present",
                present.exhibits,
                tuple(noted),
                tuple(sorted(set(numbers))),
            )
            indicators[present.id] = item
            present_here.append(item)
        if present_here:
            dimensions.append(
                GroupData(
                    labels.shown_label(_dimension_of(delphi, dim), dim.label),
                    dim.positive,
                    _rule_text(dim, labels.language),
                    tuple(present_here),
                    dim.id,
                    (dim.strong, dim.medium, dim.weak),
                    dim.role,
                )
            )
    return dimensions, indicators


def _criteria(
    result: CaseAssessment, ircc: CriteriaSet, indicators: dict[str, IndicatorData], labels: _Labels
) -> tuple[list[GroupData], list[str], list[str]]:
    """(the IRCC criteria the letter argues, readiness warnings, internal-note warnings) about criteria."""
    language = labels.language
    criteria = []
    analysis_warnings = []  # for readiness (the app's words) ...
    internal_warnings = []  # ... and for the internal note, in the letter's language
    for criterion in result.gaps.ircc:
        held = tuple(indicators[i] for i in criterion.indicators if i in indicators)
        found = next((c for c in ircc.criteria if c.id == criterion.id), None)
        if criterion.supported and held:
            criteria.append(
                GroupData(labels.shown_label(found, criterion.label), True, "", held, criterion.id)
            )
        else:
            analysis_warnings.append(say.criterion_gap(criterion.label, "en"))
            internal_warnings.append(say.criterion_gap(labels.label(found, criterion.label), language))
    if not result.identified and result.links:
        analysis_warnings.append(say.threshold_not_met("en"))
        internal_warnings.append(say.threshold_not_met(language))
    return criteria, analysis_warnings, internal_warnings


def _account_only_checks(
    result: CaseAssessment, indicators: dict[str, IndicatorData]
) -> tuple[rules.IndicatorIn, ...]:
    """The indicators resting only on the person's account (or on nothing), for readiness."""
    english = {p.id: p.label for dim in result.dimensions for p in dim.present}
    account_only = set(result.gaps.account_only) | set(result.gaps.no_support_recorded)
    return tuple(
        rules.IndicatorIn(
            i,
            english.get(i, i),
            "present",
            0 if i in account_only else len(indicators[i].exhibits) if i in indicators else 0,
        )
        for i in sorted(account_only)
    )


def assessment_for_letter(source: LetterSource, passages: dict[int, int]) -> LetterAssessment:
    """The indicator analysis for the letter, plus what readiness should say about it."""
    from trpkit.loading.frameworks import load_frameworks
    from trpkit.services.indicators_assessment import case_assessment

    language = source.language
    result = case_assessment(source.session, source.actor, source.code)
    frameworks = load_frameworks()
    delphi = frameworks.get(result.framework)
    facts = _link_facts(source, passages)
    labels = _Labels(language)
    dimensions, indicators = _dimensions(result, delphi, facts, labels)
    criteria, analysis_warnings, internal_warnings = _criteria(
        result, frameworks.criteria["ircc"], indicators, labels
    )
    soft = [
        labels.shown_label(_dimension_of(delphi, d), d.label).lower()
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
        translation_note=translation_note(labels.shown, language),
        population=delphi.population,
        internal=_internal_notes(
            result,
            delphi,
            language,
            internal_warnings,
            lambda dim: labels.label(_dimension_of(delphi, dim), dim.label),
        ),
    )
    cited = frozenset(n for dim in result.dimensions for p in dim.present for n in p.exhibits)
    return LetterAssessment(data, _account_only_checks(result, indicators), cited, tuple(analysis_warnings))
