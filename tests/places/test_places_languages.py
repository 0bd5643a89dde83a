"""Countries and languages by name (English, French, Spanish) or code, and in the CLI (in-process)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli import run_cli
from tests.conftest import TEST_PASSPHRASE
from trpkit.domain.places_languages import (
    UnknownName,
    country_name,
    language_name,
    resolve_country,
    resolve_language,
)


@pytest.mark.parametrize("text", ["Mexico", "México", "Mexique", "mexico", "MX", "mx", " Mexique "])
def test_mexico_in_three_languages_and_as_a_code(text: str) -> None:
    assert resolve_country(text) == "MX"


def test_a_code_is_the_country_it_names_never_the_start_of_a_name() -> None:
    assert resolve_country("ME") == "ME"  # Montenegro, as a code; "Mexico" is no longer cut to "ME"
    assert resolve_country("Philippines") == resolve_country("Filipinas") == "PH"
    assert resolve_country("Côte d'Ivoire") == resolve_country("COTE D’IVOIRE") == "CI"
    assert resolve_country("UK") == "GB"
    assert country_name("mx") == "Mexico"


@pytest.mark.parametrize("text", ["Spanish", "espagnol", "español", "Espanol", "es", "ES"])
def test_spanish_by_name_in_three_languages(text: str) -> None:
    assert resolve_language(text) == "es"


def test_languages_people_speak() -> None:
    assert resolve_language("Tagalog") == "tl"
    assert resolve_language("anglais") == resolve_language("inglés") == "en"
    assert resolve_language("Mandarin") == "zh"
    assert language_name("es") == "Spanish"
    assert language_name("Klingonish") == "Klingonish"  # an old free-text value is shown as it was


def test_an_unknown_name_says_what_it_is_closest_to() -> None:
    with pytest.raises(UnknownName) as caught:
        resolve_country("Mexco")
    assert "Mexico (MX)" in caught.value.suggestions
    assert "Type a name or a code" in str(caught.value)
    with pytest.raises(UnknownName) as language:
        resolve_language("Spansh")
    assert language.value.suggestions[0] == "Spanish (es)"
    with pytest.raises(UnknownName):
        resolve_country("")


def test_every_country_code_and_its_names_lead_back_to_it() -> None:
    from babel import Locale

    for locale in ("en", "fr", "es"):
        for code, name in Locale.parse(locale).territories.items():
            if len(code) != 2 or not code.isalpha() or code in {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"}:
                continue
            assert resolve_country(code) == code
            try:
                assert resolve_country(name) == code, (locale, name)
            except UnknownName as exc:  # a name two countries share in some language: both are offered
                assert any(f"({code})" in s for s in exc.suggestions), (locale, name)


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    from trpkit.db.database import create_vault
    from trpkit.services.users import create_user

    path = tmp_path / "cli.trpvault"
    database = create_vault(path, TEST_PASSPHRASE)
    with database.session() as session:
        create_user(session, "ana", role="supervisor")
    database.close()
    return path


def cli(vault: Path, *args: str) -> tuple[int, str]:
    result = run_cli(
        args, vault=vault, passphrase=TEST_PASSPHRASE, env={"TRPKIT_CONFIG": str(vault.parent / "c.toml")}
    )
    return result.returncode, result.stdout + result.stderr


def test_the_cli_takes_names_for_nationality_languages_and_meeting_language(vault: Path) -> None:
    code, out = cli(
        vault, "case", "new", "--name", "Rosa Ejemplar", "--nationality", "Mexique",
        "--languages", "espagnol, English", "--json",
    )  # fmt: skip
    assert code == 0, out
    case = json.loads(out)["code"]
    shown = json.loads(cli(vault, "case", "show", case, "--json")[1])
    assert shown["person"]["nationality"] == "MX" and shown["person"]["languages"] == ["es", "en"]
    assert "nationality: Mexico (MX)" in cli(vault, "case", "show", case)[1]
    assert "languages: Spanish, English" in cli(vault, "case", "show", case)[1]
    code, out = cli(vault, "case", "edit", case, "--set", "person.nationality=Philippines")
    assert code == 0, out
    cli(vault, "consent", "record", case, "--purpose", "prepare_file", "--given", "--method", "written")
    code, out = cli(vault, "narrative", "meeting", case, "--date", "2026-03-02", "--language", "Spanish")
    assert code == 0, out
    meetings = json.loads(cli(vault, "narrative", "meetings", case, "--json")[1])
    assert meetings[0]["language"] == "es"


def test_the_cli_answers_an_unknown_name_with_the_closest_ones(vault: Path) -> None:
    code, out = cli(vault, "case", "new", "--name", "Rosa", "--nationality", "Mexco")
    assert code != 0
    assert "Mexico (MX)" in out and "Traceback" not in out
    code, out = cli(vault, "case", "new", "--name", "Rosa", "--languages", "Spansh")
    assert code != 0 and "Spanish (es)" in out
