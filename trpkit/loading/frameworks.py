"""Reading and checking the indicator framework files into :class:`~trpkit.domain.frameworks.Frameworks`.

Each file is checked against its model (:mod:`trpkit.loading.framework_models`); then the rules that
join fields or files: ids matching the file name, items numbered in their dimension, the six
dimensions, unrated items only in an incomplete list, the crosswalk's criteria existing, every item
having prompts. See :mod:`trpkit.domain.frameworks` for what the files mean.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from trpkit.domain.frameworks import (
    _ITEM_ID,
    CRITERIA_FILES,
    CROSSWALK_FILE,
    DELPHI_FILES,
    DIMENSIONS,
    PREFIXES,
    PROMPTS_FILE,
    Authority,
    CriteriaSet,
    Criterion,
    DelphiList,
    Dimension,
    Frameworks,
    FrenchStatus,
    Indicator,
    Strength,
    Verification,
    framework_for,
)
from trpkit.loading import framework_models as fm
from trpkit.loading.errors import DataFileError
from trpkit.loading.source import TomlFile, read_toml
from trpkit.loading.validate import validate

# The name older code and tests use for a framework file's error.
ChecklistError = DataFileError

_ENTRIES = {
    ("dimensions",): ("dimension", "id"),
    ("indicators",): ("indicator", "id"),
    ("criteria",): ("criterion", "id"),
    ("meta", "authorities"): ("authority", "citation"),
}
Links = dict[str, dict[str, tuple[str, ...]]]
F = TypeVar("F", fm.DelphiFile, fm.CriteriaFile, fm.PromptsFile, fm.CrosswalkFile)


def _check_meta(src: TomlFile, meta: fm.Meta, kind: str) -> None:
    if meta.id != src.path.stem:
        raise src.error(
            ("meta", "id"), f"'{meta.id}' must match the file name '{src.path.stem}'", "[meta] field 'id'"
        )
    if meta.kind != kind:
        raise src.error(
            ("meta", "kind"), f"'{meta.kind}' should be '{kind}' for this file", "[meta] field 'kind'"
        )


def _read(path: Path, model: type[F], kind: str) -> tuple[TomlFile, F]:
    src = read_toml(path)
    data = validate(src, model, _ENTRIES)
    _check_meta(src, data.meta, kind)
    return src, data


def _dimensions(src: TomlFile, raw: list[fm.DimensionEntry], status: FrenchStatus) -> tuple[Dimension, ...]:
    expected = {d[0]: d for d in DIMENSIONS}
    dims: list[Dimension] = []
    for index, entry in enumerate(raw):
        where = f"dimension '{entry.id}'"
        if entry.id not in expected:
            raise src.error(
                ("dimensions", index, "id"),
                f"unknown dimension id '{entry.id}': use {', '.join(expected)}",
                where,
            )
        if any(d.id == entry.id for d in dims):
            raise src.error(("dimensions", index, "id"), f"duplicate dimension id '{entry.id}'", where)
        _, number, role = expected[entry.id]
        if entry.number != number or entry.role != role:
            raise src.error(("dimensions", index), f'must have number = {number} and role = "{role}"', where)
        dims.append(
            Dimension(entry.id, number, entry.label, role, entry.label_fr, entry.label_fr_status or status)
        )
    missing = [d for d in expected if d not in {x.id for x in dims}]
    if missing:
        raise src.error(("dimensions",), f"missing dimension(s): {', '.join(missing)}")
    return tuple(sorted(dims, key=lambda d: d.number))


def _indicator(
    src: TomlFile, index: int, raw: fm.IndicatorEntry, meta: fm.DelphiMeta, dim_numbers: Mapping[str, int]
) -> tuple[str, str]:
    """Checks one item against its list; returns (its item number, its dimension)."""
    prefix = PREFIXES[(meta.population, meta.exploitation)]
    where = f"indicator '{raw.id}'"
    match = _ITEM_ID.match(raw.id)
    if not match or match.group("prefix") != prefix:
        raise src.error(
            ("indicators", index, "id"),
            f"id '{raw.id}' must look like {prefix}-d.nn (d = dimension 1-6, nn = two digits), e.g. {prefix}-1.01",
            where,
        )
    if raw.dimension not in dim_numbers:
        raise src.error(("indicators", index, "dimension"), f"unknown dimension '{raw.dimension}'", where)
    if int(match.group("dim")) != dim_numbers[raw.dimension]:
        raise src.error(
            ("indicators", index, "dimension"),
            f"numbered in dimension {match.group('dim')} but placed in '{raw.dimension}'",
            where,
        )
    if raw.strength is Strength.UNRATED and meta.complete:
        raise src.error(
            ("indicators", index, "strength"),
            "unrated but [meta] says the list is complete: give it a strength or set complete = false",
            where,
        )
    return match.group("key"), raw.dimension


def _indicators(
    src: TomlFile,
    data: fm.DelphiFile,
    dim_numbers: Mapping[str, int],
    links: Links,
    prompts: Mapping[str, tuple[str, ...]],
) -> list[Indicator]:
    """The list's items, checked one by one and against each other, with their links and prompts."""
    meta = data.meta
    items: list[Indicator] = []
    seen: dict[str, int] = {}  # id -> index of its first entry
    for index, raw in enumerate(data.indicators):
        key, dimension = _indicator(src, index, raw, meta, dim_numbers)
        if raw.id in seen:
            first = src.line(("indicators", seen[raw.id], "id"))
            raise src.error(
                ("indicators", index, "id"),
                f"duplicate indicator id '{raw.id}' (first at line {first})",
                f"indicator {index + 1}",
            )
        seen[raw.id] = index
        found = links.get(key, {})
        items.append(
            Indicator(
                id=raw.id,
                key=key,
                dimension=dimension,
                strength=raw.strength,
                label=raw.label,
                verification=raw.verification,
                note=raw.note,
                prompts=prompts.get(key, ()),
                ilo=found.get("ilo", ()),
                ircc=found.get("ircc", ()),
                criminal_code=found.get("criminal_code", ()),
                label_fr=raw.label_fr,
                label_fr_status=raw.label_fr_status or meta.french_status,
                source=raw.source,
            )
        )
    return items


