"""Incident services on both backends: record, list, edit, withdraw, export checks, signed import."""

from __future__ import annotations

import os
import stat
from dataclasses import replace
from pathlib import Path

import pytest

from tests.incidents.helpers import RAID, give_key, item, other_agency, package_from, public_key_line, trust
from trpkit.db.database import Database
from trpkit.errors import AccessDenied, UsageError
from trpkit.services import incident_sharing as sharing
from trpkit.services import incidents
from trpkit.services.actor import Actor
from trpkit.services.cases import create_case
from trpkit.services.incidents import IncidentInput


def test_new_list_show_and_edit_keep_versions(db: Database, actor: Actor) -> None:
    with db.session() as session:
        made = incidents.new_incident(session, actor, RAID)
    assert made.incident.sequence == 1 and made.place_name == "Windsor--Sarnia" and made.province == "ON"
    assert made.incident.when_parsed and made.incident.when_earliest == "2026-03-01"
    with db.session() as session:
        edited = incidents.edit_incident(
            session, actor, made.ref, IncidentInput(framing="trafficking", people="25-99")
        )
    assert edited.incident.sequence == 2
    assert edited.incident.framing_history == ("smuggling",) and edited.incident.framing_changed
    with db.session() as session:
        same = incidents.edit_incident(session, actor, made.ref, IncidentInput(people="25-99"))
        assert same.incident.sequence == 2  # nothing changed, nothing to resend
        listed = incidents.list_incidents(session, actor, place="ON")
        assert [v.ref for v in listed] == [made.ref]
        assert incidents.list_incidents(session, actor, place="Québec") == []
        assert incidents.show_incident(session, actor, made.ref.upper()).incident.title == RAID.title


def test_unreadable_date_is_kept_as_written(db: Database, actor: Actor) -> None:
    with db.session() as session:
        made = incidents.new_incident(session, actor, replace(RAID, when="the week after the big storm"))
    assert made.incident.when_text == "the week after the big storm"
    assert not made.incident.when_parsed and made.when_needs_correction


def test_unknown_place_is_refused_with_the_closest_names(db: Database, actor: Actor) -> None:
    with db.session() as session, pytest.raises(UsageError, match=r"Closest: .*Toronto \(ER-3530\)"):
        incidents.new_incident(session, actor, replace(RAID, place="Torontto"))
    with db.session() as session:
        assert incidents.list_incidents(session, actor) == []


def test_unknown_vocabulary_is_refused(db: Database, actor: Actor) -> None:
    with db.session() as session, pytest.raises(UsageError, match="unknown framing 'bust'"):
        incidents.new_incident(session, actor, replace(RAID, framing="bust"))
    with db.session() as session, pytest.raises(UsageError, match="unknown indicator"):
        incidents.new_incident(session, actor, replace(RAID, indicators=("ZZ-9",)))


def test_roles(db: Database, actor: Actor, make_actor) -> None:  # type: ignore[no-untyped-def]
    analyst = make_actor(db, "ines", "analyst")
    accompanier = make_actor(db, "lea", "accompanier")
    admin = make_actor(db, "root", "admin")
    with db.session() as session:
        made = incidents.new_incident(session, accompanier, RAID)
        assert incidents.list_incidents(session, analyst)
    with db.session() as session, pytest.raises(AccessDenied):
        incidents.new_incident(session, analyst, RAID)
    with db.session() as session, pytest.raises(AccessDenied):
        incidents.list_incidents(session, admin)
    with db.session() as session, pytest.raises(AccessDenied):
        incidents.withdraw_incident(session, accompanier, made.ref)
    with db.session() as session, pytest.raises(AccessDenied):
        sharing.export_incidents(session, accompanier)


def test_withdraw_and_follow(db: Database, actor: Actor) -> None:
    with db.session() as session:
        made = incidents.new_incident(session, actor, RAID)
        incidents.set_followed(session, actor, made.ref)
        assert incidents.list_incidents(session, actor, followed=True)
        gone = incidents.withdraw_incident(session, actor, made.ref)
    assert gone.incident.withdrawn and gone.incident.sequence == 2
    with db.session() as session:
        assert incidents.list_incidents(session, actor) == []
        assert incidents.list_incidents(session, actor, include_withdrawn=True)


def _case_with(db: Database, actor: Actor) -> str:
    with db.session() as session:
        return create_case(
            session,
            actor,
            person={
                "legal_name": "José Ejemplar Núñez",
                "aliases": ["Pepito"],
                "uci": "1122-3344",
                "contact": "+1 514 555 0142",
            },
        ).code


