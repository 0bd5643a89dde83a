"""Reading and checking the indicator framework files into :class:`~trpkit.domain.frameworks.Frameworks`.

See :mod:`trpkit.domain.frameworks` for the files and their rules.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any

from trpkit.domain.frameworks import (
    _ITEM_ID,
    _ITEM_KEY,
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
from trpkit.errors import UsageError


class ChecklistError(UsageError):
    """A checklist file is malformed or inconsistent. ``str()`` is ``file:line: problem``."""

    def __init__(self, path: Path | str, line: int | None, problem: str) -> None:
        self.path = Path(path)
        self.line = line
        self.problem = problem
        where = f"{self.path.name}:{line}" if line else self.path.name
        super().__init__(f"{where}: {problem} (in {self.path.parent})")


# ---------------------------------------------------------------------------------------- loading


class _Source:
    """A file's text and helpers to find the line a key or entry is on."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ChecklistError(path, None, "file is missing") from None
        except UnicodeDecodeError as exc:
            raise ChecklistError(path, None, f"not UTF-8 text ({exc.reason})") from None
        self.lines = self.text.splitlines()
        try:
            self.data = tomllib.loads(self.text)
        except tomllib.TOMLDecodeError as exc:
            match = re.search(r"\(at line (\d+), column \d+\)", str(exc))
            line = int(match.group(1)) if match else getattr(exc, "lineno", None)
            problem = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc)) or "invalid TOML"
            raise ChecklistError(path, line, f"TOML syntax error: {problem}") from None

    def error(self, line: int | None, problem: str) -> ChecklistError:
        return ChecklistError(self.path, line, problem)

    def headers(self, name: str) -> list[int]:
        pattern = re.compile(rf"^\s*\[\[\s*{re.escape(name)}\s*\]\]")
        return [n for n, text in enumerate(self.lines, 1) if pattern.match(text)]

    def table_line(self, name: str) -> int | None:
        pattern = re.compile(rf"^\s*\[\s*{re.escape(name)}\s*\]")
        return next((n for n, text in enumerate(self.lines, 1) if pattern.match(text)), None)

    def key_line(self, key: str, start: int = 1, end: int | None = None) -> int | None:
        pattern = re.compile(rf'^\s*("{re.escape(key)}"|{re.escape(key)})\s*=')
        stop = end if end is not None else len(self.lines) + 1
        return next(
            (n for n in range(start, min(stop, len(self.lines) + 1)) if pattern.match(self.lines[n - 1])),
            None,
        )

    def entry_key_line(self, array: str, index: int, key: str | None = None) -> int | None:
        """Line of ``key`` inside the index-th ``[[array]]`` entry (or of its header)."""
        headers = self.headers(array)
        if index >= len(headers):
            return None
        start = headers[index]
        end = headers[index + 1] if index + 1 < len(headers) else None
        if key is not None:
            # stop at the next table header of any kind
            for n in range(start + 1, end or len(self.lines) + 1):
                if n > len(self.lines):
                    break
                if self.lines[n - 1].lstrip().startswith("["):
                    end = n
                    break
            found = self.key_line(key, start + 1, end)
            if found is not None:
                return found
        return start


def _text(
    src: _Source, table: Mapping[str, Any], key: str, line: int | None, what: str, required: bool = True
) -> str:
    value = table.get(key)
    if value is None:
        if required:
            raise src.error(line, f"{what}: missing '{key}'")
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise src.error(line, f"{what}: '{key}' must be a non-empty string")
    return value.strip()


def _enum(src: _Source, enum: type[StrEnum], value: Any, line: int | None, what: str) -> Any:
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(m.value for m in enum)
        raise src.error(line, f"{what} '{value}' is not allowed: use one of {allowed}") from None


def _unknown_keys(
    src: _Source, table: Mapping[str, Any], allowed: Iterable[str], line_of: Any, what: str
) -> None:
    for key in table:
        if key not in allowed:
            raise src.error(
                line_of(key), f"{what}: unknown key '{key}' (allowed: {', '.join(sorted(allowed))})"
            )