def _load_delphi(path: Path, links: Links, prompts: Mapping[str, tuple[str, ...]]) -> DelphiList:
    src, data = _read(path, fm.DelphiFile, "delphi")
    meta = data.meta
    expected_id = framework_for(meta.population, meta.exploitation)
    if meta.id != expected_id:
        raise src.error(
            ("meta", "id"), f"a {meta.population} {meta.exploitation} list must be called '{expected_id}'"
        )
    dims = _dimensions(src, data.dimensions, meta.french_status)
    items = _indicators(src, data, {d.id: d.number for d in dims}, links, prompts)
    return DelphiList(
        id=meta.id,
        name=meta.name,
        population=meta.population,
        exploitation=meta.exploitation,
        version=meta.version,
        verification=meta.verification,
        verification_note=meta.verification_note,
        complete=meta.complete,
        sources=tuple(meta.sources),
        dimension_rule_verification=meta.dimension_rule_verification,
        identification_rule_verification=meta.identification_rule_verification,
        dimensions=dims,
        indicators=tuple(items),
        path=path,
        by_id={i.id: i for i in items},
        by_key={i.key: i for i in items},
        by_dimension={d.id: tuple(i for i in items if i.dimension == d.id) for d in dims},
        name_fr=meta.name_fr,
        french_status=meta.french_status,
        french_source=meta.french_source,
        checked=tuple(meta.checked),
    )


def _load_criteria(path: Path) -> CriteriaSet:
    src, data = _read(path, fm.CriteriaFile, "criteria")
    meta = data.meta
    criteria: list[Criterion] = []
    for index, raw in enumerate(data.criteria):
        if any(c.id == raw.id for c in criteria):
            raise src.error(
                ("criteria", index, "id"), f"duplicate criterion id '{raw.id}'", f"criterion {index + 1}"
            )
        status = raw.label_fr_status or meta.french_status
        criteria.append(
            Criterion(raw.id, raw.label, raw.description, raw.label_fr, status, raw.verification, raw.source)
        )
    authorities = tuple(Authority(a.citation, a.holding, a.verification, a.source) for a in meta.authorities)
    return CriteriaSet(
        meta.id,
        meta.name,
        meta.version,
        meta.verification,
        meta.verification_note,
        tuple(meta.sources),
        tuple(criteria),
        path,
        meta.name_fr,
        meta.french_status,
        meta.french_source,
        tuple(meta.checked),
        authorities,
    )