@pytest.mark.parametrize(
    ("text", "what", "words"),
    [
        (
            "We met JOSE ejemplar nunez at the farm.",
            "matches a name stored in the vault",
            "JOSE ejemplar nunez",
        ),
        ("Known to everyone as pepito.", "matches an alias stored in the vault", "pepito"),
        ("One of them, Núñez, was moved.", "matches part of a name stored in the vault", "Núñez"),
        ("UCI 11223344 on the letter.", "matches a UCI stored in the vault", "11223344"),
        ("Call 514-555-0142 after six.", "matches a phone number stored in the vault", "514-555-0142"),
        ("Write to worker@example.org.", "looks like an email address", "worker@example.org"),
    ],
)
def test_export_refuses_identifying_text(
    db: Database, actor: Actor, text: str, what: str, words: str
) -> None:
    _case_with(db, actor)
    give_key(db, actor)
    with db.session() as session:
        made = incidents.new_incident(session, actor, replace(RAID, known=text))
    with db.session() as session, pytest.raises(sharing.ExportRefused) as refused:
        sharing.export_incidents(session, actor)
    message = str(refused.value)
    assert f"{made.ref} what is known: '{words}' {what}" in message
    with db.session() as session:  # nothing was marked shared
        assert incidents.show_incident(session, actor, made.ref).shared_sequence == 0


def test_export_refuses_a_case_code_in_a_source(db: Database, actor: Actor) -> None:
    code = _case_with(db, actor)
    give_key(db, actor)
    source = incidents.Source("own_accompaniment", f"see file {code.lower()}", False)
    with db.session() as session:
        incidents.new_incident(session, actor, replace(RAID, sources=(source,)))
    with db.session() as session, pytest.raises(sharing.ExportRefused, match="source 1: .* case code"):
        sharing.export_incidents(session, actor)


def test_export_refuses_too_few_people_unless_policy_allows(
    db: Database, actor: Actor, tmp_path: Path
) -> None:
    give_key(db, actor)
    with db.session() as session:
        incidents.new_incident(session, actor, replace(RAID, people="2-4"))
    with (
        db.session() as session,
        pytest.raises(sharing.ExportRefused, match="fewer than the coalition's minimum of 5"),
    ):
        sharing.export_incidents(session, actor)
    from trpkit.loading.coalition_policy import default_policy_path

    policy = tmp_path / "policy.toml"
    policy.write_text(
        default_policy_path().read_text(encoding="utf-8") + "\n[incidents]\nallow_below_minimum = true\n",
        encoding="utf-8",
    )
    with db.session() as session:
        assert sharing.export_incidents(session, actor, policy_path=policy).incidents == 1


