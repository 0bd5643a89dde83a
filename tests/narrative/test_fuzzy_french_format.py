"""French dates as a letter writes them: articles, prepositions and elision ("vers le printemps 2019").

Each form is checked both ways: what format_fuzzy writes, and that reading it back gives the same
interval (a letter must never state a date more precisely than the person remembered it).
"""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from tests.narrative.test_fuzzy_properties import english_phrases
from trpkit.domain.fuzzy_dates import PhraseDataError, format_fuzzy, parse_fuzzy
from trpkit.paths import checklists_dir

MEETING = date(2025, 6, 1)

# (what the person said, what a French letter writes)
FRENCH = [
    # days: "1er" for the first of the month, the article after "vers" / "avant" / "entre"
    ("le 14 mars 2019", "14 mars 2019"),
    ("le 1er mars 2019", "1er mars 2019"),
    ("1 mai 2018", "1er mai 2018"),
    ("vers le 15 mars 2019", "vers le 15 mars 2019"),
    ("avant le 15 mars 2019", "avant le 15 mars 2019"),
    ("entre le 3 mars 2019 et le 10 mai 2019", "entre le 3 mars 2019 et le 10 mai 2019"),
    # months (no article: "vers mars 2019"), read from "en mars 2019"
    ("en mars 2019", "mars 2019"),
    ("vers mars 2019", "vers mars 2019"),
    ("avant mars 2019", "avant mars 2019"),
    ("de mai à août 2019", "entre mai et août 2019"),
    # seasons: the article after "vers", "après", "entre", with elision before a vowel or mute h
    ("au printemps 2019", "printemps 2019"),
    ("en été 2019", "été 2019"),
    ("à l'été 2019", "été 2019"),
    ("vers printemps 2019", "vers le printemps 2019"),
    ("vers le printemps 2019", "vers le printemps 2019"),
    ("vers l'été 2019", "vers l'été 2019"),
    ("vers l'automne 2019", "vers l'automne 2019"),
    ("vers l'hiver 2020", "vers l'hiver 2020"),
    ("après l'été 2019", "après l'été 2019"),
    ("avant l'automne 2018", "avant l'automne 2018"),
    ("entre le printemps 2018 et l'été 2019", "entre le printemps 2018 et l'été 2019"),
    # parts of a year or a month: "début 2019" alone, "le début de 2019" after "vers", elided before a vowel
    ("début 2019", "début 2019"),
    ("au début de 2020", "début 2020"),
    ("mi-2018", "mi-2018"),
    ("à la fin de 2019", "fin 2019"),
    ("début mars 2019", "début mars 2019"),
    ("au début d'avril 2019", "début avril 2019"),
    ("à la mi-mars 2019", "mi-mars 2019"),
    ("fin août 2019", "fin août 2019"),
    ("vers le début de 2019", "vers le début de 2019"),
    ("vers la mi-2019", "vers la mi-2019"),
    ("vers la fin de 2019", "vers la fin de 2019"),
    ("vers la fin d'août 2019", "vers la fin d'août 2019"),
    ("vers le début d'octobre 2019", "vers le début d'octobre 2019"),
    # years, decades, ranges, uncertainty
    ("en 2015", "2015"),
    ("vers 2019", "vers 2019"),
    ("environ 2016", "vers 2016"),
    ("entre 2017 et 2018", "entre 2017 et 2018"),
    ("après 2019", "après 2019"),
    ("les années 90", "les années 1990"),
    ("vers les années 90", "vers les années 1990"),
    ("peut-être vers 2019", "peut-être vers 2019"),
]


@pytest.mark.parametrize(("said", "written"), FRENCH, ids=[row[0] for row in FRENCH])
def test_french_form(said: str, written: str) -> None:
    fd = parse_fuzzy(said, "fr", relative_to=MEETING)
    assert fd.is_parsed, said
    assert format_fuzzy(fd, "fr") == written
    back = parse_fuzzy(written, "fr", relative_to=MEETING)
    assert (back.edtf, back.earliest, back.latest, back.approximate, back.uncertain) == (
        fd.edtf,
        fd.earliest,
        fd.latest,
        fd.approximate,
        fd.uncertain,
    ), written


