"""What a quasi-identifier's value becomes at each level of its hierarchy: age bands, date periods, M49 areas."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import numpy as np

from trpkit.domain.coalition_policy import CODE_ATTRIBUTES, DAYS_BAND, STAR, Hierarchy, Policy


def _age_label(age: float | None, bands: tuple[int, ...]) -> str:
    if age is None:
        return "unknown"
    years = int(age)
    position = int(np.searchsorted(np.asarray(bands), years, side="right")) - 1
    low = bands[max(position, 0)]
    if position + 1 < len(bands):
        return f"{low}-{bands[position + 1] - 1}"
    return f"{low}+"


def _date_label(value: tuple[int, int] | None, level: str) -> str | None:
    if value is None:
        return None
    year, month = value
    if level == "month":
        return f"{year:04d}-{month:02d}"
    if level == "quarter":
        return f"{year:04d}-Q{(month - 1) // 3 + 1}"
    if level == "half":
        return f"{year:04d}-H{1 if month <= 6 else 2}"
    return f"{year:04d}"


def labeller(policy: Policy, attribute: str, level: int) -> Callable[[Any], Any]:
    """A function from the fine value of ``attribute`` to its label at ``level`` (index in the hierarchy)."""
    h: Hierarchy = policy.hierarchies[attribute]
    if level >= h.top:
        if attribute == "dates":
            return lambda triple: (STAR, STAR, None)  # 'pending' is in the outcome already; no days either
        if attribute in CODE_ATTRIBUTES:
            return lambda value: None
        return lambda value: STAR
    name = h.levels[level]
    if attribute in CODE_ATTRIBUTES:
        if level == 0:
            return lambda value: value or None
        mapping = h.maps[name]
        return lambda value: mapping.get(value, value) if value else None
    if attribute == "age_band":
        bands = h.age_bands[name]
        return lambda age: _age_label(age, bands)
    if attribute == "dates":
        band = max(policy.rounding.get("processing_days", 1), DAYS_BAND[name])
        share_days = policy.allows("processing_days")

        def dates(triple: tuple[Any, Any, Any]) -> tuple[str | None, str | None, int | None]:
            days = triple[2]
            banded = None if days is None or not share_days else max(int(days), 0) // band * band
            return (_date_label(triple[0], name), _date_label(triple[1], name), banded)

        return dates
    if attribute == "origin_region":
        m49 = policy.m49
        return lambda country: (m49.area_of(country, name) or "unknown") if country else "unknown"
    if attribute == "ircc_office":
        offices = h.maps.get(h.levels[1], {}) if len(h.levels) > 1 else {}
        if level == 0:
            return lambda office: "unknown" if not office else (office if office in offices else "other")
        mapping = h.maps[name]
        return lambda office: "unknown" if not office else mapping.get(office, "other")
    if level == 0:
        return lambda value: value or "unknown"
    mapping = h.maps[name]
    return lambda value: mapping.get(value or "unknown", "unknown")


def _month(value: date | None) -> tuple[int, int] | None:
    return None if value is None else (value.year, value.month)


def fine_values(rows: Sequence[dict[str, Any]], attribute: str) -> list[Any]:
    """``fine_value`` of every row (one comprehension per attribute: this runs over every exported row)."""
    if attribute == "age_band":
        return [None if (a := r.get("age_years")) is None else int(a) for r in rows]
    if attribute == "origin_region":
        return [(r.get("country") or "").upper() for r in rows]
    if attribute == "dates":
        return [
            (_month(r.get("submitted_date")), _month(r.get("decided_date")), r.get("processing_days"))
            for r in rows
        ]
    return [r.get(attribute) for r in rows]


def fine_value(row: dict[str, Any], attribute: str) -> Any:
    """The finest value of ``attribute`` any level needs (whole years, months): few distinct values."""
    if attribute == "age_band":
        age = row.get("age_years")
        return None if age is None else int(age)
    if attribute == "origin_region":
        return (row.get("country") or "").upper()
    if attribute == "dates":
        return (
            _month(row.get("submitted_date")),
            _month(row.get("decided_date")),
            row.get("processing_days"),
        )
    return row.get(attribute)
