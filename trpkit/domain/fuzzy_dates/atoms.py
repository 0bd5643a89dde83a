"""Atoms of a phrase: numbers, numeric and ISO dates, month/season/holiday words, "last Monday"."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import Any

from trpkit.domain.fuzzy_dates.arithmetic import _part_bounds
from trpkit.domain.fuzzy_dates.model import Precision
from trpkit.domain.fuzzy_dates.phrases import (
    PARTS,
    SEASON_BY_CODE,
    LanguageData,
)
from trpkit.domain.fuzzy_dates.resolved import (
    _R,
    _Ctx,
    _day,
    _holiday,
    _month,
    _season,
    _year,
)


def _strip_prefix(s: str, forms: tuple[str, ...]) -> tuple[str, bool]:
    for form in forms:
        if s == form:
            return "", True
        if s.startswith(form + " ") or (form.endswith(("'", "-")) and s.startswith(form)):
            return s[len(form) :].strip(), True
    return s, False


def _strip_suffix(s: str, forms: tuple[str, ...]) -> tuple[str, bool]:
    for form in forms:
        if s.endswith(" " + form):
            return s[: -len(form) - 1].strip(), True
    return s, False


def _number(text: str, data: LanguageData | None) -> tuple[int, bool] | None:
    text = text.strip()
    if text.isdigit():
        return int(text), False
    if data is None:
        return None
    if text in data.numbers:
        return data.numbers[text], False
    if text in data.approximate_numbers:
        return data.approximate_numbers[text], True
    return None


def atom_kind(x: str, ctx: _Ctx) -> tuple[str | None, Any]:
    data = ctx.data
    assert data is not None
    x = x.strip().rstrip(".")
    for conn in ("the ",):
        x = x.removeprefix(conn)
    toks = [t for t in _holiday_tokens(x, data).split() if t not in data.connectors]
    if len(toks) != 1:
        return None, None
    t = toks[0]
    if t.startswith("§h:"):
        return "holiday", t[3:]
    if t in data.months:
        return "month", data.months[t]
    if t in data.seasons:
        return "season", data.seasons[t]
    return None, None


def _build_atom(kind: str, value: Any, year: int) -> _R | None:
    if kind == "month":
        return _month(year, value)
    if kind == "season":
        return _season(year, value)
    if kind == "holiday":
        return _holiday(year, value)
    return None


def _holiday_tokens(s: str, data: LanguageData) -> str:
    for name in sorted(data.holidays, key=len, reverse=True):
        if name in s:
            s = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", f" §h:{data.holidays[name]} ", s)
    return re.sub(r"\s+", " ", s).strip()


_ISO_DAY = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")


_ISO_MONTH = re.compile(r"^(\d{4})[-/](\d{1,2})$")


_NUMERIC = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})$")


_MONTH_YEAR = re.compile(r"^(\d{1,2})[/.-](\d{4})$")


_YEAR = re.compile(r"^(\d{4})$")


_EDTF_SEASON = re.compile(r"^(\d{4})-(2[1-4]|3[7-9])$")


def _numeric(s: str, ctx: _Ctx) -> _R | None:
    """Language-independent numeric forms: ISO dates, day/month/year by the language's order, years."""
    s = s.replace(" ", "")
    if m := _YEAR.match(s):
        return _year(int(m.group(1))) if 1000 <= int(m.group(1)) <= 2999 else None
    if m := _ISO_DAY.match(s):
        return _day(date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
    if m := _EDTF_SEASON.match(s):
        year, code = int(m.group(1)), int(m.group(2))
        if code <= 24:
            return _season(year, SEASON_BY_CODE[code])
        lo, hi = _part_bounds(date(year, 1, 1), date(year, 12, 31), PARTS[code - 37], Precision.YEAR)
        return _R(lo, hi, Precision.SEASON, f"{year:04d}-{code}")
    if m := _ISO_MONTH.match(s):
        return _month(int(m.group(1)), int(m.group(2)))
    if m := _MONTH_YEAR.match(s):
        return _month(int(m.group(2)), int(m.group(1)))
    if m := _NUMERIC.match(s):
        order = ctx.data.date_order if ctx.data else "DMY"
        parts = (
            dict(zip(order, (m.group(1), m.group(2), m.group(3)), strict=True)) if order[2] == "Y" else None
        )
        if parts is None:
            return None
        year = int(parts["Y"])
        if year < 100:
            year += 2000 if year <= ctx.base.year % 100 else 1900
        day, month = int(parts["D"]), int(parts["M"])
        r = _day(date(year, month, day))
        # 03/04/2019 could be either order: keep the language's reading but say it is uncertain
        return replace(r, uncertain=day <= 12 and month <= 12 and day != month)
    return None


def _atoms(s: str, ctx: _Ctx) -> _R | None:
    """A plain date made of words and numbers: "14 March 2019", "el verano de 2019", "Noël 2018"."""
    data = ctx.data
    assert data is not None
    toks = _holiday_tokens(s, data).replace("/", " / ").split()
    day = month = year = None
    season = holiday = None
    year_pair: tuple[int, int] | None = None
    for tok in toks:
        tok = tok.rstrip(".")
        if not tok or tok in data.connectors:
            continue
        if tok.startswith("§h:"):
            if holiday:
                return None
            holiday = tok[3:]
        elif re.fullmatch(r"\d{4}", tok) and 1000 <= int(tok) <= 2999:
            if year is not None:
                return None
            year = int(tok)
        elif m := re.fullmatch(r"(\d{4})[-/](\d{4})", tok):
            year_pair = (int(m.group(1)), int(m.group(2)))
        elif tok in data.months:
            if month:
                return None
            month = data.months[tok]
        elif tok in data.seasons:
            if season:
                return None
            season = data.seasons[tok]
        else:
            num = _day_number(tok, data)
            if num is None or day is not None:
                return None
            day = num
    if year_pair:
        # "winter 2018-2019": the winter that ends in the second year
        if season == "winter" and year is None and year_pair[1] == year_pair[0] + 1 and not (day or month):
            return _season(year_pair[1], "winter")
        return None
    kinds = sum(x is not None for x in (month, season, holiday))
    if kinds > 1 or (day is not None and month is None):
        return None
    if kinds == 0:
        return _year(year) if year is not None and day is None else None
    if year is None:
        return _most_recent(month, season, holiday, day, ctx)
    if month is not None:
        return _day(date(year, month, day)) if day is not None else _month(year, month)
    if season is not None:
        return _season(year, season)
    return _holiday(year, holiday)  # type: ignore[arg-type]


def _day_number(tok: str, data: LanguageData) -> int | None:
    for suffix in ("", *data.ordinal_suffixes):
        if suffix and not tok.endswith(suffix):
            continue
        core = tok[: len(tok) - len(suffix)] if suffix else tok
        if core.isdigit() and 1 <= int(core) <= 31:
            return int(core)
    return None


def _most_recent(
    month: int | None, season: str | None, holiday: str | None, day: int | None, ctx: _Ctx
) -> _R | None:
    """No year given ("in March"): the most recent one up to the meeting date, flagged uncertain."""
    base = ctx.base
    for y in (base.year, base.year - 1):
        if month is not None:
            r = _day(date(y, month, day)) if day is not None else _month(y, month)
        elif season is not None:
            r = _season(y, season)
        else:
            r = _holiday(y, holiday)  # type: ignore[arg-type]
        if r.earliest is not None and r.earliest <= base:
            return replace(r, has_year=False)
    return None
