"""Trust benchmarks (not part of the default test run): backup, verify, restore, audit verify, export,
sign-in. Prints medians.

    .venv/bin/python tests/benchmarks/bench_trust.py [--cases 2000] [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
PASS = "benchmark passphrase orchard lantern"


def timed(func) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from trpkit.db.database import create_vault
    from trpkit.demo import generate
    from trpkit.services import audit
    from trpkit.services.backup import create_backup, restore_backup, verify_backup
    from trpkit.services.subject_access import export_case
    from trpkit.services.users import actor_for, add_user, authenticate, create_user

    work = Path(tempfile.mkdtemp(prefix="bench-trust-"))
    db = create_vault(work / "v.trpvault", PASS)
    with db.session() as s:
        create_user(s, "boss", role="supervisor")
        boss = actor_for(s, "boss")
        cases = generate(s, boss, args.cases, seed=1)
        add_user(s, boss, "lea", password="violet harbour quill 8812")
    started = time.perf_counter()
    for i in range(2000):
        with db.session() as s:
            audit.record(s, boss, "bench.append", None, i=i)
    print(f"2000 audit appends, one transaction each: {time.perf_counter() - started:.2f} s")
    size = (work / "v.trpvault").stat().st_size
    print(f"vault: {args.cases} demo cases, {size / 1e6:.1f} MB")

    def backup(i: list[int] = [0]) -> None:  # noqa: B006
        i[0] += 1
        create_backup(db, boss, work / f"b{i[0]}.trpbackup", PASS)

    def restore(i: list[int] = [0]) -> None:  # noqa: B006
        i[0] += 1
        restore_backup(work / "b1.trpbackup", work / f"r{i[0]}.trpvault", PASS)

    def export(i: list[int] = [0]) -> None:  # noqa: B006
        i[0] += 1
        with db.session() as s:
            export_case(s, boss, cases[i[0]].code, work / f"e{i[0]}")

    def verify_chain() -> None:
        with db.session() as s:
            assert audit.verify(s).ok

    def sign_in() -> None:
        with db.session() as s:
            authenticate(s, "lea", "violet harbour quill 8812")

    for label, func in (
        ("backup -o FILE", backup),
        ("restore --verify-only", lambda: verify_backup(work / "b1.trpbackup", PASS)),
        ("restore --to NEW", restore),
        ("audit verify", verify_chain),
        ("case export (one case)", export),
        ("sign-in (Argon2id verify + audit)", sign_in),
    ):
        print(f"{label:<40} median {statistics.median(timed(func) for _ in range(args.runs)):8.3f} s")
    with db.session() as s:
        print(f"audit entries: {audit.verify(s).entries}")
    db.close()


if __name__ == "__main__":
    main()
