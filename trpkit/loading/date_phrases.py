"""Reading and checking the date-phrase files into :class:`~trpkit.domain.fuzzy_dates.phrases.LanguageData`.

Each file is checked against its model (:mod:`trpkit.loading.date_phrase_models`); then the rules that
join fields or files: the language matching the file name, all twelve months named, holidays that
``holidays.toml`` defines, patterns that compile. :func:`install` makes :class:`PhraseFiles` the
fuzzy-date parser's source (the CLI, the app and the tests call it at start-up); files are read when
first asked for, once per folder. pydantic is imported only then, so ``install`` is cheap.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from trpkit.domain.fuzzy_dates.phrases import (
    Holiday,
    LanguageData,
    PhraseDataError,
    compile_pattern,
    longest_first,
    normalise,
    use_phrase_source,
)
from trpkit.loading.errors import DataFileError

if TYPE_CHECKING:
    from collections.abc import Callable

    from pydantic import BaseModel

    from trpkit.loading import date_phrase_models as dm
    from trpkit.loading.source import TomlFile

    _Fail = Callable[..., "PhraseFileError"]

HOLIDAYS_FILE = "holidays.toml"
M = TypeVar("M", bound="BaseModel")


class PhraseFileError(DataFileError, PhraseDataError):
    """A bad phrase file: a DataFileError for ``trpkit data check``, a PhraseDataError for the parser,
    which keeps the words of a phrase it cannot read rather than fail."""


def _checked(path: Path, model: type[M]) -> tuple[TomlFile, M]:
    from trpkit.loading.source import read_toml
    from trpkit.loading.validate import validate

    try:
        source = read_toml(path)
        return source, validate(source, model, {("holiday",): ("holiday", "")})
    except DataFileError as exc:
        raise PhraseFileError(exc.path, exc.line, exc.problem, exc.field) from None


def load_holidays(path: Path) -> dict[str, Holiday]:
    """The holidays of ``holidays.toml``, by id; each must give a real day (checked for 2020)."""
    from trpkit.loading import date_phrase_models as dm

    src, data = _checked(path, dm.HolidaysFile)
    found: dict[str, Holiday] = {}
    for hid, e in data.holiday.items():
        holiday = Holiday(hid, e.rule, e.month or 0, e.day or 0, e.offset, e.weekday, e.n, e.span)
        try:
            holiday.occurrence(2020)
        except ValueError as exc:
            raise PhraseFileError(path, src.line(("holiday", hid)), str(exc), f"holiday '{hid}'") from None
        found[hid] = holiday
    return found


def load_language(path: Path, holidays: Collection[str]) -> LanguageData:
    """The phrase file ``path`` (``<lang>.toml``); ``holidays`` are the ids ``holidays.toml`` defines."""
    from trpkit.loading import date_phrase_models as dm

    src, data = _checked(path, dm.LanguageFile)

    def fail(loc: tuple[str, ...], problem: str, what: str | None = None) -> PhraseFileError:
        return PhraseFileError(path, src.line(loc), problem, what)

    if data.meta.language != path.stem:
        raise fail(
            ("meta", "language"),
            f"language '{data.meta.language}' does not match the file name '{path.stem}'",
            "[meta] field 'language'",
        )
    if set(data.months.values()) != set(range(1, 13)):
        missing = sorted(set(range(1, 13)) - set(data.months.values()))
        raise fail(
            ("months",), f"[months] must name all twelve months (missing {', '.join(map(str, missing))})"
        )
    for name, hid in data.holidays.items():
        if hid not in holidays:
            raise fail(
                ("holidays", name),
                f"refers to '{hid}', which {HOLIDAYS_FILE} does not define",
                f"field '{name}'",
            )
    return _language_data(path.stem, data, _patterns(data, fail))


def _patterns(data: dm.LanguageFile, fail: _Fail) -> dict[str, tuple[re.Pattern[str], ...]]:
    numbers = [*data.numbers, *data.approximate_numbers]
    patterns: dict[str, tuple[re.Pattern[str], ...]] = {}
    for kind in data.patterns.model_fields_set:
        compiled = []
        for index, pattern in enumerate(getattr(data.patterns, kind)):
            try:
                compiled.append(compile_pattern(pattern, numbers, data.units, data.decades))
            except KeyError as exc:
                raise fail(
                    ("patterns", kind, index),
                    f"pattern '{pattern}' uses an unknown placeholder {{{exc.args[0]}}}: "
                    "use {a} {b} {x} {n} {unit} {d}",
                    f"field '{kind}'",
                ) from None
            except re.error as exc:
                raise fail(
                    ("patterns", kind, index), f"pattern '{pattern}' is invalid: {exc}", f"field '{kind}'"
                ) from None
        patterns[kind] = tuple(compiled)
    return patterns


def _language_data(
    language: str, data: dm.LanguageFile, patterns: dict[str, tuple[re.Pattern[str], ...]]
) -> LanguageData:
    fmt = data.format
    parts = [
        (normalise(form), part) for part in ("early", "mid", "late") for form in getattr(data.parts, part)
    ]
    return LanguageData(
        language=language,
        date_order=data.meta.date_order,
        months={normalise(k): v for k, v in data.months.items()},
        seasons={normalise(k): v for k, v in data.seasons.items()},
        holidays={normalise(k): v for k, v in data.holidays.items()},
        approximate=longest_first(data.words.approximate),
        uncertain=longest_first(data.words.uncertain),
        fillers=longest_first(data.words.fillers),
        connectors=frozenset(normalise(w) for w in data.words.connectors) | {","},
        ordinal_suffixes=longest_first(data.words.ordinal_suffixes),
        parts=tuple(sorted(parts, key=lambda p: -len(p[0]))),
        numbers={normalise(k): v for k, v in data.numbers.items()},
        approximate_numbers={normalise(k): v for k, v in data.approximate_numbers.items()},
        units={normalise(k): v for k, v in data.units.items()},
        decades={normalise(k): v for k, v in data.decades.items()},
        patterns=patterns,
        formats={k: v for k, v in fmt.model_dump().items() if isinstance(v, str)},
        season_names=fmt.season_names.model_dump(),
        month_names=tuple(fmt.month_names),
        anchors={k: tuple(normalise(x) for x in v) for k, v in data.anchors.items()},
        season_names_det=fmt.season_names_det.model_dump() if fmt.season_names_det else {},
        season_names_in=fmt.season_names_in.model_dump() if fmt.season_names_in else {},
        elision=dict(fmt.elision),
    )


# Read once per folder (TRPKIT_CHECKLISTS_DIR may name another): the parser asks for a language's data
# several times per phrase, so a lookup must not even stat the file.
@lru_cache(maxsize=8)
def _holidays_at(folder: Path) -> dict[str, Holiday]:
    return load_holidays(folder / HOLIDAYS_FILE)


@lru_cache(maxsize=64)
def _language_at(folder: Path, code: str) -> LanguageData | None:
    path = folder / f"{code}.toml"
    return load_language(path, _holidays_at(folder)) if path.is_file() else None


class PhraseFiles:
    """The phrase files of the checklists folder (``TRPKIT_CHECKLISTS_DIR`` or the shipped one)."""

    def _folder(self) -> Path:
        from trpkit.paths import checklists_dir

        return checklists_dir() / "date_phrases"

    def holidays(self) -> Mapping[str, Holiday]:
        return _holidays_at(self._folder())

    def language(self, code: str) -> LanguageData | None:
        return _language_at(self._folder(), code)

    def languages(self) -> list[str]:
        return sorted(p.stem for p in self._folder().glob("*.toml") if p.name != HOLIDAYS_FILE)


def install() -> None:
    """Make the checklists folder's phrase files the fuzzy-date parser's source."""
    use_phrase_source(PhraseFiles())
