"""The one Argon2id helper keeps vault format v1 and backup headers readable."""

from __future__ import annotations

from argon2.low_level import Type, hash_secret_raw

from trpkit.db.kdf import FORMAT_V1, Argon2Params, derive_raw_key
from trpkit.db.vault import derive_key
from trpkit.services.backup_container import ARGON2, _derive

SALT = bytes(range(16))


def test_vault_keys_keep_the_format_v1_parameters() -> None:
    # Computed with argon2-cffi directly: a change to the parameters would lock out every vault.
    expected = hash_secret_raw(
        b"correct horse battery staple",
        SALT,
        time_cost=3,
        memory_cost=65536,
        parallelism=2,
        hash_len=32,
        type=Type.ID,
    )
    assert derive_key("correct horse battery staple", SALT).key == expected
    assert derive_raw_key("correct horse battery staple", SALT) == expected


def test_backups_derive_with_the_parameters_their_header_records() -> None:
    assert ARGON2 == {"time_cost": 3, "memory_kib": 65536, "parallelism": 2}
    assert _derive("a backup passphrase", SALT, ARGON2) == derive_raw_key(
        "a backup passphrase", SALT, FORMAT_V1
    )
    lighter = Argon2Params(1, 8192, 1)
    assert _derive("a backup passphrase", SALT, lighter.as_dict()) != _derive(
        "a backup passphrase", SALT, ARGON2
    )
