"""Packages are ordered: an older or equal package never overrides newer data; damaged files are refused
plainly and a batch goes on; packages, releases and key files are written for their owner only (0600)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.cli import CliResult, run_cli
from tests.conftest import TEST_PASSPHRASE
from trpkit.coalition import package as pkg
from trpkit.coalition.generalise import anonymise
from trpkit.coalition.record import write_csv
from trpkit.coalition.synthetic import raw_rows
from trpkit.db.database import Database
from trpkit.db.models.coalition import CoalitionImport, CoalitionRecord
from trpkit.loading.coalition_policy import load_policy
from trpkit.services import coalition

POLICY = load_policy()


def _package(
    pair: pkg.KeyPair, rows, sequence: int | None, created_at: str = "2026-11-28T12:00:00+00:00"
) -> bytes:  # type: ignore[no-untyped-def]
    result = anonymise(rows, POLICY)
    assert result.ok
    manifest = {
        "schema_version": "1.0",
        "agency": pair.agency,
        "created_at": created_at,
        "k": POLICY.k,
        "quasi_identifiers": list(POLICY.quasi_identifiers),
        "levels": result.levels,
        "columns": list(result.columns),
        "counts": {"exported": result.exported},
        "withdrawals": [],
    }
    if sequence is not None:
        manifest["sequence"] = sequence
    return pkg.build(write_csv(result.records, result.columns), manifest, pair.private_pem)


def _snapshot(db: Database) -> tuple[int, list[tuple[str, str]]]:
    with db.session() as s:
        imports = s.scalar(select(func.count(CoalitionImport.id))) or 0
        rows = s.execute(select(CoalitionRecord.record_id, CoalitionRecord.fields)).all()
    return imports, sorted((r, repr(sorted(f.items()))) for r, f in rows)


@pytest.fixture
def store(db: Database, make_actor):  # type: ignore[no-untyped-def]
    analyst = make_actor(db, "ines", "analyst")
    pair = pkg.generate_keypair("ngo-a")
    with db.session() as s:
        coalition.add_agency(s, analyst, pair.public_key_file_text())
    return db, analyst, pair


def test_an_older_package_after_a_newer_one_is_refused_and_changes_nothing(store) -> None:  # type: ignore[no-untyped-def]
    db, analyst, pair = store
    rows = raw_rows(120, seed=41, agency="ngo-a")
    older = _package(pair, rows, sequence=3)
    for row in rows:  # the newer package: the same decisions, later outcomes
        if row.get("outcome") == "pending":
            row["outcome"] = "refused"
    newer = _package(pair, rows, sequence=4)
    with db.session() as s:
        first = coalition.import_package_bytes(s, analyst, newer, policy=POLICY)
    assert first.ok and first.sequence == 4
    before = _snapshot(db)
    with db.session() as s:
        late = coalition.import_package_bytes(s, analyst, older, policy=POLICY)
    assert not late.ok
    assert late.reason == (
        "older package: this is ngo-a's package number 3, and number 4 is already imported; "
        "an older or equal package never overrides newer data"
    )
    assert _snapshot(db) == before
    # the same number again (a different package: for example a vault restored from a backup) is refused too
    with db.session() as s:
        equal = coalition.import_package_bytes(
            s, analyst, _package(pair, rows[:100], sequence=4), policy=POLICY
        )
    assert not equal.ok and "number 4, and number 4 is already imported" in equal.reason
    # a package made before numbering cannot slip in after a numbered one
    with db.session() as s:
        legacy = coalition.import_package_bytes(s, analyst, _package(pair, rows[:90], None), policy=POLICY)
    assert not legacy.ok and "has no number" in legacy.reason and "number 4" in legacy.reason
    assert _snapshot(db) == before
    with db.session() as s:
        assert coalition.import_package_bytes(s, analyst, _package(pair, rows, sequence=5), policy=POLICY).ok


def test_unnumbered_packages_are_ordered_by_when_they_were_made(store) -> None:  # type: ignore[no-untyped-def]
    db, analyst, pair = store
    rows = raw_rows(100, seed=42, agency="ngo-a")
    with db.session() as s:
        assert coalition.import_package_bytes(
            s, analyst, _package(pair, rows, None, "2026-05-01T10:00:00+00:00"), policy=POLICY
        ).ok
    with db.session() as s:
        old = coalition.import_package_bytes(
            s, analyst, _package(pair, rows[:90], None, "2026-04-01T10:00:00+00:00"), policy=POLICY
        )
    assert not old.ok and "not after the one already imported" in old.reason


def test_packages_of_different_agencies_are_numbered_apart(store) -> None:  # type: ignore[no-untyped-def]
    db, analyst, pair = store
    other = pkg.generate_keypair("ngo-b")
    with db.session() as s:
        coalition.add_agency(s, analyst, other.public_key_file_text())
        assert coalition.import_package_bytes(
            s, analyst, _package(pair, raw_rows(80, seed=43, agency="ngo-a"), 7), policy=POLICY
        ).ok
        assert coalition.import_package_bytes(
            s, analyst, _package(other, raw_rows(80, seed=44, agency="ngo-b"), 1), policy=POLICY
        ).ok


def _damaged(data: bytes) -> list[bytes]:
    middle = len(data) // 2
    flipped = data[:middle] + bytes(b ^ 0xFF for b in data[middle : middle + 16]) + data[middle + 16 :]
    return [data[: len(data) // 3], flipped, data[:-30]]


def test_a_damaged_package_is_refused_plainly_and_a_batch_goes_on(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db, analyst, pair = store
    good = _package(pair, raw_rows(100, seed=45, agency="ngo-a"), 1)
    paths = []
    for number, data in enumerate(_damaged(good)):
        path = tmp_path / f"broken-{number}.trpcoal"
        path.write_bytes(data)
        paths.append(path)
    (tmp_path / "good.trpcoal").write_bytes(good)
    (tmp_path / "notes.txt").write_text("not a package\n")
    paths += [tmp_path / "notes.txt", tmp_path / "good.trpcoal"]
    with db.session() as s:
        results = coalition.import_packages(s, analyst, paths, policy=POLICY)
    assert [r.reason for r in results[:3]] == ["the file is damaged"] * 3
    assert "not a zip file" in results[3].reason
    assert results[4].ok and results[4].new > 0  # the batch went on to the next package
    with db.session() as s:
        assert s.scalar(select(func.count(CoalitionImport.id))) == 1


def test_write_private_gives_owner_only_files_even_over_an_existing_file(tmp_path: Path) -> None:
    from trpkit.commands.coalition import write_private

    fresh, existing = tmp_path / "a.trpcoal", tmp_path / "b.csv"
    existing.write_text("old, readable by all")
    existing.chmod(0o644)
    write_private(fresh, b"package")
    write_private(existing, b"release")
    for path, content in ((fresh, b"package"), (existing, b"release")):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600 and path.read_bytes() == content


def _cli(vault: Path, user: str, args: list[str], cwd: Path) -> CliResult:
    return run_cli(args, vault=vault, user=user, passphrase=TEST_PASSPHRASE, cwd=cwd)


def test_the_cli_writes_key_files_and_releases_0600_and_names_a_damaged_file(
    vault_db: Database, make_actor, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    make_actor(vault_db, "sara", "supervisor")
    make_actor(vault_db, "ines", "analyst")
    vault = Path(vault_db.target.vault_path)
    vault_db.close()
    key = _cli(vault, "sara", ["coalition", "keygen", "--agency", "ngo-a", "-o", "ngo-a.pub"], tmp_path)
    assert key.returncode == 0, key.stderr
    release = _cli(vault, "ines", ["coalition", "release", "-o", "release.csv"], tmp_path)
    assert release.returncode == 0, release.stderr
    for name in ("ngo-a.pub", "release.csv"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600, name
    (tmp_path / "cut.trpcoal").write_bytes(
        _damaged(_package(pkg.generate_keypair("x"), raw_rows(60, seed=46), 1))[0]
    )
    refused = _cli(vault, "ines", ["coalition", "import", "cut.trpcoal"], tmp_path)
    assert refused.returncode == 1
    assert "REFUSED cut.trpcoal (the file is damaged); nothing of it was imported" in refused.stdout


def test_each_written_export_signs_the_next_number_and_a_dry_run_does_not_use_one(
    db: Database, actor, new_case
) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    from tests.coalition.test_coalition_service import _decided_case, _setup_agency

    _setup_agency(db, actor)
    for i in range(6):  # grants and refusals: an export where every decision went one way is refused (l = 2)
        _decided_case(db, actor, new_case, i, outcome="granted" if i % 2 else "refused")
    numbers = []
    for dry_run in (True, False, True, False):
        with db.session() as s:
            result = coalition.export(s, actor, policy=POLICY, today=date(2026, 6, 1), dry_run=dry_run)
        assert result.ok, result.refusal
        signed = pkg.read_bytes(result.package).manifest["sequence"]
        assert signed == result.summary["sequence"]
        numbers.append(signed)
    assert numbers == [1, 1, 2, 2]


def test_the_cli_refuses_an_older_package_in_one_line_and_goes_on(
    vault_db: Database, make_actor, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    make_actor(vault_db, "ines", "analyst")
    vault = Path(vault_db.target.vault_path)
    vault_db.close()
    pair = pkg.generate_keypair("ngo-b")
    (tmp_path / "ngo-b.pub").write_text(pair.public_key_file_text())
    assert _cli(vault, "ines", ["coalition", "agencies", "add", "ngo-b.pub"], tmp_path).returncode == 0
    rows = raw_rows(80, seed=47, agency="ngo-b")
    (tmp_path / "old.trpcoal").write_bytes(_package(pair, rows, 1))
    (tmp_path / "new.trpcoal").write_bytes(_package(pair, rows[:75], 2))
    (tmp_path / "newest.trpcoal").write_bytes(_package(pair, rows[:70], 3))
    (tmp_path / "cut.trpcoal").write_bytes(_damaged(_package(pair, rows, 4))[0])
    result = _cli(
        vault,
        "ines",
        ["coalition", "import", "new.trpcoal", "old.trpcoal", "cut.trpcoal", "newest.trpcoal"],
        tmp_path,
    )
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("new.trpcoal: imported from ngo-b (package 2): ")
    assert lines[1] == (
        "REFUSED old.trpcoal (older package: this is ngo-b's package number 1, and number 2 is already "
        "imported; an older or equal package never overrides newer data); nothing of it was imported"
    )
    assert lines[2] == "REFUSED cut.trpcoal (the file is damaged); nothing of it was imported"
    assert lines[3].startswith("newest.trpcoal: imported from ngo-b (package 3): ")
    assert "2 of 4 package(s) refused" in result.stdout + result.stderr
