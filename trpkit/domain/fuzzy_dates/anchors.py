"""Anchors: dates the person gave for events ("when we arrived"), found by their words."""

from __future__ import annotations

import re

from trpkit.domain.fuzzy_dates.model import FuzzyDate
from trpkit.domain.fuzzy_dates.phrases import (
    normalise,
)
from trpkit.domain.fuzzy_dates.resolved import (
    _R,
    _Ctx,
    _span_edtf,
)

_STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "of",
        "in",
        "to",
        "at",
        "on",
        "my",
        "me",
        "i",
        "we",
        "was",
        "were",
        "de",
        "la",
        "le",
        "les",
        "el",
        "los",
        "las",
        "en",
        "au",
        "du",
        "des",
        "l",
        "d",
        "a",
        "al",
        "do",
        "da",
        "no",
        "na",
        "que",
        "je",
        "j",
        "me",
        "mi",
        "yo",
        "y",
        "e",
        "et",
        "o",
        "ou",
        "to",
        "into",
        "from",
        "for",
    ]
)


def _stems(text: str) -> frozenset[str]:
    return frozenset(w[:5] for w in re.findall(r"\w+", normalise(text)) if w not in _STOP and len(w) > 1)


def _lookup_anchor(name: str, ctx: _Ctx) -> FuzzyDate | None:
    for key, value in ctx.anchors.items():
        if normalise(key) == name and value.is_parsed:
            return value
    return None


def _anchor_date(text: str, ctx: _Ctx) -> _R | None:
    """The date of another event named in the phrase ("arriving in Canada")."""
    fd = _find_anchor(text, ctx)
    if fd is None or fd.earliest is None or fd.latest is None:
        return None
    edtf = (fd.edtf or "").replace("~", "").replace("?", "").replace("%", "") or _span_edtf(
        fd.earliest, fd.latest, fd.precision
    )
    return _R(fd.earliest, fd.latest, fd.precision, edtf, approximate=fd.approximate, uncertain=fd.uncertain)


def _find_anchor(text: str, ctx: _Ctx) -> FuzzyDate | None:
    if not ctx.anchors:
        return None
    wanted = _stems(text)
    if not wanted:
        return None
    best: tuple[float, FuzzyDate] | None = None
    data = ctx.data
    for key, value in ctx.anchors.items():
        if not value.is_parsed:
            continue
        names = [key]
        if data is not None:  # an event-type key ("arrival_canada") also answers to its phrases
            names += list(data.anchors.get(key, ()))
        for name in names:
            have = _stems(name.replace("_", " "))
            if not have:
                continue
            overlap = len(have & wanted)
            score = overlap / len(have | wanted)
            if have <= wanted or wanted <= have:
                score += 1
            if overlap and score >= 0.5 and (best is None or score > best[0]):
                best = (score, value)
    return best[1] if best else None
