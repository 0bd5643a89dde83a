"""``checklists/indicator-cues.toml``, loaded and validated (see that file for the phrase syntax).

Every cue must point at a Delphi item number some list has, in a language trpkit knows, with phrases
that parse; every sector must be one of the case's sector values. A bad file is refused with a
:class:`~trpkit.domain.frameworks.ChecklistError` naming the file, the line and the problem.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

from trpkit.domain.cues import Cue
from trpkit.domain.frameworks import Verification

CUES_FILE = "indicator-cues"
LANGUAGES = ("en", "fr", "es")


@dataclass(frozen=True)
class CueBook:
    cues: tuple[Cue, ...]
    negations: tuple[str, ...]
    sectors: Mapping[str, tuple[Cue, ...]]
    verification: Verification
    verification_note: str
    sources: tuple[str, ...]
    path: Path

    def for_items(self, keys: Collection[str]) -> tuple[Cue, ...]:
        return tuple(c for c in self.cues if set(c.items) & set(keys))
