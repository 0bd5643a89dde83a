"""The pre-parser: structured phrases, ranges, relative phrases, atoms and anchors, in a language's words."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import date, timedelta

from trpkit.domain.fuzzy_dates.anchors import _anchor_date, _lookup_anchor
from trpkit.domain.fuzzy_dates.arithmetic import _part_bounds, add_months
from trpkit.domain.fuzzy_dates.atoms import (
    _atoms,
    _build_atom,
    _day_number,
    _number,
    _numeric,
    _strip_prefix,
    _strip_suffix,
    atom_kind,
)
from trpkit.domain.fuzzy_dates.edtf import _covering_edtf
from trpkit.domain.fuzzy_dates.fallback import _dateparser
from trpkit.domain.fuzzy_dates.model import DateStatus, FuzzyDate, Precision
from trpkit.domain.fuzzy_dates.phrases import (
    _RANK,
    PARTS,
    LanguageData,
    PhraseDataError,
    language_data,
    normalise,
)
from trpkit.domain.fuzzy_dates.relative import _offset
from trpkit.domain.fuzzy_dates.resolved import (
    _R,
    _Ctx,
    _day,
    _decade,
    _month,
    _qualify,
    _span_edtf,
    _widen,
    _year,
)

_STRIP = " \t.;:!\"'()[]«»“”"


def parse_fuzzy(
    text: str,
    language: str = "en",
    relative_to: date | None = None,
    anchors: Mapping[str, FuzzyDate] | None = None,
) -> FuzzyDate:
    return _parse_fuzzy(text, language, relative_to, anchors, fallback=True)


def _parse_fuzzy(
    text: str,
    language: str,
    relative_to: date | None,
    anchors: Mapping[str, FuzzyDate] | None,
    fallback: bool,
) -> FuzzyDate:
    """Read a date phrase. Never raises on bad text: returns status "unparsed" with the original kept.

    Relative phrases ("two years ago", "last November") count from ``relative_to`` (the date of the
    meeting where it was said; today when not given). ``anchors`` maps names of other events
    ("arrival_canada", "birth", or words like "arriving in Canada") to their dates, for phrases
    such as "two weeks after arriving in Canada" or "when I was 15".
    """
    original = text if isinstance(text, str) else str(text)
    language = (language or "en").strip().lower().replace("_", "-")
    try:
        if "-" in language and language_data(language) is None:  # "fr-ca" -> "fr"
            language = language.split("-")[0]
        if language == "fil":
            language = "tl"
        data = language_data(language)
        ctx = _Ctx(
            data, language, relative_to or date.today(), anchors or {}, fallback=fallback or data is None
        )
        result = _parse(original, ctx)
    except (ValueError, OverflowError, KeyError, IndexError, PhraseDataError, ImportError):
        result = None
    if result is None or (result.earliest is None and result.latest is None):
        return FuzzyDate.unparsed(original, language)
    if result.earliest and result.latest and result.earliest > result.latest:
        return FuzzyDate.unparsed(original, language)
    result = _covering_edtf(result)
    return FuzzyDate(
        original=original,
        language=language,
        edtf=_qualify(result.edtf, result.approximate, result.uncertain),
        earliest=result.earliest,
        latest=result.latest,
        precision=result.precision,
        approximate=result.approximate,
        uncertain=result.uncertain or not result.has_year,
        status=DateStatus.PARSED,
    )


def _parse(text: str, ctx: _Ctx) -> _R | None:
    s = normalise(text).strip(_STRIP)
    uncertain = False
    while s.endswith("?"):
        s, uncertain = s[:-1].strip(_STRIP), True
    return _expr(s, ctx, uncertain=uncertain)


def _expr(s: str, ctx: _Ctx, *, approximate: bool = False, uncertain: bool = False) -> _R | None:
    """Qualifiers (around, maybe), then the structures, then the plain date."""
    if ctx.depth > 6 or not s:
        return None
    data = ctx.data
    if data is not None:
        changed = True
        while changed:
            changed = False
            s, hit = _strip_prefix(s, data.uncertain)
            if not hit:
                s, hit = _strip_suffix(s, data.uncertain)
            if hit:
                uncertain = changed = True
            s, hit = _strip_prefix(s, data.approximate)
            if not hit:
                s, hit = _strip_suffix(s, data.approximate)
            if hit:
                approximate = changed = True
    r = _structure(s, replace(ctx, depth=ctx.depth + 1), approximate)
    if r is None:
        return None
    if approximate and not r.approximate:
        r = _widen(r)
    return replace(r, uncertain=r.uncertain or uncertain)


def _structure(s: str, ctx: _Ctx, approximate: bool) -> _R | None:
    data = ctx.data
    candidates = [s]
    if data is not None:  # also try without leading filler words ("in", "el", "au")
        t = s
        while True:
            t, hit = _strip_prefix(t, data.fillers)
            if not hit or not t:
                break
            candidates.append(t)
    for cand in candidates:
        r = _numeric(cand, ctx)
        if r is None and data is not None:
            r = (
                _relative_patterns(cand, ctx)
                or _part(cand, ctx)
                or _atoms(cand, ctx)
                or _range_patterns(cand, ctx, approximate)
            )
        if r is not None:
            return r
    # dateparser only for the whole phrase
    return _dateparser(s, ctx) if ctx.depth <= 1 and ctx.fallback else None


def _match(kind: str, s: str, data: LanguageData) -> re.Match[str] | None:
    for pattern in data.patterns.get(kind, ()):
        m = pattern.match(s)
        if m:
            return m
    return None


def _relative_patterns(s: str, ctx: _Ctx) -> _R | None:
    data = ctx.data
    assert data is not None
    for kind in ("ago", "offset_after", "offset_before", "age", "decade", "last", "previous_year", "this"):
        m = _match(kind, s, data)
        if m is None:
            continue
        r = _relative(kind, m, ctx)
        if r is not None:
            return r
    return None


def _range_patterns(s: str, ctx: _Ctx, approximate: bool) -> _R | None:
    data = ctx.data
    assert data is not None
    for kind in ("range", "alternative"):
        r = _range(kind, s, ctx, approximate)
        if r is not None:
            return r
    for kind in ("before", "after"):
        m = _match(kind, s, data)
        if m is None:
            continue
        inner = _expr(m.group("x"), ctx) or _anchor_date(m.group("x"), ctx)
        if inner is None:
            continue
        if kind == "before":
            latest = inner.earliest - timedelta(days=1) if inner.earliest else None
            return _R(None, latest, inner.precision, f"../{inner.edtf}", has_year=inner.has_year)
        earliest = inner.latest + timedelta(days=1) if inner.latest else None
        return _R(earliest, None, inner.precision, f"{inner.edtf}/..", has_year=inner.has_year)
    return None


def _split_points(kind: str, s: str, data: LanguageData) -> list[tuple[str, str]]:
    """Every (a, b) split a range pattern allows (a lazy group alone would miss "2017 - 2018 - ...")."""
    out: list[tuple[str, str]] = []
    for pattern in data.patterns.get(kind, ()):
        m = pattern.match(s)
        if not m:
            continue
        out.append((m.group("a"), m.group("b")))
    return out


def _range(kind: str, s: str, ctx: _Ctx, approximate: bool) -> _R | None:
    data = ctx.data
    assert data is not None
    for a_text, b_text in _split_points(kind, s, data):
        b = _expr(b_text, ctx, approximate=approximate)
        if b is None:
            continue
        a = _expr(a_text, ctx, approximate=approximate)
        day = _day_number(a_text.strip(), data)
        if day is not None and b.precision is Precision.DAY and b.earliest is not None and b.has_year:
            # "du 3 au 10 mai 2019", "from the 3rd to the 10th of May": the day borrows month and year
            a = _day(date(b.earliest.year, b.earliest.month, day))
        if (a is None or not a.has_year) and b.has_year and b.latest is not None:
            # "from May to August 2019", "entre mayo y agosto de 2019": the left side borrows the year
            plain_b = _expr(b_text, ctx) if approximate else b
            if plain_b is None or plain_b.latest is None:
                continue
            year = plain_b.latest.year
            for y in (year, year - 1):
                plain = _expr(f"{a_text} {y}", ctx)
                if plain is not None and plain.earliest and plain.earliest <= plain_b.latest:
                    a = _expr(f"{a_text} {y}", ctx, approximate=approximate)
                    break
        if a is None or a.earliest is None or b.latest is None or a.earliest > b.latest:
            continue
        precision = max(a.precision, b.precision, key=lambda p: _RANK[p])
        edtf = f"{a.edtf}/{b.edtf}"
        return _R(
            a.earliest,
            b.latest,
            precision,
            edtf,
            approximate=a.approximate or b.approximate,
            uncertain=kind == "alternative" or a.uncertain or b.uncertain,
            has_year=a.has_year and b.has_year,
        )
    return None


def _relative(kind: str, m: re.Match[str], ctx: _Ctx) -> _R | None:
    data = ctx.data
    assert data is not None
    base = ctx.base
    if kind == "ago":
        num = _number(m.group("n"), data)
        if num is None:
            return None
        unit = data.units[m.group("unit")]
        return _offset(base, base, unit, -num[0], num[1], Precision.DAY)
    if kind in ("offset_after", "offset_before"):
        num = _number(m.group("n"), data)
        if num is None:
            return None
        unit = data.units[m.group("unit")]
        target = _expr(m.group("x"), ctx) or _anchor_date(m.group("x"), ctx)
        if target is None or target.earliest is None or target.latest is None:
            return None
        sign = 1 if kind == "offset_after" else -1
        r = _offset(target.earliest, target.latest, unit, sign * num[0], num[1], target.precision)
        return replace(r, uncertain=target.uncertain)
    if kind == "age":
        num = _number(m.group("n"), data)
        birth = _lookup_anchor("birth", ctx)
        if num is None or birth is None or birth.earliest is None or birth.latest is None:
            return None
        lo = add_months(birth.earliest, 12 * num[0])
        hi = add_months(birth.latest, 12 * (num[0] + 1)) - timedelta(days=1)
        return _R(
            lo,
            hi,
            Precision.YEAR,
            _span_edtf(lo, hi, Precision.YEAR),
            approximate=num[1] or birth.approximate,
        )
    if kind == "decade":
        d = m.group("d").lstrip("'")
        value = data.decades.get(d) if not d.isdigit() else int(d)
        if value is None:
            return None
        if value >= 100:
            if value % 10:
                return None
            return _decade(value)
        if value % 10:
            return None
        start = 2000 + value if 2000 + value <= base.year else 1900 + value
        return _decade(start)
    # last / previous_year / this: x is a month, season, holiday or unit
    x = m.group("x").strip()
    year = base.year - 1 if kind == "previous_year" else base.year
    if x in data.units:
        unit = data.units[x]
        if kind == "this":
            return (
                _year(base.year)
                if unit == "year"
                else _month(base.year, base.month)
                if unit == "month"
                else None
            )
        if kind == "previous_year":
            return None
        if unit == "year":
            return _year(base.year - 1)
        if unit == "month":
            prev = add_months(base, -1)
            return _month(prev.year, prev.month)
        if unit == "week":
            monday = base - timedelta(days=base.weekday() + 7)
            return _R(
                monday,
                monday + timedelta(days=6),
                Precision.DAY,
                _span_edtf(monday, monday + timedelta(days=6), Precision.DAY),
            )
        return _day(base - timedelta(days=1))
    kind_of, value = atom_kind(x, ctx)
    if kind_of is None:
        return None
    if kind in ("previous_year", "this"):
        return _build_atom(kind_of, value, year)
    # last: the most recent occurrence that is over (or, for a month, strictly before this month)
    for y in (base.year, base.year - 1, base.year - 2):
        occurrence = _build_atom(kind_of, value, y)
        if occurrence is None or occurrence.latest is None:
            return None
        if kind_of == "month" and (y, value) < (base.year, base.month):
            return occurrence
        if kind_of != "month" and occurrence.latest < base:
            return occurrence
    return None


def _part(s: str, ctx: _Ctx) -> _R | None:
    data = ctx.data
    assert data is not None
    for form, part in data.parts:
        if s == form:
            continue
        if s.startswith(form + " ") or (form.endswith(("'", "-")) and s.startswith(form)):
            rest = s[len(form) :].strip().lstrip("-").strip()
            inner = _expr(rest, ctx)
            if inner is None or inner.earliest is None or inner.latest is None or inner.approximate:
                continue
            if inner.precision not in (Precision.YEAR, Precision.MONTH, Precision.DECADE):
                continue
            lo, hi = _part_bounds(inner.earliest, inner.latest, part, inner.precision)
            if inner.precision is Precision.YEAR:
                edtf = f"{lo.year:04d}-{37 + PARTS.index(part)}"
                precision = Precision.SEASON
            elif inner.precision is Precision.MONTH:
                edtf, precision = f"{lo.isoformat()}/{hi.isoformat()}", Precision.MONTH
            else:
                edtf, precision = f"{lo.year:04d}/{hi.year:04d}", Precision.YEAR
            return _R(lo, hi, precision, edtf, uncertain=inner.uncertain, has_year=inner.has_year)
    return None
