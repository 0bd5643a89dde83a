"""``checklists/permit-holder-clock.toml``: what each rule of the permit-holder clock says, and how sure we are.

The clock (``trpkit.domain.clocks``) names its rules by id (``RULE_IDS``); this file holds their wording,
verification status and sources. Every id the clock uses must be there, and no other.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from trpkit.domain.clock_rules import CLOCK_RULES_FILE, ClockRule
from trpkit.loading.source import read_toml
from trpkit.loading.validate import DATA, validate

Text = Annotated[str, Field(min_length=1)]


class Meta(BaseModel):
    model_config = DATA
    name: Text
    version: Text
    verification: str = ""
    updated: date | None = None
    citation: Text
    sources: Annotated[dict[str, Text], Field(min_length=1, description="the sources the rules cite, by tag")]


class Rule(BaseModel):
    model_config = DATA
    id: Text
    status: Literal["confirmed", "secondary", "unconfirmed"]
    text: Annotated[str, Field(min_length=1, description="what the rule says")]
    sources: list[Text] = []


class ClockFile(BaseModel):
    model_config = DATA
    meta: Meta
    rule: Annotated[list[Rule], Field(min_length=1)]


def load_clock_rules(path: Path, expected: tuple[str, ...]) -> dict[str, ClockRule]:
    """The rules in ``path``, in ``expected`` order; every id in ``expected`` must be there, and no other."""
    source = read_toml(path)
    data = validate(source, ClockFile, {("rule",): ("rule", "id")})
    found: dict[str, ClockRule] = {}
    for index, rule in enumerate(data.rule):
        where = f"rule '{rule.id}'"
        if rule.id not in expected:
            raise source.error(
                ("rule", index, "id"),
                f"unknown rule '{rule.id}': the clock uses {', '.join(expected)}",
                where,
            )
        if rule.id in found:
            raise source.error(("rule", index, "id"), f"rule '{rule.id}' appears twice", where)
        unknown = [tag for tag in rule.sources if tag not in data.meta.sources]
        if unknown:
            raise source.error(
                ("rule", index, "sources"), f"source '{unknown[0]}' must be a tag in [meta.sources]", where
            )
        found[rule.id] = ClockRule(rule.id, rule.status, rule.text, tuple(rule.sources))
    missing = [rule_id for rule_id in expected if rule_id not in found]
    if missing:
        raise source.error(("rule",), f"missing rule(s) {', '.join(missing)}: the clock relies on them")
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


def rule_statuses() -> dict[str, tuple[str, str]]:
    """rule id -> (verification status, what it says), for the clock's ``RULE_IDS``."""
    from trpkit.domain.clocks import RULE_IDS

    return {rule.id: (rule.status, rule.text) for rule in clock_rules(RULE_IDS).values()}
