"""Phrase files: adding a language is a data change; a bad file is named with its line and problem."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from trpkit.domain.fuzzy_dates import PhraseDataError, format_fuzzy, parse_fuzzy, phrase_languages
from trpkit.paths import checklists_dir

ITALIAN = """
[meta]
name = "Italian date phrases"
language = "it"
version = "1"
source = ["test"]
verification = "test only"
date_order = "DMY"

[months]
gennaio = 1
febbraio = 2
marzo = 3
aprile = 4
maggio = 5
giugno = 6
luglio = 7
agosto = 8
settembre = 9
ottobre = 10
novembre = 11
dicembre = 12

[seasons]
primavera = "spring"
estate = "summer"
autunno = "autumn"
inverno = "winter"

[holidays]
natale = "christmas"

[words]
approximate = ["circa", "verso"]
uncertain = ["forse"]
fillers = ["nel", "nell'", "a", "in"]
connectors = ["del", "di"]

[parts]
early = ["inizio"]
mid = ["metà"]
late = ["fine"]

[numbers]
due = 2

[units]
anni = "year"
mesi = "month"

[patterns]
range = ["tra il {a} e il {b}", "tra {a} e {b}"]
ago = ["{n} {unit} fa"]

[format]
day = "{day} {month} {year}"
month = "{month} {year}"
season = "{season} {year}"
decade = "gli anni {decade}"
early = "inizio {x}"
mid = "metà {x}"
late = "fine {x}"
around = "verso {x}"
around_range = "circa {x}"
uncertain = "forse {x}"
between = "tra {a} e {b}"
before = "prima del {x}"
after = "dopo il {x}"
unknown = "data sconosciuta"
season_names = { spring = "primavera", summer = "estate", autumn = "autunno", winter = "inverno" }
month_names = ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre",
               "ottobre", "novembre", "dicembre"]
"""


@pytest.fixture
def phrase_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "checklists"
    shutil.copytree(checklists_dir() / "date_phrases", target / "date_phrases")
    monkeypatch.setenv("TRPKIT_CHECKLISTS_DIR", str(target))
    return target / "date_phrases"


def test_shipped_languages() -> None:
    assert {"en", "fr", "es", "pt"} <= set(phrase_languages())


def test_a_new_language_is_only_a_file(phrase_dir: Path) -> None:
    (phrase_dir / "it.toml").write_text(ITALIAN, encoding="utf-8")
    fd = parse_fuzzy("nell'estate del 2019", "it")
    assert (fd.edtf, fd.earliest, fd.latest) == ("2019-22", date(2019, 6, 1), date(2019, 8, 31))
    assert format_fuzzy(fd, "it") == "estate 2019"
    ago = parse_fuzzy("due anni fa", "it", relative_to=date(2025, 6, 15))
    assert ago.edtf == "2023~"
    assert format_fuzzy(parse_fuzzy("tra marzo e giugno 2020", "it"), "it") == "tra marzo e giugno 2020"
    assert parse_fuzzy("Natale 2018", "it").earliest == date(2018, 12, 25)


@pytest.mark.parametrize(
    ("needle", "replacement", "problem"),
    [
        ("gennaio = 1", "gennaio = 13", "field 'gennaio': must be a month number from 1 to 12, not 13"),
        (
            'natale = "christmas"',
            'natale = "xmas_party"',
            "field 'natale': refers to 'xmas_party', which holidays.toml does not define",
        ),
        (
            'estate = "summer"',
            'estate = "monsoon"',
            "field 'estate': 'monsoon' is not allowed: use one of spring",
        ),
        ('language = "it"', 'language = "fr"', "does not match the file name"),
        ('ago = ["{n} {unit} fa"]', 'yesteryear = ["{n} fa"]', "unknown key 'yesteryear'"),
        ('anni = "year"', 'anni = "century"', "field 'anni': 'century' is not allowed: use one of day"),
    ],
)
def test_bad_file_names_file_line_and_problem(
    phrase_dir: Path, needle: str, replacement: str, problem: str
) -> None:
    assert needle in ITALIAN
    bad = ITALIAN.replace(needle, replacement)
    (phrase_dir / "it.toml").write_text(bad, encoding="utf-8")
    line = next(n for n, text in enumerate(bad.splitlines(), 1) if replacement.split(" =")[0] in text)
    from trpkit.domain.fuzzy_dates import language_data

    with pytest.raises(PhraseDataError) as info:
        language_data("it")
    message = str(info.value)
    assert "it.toml" in message and problem in message
    assert f"line {line}, " in message and "field " in message
    # parse_fuzzy itself never raises on a bad phrase file: the words are kept for a person
    assert parse_fuzzy("estate 2019", "it").status.value == "unparsed"


def test_toml_syntax_error_is_reported(phrase_dir: Path) -> None:
    (phrase_dir / "it.toml").write_text(ITALIAN.replace("[months]", "[months"), encoding="utf-8")
    from trpkit.domain.fuzzy_dates import language_data

    with pytest.raises(PhraseDataError, match=r"it\.toml.*line"):
        language_data("it")


def test_dateparser_is_imported_only_when_needed() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from trpkit.loading.date_phrases import install; install(); "
        "from trpkit.domain.fuzzy_dates import parse_fuzzy; "
        "fd = parse_fuzzy('around spring 2019'); assert fd.edtf == '2019-21~', fd; "
        "assert 'dateparser' not in sys.modules; "
        "assert parse_fuzzy('14 Marso 2019', 'tl').edtf == '2019-03-14'; assert 'dateparser' in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
