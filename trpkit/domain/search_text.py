"""Words as narrative search sees them: accents removed, reduced to their stem in the entry's language.

The same functions build what the encrypted vault indexes (through an SQLite function the triggers
call) and what a query looks for, so "pasaportes" and "pasaporte" meet at the stem "pasaport" and
"Canadá" meets "canada". Stemming is Snowball (the `snowballstemmer` package): the same algorithms
PostgreSQL's text-search configurations of the same names use, so both backends agree.

Accents are removed *before* stemming, on both sides: people often type without them, and a word
must reach the same stem whether or not it was written with its accents.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

import snowballstemmer  # type: ignore[import-untyped]

WORD = re.compile(r"\w+")

# ISO 639-1 code -> Snowball algorithm, limited to languages PostgreSQL (>= 12) also ships a
# text-search configuration for under the same name, so both backends stem the same languages.
STEMMED_LANGUAGES: dict[str, str] = {
    "da": "danish",
    "de": "german",
    "en": "english",
    "es": "spanish",
    "fi": "finnish",
    "fr": "french",
    "hu": "hungarian",
    "it": "italian",
    "nl": "dutch",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sv": "swedish",
    "tr": "turkish",
}
# An accompanier's translation is written in Canada's working languages: it is indexed in both.
TRANSLATION_LANGUAGES = ("en", "fr")
# Letters NFKD does not take apart.
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "đ": "d", "ł": "l", "ı": "i"})


def fold(text: str) -> str:
    """Lower case without accents: "Pasaportés" -> "pasaportes"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_LIGATURES))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def language_key(language: str) -> str:
    """A stored language ("es", "es-MX", "ES", "spanish") -> its ISO 639-1 code if stemmed, else ""."""
    value = language.strip().casefold().replace("_", "-")
    code = value.split("-", 1)[0]
    if code in STEMMED_LANGUAGES:
        return code
    by_name = {name: iso for iso, name in STEMMED_LANGUAGES.items()}
    return by_name.get(value, "")


@cache
def _stemmer(code: str) -> Any:
    name = STEMMED_LANGUAGES.get(code)
    return snowballstemmer.stemmer(name) if name else None


@cache
def stem(word: str, language: str) -> str:
    """The indexed form of one word in one language (an unknown language: the word without accents)."""
    folded = fold(word)
    stemmer = _stemmer(language_key(language))
    return str(stemmer.stemWord(folded)) if stemmer is not None else folded


def words(text: str) -> list[str]:
    return WORD.findall(text)


def index_text(text: str, language: str) -> str:
    return " ".join(stem(w, language) for w in words(text))


def search_document(language: str | None, text: str | None, translation: str | None) -> str:
    """What the vault's full-text index holds for one entry: its text, then its translation."""
    parts = [index_text(text or "", language or "")]
    if translation:
        parts.extend(index_text(translation, lang) for lang in TRANSLATION_LANGUAGES)
    return " ".join(p for p in parts if p)


def query_languages(entry_languages: Iterable[str]) -> tuple[str, ...]:
    """The languages a query is stemmed in: those of the entries searched, and the translations'."""
    keys = {language_key(lang) for lang in entry_languages} | set(TRANSLATION_LANGUAGES)
    return tuple(sorted(keys))


def variants(word: str, languages: Iterable[str]) -> tuple[str, ...]:
    """Every indexed form a query word can take across the languages searched (no duplicates)."""
    return tuple(dict.fromkeys(stem(word, lang) for lang in languages))


@dataclass(frozen=True)
class Matcher:
    """Which words of a text a query matched, for the highlighted excerpt."""

    stems: frozenset[str]
    prefixes: tuple[str, ...]

    def matches(self, word: str, languages: Iterable[str]) -> bool:
        folded = fold(word)
        if any(folded.startswith(p) for p in self.prefixes):
            return True
        return any(stem(word, lang) in self.stems for lang in languages)


def excerpt(
    text: str, languages: Iterable[str], matcher: Matcher, start: str, end: str, span: int = 24
) -> str | None:
    """About ``span`` words of ``text`` around the first match, matches between ``start``/``end``.

    None when nothing in the text matches. Spacing is the text's own, with runs of white space
    made one space, so words never run together.
    """
    langs = tuple(languages)
    tokens = list(WORD.finditer(text))
    hits = [i for i, m in enumerate(tokens) if matcher.matches(m.group(), langs)]
    if not hits:
        return None
    first = max(0, hits[0] - span // 4)
    last = min(len(tokens), first + span)
    begin = 0 if first == 0 else tokens[first].start()
    stop = len(text) if last == len(tokens) else tokens[last - 1].end()
    out: list[str] = ["…"] if first else []
    cursor = begin
    for i in (h for h in hits if first <= h < last):
        m = tokens[i]
        out.extend((text[cursor : m.start()], start, m.group(), end))
        cursor = m.end()
    out.append(text[cursor:stop])
    if last < len(tokens):
        out.append("…")
    return re.sub(r"\s+", " ", "".join(out)).strip()
