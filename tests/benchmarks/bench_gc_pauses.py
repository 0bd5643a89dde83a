"""Garbage-collector pauses while typing over a large caseload (not part of the default test run).

    .venv/bin/python tests/benchmarks/bench_gc_pauses.py [--cases 100000] [--keep DIR]

Python's collector walks every tracked object on a full (oldest-generation) collection: with 100,000
case objects in memory a full collection during a keystroke is a visible pause. The case list keeps its
cases as plain tuples of strings, which the collector stops tracking, so it walks the app, not the
caseload.

One app session (run it on an older commit for the "before"): it unlocks, loads the whole case list,
types 40 keys in its filter, opens a case and types 248 characters in the narrative editor, with the
list still open beneath; ``gc.callbacks`` times every collection. Prints the collections by generation,
the objects the collector tracks, the longest full collection, the total time in the collector and the
median and slowest keystroke as Pilot saw them.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_foundation import PASS, _settle  # noqa: E402
from bench_tui_lists import _vault  # noqa: E402

FILTER_KEYS = "agri" + "\b" * 4 + "trp-30" + "\b" * 6 + "mx" + "\b" * 2 + "construction" + "\b" * 12
EDITOR_TEXT = "She said the recruiter kept the passports in a locked drawer. " * 4


class Pauses:
    """Every collection's length, by generation (from gc.callbacks)."""

    def __init__(self) -> None:
        self.by_generation: dict[int, list[float]] = {0: [], 1: [], 2: []}
        self._start = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.by_generation[info["generation"]].append(time.perf_counter() - self._start)


async def _session(path: Path) -> tuple[tuple[int, int, int], dict[str, float]]:
    from textual.widgets import Input, TextArea

    from trpkit.config import Settings
    from trpkit.db.engine import Target
    from trpkit.tui.app import TrpkitApp
    from trpkit.tui.screens.case_file import CaseFileScreen
    from trpkit.tui.screens.case_list import CaseListScreen
    from trpkit.tui.screens.dashboard import DashboardScreen

    pauses = Pauses()
    keystrokes: list[float] = []
    try:
        app = TrpkitApp(Settings(target=Target(vault_path=path), username="bench"))
        async with app.run_test(size=(120, 40)) as pilot:
            await _settle(app)
            app.screen.query_one("#passphrase", Input).value = PASS
            await pilot.press("enter")
            while not isinstance(app.screen, DashboardScreen):
                await pilot.pause(0.05)
            await _settle(app)
            await pilot.press("c")
            while not (isinstance(app.screen, CaseListScreen) and app.screen.complete):
                await pilot.pause(0.05)
            await _settle(app)
            tracked = len(gc.get_objects())
            gc.callbacks.append(pauses)
            for key in FILTER_KEYS:
                start = time.perf_counter()
                await pilot.press("backspace" if key == "\b" else key)
                keystrokes.append(time.perf_counter() - start)
            row = app.screen.shown[0]
            code = row.code if hasattr(row, "code") else row[0]  # a summary (older commits) or a row
            await app.open_case(code, tab="narrative")
            while not isinstance(app.screen, CaseFileScreen):
                await pilot.pause(0.05)
            await _settle(app)
            app.screen.query_one("#editor", TextArea).focus()
            await _settle(app)
            if not isinstance(app.focused, TextArea):
                raise SystemExit(f"the narrative editor did not take the focus ({app.focused!r})")
            for char in EDITOR_TEXT:
                start = time.perf_counter()
                await pilot.press("space" if char == " " else char)
                keystrokes.append(time.perf_counter() - start)
            gc.callbacks.remove(pauses)
    finally:
        gc.collect()
    full = pauses.by_generation[2]
    counts = (len(pauses.by_generation[0]), len(pauses.by_generation[1]), len(full))
    return counts, {
        "objects tracked, list loaded": float(tracked),
        "longest full collection (ms)": 1000 * max(full, default=0.0),
        "total time collecting (ms)": 1000 * sum(sum(v) for v in pauses.by_generation.values()),
        "median keystroke (ms)": 1000 * statistics.median(keystrokes),
        "slowest keystroke (ms)": 1000 * max(keystrokes),
    }


def main() -> None:
    from trpkit.loading.date_phrases import install

    install()  # as trpkit's CLI does: dates are read with checklists/date_phrases/
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="folder to keep (and reuse) the generated vault in")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp())
    folder.mkdir(parents=True, exist_ok=True)
    path = _vault(args.cases, folder)
    counts, measures = asyncio.run(_session(path))
    print(f"--- {args.cases:,} cases, {len(FILTER_KEYS)} filter keys + {len(EDITOR_TEXT)} editor keys")
    print(f"collections gen 0/1/2 = {counts[0]}/{counts[1]}/{counts[2]}")
    for measure, value in measures.items():
        print(f"  {measure:<32} {value:10.1f}")
    if not args.keep:
        path.unlink()


if __name__ == "__main__":
    main()
