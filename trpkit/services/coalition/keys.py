"""Agency setup: the agency's signing key and the coalition secret."""

from __future__ import annotations

import base64
import hashlib
import secrets

from sqlalchemy.orm import Session

from trpkit.coalition import package as pkg
from trpkit.db.models.coalition import (
    CoalitionSettings,
)
from trpkit.domain.vocab import Role
from trpkit.errors import UsageError
from trpkit.services import audit
from trpkit.services.actor import Actor
from trpkit.services.coalition._common import (
    _require,
    _settings,
)
from trpkit.services.coalition.dtos import (
    KeyInfo,
)


def keygen(session: Session, actor: Actor, agency: str, *, replace: bool = False) -> KeyInfo:
    """Make this agency's Ed25519 signing key (kept in the vault) and return the public half to share."""
    _require(actor, (Role.SUPERVISOR, Role.ADMIN), "make the agency's coalition key")
    settings = _settings(session)
    if settings is not None and settings.private_key_pem and not replace:
        raise UsageError(
            f"This vault already has a coalition key for '{settings.agency}' (fingerprint "
            f"{pkg.key_fingerprint(settings.public_key)}). Use --replace to make a new one; the "
            "coalition must then be given the new public key."
        )
    pair = pkg.generate_keypair(agency)
    if settings is None:
        settings = CoalitionSettings()
        session.add(settings)
    settings.agency = pair.agency
    settings.private_key_pem = pair.private_pem.decode("ascii")
    settings.public_key = pair.public_key
    session.flush()
    audit.record(session, actor, "coalition.keygen", None, agency=pair.agency, fingerprint=pair.fingerprint)
    return KeyInfo(pair.agency, pair.public_key, pair.fingerprint, pair.public_key_file_text())


def public_key(session: Session) -> KeyInfo | None:
    settings = _settings(session)
    if settings is None or not settings.public_key:
        return None
    text = f"{pkg.PUBLIC_KEY_PREFIX} {settings.agency} {settings.public_key}\n"
    return KeyInfo(settings.agency, settings.public_key, pkg.key_fingerprint(settings.public_key), text)


def new_secret() -> str:
    """A fresh coalition secret (the coordinator makes it once and gives it to member agencies, not analysts)."""
    return base64.b64encode(secrets.token_bytes(32)).decode("ascii")


def set_secret(session: Session, actor: Actor, secret_b64: str) -> str:
    _require(actor, (Role.SUPERVISOR, Role.ADMIN), "set the coalition secret")
    try:
        raw = base64.b64decode(secret_b64.strip(), validate=True)
    except ValueError:
        raise UsageError(
            "the coalition secret is not base64 text; use the file the coalition gave you"
        ) from None
    if len(raw) < 16:
        raise UsageError("the coalition secret is too short (at least 16 bytes)")
    settings = _settings(session)
    if settings is None:
        settings = CoalitionSettings()
        session.add(settings)
    settings.coalition_secret = secret_b64.strip()
    session.flush()
    audit.record(
        session, actor, "coalition.secret_set", None, secret_fingerprint=hashlib.sha256(raw).hexdigest()[:12]
    )
    return hashlib.sha256(raw).hexdigest()[:12]
