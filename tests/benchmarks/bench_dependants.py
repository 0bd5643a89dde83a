"""Dependants benchmarks (run on demand): python tests/benchmarks/bench_dependants.py

Prints medians of: the demo's dependants generator over 10,000 cases (and the whole demo for scale),
and the service calls an accompanier makes on a person with 20 dependants.
"""

from __future__ import annotations

import random
import shutil
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from trpkit.db.database import create_vault
from trpkit.demo import generate
from trpkit.services.users import actor_for, create_user

RUNS = 5


def main() -> None:
    from trpkit.loading.date_phrases import install

    install()  # as trpkit's CLI does: dates are read with checklists/date_phrases/
    from trpkit.demo import dependants as demo_dependants
    from trpkit.services.cases import create_case
    from trpkit.services.dependants import add_dependant, edit_dependant, list_dependants

    folder = Path(tempfile.mkdtemp())
    database = create_vault(folder / "bench.trpvault", "benchmark passphrase, fictional only")
    with database.session() as session:
        create_user(session, "ana", role="supervisor")
        actor = actor_for(session, "ana")
    start = time.perf_counter()
    with database.session() as session:
        cases = generate(session, actor, 10_000, seed=3, today=date(2026, 11, 2))
    print(f"whole demo, 10,000 cases: {time.perf_counter() - start:.1f} s (once)")
    timings = []
    for _ in range(RUNS):
        with database.session() as session:
            start = time.perf_counter()
            demo_dependants.generate(session, actor, cases, random.Random(1), date(2026, 11, 2))
            timings.append(time.perf_counter() - start)
            session.rollback()
    print(f"dependants generator over 10,000 cases: median {statistics.median(timings) * 1000:.0f} ms")

    with database.session() as session:
        code = create_case(session, actor, person={"legal_name": "Bench Fictional"}).code
        for n in range(20):
            add_dependant(
                session,
                actor,
                code,
                name=f"Dependant {n} Inventado",
                relationship="child",
                birth_date="aged 5",
            )
    for label, call in (
        ("list 20 dependants", lambda s: list_dependants(s, actor, code)),
        (
            "add a 21st (rolled back)",
            lambda s: add_dependant(s, actor, code, name="Extra Inventado", relationship="sibling"),
        ),
        ("edit one of 20", lambda s: edit_dependant(s, actor, code, 3, notes=f"note {time.time()}")),
    ):
        timings = []
        for _ in range(RUNS):
            with database.session() as session:
                start = time.perf_counter()
                call(session)
                timings.append(time.perf_counter() - start)
                session.rollback()
        print(f"{label}: median {statistics.median(timings) * 1000:.1f} ms")
    database.close()
    shutil.rmtree(folder)


if __name__ == "__main__":
    main()
