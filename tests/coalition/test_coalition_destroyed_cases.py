"""A case destroyed at the end of its retention period leaves the coalition's data too (both backends).

The agency's vault keeps the destroyed case's keyed record ids (nothing else) until exports have carried
them; the coalition erases the records when it imports such a package.
"""

from __future__ import annotations

import base64
import io
import json
import shutil
import zipfile
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select, update

from trpkit.coalition.record import read_csv_text
from trpkit.db.database import Database, open_target
from trpkit.db.engine import Target
from trpkit.db.models import Case
from trpkit.db.models.coalition import CoalitionRecord
from trpkit.db.models.coalition_pending import CoalitionPendingWithdrawal
from trpkit.loading.coalition_policy import load_policy
from trpkit.services import audit, coalition, retention
from trpkit.services.actor import Actor
from trpkit.services.applications import create_application
from trpkit.services.cases import update_case
from trpkit.services.consent import record_consent
from trpkit.services.decisions import record_decision

TODAY = date(2026, 6, 1)
NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
POLICY = load_policy()
SECRET = base64.b64encode(b"coalition test secret, 32 bytes!").decode()
NO_COALITION = ("prepare_file", "submit_to_ircc", "ngo_contact")


def _decided(db: Database, actor: Actor, new_case, n: int, *, consents=None, name=None, day=None):  # type: ignore[no-untyped-def]
    code = new_case(
        consents=consents,
        legal_name=name or f"Fictional Quillsby {n}",
        gender="woman",
        nationality="MX",
        birth_date_earliest=date(1990, 1, 1),
        birth_date_latest=date(1990, 12, 31),
    )
    with db.session() as s:
        app = create_application(
            s,
            actor,
            code,
            type="initial_trp",
            ircc_office="Toronto",
            submitted_on=day or date(2025, 3, 3) + timedelta(days=n % 3),
            today=TODAY,
        )
        if n % 4:
            record_decision(
                s,
                actor,
                app.ref,
                outcome="granted",
                decided_on=date(2025, 9, 1),
                duration_days=365,
                today=TODAY,
            )
        else:
            record_decision(
                s,
                actor,
                app.ref,
                outcome="refused",
                decided_on=date(2025, 9, 1),
                refusal_reasons=["criminal_case_concluded"],
                today=TODAY,
            )
    return code


def _setup_agency(db: Database, actor: Actor) -> coalition.KeyInfo:
    with db.session() as s:
        info = coalition.keygen(s, actor, "maison-test")
        coalition.set_secret(s, actor, SECRET)
    return info


def _close_long_ago(db: Database, actor: Actor, code: str, years: int = 8) -> None:
    with db.session() as s:
        update_case(s, actor, code, status="closed")
    with db.session() as s:
        closed = s.scalar(select(Case.closed_at).where(Case.code == code))
        s.execute(
            update(Case).where(Case.code == code).values(closed_at=closed.replace(year=closed.year - years))
        )


def _ids_in(package: bytes) -> set[str]:
    _, records = read_csv_text(
        zipfile.ZipFile(io.BytesIO(package)).read("records.csv").decode(), require=("record_id",)
    )
    return {r["record_id"] for r in records}


def _case_ids(db: Database, code: str) -> list[str]:
    with db.session() as s:
        case_id = s.scalar(select(Case.id).where(Case.code == code))
        return coalition.case_record_ids(s, base64.b64decode(SECRET), case_id)


@pytest.fixture
def store(db: Database, tmp_path: Path, _template_vault, _pg_template) -> Iterator[Database]:  # type: ignore[no-untyped-def]
    """A second, separate database on the same backend: the coalition's store."""
    if db.engine.dialect.name == "sqlite":
        template, key = _template_vault
        path = tmp_path / "coalition.trpvault"
        shutil.copy(template, path)
        database = open_target(Target(vault_path=path), key=key)
        yield database
        database.close()
        return
    from tests.conftest import _drop_pg, _pg_database

    name, url = _pg_database(_pg_template)
    database = open_target(Target(url=url))
    yield database
    database.close()
    _drop_pg(name)


