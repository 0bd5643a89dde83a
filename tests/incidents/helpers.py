"""Shared helpers for the incident tests: a typical incident, a second agency's signed package."""

from __future__ import annotations

from typing import Any

from trpkit.coalition import incident_package as ipkg
from trpkit.coalition.package import KeyPair, generate_keypair
from trpkit.db.database import Database
from trpkit.services import coalition
from trpkit.services.actor import Actor
from trpkit.services.incidents import IncidentInput

RAID = IncidentInput(
    title="Farm workers detained after a raid",
    when="early March 2026",
    place="Windsor--Sarnia",
    sector="agriculture",
    people="10-24",
    framing="smuggling",
    facts=("debt", "documents_held"),
    known="Workers recruited abroad owed large debts; passports held by the labour contractor.",
    unknown="Whether anyone asked about the debts before detention.",
    questions="Were trafficking indicators explored before removal orders?",
    asks=("call_for_information", "interpreters"),
)


def give_key(db: Database, actor: Actor, agency: str = "maison-test") -> None:
    with db.session() as session:
        coalition.keygen(session, actor, agency, replace=True)


def public_key_line(db: Database) -> str:
    with db.session() as session:
        info = coalition.public_key(session)
        assert info is not None
        return info.public_key_file


def trust(db: Database, actor: Actor, key_line: str) -> None:
    with db.session() as session:
        coalition.add_agency(session, actor, key_line)


def other_agency() -> KeyPair:
    return generate_keypair("refuge-nord")


def item(uid: str = "a1b2c3d4e5f60718", sequence: int = 1, **changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "uid": uid,
        "sequence": sequence,
        "withdrawn": False,
        "title": "Restaurant workers moved between cities",
        "when_text": "autumn 2025",
        "when_parsed": True,
        "when_earliest": "2025-09-01",
        "when_latest": "2025-11-30",
        "place": "ER-2440",
        "sector": "hospitality",
        "people": "5-9",
        "framing": "labour_dispute",
        "framing_history": ["trafficking"],
        "indicators": ["AL-5.01"],
        "facts": ["movement_controlled"],
        "known": "Housing provided by the employer; wages withheld.",
        "unknown": "Who arranged the travel.",
        "questions": "Is this one network?",
        "sources": [{"kind": "public_link", "detail": "https://news.example/story", "public": True}],
        "asks": ["call_for_information"],
    }
    base.update(changes)
    return base


def package_from(pair: KeyPair, items: list[dict[str, Any]]) -> bytes:
    return ipkg.build(items, {"agency": pair.agency, "created_at": "2026-12-01T10:00:00"}, pair.private_pem)
