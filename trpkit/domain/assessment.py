"""The Delphi assessment, pure: which dimensions are positive, by which rule, whether the person is
identified, a plain explanation, and the gaps worth exploring.

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
reckoned at recruitment (see :func:`age_at`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from trpkit.domain.frameworks import (
    VERIFICATION_LABELS,
    DelphiList,
    Frameworks,
    Indicator,
    Strength,
    Verification,
)


class LinkStatus(StrEnum):
    PRESENT = "present"
    REPORTED_UNSUPPORTED = "reported_unsupported"
    EXPLORED_ABSENT = "explored_absent"
    NOT_EXPLORED = "not_explored"


STATUS_LABELS = {
    LinkStatus.PRESENT: "present",
    LinkStatus.REPORTED_UNSUPPORTED: "reported but unsupported",
    LinkStatus.EXPLORED_ABSENT: "explored and absent",
    LinkStatus.NOT_EXPLORED: "not explored",
}
# When several links mark one indicator, the strongest statement wins.
_PRECEDENCE = {
    LinkStatus.PRESENT: 3,
    LinkStatus.REPORTED_UNSUPPORTED: 2,
    LinkStatus.EXPLORED_ABSENT: 1,
    LinkStatus.NOT_EXPLORED: 0,
}

# Support that comes only from the person's own words (for the "rests on the account alone" gap).
ACCOUNT_SUPPORT = frozenset({"account", "narrative"})

RULES: tuple[tuple[str, str], ...] = (
    ("two_strong", "2 strong indicators"),
    ("strong_plus_medium_or_weak", "1 strong + 1 medium or weak indicator"),
    ("three_medium", "3 medium indicators"),
    ("two_medium_plus_weak", "2 medium + 1 weak indicator"),
)
RULE_TEXT = dict(RULES)
TRPKIT_TIER_NOTE = "trpkit's own heuristic, not an ILO category"


_BY_VALUE = {s.value: s for s in LinkStatus}


def combine_status(statuses: Iterable[LinkStatus | str]) -> LinkStatus:
    best = LinkStatus.NOT_EXPLORED
    for status in statuses:
        value = _BY_VALUE[status] if status in _BY_VALUE else LinkStatus(status)
        if _PRECEDENCE[value] > _PRECEDENCE[best]:
            best = value
    return best


def dimension_rule(strong: int, medium: int, weak: int) -> str | None:
    """The first Delphi rule the counts satisfy, or None when the dimension is not positive."""
    if strong >= 2:
        return "two_strong"
    if strong >= 1 and medium + weak >= 1:
        return "strong_plus_medium_or_weak"
    if medium >= 3:
        return "three_medium"
    if medium >= 2 and weak >= 1:
        return "two_medium_plus_weak"
    return None


def identification(population: str, positive: Mapping[str, bool]) -> str | None:
    """Which identification rule holds (a short description naming the dimensions), or None."""
    recruitment = [
        d
        for d in ("deceptive_recruitment", "coercive_recruitment", "recruitment_abuse_of_vulnerability")
        if positive.get(d)
    ]
    if not recruitment or not positive.get("exploitative_conditions"):
        return None
    if population == "child":
        return f"child: {recruitment[0]} + exploitative_conditions"
    destination = [
        d for d in ("coercion_at_destination", "abuse_of_vulnerability_at_destination") if positive.get(d)
    ]
    if not destination:
        return None
    return f"adult: {recruitment[0]} + exploitative_conditions + {destination[0]}"


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

    def present_item(item: Indicator) -> PresentIndicator:
        finding = findings[item.id]
        account_only = bool(finding.support) and set(finding.support) <= ACCOUNT_SUPPORT
        return PresentIndicator(item.id, item.label, item.strength.value, finding.exhibits, account_only)

    dims: list[DimensionResult] = []
    for dim in delphi.dimensions:
        items = delphi.in_dimension(dim.id)
        marked = [(i, f.status) for i in items if (f := findings.get(i.id)) is not None]
        present = [i for i, st in marked if st == LinkStatus.PRESENT]
        s = sum(1 for i in present if i.strength is Strength.STRONG)
        m = sum(1 for i in present if i.strength is Strength.MEDIUM)
        w = sum(1 for i in present if i.strength is Strength.WEAK)
        rule = dimension_rule(s, m, w)
        dims.append(
            DimensionResult(
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
                present=tuple(present_item(i) for i in present),
                unrated=tuple(i.id for i in present if i.strength is Strength.UNRATED),
                reported_unsupported=tuple(i.id for i, st in marked if st == LinkStatus.REPORTED_UNSUPPORTED),
                explored_absent=tuple(i.id for i, st in marked if st == LinkStatus.EXPLORED_ABSENT),
            )
        )
    positive = {d.id: d.positive for d in dims}
    rule = identification(delphi.population, positive)
    identified = rule is not None
    deciding = _deciding_dimensions(delphi.population, dims) if identified else []
    convergence = identified and any(d.strong == 0 for d in deciding)
    undocumented = _recruitment_undocumented(delphi.population, dims)
    status = IDENTIFIED if identified else RECRUITMENT_UNDOCUMENTED if undocumented else NOT_IDENTIFIED
    tier = None if identified or undocumented else _tier(delphi.population, dims)
    caveats = _caveats(delphi, dims)
    gaps = _gaps(delphi, dims, findings, frameworks, identified, track_support)
    recruitment_gap = _recruitment_candidates(delphi, findings) if undocumented else ()
    explanation = _explain(delphi, dims, identified, deciding, convergence, tier, caveats, recruitment_gap)
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


def _recruitment_undocumented(population: str, dims: list[DimensionResult]) -> bool:
    """A child whose exploitation is positive while no recruitment dimension is: the recruitment
    element is not yet documented (no means are needed for a child, so nothing else is missing)."""
    return (
        population == "child"
        and any(d.positive for d in dims if d.role == "exploitation")
        and not any(d.positive for d in dims if d.role == "recruitment")
    )


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


def _explain(
    delphi: DelphiList,
    dims: list[DimensionResult],
    identified: bool,
    deciding: list[DimensionResult],
    convergence: bool,
    tier: str | None,
    caveats: tuple[str, ...],
    recruitment_gap: tuple[Candidate, ...] = (),
) -> str:
    who = "a child" if delphi.population == "child" else "an adult"
    parts: list[str] = []
    positives = [d for d in dims if d.positive]
    if identified:
        if delphi.population == "child":
            need = "a recruitment dimension and exploitation are positive (no means are needed for a child)"
        else:
            need = (
                "a recruitment dimension, exploitation, and coercion or abuse of vulnerability at destination "
                "are all positive"
            )
        parts.append(f"Identified under the Delphi rule for {who}: {need}.")
    elif _recruitment_undocumented(delphi.population, dims):
        first = recruitment_gap[0].prompts[0] if recruitment_gap and recruitment_gap[0].prompts else ""
        parts.append(
            f"For a child, exploitation is positive and no means are needed; {RECRUITMENT_UNDOCUMENTED_TEXT}"
            " (how the child was recruited, moved or received)." + (f" Start with: {first}" if first else "")
        )
    else:
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
        parts.append(f"Not identified under the Delphi rule for {who}: still missing {'; '.join(missing)}.")
    for d in positives:
        ids = ", ".join(f"{p.id} {p.strength}" for p in d.present if p.id not in d.unrated)
        parts.append(f"{d.label} is positive ({d.rule_text}: {ids}).")
    if convergence:
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
        parts.append(
            f"{lead}, and {', '.join(soft)} rest{'s' if len(soft) == 1 else ''} on medium and weak indicators "
            "alone. Under the Delphi method a convergence of medium and weak indicators meets the threshold "
            "exactly as strong ones do: no single fact has to be decisive for the combination to establish "
            "trafficking."
        )
    if tier:
        parts.append(f"Intermediate state ({TRPKIT_TIER_NOTE}): {tier.removeprefix('trpkit: ')}.")
    parts.extend(caveats)
    return " ".join(parts)


def _gaps(
    delphi: DelphiList,
    dims: list[DimensionResult],
    findings: Mapping[str, Finding],
    frameworks: Frameworks | None,
    identified: bool,
    track_support: bool = True,
) -> Gaps:
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
    account_only, bare = [], []
    for d in dims if track_support else ():
        for p in d.present:
            finding = findings[p.id]
            if not finding.support:
                bare.append(p.id)
            elif p.account_only:
                account_only.append(p.id)

    present_items = [delphi.by_id[iid] for iid, f in findings.items() if f.status == LinkStatus.PRESENT]

    def support(set_name: str) -> tuple[CriterionSupport, ...]:
        if frameworks is None:
            return ()
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

    return Gaps(
        tuple(near),
        tuple(account_only),
        tuple(bare),
        support("ircc"),
        support("ilo"),
        support("criminal_code"),
    )


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def age_at(
    birth: tuple[date | None, date | None], when: tuple[date | None, date | None]
) -> tuple[int, int] | None:
    """(youngest, oldest) age the person can have been on ``when`` given fuzzy dates, or None."""
    born_early, born_late = birth
    ref_early, ref_late = when
    if (born_early is None and born_late is None) or (ref_early is None and ref_late is None):
        return None
    born_early = born_early or born_late
    born_late = born_late or born_early
    ref_early = ref_early or ref_late
    ref_late = ref_late or ref_early
    assert born_early and born_late and ref_early and ref_late
    return _age(born_late, ref_early), _age(born_early, ref_late)


@dataclass(frozen=True)
class AgeAtRecruitment:
    """Whether the person was a child when recruited and an adult now (for the letter to explain)."""

    child_at_recruitment: bool | None  # None: the dates leave it uncertain
    adult_now: bool | None
    age_text: str  # "16" or "15 to 16", "" when unknown
    reference: str  # what "recruitment" was dated from

    @property
    def child_then_adult(self) -> bool:
        return bool(self.child_at_recruitment) and bool(self.adult_now)


def age_at_recruitment(
    birth: tuple[date | None, date | None],
    recruitment: tuple[date | None, date | None],
    reference: str,
    today: date,
) -> AgeAtRecruitment:
    then = age_at(birth, recruitment)
    now = age_at(birth, (today, today))

    def under(ages: tuple[int, int] | None) -> bool | None:
        if ages is None:
            return None
        return True if ages[1] < 18 else False if ages[0] >= 18 else None

    text = "" if then is None else str(then[0]) if then[0] == then[1] else f"{then[0]} to {then[1]}"
    adult = under(now)
    return AgeAtRecruitment(under(then), None if adult is None else not adult, text, reference)


def choose_framework(
    sector: str,
    birth: tuple[date | None, date | None],
    reference: tuple[date | None, date | None],
    reference_what: str,
    override: str | None = None,
) -> tuple[str, str]:
    """Which Delphi list applies: from the person's age when the exploitation began and the sector.

    Returns (framework id, plain reason). When the age at the time is uncertain and could have been
    under 18, the child list is used (trpkit's choice: the child rule needs no means, and a wrong
    adult classification would hide that); the accompanier can set the list by hand.
    """
    exploitation = "sexual" if sector == "sex_trade" else "labour"
    if override:
        return override, "chosen by hand for this case"
    why_sector = (
        "sector: sex trade"
        if exploitation == "sexual"
        else f"sector: {sector.replace('_', ' ')}"
        if sector and sector != "unknown"
        else "sector unknown, labour list used"
    )
    born_early, born_late = birth
    ref_early, ref_late = reference
    if born_early is None and born_late is None:
        return f"delphi-adult-{exploitation}", (
            f"date of birth unknown, adult list used ({why_sector}); "
            "set the list by hand if the person was a child"
        )
    if ref_early is None:
        return f"delphi-adult-{exploitation}", f"no date for the exploitation, adult list used ({why_sector})"
    born_early = born_early or born_late
    born_late = born_late or born_early
    ref_late = ref_late or ref_early
    assert born_early and born_late and ref_early and ref_late
    youngest = _age(born_late, ref_early)
    oldest = _age(born_early, ref_late)
    if oldest < 18:
        return f"delphi-child-{exploitation}", f"under 18 at {reference_what} ({why_sector})"
    if youngest < 18:
        return f"delphi-child-{exploitation}", (
            f"possibly under 18 at {reference_what} (age {youngest} to {oldest}); "
            f"child list used while the age is uncertain ({why_sector})"
        )
    return f"delphi-adult-{exploitation}", f"18 or older at {reference_what} ({why_sector})"