def test_a_destroyed_shared_case_is_erased_from_the_coalition_store(  # type: ignore[no-untyped-def]
    db: Database, actor: Actor, new_case, store: Database, make_actor
) -> None:
    info = _setup_agency(db, actor)
    codes = [_decided(db, actor, new_case, i) for i in range(9)]
    gone = codes[4]
    analyst = make_actor(store, "ines", "analyst")
    with store.session() as s:
        coalition.add_agency(s, analyst, info.public_key_file)

    with db.session() as s:
        first = coalition.export(s, actor, policy=POLICY, today=TODAY, now=NOW)
    assert first.ok and first.manifest["counts"]["withdrawals_destroyed"] == 0
    (expected,) = _case_ids(db, gone)
    assert expected in _ids_in(first.package)  # the decision really was shared
    with store.session() as s:
        assert coalition.import_package_bytes(s, analyst, first.package, policy=POLICY).ok
    with store.session() as s:
        assert expected in {r["record_id"] for r in coalition.records_for_report(s, analyst)}

    _close_long_ago(db, actor, gone)
    with db.session() as s:
        destroyed = retention.destroy_case(s, actor, gone, years=7, today=TODAY)
    assert destroyed.coalition == "pending" and destroyed.coalition_withdrawals == 1
    assert "withdrawn from the coalition" in destroyed.coalition_message
    with db.session() as s:
        assert s.scalar(select(func.count(Case.id)).where(Case.code == gone)) == 0
        (row,) = s.scalars(select(CoalitionPendingWithdrawal)).all()
        # ids only: no case code, no name, no link to a case
        assert (row.record_id, row.reason, row.recorded_on, row.packages) == (
            expected,
            "retention_end",
            TODAY,
            0,
        )
        assert {c.name for c in CoalitionPendingWithdrawal.__table__.columns} == {
            "id",
            "record_id",
            "reason",
            "recorded_on",
            "first_sent_at",
            "last_sent_at",
            "packages",
        }
        entry = audit.entries(s, action="retention.destroy")[0]
        assert entry.case_code == gone and entry.detail["coalition"] == "pending"
        assert entry.detail["coalition_withdrawals"] == 1 and expected not in json.dumps(entry.detail)

    with db.session() as s:  # a dry run does not count as sent
        coalition.export(s, actor, policy=POLICY, today=TODAY, now=NOW, dry_run=True)
    with db.session() as s:
        assert s.scalar(select(CoalitionPendingWithdrawal.packages)) == 0
    with db.session() as s:
        second = coalition.export(s, actor, policy=POLICY, today=TODAY, now=NOW + timedelta(days=30))
    assert second.ok and not second.withdrawals_only
    assert expected in second.manifest["withdrawals"] and expected not in _ids_in(second.package)
    assert second.manifest["counts"]["withdrawals"] == 1
    assert second.manifest["counts"]["withdrawals_destroyed"] == second.summary["withdrawals_destroyed"] == 1
    with store.session() as s:
        imported = coalition.import_package_bytes(s, analyst, second.package, policy=POLICY)
    assert imported.ok and imported.withdrawals == 1
    with store.session() as s:
        assert expected not in {r["record_id"] for r in coalition.records_for_report(s, analyst)}
        record = s.scalar(select(CoalitionRecord).where(CoalitionRecord.record_id == expected))
        assert record.withdrawn_at is not None and record.fields == {} and record.also_from == []
        published = coalition.release(s, analyst, policy=POLICY)
    assert expected not in published.csv_text and published.withdrawn_removed == 1
    with store.session() as s:  # an old package arriving again is refused: it is older than the last one
        old = coalition.import_package_bytes(s, analyst, _repacked(first.package, info, db), policy=POLICY)
    assert not old.ok and "older package" in old.reason
    with store.session() as s:  # and the record's content coming again in a newer package stays erased
        late = coalition.import_package_bytes(
            s, analyst, _repacked(first.package, info, db, sequence=99), policy=POLICY
        )
    assert late.ok
    with store.session() as s:
        record = s.scalar(select(CoalitionRecord).where(CoalitionRecord.record_id == expected))
        assert record.fields == {} and record.withdrawn_at is not None

    # Re-sent in later exports, like consent withdrawals, until two packages and a year have passed.
    with db.session() as s:
        third = coalition.export(s, actor, policy=POLICY, today=TODAY, now=NOW + timedelta(days=200))
    assert expected in third.manifest["withdrawals"]
    with db.session() as s:
        row = s.scalar(select(CoalitionPendingWithdrawal))
        assert row.packages == 2 and row.first_sent_at == NOW + timedelta(days=30)
    with db.session() as s:
        last = coalition.export(s, actor, policy=POLICY, today=TODAY, now=NOW + timedelta(days=400))
    assert expected in last.manifest["withdrawals"]
    with db.session() as s:
        assert s.scalar(select(func.count(CoalitionPendingWithdrawal.id))) == 0
        after = coalition.export(s, actor, policy=POLICY, today=TODAY, now=NOW + timedelta(days=401))
    assert after.manifest["withdrawals"] == [] and after.manifest["counts"]["withdrawals_destroyed"] == 0
    with db.session() as s:
        exports = audit.entries(s, action="coalition.export")  # newest first
        assert [e.detail["withdrawals_destroyed"] for e in exports] == [0, 1, 1, 1, 1, 0]
        assert [e.detail["dry_run"] for e in exports] == [False, False, False, False, True, False]
        assert audit.verify(s).ok


