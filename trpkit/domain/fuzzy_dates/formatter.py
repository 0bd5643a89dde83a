"""Writing a fuzzy date back in a language, never more precisely than the data."""

from __future__ import annotations

import calendar
import re

from trpkit.domain.fuzzy_dates.model import FuzzyDate
from trpkit.domain.fuzzy_dates.phrases import (
    _ELISION_NEXT,
    PARTS,
    SEASON_BY_CODE,
    LanguageData,
    language_data,
)


def _fmt_data(language: str) -> LanguageData:
    data = language_data(language) or language_data("en")
    assert data is not None
    return data


def _fmt_day(year: int, month: int, day: int, data: LanguageData) -> str:
    f = data.formats
    shown: int | str = f["first_day"] if day == 1 and "first_day" in f else day
    return f["day"].format(day=shown, month=data.month_names[month - 1], year=year)


# How a single date is written: alone (a list line, a table cell), "det" after "around", "between", "before"
# or "after" (with its article), "in" inside a sentence (with its preposition).
ALONE, DET, IN = "alone", "det", "in"


def _styled(kind: str, text: str, data: LanguageData, style: str) -> str:
    """``text`` as the ``{kind}_{style}`` form says ("le {x}", "en {x}"), when the language has one."""
    template = data.formats.get(f"{kind}_{style}") if style != ALONE else None
    return template.format(x=text) if template else text


def _fmt_part(part: str, x: str, data: LanguageData, style: str) -> str:
    """ "early 2019" / "début 2019"; "le début de 2019" after "vers"; "au début de 2019" in a sentence."""
    f = data.formats
    template = f.get(f"{part}_{style}") if style != ALONE else None
    return (template or f[part]).format(x=x)


def _fmt_value(v: str, data: LanguageData, style: str = ALONE) -> str | None:
    f = data.formats
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", v):
        return _styled("day", _fmt_day(int(m.group(1)), int(m.group(2)), int(m.group(3)), data), data, style)
    if m := re.fullmatch(r"(\d{4})-(\d{2})", v):
        year, code = int(m.group(1)), int(m.group(2))
        if 1 <= code <= 12:
            month = f["month"].format(month=data.month_names[code - 1], year=year)
            return _styled("month", month, data, style) if style == IN else month
        if code in SEASON_BY_CODE:
            forms = {DET: data.season_names_det, IN: data.season_names_in}.get(style) or data.season_names
            return f["season"].format(season=forms[SEASON_BY_CODE[code]], year=year)
        if 37 <= code <= 39:
            return _fmt_part(PARTS[code - 37], str(year), data, style)
        return None
    if m := re.fullmatch(r"(\d{4})", v):
        year_text = str(int(m.group(1)))
        return _styled("year", year_text, data, style) if style == IN else year_text
    if m := re.fullmatch(r"(\d{3})X", v):
        decade = f["decade"].format(decade=int(m.group(1)) * 10)
        return _styled("decade", decade, data, style) if style == IN else decade
    return None


def _month_part(a: str, b: str) -> tuple[str, int, int] | None:
    """(part, year, month) when a/b is the early, mid or late third of one month."""
    ma, mb = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", a), re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", b)
    if not (ma and mb and ma.group(1, 2) == mb.group(1, 2)):
        return None
    year, month = int(ma.group(1)), int(ma.group(2))
    if not 1 <= month <= 12:
        return None
    lo, hi = int(ma.group(3)), int(mb.group(3))
    last = calendar.monthrange(year, month)[1]
    for part, (plo, phi) in zip(PARTS, ((1, 10), (11, 20), (21, last)), strict=True):
        if (lo, hi) == (plo, phi):
            return part, year, month
    return None