# Inside a sentence ("La personne est arrivée au Canada …"): the preposition French needs.
IN_SENTENCE = [
    ("le 14 mars 2019", "le 14 mars 2019"),
    ("le 1er mars 2019", "le 1er mars 2019"),
    ("mars 2019", "en mars 2019"),
    ("avril 2019", "en avril 2019"),
    ("printemps 2019", "au printemps 2019"),
    ("été 2019", "à l'été 2019"),
    ("en été 2019", "à l'été 2019"),
    ("automne 2018", "à l'automne 2018"),
    ("hiver 2020", "à l'hiver 2020"),
    ("2015", "en 2015"),
    ("les années 90", "dans les années 1990"),
    ("début 2019", "au début de 2019"),
    ("début avril 2019", "au début d'avril 2019"),
    ("mi-2018", "à la mi-2018"),
    ("mi-mars 2019", "à la mi-mars 2019"),
    ("fin 2019", "à la fin de 2019"),
    ("fin août 2019", "à la fin d'août 2019"),
    # already a sentence form: unchanged
    ("vers le printemps 2019", "vers le printemps 2019"),
    ("vers 2019", "vers 2019"),
    ("entre 2017 et 2018", "entre 2017 et 2018"),
    ("avant l'été 2019", "avant l'été 2019"),
    ("peut-être mars 2019", "peut-être en mars 2019"),
]


@pytest.mark.parametrize(("said", "written"), IN_SENTENCE, ids=[row[0] for row in IN_SENTENCE])
def test_french_form_in_a_sentence(said: str, written: str) -> None:
    fd = parse_fuzzy(said, "fr", relative_to=MEETING)
    assert fd.is_parsed, said
    assert format_fuzzy(fd, "fr", in_sentence=True) == written
    back = parse_fuzzy(written, "fr", relative_to=MEETING)
    assert (back.edtf, back.earliest, back.latest, back.approximate, back.uncertain) == (
        fd.edtf,
        fd.earliest,
        fd.latest,
        fd.approximate,
        fd.uncertain,
    ), written


def test_languages_without_sentence_forms_write_the_same_as_alone() -> None:
    for phrase in ("March 2019", "spring 2019", "early 2019", "15 March 2019", "the 1990s"):
        fd = parse_fuzzy(phrase, "en")
        assert format_fuzzy(fd, "en", in_sentence=True) == format_fuzzy(fd, "en") == phrase
        assert format_fuzzy(fd, "es", in_sentence=True) == format_fuzzy(fd, "es")


def test_the_known_defect_is_gone() -> None:
    """An English date written in French: "around spring 2019" was written "vers printemps 2019"."""
    fd = parse_fuzzy("around spring 2019", "en")
    assert format_fuzzy(fd, "fr") == "vers le printemps 2019"
    assert "vers printemps" not in format_fuzzy(fd, "fr")


@pytest.mark.parametrize(
    ("english", "en", "es"),
    [
        ("around spring 2019", "around spring 2019", "alrededor de primavera de 2019"),
        ("early 2019", "early 2019", "principios de 2019"),
        ("1 March 2019", "1 March 2019", "1 de marzo de 2019"),
        ("around 15 March 2019", "around 15 March 2019", "alrededor de 15 de marzo de 2019"),
        (
            "between spring 2018 and summer 2019",
            "between spring 2018 and summer 2019",
            "entre primavera de 2018 y verano de 2019",
        ),
        ("early April 2019", "early April 2019", "principios de abril de 2019"),
        ("before 15 March 2019", "before 15 March 2019", "antes de 15 de marzo de 2019"),
    ],
)
def test_english_and_spanish_are_unchanged(english: str, en: str, es: str) -> None:
    fd = parse_fuzzy(english, "en")
    assert format_fuzzy(fd, "en") == en
    assert format_fuzzy(fd, "es") == es