_META_KEYS = {"id", "kind", "name", "version", "verification", "verification_note", "sources", "checked"}
_FRENCH_META_KEYS = {"name_fr", "french_status", "french_source"}
_DELPHI_META_KEYS = _META_KEYS | {
    "population",
    "exploitation",
    "complete",
    "dimension_rule_verification",
    "identification_rule_verification",
}


def _meta(src: _Source, kind: str, extra_keys: set[str] | None = None) -> dict[str, Any]:
    meta = src.data.get("meta")
    meta_line = src.table_line("meta")
    if not isinstance(meta, dict):
        raise src.error(1, "missing [meta] table (id, kind, name, version, verification, sources)")

    def line_of(key: str) -> int | None:
        return src.key_line(key, meta_line or 1) or meta_line

    allowed = (extra_keys or set()) | _META_KEYS
    _unknown_keys(src, meta, allowed, line_of, "[meta]")
    for key in ("id", "kind", "name", "version", "verification"):
        _text(src, meta, key, line_of(key) if key in meta else meta_line, "[meta]")
    if meta["id"] != src.path.stem:
        raise src.error(line_of("id"), f"[meta] id '{meta['id']}' must match the file name '{src.path.stem}'")
    if meta["kind"] != kind:
        raise src.error(line_of("kind"), f"[meta] kind '{meta['kind']}' should be '{kind}' for this file")
    _enum(src, Verification, meta["verification"], line_of("verification"), "[meta] verification")
    if not isinstance(meta.get("verification_note", ""), str):
        raise src.error(line_of("verification_note"), "[meta] verification_note must be text")
    sources = meta.get("sources")
    if (
        not sources
        or not isinstance(sources, list)
        or not all(isinstance(s, str) and s.strip() for s in sources)
    ):
        raise src.error(
            line_of("sources") if "sources" in meta else meta_line,
            "[meta] needs 'sources': a list of at least one citation (title, reference, address)",
        )
    checked = meta.get("checked", [])
    if not isinstance(checked, list) or not all(isinstance(c, str) and c.strip() for c in checked):
        raise src.error(line_of("checked"), "[meta] checked must be a list of texts (what was read, where)")
    if meta["verification"] == Verification.CONFIRMED.value and not checked:
        raise src.error(
            line_of("verification"),
            "[meta] verification is 'confirmed' but 'checked' does not say what was read: "
            'add checked = ["copy, page or section: what it showed"]',
        )
    return meta


def _item_verification(
    src: _Source, table: Mapping[str, Any], line_of: Any, what: str, required: bool
) -> tuple[Verification | None, str]:
    """An item's own (verification, source); confirmed needs the page or section read."""
    if "verification" not in table and not required:
        verification = None
    else:
        verification = _enum(
            src, Verification, table.get("verification", ""), line_of("verification"), f"{what}: verification"
        )
    source = table.get("source", "")
    if not isinstance(source, str):
        raise src.error(line_of("source"), f"{what}: source must be text (the page or section read)")
    if verification is Verification.CONFIRMED and not source.strip():
        raise src.error(
            line_of("verification"),
            f"{what}: marked confirmed without a 'source' (say the copy and page or section it was read in)",
        )
    return verification, source.strip()


def _authorities(src: _Source, meta: Mapping[str, Any]) -> tuple[Authority, ...]:
    raw = meta.get("authorities", [])
    line = src.table_line("meta")
    if not isinstance(raw, list):
        raise src.error(line, "[[meta.authorities]] must be tables (citation, holding, verification, source)")
    out = []
    for index, entry in enumerate(raw):
        start = src.headers("meta.authorities")
        where = start[index] if index < len(start) else line
        if not isinstance(entry, dict):
            raise src.error(where, "each authority must be a [[meta.authorities]] table")
        _unknown_keys(
            src, entry, {"citation", "holding", "verification", "source"}, lambda _k, w=where: w, "authority"
        )
        citation = _text(src, entry, "citation", where, "authority")
        verification, source = _item_verification(
            src, entry, lambda _k, w=where: w, f"authority '{citation}'", True
        )
        if not source:
            raise src.error(where, f"authority '{citation}': needs a 'source' (where it was read)")
        assert verification is not None
        out.append(
            Authority(
                citation, _text(src, entry, "holding", where, f"authority '{citation}'"), verification, source
            )
        )
    return tuple(out)