def test_export_then_import_at_a_member_and_update_and_withdraw(
    db: Database,
    actor: Actor,
    member_db: Database,
    make_actor,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    give_key(db, actor, "maison-test")
    member = make_actor(member_db, "coord", "analyst")
    trust(member_db, make_actor(member_db, "sup", "supervisor"), public_key_line(db))
    with db.session() as session:
        made = incidents.new_incident(
            session,
            actor,
            replace(RAID, sources=(incidents.Source("another_agency", "told by a caseworker at X", False),)),
        )
        first = sharing.export_incidents(session, actor)
    path = sharing.write_package(tmp_path / "out", first.data)
    assert path.name == "out.trpinc" and stat.S_IMODE(os.stat(path).st_mode) == 0o600
    with member_db.session() as session:
        result = sharing.import_package_bytes(session, member, path.read_bytes())
        assert result.imported and result.new == 1, result.message
        received = incidents.show_incident(session, member, made.ref)
    assert not received.own and received.incident.agency == "maison-test"
    assert received.incident.sources[0].detail == ""  # confidential: its kind only
    with db.session() as session:
        incidents.edit_incident(session, actor, made.ref, IncidentInput(framing="trafficking"))
        second = sharing.export_incidents(session, actor)
        incidents.withdraw_incident(session, actor, made.ref)
        third = sharing.export_incidents(session, actor)
    assert third.withdrawals == 1
    with member_db.session() as session:
        updated = sharing.import_package_bytes(session, member, second.data)
        assert updated.imported and updated.updated == 1
        assert incidents.show_incident(session, member, made.ref).incident.framing_changed
        replay = sharing.import_package_bytes(session, member, first.data)
        assert not replay.imported and replay.message.startswith("older package (replay?)")
        again = sharing.import_package_bytes(session, member, second.data)
        assert not again.imported and "already imported" in again.message
        assert sharing.import_package_bytes(session, member, third.data).withdrawn == 1
        gone = incidents.show_incident(session, member, made.ref)
        assert gone.incident.withdrawn and gone.incident.title == ""


def test_import_refuses_tampered_unknown_and_damaged(db: Database, actor: Actor) -> None:
    pair = other_agency()
    good = package_from(pair, [item()])
    with db.session() as session:
        unknown = sharing.import_package_bytes(session, actor, good)
        assert not unknown.imported and unknown.message.startswith("unknown key")
    trust(db, actor, pair.public_key_file_text())
    import io
    import zipfile

    def rewrite(data: bytes, name: str, new: bytes) -> bytes:
        source = zipfile.ZipFile(io.BytesIO(data))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as target:
            for entry in source.namelist():
                target.writestr(entry, new if entry == name else source.read(entry))
        return out.getvalue()

    body = zipfile.ZipFile(io.BytesIO(good)).read("incidents.json")
    tampered = rewrite(good, "incidents.json", body.replace(b"5-9", b"100+"))
    with db.session() as session:
        for data, start in (
            (tampered, "tampered"),
            (
                rewrite(good, "manifest.json", b'{"format": "trpkit-incident-package", "agency": "x"}'),
                "unknown key",
            ),
            (good[: len(good) // 2], "package: damaged"),
            (b"not a zip", "package: damaged"),
            (package_from(pair, [item(place="ER-9999")]), "damaged package"),
        ):
            result = sharing.import_package_bytes(session, actor, data)
            assert not result.imported and result.message.startswith(start), result.message
            assert "\n" not in result.message
        assert incidents.list_incidents(session, actor, include_withdrawn=True) == []
        ok = sharing.import_package_bytes(session, actor, good)
        assert ok.imported and ok.new == 1


def test_patterns_from_the_coalition_store(db: Database, actor: Actor, make_actor) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import insert

    from trpkit.db.models.coalition import CoalitionImport, CoalitionRecord
    from trpkit.services.incident_patterns import patterns_for

    with db.session() as session:
        batch = CoalitionImport(package_sha256="0" * 64, agency="x", imported_by="ana")
        session.add(batch)
        session.flush()
        rows = []
        for year, refused, granted in ((2025, 10, 30), (2026, 20, 20)):
            for n in range(refused + granted):
                fields = {"outcome": "refused" if n < refused else "granted", "decided": f"{year}-05",
                          "ircc_office": "Toronto"}  # fmt: skip
                rows.append(
                    {"record_id": f"{year}-{n}", "agency": "x", "import_id": batch.id, "fields": fields}
                )
        session.execute(insert(CoalitionRecord), rows)
        incidents.new_incident(session, actor, replace(RAID, when="March 2026", place="Toronto"))
    accompanier = make_actor(db, "lea", "accompanier")
    with db.session() as session:
        views = incidents.list_incidents(session, actor)
        found = patterns_for(session, actor, views)
        assert len(found) == 1 and found[0].province == "ON" and found[0].year == 2026
        assert found[0].incidents == (views[0].ref,)
        assert patterns_for(session, accompanier, incidents.list_incidents(session, accompanier)) == []


def test_a_refused_export_is_audited_without_the_words_matched(db: Database, actor: Actor) -> None:
    from trpkit.services import audit

    _case_with(db, actor)
    give_key(db, actor)
    with db.session() as session:
        made = incidents.new_incident(
            session, actor, replace(RAID, known="We met Jose Ejemplar Nunez.", people="2-4")
        )
    with db.session() as session, pytest.raises(sharing.ExportRefused):
        sharing.export_incidents(session, actor)
    with db.session() as session:
        rows = audit.entries(session, action="incident.export_refused")
        assert audit.verify(session).ok
    assert len(rows) == 1 and rows[0].username == actor.username
    detail = rows[0].detail
    assert detail["problems"] == 2
    assert {"incident": made.ref, "field": "what is known", "kind": "name"} in detail["found"]
    assert {"incident": made.ref, "field": "how many people", "kind": "too few people"} in detail["found"]
    written = repr(detail).lower()
    assert not any(part in written for part in ("jose", "ejemplar", "nunez", "núñez"))
    with db.session() as session:  # the refused export itself changed nothing
        assert incidents.show_incident(session, actor, made.ref).shared_sequence == 0


def test_an_unknown_count_needs_the_policy_to_allow_it(db: Database, actor: Actor, tmp_path: Path) -> None:
    give_key(db, actor)
    with db.session() as session:
        made = incidents.new_incident(session, actor, replace(RAID, people="unknown"))
    with db.session() as session, pytest.raises(sharing.ExportRefused) as refused:
        sharing.export_incidents(session, actor)
    assert f"{made.ref} how many people: not known" in str(refused.value)
    assert "at least 5 people" in str(refused.value)
    from trpkit.loading.coalition_policy import default_policy_path

    policy = tmp_path / "policy.toml"
    policy.write_text(
        default_policy_path().read_text(encoding="utf-8") + "\n[incidents]\nallow_below_minimum = true\n",
        encoding="utf-8",
    )
    with db.session() as session:
        assert sharing.export_incidents(session, actor, policy_path=policy).incidents == 1
