"""The Delphi rules as encoded: link statuses and how they combine, when a dimension is positive
(the four counting rules), and when a person is identified (see :mod:`trpkit.domain.assessment`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from trpkit.domain.assessment_results import DimensionResult


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


def recruitment_undocumented(population: str, dims: list[DimensionResult]) -> bool:
    """A child whose exploitation is positive while no recruitment dimension is: the recruitment
    element is not yet documented (no means are needed for a child, so nothing else is missing)."""
    return (
        population == "child"
        and any(d.positive for d in dims if d.role == "exploitation")
        and not any(d.positive for d in dims if d.role == "recruitment")
    )
