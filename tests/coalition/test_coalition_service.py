"""Coalition export from the vault and the merged store, on the encrypted vault and on PostgreSQL."""

from __future__ import annotations

import base64
import io
import zipfile
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from trpkit.coalition import package as pkg
from trpkit.coalition.generalise import anonymise
from trpkit.coalition.record import read_csv_text, write_csv
from trpkit.coalition.synthetic import raw_rows
from trpkit.db.database import Database
from trpkit.db.models.coalition import CoalitionImport, CoalitionRecord
from trpkit.errors import AccessDenied
from trpkit.loading.coalition_policy import load_policy
from trpkit.services import audit, coalition
from trpkit.services.access import require_case
from trpkit.services.actor import Actor
from trpkit.services.applications import create_application
from trpkit.services.consent import has_consent, record_consent
from trpkit.services.decisions import record_decision

TODAY = date(2026, 6, 1)
POLICY = load_policy()
SECRET = base64.b64encode(b"coalition test secret, 32 bytes!").decode()
NO_COALITION = ("prepare_file", "submit_to_ircc", "ngo_contact")


def _decided_case(db: Database, actor: Actor, new_case, n: int, *, consents=None, outcome="granted"):  # type: ignore[no-untyped-def]
    code = new_case(
        consents=consents,
        legal_name=f"Fictional Person {n}",
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
            submitted_on=date(2025, 3, 3) + timedelta(days=n % 3),
            today=TODAY,
        )
        if outcome == "granted":
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


def test_export_shares_only_consenting_decisions_and_reports_only_how_many_were_left_out(
    db: Database, actor: Actor, new_case
) -> None:  # type: ignore[no-untyped-def]
    _setup_agency(db, actor)
    shared = [
        _decided_case(db, actor, new_case, i, outcome="granted" if i % 3 else "refused") for i in range(8)
    ]
    left_out = [_decided_case(db, actor, new_case, 100 + i, consents=NO_COALITION) for i in range(3)]
    withdrawn = _decided_case(db, actor, new_case, 200)
    with db.session() as s:
        record_consent(
            s, actor, withdrawn, purpose="coalition_sharing", decision="withdrawn", method="verbal"
        )
    with db.session() as s:
        result = coalition.export(s, actor, policy=POLICY, today=TODAY)
    assert result.ok, result.refusal
    counts = result.manifest["counts"]
    assert counts["withheld_for_consent"] == 4 and counts["eligible"] == 8
    assert counts["exported"] + counts["suppressed"] == 8
    assert len(result.manifest["withdrawals"]) == 1
    archive = zipfile.ZipFile(io.BytesIO(result.package))
    text = archive.read("records.csv").decode()
    assert (
        "Fictional" not in text
        and "TRP-" not in text
        and "Fictional" not in archive.read("manifest.json").decode()
    )
    _, records = read_csv_text(text)
    assert {r["outcome"] for r in records} == {"granted", "refused"}
    assert all(r["origin_region"] != "Mexico" for r in records)
    # The withheld people are not in the package (their keyed ids are computable only with the secret).
    secret = base64.b64decode(SECRET)
    with db.session() as s:
        from trpkit.services.cases import get_case

        withheld_ids = set()
        for code in [*left_out, withdrawn]:
            person = get_case(s, actor, code).person
            identity = coalition.normalised_identity(
                person.legal_name, person.birth_date_earliest, person.birth_date_latest, person.nationality
            )
            for day in range(3):
                withheld_ids.add(
                    coalition.record_id_for(
                        secret, identity, "initial_trp", date(2025, 3, 3) + timedelta(days=day)
                    )
                )
    assert not withheld_ids & {r["record_id"] for r in records}
    assert set(result.manifest["withdrawals"]) <= withheld_ids
    assert len(shared) == 8


