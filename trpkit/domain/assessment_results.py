"""What an assessment returns: findings in, dimension results, gaps and the assessment out (frozen)."""

from __future__ import annotations

from dataclasses import dataclass

from trpkit.domain.delphi_rules import LinkStatus


@dataclass(frozen=True)
class Finding:
    """What the case file says about one indicator."""

    status: LinkStatus
    support: tuple[str, ...] = ()  # kinds of support: evidence types, "narrative", or empty for a bare mark
    exhibits: tuple[int, ...] = ()  # exhibit numbers of linked evidence items


@dataclass(frozen=True)
class PresentIndicator:
    id: str
    label: str
    strength: str
    exhibits: tuple[int, ...]
    account_only: bool


@dataclass(frozen=True)
class DimensionResult:
    id: str
    number: int
    label: str
    role: str
    positive: bool
    rule: str | None
    rule_text: str | None
    strong: int
    medium: int
    weak: int
    present: tuple[PresentIndicator, ...]  # counted and unrated present items
    unrated: tuple[str, ...]  # present but not counted (weight unknown)
    reported_unsupported: tuple[str, ...]
    explored_absent: tuple[str, ...]

    @property
    def indicators(self) -> tuple[str, ...]:
        """Ids of the present, counted indicators."""
        return tuple(p.id for p in self.present if p.id not in self.unrated)


@dataclass(frozen=True)
class Candidate:
    id: str
    label: str
    strength: str
    status: str  # not_explored | reported_unsupported
    prompts: tuple[str, ...]


@dataclass(frozen=True)
class NearMiss:
    dimension: str
    label: str
    needs: str  # "one strong indicator" / "one strong or medium indicator" / ...
    would_identify: bool  # making this dimension positive would identify the person
    candidates: tuple[Candidate, ...]


@dataclass(frozen=True)
class CriterionSupport:
    id: str
    label: str
    indicators: tuple[str, ...]  # present indicators that speak to it
    exhibits: tuple[int, ...]
    supported: bool  # at least one present indicator speaks to it
    account_only: bool  # supported only by the person's own account
    evidenced: bool = False  # at least one of those indicators rests on an exhibit or a narrative passage


@dataclass(frozen=True)
class Gaps:
    near_misses: tuple[NearMiss, ...]
    account_only: tuple[str, ...]  # present indicators resting only on the person's account
    no_support_recorded: tuple[str, ...]  # present indicators marked without any linked evidence
    ircc: tuple[CriterionSupport, ...]
    ilo: tuple[CriterionSupport, ...]
    criminal_code: tuple[CriterionSupport, ...]

    @property
    def ircc_without_evidence(self) -> tuple[str, ...]:
        """IRCC criteria with no indicator resting on an exhibit or a passage of the narrative."""
        return tuple(c.id for c in self.ircc if not c.evidenced)


IDENTIFIED = "identified"


RECRUITMENT_UNDOCUMENTED = "recruitment_undocumented"  # a child: exploitation positive, recruitment not yet


NOT_IDENTIFIED = "not_identified"


RECRUITMENT_UNDOCUMENTED_TEXT = "the recruitment element is not yet documented"


@dataclass(frozen=True)
class Assessment:
    framework: str
    framework_name: str
    population: str
    exploitation: str
    framework_verification: str
    complete: bool
    identified: bool
    identification_rule: str | None
    dimensions: tuple[DimensionResult, ...]
    convergence: bool
    trpkit_tier: str | None  # only when not identified; trpkit's heuristic, not the ILO's
    explanation: str
    caveats: tuple[str, ...]
    gaps: Gaps
    status: str = NOT_IDENTIFIED  # identified | recruitment_undocumented | not_identified
    recruitment_gap: tuple[Candidate, ...] = ()  # for recruitment_undocumented: what to explore next

    @property
    def positive_dimensions(self) -> tuple[str, ...]:
        return tuple(d.id for d in self.dimensions if d.positive)

    def counts(self) -> tuple[int, int, int]:
        return (
            sum(d.strong for d in self.dimensions),
            sum(d.medium for d in self.dimensions),
            sum(d.weak for d in self.dimensions),
        )


class UnknownIndicator(ValueError):
    pass
