"""Checking a package before anything from it is imported: signature, schema, policy, k, duplicates.

``check`` either returns the package's records (ready to store) or raises ``PackageRefused`` with one clear
reason. The caller imports all of a package or none of it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from trpkit.coalition import package as pkg
from trpkit.coalition.export_risk import class_sizes
from trpkit.coalition.generalise import qi_columns, shared_columns
from trpkit.coalition.record import Record, RecordError, read_csv_text
from trpkit.domain.coalition_policy import QI_COLUMNS, SCHEMA_VERSION, STAR, Policy

_HEX = re.compile(r"[0-9a-f]{16,64}")


@dataclass(frozen=True)
class CheckedPackage:
    package: pkg.Package
    agency: str
    records: list[Record]
    withdrawals: tuple[str, ...]
    checks: tuple[str, ...]
    sequence: int | None = None  # the agency's package number; None for packages made before numbering


def allowed_values(policy: Policy, attribute: str) -> set[str] | None:
    """Every value the policy lets ``attribute`` take (None: any well-formed value)."""
    h = policy.hierarchies[attribute]
    levels = h.levels[h.min_level :]
    values: set[str] = {STAR, "unknown"}
    if attribute == "age_band":
        from trpkit.coalition.hierarchy_labels import _age_label

        for name in levels:
            bands = h.age_bands[name]
            values.update(_age_label(b, bands) for b in bands)
        return values
    if attribute == "origin_region":
        m49 = policy.m49
        for name in levels:
            values.update(m49.area_of(c, name) or "unknown" for c in m49.countries)
        return values
    if attribute in ("gender", "exploitation_sector"):
        from trpkit.domain.coalition_policy import GENDERS, SECTORS

        vocabulary = GENDERS if attribute == "gender" else SECTORS
        for name in levels:
            values.update(vocabulary if name == h.levels[0] else h.maps[name].values())
        return values
    if attribute == "ircc_office":
        for name in levels:
            mapping = h.maps.get(h.levels[1], {}) if len(h.levels) > 1 else {}
            values.update(mapping.keys() if name == h.levels[0] else h.maps[name].values())
        values.add("other")
        return values
    return None


_DATE_PATTERNS = {
    "month": re.compile(r"\d{4}-\d{2}"),
    "quarter": re.compile(r"\d{4}-Q[1-4]"),
    "half": re.compile(r"\d{4}-H[12]"),
    "year": re.compile(r"\d{4}"),
}


def _date_allowed(policy: Policy, value: str) -> bool:
    h = policy.hierarchies["dates"]
    if value == STAR:
        return True
    return any(_DATE_PATTERNS[name].fullmatch(value) for name in h.levels[h.min_level :])


def check(package: pkg.Package, policy: Policy, known_keys: dict[str, list[str]]) -> CheckedPackage:
    """Verify everything; raise PackageRefused naming the first problem."""
    manifest = package.manifest
    version = _check_schema(manifest)
    pkg.verify(package, known_keys)
    checks = ["signature", "records hash", f"schema {version}"]
    sequence = manifest.get("sequence")
    if sequence is not None and (type(sequence) is not int or sequence < 1):
        raise pkg.PackageRefused("the manifest's package number (sequence) is not a whole number from 1 up")
    agency = package.agency
    k = manifest.get("k")
    if not isinstance(k, int) or k < policy.k:
        raise pkg.PackageRefused(
            f"below k: the package was made with k = {k}, the coalition policy needs k >= {policy.k}"
        )
    declared = manifest.get("quasi_identifiers")
    if not isinstance(declared, list) or not set(policy.quasi_identifiers) <= set(declared):
        missing = sorted(set(policy.quasi_identifiers) - set(declared or []))
        raise pkg.PackageRefused(
            f"policy mismatch: the package does not protect {', '.join(missing)} as quasi-identifier(s)"
        )
    header, records = _records(package, policy)
    _check_rows(records, agency)
    _check_values(records, policy)
    checks.append("values within the policy's generalisation levels")
    columns = [c for c in qi_columns(declared) if c in header]
    sizes = class_sizes(records, columns)
    if records and min(sizes) < policy.k:
        raise pkg.PackageRefused(
            f"below k: {sum(1 for s in sizes if s < policy.k)} group(s) of records share their "
            f"quasi-identifiers with fewer than {policy.k} records (smallest: {min(sizes)})"
        )
    checks.append(f"k-anonymity (k = {policy.k}, smallest group {min(sizes) if sizes else 0})")
    withdrawals = manifest.get("withdrawals", [])
    if not isinstance(withdrawals, list) or not all(
        isinstance(w, str) and _HEX.fullmatch(w) for w in withdrawals
    ):
        raise pkg.PackageRefused("the manifest's withdrawals are not a list of record ids")
    return CheckedPackage(package, agency, records, tuple(withdrawals), tuple(checks), sequence)


def _check_schema(manifest: dict[str, Any]) -> str:
    """The package's record schema version, refused unless this coalition reads it."""
    version = str(manifest.get("schema_version", ""))
    if version.split(".")[0] != SCHEMA_VERSION.split(".")[0] or not version:
        raise pkg.PackageRefused(
            f"wrong schema version: the package uses record schema '{version or '?'}', "
            f"this coalition reads {SCHEMA_VERSION}"
        )
    if tuple(int(p) for p in version.split(".") if p.isdigit()) > tuple(
        int(p) for p in SCHEMA_VERSION.split(".")
    ):
        raise pkg.PackageRefused(
            f"wrong schema version: the package uses a newer record schema ({version}); "
            "update trpkit before importing it"
        )
    return version