def _repacked(package: bytes, info: coalition.KeyInfo, db: Database, sequence: int | None = None) -> bytes:
    """The same records in a fresh package (a package file is imported once; its content may come again),
    with the original package number unless ``sequence`` gives another."""
    from trpkit.coalition import package as pkg

    archive = zipfile.ZipFile(io.BytesIO(package))
    manifest = json.loads(archive.read("manifest.json"))
    manifest["created_at"] = "2026-12-01T00:00:00+00:00"
    if sequence is not None:
        manifest["sequence"] = sequence
    with db.session() as s:
        from trpkit.db.models.coalition import CoalitionSettings

        private = s.scalar(select(CoalitionSettings.private_key_pem))
    return pkg.build(archive.read("records.csv").decode(), manifest, private.encode("ascii"))


def test_a_case_never_shared_destroys_cleanly_and_says_so(db: Database, actor: Actor, new_case) -> None:  # type: ignore[no-untyped-def]
    no_secret = _decided(db, actor, new_case, 1)
    _close_long_ago(db, actor, no_secret)
    with db.session() as s:
        result = retention.destroy_case(s, actor, no_secret, years=7, today=TODAY)
    assert result.coalition == "no_coalition" and result.coalition_withdrawals == 0
    assert "nothing of this case was ever shared" in result.coalition_message

    _setup_agency(db, actor)
    refused = _decided(db, actor, new_case, 2, consents=NO_COALITION)
    no_application = new_case(legal_name="Fictional Without Application")
    for code in (refused, no_application):
        _close_long_ago(db, actor, code)
    with db.session() as s:
        first = retention.destroy_case(s, actor, refused, years=7, today=TODAY)
        second = retention.destroy_case(s, actor, no_application, years=7, today=TODAY)
    assert (first.coalition, second.coalition) == ("not_shared", "not_shared")
    assert "never consented" in first.coalition_message and "no submitted TRP" in second.coalition_message
    with db.session() as s:
        assert s.scalar(select(func.count(CoalitionPendingWithdrawal.id))) == 0
        assert s.scalar(select(func.count(Case.id))) == 0
        assert [e.detail["coalition"] for e in audit.entries(s, action="retention.destroy")] == [
            "not_shared",
            "not_shared",
            "no_coalition",
        ]