def _french_meta(src: _Source, meta: Mapping[str, Any]) -> tuple[str, FrenchStatus, str]:
    """(name_fr, french_status, french_source) of a file whose items a French draft shows."""
    meta_line = src.table_line("meta")

    def line_of(key: str) -> int | None:
        return src.key_line(key, meta_line or 1) or meta_line

    for key, what in (
        ("name_fr", "the French name of this list"),
        ("french_status", '"officielle" or "traduction non officielle"'),
        ("french_source", "where the French wording comes from"),
    ):
        if key not in meta:
            raise src.error(meta_line, f"[meta] needs '{key}' ({what}): French drafts show this file's items")
    name_fr = _text(src, meta, "name_fr", line_of("name_fr"), "[meta]")
    status = _enum(src, FrenchStatus, meta["french_status"], line_of("french_status"), "[meta] french_status")
    source = _text(src, meta, "french_source", line_of("french_source"), "[meta]")
    return name_fr, status, source


def _french_label(
    src: _Source, table: Mapping[str, Any], line_of: Any, what: str, default: FrenchStatus
) -> tuple[str, FrenchStatus]:
    """An item's ``label_fr`` (required: a French draft shows it) and its status (the file's unless given)."""
    if "label_fr" not in table:
        raise src.error(
            line_of("label_fr"),
            f"{what}: missing 'label_fr' (the French label a French draft "
            "shows; mark a translation in [meta] french_status)",
        )
    label_fr = _text(src, table, "label_fr", line_of("label_fr"), what)
    if label_fr == str(table.get("label", "")).strip() and re.search(r"[a-z]{4}", label_fr):
        raise src.error(
            line_of("label_fr"), f"{what}: 'label_fr' is the same as the English label: translate it"
        )
    status = default
    if "label_fr_status" in table:
        status = _enum(
            src,
            FrenchStatus,
            table["label_fr_status"],
            line_of("label_fr_status"),
            f"{what}: label_fr_status",
        )
    return label_fr, status


