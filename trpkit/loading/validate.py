"""Checking a parsed file against its pydantic model, errors located by the shared line locator.

Models refuse unknown keys and never convert between types (a quoted number or ``"yes"`` for a
boolean is refused, not guessed at). The first problem is reported: people fix files one message at
a time, and the line tells them where. A field's ``description`` is the hint a message gives.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic.fields import FieldInfo

from trpkit.loading.errors import DataFileError
from trpkit.loading.source import TomlFile

M = TypeVar("M", bound=BaseModel)

# Data files: unknown keys refused, text trimmed, models frozen. Booleans and whole numbers are
# declared StrictBool / StrictInt in the models (lax mode would read "yes" as true).
DATA = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

# Names the entries of ``[[array]]`` tables in messages: path of the array -> (what one entry is
# called, the key that names it), e.g. ("indicators",) -> ("indicator", "id") gives "indicator 'AL-4.06'".
# An empty key names the entries of a table of tables by their own key: ("period", "rules") -> ("rule", "")
# gives "period 'vtip-2025' rule 'fee_exempt'".
EntryNames = Mapping[tuple[str, ...], tuple[str, str]]


def validate(source: TomlFile, model: type[M], entries: EntryNames | None = None) -> M:
    """``source.data`` as ``model``; the first problem becomes a :class:`DataFileError`."""
    try:
        return model.model_validate(source.data)
    except ValidationError as exc:
        raise located(source, model, exc, entries or {}) from None


def located(
    source: TomlFile, model: type[BaseModel], exc: ValidationError, entries: EntryNames
) -> DataFileError:
    errors = exc.errors(include_url=False)
    # A misspelt key explains the "missing" one beside it: report unknown keys first.
    error = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
    loc = _in_data(source.data, error["loc"])
    # A value that fits no member of a union: the member it came closest to (the deepest place).
    for other in errors:
        other_loc = _in_data(source.data, other["loc"])
        if other_loc[: len(loc)] == loc and len(other_loc) > len(loc):
            error, loc = other, other_loc
    info = _field_at(model, loc)
    where = describe(source.data, loc, entries)
    return source.error(loc, problem(error, loc, info), where)


def _in_data(data: Any, raw: Sequence[Any]) -> tuple[str | int, ...]:
    """pydantic's path without what is not a TOML key: union members ("str", "list[str]"), "[key]"."""
    loc: list[str | int] = []
    node = data
    for part in raw:
        if isinstance(part, int) and isinstance(node, list):
            loc.append(part)
        elif isinstance(part, str) and isinstance(node, dict) and "[" not in part:
            loc.append(part)  # a key of this table (or one missing from it)
        else:
            continue
        node = _step(node, part)
    return tuple(loc)


def describe(data: Mapping[str, Any], loc: Sequence[str | int], entries: EntryNames) -> str | None:
    """``indicator 'AL-4.06' field 'strength'``, ``[meta] field 'sources'``, ``field 'reminder_days'``."""
    entry: str | None = None
    path: list[str] = []  # every key so far: finds nested arrays such as ("province", "region")
    keys: list[str] = []  # the keys since the last named entry
    node: Any = data
    for part in loc:
        if isinstance(part, int) and tuple(path) in entries:
            what, name_key = entries[tuple(path)]
            item = node[part] if isinstance(node, list) and part < len(node) else None
            name = item.get(name_key) if isinstance(item, dict) else None
            entry = f"{what} '{name}'" if isinstance(name, str) else f"{what} {part + 1}"
            keys = []
        elif isinstance(part, str) and entries.get(tuple(path), ("", None))[1] == "":
            entry = " ".join(x for x in (entry, f"{entries[tuple(path)][0]} '{part}'") if x)
            path.append(part)
            keys = []
        elif isinstance(part, str):
            path.append(part)
            keys.append(part)
        node = _step(node, part)
    if entry is None and len(loc) > 1 and loc[0] == "meta":
        entry, keys = "[meta]", keys[1:]
    field = f"field '{keys[-1]}'" if keys else None
    return " ".join(x for x in (entry, field) if x) or None


def _step(node: Any, part: str | int) -> Any:
    if isinstance(part, int):
        return node[part] if isinstance(node, list) and part < len(node) else None
    return node.get(part) if isinstance(node, dict) else None


def problem(error: Mapping[str, Any], loc: Sequence[str | int], info: FieldInfo | None) -> str:
    """pydantic's message in the words a person fixing a TOML file needs."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    hint = f" ({info.description})" if info is not None and info.description else ""
    value = error.get("input")
    if kind == "missing":
        return f"missing: add '{loc[-1]}'{hint}"
    if kind == "extra_forbidden":
        return f"unknown key '{loc[-1]}': remove it or check its spelling"
    if kind in ("enum", "literal_error"):
        expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
        return f"'{value}' is not allowed: use one of {expected}"
    if kind == "string_too_short" or (kind == "too_short" and not value):
        return f"must not be empty{hint}"
    if kind == "string_pattern_mismatch":
        return f"'{value}' is not {info.description if info and info.description else 'in the expected form'}"
    if kind in ("greater_than", "greater_than_equal"):
        bound = ctx.get("gt", ctx.get("ge"))
        bound = int(bound) if isinstance(bound, float) and bound.is_integer() else bound
        return f"must be {'more than' if kind == 'greater_than' else 'at least'} {bound}, not {value!r}"
    if kind in ("value_error", "assertion_error"):
        return str(ctx.get("error", error["msg"]))
    wanted = _EXPECTED.get(kind)
    if wanted:
        return f"must be {wanted}{hint}, not {value!r}"
    return str(error["msg"])


_EXPECTED = {
    "string_type": "text in quotes",
    "int_type": "a whole number (without quotes)",
    "bool_type": "true or false (without quotes)",
    "float_type": "a number (without quotes)",
    "date_type": "a date like 2025-02-04 (without quotes)",
    "list_type": "a list [ ... ]",
    "dict_type": "a table",
    "model_type": "a table",
    "model_attributes_type": "a table",
}


def _field_at(model: type[BaseModel], loc: Sequence[str | int]) -> FieldInfo | None:
    """The model field ``loc`` points at (for its description), following nested models, lists and dicts."""
    current: Any = model
    info: FieldInfo | None = None
    for part in loc:
        plain = _unwrap(current)
        if isinstance(part, str) and isinstance(plain, type) and issubclass(plain, BaseModel):
            info = plain.model_fields.get(part)
            if info is None:
                return None
            current = info.annotation
            continue
        current = _element(plain)  # a list index or a dict key: into the element type
        found = [m for m in typing.get_args(current)[1:] if isinstance(m, FieldInfo)]
        if typing.get_origin(current) is typing.Annotated and found:
            info = found[0]
    return info


def _unwrap(tp: Any) -> Any:
    """``Optional[X]`` / ``Annotated[X, ...]`` -> X."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(args) != 1:
                return tp
            tp = args[0]
        else:
            return tp


def _element(tp: Any) -> Any:
    """``list[X]`` -> X, ``dict[K, X]`` -> X."""
    args = typing.get_args(tp)
    return args[-1] if args else tp
