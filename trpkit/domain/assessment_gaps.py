"""The gaps worth exploring after an assessment: near misses, IRCC criteria without evidence, indicators
resting on the account alone."""

from __future__ import annotations

from collections.abc import Mapping

from trpkit.domain.assessment_results import (
    Candidate,
    CriterionSupport,
    DimensionResult,
    Finding,
    Gaps,
    NearMiss,
)
from trpkit.domain.delphi_rules import ACCOUNT_SUPPORT, LinkStatus, dimension_rule, identification
from trpkit.domain.frameworks import DelphiList, Frameworks, Indicator, Strength


def _needs(strong: int, medium: int, weak: int) -> tuple[Strength, ...]:
    """Strengths of ONE more indicator that would make the dimension positive."""
    return tuple(
        st
        for st, add in (
            (Strength.STRONG, (1, 0, 0)),
            (Strength.MEDIUM, (0, 1, 0)),
            (Strength.WEAK, (0, 0, 1)),
        )
        if dimension_rule(strong + add[0], medium + add[1], weak + add[2]) is not None
    )


def find_gaps(
    delphi: DelphiList,
    dims: list[DimensionResult],
    findings: Mapping[str, Finding],
    frameworks: Frameworks | None,
    identified: bool,
    track_support: bool = True,
) -> Gaps:
    """Near misses, indicators resting on the account alone or on nothing, and each criterion's support."""
    account_only, bare = [], []
    for d in dims if track_support else ():
        for p in d.present:
            finding = findings[p.id]
            if not finding.support:
                bare.append(p.id)
            elif p.account_only:
                account_only.append(p.id)
    present_items = [delphi.by_id[iid] for iid, f in findings.items() if f.status == LinkStatus.PRESENT]
    support = {
        set_name: _criterion_support(frameworks, set_name, present_items, findings)
        if frameworks is not None
        else ()
        for set_name in ("ircc", "ilo", "criminal_code")
    }
    return Gaps(
        _near_misses(delphi, dims, findings, identified),
        tuple(account_only),
        tuple(bare),
        support["ircc"],
        support["ilo"],
        support["criminal_code"],
    )


def _near_misses(
    delphi: DelphiList, dims: list[DimensionResult], findings: Mapping[str, Finding], identified: bool
) -> tuple[NearMiss, ...]:
    """Dimensions one indicator short of positive, those that would identify the person first."""
    positive = {d.id: d.positive for d in dims}
    near: list[NearMiss] = []
    for d in dims:
        if d.positive:
            continue
        needs = _needs(d.strong, d.medium, d.weak)
        if not needs or (d.strong, d.medium, d.weak) == (0, 0, 0):
            continue  # more than one indicator short
        candidates = []
        for item in delphi.in_dimension(d.id):
            finding = findings.get(item.id)
            st = finding.status if finding else LinkStatus.NOT_EXPLORED
            if item.strength in needs and st in (LinkStatus.NOT_EXPLORED, LinkStatus.REPORTED_UNSUPPORTED):
                candidates.append(Candidate(item.id, item.label, item.strength.value, st.value, item.prompts))
        flipped = dict(positive, **{d.id: True})
        would_identify = not identified and identification(delphi.population, flipped) is not None
        needs_text = (
            "one more indicator of any strength"
            if len(needs) == 3
            else "one " + " or ".join(s.value for s in needs) + " indicator"
        )
        near.append(NearMiss(d.id, d.label, needs_text, would_identify, tuple(candidates)))
    near.sort(key=lambda n: (not n.would_identify, n.dimension))
    return tuple(near)


def _criterion_support(
    frameworks: Frameworks, set_name: str, present_items: list[Indicator], findings: Mapping[str, Finding]
) -> tuple[CriterionSupport, ...]:
    """Each criterion of ``set_name`` with the present indicators that point to it and what they rest on."""
    by_criterion: dict[str, list[Indicator]] = {}
    for item in present_items:
        for cid in item.criteria(set_name):
            by_criterion.setdefault(cid, []).append(item)
    rows = []
    for criterion in frameworks.criteria[set_name].criteria:
        items = sorted(by_criterion.get(criterion.id, []), key=lambda i: i.id)
        exhibits = sorted({e for i in items for e in findings[i.id].exhibits})
        only_account = bool(items) and all(
            findings[i.id].support and set(findings[i.id].support) <= ACCOUNT_SUPPORT for i in items
        )
        evidenced = any(findings[i.id].support for i in items)
        rows.append(
            CriterionSupport(
                criterion.id,
                criterion.label,
                tuple(i.id for i in items),
                tuple(exhibits),
                bool(items),
                only_account,
                evidenced,
            )
        )
    return tuple(rows)
