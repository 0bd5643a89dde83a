"""The coalition sharing protocol as data: what a policy may name, and the policy, its hierarchies and M49.

A policy says how much detail may leave an agency: k, the quasi-identifiers, the generalisation levels of
each, the minimum cell of a report and the optional fields that may be shared. The files are read by
:mod:`trpkit.loading.coalition_policy`; the exporter, the importer and the report all read the same ``Policy``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from trpkit.domain.vocab import ExploitationSector

POLICY_FILE = "coalition-policy.toml"
M49_FILE = "m49-regions.toml"

# The record schema a policy is written for, and the codes its hierarchies must give a place at every level.
SCHEMA_VERSION = "1.0"
SECTORS = tuple(sector.value for sector in ExploitationSector)  # one vocabulary for the vault and the record
GENDERS = ("woman", "man", "trans_woman", "trans_man", "gender_diverse", "unknown")

STAR = "*"  # the value of an attribute generalised all the way (removed)
NEVER_BELOW = 5  # counts 1..4 are never shown, whatever a policy says

# attribute -> the record column(s) it generalises
QI_COLUMNS: dict[str, tuple[str, ...]] = {
    "gender": ("gender",),
    "age_band": ("age_band",),
    "origin_region": ("origin_region",),
    "exploitation_sector": ("exploitation_sector",),
    "dates": ("submitted", "decided"),
    "ircc_office": ("ircc_office",),
    # Fields an outsider may know about a person's application as well as their age or origin: each is a
    # quasi-identifier a policy can name (they were once shared beside k without being counted in it).
    "application_type": ("application_type",),
    "policy_period": ("policy_period",),
    "law_enforcement_cooperation": ("law_enforcement_cooperation",),
    "criminal_case_status": ("criminal_case_status",),
}
# Code-valued attributes: generalised all the way, the cell is left empty (a code column cannot hold '*').
CODE_ATTRIBUTES = ("application_type", "policy_period", "law_enforcement_cooperation", "criminal_case_status")
# Days from submission to decision are coarsened with the dates: the band width of each date level (a finer
# number of days with the decision month would give the submission back).
DAYS_BAND = {"month": 30, "quarter": 91, "half": 182, "year": 365}
OPTIONAL_FIELDS = (
    "officer_label",
    "refusal_reasons",
    "processing_days",
    "duration_granted_months",
    "delphi",
    "criminal_case_status",
    "law_enforcement_cooperation",
)
DATE_LEVELS = ("month", "quarter", "half", "year")
ORIGIN_LEVELS = ("country", "intermediate_region", "sub_region", "region")


@dataclass(frozen=True)
class Hierarchy:
    attribute: str
    levels: tuple[str, ...]  # finest first; STAR is implied after the last
    min_level: int  # index of the finest level the policy allows
    maps: dict[str, dict[str, str]] = field(default_factory=dict)  # level name -> value -> generalised value
    age_bands: dict[str, tuple[int, ...]] = field(default_factory=dict)  # level name -> lower bounds

    @property
    def top(self) -> int:
        """Index of the STAR level."""
        return len(self.levels)

    def level_name(self, index: int) -> str:
        return STAR if index >= len(self.levels) else self.levels[index]

    def index_of(self, name: str) -> int:
        if name == STAR:
            return self.top
        return self.levels.index(name)


@dataclass(frozen=True)
class M49:
    version: str
    areas: dict[str, str]  # numeric code -> name
    countries: dict[str, dict[str, str]]  # alpha-2 -> {name, region, sub_region, intermediate_region}

    def area_of(self, country: str, level: str) -> str | None:
        """The name of ``country``'s area at ``level`` (None for an unknown country)."""
        entry = self.countries.get(country.strip().upper())
        if entry is None:
            return None
        if level == "country":
            return entry["name"]
        code = entry.get(level) or ""
        if level == "intermediate_region" and not code:
            code = entry["sub_region"]
        return self.areas[code]


@dataclass(frozen=True)
class Policy:
    id: str
    name: str
    version: str
    schema_version: str
    k: int
    max_suppression: float
    min_cell: int
    quasi_identifiers: tuple[str, ...]
    fields: dict[str, bool]
    rounding: dict[str, int]
    hierarchies: dict[str, Hierarchy]
    m49: M49
    source: str = ""
    l_diversity: int = 1  # distinct decided outcomes (granted, refused) every group must hold

    @property
    def report_min_cell(self) -> int:
        return max(self.min_cell, NEVER_BELOW)

    def allows(self, optional_field: str) -> bool:
        return bool(self.fields.get(optional_field, False))

    def as_dict(self) -> dict[str, Any]:
        """Everything that shapes an export, as plain data (for manifests and the fingerprint)."""
        return {
            "id": self.id,
            "name": self.name,
            "version": self.version,
            "schema_version": self.schema_version,
            "k": self.k,
            "max_suppression": self.max_suppression,
            "min_cell": self.min_cell,
            "l_diversity": self.l_diversity,
            "quasi_identifiers": list(self.quasi_identifiers),
            "fields": dict(sorted(self.fields.items())),
            "rounding": dict(sorted(self.rounding.items())),
            "hierarchies": {
                name: {
                    "levels": list(h.levels),
                    "min_level": h.levels[h.min_level],
                    "maps": h.maps,
                    "age_bands": {k: list(v) for k, v in h.age_bands.items()},
                }
                for name, h in sorted(self.hierarchies.items())
            },
            "m49_version": self.m49.version,
        }

    def fingerprint(self) -> str:
        payload = json.dumps(self.as_dict(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()
