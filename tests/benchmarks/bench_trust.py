"""Trust benchmarks (not part of the default test run): backup, verify, restore, audit verify, export,
sign-in. Prints medians.

    .venv/bin/python tests/benchmarks/bench_trust.py [--cases 2000] [--runs 3]

Row-level security on PostgreSQL (needs TRPKIT_TEST_POSTGRES_URL; makes and drops its own database and
roles): an accompanier's case list among 10,000 cases, the same service call with the same actor,
through the accompanier's own login (policies on) and through a login with the same group and
privileges that PostgreSQL exempts from the policies (BYPASSRLS: the app's own filter only), both over
TCP with a SCRAM password, alternated run by run; the medians are taken ``--repeats`` times. Besides
the wall clock it reports the CPU time the list took in this process and in its server process
(Linux, a server on this machine): on a machine shared with other work the wall clock also counts the
waits for a CPU, which swell whichever side happens to be waiting.

    .venv/bin/python tests/benchmarks/bench_trust.py --rls [--cases 10000] [--runs 31] [--repeats 5]
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


def _bypass_login(admin_conn, database: str, password: str) -> str:  # type: ignore[no-untyped-def]
    """A login with an accompanier's privileges that PostgreSQL exempts from row-level security
    (BYPASSRLS): the "off" side, reached exactly as lea's login is (same group, a SCRAM password)."""
    from psycopg import sql

    from trpkit.db.server_logins import group_name, prefix_for, scram_verifier

    prefix = prefix_for(database)
    login = f"{prefix}_u_bench_norls"
    admin_conn.connection.driver_connection.execute(
        sql.SQL("CREATE ROLE {} LOGIN BYPASSRLS PASSWORD {} IN ROLE {}").format(
            sql.Identifier(login),
            sql.Literal(scram_verifier(admin_conn, login, password)),
            sql.Identifier(group_name(prefix, "accompanier")),
        )
    )
    return login


def _on_cpu_ns(pid: int) -> int | None:
    """Nanoseconds process ``pid`` has spent running on a CPU (Linux /proc/PID/schedstat), or None
    where that cannot be read (another machine's server, another system)."""
    try:
        return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _measure(sides, runs: int) -> dict[str, tuple[float, float | None]]:  # type: ignore[no-untyped-def]
    """Per side, over ``runs`` rounds (each round runs every side once, in turn, so all sides see the
    same machine load): the median wall-clock seconds, and the median CPU seconds the work took, this
    process's plus its server process's (None when the server's cannot be read). On a shared machine
    the wall clock also counts the time both spend waiting for a CPU; the CPU time does not."""
    from sqlalchemy import text

    from trpkit.services.cases import list_cases

    wall: dict[str, list[float]] = {label: [] for label, _db, _actor in sides}
    cpu: dict[str, list[float]] = {label: [] for label, _db, _actor in sides}
    for _ in range(runs):
        for label, db, actor in sides:
            with db.session() as s:
                backend = int(s.execute(text("SELECT pg_backend_pid()")).scalar_one())
                server_before, client_before = _on_cpu_ns(backend), time.thread_time_ns()
                wall[label].append(timed(lambda s=s, actor=actor: list_cases(s, actor)))
                server_after, client_after = _on_cpu_ns(backend), time.thread_time_ns()
            if server_before is not None and server_after is not None:
                cpu[label].append((server_after - server_before + client_after - client_before) / 1e9)
    return {
        label: (statistics.median(wall[label]), statistics.median(cpu[label]) if cpu[label] else None)
        for label in wall
    }


def bench_rls(cases: int, runs: int, repeats: int) -> None:
    """An accompanier's case list with row-level security on (lea's login) and off (a login with the
    same privileges and BYPASSRLS), same query, same data, same kind of connection, alternated."""
    import os
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from trpkit.db.database import open_target
    from trpkit.db.engine import Target
    from trpkit.db.server_logins import drop_roles, prefix_for
    from trpkit.services.cases import list_cases
    from trpkit.services.sign_in import resolve_actor

    base = os.environ.get("TRPKIT_TEST_POSTGRES_URL")
    if not base:
        sys.exit("--rls needs TRPKIT_TEST_POSTGRES_URL (a PostgreSQL superuser URL)")
    name = f"bench_rls_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        _owner_url, lea_url = _fill_server(make_url(base).set(database=name).render_as_string(False), cases)
        with admin.connect() as conn:
            bypass = _bypass_login(conn, name, "violet harbour quill 8812")
        off_url = make_url(lea_url).set(username=bypass).render_as_string(hide_password=False)
        lea, off = open_target(Target(url=lea_url)), open_target(Target(url=off_url))
        with lea.session() as s:
            as_lea = resolve_actor(s, None, lambda _name: None)
        sides = (("off", off, as_lea), ("on", lea, as_lea))
        seen = {}
        for label, db, actor in sides:
            with db.session() as s:
                seen[label] = len(list_cases(s, actor))
        assert seen["on"] == seen["off"] == 500, seen
        print(f"case list, accompanier, {cases} cases on the server, {seen['on']} visible;")
        print(f"{repeats} repetitions of {runs} alternated runs each, medians per repetition:")
        ratios, cpu_ratios = [], []
        for repeat in range(repeats):
            median = _measure(sides, runs)
            (off_wall, off_cpu), (on_wall, on_cpu) = median["off"], median["on"]
            ratios.append(on_wall / off_wall)
            line = (
                f"  {repeat + 1}: wall clock: off (BYPASSRLS login) {off_wall * 1000:6.2f} ms,"
                f" on (lea's login) {on_wall * 1000:6.2f} ms, ratio {ratios[-1]:.2f}x"
            )
            if off_cpu and on_cpu:
                cpu_ratios.append(on_cpu / off_cpu)
                line += f"; CPU time: {off_cpu * 1000:6.2f} / {on_cpu * 1000:6.2f} ms, {cpu_ratios[-1]:.2f}x"
            print(line)
        print(f"  median ratio on/off, wall clock: {statistics.median(ratios):.2f}x (target <= 1.5x)")
        if cpu_ratios:
            print(
                f"  median ratio on/off, CPU time (this process + its server process): "
                f"{statistics.median(cpu_ratios):.2f}x"
            )
        lea.close()
        off.close()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            drop_roles(conn, prefix_for(name))
        admin.dispose()


def main() -> None:
    from trpkit.loading.date_phrases import install

    install()  # as trpkit's CLI does: dates are read with checklists/date_phrases/
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=None)
    parser.add_argument("--runs", type=int, default=None)
    parser.add_argument("--rls", action="store_true", help="the row-level security benchmark (PostgreSQL)")
    parser.add_argument("--repeats", type=int, default=5, help="--rls: repetitions of the alternated runs")
    args = parser.parse_args()
    if args.rls:
        bench_rls(args.cases or 10_000, args.runs or 31, args.repeats)
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