def test_unparsed_dates_are_never_elided_or_rewritten() -> None:
    fd = parse_fuzzy("quand la neige est arrivée", "fr")
    assert not fd.is_parsed
    assert format_fuzzy(fd, "fr") == "quand la neige est arrivée"


def _copy_phrases(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "checklists"
    shutil.copytree(checklists_dir(), target)
    monkeypatch.setenv("TRPKIT_CHECKLISTS_DIR", str(target))
    return target / "date_phrases" / "fr.toml"


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ('day_det = "le {x}"', 'day_det = "le"', r"field 'day_det': 'le' must contain \{x\}"),
        (
            'season_names_det = { spring = "le printemps", ',
            "season_names_det = { ",
            "field 'spring': missing: add 'spring'",
        ),
        (
            'elision = { de = "d\'", le = "l\'", la = "l\'" }',
            'elision = ["de"]',
            r"field 'elision': must be a table \(word = contracted form",
        ),
        ('first_day = "1er"', 'first_day = ""', "field 'first_day': must not be empty"),
        ('month_in = "en {x}"', 'month_in = "en"', r"field 'month_in': 'en' must contain \{x\}"),
        (', winter = "à l\'hiver" }', " }", "field 'winter': missing: add 'winter'"),
    ],
)
def test_bad_french_format_data_is_refused_with_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, old: str, new: str, problem: str
) -> None:
    from trpkit.loading.date_phrases import HOLIDAYS_FILE, load_holidays, load_language

    path = _copy_phrases(tmp_path, monkeypatch)
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(PhraseDataError, match=problem) as caught:
        load_language(path, load_holidays(path.parent / HOLIDAYS_FILE))
    assert "fr.toml, line " in str(caught.value)


# Every shape the formatter writes, from English phrases: the French is never missing its article or elision.
_SEASON_WITHOUT_ARTICLE = re.compile(r"\b(vers|avant|après|entre|et) (printemps|été|automne|hiver)\b")
_NOT_ELIDED = re.compile(r"(?<![\w'])(de|le|la) [aeiouyàâéèêîôûh]", re.IGNORECASE)


@given(english_phrases())
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_french_always_has_its_article_and_elision(phrase: str) -> None:
    fd = parse_fuzzy(phrase, "en", relative_to=MEETING)
    written = format_fuzzy(fd, "fr")
    assert not _SEASON_WITHOUT_ARTICLE.search(written), (phrase, written)
    assert not _NOT_ELIDED.search(written), (phrase, written)
    assert not re.search(r"\bvers \d{1,2} ", written), (
        phrase,
        written,
    )  # "vers le 15 mars", never "vers 15 mars"
    assert not re.search(r"\b(vers|avant|après|entre) (début|fin|mi-)", written), (phrase, written)
    in_sentence = format_fuzzy(fd, "fr", in_sentence=True)
    assert not _SEASON_WITHOUT_ARTICLE.search(in_sentence) and not _NOT_ELIDED.search(in_sentence), (
        in_sentence
    )
    again = parse_fuzzy(in_sentence, "fr", relative_to=MEETING)
    assert (again.earliest, again.latest) == (fd.earliest, fd.latest), (phrase, in_sentence)
    back = parse_fuzzy(written, "fr", relative_to=MEETING)
    assert (back.earliest, back.latest, back.approximate, back.uncertain) == (
        fd.earliest,
        fd.latest,
        fd.approximate,
        fd.uncertain,
    ), (phrase, written)


@pytest.mark.parametrize(
    ("said", "language", "written"),
    [
        ("between 2025 and 2025", "en", "2025"),
        ("entre 2025 et 2025", "fr", "2025"),
        ("between March 2025 and March 2025", "en", "March 2025"),
    ],
)
def test_a_range_whose_two_ends_are_the_same_is_written_once(said: str, language: str, written: str) -> None:
    assert format_fuzzy(parse_fuzzy(said, language), language) == written
