"""The case list at 10,000 and 100,000 cases (not part of the default test run). Prints medians.

    .venv/bin/python tests/benchmarks/bench_tui_lists.py [--cases 10000 100000] [--runs 3] [--keep DIR]

Targets (issue 14): the case list painted <= 1 s after Enter on the unlock screen at 10,000 cases;
filtering <= 50 ms per keystroke at 10,000 cases and <= 100 ms at 100,000; peak RSS of one app
session <= 200 MB at 100,000 cases.

A vault of 100,000 fully generated demo cases takes far too long to make, and the list reads only
cases, people and assignments: so 1,000 demo cases are generated (every area's data) and their
case, person and assignment rows are copied under new codes until the vault holds N cases. The timing
and memory measurements are bench_foundation's (the same instrumented app session).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_foundation import _GENERATE, PASS, _case_list, _time, median_of, report  # noqa: E402

BASE = 1_000
# Tables whose rows belong to one case and that the case list reads.
_PER_CASE = ("persons", "case_assignments")


def _columns(conn, table: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]


def _grow(path: Path, target: int) -> None:
    """Copy the generated cases (with their person and assignments) under new codes up to ``target``."""
    import sqlcipher3

    from trpkit.db.vault import key_connection, unlock

    conn = sqlcipher3.dbapi2.connect(str(path))
    key_connection(conn, unlock(path, PASS))
    (count, top) = conn.execute("SELECT count(*), max(id) FROM cases").fetchone()
    assert count == top, "case ids must be contiguous to map copies"
    case_cols = [c for c in _columns(conn, "cases") if c != "id"]
    tables = [t for t in _PER_CASE if _columns(conn, t)]
    copy = 0
    while count < target:
        copy += 1
        take = min(BASE, target - count)
        offset = conn.execute("SELECT max(id) FROM cases").fetchone()[0]
        select = ", ".join(
            f"'TRP-{3000 + copy}-' || substr(code, 10)" if c == "code" else c for c in case_cols
        )
        conn.execute(
            f"INSERT INTO cases ({', '.join(case_cols)}) SELECT {select} FROM cases WHERE id <= ? ORDER BY id",
            (take,),
        )
        for table in tables:
            cols = [c for c in _columns(conn, table) if c != "id"]
            chosen = ", ".join(f"case_id + {offset}" if c == "case_id" else c for c in cols)
            conn.execute(
                f"INSERT INTO {table} ({', '.join(cols)}) SELECT {chosen} FROM {table} WHERE case_id <= ?",
                (take,),
            )
        count += take
    conn.commit()
    conn.close()


def _vault(cases: int, folder: Path) -> Path:
    path = folder / f"bench-{cases}.trpvault"
    if path.exists():
        print(f"(reusing {path})")
        return path
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", _GENERATE.format(path=str(path), cases=min(cases, BASE), passphrase=PASS)],
        check=True,
        cwd=ROOT,
    )
    _grow(path, cases)
    print(f"(made a vault of {cases} cases in {time.perf_counter() - start:.1f} s)")
    return path


def main() -> None:
    from trpkit.loading.date_phrases import install

    install()  # as trpkit's CLI does: dates are read with checklists/date_phrases/
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="folder to keep (and reuse) the generated vaults in")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp())
    folder.mkdir(parents=True, exist_ok=True)
    for cases in args.cases:
        path = _vault(cases, folder)
        timings = asyncio.run(_case_list(path, args.runs))
        print(f"--- {cases:,} cases (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
        # Side by side: the vault's key derivation alone (Argon2id, CPU-bound), paid between Enter and
        # any screen; on a loaded machine it shows how much of the total is the machine, not the list.
        from trpkit.db.vault import unlock

        report(
            "  reference: vault unlock alone",
            median_of(args.runs, lambda vault=path: _time(lambda: unlock(vault, PASS))),
            0.5,
        )
        report(
            "case list painted, counted from pressing Enter", statistics.median(timings["from_enter"]), 1.0
        )
        report("case list painted, 'c' once home settled", statistics.median(timings["settled"]), 1.0)
        target = 50 if cases <= 10_000 else 100
        report(
            "filter per keystroke (all cases loaded)",
            statistics.median(timings["filter"]) * 1000,
            target,
            "ms",
        )
        report("  slowest keystroke", max(timings["filter"]) * 1000, target, "ms")
        rss = [
            float(
                subprocess.run(
                    [
                        sys.executable,
                        str(Path(__file__).parent / "bench_foundation.py"),
                        "--rss-of",
                        str(path),
                    ],
                    check=True,
                    capture_output=True,
                    text=True,
                    cwd=ROOT,
                ).stdout.strip()
            )
            for _ in range(min(args.runs, 3))
        ]
        report("peak RSS of one app session", statistics.median(rss), 200, "MB")
        if not args.keep:
            path.unlink()


if __name__ == "__main__":
    main()
