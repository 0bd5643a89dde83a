"""The Delphi assessment, pure: which dimensions are positive, by which rule, whether the person is
identified, a plain explanation (``assessment_explanation``), and the gaps worth exploring
(``assessment_gaps``). The counting rules are in ``delphi_rules``; the results' shapes in ``assessment_results``.

Rules (ILO/EC 2009, as encoded; see the verification fields of each list):

- a dimension is positive when its present indicators reach 2 strong, or 1 strong + 1 medium or weak,
  or 3 medium, or 2 medium + 1 weak (unrated items are shown but never counted);
- an adult is identified when a recruitment dimension (any of the three), exploitation, and coercion
  or abuse of vulnerability at destination are all positive; a child when a recruitment dimension and
  exploitation are positive (no means are needed for children: Palermo Protocol Art. 3(c)).

Any intermediate state shown (``trpkit_tier``) is trpkit's own heuristic, never an ILO category.

A child whose exploitation dimension is positive while no recruitment dimension is recorded is not
"not identified": the recruitment element is not yet documented (``status`` says so, and
``recruitment_gap`` lists the recruitment items still to explore with their open questions). Age is
reckoned at recruitment (see :mod:`trpkit.domain.recruitment_age`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from trpkit.domain.assessment_explanation import explain
from trpkit.domain.assessment_gaps import find_gaps
from trpkit.domain.assessment_results import (
    IDENTIFIED,
    NOT_IDENTIFIED,
    RECRUITMENT_UNDOCUMENTED,
    Assessment,
    Candidate,
    DimensionResult,
    Finding,
    PresentIndicator,
    UnknownIndicator,
)
from trpkit.domain.delphi_rules import (
    ACCOUNT_SUPPORT,
    RULE_TEXT,
    LinkStatus,
    dimension_rule,
    identification,
    recruitment_undocumented,
)
from trpkit.domain.frameworks import (
    VERIFICATION_LABELS,
    DelphiList,
    Dimension,
    Frameworks,
    Indicator,
    Strength,
    Verification,
)


def findings_from_present(delphi: DelphiList, present: Iterable[str]) -> dict[str, Finding]:
    """Findings for a plain list of present ids; an id not in the list is an error, never ignored."""
    result: dict[str, Finding] = {}
    for raw in present:
        iid = raw.strip().upper()
        if not iid:
            continue
        if iid not in delphi.by_id:
            same = delphi.resolve(iid)
            hint = f" (did you mean {same.id}?)" if same else ""
            raise UnknownIndicator(f"unknown indicator '{raw.strip()}' for {delphi.id}{hint}")
        result[iid] = Finding(LinkStatus.PRESENT)
    return result


def _count(delphi: DelphiList, findings: Mapping[str, Finding]) -> dict[str, list[int]]:
    counts = {d.id: [0, 0, 0] for d in delphi.dimensions}
    for iid, finding in findings.items():
        if finding.status != LinkStatus.PRESENT:
            continue
        item = delphi.by_id.get(iid)
        if item is None or item.strength is Strength.UNRATED:
            continue
        slot = 0 if item.strength is Strength.STRONG else 1 if item.strength is Strength.MEDIUM else 2
        counts[item.dimension][slot] += 1
    return counts


def quick_summary(
    delphi: DelphiList, findings: Mapping[str, Finding]
) -> tuple[bool, tuple[str, ...], int, int, int]:
    """(identified, positive dimension ids, strong, medium, weak) without building the full report."""
    counts = _count(delphi, findings)
    positive = {d: dimension_rule(*c) is not None for d, c in counts.items()}
    s = sum(c[0] for c in counts.values())
    m = sum(c[1] for c in counts.values())
    w = sum(c[2] for c in counts.values())
    return (
        identification(delphi.population, positive) is not None,
        tuple(d for d, p in positive.items() if p),
        s,
        m,
        w,
    )


def assess(
    delphi: DelphiList,
    findings: Mapping[str, Finding],
    frameworks: Frameworks | None = None,
    track_support: bool = True,
) -> Assessment:
    """Assess one case's findings against one Delphi list. ``findings`` is keyed by this list's ids.

    ``track_support=False`` (a bare list of present ids, nothing recorded) leaves out the gaps about
    what the indicators rest on.
    """
    unknown = [iid for iid in findings if iid not in delphi.by_id]
    if unknown:
        raise UnknownIndicator(f"unknown indicator(s) for {delphi.id}: {', '.join(sorted(unknown))}")

    dims = [_dimension_result(delphi, dim, findings) for dim in delphi.dimensions]
    positive = {d.id: d.positive for d in dims}
    rule = identification(delphi.population, positive)
    identified = rule is not None
    deciding = _deciding_dimensions(delphi.population, dims) if identified else []
    convergence = identified and any(d.strong == 0 for d in deciding)
    undocumented = recruitment_undocumented(delphi.population, dims)
    status = IDENTIFIED if identified else RECRUITMENT_UNDOCUMENTED if undocumented else NOT_IDENTIFIED
    tier = None if identified or undocumented else _tier(delphi.population, dims)
    caveats = _caveats(delphi, dims)
    gaps = find_gaps(delphi, dims, findings, frameworks, identified, track_support)
    recruitment_gap = _recruitment_candidates(delphi, findings) if undocumented else ()
    explanation = explain(delphi, dims, identified, deciding, convergence, tier, caveats, recruitment_gap)
    return Assessment(
        framework=delphi.id,
        framework_name=delphi.name,
        population=delphi.population,
        exploitation=delphi.exploitation,
        framework_verification=delphi.verification.value,
        complete=delphi.complete,
        identified=identified,
        identification_rule=rule,
        dimensions=tuple(dims),
        convergence=convergence,
        trpkit_tier=tier,
        explanation=explanation,
        caveats=caveats,
        gaps=gaps,
        status=status,
        recruitment_gap=recruitment_gap,
    )


def _dimension_result(delphi: DelphiList, dim: Dimension, findings: Mapping[str, Finding]) -> DimensionResult:
    """One dimension's counts by strength, the rule it meets (if any), and what was marked in it."""
    items = delphi.in_dimension(dim.id)
    marked = [(i, f.status) for i in items if (f := findings.get(i.id)) is not None]
    present = [i for i, st in marked if st == LinkStatus.PRESENT]
    s = sum(1 for i in present if i.strength is Strength.STRONG)
    m = sum(1 for i in present if i.strength is Strength.MEDIUM)
    w = sum(1 for i in present if i.strength is Strength.WEAK)
    rule = dimension_rule(s, m, w)
    return DimensionResult(
        id=dim.id,
        number=dim.number,
        label=dim.label,
        role=dim.role,
        positive=rule is not None,
        rule=rule,
        rule_text=RULE_TEXT.get(rule) if rule else None,
        strong=s,
        medium=m,
        weak=w,
        present=tuple(_present_item(i, findings[i.id]) for i in present),
        unrated=tuple(i.id for i in present if i.strength is Strength.UNRATED),
        reported_unsupported=tuple(i.id for i, st in marked if st == LinkStatus.REPORTED_UNSUPPORTED),
        explored_absent=tuple(i.id for i, st in marked if st == LinkStatus.EXPLORED_ABSENT),
    )


