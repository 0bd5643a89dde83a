"""Cue phrases: word forms, accents, three languages, negations, and the data file's validation."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trpkit.domain.cue_file import CUES_FILE
from trpkit.domain.cues import CuePhraseError, compile_cue, find, fold, items_found
from trpkit.loading.cues import cue_book, load_cues
from trpkit.loading.frameworks import ChecklistError, load_frameworks
from trpkit.paths import checklists_dir

NEG = ("not", "never", "no", "ne", "pas", "jamais", "nunca")


def found(text: str) -> set[str]:
    book = cue_book()
    return set(items_found(text, book.cues, book.negations))


@pytest.mark.parametrize(
    ("text", "item"),
    [
        ("The boss took my passport the first day.", "5.01"),
        ("He kept my passport in his office.", "5.01"),
        ("The employer was keeping our identity documents.", "5.01"),
        ("My passport was taken at the airport.", "5.01"),
        ("We worked from six in the morning until late at night, seven days a week.", "4.01"),
        ("I still had a debt of 4,000 dollars.", "5.02"),
        ("He threatened to call immigration.", "5.05"),
        ("He threatened to call immigration.", "5.11"),
        ("I couldn't leave the house.", "5.03"),
        ("We were locked in at night.", "5.03"),
        ("Le patron a confisqué mon passeport.", "5.01"),
        ("On travaillait sept jours sur sept.", "4.01"),
        ("Ils ne m'ont pas laissé sortir.", "5.03"),
        ("Il m'a menacée.", "5.05"),
        ("No podía salir de la casa.", "5.03"),
        ("NO PODIA SALIR", "5.03"),
        ("Tenía una deuda con el reclutador.", "5.02"),
        ("Se quedó con mi pasaporte.", "5.01"),
        ("Trabajábamos de sol a sol, siete días a la semana.", "4.01"),
        ("Nunca me pagaron.", "4.02"),
        ("He promised me a work visa.", "1.06"),
        ("Me vendieron a un hombre.", "2.03"),
        ("He said he would send us to another farm.", "5.12"),
        ("Il menaçait de nous envoyer ailleurs.", "5.12"),
    ],
)
def test_cues_in_three_languages_with_word_forms_and_accents(text: str, item: str) -> None:
    assert item in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "They never took my passport.",
        "He did not threaten me.",
        "I had no debt.",
        "Ils ne m'ont jamais pris mon passeport.",
        "Nunca me amenazaron.",
        "My passport. They took the bus.",  # words in different sentences do not make a phrase
        "He took the bus to get my passport renewed.",  # more than three words apart
    ],
)
def test_negated_or_split_phrases_are_not_cues(text: str) -> None:
    assert found(text) == set()


def test_excerpt_keeps_the_original_words() -> None:
    book = cue_book()
    (match,) = find("Ayer, no podía salir de la casa.", book.cues, book.negations)
    assert "no podía salir" in match.excerpt


def test_phrase_syntax_errors_are_explained() -> None:
    with pytest.raises(CuePhraseError, match="one word"):
        compile_cue("live-in nanny", ["5.03"], "en", NEG)  # 'live-in' is two words
    with pytest.raises(CuePhraseError, match="start or end"):
        compile_cue("~ passport", ["5.01"], "en", NEG)
    with pytest.raises(CuePhraseError, match="at least 3 letters"):
        compile_cue("a* passport", ["5.01"], "en", NEG)


def test_alternatives_with_spaces_are_separate_words() -> None:
    cue = compile_cue("go out|in", ["5.03"], "en", NEG)
    assert [m.cue for m in find("we could go in", [cue], NEG)]


_WORDS = st.sampled_from(["we", "worked", "the", "passport", "boss", "day", "house", "and", "went", "home"])


@given(st.lists(_WORDS, max_size=12), st.sampled_from(["never", "not", "no"]))
def test_a_negation_right_before_a_phrase_always_silences_it(words: list[str], negation: str) -> None:
    cue = compile_cue("took ~ passport*", ["5.01"], "en", NEG)
    text = " ".join([*words, negation, "took", "my", "passport"])
    assert all(m.start < text.index(f"{negation} took") for m in find(text, [cue], NEG))


@given(st.text(alphabet="aeiouáéíóúñç ", max_size=20))
def test_folding_is_accent_and_case_blind(text: str) -> None:
    assert fold(text.upper()) == fold(text.lower())
    assert fold("Pasaporte RETENIDO") == fold("pasaporte retenido")


@given(st.lists(st.sampled_from(["kept", "held", "took"]), min_size=1, max_size=1), st.booleans())
def test_word_forms_match_from_the_stem(verb: list[str], plural: bool) -> None:
    text = f"They {verb[0]} our {'passports' if plural else 'passport'}"
    assert "5.01" in found(text)


# ------------------------------------------------------------------------------ the data file


def test_every_cue_names_an_existing_indicator_and_all_three_languages() -> None:
    frameworks = load_frameworks()
    keys = {i.key for lst in frameworks.delphi.values() for i in lst.indicators}
    book = cue_book()
    assert book.cues
    for cue in book.cues:
        assert set(cue.items) <= keys
    by_item: dict[str, set[str]] = {}
    for cue in book.cues:
        for item in cue.items:
            by_item.setdefault(item, set()).add(cue.language)
    assert all(langs == {"en", "fr", "es"} for langs in by_item.values()), by_item
    assert book.sources and book.verification_note


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "checklists"
    shutil.copytree(checklists_dir(), target)
    return target


def test_a_cue_for_an_unknown_item_is_refused_with_file_and_line(tmp_path: Path) -> None:
    directory = _copy(tmp_path)
    path = directory / f"{CUES_FILE}.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('items = ["5.14"]', 'items = ["5.99"]'), "utf-8")
    keys = {i.key for lst in load_frameworks(directory).delphi.values() for i in lst.indicators}
    with pytest.raises(
        ChecklistError, match=r"indicator-cues.toml, line \d+, cue \d+: item 5.99 is in no Delphi list"
    ):
        load_cues(directory, keys)


def test_a_bad_phrase_or_sector_is_refused(tmp_path: Path) -> None:
    directory = _copy(tmp_path)
    path = directory / f"{CUES_FILE}.toml"
    text = path.read_text(encoding="utf-8")
    keys = {i.key for lst in load_frameworks(directory).delphi.values() for i in lst.indicators}
    path.write_text(text.replace('"debt*",', '"~ debt*",', 1), "utf-8")
    with pytest.raises(ChecklistError, match="cannot start or end"):
        load_cues(directory, keys)
    path.write_text(text.replace("[sectors.construction]", "[sectors.mining]"), "utf-8")
    with pytest.raises(ChecklistError, match="unknown sector 'mining'"):
        load_cues(directory, keys)
