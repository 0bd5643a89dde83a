"""Checking a parsed file against its pydantic model, errors located by the shared line locator.

Models are strict (``extra="forbid"``, no coercion from text to numbers) so a typo in a key or a
quoted number is refused rather than guessed at. The first problem is reported: fixing files one
message at a time is what people do, and the line tells them where.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from trpkit.loading.source import TomlFile

M = TypeVar("M", bound=BaseModel)

# What every data-file model shares: unknown keys refused, no silent type conversion, frozen.
STRICT = ConfigDict(extra="forbid", strict=True, frozen=True, str_strip_whitespace=True)

# Names an entry for a message: ("indicators", 5) -> "indicator 'AL-4.06'".
Describe = Callable[[Sequence[str | int]], str | None]


def validate(source: TomlFile, model: type[M], describe: Describe | None = None) -> M:
    """``source.data`` as ``model``; the first problem becomes a :class:`DataFileError`."""
    try:
        return model.model_validate(source.data)
    except ValidationError as exc:
        raise located(source, exc, describe) from None


def located(source: TomlFile, exc: ValidationError, describe: Describe | None = None) -> Exception:
    error = exc.errors(include_url=False)[0]
    loc: tuple[str | int, ...] = tuple(p for p in error["loc"] if isinstance(p, str | int))
    loc = _drop_validator_names(loc)
    field = _field_name(loc, describe)
    return source.error(loc, problem(error), field)


def _drop_validator_names(loc: tuple[str | int, ...]) -> tuple[str | int, ...]:
    # pydantic puts the union member or the tag in the path ("function-after[...]"): not a TOML key.
    return tuple(p for p in loc if not (isinstance(p, str) and ("[" in p or p.startswith("function-"))))


def _field_name(loc: tuple[str | int, ...], describe: Describe | None) -> str | None:
    if not loc:
        return None
    keys = [p for p in loc if isinstance(p, str)]
    entry = describe(loc) if describe else None
    field = f"field '{keys[-1]}'" if keys else None
    if entry and field:
        return f"{entry} {field}"
    return entry or field


def problem(error: Mapping[str, Any]) -> str:
    """pydantic's message in the words a person fixing a TOML file needs."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return "missing: add it"
    if kind == "extra_forbidden":
        return "unknown key: remove it or check its spelling"
    if kind in ("enum", "literal_error"):
        expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
        return f"'{error.get('input')}' is not allowed: must be one of {expected}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "too_short":
        return (
            f"needs at least {ctx.get('min_length', 1)} entr{'y' if ctx.get('min_length', 1) == 1 else 'ies'}"
        )
    if kind in ("greater_than", "greater_than_equal"):
        bound = ctx.get("gt", ctx.get("ge"))
        return f"must be {'more than' if kind == 'greater_than' else 'at least'} {bound}, not {error.get('input')!r}"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    expected = {
        "string_type": "text in quotes",
        "int_type": "a whole number (without quotes)",
        "bool_type": "true or false (without quotes)",
        "float_type": "a number (without quotes)",
        "list_type": "a list [ ... ]",
        "dict_type": "a table",
        "model_type": "a table",
        "model_attributes_type": "a table",
    }.get(kind)
    if expected:
        return f"must be {expected}, not {error.get('input')!r}"
    return str(error["msg"])


def describe_entries(names: Mapping[str, tuple[str, str]], data: Mapping[str, Any]) -> Describe:
    """A ``describe`` for files made of ``[[array]]`` entries named by a key.

    ``names`` maps the array's key to (what one entry is called, the key that names it), e.g.
    ``{"indicators": ("indicator", "id")}`` gives "indicator 'AL-4.06'".
    """

    def describe(loc: Sequence[str | int]) -> str | None:
        if len(loc) >= 2 and isinstance(loc[0], str) and isinstance(loc[1], int) and loc[0] in names:
            what, key = names[loc[0]]
            entries = data.get(loc[0])
            if isinstance(entries, list) and loc[1] < len(entries) and isinstance(entries[loc[1]], dict):
                name = entries[loc[1]].get(key)
                if isinstance(name, str):
                    return f"{what} '{name}'"
            return f"{what} {loc[1] + 1}"
        if loc and loc[0] == "meta" and len(loc) > 1:
            return "[meta]"
        return None

    return describe
