"""Coalition benchmark (not part of the default test run). Prints medians against the targets.

    .venv/bin/python tests/benchmarks/bench_coalition.py [--decisions 100000] [--runs 3]

Targets (2-core machine):
- export of 100,000 decisions from an encrypted vault, with generalisation to k = 5, < 5 s
  (read, consent check, keyed ids, k-anonymity search, CSV, signature);
- the report over 100,000 records < 3 s (charts excluded; scipy/statsmodels imported before timing);
- the record ids a destroyed case owes the coalition, in a vault of 100,000 cases, < 1 s.
Also: the generaliser alone, CSV write/read, and a Word report with charts over 3,000 records.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

# One BLAS thread unless told otherwise: on the shared 2-core machine, BLAS threads compete for the cores and
# burn CPU spinning (set before numpy is imported, which happens inside main()).
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
PASS = "benchmark passphrase orchard lantern"
CPU: list[float] = []


def timed(func) -> float:  # type: ignore[no-untyped-def]
    cpu = time.process_time()
    start = time.perf_counter()
    func()
    CPU.append(time.process_time() - cpu)
    return time.perf_counter() - start


def report(name: str, values: list[float], target_ms: float | None) -> None:
    median = statistics.median(values) * 1000
    cpu = statistics.median(CPU[-len(values) :]) * 1000
    verdict = "" if target_ms is None else ("ok" if median < target_ms else "SLOWER THAN TARGET")
    target = "" if target_ms is None else f"target < {target_ms:.0f} ms"
    print(f"{name:<52} median {median:8.1f} ms wall, {cpu:8.1f} ms CPU  {target}  {verdict}")


def seed_vault(path: Path, n: int):  # type: ignore[no-untyped-def]
    """n decided (or pending) TRP applications, one per case, 80% with coalition-sharing consent."""
    from sqlalchemy import insert

    from trpkit.coalition.synthetic import raw_rows
    from trpkit.db.database import create_vault
    from trpkit.db.models import Application, Case, ConsentEvent, Decision, Person
    from trpkit.services import coalition
    from trpkit.services.users import actor_for, create_user

    database = create_vault(path, PASS)
    with database.session() as s:
        create_user(s, "sup", role="supervisor")
        actor = actor_for(s, "sup")
        coalition.keygen(s, actor, "bench-ngo")
        coalition.set_secret(s, actor, coalition.new_secret())
    rows = raw_rows(n, seed=3)
    rng = random.Random(4)
    now = datetime.now(UTC)
    with database.session() as s:
        s.execute(
            insert(Case),
            [
                {
                    "id": i + 1,
                    "code": f"TRP-2025-{i + 1:06d}",
                    "status": "decided",
                    "exploitation_sector": r["exploitation_sector"],
                    "law_enforcement_cooperation": r["law_enforcement_cooperation"],
                    "criminal_case_status": r["criminal_case_status"],
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                }
                for i, r in enumerate(rows)
            ],
        )
        s.execute(
            insert(Person),
            [
                {
                    "case_id": i + 1,
                    "legal_name": f"Bench Fictional {i}",
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                    "birth_date_earliest": r["submitted_date"] - timedelta(days=int(r["age_years"] * 365.25)),
                    "birth_date_latest": r["submitted_date"] - timedelta(days=int(r["age_years"] * 365.25)),
                    "gender": rng.choice(["woman", "man", "trans woman", "non-binary", ""]),
                    "nationality": r["country"],
                }
                for i, r in enumerate(rows)
            ],
        )
        s.execute(
            insert(ConsentEvent),
            [
                {
                    "case_id": i + 1,
                    "purpose": "coalition_sharing",
                    "decision": "given" if rng.random() < 0.8 else "refused",
                    "method": "written",
                    "decided_at": now,
                    "recorded_at": now,
                }
                for i in range(n)
            ],
        )
        s.execute(
            insert(Application),
            [
                {
                    "id": i + 1,
                    "case_id": i + 1,
                    "seq": 1,
                    "type": r["application_type"],
                    "stage": "submitted" if r["outcome"] == "pending" else "decided",
                    "stage_since": r["submitted_date"],
                    "submitted_on": r["submitted_date"],
                    "ircc_office": r["ircc_office"].title(),
                    "policy_period": r["policy_period"],
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                }
                for i, r in enumerate(rows)
            ],
        )
        s.execute(
            insert(Decision),
            [
                {
                    "application_id": i + 1,
                    "case_id": i + 1,
                    "outcome": r["outcome"],
                    "decided_on": r["decided_date"],
                    "duration_granted_days": 365 if r["outcome"] == "granted" else None,
                    "ircc_office": r["ircc_office"],
                    "officer_label": r["officer_label"],
                    "refusal_reasons": list(r["refusal_reasons"] or []),
                    "snapshot": {
                        "delphi": {
                            "identified": r["delphi_identified"],
                            "positive_dimensions": r["positive_dimensions"],
                            "strong": r["strong_indicators"],
                            "medium": r["medium_indicators"],
                            "weak": r["weak_indicators"],
                        },
                        "policy_period": r["policy_period"],
                    },
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                }
                for i, r in enumerate(rows)
                if r["outcome"] != "pending"
            ],
        )
    return database, actor


@contextlib.contextmanager
def _disclosure_off():  # type: ignore[no-untyped-def]
    """Only for measuring the pass's cost: every group shown, everything admitted, curves as they are."""
    from trpkit.coalition import disclosure, disclosure_ledger

    saved = (
        disclosure.plan_dimension,
        disclosure_ledger.Ledger.admit,
        disclosure.coarsen_curve,
        disclosure_ledger.Ledger.audit,
    )

    def shown(dimension, counts, min_cell, parents=None):  # type: ignore[no-untyped-def]
        return disclosure.DimensionPlan(dimension, {str(v): str(v) for v in counts})

    disclosure.plan_dimension = shown  # type: ignore[assignment]
    disclosure_ledger.Ledger.admit = lambda self, *args: ""  # type: ignore[method-assign]
    disclosure_ledger.Ledger.audit = lambda self: []  # type: ignore[method-assign]
    disclosure.coarsen_curve = lambda *args, **kwargs: None  # type: ignore[assignment]
    try:
        yield
    finally:
        (  # type: ignore[method-assign]
            disclosure.plan_dimension,
            disclosure_ledger.Ledger.admit,
            disclosure.coarsen_curve,
            disclosure_ledger.Ledger.audit,
        ) = saved


