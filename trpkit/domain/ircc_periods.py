"""IRCC rules that change over time (``checklists/policy-periods.toml``) and the refusal-reason taxonomy.

A period starts on its ``effective_from`` date and lasts until the next one starts. Each period lists
only the rules that changed; the rest carry over, so ``PolicyData.in_force(day)`` returns the complete
rule set in force on that day, each rule with its verification status and sources.

The files are read and checked by ``trpkit.loading.policy_periods`` and
``trpkit.loading.refusal_reasons``; this module is the pure model and its queries (no files, no database).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

POLICY_FILE = "policy-periods.toml"
REASONS_FILE = "refusal-reasons.toml"

STATUSES = ("confirmed", "secondary", "unconfirmed")
PRECISIONS = ("day", "month", "year")
APPLICATION_TYPES = (
    "initial_trp",
    "subsequent_trp",
    "owp_trp_holder",
    "owp_vulnerable_worker",
    "study_permit",
    "ifhp",
    "pr_permit_holder",
    "h_and_c",
    "refugee_claim",
)
# rule name -> expected Python type of its value
RULE_TYPES: dict[str, type] = {
    "initial_trp_max_days": int,
    "initial_trp_min_days": int,
    "subsequent_trp_typical_days": int,
    "trp_max_days": int,
    "fee_exempt": list,
    "cooperation_required": bool,
    "owp_min_trp_days": int,
    "owp_vulnerable_worker": bool,
    "two_step_decision": bool,
    "refugee_claim_bar_months": int,
    "ifhp_for_trp_duration": bool,
    "processing_days_reference": int,
}
FEE_EXEMPT_VALUES = frozenset(APPLICATION_TYPES) | {"biometrics"}
REASON_GROUPS = ("law_enforcement", "evidence", "eligibility", "discretion", "procedure", "other")


class NoPolicyPeriod(LookupError):
    """The date is before the first period on record."""


@dataclass(frozen=True)
class Rule:
    name: str
    value: Any  # None when the rule ended or never applied
    status: str
    sources: tuple[str, ...]
    note: str = ""
    since_period: str = ""  # id of the period that set this value


@dataclass(frozen=True)
class PolicyPeriod:
    id: str
    title: str
    effective_from: date
    effective_to: date | None  # last day in force; None while current
    date_precision: str
    date_status: str
    instruments: tuple[str, ...]
    notes: str
    rules: dict[str, Rule] = field(hash=False, compare=False)
    changed: tuple[str, ...] = ()  # rules this period introduced or ended
    title_fr: str = ""  # what a French letter shows ([meta] french_status says whether it is official)
    instruments_fr: tuple[str, ...] = ()

    def title_in(self, language: str) -> str:
        return self.title_fr if language == "fr" and self.title_fr else self.title

    def instruments_in(self, language: str) -> tuple[str, ...]:
        return self.instruments_fr if language == "fr" and self.instruments_fr else self.instruments

    def value(self, name: str) -> Any:
        """The rule's value in this period (None when it does not apply)."""
        if name not in RULE_TYPES:
            raise KeyError(f"unknown policy rule '{name}'")
        rule = self.rules.get(name)
        return rule.value if rule else None

    def rule(self, name: str) -> Rule | None:
        if name not in RULE_TYPES:
            raise KeyError(f"unknown policy rule '{name}'")
        return self.rules.get(name)

    def contains(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)

    def fee_exempt(self, application_type: str) -> bool:
        """Is this kind of application free in this period?"""
        return application_type in (self.value("fee_exempt") or ())

    def duration_to_request_days(self, application_type: str) -> int | None:
        """The permit length an accompanier would normally ask for under this period's rules.

        Initial TRP: the minimum when one is set (from 2025: 365), else the maximum (120, then 180).
        Subsequent TRP: the typical length. Other types: None (no rule on record).
        """
        if application_type == "initial_trp":
            days = self.value("initial_trp_min_days") or self.value("initial_trp_max_days")
            return int(days) if days is not None else None
        if application_type == "subsequent_trp":
            typical = self.value("subsequent_trp_typical_days")
            return int(typical) if typical is not None else None
        return None

    @property
    def weakest_status(self) -> str:
        """The least certain status among the rules in force ('confirmed' if every one is)."""
        ranks = [STATUSES.index(r.status) for r in self.rules.values()] + [STATUSES.index(self.date_status)]
        return STATUSES[max(ranks)] if ranks else "confirmed"

    def summary(self) -> dict[str, Any]:
        """A JSON-safe description (for --json output and for drafting)."""
        return {
            "id": self.id,
            "title": self.title,
            "effective_from": self.effective_from.isoformat(),
            "effective_to": self.effective_to.isoformat() if self.effective_to else None,
            "date_precision": self.date_precision,
            "date_status": self.date_status,
            "rules": {
                n: {"value": r.value, "status": r.status, "sources": list(r.sources), "note": r.note}
                for n, r in sorted(self.rules.items())
            },
        }


@dataclass(frozen=True)
class RefusalReason:
    code: str
    group: str
    label: str
    description: str
    against_policy: bool
    applies_to: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class PolicyData:
    name: str
    version: str
    citation: str
    periods: tuple[PolicyPeriod, ...]
    french_status: str = ""  # "officielle" | "traduction non officielle"
    french_source: str = ""

    def in_force(self, on: date) -> PolicyPeriod:
        for period in reversed(self.periods):
            if period.effective_from <= on:
                return period
        first = self.periods[0]
        raise NoPolicyPeriod(
            f"{on.isoformat()} is before the first policy period on record "
            f"({first.id}, from {first.effective_from.isoformat()})"
        )

    def by_id(self, period_id: str) -> PolicyPeriod:
        for period in self.periods:
            if period.id == period_id:
                return period
        raise KeyError(f"no policy period '{period_id}'")

    def possibly_in_force(self, on: date) -> tuple[PolicyPeriod, ...]:
        """Every period that may apply on ``on``, given how precisely each start date is known.

        A start known only to the month (or year) makes any day in that month (or year) ambiguous
        between the new period and the one before it.
        """
        found = [self.in_force(on)] if on >= self.periods[0].effective_from else []
        for index, period in enumerate(self.periods):
            if index == 0 or period.date_precision == "day":
                continue
            lo, hi = _precision_window(period.effective_from, period.date_precision)
            if lo <= on <= hi:
                for candidate in (self.periods[index - 1], period):
                    if candidate not in found:
                        found.append(candidate)
        return tuple(sorted(found, key=lambda p: p.effective_from))


def _precision_window(start: date, precision: str) -> tuple[date, date]:
    if precision == "year":
        return date(start.year, 1, 1), date(start.year, 12, 31)
    if precision == "month":
        nxt = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
        return date(start.year, start.month, 1), nxt - timedelta(days=1)
    return start, start


def validate_reason_codes(codes: Iterable[str], known: Collection[str]) -> list[str]:
    """Normalise and check codes against ``known``; raise ValueError naming the unknown ones and how to list the known ones."""
    cleaned: list[str] = []
    for code in codes:
        value = code.strip().lower().replace("-", "_").replace(" ", "_")
        if not value:
            continue
        if value not in known:
            raise ValueError(f"unknown refusal reason '{code}': see 'trpkit decision reasons' for the codes")
        if value not in cleaned:
            cleaned.append(value)
    return cleaned