def _present_item(item: Indicator, finding: Finding) -> PresentIndicator:
    account_only = bool(finding.support) and set(finding.support) <= ACCOUNT_SUPPORT
    return PresentIndicator(item.id, item.label, item.strength.value, finding.exhibits, account_only)


def _recruitment_candidates(delphi: DelphiList, findings: Mapping[str, Finding]) -> tuple[Candidate, ...]:
    """Recruitment items not yet explored (or reported without support), strongest first, with prompts."""
    order = {Strength.STRONG: 0, Strength.MEDIUM: 1, Strength.WEAK: 2, Strength.UNRATED: 3}
    out = []
    for dim in (d for d in delphi.dimensions if d.role == "recruitment"):
        for item in delphi.in_dimension(dim.id):
            finding = findings.get(item.id)
            st = finding.status if finding else LinkStatus.NOT_EXPLORED
            if st in (LinkStatus.NOT_EXPLORED, LinkStatus.REPORTED_UNSUPPORTED):
                out.append(Candidate(item.id, item.label, item.strength.value, st.value, item.prompts))
    return tuple(sorted(out, key=lambda c: (order[Strength(c.strength)], c.id)))


def _deciding_dimensions(population: str, dims: list[DimensionResult]) -> list[DimensionResult]:
    """The positive dimensions that carry the identification (every positive one in each needed group)."""
    roles = (
        ("recruitment", "exploitation")
        if population == "child"
        else ("recruitment", "exploitation", "destination")
    )
    return [d for d in dims if d.positive and d.role in roles]


def _tier(population: str, dims: list[DimensionResult]) -> str | None:
    by_role = {
        role: any(d.positive for d in dims if d.role == role)
        for role in ("recruitment", "exploitation", "destination")
    }
    if by_role["exploitation"]:
        missing = [
            r
            for r in (("recruitment",) if population == "child" else ("recruitment", "destination"))
            if not by_role[r]
        ]
        return (
            "trpkit: exploitation is positive but "
            + " and ".join(
                {
                    "recruitment": "no recruitment dimension",
                    "destination": "no coercion or abuse of vulnerability at destination",
                }[r]
                for r in missing
            )
            + " is positive yet"
        )
    if any(d.present for d in dims):
        return "trpkit: indications recorded, below the Delphi threshold"
    return None


def _caveats(delphi: DelphiList, dims: list[DimensionResult]) -> tuple[str, ...]:
    notes: list[str] = []
    if not delphi.complete:
        unrated = sum(len(d.unrated) for d in dims)
        notes.append(
            f"This list ({delphi.name}) is incomplete in trpkit, not yet transcribed from the ILO brochure: "
            f"{unrated} present item(s) have no known weight and are not counted. A negative result on this "
            "list means nothing; rely on the IRCC criteria and the Criminal Code test."
        )
    if delphi.verification is not Verification.CONFIRMED:
        notes.append(f"Indicator weights: {VERIFICATION_LABELS[delphi.verification]}.")
    if delphi.identification_rule_verification is not Verification.CONFIRMED:
        notes.append(
            "The rule combining dimensions into an identification is "
            f"{VERIFICATION_LABELS[delphi.identification_rule_verification]}."
        )
    notes.append(
        "The Delphi indicators are a research instrument, not a legal test; IRCC's preliminary "
        "assessment asks only for an indication of one of its four criteria."
    )
    return tuple(notes)
