"""Reading and checking ``policy-periods.toml`` and ``refusal-reasons.toml`` into :mod:`trpkit.domain.ircc_periods`.

Each file is checked against its model (:mod:`trpkit.loading.ircc_models`); then the rules that join
entries: unique period ids in date order, French instruments matching the English ones, unique reason
codes and an ``other`` code. Periods list only the rules that changed: here each period gets the full
set in force, carried over from the one before.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from trpkit.domain.ircc_periods import (
    POLICY_FILE,
    REASONS_FILE,
    PolicyData,
    PolicyPeriod,
    RefusalReason,
    Rule,
)
from trpkit.loading import ircc_models as im
from trpkit.loading.source import TomlFile, read_toml
from trpkit.loading.validate import validate

_ENTRIES = {("period",): ("period", "id"), ("period", "rules"): ("rule", ""), ("reason",): ("reason", "code")}


def _rules(entry: im.PeriodEntry, carried: dict[str, Rule]) -> tuple[str, ...]:
    """Apply the rules ``entry`` changes to ``carried``; returns their names."""
    changed: list[str] = []
    for name in type(entry.rules).model_fields:
        raw = getattr(entry.rules, name)
        if raw is None:
            continue
        value = sorted(raw.value) if isinstance(raw.value, list) else raw.value
        carried[name] = Rule(name, value, raw.status, tuple(raw.sources), raw.note, entry.id)
        changed.append(name)
    return tuple(sorted(changed))


def _check_period(src: TomlFile, index: int, entry: im.PeriodEntry, previous: im.PeriodEntry | None) -> None:
    where = f"period '{entry.id}'"
    if previous is not None and entry.effective_from <= previous.effective_from:
        raise src.error(
            ("period", index, "effective_from"),
            f"starts {entry.effective_from}, not after '{previous.id}' ({previous.effective_from}): "
            "periods must be in date order",
            where,
        )
    if len(entry.instruments_fr) != len(entry.instruments):
        raise src.error(
            ("period", index, "instruments_fr"),
            f"instruments_fr must list the {len(entry.instruments)} instrument(s) in French, "
            "in the same order as instruments",
            where,
        )


def load_policy(path: Path) -> PolicyData:
    """The policy periods in ``path``, each with the full set of rules in force."""
    src = read_toml(path)
    data = validate(src, im.PolicyFile, _ENTRIES)
    seen: dict[str, int] = {}
    carried: dict[str, Rule] = {}
    periods: list[PolicyPeriod] = []
    for index, entry in enumerate(data.period):
        if entry.id in seen:
            first = src.line(("period", seen[entry.id], "id"))
            raise src.error(
                ("period", index, "id"),
                f"duplicate period id '{entry.id}' (first at line {first})",
                f"period {index + 1}",
            )
        seen[entry.id] = index
        _check_period(src, index, entry, data.period[index - 1] if index else None)
        changed = _rules(entry, carried)
        following = data.period[index + 1].effective_from if index + 1 < len(data.period) else None
        periods.append(_period(entry, carried, changed, following))
    meta = data.meta
    return PolicyData(
        meta.name, meta.version, meta.citation, tuple(periods), meta.french_status.value, meta.french_source
    )


def _period(
    entry: im.PeriodEntry, carried: dict[str, Rule], changed: tuple[str, ...], following: date | None
) -> PolicyPeriod:
    return PolicyPeriod(
        id=entry.id,
        title=entry.title,
        effective_from=entry.effective_from,
        effective_to=following - timedelta(days=1) if following else None,
        date_precision=entry.date_precision,
        date_status=entry.date_status,
        instruments=tuple(entry.instruments),
        notes=entry.notes,
        rules={name: rule for name, rule in carried.items() if rule.value is not None},
        changed=changed,
        title_fr=entry.title_fr,
        instruments_fr=tuple(entry.instruments_fr),
    )


def load_refusal_reasons(path: Path) -> tuple[RefusalReason, ...]:
    """The refusal-reason taxonomy in ``path``, in the file's order."""
    src = read_toml(path)
    data = validate(src, im.ReasonsFile, _ENTRIES)
    seen: dict[str, int] = {}
    for index, entry in enumerate(data.reason):
        if entry.code in seen:
            first = src.line(("reason", seen[entry.code], "code"))
            raise src.error(
                ("reason", index, "code"),
                f"duplicate reason code '{entry.code}' (first at line {first})",
                f"reason {index + 1}",
            )
        seen[entry.code] = index
    if "other" not in seen:
        raise src.error(
            ("reason",), "the taxonomy must keep an 'other' code (add a [[reason]] with code = \"other\")"
        )
    return tuple(
        RefusalReason(
            r.code, r.group, r.label, r.description, r.against_policy, tuple(r.applies_to), tuple(r.sources)
        )
        for r in data.reason
    )


def _stamp(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except FileNotFoundError:
        return -1


def _checklists() -> Path:
    from trpkit.paths import checklists_dir

    return checklists_dir()


@lru_cache(maxsize=4)
def _policy_cached(path: Path, _stamp: int) -> PolicyData:
    return load_policy(path)


@lru_cache(maxsize=4)
def _reasons_cached(path: Path, _stamp: int) -> tuple[RefusalReason, ...]:
    return load_refusal_reasons(path)


def policy_data() -> PolicyData:
    """The policy periods of the checklists folder (re-read when the file changes)."""
    path = _checklists() / POLICY_FILE
    return _policy_cached(path, _stamp(path))


def policy_in_force(on: date) -> PolicyPeriod:
    """The rules in force on ``on`` (raises NoPolicyPeriod before the first period)."""
    return policy_data().in_force(on)


def refusal_reasons() -> tuple[RefusalReason, ...]:
    """The refusal-reason taxonomy of the checklists folder (re-read when the file changes)."""
    path = _checklists() / REASONS_FILE
    return _reasons_cached(path, _stamp(path))


def refusal_reason_codes() -> frozenset[str]:
    return frozenset(r.code for r in refusal_reasons())
