"""Signed coalition packages: records.csv + manifest.json + manifest.sig in one zip file.

The manifest carries the SHA-256 of records.csv, so the Ed25519 signature over the manifest covers every
record. Agency keys are made with ``generate_keypair`` (``trpkit coalition keygen``); the coalition knows
each agency's public key (``trpkit coalition agencies add``) and refuses packages signed by anyone else.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trpkit.errors import UsageError

FORMAT = "trpkit-coalition-package"
RECORDS_NAME = "records.csv"
MANIFEST_NAME = "manifest.json"
SIGNATURE_NAME = "manifest.sig"
PUBLIC_KEY_PREFIX = "trpkit-coalition-ed25519"
MAX_PACKAGE_BYTES = 200 * 1024 * 1024
DAMAGED = "the file is damaged"  # the whole reason: the caller names the file


class PackageRefused(UsageError):
    """A package that must not be imported; the message says why."""


@dataclass(frozen=True)
class KeyPair:
    agency: str
    private_pem: bytes  # PKCS#8; keep it in the vault (or an encrypted file), never share it
    public_key: str  # base64 of the raw 32-byte Ed25519 public key

    @property
    def fingerprint(self) -> str:
        return key_fingerprint(self.public_key)

    def public_key_file_text(self) -> str:
        return f"{PUBLIC_KEY_PREFIX} {self.agency} {self.public_key}\n"


@dataclass(frozen=True)
class Package:
    manifest: dict[str, Any]
    manifest_bytes: bytes
    signature: bytes
    records_bytes: bytes
    sha256: str  # of the whole package file

    @property
    def agency(self) -> str:
        return str(self.manifest.get("agency", ""))


_AGENCY = re.compile(r"[a-z0-9][a-z0-9_.\-]{0,63}")


def check_agency_id(agency: str) -> str:
    value = agency.strip().lower()
    if not _AGENCY.fullmatch(value):
        raise UsageError(
            f"agency id '{agency}' must be 1-64 lower-case letters, digits, '-', '_' or '.' "
            "(for example 'maison-passage')"
        )
    return value


def key_fingerprint(public_key_b64: str) -> str:
    return hashlib.sha256(base64.b64decode(public_key_b64)).hexdigest()[:16]


def generate_keypair(agency: str) -> KeyPair:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    private_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public_raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return KeyPair(check_agency_id(agency), private_pem, base64.b64encode(public_raw).decode("ascii"))


def parse_public_key_file(text: str) -> tuple[str, str]:
    """'trpkit-coalition-ed25519 AGENCY BASE64' -> (agency, public key)."""
    parts = text.strip().split()
    if len(parts) != 3 or parts[0] != PUBLIC_KEY_PREFIX:
        raise UsageError(
            f"not a trpkit agency public key: expected '{PUBLIC_KEY_PREFIX} AGENCY KEY' on one line"
        )
    agency, key = check_agency_id(parts[1]), parts[2]
    try:
        raw = base64.b64decode(key, validate=True)
    except ValueError:
        raise UsageError("the public key is not valid base64") from None
    if len(raw) != 32:
        raise UsageError("the public key is not a 32-byte Ed25519 key")
    return agency, key


def _canonical(manifest: dict[str, Any]) -> bytes:
    return json.dumps(manifest, sort_keys=True, ensure_ascii=False, indent=1).encode("utf-8")


def build(records_csv: str, manifest: dict[str, Any], private_pem: bytes) -> bytes:
    """The package file's bytes. ``manifest`` gets the format, the records' hash and the key it is signed with."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = serialization.load_pem_private_key(private_pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise UsageError("the agency key is not an Ed25519 key; make one with 'trpkit coalition keygen'")
    records_bytes = records_csv.encode("utf-8")
    public_raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    public_b64 = base64.b64encode(public_raw).decode("ascii")
    full = dict(
        manifest,
        format=FORMAT,
        records_sha256=hashlib.sha256(records_bytes).hexdigest(),
        public_key=public_b64,
        key_fingerprint=key_fingerprint(public_b64),
    )
    manifest_bytes = _canonical(full)
    signature = key.sign(manifest_bytes)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr(MANIFEST_NAME, manifest_bytes)
        archive.writestr(RECORDS_NAME, records_bytes)
        archive.writestr(SIGNATURE_NAME, base64.b64encode(signature))
    return buffer.getvalue()


