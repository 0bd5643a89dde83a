"""Signed packages and the merge checks: every tampered or non-conforming package is refused with its reason."""

from __future__ import annotations

import base64
import io
import json
import zipfile

import pytest

from trpkit.coalition import merge
from trpkit.coalition import package as pkg
from trpkit.coalition.generalise import anonymise
from trpkit.coalition.record import write_csv
from trpkit.coalition.synthetic import raw_rows
from trpkit.errors import UsageError
from trpkit.loading.coalition_policy import load_policy

POLICY = load_policy()


def _build(
    rows=None,
    *,
    agency: str = "ngo-a",
    pair=None,
    manifest_changes=None,
    records=None,  # type: ignore[no-untyped-def]
    columns=None,
):
    pair = pair or pkg.generate_keypair(agency)
    result = anonymise(rows if rows is not None else raw_rows(200, seed=5, agency=agency), POLICY)
    assert result.ok
    records = records if records is not None else result.records
    columns = columns or list(result.columns)
    manifest = {
        "schema_version": "1.0",
        "agency": agency,
        "created_at": "2026-11-28T12:00:00+00:00",
        "k": POLICY.k,
        "quasi_identifiers": list(POLICY.quasi_identifiers),
        "levels": result.levels,
        "columns": columns,
        "counts": {"exported": len(records)},
        "withdrawals": [],
    }
    manifest.update(manifest_changes or {})
    return pair, pkg.build(write_csv(records, columns), manifest, pair.private_pem)


def _rezip(data: bytes, **replace: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            target.writestr(name, replace.get(name.replace(".", "_"), source.read(name)))
    return out.getvalue()


def test_a_good_package_passes_every_check() -> None:
    pair, data = _build()
    checked = merge.check(pkg.read_bytes(data), POLICY, {"ngo-a": [pair.public_key]})
    assert checked.agency == "ngo-a" and len(checked.records) > 150
    assert any("k-anonymity" in c for c in checked.checks)


def test_an_edited_record_is_refused() -> None:
    pair, data = _build()
    text = zipfile.ZipFile(io.BytesIO(data)).read("records.csv").decode()
    edited = text.replace(",refused,", ",granted,", 1).encode()
    assert edited != text.encode()
    with pytest.raises(pkg.PackageRefused, match="tampered records"):
        merge.check(pkg.read_bytes(_rezip(data, records_csv=edited)), POLICY, {"ngo-a": [pair.public_key]})


def test_an_edited_manifest_breaks_the_signature() -> None:
    pair, data = _build()
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(data)).read("manifest.json"))
    manifest["counts"]["withheld_for_consent"] = 0
    with pytest.raises(pkg.PackageRefused, match="bad signature"):
        merge.check(
            pkg.read_bytes(_rezip(data, manifest_json=json.dumps(manifest).encode())),
            POLICY,
            {"ngo-a": [pair.public_key]},
        )


def test_a_wrong_schema_version_is_refused() -> None:
    pair, data = _build(manifest_changes={"schema_version": "2.0"})
    with pytest.raises(pkg.PackageRefused, match="wrong schema version"):
        merge.check(pkg.read_bytes(data), POLICY, {"ngo-a": [pair.public_key]})


def test_an_unknown_agency_key_is_refused() -> None:
    _, data = _build()
    other = pkg.generate_keypair("ngo-a")
    with pytest.raises(pkg.PackageRefused, match="unknown agency key"):
        merge.check(pkg.read_bytes(data), POLICY, {"ngo-a": [other.public_key]})
    with pytest.raises(pkg.PackageRefused, match="unknown agency 'ngo-a'"):
        merge.check(pkg.read_bytes(data), POLICY, {})


def test_a_package_signed_by_one_agency_for_another_is_refused() -> None:
    impostor = pkg.generate_keypair("ngo-b")
    real = pkg.generate_keypair("ngo-a")
    _, data = _build(pair=impostor)  # claims to be ngo-a, signed with ngo-b's key
    with pytest.raises(pkg.PackageRefused, match="unknown agency key"):
        merge.check(
            pkg.read_bytes(data), POLICY, {"ngo-a": [real.public_key], "ngo-b": [impostor.public_key]}
        )


def test_an_export_below_k_is_refused() -> None:
    rows = raw_rows(200, seed=5)
    result = anonymise(rows, POLICY)
    unique = dict(result.records[0], age_band="0-17", gender="trans_man", record_id="ab" * 32)
    pair, data = _build(records=[*result.records, unique])
    with pytest.raises(pkg.PackageRefused, match="below k"):
        merge.check(pkg.read_bytes(data), POLICY, {"ngo-a": [pair.public_key]})
    pair, data = _build(manifest_changes={"k": 3})
    with pytest.raises(pkg.PackageRefused, match="below k: the package was made with k = 3"):
        merge.check(pkg.read_bytes(data), POLICY, {"ngo-a": [pair.public_key]})


def test_a_withheld_field_or_a_too_fine_value_is_refused() -> None:
    rows = raw_rows(200, seed=5)
    result = anonymise(rows, POLICY)
    with_officer = [dict(r, officer_label="of-1") for r in result.records]
    pair, data = _build(records=with_officer, columns=[*result.columns, "officer_label"])
    with pytest.raises(pkg.PackageRefused, match="withheld field"):
        merge.check(pkg.read_bytes(data), POLICY, {"ngo-a": [pair.public_key]})
    countries = [dict(r, origin_region="Mexico") for r in result.records]
    pair, data = _build(records=countries)
    with pytest.raises(pkg.PackageRefused, match="origin_region value 'Mexico'"):
        merge.check(pkg.read_bytes(data), POLICY, {"ngo-a": [pair.public_key]})


def test_files_that_are_not_packages_are_refused() -> None:
    with pytest.raises(pkg.PackageRefused, match="not a zip"):
        pkg.read_bytes(b"hello")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("records.csv", "outcome\ngranted\n")
    with pytest.raises(pkg.PackageRefused, match="holds exactly"):
        pkg.read_bytes(out.getvalue())


def test_public_key_files_round_trip_and_reject_garbage() -> None:
    pair = pkg.generate_keypair("Maison-Test")
    assert pkg.parse_public_key_file(pair.public_key_file_text()) == ("maison-test", pair.public_key)
    with pytest.raises(UsageError, match="not a trpkit agency public key"):
        pkg.parse_public_key_file("ssh-ed25519 AAAA")
    with pytest.raises(UsageError, match="32-byte"):
        pkg.parse_public_key_file(f"{pkg.PUBLIC_KEY_PREFIX} x {base64.b64encode(b'short').decode()}")
