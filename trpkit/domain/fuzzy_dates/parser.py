"""The pre-parser: structured phrases, ranges, relative phrases, atoms and anchors, in a language's words."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import date, timedelta

from trpkit.domain.fuzzy_dates.anchors import _anchor_date
from trpkit.domain.fuzzy_dates.arithmetic import _part_bounds
from trpkit.domain.fuzzy_dates.atoms import (
    _atoms,
    _day_number,
    _number,
    _numeric,
    _strip_prefix,
    _strip_suffix,
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
from trpkit.domain.fuzzy_dates.relative import _age, _ago, _decade_phrase, _last_or_this, _offset
from trpkit.domain.fuzzy_dates.resolved import (
    _R,
    _Ctx,
    _day,
    _qualify,
    _widen,
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
    if kind in ("offset_after", "offset_before"):
        return _offset_phrase(kind, m, ctx)
    if kind == "ago":
        return _ago(m, ctx)
    if kind == "age":
        return _age(m, ctx)
    if kind == "decade":
        return _decade_phrase(m, ctx)
    return _last_or_this(kind, m, ctx)


def _offset_phrase(kind: str, m: re.Match[str], ctx: _Ctx) -> _R | None:
    """ "two weeks after <a date or an anchor>": the target is parsed like any phrase (hence here)."""
    data = ctx.data
    assert data is not None
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