def _records(package: pkg.Package, policy: Policy) -> tuple[list[str], list[Record]]:
    """records.csv read strictly: only the columns the policy shares, as the manifest lists and counts them."""
    manifest = package.manifest
    try:
        header, records = read_csv_text(
            package.records_bytes.decode("utf-8"),
            source=pkg.RECORDS_NAME,
            require=("record_id", "agency", "outcome"),
        )
    except (RecordError, UnicodeDecodeError) as exc:
        raise pkg.PackageRefused(f"malformed records: {exc}") from None
    allowed = set(shared_columns(policy))
    withheld = [c for c in header if c not in allowed]
    if withheld:
        raise pkg.PackageRefused(
            f"withheld field(s) present: {', '.join(withheld)} may not be shared under the coalition policy"
        )
    if header != list(manifest.get("columns", [])):
        raise pkg.PackageRefused("the columns of records.csv differ from the manifest's")
    counts = manifest.get("counts", {})
    if counts.get("exported") != len(records):
        raise pkg.PackageRefused(
            f"the manifest announces {counts.get('exported')} records, the file holds {len(records)}"
        )
    return header, records


def _check_rows(records: list[Record], agency: str) -> None:
    """Every row from the signing agency, every record id once."""
    seen: set[str] = set()
    for number, record in enumerate(records, start=2):
        if record["agency"] != agency:
            raise pkg.PackageRefused(
                f"row {number}: agency '{record['agency']}' differs from the signer '{agency}'"
            )
        if record["record_id"] in seen:
            raise pkg.PackageRefused(f"row {number}: record_id repeated within the package")
        seen.add(record["record_id"])


def _check_values(records: Iterable[Record], policy: Policy) -> None:
    records = list(records)
    for attribute, columns in QI_COLUMNS.items():
        if attribute == "dates":
            for column in columns:
                bad = {
                    r[column]
                    for r in records
                    if r.get(column) is not None and not _date_allowed(policy, r[column])
                }
                if bad:
                    raise pkg.PackageRefused(f"{column} value '{min(bad)}' is finer than the policy allows")
            continue
        allowed = allowed_values(policy, attribute)
        if allowed is None:
            continue
        bad_values = {
            r[attribute] for r in records if r.get(attribute) is not None and r[attribute] not in allowed
        }
        if bad_values:
            raise pkg.PackageRefused(
                f"{attribute} value '{min(bad_values)}' is not allowed by the policy "
                "(finer than its minimum level, or not in its hierarchy)"
            )


def dedupe(records: Iterable[Record]) -> list[Record]:
    """One record per record_id (the first seen wins): the same person's decision shared by two agencies."""
    seen: set[Any] = set()
    out: list[Record] = []
    for record in records:
        key = record.get("record_id")
        if key is not None and key in seen:
            continue
        if key is not None:
            seen.add(key)
        out.append(record)
    return out
