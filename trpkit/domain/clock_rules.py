"""What each rule of the permit-holder clock says and how sure we are of it (``checklists/permit-holder-clock.toml``).

The clock's logic lives in trpkit.domain.clocks and names its rules by id (``RULE_IDS`` there); the
wording, verification status and sources are data, validated here: a missing or unknown id, a bad
status or an unknown source tag is refused with the file, the line and what to change.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from trpkit.domain.policy import PolicyDataError, _read

CLOCK_RULES_FILE = "permit-holder-clock.toml"
STATUSES = ("confirmed", "secondary", "unconfirmed")


@dataclass(frozen=True)
class ClockRule:
    id: str
    status: str
    text: str
    sources: tuple[str, ...]


def _line_of(text: str, rule_id: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.replace(" ", "") == f'id="{rule_id}"':
            return number
    return None


def load_clock_rules(path: Path, expected: tuple[str, ...]) -> dict[str, ClockRule]:
    """The rules in ``path``, in ``expected`` order; every id in ``expected`` must be there, and no other."""
    data, text = _read(path)
    meta = data.get("meta")
    if not isinstance(meta, dict) or not all(
        isinstance(meta.get(k), str) and meta[k].strip() for k in ("name", "version", "citation")
    ):
        raise PolicyDataError(path, 1, "[meta] needs a non-empty name, version and citation")
    sources = meta.get("sources")
    if not isinstance(sources, dict) or not sources:
        raise PolicyDataError(path, None, "[meta.sources] must list the sources the rules cite")
    raw_rules: Any = data.get("rule")
    if not isinstance(raw_rules, list) or not raw_rules:
        raise PolicyDataError(path, None, "no [[rule]] tables")
    found: dict[str, ClockRule] = {}
    for raw in raw_rules:
        rule_id = raw.get("id") if isinstance(raw, dict) else None
        if not isinstance(rule_id, str) or not rule_id:
            raise PolicyDataError(path, None, "every [[rule]] needs an id")
        line = _line_of(text, rule_id)
        if rule_id not in expected:
            raise PolicyDataError(
                path, line, f"unknown rule '{rule_id}': the clock uses {', '.join(expected)}"
            )
        if rule_id in found:
            raise PolicyDataError(path, line, f"rule '{rule_id}' appears twice")
        unknown_keys = set(raw) - {"id", "status", "text", "sources"}
        if unknown_keys:
            raise PolicyDataError(
                path, line, f"rule '{rule_id}': unknown key(s) {', '.join(sorted(unknown_keys))}"
            )
        status, wording, cited = raw.get("status"), raw.get("text"), raw.get("sources", [])
        if status not in STATUSES:
            raise PolicyDataError(
                path, line, f"rule '{rule_id}': status must be one of {', '.join(STATUSES)}"
            )
        if not isinstance(wording, str) or not wording.strip():
            raise PolicyDataError(path, line, f"rule '{rule_id}' needs a text saying what it is")
        if not isinstance(cited, list) or not all(isinstance(tag, str) and tag in sources for tag in cited):
            raise PolicyDataError(
                path, line, f"rule '{rule_id}': every source must be a tag in [meta.sources]"
            )
        found[rule_id] = ClockRule(rule_id, status, wording.strip(), tuple(cited))
    missing = [rule_id for rule_id in expected if rule_id not in found]
    if missing:
        raise PolicyDataError(path, None, f"missing rule(s) {', '.join(missing)}: the clock relies on them")
    return {rule_id: found[rule_id] for rule_id in expected}


@lru_cache(maxsize=4)
def _cached(path: str, mtime: float, expected: tuple[str, ...]) -> dict[str, ClockRule]:
    return load_clock_rules(Path(path), expected)


def clock_rules(expected: tuple[str, ...]) -> dict[str, ClockRule]:
    """The rules from the checklists folder (re-read when the file changes)."""
    from trpkit.paths import checklists_dir

    path = checklists_dir() / CLOCK_RULES_FILE
    try:
        stamp = path.stat().st_mtime
    except FileNotFoundError:
        stamp = 0.0
    return _cached(str(path), stamp, expected)
