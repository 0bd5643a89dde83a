"""Reading checklists/coalition-policy.toml and checklists/m49-regions.toml into a checked ``Policy``."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

from trpkit.domain.coalition_policy import (
    CODE_ATTRIBUTES,
    DATE_LEVELS,
    GENDERS,
    M49,
    NEVER_BELOW,
    OPTIONAL_FIELDS,
    ORIGIN_LEVELS,
    QI_COLUMNS,
    SCHEMA_VERSION,
    SECTORS,
    Hierarchy,
    Policy,
    PolicyError,
)
from trpkit.loading.errors import DataFileError
from trpkit.loading.lines import Loc, line_of
from trpkit.loading.source import read_toml


class PolicyFileError(DataFileError, PolicyError):
    """A problem at a place in the file (``DataFileError``: file, line, problem)."""


def _fail(path: Path, text: str, loc: Loc, problem: str) -> PolicyError:
    """The error for the value at ``loc`` (``()`` for the whole file), its line found by the shared locator."""
    return PolicyFileError(path, line_of(text, loc) if loc else None, problem)


def _read_toml(path: Path) -> tuple[dict[str, Any], str]:
    try:
        source = read_toml(path)
    except DataFileError as exc:
        hint = (
            ". Give an existing policy file (see docs/coalition.md)"
            if exc.problem == "file is missing"
            else ""
        )
        raise PolicyFileError(exc.path, exc.line, exc.problem + hint) from None
    return source.data, source.text


def default_policy_path() -> Path:
    from trpkit.paths import checklists_dir

    return checklists_dir() / "coalition-policy.toml"


def default_m49_path() -> Path:
    from trpkit.paths import checklists_dir

    return checklists_dir() / "m49-regions.toml"


# path -> (modification time, what it held then): an edited file is read and checked again.
_M49_CACHE: dict[Path, tuple[int, M49]] = {}


def load_m49(path: Path | None = None) -> M49:
    path = Path(path or default_m49_path())
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        stamp = -1  # _read_toml says what is wrong with it
    cached = _M49_CACHE.get(path)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    data, text = _read_toml(path)
    meta = data.get("meta")
    if not isinstance(meta, dict) or not all(
        k in meta for k in ("name", "version", "citation", "verification")
    ):
        raise _fail(path, text, ("meta",), "[meta] needs name, version, citation and verification")
    for key in ("name", "version", "citation", "verification"):
        if not isinstance(meta[key], str) or not meta[key].strip():
            raise _fail(path, text, ("meta", key), f"[meta] {key} must be text in quotes")
    areas = data.get("area")
    countries = data.get("country")
    if not isinstance(areas, dict) or not isinstance(countries, dict) or not countries:
        raise _fail(path, text, (), "needs an [area] table (M49 code = name) and a [country] table")
    for code, area_name in areas.items():
        if not isinstance(area_name, str) or not area_name.strip():
            raise _fail(path, text, ("area", code), f"area {code} needs its name in quotes")
    clean: dict[str, dict[str, str]] = {}
    for alpha2, entry in countries.items():
        if not re.fullmatch(r"[A-Z]{2}", alpha2):
            raise _fail(
                path, text, ("country", alpha2), f"country key '{alpha2}' is not an ISO 3166-1 alpha-2 code"
            )
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not entry["name"]:
            raise _fail(path, text, ("country", alpha2), f"country {alpha2} needs a name")
        for level in ("region", "sub_region", "intermediate_region"):
            code = entry.get(level, "")
            if level != "intermediate_region" and not code:
                raise _fail(path, text, ("country", alpha2, level), f"country {alpha2} has no {level}")
            if code and code not in areas:
                raise _fail(
                    path,
                    text,
                    ("country", alpha2, level),
                    f"country {alpha2}: {level} '{code}' is not in [area]",
                )
        clean[alpha2] = {
            "name": entry["name"],
            "region": entry["region"],
            "sub_region": entry["sub_region"],
            "intermediate_region": entry.get("intermediate_region", ""),
        }
    result = M49(str(meta["version"]), {str(k): str(v) for k, v in areas.items()}, clean)
    _M49_CACHE[path] = (stamp, result)
    return result


def _hierarchy(name: str, spec: Any, path: Path, text: str) -> Hierarchy:
    if not isinstance(spec, dict):
        raise _fail(path, text, ("hierarchy", name), f"[hierarchy.{name}] must be a table")
    maps: dict[str, dict[str, str]] = {}
    age_bands: dict[str, tuple[int, ...]] = {}
    if name == "age_band":
        raw_levels = spec.get("level")
        if not isinstance(raw_levels, list) or not raw_levels:
            raise _fail(
                path, text, ("hierarchy", "age_band"), "age_band needs [[hierarchy.age_band.level]] entries"
            )
        levels = []
        previous: set[int] | None = None
        for index, entry in enumerate(raw_levels):
            bands = entry.get("bands") if isinstance(entry, dict) else None
            level_name = entry.get("name") if isinstance(entry, dict) else None
            if not isinstance(level_name, str) or not isinstance(bands, list) or not bands:
                raise _fail(
                    path,
                    text,
                    ("hierarchy", "age_band", "level", index),
                    "each age level needs a name and bands",
                )
            if bands[0] != 0 or any(not isinstance(b, int) for b in bands) or sorted(set(bands)) != bands:
                raise _fail(
                    path,
                    text,
                    ("hierarchy", "age_band", "level", index, "bands"),
                    f"age level '{level_name}': bands must be increasing whole years starting at 0",
                )
            if previous is not None and not set(bands) <= previous:
                raise _fail(
                    path,
                    text,
                    ("hierarchy", "age_band", "level", index, "bands"),
                    f"age level '{level_name}' must merge the bands of the level before it (a coarser "
                    "level may only drop band boundaries)",
                )
            previous = set(bands)
            levels.append(level_name)
            age_bands[level_name] = tuple(bands)
    else:
        levels = spec.get("levels")
        if not isinstance(levels, list) or not levels or not all(isinstance(v, str) for v in levels):
            raise _fail(path, text, ("hierarchy", name, "levels"), f"[hierarchy.{name}] needs levels = [...]")
        expected = {"dates": DATE_LEVELS, "origin_region": ORIGIN_LEVELS}.get(name)
        if expected is not None and tuple(levels) != expected[: len(levels)]:
            raise _fail(
                path,
                text,
                ("hierarchy", name, "levels"),
                f"{name} levels must be (a prefix of) {', '.join(expected)}",
            )
        for level_name in levels[1:]:
            if name in ("dates", "origin_region"):
                continue
            mapping = spec.get(level_name)
            if not isinstance(mapping, dict) or not all(isinstance(v, str) for v in mapping.values()):
                raise _fail(
                    path,
                    text,
                    ("hierarchy", name, level_name),
                    f"{name}: level '{level_name}' needs a table [hierarchy.{name}.{level_name}] of "
                    "value = generalised value",
                )
            maps[level_name] = {str(k): str(v) for k, v in mapping.items()}
    min_level = spec.get("min_level", levels[0])
    if min_level not in levels:
        raise _fail(
            path,
            text,
            ("hierarchy", name, "min_level"),
            f"{name}: min_level '{min_level}' is not one of {', '.join(levels)}",
        )
    return Hierarchy(name, tuple(levels), levels.index(min_level), maps, age_bands)


def _check_complete(policy_hierarchies: dict[str, Hierarchy], path: Path, text: str) -> None:
    """Every value of a vocabulary must have a place at every level (ARX's 'hierarchy misses values')."""
    for attribute, vocabulary in (("exploitation_sector", SECTORS), ("gender", GENDERS)):
        h = policy_hierarchies.get(attribute)
        if h is None:
            continue
        for level_name, mapping in h.maps.items():
            missing = [v for v in vocabulary if v not in mapping]
            if missing:
                raise _fail(
                    path,
                    text,
                    ("hierarchy", attribute, level_name),
                    f"{attribute} level '{level_name}' misses {', '.join(missing)}: every value needs a "
                    "generalised value",
                )


def load_policy(path: Path | str | None = None, m49_path: Path | None = None) -> Policy:
    path = Path(path or default_policy_path())
    data, text = _read_toml(path)
    meta = data.get("meta")
    if not isinstance(meta, dict):
        raise _fail(path, text, (), "a policy needs a [meta] table")
    for key in ("id", "name", "version", "schema_version", "citation", "verification"):
        if not isinstance(meta.get(key), str) or not meta[key]:
            raise _fail(path, text, ("meta", key), f"[meta] needs {key}")
    if "updated" in meta and not isinstance(meta["updated"], datetime.date):
        raise _fail(
            path, text, ("meta", "updated"), "[meta] updated must be a date like 2026-11-28 (no quotes)"
        )
    if meta["schema_version"].split(".")[0] != SCHEMA_VERSION.split(".")[0]:
        raise _fail(
            path,
            text,
            ("meta", "schema_version"),
            f"the policy is for record schema {meta['schema_version']}; "
            f"this trpkit writes schema {SCHEMA_VERSION}",
        )
    privacy = data.get("privacy")
    if not isinstance(privacy, dict):
        raise _fail(path, text, (), "a policy needs a [privacy] table")
    k = privacy.get("k")
    if not isinstance(k, int) or isinstance(k, bool) or k < 2:
        raise _fail(path, text, ("privacy", "k"), "k must be a whole number of at least 2")
    max_suppression = privacy.get("max_suppression", 0.0)
    if not isinstance(max_suppression, (int, float)) or not 0 <= max_suppression < 1:
        raise _fail(
            path,
            text,
            ("privacy", "max_suppression"),
            "max_suppression must be a share between 0 and 1 (e.g. 0.1)",
        )
    min_cell = privacy.get("min_cell", 10)
    if not isinstance(min_cell, int) or min_cell < NEVER_BELOW:
        raise _fail(
            path,
            text,
            ("privacy", "min_cell"),
            f"min_cell must be at least {NEVER_BELOW}: counts 1-4 are never shown",
        )
    l_value = privacy.get("l_diversity", 1)
    if not isinstance(l_value, int) or isinstance(l_value, bool) or l_value not in (1, 2):
        raise _fail(
            path,
            text,
            ("privacy", "l_diversity"),
            "l_diversity must be 1 (reported only) or 2 (every group holds both a grant and a refusal)",
        )
    qis = privacy.get("quasi_identifiers")
    if not isinstance(qis, list) or not all(isinstance(q, str) for q in qis) or len(set(qis)) != len(qis):
        raise _fail(
            path,
            text,
            ("privacy", "quasi_identifiers"),
            "quasi_identifiers must be a list of attribute names",
        )
    unknown = [q for q in qis if q not in QI_COLUMNS]
    if unknown:
        raise _fail(
            path,
            text,
            ("privacy", "quasi_identifiers"),
            f"unknown quasi-identifier(s) {', '.join(unknown)}: use {', '.join(QI_COLUMNS)}",
        )
    fields = data.get("fields", {})
    if not isinstance(fields, dict) or not all(isinstance(v, bool) for v in fields.values()):
        raise _fail(path, text, ("fields",), "[fields] must map optional field names to true or false")
    bad = [f for f in fields if f not in OPTIONAL_FIELDS]
    if bad:
        raise _fail(
            path,
            text,
            ("fields", bad[0]),
            f"[fields]: unknown optional field '{bad[0]}' (use {', '.join(OPTIONAL_FIELDS)})",
        )
    rounding = data.get("rounding", {})
    if not isinstance(rounding, dict) or not all(
        isinstance(v, int) and not isinstance(v, bool) and v >= 1 for v in rounding.values()
    ):
        raise _fail(path, text, ("rounding",), "[rounding] values must be whole numbers of at least 1")
    raw_h = data.get("hierarchy")
    if not isinstance(raw_h, dict):
        raise _fail(path, text, (), "a policy needs [hierarchy.*] tables")
    hierarchies = {
        name: _hierarchy(name, spec, path, text) for name, spec in raw_h.items() if name in QI_COLUMNS
    }
    for name in CODE_ATTRIBUTES:  # older policies name none of these: shared as they are, or removed
        hierarchies.setdefault(name, Hierarchy(name, ("value",), 0))
    missing = [a for a in QI_COLUMNS if a not in hierarchies]
    if missing:
        raise _fail(
            path,
            text,
            ("hierarchy",),
            f"missing hierarchy for {', '.join(missing)} ([hierarchy.{missing[0]}])",
        )
    _check_complete(hierarchies, path, text)
    return Policy(
        id=meta["id"],
        name=meta["name"],
        version=meta["version"],
        schema_version=meta["schema_version"],
        k=k,
        max_suppression=float(max_suppression),
        min_cell=min_cell,
        quasi_identifiers=tuple(qis),
        fields={f: bool(fields.get(f, False)) for f in OPTIONAL_FIELDS},
        rounding={str(k): v for k, v in rounding.items()},
        hierarchies=hierarchies,
        m49=load_m49(m49_path),
        source=str(path),
        l_diversity=l_value,
    )