def _load_delphi(
    path: Path,
    keys_crosswalk: Mapping[str, dict[str, tuple[str, ...]]],
    prompts: Mapping[str, tuple[str, ...]],
) -> DelphiList:
    src = _Source(path)
    meta = _meta(src, "delphi", _DELPHI_META_KEYS | _FRENCH_META_KEYS)
    name_fr, french_status, french_source = _french_meta(src, meta)
    meta_line = src.table_line("meta")
    population = meta.get("population")
    exploitation = meta.get("exploitation")
    if population not in ("adult", "child"):
        raise src.error(
            src.key_line("population") or meta_line, "[meta] population must be 'adult' or 'child'"
        )
    if exploitation not in ("labour", "sexual"):
        raise src.error(
            src.key_line("exploitation") or meta_line, "[meta] exploitation must be 'labour' or 'sexual'"
        )
    if meta["id"] != framework_for(population, exploitation):
        raise src.error(
            src.key_line("id"),
            f"a {population} {exploitation} list must be called '{framework_for(population, exploitation)}'",
        )
    complete = meta.get("complete")
    if not isinstance(complete, bool):
        raise src.error(
            src.key_line("complete") or meta_line,
            "[meta] complete must be true or false (false while the list is not fully transcribed)",
        )
    rule_verifications = [
        _enum(src, Verification, meta.get(key, ""), src.key_line(key) or meta_line, f"[meta] {key}")
        for key in ("dimension_rule_verification", "identification_rule_verification")
    ]
    prefix = PREFIXES[(population, exploitation)]

    raw_dims = src.data.get("dimensions")
    if not isinstance(raw_dims, list):
        raise src.error(None, "missing [[dimensions]] entries (the six Delphi dimensions)")
    dims: list[Dimension] = []
    expected = {d[0]: d for d in DIMENSIONS}
    for index, raw in enumerate(raw_dims):
        line = src.entry_key_line("dimensions", index)
        if not isinstance(raw, dict):
            raise src.error(line, "each dimension must be a [[dimensions]] table")
        did = raw.get("id")
        if did not in expected:
            raise src.error(
                src.entry_key_line("dimensions", index, "id"),
                f"unknown dimension id '{did}': use {', '.join(expected)}",
            )
        if any(d.id == did for d in dims):
            raise src.error(src.entry_key_line("dimensions", index, "id"), f"duplicate dimension id '{did}'")
        _unknown_keys(
            src,
            raw,
            {"id", "number", "label", "role", "label_fr", "label_fr_status"},
            lambda k, i=index: src.entry_key_line("dimensions", i, k),
            f"dimension '{did}'",
        )
        _, number, role = expected[did]
        if raw.get("number") != number or raw.get("role") != role:
            raise src.error(line, f"dimension '{did}' must have number = {number} and role = \"{role}\"")
        dim_fr, dim_fr_status = _french_label(
            src,
            raw,
            lambda k, i=index: src.entry_key_line("dimensions", i, k),
            f"dimension '{did}'",
            french_status,
        )
        dims.append(
            Dimension(
                did, number, _text(src, raw, "label", line, f"dimension '{did}'"), role, dim_fr, dim_fr_status
            )
        )
    missing = [d for d in expected if d not in {x.id for x in dims}]
    if missing:
        raise src.error(None, f"missing dimension(s): {', '.join(missing)}")
    dims.sort(key=lambda d: d.number)
    dim_numbers = {d.id: d.number for d in dims}

    raw_items = src.data.get("indicators")
    if not isinstance(raw_items, list) or not raw_items:
        raise src.error(None, "missing [[indicators]] entries")
    items: list[Indicator] = []
    seen: dict[str, int] = {}
    allowed = {
        "id",
        "dimension",
        "strength",
        "label",
        "verification",
        "note",
        "label_fr",
        "label_fr_status",
        "source",
    }
    for index, raw in enumerate(raw_items):

        def line_of(key: str | None, i: int = index) -> int | None:
            return src.entry_key_line("indicators", i, key)

        if not isinstance(raw, dict):
            raise src.error(line_of(None), "each indicator must be an [[indicators]] table")
        iid = raw.get("id")
        if not isinstance(iid, str):
            raise src.error(line_of(None), "indicator without an 'id'")
        _unknown_keys(src, raw, allowed, line_of, f"indicator '{iid}'")
        match = _ITEM_ID.match(iid)
        if not match or match.group("prefix") != prefix:
            raise src.error(
                line_of("id"),
                f"indicator id '{iid}' must look like {prefix}-d.nn "
                f"(d = dimension 1-6, nn = two digits), e.g. {prefix}-1.01",
            )
        if iid in seen:
            raise src.error(line_of("id"), f"duplicate indicator id '{iid}' (first at line {seen[iid]})")
        seen[iid] = line_of("id") or 0
        dimension = raw.get("dimension")
        if not isinstance(dimension, str) or dimension not in dim_numbers:
            raise src.error(line_of("dimension"), f"indicator '{iid}': unknown dimension '{dimension}'")
        if int(match.group("dim")) != dim_numbers[dimension]:
            raise src.error(
                line_of("dimension"),
                f"indicator '{iid}' is numbered in dimension "
                f"{match.group('dim')} but placed in '{dimension}'",
            )
        if "strength" not in raw:
            raise src.error(
                line_of(None), f"indicator '{iid}': missing 'strength' (strong, medium, weak or unrated)"
            )
        strength = _enum(src, Strength, raw["strength"], line_of("strength"), f"indicator '{iid}': strength")
        if strength is Strength.UNRATED and complete:
            raise src.error(
                line_of("strength"),
                f"indicator '{iid}' is unrated but [meta] says the list is "
                "complete: give it a strength or set complete = false",
            )
        item_verification, item_source = _item_verification(src, raw, line_of, f"indicator '{iid}'", True)
        assert item_verification is not None
        verification = item_verification
        key = match.group("key")
        label_fr, label_fr_status = _french_label(src, raw, line_of, f"indicator '{iid}'", french_status)
        links = keys_crosswalk.get(key, {})
        items.append(
            Indicator(
                id=iid,
                key=key,
                dimension=dimension,
                strength=strength,
                label=_text(src, raw, "label", line_of("label"), f"indicator '{iid}'"),
                verification=verification,
                note=_text(src, raw, "note", line_of("note"), f"indicator '{iid}'", False),
                prompts=prompts.get(key, ()),
                ilo=links.get("ilo", ()),
                ircc=links.get("ircc", ()),
                criminal_code=links.get("criminal_code", ()),
                label_fr=label_fr,
                label_fr_status=label_fr_status,
                source=item_source,
            )
        )
    by_id = {i.id: i for i in items}
    return DelphiList(
        id=meta["id"],
        name=meta["name"],
        population=population,
        exploitation=exploitation,
        version=meta["version"],
        verification=Verification(meta["verification"]),
        verification_note=str(meta.get("verification_note", "")),
        complete=complete,
        sources=tuple(meta["sources"]),
        dimension_rule_verification=rule_verifications[0],
        identification_rule_verification=rule_verifications[1],
        dimensions=tuple(dims),
        indicators=tuple(items),
        path=path,
        by_id=by_id,
        by_key={i.key: i for i in items},
        by_dimension={d.id: tuple(i for i in items if i.dimension == d.id) for d in dims},
        name_fr=name_fr,
        french_status=french_status,
        french_source=french_source,
        checked=tuple(meta.get("checked", ())),
    )


