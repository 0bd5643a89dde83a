"""Trust benchmarks (not part of the default test run): backup, verify, restore, audit verify, export,
sign-in. Prints medians.

    .venv/bin/python tests/benchmarks/bench_trust.py [--cases 2000] [--runs 3]

Row-level security on PostgreSQL (needs TRPKIT_TEST_POSTGRES_URL; makes and drops its own database and
roles): an accompanier's case list among 10,000 cases, through the accompanier's own login (policies
on) and through the owner's connection (policies bypassed, the app's own filter only), alternated.

    .venv/bin/python tests/benchmarks/bench_trust.py --rls [--cases 10000] [--runs 31]
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


def _fill_server(url: str, cases: int) -> tuple[str, str]:
    """A server database with ``cases`` cases (each with its person): lea made 300 and is assigned 200,
    the rest belong to four colleagues. Returns (owner URL, lea's login URL)."""
    from sqlalchemy import create_engine, text

    from trpkit.db import migrate
    from trpkit.db.database import open_target
    from trpkit.db.engine import Target
    from trpkit.services.users import actor_for, add_user, create_user

    engine = create_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    db = open_target(Target(url=url))
    with db.session() as s:
        create_user(s, "boss", role="supervisor")
        boss = actor_for(s, "boss")
        for name in ("lea", "ana", "ben", "cy", "di"):
            add_user(s, boss, name, role="accompanier", password="violet harbour quill 8812")
    with db.session() as s:
        s.execute(
            text(
                "INSERT INTO cases (code, status, exploitation_sector, law_enforcement_cooperation,"
                " criminal_case_status, summary, created_by_id, created_at, updated_at, version)"
                " SELECT 'TRP-2026-' || lpad(g::text, 5, '0'), 'intake', 'unknown', 'none', 'none', '',"
                " CASE WHEN g <= 300 THEN (SELECT id FROM users WHERE username = 'lea')"
                " ELSE (SELECT id FROM users WHERE username = (ARRAY['ana','ben','cy','di'])[1 + g % 4]) END,"
                " now(), now(), 1 FROM generate_series(1, :n) AS g"
            ),
            {"n": cases},
        )
        s.execute(
            text(
                "INSERT INTO persons (case_id, legal_name, preferred_name, aliases, birth_date_text, gender,"
                " nationality, languages, interpreter_needs, contact, safe_contact_instructions,"
                " immigration_status, uci, dependants_in_canada, extra, created_at, updated_at, version)"
                " SELECT id, 'Fictional ' || id, '', '[]', '', '', 'MX', '[]', '', '', '', '', '', '[]', '{}',"
                " now(), now(), 1 FROM cases"
            )
        )
        s.execute(
            text(
                "INSERT INTO case_assignments (case_id, user_id) SELECT c.id, u.id FROM cases c, users u"
                " WHERE u.username = 'lea' AND c.created_by_id <> u.id ORDER BY c.id LIMIT 200"
            )
        )
        s.execute(text("ANALYZE"))
        lea_login = s.scalar(text("SELECT db_login FROM users WHERE username = 'lea'"))
    db.close()
    from sqlalchemy.engine import make_url

    # with her password: a server that checks passwords (scram-sha-256, as .ci/pg-start's) needs it
    return url, make_url(url).set(username=lea_login, password="violet harbour quill 8812").render_as_string(
        hide_password=False
    )


def bench_rls(cases: int, runs: int) -> None:
    """An accompanier's case list with row-level security on (own login) and off (owner), side by side."""
    import os
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from trpkit.db.database import open_target
    from trpkit.db.engine import Target
    from trpkit.db.server_logins import drop_roles, prefix_for
    from trpkit.services.cases import list_cases
    from trpkit.services.sign_in import resolve_actor
    from trpkit.services.users import actor_for

    base = os.environ.get("TRPKIT_TEST_POSTGRES_URL")
    if not base:
        sys.exit("--rls needs TRPKIT_TEST_POSTGRES_URL (a PostgreSQL superuser URL)")
    name = f"bench_rls_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        owner_url, lea_url = _fill_server(make_url(base).set(database=name).render_as_string(False), cases)
        owner, lea = open_target(Target(url=owner_url)), open_target(Target(url=lea_url))
        with owner.session() as s:
            as_owner = actor_for(s, "lea")
        with lea.session() as s:
            as_lea = resolve_actor(s, None, lambda _name: None)
        seen = {}
        for label, db, actor in (("off", owner, as_owner), ("on", lea, as_lea)):
            with db.session() as s:
                seen[label] = len(list_cases(s, actor))
        assert seen["on"] == seen["off"] == 500, seen
        times: dict[str, list[float]] = {"off": [], "on": []}
        for _ in range(runs):  # alternated, so both see the same machine load
            for label, db, actor in (("off", owner, as_owner), ("on", lea, as_lea)):
                with db.session() as s:
                    times[label].append(timed(lambda s=s, actor=actor: list_cases(s, actor)))
        off, on = statistics.median(times["off"]), statistics.median(times["on"])
        print(f"case list, accompanier, {cases} cases on the server, {seen['on']} visible, {runs} runs each:")
        print(f"  row-level security off (owner connection) median {off * 1000:8.2f} ms")
        print(f"  row-level security on  (lea's own login)  median {on * 1000:8.2f} ms")
        print(f"  ratio on/off: {on / off:.2f}x (target <= 1.5x)")
        owner.close()
        lea.close()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            drop_roles(conn, prefix_for(name))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=None)
    parser.add_argument("--runs", type=int, default=None)
    parser.add_argument("--rls", action="store_true", help="the row-level security benchmark (PostgreSQL)")
    args = parser.parse_args()
    if args.rls:
        bench_rls(args.cases or 10_000, args.runs or 31)
        return
    args.cases = args.cases or 2000
    args.runs = args.runs or 3

    from trpkit.db.database import create_vault
    from trpkit.demo import generate
    from trpkit.services import audit
    from trpkit.services.backup import create_backup, restore_backup, verify_backup
    from trpkit.services.sign_in import authenticate
    from trpkit.services.subject_access import export_case
    from trpkit.services.users import actor_for, add_user, create_user

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