def test_destruction_computes_the_ids_export_used_even_for_repeats_and_withdrawn_consent(  # type: ignore[no-untyped-def]
    db: Database, actor: Actor, new_case
) -> None:
    """The same person twice in one month (#2 ids), a person who withdrew consent, a consent refused now
    but given earlier: the ids kept at destruction are exactly those export computed before it."""
    _setup_agency(db, actor)
    secret = base64.b64decode(SECRET)
    twin_a = _decided(db, actor, new_case, 1, name="Ofelia Brantwhistle", day=date(2025, 4, 2))
    twin_b = _decided(db, actor, new_case, 5, name="BRANTWHISTLE, Ofélia", day=date(2025, 4, 20))
    withdrew = _decided(db, actor, new_case, 2)
    regretted = _decided(db, actor, new_case, 3)
    for n in range(6, 12):
        _decided(db, actor, new_case, n)
    with db.session() as s:
        record_consent(s, actor, withdrew, purpose="coalition_sharing", decision="withdrawn", method="verbal")
    with db.session() as s:
        before = coalition._rows(s, POLICY, secret, TODAY, "maison-test")
    shared_before = {r["record_id"] for r in before[0]}
    consent_withdrawals = set(before[2])
    assert len(consent_withdrawals) == 1
    twin_ids = [_case_ids(db, twin_a), _case_ids(db, twin_b)]
    assert twin_ids[0] != twin_ids[1] and set(twin_ids[0] + twin_ids[1]) <= shared_before
    with db.session() as s:  # consent refused now: export no longer shares it, but it was shared before
        record_consent(s, actor, regretted, purpose="coalition_sharing", decision="refused", method="verbal")
    regretted_ids = _case_ids(db, regretted)
    assert set(regretted_ids) <= shared_before

    for code in (twin_b, withdrew, regretted):
        _close_long_ago(db, actor, code)
    with db.session() as s:
        results = [
            retention.destroy_case(s, actor, code, years=7, today=TODAY)
            for code in (twin_b, withdrew, regretted)
        ]
    assert [r.coalition_withdrawals for r in results] == [1, 1, 1]
    with db.session() as s:
        pending = set(coalition.pending_withdrawals(s))
        export = coalition.export(s, actor, policy=POLICY, today=TODAY)
    assert pending == set(twin_ids[1]) | consent_withdrawals | set(regretted_ids)
    assert pending <= set(export.manifest["withdrawals"])
    assert export.manifest["counts"]["withdrawals_destroyed"] == 3
    assert (
        _case_ids(db, twin_a) == twin_ids[0] and twin_ids[0][0] not in pending
    )  # the other twin stays shared


def test_below_k_the_package_carries_the_withdrawals_alone(  # type: ignore[no-untyped-def]
    db: Database, actor: Actor, new_case, store: Database, make_actor
) -> None:
    info = _setup_agency(db, actor)
    codes = [_decided(db, actor, new_case, i) for i in range(5)]
    analyst = make_actor(store, "ines", "analyst")
    with store.session() as s:
        coalition.add_agency(s, analyst, info.public_key_file)
    with db.session() as s:
        first = coalition.export(s, actor, policy=POLICY, today=TODAY)
    with store.session() as s:
        assert coalition.import_package_bytes(s, analyst, first.package, policy=POLICY).ok
    (expected,) = _case_ids(db, codes[0])
    _close_long_ago(db, actor, codes[0])
    with db.session() as s:
        retention.destroy_case(s, actor, codes[0], years=7, today=TODAY)
    with db.session() as s:
        second = coalition.export(s, actor, policy=POLICY, today=TODAY)
    assert second.ok and second.withdrawals_only and "at least k = 5" in second.refusal
    assert second.manifest["withdrawals"] == [expected] and second.manifest["counts"]["exported"] == 0
    assert second.manifest["withdrawals_only"] is True and _ids_in(second.package) == set()
    with store.session() as s:
        imported = coalition.import_package_bytes(s, analyst, second.package, policy=POLICY)
    assert imported.ok and imported.withdrawals == 1 and imported.new == 0
    with store.session() as s:
        assert expected not in {r["record_id"] for r in coalition.records_for_report(s, analyst)}
    with db.session() as s:  # without owed withdrawals, below k is still refused and writes nothing
        s.execute(
            update(CoalitionPendingWithdrawal).values(packages=5, first_sent_at=NOW - timedelta(days=800))
        )
    with db.session() as s:
        coalition.export(s, actor, policy=POLICY, today=TODAY)  # the last one carrying it
    with db.session() as s:
        refused = coalition.export(s, actor, policy=POLICY, today=TODAY)
    assert not refused.ok and refused.package == b""


