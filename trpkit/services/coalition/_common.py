"""Constants and small helpers shared by the coalition services."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from trpkit.db.models.coalition import (
    CoalitionSettings,
)
from trpkit.domain.vocab import ConsentPurpose, Role
from trpkit.errors import AccessDenied
from trpkit.services.actor import Actor

PURPOSE = ConsentPurpose.COALITION_SHARING.value
TRP_TYPES = ("initial_trp", "subsequent_trp")
OUTCOME_MAP = {
    "granted": "granted",
    "partially_granted": "granted",
    "refused": "refused",
    "withdrawn": "withdrawn",
    "returned_incomplete": "returned",
}
COALITION_ROLES = (Role.ANALYST, Role.SUPERVISOR, Role.ADMIN)
# Withdrawals owed for destroyed case files go out in every export until both hold: at least this many
# packages carried them, and the first of those was written at least this many days ago. Then the vault
# forgets them (they are re-sent like consent withdrawals, but not forever: the person's file is gone).
RESEND_MIN_PACKAGES = 2
RESEND_DAYS = 365
DESTROYED_REASONS = ("retention_end", "destroyed_early")


def _require(actor: Actor, roles: Sequence[Role], what: str) -> None:
    if actor.role not in roles:
        allowed = ", ".join(r.value for r in roles)
        raise AccessDenied(f"The {actor.role.value} role cannot {what} (allowed: {allowed}).")


def _settings(session: Session) -> CoalitionSettings | None:
    return session.scalar(select(CoalitionSettings).order_by(CoalitionSettings.id).limit(1))


def _as_json(value: Any) -> Any:
    """SQLite gives the JSON text; PostgreSQL's driver has parsed it already."""
    return json.loads(value) if isinstance(value, str) else value


def _as_date(value: Any) -> date | None:
    if value.__class__ is str:
        return _fromisoformat(value[:10])
    if value is None or isinstance(value, date):
        return value
    return _fromisoformat(str(value)[:10])


_fromisoformat = date.fromisoformat


def _count(value: Any) -> int | None:
    if value.__class__ is int:
        return max(value, 0)
    if value is None:
        return None
    if isinstance(value, (list, tuple, set)):
        return len(value)
    try:
        return max(int(value), 0)
    except (TypeError, ValueError):
        return None