def test_bulk_consent_check_agrees_with_has_consent(
    db: Database, actor: Actor, new_case, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    codes = [new_case(), new_case(consents=NO_COALITION), new_case()]
    with db.session() as s:
        record_consent(s, actor, codes[2], purpose="coalition_sharing", decision="withdrawn", method="verbal")
        record_consent(s, actor, codes[2], purpose="coalition_sharing", decision="given", method="written")
    with db.session() as s:
        cases = [require_case(s, actor, c) for c in codes]
        latest = coalition._latest_consent(s, [c.id for c in cases])
        for case in cases:
            assert (latest.get(case.id) == "given") == has_consent(s, case.id, "coalition_sharing")
        # a whole agency's export reads every event once instead: the same answer, only for the cases asked
        monkeypatch.setattr(coalition.records, "SCAN_ALL_CONSENT_ABOVE", 1)
        assert coalition._latest_consent(s, [c.id for c in cases]) == latest
        assert coalition._latest_consent(s, [cases[0].id, cases[2].id]) == {
            k: v for k, v in latest.items() if k in (cases[0].id, cases[2].id)
        }


def test_an_export_below_k_is_refused_and_writes_nothing(db: Database, actor: Actor, new_case) -> None:  # type: ignore[no-untyped-def]
    _setup_agency(db, actor)
    for i in range(3):
        _decided_case(db, actor, new_case, i)
    with db.session() as s:
        result = coalition.export(s, actor, policy=POLICY, today=TODAY)
    assert not result.ok and "at least k = 5" in result.refusal and result.package == b""


def test_the_same_person_gets_the_same_record_id_at_two_agencies() -> None:
    secret = b"s" * 32
    a = coalition.normalised_identity("María  López-García", date(1990, 2, 3), date(1990, 2, 3), "mx")
    b = coalition.normalised_identity("GARCIA, Maria Lopez", date(1990, 2, 3), date(1990, 2, 3), "MX")
    assert a == b
    assert coalition.record_id_for(secret, a, "initial_trp", date(2025, 3, 1)) == coalition.record_id_for(
        secret, b, "initial_trp", date(2025, 3, 30)
    )
    assert coalition.record_id_for(secret, a, "initial_trp", date(2025, 3, 1)) != coalition.record_id_for(
        b"t" * 32, a, "initial_trp", date(2025, 3, 1)
    )
    assert coalition.normalise_gender("Trans Woman") == "trans_woman"
    assert coalition.normalise_office("IRCC Montréal office") == "montreal"


def _package(agency: str, pair: pkg.KeyPair, rows, withdrawals=(), sequence: int = 1) -> bytes:  # type: ignore[no-untyped-def]
    result = anonymise(rows, POLICY)
    assert result.ok
    manifest = {
        "schema_version": "1.0",
        "agency": agency,
        "sequence": sequence,
        "created_at": "2026-11-28T12:00:00+00:00",
        "k": POLICY.k,
        "quasi_identifiers": list(POLICY.quasi_identifiers),
        "levels": result.levels,
        "columns": list(result.columns),
        "counts": {"exported": result.exported},
        "withdrawals": list(withdrawals),
    }
    return pkg.build(write_csv(result.records, result.columns), manifest, pair.private_pem)


def test_import_merges_dedupes_withdraws_and_refuses_bad_packages_whole(db: Database, make_actor) -> None:  # type: ignore[no-untyped-def]
    analyst = make_actor(db, "ines", "analyst")
    a, b = pkg.generate_keypair("ngo-a"), pkg.generate_keypair("ngo-b")
    with db.session() as s:
        coalition.add_agency(s, analyst, a.public_key_file_text())
        coalition.add_agency(s, analyst, b.public_key_file_text())
    rows_a = raw_rows(300, seed=31, agency="ngo-a")
    rows_b = raw_rows(300, seed=32, agency="ngo-b")
    for row in rows_b[:150]:  # the same decisions, also accompanied by ngo-b
        row_a = rows_a[rows_b.index(row)]
        row.update({k: v for k, v in row_a.items() if k != "agency"})
    with db.session() as s:
        first = coalition.import_package_bytes(s, analyst, _package("ngo-a", a, rows_a), policy=POLICY)
    assert first.ok and first.new > 250
    tampered = _package("ngo-b", b, rows_b)
    archive = zipfile.ZipFile(io.BytesIO(tampered))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name in archive.namelist():
            data = archive.read(name)
            z.writestr(name, data.replace(b",granted,", b",refused,", 1) if name == "records.csv" else data)
    with db.session() as s:
        refused = coalition.import_package_bytes(s, analyst, out.getvalue(), policy=POLICY)
    assert not refused.ok and "tampered" in refused.reason
    with db.session() as s:
        assert s.scalar(select(func.count(CoalitionImport.id))) == 1
        before = s.scalar(select(func.count(CoalitionRecord.id)))
    with db.session() as s:
        second = coalition.import_package_bytes(s, analyst, tampered, policy=POLICY)
    assert second.ok and second.duplicates > 100
    with db.session() as s:
        total = s.scalar(select(func.count(CoalitionRecord.id)))
    assert total == before + second.new  # shared twice, counted once
    with db.session() as s:
        again = coalition.import_package_bytes(s, analyst, tampered, policy=POLICY)
    assert not again.ok and "already imported" in again.reason
    # ngo-a learns that one person withdrew consent: their record leaves the next release.
    with db.session() as s:
        records = coalition.records_for_report(s, analyst)
    gone = records[0]["record_id"]
    with db.session() as s:
        notice = coalition.import_package_bytes(
            s,
            analyst,
            _package("ngo-a", a, raw_rows(40, seed=33, agency="ngo-a"), withdrawals=[gone], sequence=2),
            policy=POLICY,
        )
    assert notice.ok and notice.withdrawals == 1
    with db.session() as s:
        release = coalition.release(s, analyst, policy=POLICY)
        assert gone not in {r["record_id"] for r in coalition.records_for_report(s, analyst)}
    assert release.withdrawn_removed == 1 and gone not in release.csv_text
    header = release.csv_text.splitlines()[0].split(",")
    assert "agency" not in header
    _, published = read_csv_text(release.csv_text, require=("outcome",))
    assert len(published) == release.records


def test_roles_analysts_analyse_but_never_export_or_open_case_files(
    db: Database, actor: Actor, make_actor, new_case
) -> None:  # type: ignore[no-untyped-def]
    analyst = make_actor(db, "ines", "analyst")
    accompanier = make_actor(db, "paz", "accompanier")
    code = new_case()
    with db.session() as s, pytest.raises(AccessDenied):
        coalition.export(s, analyst, policy=POLICY)
    with db.session() as s, pytest.raises(AccessDenied):
        coalition.keygen(s, analyst, "x")
    with db.session() as s, pytest.raises(AccessDenied):
        coalition.import_package_bytes(s, accompanier, b"", policy=POLICY)
    with db.session() as s, pytest.raises(AccessDenied):
        require_case(s, analyst, code)
    with db.session() as s:
        assert coalition.records_for_report(s, analyst) == []


def _records_csv_edited(data: bytes) -> bytes:
    archive = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name in archive.namelist():
            content = archive.read(name)
            z.writestr(
                name, content.replace(b",granted,", b",refused,", 1) if name == "records.csv" else content
            )
    return out.getvalue()


@pytest.mark.parametrize(
    "kind,reason",
    [
        ("edited record", "tampered records"),
        ("wrong schema version", "wrong schema version"),
        ("unknown agency key", "unknown agency key"),
        ("below k", "below k"),
    ],
)
def test_a_bad_package_is_refused_and_nothing_of_it_is_imported(
    db: Database, make_actor, kind: str, reason: str
) -> None:  # type: ignore[no-untyped-def]
    analyst = make_actor(db, "ines", "analyst")
    known = pkg.generate_keypair("ngo-a")
    with db.session() as s:
        coalition.add_agency(s, analyst, known.public_key_file_text())
    rows = raw_rows(200, seed=34, agency="ngo-a")
    if kind == "edited record":
        data = _records_csv_edited(_package("ngo-a", known, rows))
    elif kind == "unknown agency key":
        data = _package("ngo-a", pkg.generate_keypair("ngo-a"), rows)
    else:
        result = anonymise(rows, POLICY)
        records = result.records
        if kind == "below k":
            records = [*records, dict(records[0], record_id="cd" * 32, age_band="0-17", gender="trans_man")]
        manifest = {
            "schema_version": "2.0" if kind == "wrong schema version" else "1.0",
            "agency": "ngo-a",
            "k": POLICY.k,
            "quasi_identifiers": list(POLICY.quasi_identifiers),
            "columns": list(result.columns),
            "counts": {"exported": len(records)},
            "withdrawals": [],
        }
        data = pkg.build(write_csv(records, result.columns), manifest, known.private_pem)
    with db.session() as s:
        outcome = coalition.import_package_bytes(s, analyst, data, policy=POLICY)
    assert not outcome.ok and reason in outcome.reason
    with db.session() as s:
        assert s.scalar(select(func.count(CoalitionImport.id))) == 0
        assert s.scalar(select(func.count(CoalitionRecord.id))) == 0
        assert any(e.action == "coalition.import_refused" for e in audit.entries(s))