def test_the_pending_table_is_not_a_case_table(db: Database) -> None:
    """Nothing in it references a case, so a person's access request and the case cascade leave it alone."""
    from trpkit.services.subject_access import _case_tables

    assert "coalition_pending_withdrawals" not in {t.name for t, _ in _case_tables()}
    assert inspect(db.engine).get_foreign_keys("coalition_pending_withdrawals") == []


def test_ids_kept_at_destruction_are_the_ids_export_stops_sending(
    db: Database, actor: Actor, new_case
) -> None:  # type: ignore[no-untyped-def]
    """Seeded mix: the same person in several cases, two applications in one month, every consent state.
    Destroying the newest case each time (so nothing else is renumbered), the ids it leaves behind are
    exactly those that disappear from what export computes (shared and withdrawn together)."""
    import random

    rng = random.Random(20261128)
    _setup_agency(db, actor)
    secret = base64.b64decode(SECRET)
    names = ["Ysolde Fernquist", "FERNQUIST, Ysolde", "Tamsin Achterberg"]
    states = {}
    codes = []
    for _ in range(12):
        state = rng.choice(["given", "given", "withdrawn", "none"])
        birth = rng.choice(
            [(date(1991, 2, 2), date(1991, 2, 2)), (date(1991, 1, 1), date(1991, 12, 31)), None]
        )
        born = {"birth_date_earliest": birth[0], "birth_date_latest": birth[1]} if birth else {}
        code = new_case(
            consents=NO_COALITION if state == "none" else None,
            legal_name=rng.choice(names),
            nationality=rng.choice(["MX", "mx "]),
            **born,
        )
        with db.session() as s:
            for _ in range(rng.choice([1, 1, 2])):
                create_application(
                    s,
                    actor,
                    code,
                    type="initial_trp",
                    ircc_office="Montreal",
                    submitted_on=date(2025, rng.choice([5, 6]), rng.randint(1, 28)),
                    today=TODAY,
                )
            if state == "withdrawn":
                record_consent(
                    s, actor, code, purpose="coalition_sharing", decision="withdrawn", method="verbal"
                )
        states[code] = state
        codes.append(code)
        _close_long_ago(db, actor, code)

    with db.session() as s:  # the mix really holds the same person in several sharing cases
        from trpkit.db.models import Person

        people = s.execute(
            select(
                Case.code,
                Person.legal_name,
                Person.birth_date_earliest,
                Person.birth_date_latest,
                Person.nationality,
            ).join(Person, Person.case_id == Case.id)
        ).all()
    groups: dict[str, int] = {}
    for code, *who in people:
        if states[code] != "none":
            identity = coalition.normalised_identity(*who)
            groups[identity] = groups.get(identity, 0) + 1
    assert max(groups.values()) >= 3

    def computed() -> set[str]:
        with db.session() as s:
            shared, _, withdrawn, _ = coalition._rows(s, POLICY, secret, TODAY, "maison-test")
        return {r["record_id"] for r in shared} | set(withdrawn)

    checked = 0
    for code in reversed(codes):
        before = computed()
        with db.session() as s:
            already = set(coalition.pending_withdrawals(s))
            result = retention.destroy_case(s, actor, code, years=7, today=TODAY)
        with db.session() as s:
            owed = set(coalition.pending_withdrawals(s)) - already
        gone = before - computed()
        if states[code] == "none":
            assert result.coalition == "not_shared" and not owed and not gone
        else:
            assert (
                result.coalition == "pending" and owed == gone and len(owed) == result.coalition_withdrawals
            )
            checked += 1
    assert checked >= 4
