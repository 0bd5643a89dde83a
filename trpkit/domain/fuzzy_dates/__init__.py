"""Honest fuzzy dates: keep what the person said, the interval it allows, and its real precision.

``parse_fuzzy`` turns a phrase ("around spring 2019", "hace dos años", "two weeks after arriving in
Canada") into a :class:`FuzzyDate`; ``format_fuzzy`` writes one back in a language, never more
precisely than the data. The words of each language live in ``checklists/date_phrases/<lang>.toml``
(adding a language is a data change); phrases the pre-parser does not know go to dateparser with
the language given, and anything left is kept verbatim as "unparsed" for a person to fix. The files
are read by ``trpkit.loading.date_phrases``: ``install()`` it before parsing (the CLI, the app and the
tests do).

EDTF values written here: ``2019-03-14``, ``2019-03``, ``2019``, ``2019-21..24`` (spring..winter),
``2019-37..39`` (first, second, last four months: "early/mid/late 2019"), ``199X`` (decade),
intervals ``A/B`` with ``..`` for an open end, and the qualifiers ``~`` approximate, ``?``
uncertain, ``%`` both.

One module a job: ``model`` (the FuzzyDate), ``phrases`` (language data), ``arithmetic``,
``resolved`` (the parser's internal result), ``parser``, ``relative`` (offsets by units), ``edtf``
(reading EDTF back), ``fallback`` (dateparser), ``formatter``, ``finder``.
"""

from trpkit.domain.fuzzy_dates.arithmetic import add_months
from trpkit.domain.fuzzy_dates.atoms import atom_kind
from trpkit.domain.fuzzy_dates.edtf import edtf_bounds
from trpkit.domain.fuzzy_dates.finder import DatePhrase, find_date_phrases
from trpkit.domain.fuzzy_dates.formatter import describe_interval, format_fuzzy
from trpkit.domain.fuzzy_dates.model import DateStatus, FuzzyDate, Precision
from trpkit.domain.fuzzy_dates.parser import parse_fuzzy
from trpkit.domain.fuzzy_dates.phrases import (
    Holiday,
    LanguageData,
    PhraseDataError,
    PhraseSource,
    anchor_phrases,
    dateparser_languages,
    easter,
    known_holidays,
    language_data,
    normalise,
    orthodox_easter,
    phrase_languages,
    supported_languages,
    use_phrase_source,
)

__all__ = [
    "DatePhrase",
    "DateStatus",
    "FuzzyDate",
    "Holiday",
    "LanguageData",
    "PhraseDataError",
    "PhraseSource",
    "Precision",
    "add_months",
    "anchor_phrases",
    "atom_kind",
    "dateparser_languages",
    "describe_interval",
    "easter",
    "edtf_bounds",
    "find_date_phrases",
    "format_fuzzy",
    "known_holidays",
    "language_data",
    "normalise",
    "orthodox_easter",
    "parse_fuzzy",
    "phrase_languages",
    "supported_languages",
    "use_phrase_source",
]
