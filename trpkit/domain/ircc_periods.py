"""IRCC rules that change over time, loaded from ``checklists/policy-periods.toml``.

A period starts on its ``effective_from`` date and lasts until the next one starts. Each period lists
only the rules that changed; the rest carry over, so ``policy_in_force(day)`` returns the complete rule
set in force on that day, each rule with its verification status and sources.

The refusal-reason taxonomy (``checklists/refusal-reasons.toml``) is loaded here too.
Pure Python: no database, no UI.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
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
_CODE = re.compile(r"^[a-z][a-z0-9_]{1,47}$")
_SOURCE = re.compile(r"^(S\d{1,3}|general)$")


class PolicyDataError(ValueError):
    """A data file is malformed. The message names the file, the line (when known) and the problem."""

    def __init__(self, path: Path | str, line: int | None, problem: str) -> None:
        self.path = str(path)
        self.line = line
        self.problem = problem
        where = f"{Path(path).name}, line {line}" if line else Path(path).name
        super().__init__(f"{where}: {problem}")


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


def _header_lines(text: str, header: str) -> list[int]:
    """1-based line numbers of every ``[[header]]`` in the file, in order."""
    pattern = re.compile(r"^\s*\[\[\s*" + re.escape(header) + r"\s*\]\]\s*(#.*)?$")
    return [n for n, line in enumerate(text.splitlines(), 1) if pattern.match(line)]


def _rule_lines(text: str, starts: list[int]) -> list[dict[str, int]]:
    """For each period (by its header line), the line of each ``[period.rules.NAME]`` table."""
    pattern = re.compile(r"^\s*\[\s*period\.rules\.([A-Za-z0-9_\-\"]+)\s*\]")
    lines = text.splitlines()
    result: list[dict[str, int]] = []
    for index, start in enumerate(starts):
        end = starts[index + 1] - 1 if index + 1 < len(starts) else len(lines)
        found: dict[str, int] = {}
        for number in range(start, end + 1):
            match = pattern.match(lines[number - 1])
            if match:
                found[match.group(1).strip('"')] = number
        result.append(found)
    return result


def _read(path: Path) -> tuple[dict[str, Any], str]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PolicyDataError(path, None, "file not found") from None
    except UnicodeDecodeError as exc:
        raise PolicyDataError(path, None, f"not UTF-8 text ({exc.reason}); save it as UTF-8") from None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        if line is None:  # Python < 3.14 only puts the line in the message
            found = re.search(r"at line (\d+)", str(exc))
            line = int(found.group(1)) if found else None
        raise PolicyDataError(path, line, f"not valid TOML ({exc})") from None


def _meta(path: Path, data: dict[str, Any]) -> dict[str, Any]:
    meta = data.get("meta")
    if not isinstance(meta, dict):
        raise PolicyDataError(path, 1, "missing [meta] table (name, version, citation, verification)")
    for key in ("name", "version", "citation", "verification"):
        if not isinstance(meta.get(key), str) or not meta[key].strip():
            raise PolicyDataError(path, None, f"[meta] needs a non-empty '{key}'")
    if "updated" in meta and not isinstance(meta["updated"], date):
        raise PolicyDataError(path, None, "[meta] updated must be a date written like 2026-11-28 (no quotes)")
    sources = meta.get("sources", {})
    if not isinstance(sources, dict) or not all(isinstance(v, str) and v.strip() for v in sources.values()):
        raise PolicyDataError(
            path, None, '[meta.sources] must map each tag to its citation in quotes ("S31" = "...")'
        )
    return meta


def _sources(path: Path, line: int | None, where: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(s, str) and _SOURCE.match(s) for s in value):
        raise PolicyDataError(path, line, f"{where}: 'sources' must be a list of tags like \"S31\"")
    return tuple(value)


def _check_rule(
    path: Path, line: int | None, pid: str, name: str, raw: Any
) -> tuple[Any, str, tuple[str, ...], str]:
    where = f"period '{pid}', rule '{name}'"
    if name not in RULE_TYPES:
        raise PolicyDataError(path, line, f"{where}: unknown rule (known: {', '.join(sorted(RULE_TYPES))})")
    if not isinstance(raw, dict):
        raise PolicyDataError(path, line, f"{where}: must be a table with value, status and sources")
    unknown = set(raw) - {"value", "ended", "status", "sources", "note"}
    if unknown:
        raise PolicyDataError(path, line, f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    status = raw.get("status")
    if status not in STATUSES:
        raise PolicyDataError(path, line, f"{where}: status must be one of {', '.join(STATUSES)}")
    sources = _sources(path, line, where, raw.get("sources", []))
    note = raw.get("note", "")
    if not isinstance(note, str):
        raise PolicyDataError(path, line, f"{where}: note must be text")
    if raw.get("ended") is True:
        if "value" in raw:
            raise PolicyDataError(path, line, f"{where}: give either 'value' or 'ended = true', not both")
        return None, status, sources, note
    if "value" not in raw:
        raise PolicyDataError(path, line, f"{where}: missing 'value' (or 'ended = true')")
    value = raw["value"]
    expected = RULE_TYPES[name]
    ok = isinstance(value, expected) and not (expected is int and isinstance(value, bool))
    if not ok:
        raise PolicyDataError(path, line, f"{where}: value must be {expected.__name__}, got {value!r}")
    if expected is int and value <= 0:
        raise PolicyDataError(path, line, f"{where}: value must be positive")
    if name == "fee_exempt":
        bad = [v for v in value if v not in FEE_EXEMPT_VALUES]
        if bad:
            raise PolicyDataError(
                path, line, f"{where}: unknown application type(s) {', '.join(map(str, bad))}"
            )
        value = sorted(value)
    return value, status, sources, note


def load_policy(path: Path) -> PolicyData:
    data, text = _read(path)
    meta = _meta(path, data)
    raw_periods = data.get("period")
    if not isinstance(raw_periods, list) or not raw_periods:
        raise PolicyDataError(path, None, "no [[period]] tables")
    starts = _header_lines(text, "period")
    rule_lines = _rule_lines(text, starts)
    seen: set[str] = set()
    carried: dict[str, Rule] = {}
    built: list[tuple[dict[str, Any], dict[str, Rule], tuple[str, ...]]] = []
    previous: date | None = None
    for index, raw in enumerate(raw_periods):
        line = starts[index] if index < len(starts) else None
        pid = raw.get("id")
        if not isinstance(pid, str) or not _CODE.match(pid.replace("-", "_")):
            raise PolicyDataError(path, line, "period needs an 'id' (lowercase letters, digits, - or _)")
        if pid in seen:
            raise PolicyDataError(path, line, f"duplicate period id '{pid}'")
        seen.add(pid)
        start = raw.get("effective_from")
        if not isinstance(start, date) or hasattr(start, "hour"):
            raise PolicyDataError(
                path, line, f"period '{pid}': effective_from must be a date like 2025-02-04"
            )
        if previous is not None and start <= previous:
            raise PolicyDataError(
                path, line, f"period '{pid}' starts {start} — periods must be in date order"
            )
        previous = start
        for key in ("title",):
            if not isinstance(raw.get(key), str) or not raw[key].strip():
                raise PolicyDataError(path, line, f"period '{pid}': needs a non-empty {key}")
        if raw.get("date_precision", "day") not in PRECISIONS:
            raise PolicyDataError(
                path, line, f"period '{pid}': date_precision must be one of {', '.join(PRECISIONS)}"
            )
        if raw.get("date_status", "confirmed") not in STATUSES:
            raise PolicyDataError(
                path, line, f"period '{pid}': date_status must be one of {', '.join(STATUSES)}"
            )
        _sources(path, line, f"period '{pid}'", raw.get("date_sources", []))
        unknown = set(raw) - {
            "id",
            "title",
            "effective_from",
            "date_precision",
            "date_status",
            "date_sources",
            "instruments",
            "notes",
            "rules",
            "title_fr",
            "instruments_fr",
        }
        if unknown:
            raise PolicyDataError(path, line, f"period '{pid}': unknown key(s) {', '.join(sorted(unknown))}")
        instruments = raw.get("instruments", [])
        if not isinstance(instruments, list) or not all(isinstance(i, str) for i in instruments):
            raise PolicyDataError(path, line, f"period '{pid}': instruments must be a list of texts")
        if not isinstance(raw.get("notes", ""), str):
            raise PolicyDataError(path, line, f"period '{pid}': notes must be a text")
        rules_raw = raw.get("rules", {})
        if not isinstance(rules_raw, dict):
            raise PolicyDataError(path, line, f"period '{pid}': rules must be a table")
        changed: list[str] = []
        for name, rule_raw in rules_raw.items():
            rline = rule_lines[index].get(name, line) if index < len(rule_lines) else line
            value, status, sources, note = _check_rule(path, rline, pid, name, rule_raw)
            carried[name] = Rule(name, value, status, sources, note, pid)
            changed.append(name)
        in_force = {n: r for n, r in carried.items() if r.value is not None}
        built.append((raw, in_force, tuple(sorted(changed))))
    for index, (raw, _rules, _changed) in enumerate(built):  # once the periods are sound: their French
        _check_french(path, text, starts[index] if index < len(starts) else None, raw)
    periods = []
    for index, (raw, rules, period_changes) in enumerate(built):
        nxt = built[index + 1][0]["effective_from"] if index + 1 < len(built) else None
        periods.append(
            PolicyPeriod(
                id=raw["id"],
                title=raw["title"].strip(),
                effective_from=raw["effective_from"],
                effective_to=nxt - timedelta(days=1) if nxt else None,
                date_precision=raw.get("date_precision", "day"),
                date_status=raw.get("date_status", "confirmed"),
                instruments=tuple(raw.get("instruments", ())),
                notes=raw.get("notes", ""),
                rules=rules,
                changed=period_changes,
                title_fr=raw["title_fr"].strip(),
                instruments_fr=tuple(i.strip() for i in raw.get("instruments_fr", ())),
            )
        )
    return PolicyData(
        meta["name"], meta["version"], meta["citation"], tuple(periods), *_french_meta(path, text, meta)
    )


def _check_french(path: Path, text: str, line: int | None, raw: dict[str, Any]) -> None:
    """French letters name the policy in force and its instruments: both need French text."""
    pid = raw["id"]
    instruments = raw.get("instruments", [])
    if not isinstance(raw.get("title_fr"), str) or not raw["title_fr"].strip():
        raise PolicyDataError(
            path,
            _key_line(text, "title_fr", line) if "title_fr" in raw else line,
            f"period '{pid}': needs a non-empty title_fr (the title a French letter shows)",
        )
    instruments_fr = raw.get("instruments_fr", [] if not instruments else None)
    if (
        not isinstance(instruments_fr, list)
        or len(instruments_fr) != len(instruments)
        or not all(isinstance(i, str) and i.strip() for i in instruments_fr)
    ):
        raise PolicyDataError(
            path,
            _key_line(text, "instruments_fr", line) if "instruments_fr" in raw else line,
            f"period '{pid}': instruments_fr must list the {len(instruments)} instrument(s) "
            "in French, in the same order as instruments",
        )


def _key_line(text: str, key: str, after: int | None) -> int | None:
    """The first line at or after ``after`` that sets ``key``."""
    lines = text.splitlines()
    start = after or 1
    for number in range(start, len(lines) + 1):
        if re.match(rf"^\s*{re.escape(key)}\s*=", lines[number - 1]):
            return number
    return after


def _french_meta(path: Path, text: str, meta: dict[str, Any]) -> tuple[str, str]:
    """(french_status, french_source): where the French titles and instruments come from."""
    from trpkit.domain.frameworks import FrenchStatus

    status = meta.get("french_status")
    allowed = [s.value for s in FrenchStatus]
    if status not in allowed:
        raise PolicyDataError(
            path,
            _key_line(text, "french_status", 1) if "french_status" in meta else None,
            f"[meta] french_status must be one of: {', '.join(allowed)} (French letters show "
            "the period titles and instruments)",
        )
    source = meta.get("french_source")
    if not isinstance(source, str) or not source.strip():
        raise PolicyDataError(
            path, None, "[meta] needs a non-empty 'french_source' (where the French wording comes from)"
        )
    return status, source.strip()


def load_refusal_reasons(path: Path) -> tuple[RefusalReason, ...]:
    data, text = _read(path)
    _meta(path, data)
    raw_reasons = data.get("reason")
    if not isinstance(raw_reasons, list) or not raw_reasons:
        raise PolicyDataError(path, None, "no [[reason]] tables")
    starts = _header_lines(text, "reason")
    seen: set[str] = set()
    reasons = []
    for index, raw in enumerate(raw_reasons):
        line = starts[index] if index < len(starts) else None
        code = raw.get("code")
        if not isinstance(code, str) or not _CODE.match(code):
            raise PolicyDataError(path, line, "reason needs a 'code' (lowercase letters, digits and _)")
        if code in seen:
            raise PolicyDataError(path, line, f"duplicate reason code '{code}'")
        seen.add(code)
        unknown = set(raw) - {
            "code",
            "group",
            "label",
            "description",
            "against_policy",
            "applies_to",
            "sources",
        }
        if unknown:
            raise PolicyDataError(path, line, f"reason '{code}': unknown key(s) {', '.join(sorted(unknown))}")
        if raw.get("group") not in REASON_GROUPS:
            raise PolicyDataError(
                path, line, f"reason '{code}': group must be one of {', '.join(REASON_GROUPS)}"
            )
        for key in ("label", "description"):
            if not isinstance(raw.get(key), str) or not raw[key].strip():
                raise PolicyDataError(path, line, f"reason '{code}': needs a non-empty {key}")
        if not isinstance(raw.get("against_policy", False), bool):
            raise PolicyDataError(path, line, f"reason '{code}': against_policy must be true or false")
        applies = raw.get("applies_to", [])
        if not isinstance(applies, list) or any(a not in APPLICATION_TYPES for a in applies):
            raise PolicyDataError(
                path,
                line,
                f"reason '{code}': applies_to must list application types ({', '.join(APPLICATION_TYPES)})",
            )
        reasons.append(
            RefusalReason(
                code,
                raw["group"],
                raw["label"].strip(),
                raw["description"].strip(),
                raw.get("against_policy", False),
                tuple(applies),
                _sources(path, line, f"reason '{code}'", raw.get("sources", [])),
            )
        )
    if "other" not in seen:
        raise PolicyDataError(path, None, "the taxonomy must keep an 'other' code")
    return tuple(reasons)


def _checklists() -> Path:
    from trpkit.paths import checklists_dir

    return checklists_dir()


@lru_cache(maxsize=4)
def _policy_cached(path: str, mtime: float) -> PolicyData:
    return load_policy(Path(path))


@lru_cache(maxsize=4)
def _reasons_cached(path: str, mtime: float) -> tuple[RefusalReason, ...]:
    return load_refusal_reasons(Path(path))


def _stamp(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return 0.0


def policy_data() -> PolicyData:
    path = _checklists() / POLICY_FILE
    return _policy_cached(str(path), _stamp(path))


def policy_in_force(on: date) -> PolicyPeriod:
    """The rules in force on ``on`` (raises NoPolicyPeriod before the first period)."""
    return policy_data().in_force(on)


def refusal_reasons() -> tuple[RefusalReason, ...]:
    path = _checklists() / REASONS_FILE
    return _reasons_cached(str(path), _stamp(path))


def refusal_reason_codes() -> frozenset[str]:
    return frozenset(r.code for r in refusal_reasons())


def validate_reason_codes(codes: list[str] | tuple[str, ...]) -> list[str]:
    """Normalise and check codes; raise ValueError naming the unknown ones and how to list the known ones."""
    known = refusal_reason_codes()
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
