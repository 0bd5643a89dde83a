"""Account passwords: Argon2id hashes, the strength rule, and checking one without revealing why it failed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from trpkit.errors import UsageError

if TYPE_CHECKING:
    from argon2 import PasswordHasher

MIN_PASSWORD_LENGTH = 12


def _hasher() -> PasswordHasher:
    from argon2 import PasswordHasher

    return PasswordHasher()  # Argon2id, RFC 9106 low-memory profile (t=3, m=64 MiB, p=4)


def hash_password(password: str) -> str:
    """An Argon2id hash (salt and parameters included) for storing in ``users.password_hash``."""
    return str(_hasher().hash(password))


def check_password_strength(password: str, username: str = "") -> None:
    from trpkit.domain.passphrase import assess_passphrase

    report = assess_passphrase(password, (username,) if username else ())
    if not report.acceptable:
        raise UsageError("Password too weak: " + "; ".join(report.problems) + ".")


def needs_rehash(password_hash: str) -> bool:
    """Whether a stored hash was made with other parameters than today's (rehash it at the next sign-in)."""
    return bool(_hasher().check_needs_rehash(password_hash))


def verify_password(password_hash: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

    try:
        return bool(_hasher().verify(password_hash, password))
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


_dummy_hash: list[str] = []


def burn_time(password: str) -> None:
    """Verify against a throwaway hash, so an unknown name fails as slowly as a wrong password."""
    if not _dummy_hash:
        _dummy_hash.append(hash_password("not anyone's password"))
    verify_password(_dummy_hash[0], password)
