"""First paint of the unlock screen in a real terminal (tmux), side by side with a bare Textual app that
shows one Input. Not part of the default test run.

    .venv/bin/python tests/benchmarks/bench_first_paint.py [--runs 7] [--size 80x24]

Each run starts both programs, alternately, in a fresh detached tmux session of the given size, and polls
the pane (every 5 ms) until the screen shows the input's placeholder: the time from the start of the
program to that moment. Prints medians and the ratio; target: trpkit ≤ 1.5 × the bare app. Exits 1 if the
ratio is over the target.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PASS = "benchmark passphrase orchard lantern"
TARGET_RATIO = 1.5
# A tmux server of its own, kept up by an idle session: a server that exits when its last session is
# killed can make the next new-session fail ("server exited unexpectedly").
TMUX = ["tmux", "-L", f"trpkit-bench-{os.getpid()}"]

BARE_APP = """
from textual.app import App
from textual.widgets import Input


class Bare(App[None]):
    def compose(self):
        yield Input(placeholder="Bare input ready")


Bare().run()
"""

MAKE_VAULT = """
import sys
from pathlib import Path
from trpkit.db.database import create_vault
from trpkit.services.users import create_user
db = create_vault(Path(sys.argv[1]), sys.argv[2])
with db.session() as s:
    create_user(s, "bench", role="supervisor")
db.close()
"""


def first_paint(command: str, marker: str, size: tuple[int, ...], env: dict[str, str]) -> float:
    name = f"paint{os.getpid()}{time.monotonic_ns()}"
    start = time.perf_counter()
    started = subprocess.run(
        [*TMUX, "new-session", "-d", "-s", name, "-x", str(size[0]), "-y", str(size[1]), command],
        env=env,
        capture_output=True,
        text=True,
    )
    if started.returncode != 0:
        raise RuntimeError(f"tmux could not start {command!r}: {started.stderr.strip()}")
    try:
        while True:
            pane = subprocess.run(
                [*TMUX, "capture-pane", "-p", "-t", name], capture_output=True, text=True, check=False
            ).stdout
            if marker in pane:
                return time.perf_counter() - start
            if time.perf_counter() - start > 30:
                raise TimeoutError(f"{marker!r} never appeared:\n{pane}")
            time.sleep(0.005)
    finally:
        subprocess.run([*TMUX, "kill-session", "-t", name], check=False, capture_output=True)


def main() -> None:
    from trpkit.loading.date_phrases import install

    install()  # as trpkit's CLI does: dates are read with checklists/date_phrases/
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--size", default="80x24")
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        sys.exit("tmux is needed for this benchmark")
    size = tuple(int(n) for n in args.size.split("x"))
    subprocess.run([*TMUX, "new-session", "-d", "-s", "keep", "sleep 100000"], check=True)
    try:
        medians, times = measure(args.runs, size)
    finally:
        subprocess.run([*TMUX, "kill-server"], check=False, capture_output=True)
    for name, value in medians.items():
        spread = ", ".join(f"{v:.3f}" for v in sorted(times[name]))
        print(f"{name:<32} median {value:6.3f} s   (runs: {spread})")
    ratio = medians["trpkit unlock screen"] / medians["bare Textual app, one Input"]
    verdict = "ok" if ratio <= TARGET_RATIO else "SLOWER THAN TARGET"
    print(f"ratio trpkit / bare: {ratio:.2f}   target ≤ {TARGET_RATIO}   {verdict}")
    sys.exit(0 if ratio <= TARGET_RATIO else 1)


def measure(runs: int, size: tuple[int, ...]) -> tuple[dict[str, float], dict[str, list[float]]]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        vault = folder / "bench.trpvault"
        subprocess.run([sys.executable, "-c", MAKE_VAULT, str(vault), PASS], check=True, cwd=ROOT)
        (folder / "bare.py").write_text(BARE_APP)
        env = {k: v for k, v in os.environ.items() if not k.startswith("TRPKIT_")}
        env.update(TRPKIT_CONFIG=str(folder / "none.toml"), TERM=env.get("TERM", "xterm-256color"))
        python = sys.executable
        programs = {
            "bare Textual app, one Input": (f"{python} {folder / 'bare.py'}", "Bare input ready"),
            "trpkit unlock screen": (f"cd {ROOT} && {python} -m trpkit --vault {vault}", "Vault passphrase"),
        }
        times: dict[str, list[float]] = {name: [] for name in programs}
        first_paint(*programs["bare Textual app, one Input"], size, env)  # warm the disk cache for both
        first_paint(*programs["trpkit unlock screen"], size, env)
        for _ in range(runs):
            for name, (command, marker) in programs.items():
                times[name].append(first_paint(command, marker, size, env))
    return {name: statistics.median(values) for name, values in times.items()}, times


if __name__ == "__main__":
    main()
