"""Reading checklists/coalition-policy.toml and checklists/m49-regions.toml into a checked ``Policy``.

Each file is checked against its model (:mod:`trpkit.loading.coalition_models`); then the rules that join
fields or files: the record schema the policy is for, each hierarchy's levels (in their order, bands that
merge, a table of values for each mapped level, min_level among them), every gender and sector placed at
every level, and every M49 code a country names existing in [area].
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from trpkit.domain.coalition_policy import (
    CODE_ATTRIBUTES,
    DATE_LEVELS,
    GENDERS,
    M49,
    M49_FILE,
    OPTIONAL_FIELDS,
    ORIGIN_LEVELS,
    POLICY_FILE,
    QI_COLUMNS,
    SCHEMA_VERSION,
    SECTORS,
    Hierarchy,
    Policy,
)
from trpkit.loading.errors import DataFileError
from trpkit.loading.source import TomlFile, read_toml

if TYPE_CHECKING:  # pydantic is imported when a file is read: services import this module at start-up
    from trpkit.loading import coalition_models as cm
    from trpkit.loading.validate import EntryNames

_ENTRIES: EntryNames = {("hierarchy", "age_band", "level"): ("age level", "name")}


def default_policy_path() -> Path:
    from trpkit.paths import checklists_dir

    return checklists_dir() / POLICY_FILE


def default_m49_path() -> Path:
    from trpkit.paths import checklists_dir

    return checklists_dir() / M49_FILE


def _read(path: Path) -> TomlFile:
    try:
        return read_toml(path)
    except DataFileError as exc:
        if exc.problem != "file is missing":
            raise
        hint = ". Give an existing policy file (see docs/coalition.md)"
        raise DataFileError(exc.path, None, exc.problem + hint) from None


# path -> (modification time, what it held then): an edited file is read and checked again.
_M49_CACHE: dict[Path, tuple[int, M49]] = {}


def load_m49(path: Path | None = None) -> M49:
    """The UN M49 table at ``path`` (default: the checklists folder's), re-read when the file changes."""
    path = Path(path or default_m49_path())
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        stamp = -1  # _read says what is wrong with it
    cached = _M49_CACHE.get(path)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    from trpkit.loading import coalition_models as cm
    from trpkit.loading.validate import validate

    source = _read(path)
    data = validate(source, cm.M49File)
    countries: dict[str, dict[str, str]] = {}
    for alpha2, entry in data.country.items():
        for level in ("region", "sub_region", "intermediate_region"):
            code = getattr(entry, level)
            if code and code not in data.area:
                raise source.error(
                    ("country", alpha2, level),
                    f"{level} '{code}' is not in [area]",
                    f"country {alpha2} field '{level}'",
                )
        countries[alpha2] = entry.model_dump(exclude={"note"})
    result = M49(data.meta.version, dict(data.area), countries)
    _M49_CACHE[path] = (stamp, result)
    return result


def _age_bands(source: TomlFile, spec: cm.AgeBands) -> tuple[list[str], dict[str, tuple[int, ...]]]:
    """The age levels, finest first, and the lower bounds of each level's bands."""
    levels: list[str] = []
    bands_of: dict[str, tuple[int, ...]] = {}
    previous: set[int] | None = None
    for index, entry in enumerate(spec.level):
        loc = ("hierarchy", "age_band", "level", index, "bands")
        where = f"age level '{entry.name}' field 'bands'"
        bands = entry.bands
        if bands[0] != 0 or sorted(set(bands)) != bands:
            raise source.error(loc, "bands must be increasing whole years starting at 0", where)
        if previous is not None and not set(bands) <= previous:
            problem = (
                "must merge the bands of the level before it (a coarser level may only drop band boundaries)"
            )
            raise source.error(loc, problem, where)
        previous = set(bands)
        levels.append(entry.name)
        bands_of[entry.name] = tuple(bands)
    return levels, bands_of


def _level_maps(source: TomlFile, name: str, spec: cm.MappedLevels) -> dict[str, dict[str, str]]:
    """Each level after the first: its table of value = generalised value."""
    tables = spec.model_extra or {}
    maps: dict[str, dict[str, str]] = {}
    for level_name in spec.levels[1:]:
        if level_name not in tables:
            raise source.error(
                ("hierarchy", name, "levels"),
                f"level '{level_name}' needs a table [hierarchy.{name}.{level_name}] of value = generalised value",
                f"[hierarchy.{name}] field 'levels'",
            )
        maps[level_name] = dict(tables[level_name])
    for table in tables:
        if table not in spec.levels[1:]:
            raise source.error(
                ("hierarchy", name, table),
                f"[hierarchy.{name}.{table}] is not a level after the first of {', '.join(spec.levels)}",
            )
    return maps


def _hierarchy(source: TomlFile, name: str, spec: cm.AgeBands | cm.NamedLevels) -> Hierarchy:
    maps: dict[str, dict[str, str]] = {}
    age_bands: dict[str, tuple[int, ...]] = {}
    from trpkit.loading import coalition_models as cm

    if isinstance(spec, cm.AgeBands):
        levels, age_bands = _age_bands(source, spec)
    else:
        levels = list(spec.levels)
        expected = {"dates": DATE_LEVELS, "origin_region": ORIGIN_LEVELS}.get(name)
        if expected is not None and tuple(levels) != expected[: len(levels)]:
            raise source.error(
                ("hierarchy", name, "levels"),
                f"{name} levels must be (a prefix of) {', '.join(expected)}",
                f"[hierarchy.{name}] field 'levels'",
            )
        if isinstance(spec, cm.MappedLevels):
            maps = _level_maps(source, name, spec)
    min_level = spec.min_level or levels[0]
    if min_level not in levels:
        raise source.error(
            ("hierarchy", name, "min_level"),
            f"'{min_level}' is not one of {', '.join(levels)}",
            f"[hierarchy.{name}] field 'min_level'",
        )
    return Hierarchy(name, tuple(levels), levels.index(min_level), maps, age_bands)


def _hierarchies(source: TomlFile, data: cm.Hierarchies) -> dict[str, Hierarchy]:
    hierarchies: dict[str, Hierarchy] = {}
    # In the file's order (the report lists them so), then the code attributes it leaves out.
    for name in [*source.data["hierarchy"], *QI_COLUMNS]:
        spec = getattr(data, name)
        if spec is not None and name not in hierarchies:
            hierarchies[name] = _hierarchy(source, name, spec)
    for name in CODE_ATTRIBUTES:  # older policies name none of these: shared as they are, or removed
        hierarchies.setdefault(name, Hierarchy(name, ("value",), 0))
    missing = [a for a in QI_COLUMNS if a not in hierarchies]
    if missing:
        raise source.error(
            ("hierarchy",), f"missing hierarchy for {', '.join(missing)} ([hierarchy.{missing[0]}])"
        )
    _check_complete(source, hierarchies)
    return hierarchies


def _check_complete(source: TomlFile, hierarchies: dict[str, Hierarchy]) -> None:
    """Every value of a vocabulary must have a place at every level (ARX's 'hierarchy misses values')."""
    for attribute, vocabulary in (("exploitation_sector", SECTORS), ("gender", GENDERS)):
        for level_name, mapping in hierarchies[attribute].maps.items():
            missing = [v for v in vocabulary if v not in mapping]
            if missing:
                raise source.error(
                    ("hierarchy", attribute, level_name),
                    f"{attribute} level '{level_name}' misses {', '.join(missing)}: every value needs a "
                    "generalised value",
                )


def load_policy(path: Path | str | None = None, m49_path: Path | None = None) -> Policy:
    """The policy at ``path`` (default: the checklists folder's), with the M49 table at ``m49_path``."""
    from trpkit.loading import coalition_models as cm
    from trpkit.loading.validate import validate

    path = Path(path or default_policy_path())
    source = _read(path)
    data = validate(source, cm.PolicyFile, _ENTRIES)
    meta, privacy = data.meta, data.privacy
    if meta.schema_version.split(".")[0] != SCHEMA_VERSION.split(".")[0]:
        raise source.error(
            ("meta", "schema_version"),
            f"the policy is for record schema {meta.schema_version}; this trpkit writes schema {SCHEMA_VERSION}",
            "[meta] field 'schema_version'",
        )
    return Policy(
        id=meta.id,
        name=meta.name,
        version=meta.version,
        schema_version=meta.schema_version,
        k=privacy.k,
        max_suppression=float(privacy.max_suppression),
        min_cell=privacy.min_cell,
        quasi_identifiers=tuple(privacy.quasi_identifiers),
        fields={f: data.fields.get(f, False) for f in OPTIONAL_FIELDS},
        rounding=dict(data.rounding),
        hierarchies=_hierarchies(source, data.hierarchy),
        m49=load_m49(m49_path),
        source=str(path),
        l_diversity=privacy.l_diversity,
    )
