"""Argon2id key derivation: the one place a passphrase becomes a raw key (vault and backups)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Argon2Params:
    time_cost: int
    memory_kib: int
    parallelism: int

    def as_dict(self) -> dict[str, int]:
        """As a backup header records them (``time_cost``, ``memory_kib``, ``parallelism``)."""
        return {"time_cost": self.time_cost, "memory_kib": self.memory_kib, "parallelism": self.parallelism}


# Vault format v1 and backup containers. Changing these would lock out existing files: add new
# parameters beside them and try both.
FORMAT_V1 = Argon2Params(time_cost=3, memory_kib=65536, parallelism=2)


def derive_raw_key(secret: str, salt: bytes, params: Argon2Params = FORMAT_V1, length: int = 32) -> bytes:
    """``length`` bytes stretched from ``secret`` with Argon2id (callers refuse an empty secret)."""
    from argon2.low_level import Type, hash_secret_raw

    return hash_secret_raw(
        secret.encode("utf-8"),
        salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_kib,
        parallelism=params.parallelism,
        hash_len=length,
        type=Type.ID,
    )
