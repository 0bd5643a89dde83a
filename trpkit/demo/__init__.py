"""Fictional, reproducible demo and test data. Never real people: every surname is invented.

``generate`` builds cases with the foundation generator, then runs each area's generator
(listed in GENERATORS) over the same cases with the same seeded random source.
"""

from __future__ import annotations

import importlib
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from trpkit.services.actor import Actor

# Area generators: "module:function", each called as fn(session, actor, cases, rng, today).
GENERATORS: list[str] = [
    "trpkit.demo.evidence:generate",
    "trpkit.demo.narrative:generate",
    "trpkit.demo.drafting:generate",
    "trpkit.demo.coalition:generate",
    "trpkit.demo.dependants:generate",
    "trpkit.demo.applications:generate",  # keep last: decision snapshots read indicators and evidence
    "trpkit.demo.incidents:generate",  # no case data; its own random source
    "trpkit.demo.french:generate",  # French versions of what the others wrote; draws nothing
]

DEMO_PASSPHRASE = "demo vault, fictional cases only"


@dataclass(frozen=True)
class DemoCase:
    id: int
    code: str
    sector: str
    nationality: str
    languages: tuple[str, ...]
    arrival_year: int
    consent_profile: str
    opened: date | None = None  # when the NGO opened the file (first contact); the story ends there
    gender: str = ""  # as recorded for the person ("" when not recorded): generated text agrees with it


def generate(
    session: Session,
    actor: Actor,
    n: int,
    seed: int,
    today: date | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[DemoCase]:
    from trpkit.demo.cases import generate_cases

    rng = random.Random(seed)
    today = today or date.today()
    cases = generate_cases(session, actor, n, rng, today, progress)
    for target in GENERATORS:
        module_name, function = target.split(":")
        getattr(importlib.import_module(module_name), function)(session, actor, cases, rng, today)
        session.flush()
    return cases