def _load_criteria(path: Path) -> CriteriaSet:
    src = _Source(path)
    meta = _meta(src, "criteria", {"match", "authorities"} | _FRENCH_META_KEYS)
    name_fr, french_status, french_source = _french_meta(src, meta)
    raw = src.data.get("criteria")
    if not isinstance(raw, list) or not raw:
        raise src.error(None, "missing [[criteria]] entries")
    criteria: list[Criterion] = []
    for index, entry in enumerate(raw):

        def line_of(key: str | None, i: int = index) -> int | None:
            return src.entry_key_line("criteria", i, key)

        if not isinstance(entry, dict):
            raise src.error(line_of(None), "each criterion must be a [[criteria]] table")
        cid = _text(src, entry, "id", line_of("id"), "criterion")
        _unknown_keys(
            src,
            entry,
            {"id", "label", "description", "label_fr", "label_fr_status", "verification", "source"},
            line_of,
            f"criterion '{cid}'",
        )
        own_verification, own_source = _item_verification(src, entry, line_of, f"criterion '{cid}'", False)
        if any(c.id == cid for c in criteria):
            raise src.error(line_of("id"), f"duplicate criterion id '{cid}'")
        label_fr, label_fr_status = _french_label(src, entry, line_of, f"criterion '{cid}'", french_status)
        criteria.append(
            Criterion(
                cid,
                _text(src, entry, "label", line_of("label"), f"criterion '{cid}'"),
                _text(src, entry, "description", line_of("description"), f"criterion '{cid}'"),
                label_fr,
                label_fr_status,
                own_verification,
                own_source,
            )
        )
    return CriteriaSet(
        meta["id"],
        meta["name"],
        meta["version"],
        Verification(meta["verification"]),
        str(meta.get("verification_note", "")),
        tuple(meta["sources"]),
        tuple(criteria),
        path,
        name_fr,
        french_status,
        french_source,
        tuple(meta.get("checked", ())),
        _authorities(src, meta),
    )


