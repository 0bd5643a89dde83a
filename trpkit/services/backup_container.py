"""The backup file format: an authenticated container of encrypted frames around a vault.

    MAGIC | header length (4 bytes) | header (JSON, readable, authenticated) | frames…

Each frame is ``type (1 byte) | length (4 bytes) | AES-256-GCM ciphertext``. The key is Argon2id of
the backup passphrase with the header's salt; the nonce is ``prefix (7) | frame number (4) | type (1)``
and the header is the associated data of every frame, so a changed header, a reordered, removed,
duplicated or truncated frame, or a flipped bit anywhere fails to decrypt. The last frame (type 1)
carries the SHA-256 and length of the vault inside, checked again after decryption.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from trpkit.db.kdf import FORMAT_V1
from trpkit.errors import UsageError

MAGIC = b"TRPKIT-BACKUP\x00v1\n"
FORMAT = 1
CHUNK_BYTES = 1 << 20
MAX_HEADER_BYTES = 64 * 1024
FRAME_DATA = 0
FRAME_END = 1
TAG_BYTES = 16
ARGON2 = FORMAT_V1.as_dict()  # recorded in each backup's header, read back by restore

Progress = Callable[[str, int, int], None]  # (stage, done, total)


class BackupError(UsageError):
    """A backup file that is not one, is damaged, or does not open with the passphrase given (exit 2)."""


# --- the container ----------------------------------------------------------------------------------


def _derive(passphrase: str, salt: bytes, params: dict[str, int]) -> bytes:
    from trpkit.db.kdf import Argon2Params, derive_raw_key

    if not passphrase:
        raise BackupError("The backup passphrase is empty.")
    return derive_raw_key(
        passphrase, salt, Argon2Params(params["time_cost"], params["memory_kib"], params["parallelism"])
    )


def _nonce(prefix: bytes, number: int, frame_type: int) -> bytes:
    return prefix + struct.pack(">IB", number, frame_type)


def write_container(
    source: Path,
    output: BinaryIO,
    passphrase: str,
    header_extra: dict[str, Any],
    trailer_extra: dict[str, Any],
    progress: Progress | None,
) -> tuple[int, str]:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    salt, prefix = os.urandom(16), os.urandom(7)
    header = json.dumps(
        {
            "format": FORMAT,
            "cipher": "AES-256-GCM",
            "chunk_bytes": CHUNK_BYTES,
            "kdf": {"name": "argon2id", "salt": salt.hex(), **ARGON2},
            "nonce_prefix": prefix.hex(),
            **header_extra,
        },
        sort_keys=True,
    ).encode("utf-8")
    aead = AESGCM(_derive(passphrase, salt, ARGON2))
    output.write(MAGIC + struct.pack(">I", len(header)) + header)
    digest = hashlib.sha256()
    total = source.stat().st_size
    done = 0
    number = 0
    with source.open("rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            digest.update(chunk)
            sealed = aead.encrypt(_nonce(prefix, number, FRAME_DATA), chunk, header)
            output.write(struct.pack(">BI", FRAME_DATA, len(sealed)) + sealed)
            number += 1
            done += len(chunk)
            if progress:
                progress("encrypting", done, total)
    trailer = json.dumps(
        {"bytes": done, "sha256": digest.hexdigest(), "frames": number, **trailer_extra}, sort_keys=True
    ).encode("utf-8")
    sealed = aead.encrypt(_nonce(prefix, number, FRAME_END), trailer, header)
    output.write(struct.pack(">BI", FRAME_END, len(sealed)) + sealed)
    return done, digest.hexdigest()


def read_header(path: Path) -> dict[str, Any]:
    """The readable (but authenticated) header of a backup file; explains plainly what is wrong."""
    with path.open("rb") as handle:
        header, _ = _read_header(handle, path)
    return header


def _read_header(handle: BinaryIO, path: Path) -> tuple[dict[str, Any], bytes]:
    magic = handle.read(len(MAGIC))
    if magic != MAGIC:
        raise BackupError(f"{path} is not a trpkit backup (it does not start with the trpkit backup marker).")
    raw_len = handle.read(4)
    if len(raw_len) < 4:
        raise BackupError(f"{path} is truncated: the backup header is incomplete.")
    (length,) = struct.unpack(">I", raw_len)
    if not 0 < length <= MAX_HEADER_BYTES:
        raise BackupError(f"{path} is damaged: its header length ({length}) is impossible.")
    raw = handle.read(length)
    if len(raw) < length:
        raise BackupError(f"{path} is truncated: the backup header is incomplete.")
    try:
        header = json.loads(raw.decode("utf-8"))
        kdf = header["kdf"]
        params = {k: int(kdf[k]) for k in ARGON2}
        bytes.fromhex(kdf["salt"])
        if len(bytes.fromhex(header["nonce_prefix"])) != 7 or kdf["name"] != "argon2id":
            raise ValueError("bad nonce or kdf")
        if not (
            1 <= params["time_cost"] <= 20
            and 8 <= params["memory_kib"] <= 4 * 1024 * 1024
            and 1 <= params["parallelism"] <= 64
        ):
            raise ValueError("kdf parameters out of range")
    except (ValueError, KeyError, TypeError, UnicodeDecodeError, AttributeError):
        raise BackupError(f"{path} is damaged: its header cannot be read.") from None
    if header.get("format") != FORMAT:
        raise BackupError(
            f"{path} uses backup format {header.get('format')!r}; this trpkit reads format {FORMAT}."
        )
    return header, raw


def _frames(handle: BinaryIO, path: Path) -> Iterator[tuple[int, bytes]]:
    while True:
        head = handle.read(5)
        if not head:
            return
        if len(head) < 5:
            raise BackupError(f"{path} is truncated in the middle of a block. Use another backup.")
        frame_type, length = struct.unpack(">BI", head)
        if frame_type not in (FRAME_DATA, FRAME_END) or not TAG_BYTES <= length <= CHUNK_BYTES + 1024:
            raise BackupError(f"{path} is damaged: a block has an impossible type or size.")
        body = handle.read(length)
        if len(body) < length:
            raise BackupError(f"{path} is truncated in the middle of a block. Use another backup.")
        yield frame_type, body


def decrypt_container(
    path: Path, passphrase: str, sink: BinaryIO | None, progress: Progress | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Stream-decrypt ``path`` into ``sink``; return (header, trailer). Raises BackupError on any problem."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    size = path.stat().st_size
    with path.open("rb") as handle:
        header, raw_header = _read_header(handle, path)
        kdf = header["kdf"]
        aead = AESGCM(_derive(passphrase, bytes.fromhex(kdf["salt"]), {k: int(kdf[k]) for k in ARGON2}))
        prefix = bytes.fromhex(header["nonce_prefix"])
        digest = hashlib.sha256()
        done = 0
        trailer: dict[str, Any] | None = None
        for number, (frame_type, body) in enumerate(_frames(handle, path)):
            if trailer is not None:
                raise BackupError(f"{path} has data after its end marker: it was tampered with or damaged.")
            try:
                plain = aead.decrypt(_nonce(prefix, number, frame_type), body, raw_header)
            except InvalidTag:
                if number == 0:
                    raise BackupError(
                        f"Wrong backup passphrase for {path}, or the file is damaged. Check the passphrase."
                    ) from None
                raise BackupError(
                    f"{path} is damaged or was tampered with (block {number} fails its integrity check)."
                ) from None
            if frame_type == FRAME_END:
                try:
                    trailer = json.loads(plain.decode("utf-8"))
                except (ValueError, UnicodeDecodeError):
                    raise BackupError(f"{path} is damaged: its end marker cannot be read.") from None
                continue
            digest.update(plain)
            done += len(plain)
            if sink is not None:
                sink.write(plain)
            if progress:
                progress("decrypting", handle.tell(), size)
    if trailer is None:
        raise BackupError(f"{path} is truncated: its end marker is missing. Use another backup.")
    if trailer.get("bytes") != done or trailer.get("sha256") != digest.hexdigest():
        raise BackupError(f"{path} is damaged: the SHA-256 of its contents does not match.")
    return header, trailer
