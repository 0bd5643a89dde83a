"""Releases cannot be differenced: ids keyed per release, and a release too close to the last one is held back."""

from __future__ import annotations

from pathlib import Path

from trpkit.coalition import package as pkg
from trpkit.coalition.generalise import anonymise
from trpkit.coalition.record import read_csv_text, write_csv
from trpkit.coalition.synthetic import raw_rows
from trpkit.db.database import Database
from trpkit.loading.coalition_policy import load_policy
from trpkit.services import coalition

POLICY = load_policy()


def _package(agency: str, pair: pkg.KeyPair, rows, withdrawals=(), sequence: int = 1) -> bytes:  # type: ignore[no-untyped-def]
    result = anonymise(rows, POLICY)
    assert result.ok
    manifest = {
        "schema_version": "1.0",
        "agency": agency,
        "created_at": f"2026-11-28T12:{sequence:02d}:00+00:00",
        "sequence": sequence,
        "k": POLICY.k,
        "quasi_identifiers": list(POLICY.quasi_identifiers),
        "levels": result.levels,
        "columns": list(result.columns),
        "counts": {"exported": result.exported},
        "withdrawals": list(withdrawals),
    }
    return pkg.build(write_csv(result.records, result.columns), manifest, pair.private_pem)


def _import(db: Database, analyst, data: bytes) -> None:  # type: ignore[no-untyped-def]
    with db.session() as s:
        result = coalition.import_package_bytes(s, analyst, data, policy=POLICY)
    assert result.ok, result.reason


def test_release_ids_are_keyed_per_release_and_a_near_copy_is_held_back(db: Database, make_actor) -> None:  # type: ignore[no-untyped-def]
    analyst = make_actor(db, "ines", "analyst")
    a = pkg.generate_keypair("ngo-a")
    with db.session() as s:
        coalition.add_agency(s, analyst, a.public_key_file_text())
    _import(db, analyst, _package("ngo-a", a, raw_rows(300, seed=31, agency="ngo-a")))
    with db.session() as s:
        first = coalition.release(s, analyst, policy=POLICY)
        stable = {r["record_id"] for r in coalition.records_for_report(s, analyst)}
    assert not first.held_back and first.records > 0
    _, published = read_csv_text(first.csv_text, require=("outcome",))
    first_ids = [r["record_id"] for r in published]
    assert not set(first_ids) & stable  # never the store's stable id
    # One person withdraws: the next release would differ from the first in one record only.
    _import(db, analyst, _package("ngo-a", a, [], withdrawals=[min(stable)], sequence=2))
    with db.session() as s:
        held = coalition.release(s, analyst, policy=POLICY)
    assert held.held_back and held.changed == 1 and held.csv_text == ""
    assert "fewer than 10" in held.held_back and "next release" in held.held_back
    # Enough new decisions: the change goes out together with them, under ids that match nothing before.
    _import(db, analyst, _package("ngo-a", a, raw_rows(120, seed=77, agency="ngo-a"), sequence=3))
    with db.session() as s:
        second = coalition.release(s, analyst, policy=POLICY)
    assert not second.held_back and second.changed is not None and second.changed >= 10
    _, again = read_csv_text(second.csv_text, require=("outcome",))
    assert not {r["record_id"] for r in again} & set(first_ids)
    assert second.withdrawn_removed == 1


def test_an_unchanged_store_can_be_released_again(db: Database, make_actor) -> None:  # type: ignore[no-untyped-def]
    analyst = make_actor(db, "ines", "analyst")
    a = pkg.generate_keypair("ngo-a")
    with db.session() as s:
        coalition.add_agency(s, analyst, a.public_key_file_text())
    _import(db, analyst, _package("ngo-a", a, raw_rows(200, seed=5, agency="ngo-a")))
    with db.session() as s:
        assert not coalition.release(s, analyst, policy=POLICY).held_back
        # nothing changed at all: publishing the same content under new ids reveals nothing new
        same = coalition.release(s, analyst, policy=POLICY)
    assert not same.held_back and same.changed == 0


def test_the_release_command_says_it_held_a_release_back_and_writes_nothing(
    vault_db: Database, make_actor, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from tests.coalition.test_coalition_ordering import _cli

    analyst = make_actor(vault_db, "ines", "analyst")
    a = pkg.generate_keypair("ngo-a")
    with vault_db.session() as s:
        coalition.add_agency(s, analyst, a.public_key_file_text())
    _import(vault_db, analyst, _package("ngo-a", a, raw_rows(200, seed=5, agency="ngo-a")))
    with vault_db.session() as s:
        stable = {r["record_id"] for r in coalition.records_for_report(s, analyst)}
    vault = Path(vault_db.target.vault_path)
    vault_db.close()
    first = _cli(vault, "ines", ["coalition", "release", "-o", "one.csv"], tmp_path)
    assert first.returncode == 0, first.stdout + first.stderr
    withdrawal = tmp_path / "w.trpcoal"
    withdrawal.write_bytes(_package("ngo-a", a, [], withdrawals=[min(stable)], sequence=2))
    imported = _cli(vault, "ines", ["coalition", "import", "w.trpcoal"], tmp_path)
    assert imported.returncode == 0, imported.stdout + imported.stderr
    held = _cli(vault, "ines", ["coalition", "release", "-o", "two.csv"], tmp_path)
    assert held.returncode == 0, held.stdout + held.stderr
    assert held.stdout.startswith("Release held back: only 1 record(s) changed since release 1")
    assert not (tmp_path / "two.csv").exists()
