"""Drafting services on the encrypted vault and on PostgreSQL: readiness, drafts, notes, checklists."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from docx import Document

from tests.drafting.helpers_drafting import all_text
from trpkit.db.database import Database
from trpkit.errors import ConflictError, ConsentMissing, UsageError
from trpkit.services import audit
from trpkit.services.actor import Actor
from trpkit.services.checklists import case_checklist, set_item
from trpkit.services.drafting import (
    DraftBlocked,
    Organisation,
    build_draft_context,
    generate_draft,
    list_drafts,
    readiness,
)
from trpkit.services.drafting_notes import get_notes, update_notes
from trpkit.services.drafting_translations import set_translation, translation_status

ORG = Organisation(
    "Maison Passerelle (fictional)", ("1200 rue Exemple",), "514-555-0100", "Dana Quillfeather", "Accompanier"
)
DAY = date(2026, 3, 3)


def _fill(db: Database, actor: Actor, code: str, *, with_permit: bool = False) -> None:
    from trpkit.services.evidence import add_evidence
    from trpkit.services.indicators import link_indicator
    from trpkit.services.narrative import add_entry
    from trpkit.services.narrative_meetings import add_meeting

    with db.session() as s:
        add_evidence(
            s,
            actor,
            code,
            type="document",
            description="Photo of the notice about passports",
            date_text="June 2019",
            source="the person",
        )
        add_evidence(
            s,
            actor,
            code,
            type="pay_record",
            description="Pay slips & deductions <housing>",
            date_text="2020",
        )
        for indicator, exhibit in (("AL-5.01", 1), ("AL-4.01", 2), ("AL-4.03", 2)):
            link_indicator(s, actor, code, indicator, exhibit=exhibit)
        meeting = add_meeting(
            s, actor, code, held_on=date(2026, 2, 10), language="es", interpreter="R. Okonkwo-Lind"
        )
        quote = add_entry(
            s,
            actor,
            code,
            meeting.id,
            "Nos quitaron los pasaportes el primer día.",
            kind="own_words",
            language="es",
            translation="They took our passports on the first day.",
            translated_by="R. Okonkwo-Lind",
        )
        add_entry(
            s,
            actor,
            code,
            meeting.id,
            "Marisol worked 14-hour days and was told she owed $4,000.",
            kind="summary",
        )
        # indicators told by the person rest on the passage of the account that says them
        for indicator in ("AL-1.02", "AL-1.03", "AL-1.05", "AL-5.03"):
            link_indicator(s, actor, code, indicator, note="her account", narrative_entry_id=quote.id)
        from trpkit.services.timeline import add_event

        add_event(
            s, actor, code, event_type="arrival_canada", date_text="June 2019", title="Arrival in Canada"
        )
        update_notes(
            s,
            actor,
            code,
            vulnerabilities="She speaks little English.",
            safety="She moved shelters twice.",
            risks_on_return="The recruiter lives in her town.",
            continued_need="She is in weekly counselling.",
            recovery="Sleeping better.",
            needs_health="weekly counselling",
            needs_work="wants to work in a bakery",
            health_coverage="none",
        )
        if with_permit:
            from trpkit.services.applications import create_application
            from trpkit.services.decisions import record_decision

            app = create_application(
                s,
                actor,
                code,
                type="initial_trp",
                file_number="T123456789",
                submitted_on=date(2025, 3, 1),
                today=DAY,
            )
            record_decision(
                s,
                actor,
                app.ref,
                outcome="granted",
                decided_on=date(2025, 4, 9),
                validity_start=date(2025, 4, 10),
                validity_end_on=date(2026, 4, 9),
                today=DAY,
            )


def test_no_consent_to_submit_is_a_blocker_and_refused(
    db: Database, actor: Actor, new_case, tmp_path: Path
) -> None:
    code = new_case(consents=("prepare_file", "quote_own_words"), legal_name="Marisol Brennvik")
    with db.session() as s:
        report = readiness(s, actor, code, on=DAY, organisation=ORG)
    assert not report.ready
    assert "consent-submit" in [f.code for f in report.blockers]
    _fill(db, actor, code)
    out = tmp_path / "letter.docx"
    with pytest.raises(ConsentMissing), db.session() as s:
        generate_draft(s, actor, code, template="trp-initial", output=out, on=DAY, organisation=ORG)
    assert not out.exists()
    # A redacted copy for supervision needs no consent to submit, and names nobody.
    with db.session() as s:
        record = generate_draft(
            s, actor, code, template="trp-initial", output=out, redacted=True, on=DAY, organisation=ORG
        )
    text = all_text(out)
    assert record.redacted and "Marisol" not in text and "Brennvik" not in text and "[the person]" in text


def test_full_initial_draft_is_recorded_and_audited(
    db: Database, actor: Actor, new_case, tmp_path: Path
) -> None:
    code = new_case(
        legal_name="Marisol Brennvik", birth_date_text="around 1991", nationality="MX", uci="1234-5678"
    )
    _fill(db, actor, code)
    chosen = tmp_path / "chosen"
    chosen.mkdir()
    out = chosen / "initial.docx"
    with db.session() as s:
        record = generate_draft(s, actor, code, template="trp-initial", output=out, on=DAY, organisation=ORG)
    data = out.read_bytes()
    assert record.sha256 == __import__("hashlib").sha256(data).hexdigest()
    assert record.output_filename == "initial.docx" and record.policy_period
    text = all_text(data)
    for expected in (
        "Marisol Brennvik",
        "around 1991",
        "Mexico",
        "1234-5678",
        "at least 12 months",
        "[1] “Nos quitaron los pasaportes el primer día.” (10 February 2026)",
        "Translation (R. Okonkwo-Lind): “They took our passports on the first day.”",
        "[2] Marisol worked 14-hour days",
        "Documents confiscated, a strong indicator (exhibit 1).",
        "(account, passage 1). Her account.",
        "they have no other health coverage in Canada",
        "Pay slips & deductions <housing>",
        "The recruiter lives in her town.",
        "Health: weekly counselling",
        "Maison Passerelle (fictional)",
        "Dana Quillfeather",
    ):
        assert expected in text, expected
    doc = Document(str(out))
    rows = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert rows[1][:3] == ["1", "Photo of the notice about passports", "June 2019"]
    assert rows[2][:3] == ["2", "Pay slips & deductions <housing>", "2020"]
    with db.session() as s:
        drafts = list_drafts(s, actor, code)
        exports = [e for e in audit.entries(s, case_code=code) if e.action == "draft.export"]
    assert [(d.id, d.template, d.sha256) for d in drafts] == [(record.id, "trp-initial", record.sha256)]
    assert exports and exports[0].detail["sha256"] == record.sha256
    assert "Marisol" not in str(exports[0].detail) and "initial.docx" not in str(exports[0].detail)
    # The file is written only where asked, and never silently replaced.
    assert sorted(p.name for p in chosen.iterdir()) == ["initial.docx"]
    with pytest.raises(UsageError, match="already exists"), db.session() as s:
        generate_draft(s, actor, code, template="trp-initial", output=out, on=DAY, organisation=ORG)
    with pytest.raises(UsageError, match="ending in .docx"), db.session() as s:
        generate_draft(
            s, actor, code, template="trp-initial", output=tmp_path / "x.pdf", on=DAY, organisation=ORG
        )


def test_quotes_need_their_own_consent(db: Database, actor: Actor, new_case) -> None:
    code = new_case(consents=("prepare_file", "submit_to_ircc"), legal_name="Marisol Brennvik")
    _fill(db, actor, code)
    with db.session() as s:
        context = build_draft_context(s, actor, code, template="trp-initial", on=DAY, organisation=ORG)
        report = readiness(s, actor, code, on=DAY, organisation=ORG)
    assert context["own_words"] == []
    # the quotes are not shown, so the summary is passage 1
    assert context["summaries"] == [
        {"number": "1", "text": "Marisol worked 14-hour days and was told she owed $4,000."}
    ]
    assert "consent-quote" in [f.code for f in report.warnings]


def test_subsequent_draft_in_french_uses_the_granted_permit(
    db: Database, actor: Actor, new_case, tmp_path: Path
) -> None:
    code = new_case(legal_name="Marisol Brennvik")
    with db.session() as s:
        assert "previous-permit" in [
            f.code
            for f in readiness(s, actor, code, template="trp-subsequent", on=DAY, organisation=ORG).blockers
        ]
    _fill(db, actor, code, with_permit=True)
    with db.session() as s:
        from trpkit.services.cases import update_case

        update_case(s, actor, code, criminal_case_status="concluded", law_enforcement_cooperation="testified")
    # English content blocks a French letter, naming each piece, until each has its French version
    with db.session() as s:
        report = readiness(s, actor, code, template="trp-subsequent", language="fr", on=DAY, organisation=ORG)
        blocked = next(f for f in report.blockers if f.code == "untranslated")
        assert "your note 'safety' (note:safety)" in blocked.message
        assert "quote, passage 1 (entry:" in blocked.message
        for piece in translation_status(s, actor, code, template="trp-subsequent", on=DAY):
            if piece.status == "missing":
                set_translation(
                    s,
                    actor,
                    code,
                    piece.piece,
                    text=f"Version française : {piece.piece}",
                    translator="R. Okonkwo",
                )
    with db.session() as s:
        generate_draft(
            s,
            actor,
            code,
            template="trp-subsequent",
            language="fr",
            output=tmp_path / "s.docx",
            on=DAY,
            organisation=ORG,
        )
    text = all_text(tmp_path / "s.docx")
    for expected in (
        "PROTÉGÉ B (une fois rempli)",
        "T123456789",
        "10 avril 2025",
        "9 avril 2026",
        "La protection ne dépend pas d'une affaire criminelle",
        "a choisi d'aider les autorités (a témoigné)",
        "État de l'affaire criminelle : terminée",
        "représailles",
        "3 mars 2026",
        "Traduction (R. Okonkwo) : « Version française : entry:",
        "Version française : note:safety",
    ):
        assert expected in text, expected
    assert "She moved shelters twice." not in text and "They took our passports" not in text
    # The original changes: its French version is out of date and blocks again
    with db.session() as s:
        update_notes(s, actor, code, safety="She moved shelters three times.")
        again = readiness(s, actor, code, template="trp-subsequent", language="fr", on=DAY, organisation=ORG)
    stale = next(f for f in again.blockers if f.code == "untranslated")
    assert "note:safety, changed since it was translated" in stale.message


def test_cited_exhibit_missing_blocks(db: Database, actor: Actor, new_case, tmp_path: Path) -> None:
    code = new_case(legal_name="Marisol Brennvik")
    _fill(db, actor, code)
    with db.session() as s:
        update_notes(s, actor, code, risks_on_return="He still claims the debt (see exhibit 9).")
    with pytest.raises(DraftBlocked, match="Exhibit\\(s\\) 9 are cited"), db.session() as s:
        generate_draft(
            s, actor, code, template="trp-initial", output=tmp_path / "x.docx", on=DAY, organisation=ORG
        )


def test_notes_keep_the_newer_edit(db: Database, actor: Actor, new_case) -> None:
    code = new_case()
    with db.session() as s:
        first = update_notes(s, actor, code, safety="A")
        update_notes(s, actor, code, expected_version=first.version, safety="B", request_ifhp="no")
    with pytest.raises(ConflictError), db.session() as s:
        update_notes(s, actor, code, expected_version=first.version, safety="C")
    with db.session() as s:
        notes = get_notes(s, actor, code)
    assert notes.values["safety"] == "B" and notes.request_ifhp is False
    with pytest.raises(UsageError, match="unknown section"), db.session() as s:
        update_notes(s, actor, code, shoe_size="42")


def test_checklist_status_per_case(db: Database, actor: Actor, new_case) -> None:
    code = new_case()
    with db.session() as s:
        view = set_item(
            s,
            actor,
            code,
            "identity-document",
            state="obtained",
            obtained_on=date(2025, 1, 5),
            expires_on=date(2026, 1, 5),
            today=DAY,
        )
        assert {r.id: r.problem for r in view.rows}["identity-document"] == "expired"
        set_item(s, actor, code, "photos", state="obtained", obtained_on=date(2026, 2, 1), today=DAY)
        with pytest.raises(UsageError, match="no expiry date"):
            set_item(s, actor, code, "photos", state="obtained", expires_on=date(2027, 1, 1), today=DAY)
        with pytest.raises(UsageError, match="no item 'passport'"):
            set_item(s, actor, code, "passport", state="obtained")
    with db.session() as s:
        rows = {r.id: r for r in case_checklist(s, actor, code, today=DAY).rows}
        report = readiness(s, actor, code, on=DAY, organisation=ORG)
    assert rows["photos"].problem == "" and rows["photos"].state == "obtained"
    # an expired passport still proves identity: a warning asking to explain it, not a blocker
    assert "document-expired" not in [f.code for f in report.blockers]
    assert "document-expired" in [f.code for f in report.findings if not f.is_blocker]


def test_chronology_precision_conflicts_and_redacted_people(
    db: Database, actor: Actor, new_case, tmp_path: Path
) -> None:
    from trpkit.services.timeline import add_event

    code = new_case(legal_name="Marisol Brennvik")
    with db.session() as s:
        add_event(
            s,
            actor,
            code,
            event_type="recruitment",
            date_text="around spring 2019",
            title="Recruited by Ezequiel Varga-Lind with a promise of greenhouse work",
            people=[{"role": "recruiter", "name": "Ezequiel Varga-Lind"}],
        )
        arrival = add_event(
            s,
            actor,
            code,
            event_type="arrival_canada",
            date_text="June 2019",
            title="Arrives in Canada",
            place="Leamington",
        )
        add_event(
            s,
            actor,
            code,
            event_type="escape",
            date_text="when the snow melted",
            title="Leaves the farm",
            people=[{"role": "employer", "name": "Granja Oeste Farms"}],
        )
    with db.session() as s:
        context = build_draft_context(s, actor, code, template="trp-initial", on=DAY, organisation=ORG)
        report = readiness(s, actor, code, on=DAY, organisation=ORG)
    assert [(e["date"], e["text"]) for e in context["chronology"]][:2] == [
        ("around spring 2019", "Recruited by Ezequiel Varga-Lind with a promise of greenhouse work"),
        ("June 2019", "Arrives in Canada (Leamington)"),
    ]
    assert context["chronology"][2]["date"] == "when the snow melted"  # kept verbatim, never guessed
    assert "date-unparsed" in [f.code for f in report.warnings]
    with db.session() as s:
        red = build_draft_context(
            s, actor, code, template="trp-initial", redacted=True, on=DAY, organisation=ORG
        )
    assert red["chronology"][0]["text"] == "Recruited by [recruiter] with a promise of greenhouse work"
    with db.session() as s:  # an event that must come after another but cannot
        add_event(
            s,
            actor,
            code,
            event_type="start_work",
            date_text="2017",
            title="Starts work",
            after_event_id=arrival.id,
        )
        report = readiness(s, actor, code, on=DAY, organisation=ORG)
    assert "date-conflict" in [f.code for f in report.blockers]
    with pytest.raises(DraftBlocked, match="Dates contradict"), db.session() as s:
        generate_draft(
            s, actor, code, template="trp-initial", output=tmp_path / "x.docx", on=DAY, organisation=ORG
        )


def test_draft_linked_to_its_application(db: Database, actor: Actor, new_case, tmp_path: Path) -> None:
    from trpkit.services.applications import create_application, get_application

    code = new_case(legal_name="Marisol Brennvik")
    other = new_case(legal_name="Someone Else")
    _fill(db, actor, code)
    with db.session() as s:
        app = create_application(s, actor, code, type="initial_trp", today=DAY)
        foreign = create_application(s, actor, other, type="initial_trp", today=DAY)
    with pytest.raises(UsageError, match="belongs to another case"), db.session() as s:
        generate_draft(
            s,
            actor,
            code,
            template="trp-initial",
            output=tmp_path / "a.docx",
            on=DAY,
            organisation=ORG,
            application=foreign.ref,
        )
    with db.session() as s:
        record = generate_draft(
            s,
            actor,
            code,
            template="trp-initial",
            output=tmp_path / "b.docx",
            on=DAY,
            organisation=ORG,
            application=app.ref,
        )
    with db.session() as s:
        assert get_application(s, actor, app.ref).draft_id == record.id