def _item_table(src: _Source) -> dict[str, Any]:
    items = src.data.get("items")
    if not isinstance(items, dict) or not items:
        raise src.error(src.table_line("items"), "missing [items] table")
    for key in items:
        if not _ITEM_KEY.match(key):
            raise src.error(src.key_line(key), f"item key '{key}' must be a Delphi item number like \"5.01\"")
    return items


def _load_prompts(path: Path) -> tuple[dict[str, tuple[str, ...]], str, _Source]:
    src = _Source(path)
    meta = _meta(src, "prompts")
    prompts: dict[str, tuple[str, ...]] = {}
    for key, value in _item_table(src).items():
        if (
            not isinstance(value, list)
            or not value
            or not all(isinstance(p, str) and p.strip() for p in value)
        ):
            raise src.error(src.key_line(key), f"prompts for {key} must be a list of at least one question")
        prompts[key] = tuple(p.strip() for p in value)
    return prompts, str(meta.get("verification_note", "")), src


def _load_crosswalk(
    path: Path, criteria: Mapping[str, CriteriaSet]
) -> tuple[dict[str, dict[str, tuple[str, ...]]], Verification, str, _Source]:
    src = _Source(path)
    meta = _meta(src, "crosswalk")
    known = {name: {c.id for c in cs.criteria} for name, cs in criteria.items()}
    result: dict[str, dict[str, tuple[str, ...]]] = {}
    for key, value in _item_table(src).items():
        line = src.key_line(key)
        if not isinstance(value, dict):
            raise src.error(line, f"crosswalk for {key} must be a table like {{ ilo = [...], ircc = [...] }}")
        entry: dict[str, tuple[str, ...]] = {}
        for set_name, ids in value.items():
            if set_name not in known:
                raise src.error(
                    line, f"crosswalk for {key}: unknown set '{set_name}' (use {', '.join(known)})"
                )
            if not isinstance(ids, list):
                raise src.error(line, f"crosswalk for {key}: '{set_name}' must be a list of ids")
            for cid in ids:
                if cid not in known[set_name]:
                    raise src.error(
                        line, f"crosswalk for {key}: '{cid}' is not an id in {criteria[set_name].path.name}"
                    )
            entry[set_name] = tuple(ids)
        result[key] = entry
    return result, Verification(meta["verification"]), str(meta.get("verification_note", "")), src


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
    crosswalk, cw_verification, cw_note, cw_src = _load_crosswalk(
        directory / f"{CROSSWALK_FILE}.toml", criteria
    )
    prompts, prompts_note, prompt_src = _load_prompts(directory / f"{PROMPTS_FILE}.toml")
    delphi = {stem: _load_delphi(directory / f"{stem}.toml", crosswalk, prompts) for stem in DELPHI_FILES}
    all_keys = {i.key for lst in delphi.values() for i in lst.indicators}
    for key in crosswalk:
        if key not in all_keys:
            raise cw_src.error(cw_src.key_line(key), f"item {key} is in no Delphi list")
    for key in prompts:
        if key not in all_keys:
            raise prompt_src.error(prompt_src.key_line(key), f"item {key} is in no Delphi list")
    for key in sorted(all_keys):
        if key not in prompts:
            users = ", ".join(lst.id for lst in delphi.values() if key in lst.by_key)
            raise prompt_src.error(
                prompt_src.table_line("items"),
                f"no prompts for item {key} (used by {users}): every indicator needs at "
                "least one open question",
            )
    return Frameworks(
        delphi=delphi,
        criteria=criteria,
        crosswalk_verification=cw_verification,
        crosswalk_note=cw_note,
        prompts_note=prompts_note,
        directory=directory,
    )