def read(path: Path | str) -> Package:
    """Open a package file; structural problems refuse it (the signature is checked by ``verify``)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise PackageRefused(f"{path}: no such file") from None
    except IsADirectoryError:
        raise PackageRefused(f"{path}: is a folder; give the package file (.trpcoal)") from None
    return read_bytes(data, source=str(path))


def read_bytes(data: bytes, source: str = "package") -> Package:
    if len(data) > MAX_PACKAGE_BYTES:
        raise PackageRefused(f"{source}: larger than {MAX_PACKAGE_BYTES // (1024 * 1024)} MB")
    try:
        return _read_archive(data, source)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError, OSError):
        # A zip's own signature at the start but unreadable further on: cut short or corrupted on the way.
        if data[:2] == b"PK":
            raise PackageRefused(DAMAGED) from None
        raise PackageRefused(f"{source}: not a trpkit coalition package (not a zip file)") from None


def _read_archive(data: bytes, source: str) -> Package:
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = set(archive.namelist())
    expected = {MANIFEST_NAME, RECORDS_NAME, SIGNATURE_NAME}
    if names != expected:
        raise PackageRefused(
            f"{source}: a package holds exactly {', '.join(sorted(expected))}; this one holds "
            f"{', '.join(sorted(names)) or 'nothing'}"
        )
    limit = MAX_PACKAGE_BYTES
    for info in archive.infolist():
        if info.file_size > limit:
            raise PackageRefused(f"{source}: {info.filename} is too large")
    # Read every member first: a corrupted member fails its CRC check here, before anything is parsed.
    manifest_bytes, signature_text, records_bytes = (
        archive.read(name) for name in (MANIFEST_NAME, SIGNATURE_NAME, RECORDS_NAME)
    )
    try:
        manifest = json.loads(manifest_bytes.decode("utf-8"))
        signature = base64.b64decode(signature_text, validate=True)
    except (UnicodeDecodeError, json.JSONDecodeError, ValueError):
        raise PackageRefused(f"{source}: the manifest or signature is unreadable") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise PackageRefused(f"{source}: not a trpkit coalition package (format field missing)")
    return Package(manifest, manifest_bytes, signature, records_bytes, hashlib.sha256(data).hexdigest())


def verify(package: Package, known_keys: dict[str, list[str]]) -> None:
    """Refuse unless the package is signed by a key the coalition knows for its agency and is unmodified."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    agency = package.agency
    key_b64 = str(package.manifest.get("public_key", ""))
    keys = known_keys.get(agency, [])
    if not keys:
        raise PackageRefused(
            f"unknown agency '{agency}': add its public key first (trpkit coalition agencies add KEYFILE)"
        )
    if key_b64 not in keys:
        raise PackageRefused(
            f"unknown agency key: the package is signed with key {key_fingerprint(key_b64) if key_b64 else '?'}"
            f", which is not a key the coalition holds for '{agency}'"
        )
    try:
        Ed25519PublicKey.from_public_bytes(base64.b64decode(key_b64)).verify(
            package.signature, package.manifest_bytes
        )
    except (InvalidSignature, ValueError):
        raise PackageRefused("bad signature: the manifest was changed after it was signed") from None
    if hashlib.sha256(package.records_bytes).hexdigest() != package.manifest.get("records_sha256"):
        raise PackageRefused(
            "tampered records: records.csv does not match the signed manifest (a record was "
            "added, removed or edited after signing)"
        )
