"""The plain-language explanation of an assessment: what is positive, by which rule, and what it means."""

from __future__ import annotations

from trpkit.domain.assessment_results import RECRUITMENT_UNDOCUMENTED_TEXT, Candidate, DimensionResult
from trpkit.domain.delphi_rules import TRPKIT_TIER_NOTE, recruitment_undocumented
from trpkit.domain.frameworks import DelphiList


def explain(
    delphi: DelphiList,
    dims: list[DimensionResult],
    identified: bool,
    deciding: list[DimensionResult],
    convergence: bool,
    tier: str | None,
    caveats: tuple[str, ...],
    recruitment_gap: tuple[Candidate, ...] = (),
) -> str:
    """The outcome, each positive dimension with its rule, convergence, trpkit's tier, then the caveats."""
    parts = [_outcome(delphi, dims, identified, recruitment_gap)]
    for d in dims:
        if d.positive:
            ids = ", ".join(f"{p.id} {p.strength}" for p in d.present if p.id not in d.unrated)
            parts.append(f"{d.label} is positive ({d.rule_text}: {ids}).")
    if convergence:
        parts.append(_convergence(dims, deciding))
    if tier:
        parts.append(f"Intermediate state ({TRPKIT_TIER_NOTE}): {tier.removeprefix('trpkit: ')}.")
    parts.extend(caveats)
    return " ".join(parts)


def _outcome(
    delphi: DelphiList, dims: list[DimensionResult], identified: bool, recruitment_gap: tuple[Candidate, ...]
) -> str:
    """Identified (by which rule), the child's recruitment not yet documented, or what is still missing."""
    who = "a child" if delphi.population == "child" else "an adult"
    if identified:
        if delphi.population == "child":
            need = "a recruitment dimension and exploitation are positive (no means are needed for a child)"
        else:
            need = (
                "a recruitment dimension, exploitation, and coercion or abuse of vulnerability at destination "
                "are all positive"
            )
        return f"Identified under the Delphi rule for {who}: {need}."
    if recruitment_undocumented(delphi.population, dims):
        first = recruitment_gap[0].prompts[0] if recruitment_gap and recruitment_gap[0].prompts else ""
        return (
            f"For a child, exploitation is positive and no means are needed; {RECRUITMENT_UNDOCUMENTED_TEXT}"
            " (how the child was recruited, moved or received)." + (f" Start with: {first}" if first else "")
        )
    recruitment = any(d.positive for d in dims if d.role == "recruitment")
    exploitation = any(d.positive for d in dims if d.role == "exploitation")
    destination = any(d.positive for d in dims if d.role == "destination")
    missing = []
    if not recruitment:
        missing.append("a positive recruitment dimension")
    if not exploitation:
        missing.append("positive exploitative conditions")
    if delphi.population == "adult" and not destination:
        missing.append("positive coercion or abuse of vulnerability at destination")
    return f"Not identified under the Delphi rule for {who}: still missing {'; '.join(missing)}."


def _convergence(dims: list[DimensionResult], deciding: list[DimensionResult]) -> str:
    """Why medium and weak indicators alone meet the threshold (no single fact has to be decisive)."""
    soft = [d.label.lower() for d in deciding if d.strong == 0]
    total_strong = sum(d.strong for d in dims)
    lead = (
        "No strong indicator is present"
        if total_strong == 0
        else (
            f"{'Only one strong indicator is' if total_strong == 1 else f'{total_strong} strong indicators are'} "
            "present"
        )
    )
    return (
        f"{lead}, and {', '.join(soft)} rest{'s' if len(soft) == 1 else ''} on medium and weak indicators "
        "alone. Under the Delphi method a convergence of medium and weak indicators meets the threshold "
        "exactly as strong ones do: no single fact has to be decisive for the combination to establish "
        "trafficking."
    )
