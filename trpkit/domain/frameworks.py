"""The indicator frameworks, loaded from ``checklists/*.toml`` and validated.

Files (all in ``trpkit.paths.checklists_dir()``):

- ``delphi-adult-labour.toml``, ``delphi-child-labour.toml``, ``delphi-adult-sexual.toml``,
  ``delphi-child-sexual.toml``: the ILO/EC Delphi lists (six dimensions, weighted items);
- ``ilo-forced-labour.toml``, ``ircc-vtip-criteria.toml``, ``criminal-code-279-04.toml``: criteria sets;
- ``crosswalk.toml``: Delphi item number -> criteria of each set;
- ``indicator-prompts.toml``: open questions per Delphi item number.

French: every file a French draft can show carries French text as data. ``[meta]`` has ``name_fr``,
``french_status`` ("officielle" when the French is the source's own official wording, "traduction non
officielle" when it is trpkit's or an organisation's translation) and ``french_source`` (where the French
comes from); every dimension, indicator and criterion has ``label_fr`` and may override the file's status
with ``label_fr_status``. A missing French label is refused like any other error, naming the item.

Verification, recorded as data: ``[meta] checked`` lists what was actually read to check the file (the
copy, page or section, and what it showed); a file marked ``verification = "confirmed"`` must say so.
An indicator or criterion may carry its own ``verification`` and ``source`` (the page or section read);
an item marked confirmed without a source is refused. Criteria files may list case-law
``[[meta.authorities]]`` (citation, holding, verification, source) for the letter to cite.

A malformed or inconsistent file is refused with :class:`ChecklistError`, whose message names the
file, the line and the problem (``delphi-adult-labour.toml:212: duplicate indicator id 'AL-4.02'``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from trpkit.errors import UsageError


class Strength(StrEnum):
    STRONG = "strong"
    MEDIUM = "medium"
    WEAK = "weak"
    UNRATED = "unrated"  # an item whose weight is not known yet: shown, never counted


class Verification(StrEnum):
    CONFIRMED = "confirmed"  # read in the primary text
    SECONDARY = "secondary"  # from a reputable source citing the primary
    UNCONFIRMED = "unconfirmed"  # inference or incomplete: check before relying on it


class FrenchStatus(StrEnum):
    """Where a French label comes from. Never call a translation official."""

    OFFICIAL = "officielle"  # the source's own official French wording
    UNOFFICIAL = "traduction non officielle"  # translated by trpkit or an organisation


VERIFICATION_LABELS = {
    Verification.CONFIRMED: "confirmed against the source",
    Verification.SECONDARY: "from a secondary source, not yet checked against the original",
    Verification.UNCONFIRMED: "unconfirmed: check against the source before relying on it",
}

# The same, as a French letter states them (trpkit's wording).
VERIFICATION_LABELS_FR = {
    Verification.CONFIRMED: "vérifiée dans la source",
    Verification.SECONDARY: "tirée d'une source secondaire, pas encore vérifiée dans l'original",
    Verification.UNCONFIRMED: "non confirmée : à vérifier dans la source avant de s'y fier",
}

# The six Delphi dimensions: stable ids (part of the CLI's JSON contract), number and role.
DIMENSIONS: tuple[tuple[str, int, str], ...] = (
    ("deceptive_recruitment", 1, "recruitment"),
    ("coercive_recruitment", 2, "recruitment"),
    ("recruitment_abuse_of_vulnerability", 3, "recruitment"),
    ("exploitative_conditions", 4, "exploitation"),
    ("coercion_at_destination", 5, "destination"),
    ("abuse_of_vulnerability_at_destination", 6, "destination"),
)
DELPHI_FILES = ("delphi-adult-labour", "delphi-child-labour", "delphi-adult-sexual", "delphi-child-sexual")
CRITERIA_FILES = {
    "ilo": "ilo-forced-labour",
    "ircc": "ircc-vtip-criteria",
    "criminal_code": "criminal-code-279-04",
}
CROSSWALK_FILE = "crosswalk"
PROMPTS_FILE = "indicator-prompts"
PREFIXES = {
    ("adult", "labour"): "AL",
    ("child", "labour"): "CL",
    ("adult", "sexual"): "AS",
    ("child", "sexual"): "CS",
}
_ITEM_ID = re.compile(r"^(?P<prefix>[A-Z]{2})-(?P<key>(?P<dim>[1-6])\.\d\d)$")
_ITEM_KEY = re.compile(r"^[1-6]\.\d\d$")


@dataclass(frozen=True)
class Dimension:
    id: str
    number: int
    label: str
    role: str  # recruitment | exploitation | destination
    label_fr: str = ""
    label_fr_status: FrenchStatus = FrenchStatus.UNOFFICIAL

    def label_in(self, language: str) -> str:
        return self.label_fr if language == "fr" and self.label_fr else self.label


@dataclass(frozen=True)
class Indicator:
    id: str  # AL-5.01
    key: str  # 5.01: the item number shared by the four lists
    dimension: str
    strength: Strength
    label: str
    verification: Verification
    note: str = ""
    prompts: tuple[str, ...] = ()
    ilo: tuple[str, ...] = ()
    ircc: tuple[str, ...] = ()
    criminal_code: tuple[str, ...] = ()
    label_fr: str = ""
    label_fr_status: FrenchStatus = FrenchStatus.UNOFFICIAL
    source: str = ""  # where this item's wording and weight were checked

    def label_in(self, language: str) -> str:
        """The label a document in ``language`` shows (French when the draft is in French)."""
        return self.label_fr if language == "fr" and self.label_fr else self.label

    def criteria(self, criteria_set: str) -> tuple[str, ...]:
        return {"ilo": self.ilo, "ircc": self.ircc, "criminal_code": self.criminal_code}[criteria_set]


@dataclass(frozen=True)
class DelphiList:
    id: str
    name: str
    population: str  # adult | child
    exploitation: str  # labour | sexual
    version: str
    verification: Verification
    verification_note: str
    complete: bool
    sources: tuple[str, ...]
    dimension_rule_verification: Verification
    identification_rule_verification: Verification
    dimensions: tuple[Dimension, ...]
    indicators: tuple[Indicator, ...]
    path: Path
    by_id: Mapping[str, Indicator] = field(default_factory=dict, compare=False, repr=False)
    by_key: Mapping[str, Indicator] = field(default_factory=dict, compare=False, repr=False)
    by_dimension: Mapping[str, tuple[Indicator, ...]] = field(default_factory=dict, compare=False, repr=False)
    name_fr: str = ""
    french_status: FrenchStatus = FrenchStatus.UNOFFICIAL
    french_source: str = ""
    checked: tuple[str, ...] = ()

    def name_in(self, language: str) -> str:
        return self.name_fr if language == "fr" and self.name_fr else self.name

    @property
    def prefix(self) -> str:
        return PREFIXES[(self.population, self.exploitation)]

    def dimension(self, dimension_id: str) -> Dimension:
        return next(d for d in self.dimensions if d.id == dimension_id)

    def in_dimension(self, dimension_id: str) -> tuple[Indicator, ...]:
        cached = self.by_dimension.get(dimension_id)
        if cached is not None:
            return cached
        return tuple(i for i in self.indicators if i.dimension == dimension_id)

    def resolve(self, indicator_id: str) -> Indicator | None:
        """The item for an id of this list, or the same item number recorded against another list."""
        found = self.by_id.get(indicator_id)
        if found is not None:
            return found
        found = self.by_id.get(indicator_id.strip().upper())
        if found is not None:
            return found
        match = _ITEM_ID.match(indicator_id.strip().upper())
        return self.by_key.get(match.group("key")) if match else None


@dataclass(frozen=True)
class Criterion:
    id: str
    label: str
    description: str
    label_fr: str = ""
    label_fr_status: FrenchStatus = FrenchStatus.UNOFFICIAL
    verification: Verification | None = None  # None: the file's own status applies
    source: str = ""  # the page or section read to check it

    def label_in(self, language: str) -> str:
        return self.label_fr if language == "fr" and self.label_fr else self.label


@dataclass(frozen=True)
class Authority:
    """A court decision a letter may cite for this criteria set, with what it was checked against."""

    citation: str
    holding: str
    verification: Verification
    source: str


@dataclass(frozen=True)
class CriteriaSet:
    id: str
    name: str
    version: str
    verification: Verification
    verification_note: str
    sources: tuple[str, ...]
    criteria: tuple[Criterion, ...]
    path: Path
    name_fr: str = ""
    french_status: FrenchStatus = FrenchStatus.UNOFFICIAL
    french_source: str = ""
    checked: tuple[str, ...] = ()
    authorities: tuple[Authority, ...] = ()

    def name_in(self, language: str) -> str:
        return self.name_fr if language == "fr" and self.name_fr else self.name

    def get(self, criterion_id: str) -> Criterion:
        return next(c for c in self.criteria if c.id == criterion_id)


@dataclass(frozen=True)
class Frameworks:
    delphi: Mapping[str, DelphiList]
    criteria: Mapping[str, CriteriaSet]  # "ilo" | "ircc" | "criminal_code"
    crosswalk_verification: Verification
    crosswalk_note: str
    prompts_note: str
    directory: Path

    def get(self, framework: str) -> DelphiList:
        try:
            return self.delphi[framework]
        except KeyError:
            raise UsageError(
                f"unknown framework '{framework}': use one of {', '.join(self.delphi)}"
            ) from None


def framework_for(population: str, exploitation: str) -> str:
    return f"delphi-{population}-{exploitation}"
