"""Deadline dashboard benchmark (not part of the default test run). Prints medians against the target.

    .venv/bin/python tests/benchmarks/bench_deadlines.py [--cases 10000] [--runs 7]

Target (2-core machine): the deadlines across 10,000 demo cases (with their applications, renewals,
work permits and requests for information) computed in < 200 ms, for a supervisor (all cases) and
for an accompanier (own and assigned cases). Also reports the permit-holder clock for one case and
the .ics export of everything due within a year, and the dashboard with no horizon (every case's
permit-holder clock, with its recorded ground and absences from Canada).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
PASS = "benchmark passphrase orchard lantern"


CPU: list[
    float
] = []  # process CPU time of each timed call (the machine is shared: wall time varies with load)


def timed(func) -> float:  # type: ignore[no-untyped-def]
    cpu = time.process_time()
    start = time.perf_counter()
    func()
    CPU.append(time.process_time() - cpu)
    return time.perf_counter() - start


def report(name: str, values: list[float], target_ms: float) -> None:
    median = statistics.median(values) * 1000
    cpu = statistics.median(CPU[-len(values) :]) * 1000
    verdict = "ok" if median < target_ms else "SLOWER THAN TARGET"
    print(
        f"{name:<52} median {median:7.1f} ms wall, {cpu:7.1f} ms CPU (min wall {min(values) * 1000:.1f})"
        f"  target < {target_ms} ms  {verdict}"
    )


def main() -> None:
    from trpkit.loading.date_phrases import install

    install()  # as trpkit's CLI does: dates are read with checklists/date_phrases/
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    from sqlalchemy import func, select

    from trpkit.db.database import create_vault
    from trpkit.db.models import AbsenceFromCanada, Application, Decision, PermitHolderGround
    from trpkit.demo import generate
    from trpkit.services.clock_view import continuity
    from trpkit.services.deadlines import export_ics, list_deadlines
    from trpkit.services.users import actor_for, create_user

    tmp = Path(tempfile.mkdtemp())
    path = tmp / "bench.trpvault"
    today = date(2026, 11, 28)
    db = create_vault(path, PASS)
    start = time.perf_counter()
    with db.session() as s:
        create_user(s, "chief", role="supervisor")
        create_user(s, "worker", role="accompanier")
        worker = actor_for(s, "worker")
        cases = generate(s, worker, args.cases, seed=7, today=today)
    print(f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    print(f"(generated {args.cases} demo cases in {time.perf_counter() - start:.1f} s)")
    with db.session() as s:
        chief = actor_for(s, "chief")
        apps = s.scalar(select(func.count(Application.id)))
        decisions = s.scalar(select(func.count(Decision.id)))
        summary = list_deadlines(s, chief, today=today, within_days=120)
        grounds = s.scalar(select(func.count(PermitHolderGround.id)))
        absences = s.scalar(select(func.count(AbsenceFromCanada.id)))
    print(
        f"({apps} applications, {decisions} decisions, {grounds} recorded grounds, {absences} absences; "
        f"{len(summary.items)} deadlines within 120 days: "
        f"{summary.overdue} overdue, {summary.due} due, {summary.coming} coming)"
    )

    for label, actor in (("supervisor", chief), ("accompanier", worker)):
        times = []
        for _ in range(args.runs):
            with db.session() as s:
                times.append(timed(lambda: list_deadlines(s, actor, today=today, within_days=120)))  # noqa: B023
        report(f"deadline dashboard, {args.cases} cases ({label})", times, 200)

    times = []
    for _ in range(max(3, args.runs // 2)):
        with db.session() as s:
            times.append(timed(lambda: list_deadlines(s, chief, today=today, within_days=None)))
    report(f"deadlines with no horizon, {args.cases} cases", times, 1000)

    code = cases[len(cases) // 2].code
    times = []
    for _ in range(args.runs):
        with db.session() as s:
            times.append(timed(lambda: continuity(s, chief, code, today=today)))
    report("permit-holder clock for one case", times, 50)
    times = []
    for _ in range(max(3, args.runs // 2)):
        with db.session() as s:
            times.append(timed(lambda: export_ics(s, chief, tmp / "all.ics", today=today, within_days=365)))
    report("deadlines .ics export (365 days)", times, 1000)
    db.close()


if __name__ == "__main__":
    main()