def _fmt_interval(a: str, b: str, data: LanguageData, style: str = ALONE) -> str | None:
    f = data.formats
    if a == ".." and b == "..":
        return None
    if a == b:  # "between 2025 and 2025" is just 2025
        return _fmt_value(a, data, style)
    if a == "..":
        inner = _fmt_value(b, data, DET)
        return f["before"].format(x=inner) if inner else None
    if b == "..":
        inner = _fmt_value(a, data, DET)
        return f["after"].format(x=inner) if inner else None
    if found := _month_part(a, b):
        part, year, month = found
        return _fmt_part(part, f["month"].format(month=data.month_names[month - 1], year=year), data, style)
    ma, mb = re.fullmatch(r"(\d{4})-(\d{2})", a), re.fullmatch(r"(\d{4})-(\d{2})", b)
    if ma and mb and ma.group(1) == mb.group(1) and int(ma.group(2)) <= 12 and int(mb.group(2)) <= 12:
        # "between May and August 2019": the year is said once
        return f["between"].format(a=data.month_names[int(ma.group(2)) - 1], b=_fmt_value(b, data))
    fa, fb = _fmt_value(a, data, DET), _fmt_value(b, data, DET)
    if fa is None or fb is None:
        return None
    return f["between"].format(a=fa, b=fb)


_ELISION: dict[int, re.Pattern[str]] = {}


def _elide(text: str, data: LanguageData) -> str:
    """Contract a word before a vowel or a mute h, as the language's [format] elision says ("d'avril")."""
    if not data.elision:
        return text
    pattern = _ELISION.get(id(data))
    if pattern is None:
        words = "|".join(re.escape(w) for w in sorted(data.elision, key=len, reverse=True))
        pattern = _ELISION[id(data)] = re.compile(
            rf"(?<![\w'’-])({words}) (?=[{_ELISION_NEXT}])", re.IGNORECASE
        )

    def contract(match: re.Match[str]) -> str:
        word = match.group(1)
        short = data.elision[word.lower()] if word.lower() in data.elision else data.elision[word]
        return short[0].upper() + short[1:] if word[0].isupper() else short

    return pattern.sub(contract, text)


def format_fuzzy(fd: FuzzyDate, language: str = "en", *, in_sentence: bool = False) -> str:
    """Write a date back in ``language`` at its own precision ("March 2019", "mars 2019",
    "around spring 2019", "vers le printemps 2019", "between 2017 and 2018"). Unparsed dates are shown
    as they were said.

    ``in_sentence`` writes the form that follows a verb, for languages whose phrase file gives one
    (French "arrivée en mars 2019", "au printemps 2019", "à l'été 2019", "au début de 2019", "le 15 mars
    2019"); others write the same as alone."""
    if not fd.is_parsed or not fd.edtf:
        return fd.original
    data = _fmt_data(language)
    core = fd.edtf
    sides = core.split("/")
    marks = {side[-1] for side in sides if side and side[-1] in "~?%"}
    clean = [side.rstrip("~?%") for side in sides]
    approximate = fd.approximate or bool(marks & {"~", "%"})
    uncertain = fd.uncertain or bool(marks & {"?", "%"})
    # after "around" the date takes its article ("vers le printemps 2019"), in languages that have one
    style = DET if approximate else IN if in_sentence else ALONE
    if len(clean) == 1:
        text = _fmt_value(clean[0], data, style)
    elif len(clean) == 2:
        text = _fmt_interval(clean[0], clean[1], data, style)
    else:
        text = None
    if text is None:
        return fd.original
    if approximate:
        # a part of a month is one date, not a range, in languages that give it an article ("vers la fin
        # d'août 2019"); others keep their range wording
        single = (
            len(clean) == 1
            or clean[0] == clean[1]
            or (
                len(clean) == 2
                and (part := _month_part(*clean)) is not None
                and f"{part[0]}_det" in data.formats
            )
        )
        text = data.formats["around" if single else "around_range"].format(x=text)
    if uncertain:
        text = data.formats["uncertain"].format(x=text)
    return _elide(text, data)


def describe_interval(fd: FuzzyDate) -> str:
    """ISO bounds for tables: "2019-03-01 – 2019-03-31", "? – 2018-12-31"."""
    lo = fd.earliest.isoformat() if fd.earliest else "?"
    hi = fd.latest.isoformat() if fd.latest else "?"
    return lo if lo == hi else f"{lo} – {hi}"
