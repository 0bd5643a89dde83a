"""Control characters in names and text never reach the terminal: not from the CLI, not from the app."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from rich.segment import Segment
from textual.color import Color

from tests.conftest import TEST_PASSPHRASE
from trpkit.cli import cli
from trpkit.db.database import create_vault
from trpkit.domain.terminal import for_terminal
from trpkit.services.cases import create_case
from trpkit.services.users import actor_for, create_user
from trpkit.tui.terminal_filter import TerminalSafe

HOSTILE = "Ana\x07\x1b]0;owned\x07\x1b[2J\x9b31m\r\x08\u202eLi\x00"


def _unsafe(ch: str) -> bool:
    code = ord(ch)
    return (
        (code < 0x20 and ch not in "\n\t")
        or 0x7F <= code <= 0x9F
        or ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    )


@given(st.text())
def test_nothing_unsafe_survives_and_the_rest_is_kept(text: str) -> None:
    shown = for_terminal(text)
    assert not any(_unsafe(ch) for ch in shown)
    assert shown == "".join(ch for ch in text if not _unsafe(ch))
    assert for_terminal(shown) == shown


def test_newline_and_tab_stay() -> None:
    assert for_terminal("one\ttwo\nthree\x07") == "one\ttwo\nthree"


def test_cli_tables_show_names_without_control_characters(tmp_path: Path) -> None:
    vault = tmp_path / "v.trpvault"
    db = create_vault(vault, TEST_PASSPHRASE)
    with db.session() as s:
        create_user(s, "boss", role="supervisor", display_name=HOSTILE)
        create_case(s, actor_for(s, "boss"), person={"legal_name": HOSTILE, "preferred_name": HOSTILE})
    db.close()
    runner = CliRunner()
    env = {"TRPKIT_PASSPHRASE": TEST_PASSPHRASE}
    code = runner.invoke(cli, ["--vault", str(vault), "case", "list", "--json"], env=env).output.split(
        '"code": "'
    )[1][:13]
    for args in (
        ["user", "list"],
        ["case", "list"],
        ["case", "show", code],
        ["case", "list", "--reveal-names"],
    ):
        result = runner.invoke(cli, ["--vault", str(vault), *args], env=env)
        assert result.exit_code == 0, result.output
        assert not any(_unsafe(ch) for ch in result.output), (args, repr(result.output))
    assert (
        "Ana]0;owned[2J31mLi" in runner.invoke(cli, ["--vault", str(vault), "user", "list"], env=env).output
    )


def test_the_app_filters_every_line_it_draws() -> None:
    line = [Segment("Name: "), Segment(HOSTILE), Segment("\x1b[0m", None, None)]
    shown = TerminalSafe().apply(line, Color(0, 0, 0))
    assert "".join(s.text for s in shown) == "Name: Ana]0;owned[2J31mLi[0m"


def test_on_a_terminal_only_trpkits_own_colour_survives() -> None:
    """Colour sequences in data are removed like any control character, on a terminal too; only the
    highlights trpkit adds with styled() come out, and only when colour is on."""
    import io

    from trpkit.commands._safe_output import SafeStdout, styled

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    tty, pipe = Tty(), io.StringIO()
    for stream in (tty, pipe):
        text = styled("bold", bold=True) + " \x1b[1mnot ours\x1b[0m " + styled(HOSTILE, fg="red")
        SafeStdout(stream).write(text)
    assert tty.getvalue() == "\x1b[1mbold\x1b[0m [1mnot ours[0m \x1b[31mAna]0;owned[2J31mLi\x1b[0m"
    assert pipe.getvalue() == "bold [1mnot ours[0m Ana]0;owned[2J31mLi"


NAMED = "Ana\x07\x1b[31mRed\x1b]0;title\x07Li"


def _no_data_control(output: str) -> None:
    assert "\x07" not in output and "\x1b]" not in output and "\x1b[31m" not in output, repr(output)


def test_with_colour_forced_the_cli_shows_names_and_words_without_their_escapes(tmp_path: Path) -> None:
    from trpkit.services.consent import record_consent
    from trpkit.services.narrative import add_entry
    from trpkit.services.narrative_meetings import add_meeting

    vault = tmp_path / "v.trpvault"
    db = create_vault(vault, TEST_PASSPHRASE)
    with db.session() as s:
        create_user(s, "boss", role="supervisor", display_name=NAMED)
        boss = actor_for(s, "boss")
        code = create_case(s, boss, person={"legal_name": NAMED, "preferred_name": NAMED}).code
        for purpose in ("prepare_file", "quote_own_words"):
            record_consent(s, boss, code, purpose=purpose, decision="given", method="written")
        meeting = add_meeting(s, boss, code, held_on=date(2026, 3, 2))
        add_entry(s, boss, code, meeting.id, f"{NAMED} said the passport was kept by the farm boss.")
    db.close()
    runner = CliRunner()
    env = {"TRPKIT_PASSPHRASE": TEST_PASSPHRASE}
    for args in (["user", "list"], ["case", "list", "--reveal-names"], ["case", "show", code]):
        result = runner.invoke(cli, ["--vault", str(vault), *args], env=env, color=True)
        assert result.exit_code == 0, result.output
        _no_data_control(result.output)
        assert "Ana[31mRed]0;titleLi" in result.output, (args, result.output)
    found = runner.invoke(cli, ["--vault", str(vault), "search", "passport"], env=env, color=True)
    assert found.exit_code == 0, found.output
    _no_data_control(found.output)
    assert "31mRed]0;titleLi said the" in found.output  # the snippet may start mid-name
    assert "\x1b[1m\x1b[4mpassport\x1b[0m" in found.output  # trpkit's own highlight still works
    plain = runner.invoke(cli, ["--vault", str(vault), "search", "passport"], env=env)
    assert "\x1b" not in plain.output and "[passport]" in plain.output