def main() -> None:
    from trpkit.loading.date_phrases import install

    install()  # as trpkit's CLI does: dates are read with checklists/date_phrases/
    parser = argparse.ArgumentParser()
    parser.add_argument("--decisions", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--no-vault", action="store_true", help="only what needs no vault (report, generaliser)"
    )
    args = parser.parse_args()

    import scipy.stats  # noqa: F401  - imports are not part of the timed work
    import statsmodels.genmod.generalized_linear_model  # noqa: F401

    from trpkit.coalition.report import build_report
    from trpkit.loading.coalition_policy import load_policy
    from trpkit.services import coalition

    policy = load_policy()
    n = args.decisions
    tmp = Path(tempfile.mkdtemp())
    if args.no_vault:
        _in_memory(args, policy, tmp)
        return
    start = time.perf_counter()
    database, actor = seed_vault(tmp / "bench.trpvault", n)
    print(f"seeded a vault with {n} TRP applications in {time.perf_counter() - start:.1f} s")

    def export() -> None:
        with database.session() as s:
            result = coalition.export(s, actor, policy=policy, today=date(2026, 6, 30))
        assert result.ok, result.refusal
        export.last = result  # type: ignore[attr-defined]

    report(f"export of {n} decisions (vault, k = 5)", [timed(export) for _ in range(args.runs)], 5000)
    summary = export.last.summary  # type: ignore[attr-defined]
    print(
        f"    exported {summary['exported']}, suppressed {summary['suppressed']}, withheld for consent "
        f"{summary['withheld_for_consent']}; levels {summary['levels']}"
    )
    # Destroying one case: its record ids computed as export does (all persons read, same-identity rows numbered).
    from sqlalchemy import select

    from trpkit.db.models import Case

    with database.session() as s:
        middle = s.scalar(select(Case.id).order_by(Case.id).offset(n // 2).limit(1))

    def owed() -> None:
        with database.session() as s:
            notice = coalition.owe_withdrawals_for_destroyed_case(
                s, middle, early=False, today=date(2026, 6, 30)
            )
            owed.last = notice  # type: ignore[attr-defined]
            s.rollback()  # measure the same case again

    report(
        f"record ids owed by one destroyed case ({n} cases in the vault)",
        [timed(owed) for _ in range(args.runs)],
        1000,
    )
    print(f"    {owed.last.state}: {owed.last.withdrawals} id(s)")  # type: ignore[attr-defined]
    # The coalition side, in the same vault: accept the key, import the package, report from the store.
    from trpkit.services.users import actor_for, create_user

    with database.session() as s:
        create_user(s, "ana", role="analyst")
        analyst = actor_for(s, "ana")
        coalition.add_agency(s, analyst, coalition.public_key(s).public_key_file)
    package = export.last.package  # type: ignore[attr-defined]

    def import_once() -> None:
        with database.session() as s:
            assert coalition.import_package_bytes(s, analyst, package, policy=policy).ok
            s.rollback()  # measure the same import again

    report(f"import of the package ({summary['exported']} records)", [timed(import_once)], None)
    with database.session() as s:
        coalition.import_package_bytes(s, analyst, package, policy=policy)

    def store_report() -> None:
        with database.session() as s:
            build_report(coalition.records_for_report(s, analyst), include_charts_data=False)

    report(
        f"report from the store ({summary['exported']} records)",
        [timed(store_report) for _ in range(args.runs)],
        3000,
    )
    _in_memory(args, policy, tmp)
    database.close()


def _in_memory(args: argparse.Namespace, policy, tmp: Path) -> None:  # type: ignore[no-untyped-def]
    """What needs no vault: the generaliser, the report (with and without the disclosure pass), CSV, Word."""
    from trpkit.coalition.generalise import anonymise
    from trpkit.coalition.record import COLUMN_NAMES, read_csv_text, write_csv
    from trpkit.coalition.report import build_report, write_docx
    from trpkit.coalition.synthetic import raw_rows, records

    n = args.decisions
    rows = raw_rows(n, seed=5)
    report(
        f"generalisation alone ({n} rows)",
        [timed(lambda: anonymise(rows, policy)) for _ in range(args.runs)],
        None,
    )
    data = records(n, seed=6)
    # The disclosure pass's cost, measured side by side: the same report with the pass, then with the pass
    # switched off (every group shown as it is, the ledger admitting everything, curves not coarsened), in
    # alternating runs so load on the shared machine falls on both alike.
    with_pass: list[float] = []
    without_pass: list[float] = []
    for _ in range(args.runs):
        with_pass.append(timed(lambda: build_report(data, include_charts_data=False)))
        with _disclosure_off():
            without_pass.append(timed(lambda: build_report(data, include_charts_data=False)))
    on, off = statistics.median(with_pass), statistics.median(without_pass)
    from trpkit.coalition import disclosure_ledger as _ledger

    audit_cpu: list[float] = []
    original_audit = _ledger.Ledger.audit

    def audited(self):  # type: ignore[no-untyped-def]
        start = time.process_time()
        try:
            return original_audit(self)
        finally:
            audit_cpu.append(time.process_time() - start)

    _ledger.Ledger.audit = audited  # type: ignore[method-assign]
    try:
        build_report(data, include_charts_data=False)
    finally:
        _ledger.Ledger.audit = original_audit  # type: ignore[method-assign]
    print(f"{'  of which the joint audit (one run, CPU)':<52} {audit_cpu[0] * 1000:8.1f} ms")
    cpu_on = statistics.median(CPU[-2 * args.runs :: 2])
    cpu_off = statistics.median(CPU[-2 * args.runs + 1 :: 2])
    print(
        f"{'  CPU with / without the pass':<52} median {cpu_on * 1000:8.1f} / {cpu_off * 1000:.1f} ms "
        f"(the pass costs {(cpu_on - cpu_off) * 1000:.0f} ms CPU, {cpu_on / cpu_off:.2f}x)"
    )
    verdict = "ok" if on < 3.0 else "SLOWER THAN TARGET"
    print(
        f"{f'report over {n} records (no charts), with the disclosure pass':<52} median {on * 1000:8.1f} ms wall  target < 3000 ms  {verdict}"
    )
    print(f"{'  the same with the pass switched off (not for use)':<52} median {off * 1000:8.1f} ms wall")
    print(f"{'  cost of the disclosure pass':<52} median {(on - off) * 1000:8.1f} ms ({on / off:.2f}x)")
    from trpkit.coalition import disclosure, stats

    report(
        f"disclosure plan alone ({n} records)",
        [
            timed(lambda: disclosure.protect(data, (*stats.DIMENSIONS, "officer_label"), 10, None))
            for _ in range(args.runs)
        ],
        None,
    )
    text = write_csv(data, COLUMN_NAMES)
    report(
        f"CSV write ({n} records)",
        [timed(lambda: write_csv(data, COLUMN_NAMES)) for _ in range(args.runs)],
        None,
    )
    report(f"CSV read ({n} records)", [timed(lambda: read_csv_text(text)) for _ in range(args.runs)], None)
    small = records(3000, seed=7)
    report(
        "Word report with charts (3,000 records)",
        [timed(lambda: write_docx(build_report(small), tmp / "r.docx")) for _ in range(args.runs)],
        None,
    )


if __name__ == "__main__":
    main()
