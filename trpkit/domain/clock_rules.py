"""What each rule of the permit-holder clock says and how sure we are of it (``checklists/permit-holder-clock.toml``).

The clock's logic lives in trpkit.domain.clocks and names its rules by id (``RULE_IDS`` there); the
wording, verification status and sources are data, read and checked by ``trpkit.loading.clock_rules``.
"""

from __future__ import annotations

from dataclasses import dataclass

CLOCK_RULES_FILE = "permit-holder-clock.toml"
STATUSES = ("confirmed", "secondary", "unconfirmed")


@dataclass(frozen=True)
class ClockRule:
    id: str
    status: str
    text: str
    sources: tuple[str, ...]
