"""Signed incident packages: incidents.json + manifest.json + manifest.sig in one zip file.

The same Ed25519 agency keys as decision packages (``trpkit coalition keygen``; known keys added with
``trpkit coalition agencies add``), but a separate package type: the format field differs, so neither
importer accepts the other's packages. The manifest carries the SHA-256 of incidents.json, so the
signature over the manifest covers every incident.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any

from trpkit.coalition.package import PackageRefused, check_agency_id, key_fingerprint
from trpkit.errors import UsageError

FORMAT = "trpkit-incident-package"
FORMAT_VERSION = 1
INCIDENTS_NAME = "incidents.json"
MANIFEST_NAME = "manifest.json"
SIGNATURE_NAME = "manifest.sig"
MAX_PACKAGE_BYTES = 20 * 1024 * 1024
SUFFIX = ".trpinc"

__all__ = ["FORMAT", "IncidentPackage", "PackageRefused", "build", "read_bytes", "verify"]


@dataclass(frozen=True)
class IncidentPackage:
    manifest: dict[str, Any]
    manifest_bytes: bytes
    signature: bytes
    incidents_bytes: bytes
    sha256: str

    @property
    def agency(self) -> str:
        return str(self.manifest.get("agency", ""))

    def incidents(self) -> list[dict[str, Any]]:
        try:
            data = json.loads(self.incidents_bytes.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise PackageRefused("damaged package: incidents.json is not readable JSON") from None
        if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
            raise PackageRefused("damaged package: incidents.json is not a list of incidents")
        return data


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, indent=1).encode("utf-8")


def build(incidents: list[dict[str, Any]], manifest: dict[str, Any], private_pem: bytes) -> bytes:
    """The package file's bytes, signed with the agency's coalition key."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = serialization.load_pem_private_key(private_pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise UsageError("the agency key is not an Ed25519 key; make one with 'trpkit coalition keygen'")
    body = _canonical(incidents)
    public_raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    public_b64 = base64.b64encode(public_raw).decode("ascii")
    full = dict(
        manifest,
        format=FORMAT,
        format_version=FORMAT_VERSION,
        agency=check_agency_id(str(manifest.get("agency", ""))),
        incidents_sha256=hashlib.sha256(body).hexdigest(),
        public_key=public_b64,
        key_fingerprint=key_fingerprint(public_b64),
    )
    manifest_bytes = _canonical(full)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST_NAME, manifest_bytes)
        archive.writestr(INCIDENTS_NAME, body)
        archive.writestr(SIGNATURE_NAME, base64.b64encode(key.sign(manifest_bytes)))
    return buffer.getvalue()


def read_bytes(data: bytes, source: str = "package") -> IncidentPackage:
    """Open a package; structural problems refuse it (the signature is checked by ``verify``)."""
    if len(data) > MAX_PACKAGE_BYTES:
        raise PackageRefused(f"{source}: larger than {MAX_PACKAGE_BYTES // (1024 * 1024)} MB")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        expected = {MANIFEST_NAME, INCIDENTS_NAME, SIGNATURE_NAME}
        if names != expected:
            raise PackageRefused(
                f"{source}: damaged or not an incident package (it holds {', '.join(sorted(names)) or 'nothing'})"
            )
        if any(info.file_size > MAX_PACKAGE_BYTES for info in archive.infolist()):
            raise PackageRefused(f"{source}: a file inside the package is too large")
        manifest_bytes = archive.read(MANIFEST_NAME)
        incidents_bytes = archive.read(INCIDENTS_NAME)
        signature_text = archive.read(SIGNATURE_NAME)
    except (zipfile.BadZipFile, EOFError, zlib.error):
        raise PackageRefused(
            f"{source}: damaged or not an incident package (not a readable zip file)"
        ) from None
    try:
        manifest = json.loads(manifest_bytes.decode("utf-8"))
        signature = base64.b64decode(signature_text, validate=True)
    except (UnicodeDecodeError, json.JSONDecodeError, ValueError):
        raise PackageRefused(f"{source}: damaged package: the manifest or signature is unreadable") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        other = manifest.get("format") if isinstance(manifest, dict) else None
        hint = " (this is a decision package: use 'trpkit coalition import')" if other else ""
        raise PackageRefused(f"{source}: not an incident package{hint}")
    return IncidentPackage(
        manifest, manifest_bytes, signature, incidents_bytes, hashlib.sha256(data).hexdigest()
    )


def verify(package: IncidentPackage, known_keys: dict[str, list[str]]) -> None:
    """Refuse unless signed by a key known for its agency and unmodified since signing."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    agency = package.agency
    key_b64 = str(package.manifest.get("public_key", ""))
    if key_b64 not in known_keys.get(agency, []):
        fingerprint = key_fingerprint(key_b64) if key_b64 else "?"
        raise PackageRefused(
            f"unknown key: signed as '{agency}' with key {fingerprint}, which this database does not hold "
            "for that agency (add its public key with 'trpkit coalition agencies add KEYFILE')"
        )
    try:
        Ed25519PublicKey.from_public_bytes(base64.b64decode(key_b64)).verify(
            package.signature, package.manifest_bytes
        )
    except (InvalidSignature, ValueError):
        raise PackageRefused("tampered: the manifest was changed after it was signed") from None
    if hashlib.sha256(package.incidents_bytes).hexdigest() != package.manifest.get("incidents_sha256"):
        raise PackageRefused("tampered: incidents.json does not match the signed manifest")
