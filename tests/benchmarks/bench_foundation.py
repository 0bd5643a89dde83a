"""Foundation benchmarks (not part of the default test run). Prints medians against the targets.

    .venv/bin/python tests/benchmarks/bench_foundation.py [--cases 10000] [--runs 5]

Targets (2-core machine): `trpkit --help` < 0.3 s; TUI start to unlock screen < 0.6 s; vault unlock
< 0.5 s; with 10,000 cases the case list shown < 1 s after unlock and filtering < 50 ms per keystroke;
memory < 200 MB RSS with 10,000 cases.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
PASS = "benchmark passphrase orchard lantern"


_GENERATE = """
from pathlib import Path
from trpkit.db.database import create_vault
from trpkit.demo import generate
from trpkit.services.users import actor_for, create_user
db = create_vault(Path({path!r}), {passphrase!r})
with db.session() as s:
    create_user(s, "bench", role="supervisor")
    generate(s, actor_for(s, "bench"), {cases}, seed=1)
db.close()
"""


def median_of(runs: int, func) -> float:  # type: ignore[no-untyped-def]
    return statistics.median(func() for _ in range(runs))


def timed_process(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True)
    return time.perf_counter() - start


def report(name: str, value: float, target: float, unit: str = "s") -> None:
    verdict = "ok" if value < target else "SLOWER THAN TARGET"
    print(f"{name:<48} median {value:8.3f} {unit}   target < {target} {unit}   {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from trpkit.db.vault import unlock

    report("trpkit --help", median_of(args.runs, lambda: timed_process([sys.executable, "-m", "trpkit", "--help"])), 0.3)

    tmp = Path(tempfile.mkdtemp())
    path = tmp / "bench.trpvault"
    start = time.perf_counter()
    # Generated in another process, so this process's memory reflects the app, not the generator.
    subprocess.run([sys.executable, "-c", _GENERATE.format(path=str(path), cases=args.cases, passphrase=PASS)],
                   check=True, cwd=ROOT)
    print(f"(generated {args.cases} demo cases, every area's data included, in {time.perf_counter() - start:.1f} s)")

    report("vault unlock (Argon2id + key check)", median_of(args.runs, lambda: _time(lambda: unlock(path, PASS))), 0.5)

    script = (
        "import asyncio, time, sys; t0=time.perf_counter();"
        "from trpkit.config import Settings; from trpkit.db.engine import Target; from pathlib import Path;"
        "from trpkit.tui.app import TrpkitApp; from trpkit.tui.screens.unlock import UnlockScreen\n"
        "async def go():\n"
        f"    app=TrpkitApp(Settings(target=Target(vault_path=Path({str(path)!r}))))\n"
        "    async with app.run_test(size=(120,40)) as pilot:\n"
        "        while not isinstance(app.screen, UnlockScreen): await pilot.pause()\n"
        "        print(time.perf_counter()-t0)\n"
        "asyncio.run(go())"
    )
    times = [float(subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True,
                                  cwd=ROOT).stdout.strip()) for _ in range(args.runs)]
    report("TUI start to unlock screen (in-process)", statistics.median(times), 0.6)

    list_times, settled_times, filter_times = asyncio.run(_case_list(path, args.runs))
    report(f"case list, 'c' pressed at once after unlock", statistics.median(list_times), 1.0)
    report("case list, 'c' pressed once the home screen loaded", statistics.median(settled_times), 1.0)
    report("filter per keystroke", statistics.median(filter_times) * 1000, 50, "ms")
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report(f"peak RSS of this process with {args.cases} cases", rss_mb, 200, "MB")
    os.remove(path)


def _time(func) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


async def _case_list(path: Path, runs: int) -> tuple[list[float], list[float], list[float]]:
    from textual.widgets import Input

    from trpkit.config import Settings
    from trpkit.db.engine import Target
    from trpkit.tui.app import TrpkitApp
    from trpkit.tui.screens.case_list import CaseListScreen
    from trpkit.tui.screens.dashboard import DashboardScreen

    list_times: list[float] = []
    settled_times: list[float] = []
    filter_times: list[float] = []
    for _ in range(runs):
        app = TrpkitApp(Settings(target=Target(vault_path=path), username="bench"))
        async with app.run_test(size=(120, 40)) as pilot:
            app.screen.query_one("#passphrase", Input).value = PASS
            start = time.perf_counter()
            await pilot.press("enter")
            while not isinstance(app.screen, DashboardScreen):
                await pilot.pause(0.01)
            await pilot.press("c")
            while not (isinstance(app.screen, CaseListScreen) and app.screen.cases):
                await pilot.pause(0.01)
            await pilot.pause()
            list_times.append(time.perf_counter() - start)
            screen = app.screen
            await pilot.press("escape")
            await app.workers.wait_for_complete()
            await pilot.pause()
            t0 = time.perf_counter()
            await pilot.press("c")
            while not (isinstance(app.screen, CaseListScreen) and app.screen.cases):
                await pilot.pause(0.01)
            await pilot.pause()
            settled_times.append(time.perf_counter() - t0)
            screen = app.screen
            for text in ("t", "tr", "trp-", "trp-2", "agri", "agric", "mx", "0042"):
                t0 = time.perf_counter()
                screen.apply_filter(text)
                filter_times.append(time.perf_counter() - t0)
    return list_times, settled_times, filter_times


if __name__ == "__main__":
    main()
