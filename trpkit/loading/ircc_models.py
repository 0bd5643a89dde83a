"""pydantic models of ``checklists/policy-periods.toml`` and ``checklists/refusal-reasons.toml``.

What each table may hold, its types and its choices. The rules that join entries (unique ids, periods
in date order, rules carrying over, an ``other`` reason) are checked in :mod:`trpkit.loading.ircc_periods`.
"""

from __future__ import annotations

import typing
from collections.abc import Collection
from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field, StrictBool, StrictInt, model_validator

from trpkit.domain.frameworks import FrenchStatus
from trpkit.domain.ircc_periods import APPLICATION_TYPES, FEE_EXEMPT_VALUES, REASON_GROUPS
from trpkit.loading.validate import DATA

Text = Annotated[str, Field(min_length=1)]
SourceTag = Annotated[str, Field(pattern=r"^(S\d{1,3}|general)$", description='a source tag like "S31"')]
Status = Literal["confirmed", "secondary", "unconfirmed"]
# A TOML date without quotes (a quoted "2025-02-04" or a date-time is refused, as before pydantic).
Day = Annotated[date, Field(strict=True)]


def one_of(allowed: Collection[str], what: str) -> AfterValidator:
    """A text that must be one of ``allowed``; the message lists them."""

    def check(value: str) -> str:
        if value not in allowed:
            raise ValueError(f"unknown {what} '{value}': use one of {', '.join(sorted(allowed))}")
        return value

    return AfterValidator(check)


class Meta(BaseModel):
    model_config = DATA
    name: Text
    version: Text
    citation: Text
    verification: Text
    updated: Day | None = None
    sources: Annotated[dict[str, Text], Field(description='each tag with its citation: S31 = "..."')] = {}


class PolicyMeta(Meta):
    french_status: Annotated[
        FrenchStatus,
        Field(
            description="French letters show the period titles and instruments: say where that French comes from"
        ),
    ]
    french_source: Annotated[str, Field(min_length=1, description="where the French wording comes from")]


class _RuleBase(BaseModel):
    """One rule set or ended by a period: ``value`` or ``ended = true``, with its status and sources."""

    model_config = DATA
    ended: StrictBool = False
    status: Status
    sources: list[SourceTag] = []
    note: str = ""

    @model_validator(mode="after")
    def _value_or_ended(self) -> _RuleBase:
        has_value = "value" in self.model_fields_set
        if self.ended and has_value:
            raise ValueError("give either 'value' or 'ended = true', not both")
        if not self.ended and not has_value:
            raise ValueError("missing 'value' (or 'ended = true')")
        return self


class NumberRule(_RuleBase):
    value: Annotated[StrictInt, Field(gt=0)] | None = None


class YesNoRule(_RuleBase):
    value: StrictBool | None = None


class ApplicationTypesRule(_RuleBase):
    value: list[Annotated[str, one_of(FEE_EXEMPT_VALUES, "application type")]] | None = None


class Rules(BaseModel):
    """The rules a period changes: the names and kinds of ``RULE_TYPES`` (see :func:`rule_kinds`)."""

    model_config = DATA
    initial_trp_max_days: NumberRule | None = None
    initial_trp_min_days: NumberRule | None = None
    subsequent_trp_typical_days: NumberRule | None = None
    trp_max_days: NumberRule | None = None
    fee_exempt: ApplicationTypesRule | None = None
    cooperation_required: YesNoRule | None = None
    owp_min_trp_days: NumberRule | None = None
    owp_vulnerable_worker: YesNoRule | None = None
    two_step_decision: YesNoRule | None = None
    refugee_claim_bar_months: NumberRule | None = None
    ifhp_for_trp_duration: YesNoRule | None = None
    processing_days_reference: NumberRule | None = None


_KINDS: dict[type[_RuleBase], type] = {NumberRule: int, YesNoRule: bool, ApplicationTypesRule: list}


def rule_kinds() -> dict[str, type]:
    """rule name -> the Python type of its value, as ``Rules`` declares it (a test keeps it equal to RULE_TYPES)."""
    kinds: dict[str, type] = {}
    for name, info in Rules.model_fields.items():
        model = next(arg for arg in typing.get_args(info.annotation) if arg is not type(None))
        kinds[name] = _KINDS[model]
    return kinds


class PeriodEntry(BaseModel):
    model_config = DATA
    id: Annotated[
        str, Field(pattern=r"^[a-z][a-z0-9_-]{1,47}$", description="lowercase letters, digits, - or _")
    ]
    title: Text
    title_fr: Annotated[str, Field(min_length=1, description="the title a French letter shows")]
    effective_from: Day
    date_precision: Literal["day", "month", "year"] = "day"
    date_status: Status = "confirmed"
    date_sources: list[SourceTag] = []
    instruments: list[Text] = []
    instruments_fr: Annotated[
        list[Text], Field(description="the instruments in French, in the same order")
    ] = []
    notes: str = ""
    rules: Rules = Rules()


class PolicyFile(BaseModel):
    model_config = DATA
    meta: PolicyMeta
    period: Annotated[list[PeriodEntry], Field(min_length=1, description="[[period]] tables")]


class ReasonEntry(BaseModel):
    model_config = DATA
    code: Annotated[
        str, Field(pattern=r"^[a-z][a-z0-9_]{1,47}$", description="lowercase letters, digits and _")
    ]
    group: Annotated[str, one_of(REASON_GROUPS, "group")]
    label: Text
    description: Text
    against_policy: StrictBool = False
    applies_to: list[Annotated[str, one_of(APPLICATION_TYPES, "application type")]] = []
    sources: list[SourceTag] = []


class ReasonsFile(BaseModel):
    model_config = DATA
    meta: Meta
    reason: Annotated[list[ReasonEntry], Field(min_length=1, description="[[reason]] tables")]
