"""pydantic models of checklists/coalition-policy.toml and checklists/m49-regions.toml: tables, types, ranges.

The rules that join fields or files (levels in their order, bands merging, every code placed, M49 codes
existing, the record schema) are checked in :mod:`trpkit.loading.coalition_policy`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, StrictInt

from trpkit.domain.coalition_policy import NEVER_BELOW, OPTIONAL_FIELDS, QI_COLUMNS
from trpkit.loading.validate import DATA

Text = Annotated[str, Field(min_length=1)]


def _rule(test: Callable[[Any], bool], problem: str) -> AfterValidator:
    """A check worded for the person editing the file (``{value}`` in ``problem`` is the value refused)."""

    def check(value: Any) -> Any:
        if not test(value):
            raise ValueError(problem.replace("{value}", str(value)))
        return value

    return AfterValidator(check)


def _toml_date(value: Any) -> Any:
    # A quoted date or a number is not a TOML date (lax pydantic would read both).
    if not isinstance(value, date):
        raise ValueError("must be a date like 2026-11-28 (no quotes)")
    return value


class PolicyMeta(BaseModel):
    model_config = DATA
    id: Text
    name: Text
    version: Text
    schema_version: Annotated[str, Field(min_length=1, description='the record schema it is for, like "1.0"')]
    updated: Annotated[date, BeforeValidator(_toml_date)] | None = None
    verification: Text
    citation: Text


OptionalField = Annotated[
    str,
    _rule(
        lambda name: name in OPTIONAL_FIELDS,
        "unknown optional field '{value}': use " + ", ".join(OPTIONAL_FIELDS),
    ),
]
Attribute = Annotated[
    str,
    _rule(
        lambda name: name in QI_COLUMNS, "unknown quasi-identifier '{value}': use " + ", ".join(QI_COLUMNS)
    ),
]


class Privacy(BaseModel):
    model_config = DATA
    k: Annotated[StrictInt, _rule(lambda k: k >= 2, "must be a whole number of at least 2")]
    max_suppression: Annotated[
        float,
        Field(strict=True, description="a share between 0 and 1"),
        _rule(lambda v: 0 <= v < 1, "must be a share between 0 and 1 (e.g. 0.1)"),
    ] = 0.0
    min_cell: Annotated[
        StrictInt,
        _rule(lambda v: v >= NEVER_BELOW, f"must be at least {NEVER_BELOW}: counts 1-4 are never shown"),
    ] = 10
    l_diversity: Annotated[
        StrictInt,
        _rule(
            lambda v: v in (1, 2),
            "must be 1 (reported only) or 2 (every group holds both a grant and a refusal)",
        ),
    ] = 1
    quasi_identifiers: Annotated[
        list[Attribute],
        Field(description="the attributes named in [hierarchy.*]"),
        _rule(lambda qis: len(set(qis)) == len(qis), "names an attribute twice"),
    ]


class NamedLevels(BaseModel):
    """dates and origin_region: levels trpkit knows how to compute (no tables of values)."""

    model_config = DATA
    min_level: Annotated[str, Field(min_length=1, description="the finest level allowed")] | None = None
    levels: Annotated[list[Text], Field(min_length=1, description="finest first")]


class MappedLevels(NamedLevels):
    """A level after the first is a table ``[hierarchy.<attribute>.<level>]`` of value = generalised value."""

    model_config = ConfigDict(**{**DATA, "extra": "allow"})
    __pydantic_extra__: dict[str, dict[str, Text]] = Field(init=False)


class AgeLevel(BaseModel):
    model_config = DATA
    name: Text
    bands: Annotated[
        list[StrictInt], Field(min_length=1, description="the lower bound of each band, from 0, in years")
    ]


class AgeBands(BaseModel):
    model_config = DATA
    min_level: Annotated[str, Field(min_length=1, description="the finest level allowed")] | None = None
    level: Annotated[
        list[AgeLevel], Field(min_length=1, description="[[hierarchy.age_band.level]] entries, finest first")
    ]


class Hierarchies(BaseModel):
    """One table per attribute; the four code attributes may be left out (shared as they are, or removed)."""

    model_config = DATA
    gender: MappedLevels | None = None
    age_band: AgeBands | None = None
    origin_region: NamedLevels | None = None
    exploitation_sector: MappedLevels | None = None
    dates: NamedLevels | None = None
    ircc_office: MappedLevels | None = None
    application_type: MappedLevels | None = None
    policy_period: MappedLevels | None = None
    law_enforcement_cooperation: MappedLevels | None = None
    criminal_case_status: MappedLevels | None = None


class PolicyFile(BaseModel):
    model_config = DATA
    meta: PolicyMeta
    privacy: Privacy
    fields: dict[OptionalField, StrictBool] = {}
    rounding: dict[str, Annotated[StrictInt, Field(ge=1)]] = {}
    hierarchy: Hierarchies
    # Checked where it is used (trpkit.services.incident_checks: its minimum defaults to k).
    incidents: Any = None


class M49Meta(BaseModel):
    model_config = DATA
    name: Text
    version: Text
    citation: Text
    verification: Text


AreaCode = Annotated[str, Field(min_length=1, description="an M49 code of [area]")]
Alpha2 = Annotated[
    str,
    _rule(
        lambda code: re.fullmatch(r"[A-Z]{2}", code) is not None,
        "'{value}' is not an ISO 3166-1 alpha-2 code",
    ),
]


class Country(BaseModel):
    model_config = DATA
    name: Text
    region: AreaCode
    sub_region: AreaCode
    intermediate_region: str = ""
    note: str = ""  # e.g. why a code that is not an M49 area is placed where it is


class M49File(BaseModel):
    model_config = DATA
    meta: M49Meta
    area: Annotated[dict[str, Text], Field(min_length=1, description="M49 code = name")]
    country: Annotated[
        dict[Alpha2, Country], Field(min_length=1, description="alpha-2 = { name, region, ... }")
    ]
