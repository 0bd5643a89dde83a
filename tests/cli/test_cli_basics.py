"""The CLI as a person (or a script) runs it: exit codes, one-line errors, JSON (in-process, tests/cli.py).

Two tests still spawn ``python -m trpkit``: the program's own start-up and exit code, and a closed pipe
(``| head``), which only a real process with a real pipe can show."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli import NO_CONFIG, CliResult, run_cli
from tests.conftest import TEST_PASSPHRASE

PASS = TEST_PASSPHRASE  # the passphrase of the shared template vault (cli_vault)


def run(
    args: list[str],
    vault: Path | None = None,
    passphrase: str | None = PASS,
    extra_env: dict[str, str] | None = None,
) -> CliResult:
    return run_cli(args, vault=vault, passphrase=passphrase, env=extra_env)


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRPKIT_")}
    env.update(TRPKIT_CONFIG=NO_CONFIG, **extra)
    return env


@pytest.fixture
def vault(cli_vault: Path) -> Path:
    """A vault as 'trpkit init --user ana' leaves it, copied from the migrated template (a real 'init'
    costs a fresh Argon2id stretch and every migration: test_missing_vault_and_missing_passphrase runs one)."""
    return cli_vault


def test_the_program_starts_and_exits_with_its_code(tmp_path: Path) -> None:
    """A real process: ``python -m trpkit`` starts, prints, and exits with the error's own code."""
    version = subprocess.run(
        [sys.executable, "-m", "trpkit", "--version"],
        capture_output=True,
        text=True,
        env=_clean_env(),
        timeout=120,
    )
    assert version.returncode == 0 and version.stdout.startswith("trpkit, version")
    missing = subprocess.run(
        [sys.executable, "-m", "trpkit", "--vault", str(tmp_path / "none.trpvault"), "case", "list"],
        capture_output=True,
        text=True,
        env=_clean_env(TRPKIT_PASSPHRASE=PASS),
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert missing.returncode == 3 and "trpkit init" in missing.stderr
    assert "Traceback" not in missing.stderr and len(missing.stderr.strip().splitlines()) == 1


def test_version_and_help() -> None:
    assert run(["--version"]).stdout.startswith("trpkit, version")
    help_text = run(["--help"]).stdout
    for command in ("init", "case", "consent", "audit", "demo", "db"):
        assert command in help_text


def test_case_lifecycle_with_json(vault: Path) -> None:
    created = run(
        [
            "case",
            "new",
            "--name",
            "Rosa Ejemplar",
            "--nationality",
            "mx",
            "--sector",
            "agriculture",
            "--json",
        ],
        vault,
    )
    assert created.returncode == 0, created.stderr
    code = json.loads(created.stdout)["code"]
    listed = json.loads(run(["case", "list", "--json"], vault).stdout)
    assert [c["code"] for c in listed] == [code]
    assert listed[0]["display_name"] == "•••"
    shown = json.loads(run(["case", "show", code, "--json"], vault).stdout)
    assert shown["person"]["legal_name"] == "Rosa Ejemplar" and shown["person"]["nationality"] == "MX"
    edited = run(
        ["case", "edit", code, "--set", "status=preparing", "--expected-version", "1", "--json"], vault
    )
    assert json.loads(edited.stdout)["version"] == 2
    stale = run(["case", "edit", code, "--set", "status=closed", "--expected-version", "1"], vault)
    assert stale.returncode == 6 and "changed by someone else" in stale.stderr
    consent = run(
        [
            "consent",
            "record",
            code,
            "--purpose",
            "submit_to_ircc",
            "--given",
            "--method",
            "written",
            "--json",
        ],
        vault,
    )
    assert json.loads(consent.stdout)["state"] == "given"
    states = {
        s["purpose"]: s["state"] for s in json.loads(run(["consent", "show", code, "--json"], vault).stdout)
    }
    assert states["submit_to_ircc"] == "given" and states["coalition_sharing"] == "not asked"
    audit = json.loads(run(["audit", "show", "--case", code, "--json"], vault).stdout)
    assert {"case.create", "case.read", "case.update", "consent.record"} <= {e["action"] for e in audit}
    assert run(["audit", "verify"], vault).returncode == 0


@pytest.mark.parametrize(
    ("args", "passphrase", "code", "needle"),
    [
        (["case", "list"], "wrong wrong wrong wrong", 3, "Wrong passphrase"),
        (["case", "show", "TRP-1900-0001"], PASS, 2, "No case TRP-1900-0001"),
        (["case", "new", "--sector", "fishing"], PASS, 2, "unknown exploitation sector"),
        (
            ["consent", "record", "TRP-1900-0001", "--purpose", "submit_to_ircc", "--method", "written"],
            PASS,
            2,
            "Say what the person decided",
        ),
    ],
)
def test_errors_are_one_line_without_traceback(
    vault: Path, args: list[str], passphrase: str, code: int, needle: str
) -> None:
    result = run(args, vault, passphrase)
    assert result.returncode == code
    assert needle in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_init_refuses_weak_passphrase_and_existing_vault(tmp_path: Path, vault: Path) -> None:
    weak = run(["init"], tmp_path / "weak.trpvault", passphrase="password1")
    assert weak.returncode == 3 and "too weak" in weak.stderr
    assert not (tmp_path / "weak.trpvault").exists()
    again = run(["init"], vault)
    assert again.returncode == 3 and "already exists" in again.stderr


def test_missing_vault_and_missing_passphrase(tmp_path: Path) -> None:
    missing = run(["case", "list"], tmp_path / "none.trpvault")
    assert missing.returncode == 3 and "trpkit init" in missing.stderr
    path = tmp_path / "v.trpvault"
    made = run(["init"], path)
    assert made.returncode == 0 and path.exists(), made.stderr
    nopass = run(["case", "list"], path, passphrase=None)
    assert nopass.returncode == 3 and "TRPKIT_PASSPHRASE" in nopass.stderr


def test_passphrase_change(vault: Path) -> None:
    new = "harbour thistle granite whisper"
    changed = run(["passphrase", "change"], vault, extra_env={"TRPKIT_NEW_PASSPHRASE": new})
    assert changed.returncode == 0, changed.stderr
    assert run(["case", "list"], vault).returncode == 3
    assert run(["case", "list"], vault, passphrase=new).returncode == 0


def test_db_current_and_demo(tmp_path: Path, vault: Path) -> None:
    info = json.loads(run(["db", "current", "--json"], vault).stdout)
    assert info["state"] == "current" and info["current"] == info["head"]
    demo_path = tmp_path / "demo.trpvault"
    made = run(
        ["demo", "--cases", "25", "--seed", "7", "--no-tui", "--path", str(demo_path)], passphrase=None
    )
    assert made.returncode == 0, made.stderr
    assert "Demo passphrase" in made.stderr
    from trpkit.demo import DEMO_PASSPHRASE

    listed = json.loads(run(["--user", "demo", "case", "list", "--json"], demo_path, DEMO_PASSPHRASE).stdout)
    assert len(listed) == 25


def test_the_demo_never_touches_the_vault_named_with_vault(tmp_path: Path, vault: Path) -> None:
    before = vault.read_bytes()
    data = tmp_path / "data"
    made = run(
        ["demo", "--cases", "3", "--no-tui"], vault, passphrase=None, extra_env={"XDG_DATA_HOME": str(data)}
    )
    assert made.returncode == 0, made.stderr
    assert "never touches your vault" in made.stderr
    assert vault.read_bytes() == before and list(data.rglob("demo.trpvault"))


def test_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    from trpkit.demo import DEMO_PASSPHRASE

    path = tmp_path / "pipe.trpvault"
    assert run(["demo", "--cases", "400", "--no-tui", "--path", str(path)], passphrase=None).returncode == 0
    env = _clean_env(TRPKIT_PASSPHRASE=DEMO_PASSPHRASE)
    # A real pipe closed by its reader: only a separate process shows that trpkit stops quietly.
    shell = f"'{sys.executable}' -m trpkit --vault '{path}' --user demo case list | head -n 2"
    result = subprocess.run(
        ["bash", "-o", "pipefail", "-c", shell], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.stdout.startswith("case")
    assert "Error" not in result.stderr and "Traceback" not in result.stderr
    # With pipefail this is trpkit's own exit code: 0 only through its closed-pipe handler (click alone
    # exits 1 quietly). The 400 cases print ~28 KB, enough that head has gone before the last write.
    assert result.returncode == 0, result.stderr
