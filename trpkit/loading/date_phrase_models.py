"""pydantic models of the date-phrase files: ``checklists/date_phrases/<lang>.toml`` and ``holidays.toml``.

What each table may hold, its types and its choices. The rules that need more than one field or file
(the language matching the file name, all twelve months named, holidays that exist, patterns that
compile) are checked in :mod:`trpkit.loading.date_phrases`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field, StrictInt

from trpkit.loading.validate import DATA

Text = Annotated[str, Field(min_length=1)]
Forms = list[Text]
Season = Literal["spring", "summer", "autumn", "winter"]


def _date_order(order: str) -> str:
    if sorted(order) != ["D", "M", "Y"]:
        raise ValueError(f"date_order '{order}' must be an order of D, M and Y such as DMY")
    return order


def _with_place(form: str) -> str:
    if "{x}" not in form:
        raise ValueError(f"'{form}' must contain {{x}} (where the date goes)")
    return form


def _month(number: int) -> int:
    if not 1 <= number <= 12:
        raise ValueError(f"must be a month number from 1 to 12, not {number}")
    return number


Month = Annotated[StrictInt, AfterValidator(_month)]
WithPlace = Annotated[str, Field(min_length=1), AfterValidator(_with_place)]


class LanguageMeta(BaseModel):
    model_config = DATA
    name: Text
    language: Annotated[str, Field(min_length=1, description="the file name without .toml")]
    version: Text
    source: Annotated[list[Text], Field(min_length=1, description="where the phrasings come from")]
    verification: Text
    date_order: Annotated[str, AfterValidator(_date_order)] = "DMY"


class Words(BaseModel):
    model_config = DATA
    approximate: Forms = []
    uncertain: Forms = []
    fillers: Forms = []
    connectors: Forms = []
    ordinal_suffixes: Forms = []


class Parts(BaseModel):
    """The words for the early, middle and late part of a period ("early 2019")."""

    model_config = DATA
    early: Forms = []
    mid: Forms = []
    late: Forms = []


class Patterns(BaseModel):
    """Phrase shapes by kind; placeholders {a} {b} {x} {n} {unit} {d}."""

    model_config = DATA
    range: Forms = []
    alternative: Forms = []
    before: Forms = []
    after: Forms = []
    ago: Forms = []
    offset_after: Forms = []
    offset_before: Forms = []
    last: Forms = []
    previous_year: Forms = []
    this: Forms = []
    age: Forms = []
    decade: Forms = []


class SeasonNames(BaseModel):
    model_config = DATA
    spring: Text
    summer: Text
    autumn: Text
    winter: Text


class Format(BaseModel):
    """How dates are written back in this language; the optional keys serve languages with articles."""

    model_config = DATA
    day: Text
    month: Text
    season: Text
    decade: Text
    early: Text
    mid: Text
    late: Text
    around: Text
    around_range: Text
    uncertain: Text
    between: Text
    before: Text
    after: Text
    unknown: Text
    season_names: SeasonNames
    month_names: Annotated[list[Text], Field(min_length=12, max_length=12, description="twelve month names")]
    first_day: Annotated[str | None, Field(min_length=1, description='the first of a month, e.g. "1er"')] = (
        None
    )
    day_det: WithPlace | None = None
    early_det: WithPlace | None = None
    mid_det: WithPlace | None = None
    late_det: WithPlace | None = None
    day_in: WithPlace | None = None
    month_in: WithPlace | None = None
    year_in: WithPlace | None = None
    decade_in: WithPlace | None = None
    early_in: WithPlace | None = None
    mid_in: WithPlace | None = None
    late_in: WithPlace | None = None
    season_names_det: SeasonNames | None = None
    season_names_in: SeasonNames | None = None
    elision: Annotated[dict[str, Text], Field(description='word = contracted form, e.g. de = "d\'"')] = {}


class LanguageFile(BaseModel):
    model_config = DATA
    meta: LanguageMeta
    months: dict[str, Month]
    seasons: dict[str, Season] = {}
    holidays: Annotated[dict[str, Text], Field(description="a holiday id from holidays.toml")] = {}
    words: Words = Words()
    parts: Parts = Parts()
    numbers: dict[str, StrictInt] = {}
    approximate_numbers: dict[str, StrictInt] = {}
    units: dict[str, Literal["day", "week", "month", "year"]] = {}
    decades: dict[str, StrictInt] = {}
    patterns: Patterns = Patterns()
    format: Format
    anchors: Annotated[dict[str, Forms], Field(description="words for a timeline event type")] = {}


class HolidaysMeta(BaseModel):
    model_config = DATA
    name: Text
    version: Text
    source: Annotated[list[Text], Field(min_length=1)]
    verification: Text


class HolidayEntry(BaseModel):
    """One holiday: a fixed day, a day counted from (Orthodox) Easter, or the nth weekday of a month."""

    model_config = DATA
    rule: Literal["fixed", "easter", "orthodox_easter", "nth_weekday"]
    month: Month | None = None
    day: Annotated[StrictInt, Field(ge=1, le=31)] | None = None
    offset: StrictInt = 0
    weekday: Annotated[StrictInt, Field(ge=0, le=6, description="0 = Monday")] = 0
    n: Annotated[StrictInt, Field(ge=1, le=5)] = 1
    span: Annotated[StrictInt, Field(ge=1, description="how many days the holiday covers")] = 1


class HolidaysFile(BaseModel):
    model_config = DATA
    meta: HolidaysMeta
    holiday: dict[str, HolidayEntry]
