"""The one way tests run trpkit's command line: click's CliRunner, in this process.

``run_cli`` behaves like the ``trpkit`` program run from a script: the environment has no TRPKIT_*
variable except those given (and the test's isolated TRPKIT_CONFIG), standard input is empty and not a
terminal, standard output and error are captured apart, and the exit code is what the program would
return. It costs no interpreter start-up, which made the subprocess-based tests the slowest in the
suite.

Tests about the process itself still spawn one, because only a real process shows it:
- start-up and exit code: cli/test_cli_basics.py::test_the_program_starts_and_exits_with_its_code;
  what a fresh interpreter imports: architecture/test_import_hygiene.py, tui/test_first_paint.py,
  narrative/test_date_phrase_data.py::test_dateparser_is_imported_only_when_needed;
- a closed pipe (``| head``): cli/test_cli_basics.py::test_closed_pipe_ends_quietly;
- SIGKILL mid-write, mid-import, mid-migration: robustness/test_crash.py, robustness/test_faults.py,
  narrative/test_narrative_kill.py;
- a real terminal: tui/test_tmux_end_to_end.py.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

NO_CONFIG = "/nonexistent/trpkit-test/config.toml"


@dataclass(frozen=True)
class CliResult:
    """What a finished ``trpkit`` run left: the same three fields as ``subprocess.CompletedProcess``."""

    returncode: int
    stdout: str
    stderr: str
    stdout_bytes: bytes


def _environment(passphrase: str | None, env: Mapping[str, str | None] | None) -> dict[str, str | None]:
    """Overrides for os.environ: every TRPKIT_* variable unset unless named, as a clean shell has."""
    changes: dict[str, str | None] = {k: None for k in os.environ if k.startswith("TRPKIT_")}
    changes["TRPKIT_CONFIG"] = os.environ.get("TRPKIT_CONFIG") or NO_CONFIG
    if passphrase is not None:
        changes["TRPKIT_PASSPHRASE"] = passphrase
    changes.update(env or {})
    return changes


def run_cli(
    args: Sequence[str],
    *,
    vault: Path | str | None = None,
    user: str | None = None,
    passphrase: str | None = None,
    env: Mapping[str, str | None] | None = None,
    cwd: Path | None = None,
    input: str | bytes | None = None,
) -> CliResult:
    """Run ``trpkit [--vault VAULT] [--user USER] ARGS`` in-process and return its exit code and output.

    ``env`` adds to (or, with None, removes from) the clean environment; ``cwd`` is the working folder
    for the run only. The process umask, which the CLI makes private, is put back afterwards.
    """
    from trpkit.cli import cli

    prefix = (["--vault", str(vault)] if vault is not None else []) + (["--user", user] if user else [])
    umask = os.umask(0o077)
    os.umask(umask)
    chdir = contextlib.chdir(cwd) if cwd is not None else contextlib.nullcontext()
    try:
        with chdir:
            result = CliRunner().invoke(
                cli,
                [*prefix, *args],
                input=input,
                env=_environment(passphrase, env),
                prog_name="trpkit",
                catch_exceptions=False,
            )
    finally:
        os.umask(umask)
    return CliResult(result.exit_code, result.stdout, result.stderr, result.stdout_bytes)


def cli_ok(args: Sequence[str], **kw: object) -> str:
    """``run_cli`` that must succeed; its standard output."""
    result = run_cli(args, **kw)  # type: ignore[arg-type]
    assert result.returncode == 0, result.stderr
    return result.stdout