def _load_prompts(path: Path) -> tuple[dict[str, tuple[str, ...]], str, TomlFile]:
    src, data = _read(path, fm.PromptsFile, "prompts")
    return {key: tuple(value) for key, value in data.items.items()}, data.meta.verification_note, src


def _load_crosswalk(
    path: Path, criteria: Mapping[str, CriteriaSet]
) -> tuple[Links, Verification, str, TomlFile]:
    src, data = _read(path, fm.CrosswalkFile, "crosswalk")
    links: Links = {}
    for key, entry in data.items.items():
        found: dict[str, tuple[str, ...]] = {}
        for set_name in ("ilo", "ircc", "criminal_code"):
            ids = getattr(entry, set_name)
            known = {c.id for c in criteria[set_name].criteria}
            for index, cid in enumerate(ids):
                if cid not in known:
                    raise src.error(
                        ("items", key, set_name, index),
                        f"'{cid}' is not an id in {criteria[set_name].path.name}",
                        f"item {key} field '{set_name}'",
                    )
            if set_name in entry.model_fields_set:
                found[set_name] = tuple(ids)
        links[key] = found
    return links, data.meta.verification, data.meta.verification_note, src


def load_frameworks(directory: Path | None = None) -> Frameworks:
    """Load and validate every framework file (cached until a file changes)."""
    if directory is None:
        from trpkit.paths import checklists_dir

        directory = checklists_dir()
    directory = Path(directory)
    names = [*DELPHI_FILES, *CRITERIA_FILES.values(), CROSSWALK_FILE, PROMPTS_FILE]
    stamps = tuple((n, _mtime(directory / f"{n}.toml")) for n in names)
    return _load_cached(directory, stamps)


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except FileNotFoundError:
        return -1


@lru_cache(maxsize=8)
def _load_cached(directory: Path, _stamps: tuple[tuple[str, int], ...]) -> Frameworks:
    criteria = {name: _load_criteria(directory / f"{stem}.toml") for name, stem in CRITERIA_FILES.items()}
    links, cw_verification, cw_note, cw_src = _load_crosswalk(directory / f"{CROSSWALK_FILE}.toml", criteria)
    prompts, prompts_note, prompt_src = _load_prompts(directory / f"{PROMPTS_FILE}.toml")
    delphi = {stem: _load_delphi(directory / f"{stem}.toml", links, prompts) for stem in DELPHI_FILES}
    _check_items_exist(delphi, links, cw_src, prompts, prompt_src)
    return Frameworks(
        delphi=delphi,
        criteria=criteria,
        crosswalk_verification=cw_verification,
        crosswalk_note=cw_note,
        prompts_note=prompts_note,
        directory=directory,
    )


def _check_items_exist(
    delphi: Mapping[str, DelphiList],
    links: Links,
    cw_src: TomlFile,
    prompts: Mapping[str, tuple[str, ...]],
    prompt_src: TomlFile,
) -> None:
    """Crosswalk and prompts name only items some list has; every item has prompts."""
    all_keys = {i.key for lst in delphi.values() for i in lst.indicators}
    for src, keys in ((cw_src, links), (prompt_src, prompts)):
        for key in keys:
            if key not in all_keys:
                raise src.error(("items", key), f"item {key} is in no Delphi list", f"item {key}")
    for key in sorted(all_keys):
        if key not in prompts:
            users = ", ".join(lst.id for lst in delphi.values() if key in lst.by_key)
            raise prompt_src.error(
                ("items",),
                f"no prompts for item {key} (used by {users}): every indicator needs at least one open question",
            )
