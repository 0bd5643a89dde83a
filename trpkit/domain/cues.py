"""Cue phrases: find passages that read like a Delphi indicator, in English, French and Spanish.

Pure matching, no I/O (the phrases are data, loaded by :mod:`trpkit.domain.cue_file`).

A cue phrase is a few words separated by spaces:

- ``word*`` matches any word starting with ``word`` (word forms: ``threat*`` -> threatened, threats);
- ``a|b`` matches either word (each may end with ``*``);
- ``~`` lets up to three other words come in between (``took ~ passport*`` -> "took my passport").

Text and phrases are compared without accents or case ("no podía salir" = "no podia salir"), with
English "n't" read as "not" and French elisions read in full ("n'ont" -> "ne ont"). A match preceded,
in the same clause, by a negation ("they never took my passport") is not a cue, unless the phrase
itself states a negative ("could not leave", "no podía salir"). Suggestions are only suggestions: the
accompanier accepts each one; nothing is linked on its own.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

GAP_WORDS = 3  # how many words "~" may skip
NEGATION_WINDOW = 3  # how many words before a match are checked for a negation
EXCERPT_CHARS = 60  # context kept on each side of a match

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|[.,;:!?()\"«»¿¡]")
_PUNCT = frozenset('.,;:!?()"«»¿¡')
_ELISION = re.compile(r"^(c|d|j|l|m|n|s|t|qu|jusqu|lorsqu|puisqu)'(.+)$")


def fold(text: str) -> str:
    """Lower case, no accents, one kind of apostrophe."""
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@dataclass(frozen=True)
class Token:
    word: str  # folded
    start: int  # span in the original text
    end: int

    @property
    def is_punct(self) -> bool:
        return self.word in _PUNCT


def _split(word: str) -> list[str]:
    """A folded word as the words it stands for (contractions and elisions spelled out)."""
    if word.endswith("n't") and len(word) > 3:
        stem = word[:-3]
        return [{"ca": "can", "wo": "will", "sha": "shall"}.get(stem, stem), "not"]
    match = _ELISION.match(word)
    if match:
        head = {"qu": "que", "jusqu": "jusque", "lorsqu": "lorsque", "puisqu": "puisque"}.get(
            match.group(1), match.group(1) + "e"
        )
        return [head, *_split(match.group(2))]
    return [word]


def tokens(text: str) -> list[Token]:
    out: list[Token] = []
    for m in _TOKEN.finditer(text):
        for word in _split(fold(m.group())):
            out.append(Token(word, m.start(), m.end()))
    return out


@dataclass(frozen=True)
class Cue:
    """One phrase of one language pointing at one or more Delphi item numbers ("5.01")."""

    items: tuple[str, ...]
    language: str
    phrase: str
    parts: tuple[tuple[str, ...] | None, ...]  # None = a gap; else alternatives (may end with *)
    negative: bool  # the phrase itself states a negative: no negation check before it


class CuePhraseError(ValueError):
    pass


def compile_cue(phrase: str, items: Sequence[str], language: str, negations: Iterable[str]) -> Cue:
    """Parse a phrase (see the module doc). Raises :class:`CuePhraseError` naming the problem."""
    raw = phrase.split()
    if not raw or all(p == "~" for p in raw):
        raise CuePhraseError(f"cue '{phrase}' has no words")
    if raw[0] == "~" or raw[-1] == "~":
        raise CuePhraseError(f"cue '{phrase}' cannot start or end with '~'")
    parts: list[tuple[str, ...] | None] = []
    words: list[str] = []
    for part in raw:
        if part == "~":
            parts.append(None)
            continue
        alternatives: list[str] = []
        for alt in part.split("|"):
            star = alt.endswith("*")
            body = alt[:-1] if star else alt
            spelled = [w for t in tokens(body) for w in [t.word] if not t.is_punct]
            if len(spelled) != 1 or (star and len(spelled[0]) < 3):
                raise CuePhraseError(
                    f"cue '{phrase}': '{alt}' must be one word (a '*' stem needs at least 3 letters)"
                )
            alternatives.append(spelled[0] + ("*" if star else ""))
            words.append(spelled[0])
        parts.append(tuple(alternatives))
    negative = bool(set(words) & {fold(n) for n in negations})
    return Cue(tuple(items), language, phrase, tuple(parts), negative)


def _word_matches(alternatives: tuple[str, ...], word: str) -> bool:
    return any(word.startswith(a[:-1]) if a.endswith("*") else word == a for a in alternatives)


def _match_from(parts: tuple[tuple[str, ...] | None, ...], toks: Sequence[Token], i: int) -> int | None:
    """Index just past a match of ``parts`` starting at token ``i``, or None."""
    if not parts:
        return i
    head, rest = parts[0], parts[1:]
    if head is None:  # a gap of 0..GAP_WORDS words, never across punctuation
        for skip in range(GAP_WORDS + 1):
            j = i + skip
            if j > len(toks) or any(t.is_punct for t in toks[i:j]):
                break
            end = _match_from(rest, toks, j)
            if end is not None:
                return end
        return None
    if i >= len(toks) or toks[i].is_punct or not _word_matches(head, toks[i].word):
        return None
    return _match_from(rest, toks, i + 1)


def _negated(toks: Sequence[Token], start: int, negations: frozenset[str]) -> bool:
    for seen, t in enumerate(reversed(toks[:start])):
        if t.is_punct or seen >= NEGATION_WINDOW:
            return False
        if t.word in negations:
            return True
    return False


@dataclass(frozen=True)
class CueMatch:
    cue: Cue
    start: int  # character span of the match in the original text
    end: int
    excerpt: str  # the matched words with a little context, from the original text


def _excerpt(text: str, start: int, end: int) -> str:
    left = max(0, start - EXCERPT_CHARS)
    right = min(len(text), end + EXCERPT_CHARS)
    piece = " ".join(text[left:right].split())
    return ("…" if left else "") + piece + ("…" if right < len(text) else "")


@dataclass(frozen=True)
class _Index:
    """Which cues can start at a word: exact first words and first-word stems, for a quick lookup."""

    exact: dict[str, tuple[int, ...]]
    stems: dict[str, tuple[int, ...]]


@lru_cache(maxsize=32)
def _index(cues: tuple[Cue, ...]) -> _Index:
    exact: dict[str, list[int]] = {}
    stems: dict[str, list[int]] = {}
    for n, cue in enumerate(cues):
        first = cue.parts[0]
        assert first is not None  # compile_cue never starts a phrase with a gap
        for alt in first:
            target = stems if alt.endswith("*") else exact
            target.setdefault(alt.rstrip("*"), []).append(n)
    return _Index({k: tuple(v) for k, v in exact.items()}, {k: tuple(v) for k, v in stems.items()})


def _starting(index: _Index, word: str) -> set[int]:
    found = set(index.exact.get(word, ()))
    for end in range(3, len(word) + 1):
        found.update(index.stems.get(word[:end], ()))
    return found


def find(text: str, cues: Iterable[Cue], negations: Iterable[str]) -> list[CueMatch]:
    """Every cue found in ``text`` (first occurrence of each phrase), in text order."""
    cue_list = tuple(cues)
    index = _index(cue_list)
    toks = tokens(text)
    neg = frozenset(fold(n) for n in negations)
    found: dict[int, CueMatch] = {}
    for i, tok in enumerate(toks):
        if tok.is_punct:
            continue
        for n in sorted(_starting(index, tok.word) - found.keys()):
            cue = cue_list[n]
            end = _match_from(cue.parts, toks, i)
            if end is None or (not cue.negative and _negated(toks, i, neg)):
                continue
            start_char, end_char = tok.start, toks[end - 1].end
            found[n] = CueMatch(cue, start_char, end_char, _excerpt(text, start_char, end_char))
    return sorted(found.values(), key=lambda m: (m.start, m.cue.phrase))


def items_found(text: str, cues: Iterable[Cue], negations: Iterable[str]) -> dict[str, CueMatch]:
    """Delphi item number -> the first match pointing at it."""
    result: dict[str, CueMatch] = {}
    for match in find(text, cues, negations):
        for item in match.cue.items:
            result.setdefault(item, match)
    return result


def sectors_mentioned(text: str, sector_cues: dict[str, Sequence[Cue]], negations: Iterable[str]) -> set[str]:
    """Which sectors the text describes work in (sector id -> its cue phrases)."""
    return {sector for sector, cues in sector_cues.items() if find(text, cues, negations)}
