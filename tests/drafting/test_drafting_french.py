"""A French submission is in French: indicator, dimension and criterion labels come from the framework
files' ``label_fr``, the list's French name, the Delphi rule and caveats in French, remembered dates with
their article ("vers le printemps 2019"). Read back from the generated .docx with python-docx."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.drafting.helpers_drafting import all_text
from trpkit.db.database import Database
from trpkit.loading.frameworks import load_frameworks
from trpkit.services.actor import Actor
from trpkit.services.drafting import Organisation, build_draft_context, generate_draft

ORG = Organisation(
    "Maison Passerelle (fictional)", ("1200 rue Exemple",), "514-555-0100", "Dana Quillfeather", "Accompanier"
)
DAY = date(2026, 3, 3)
# Present indicators across the dimensions the adult rule needs (recruitment, exploitation, destination),
# with and without exhibits, and one (AL-6.xx) from the last dimension.
LINKED = ("AL-1.01", "AL-1.02", "AL-1.03", "AL-2.01", "AL-4.01", "AL-4.03", "AL-5.01", "AL-5.03", "AL-6.01")


def _case(db: Database, actor: Actor, new_case) -> str:  # type: ignore[no-untyped-def]
    from trpkit.services.drafting_notes import update_notes
    from trpkit.services.evidence import add_evidence
    from trpkit.services.indicators import link_indicator
    from trpkit.services.narrative import add_entry
    from trpkit.services.narrative_meetings import add_meeting
    from trpkit.services.timeline import add_event

    code = new_case(legal_name="Marisol Brennvik", gender="woman")
    with db.session() as s:
        meeting = add_meeting(s, actor, code, held_on=date(2026, 2, 10), language="es")
        quote = add_entry(
            s,
            actor,
            code,
            meeting.id,
            "Nos quitaron los pasaportes el primer día.",
            kind="own_words",
            language="es",
            translation="Ils nous ont pris nos passeports le premier jour.",
            translated_by="R. Okonkwo-Lind",
        )
        add_entry(s, actor, code, meeting.id, "Marisol travaillait 14 heures par jour.", kind="summary")
        update_notes(s, actor, code, vulnerabilities="Elle parle peu l'anglais.", health_coverage="none")
        add_evidence(
            s,
            actor,
            code,
            type="document",
            description="Photo de l'avis sur les passeports",
            date_text="June 2019",
            source="la personne",
        )
        for indicator in LINKED:
            if indicator in ("AL-5.01", "AL-4.01"):
                link_indicator(s, actor, code, indicator, exhibit=1)
            else:
                link_indicator(s, actor, code, indicator, note="son récit", narrative_entry_id=quote.id)
        add_event(
            s,
            actor,
            code,
            event_type="recruitment",
            date_text="around spring 2019",
            title="Recrutée avec une promesse de travail en serre",
        )
        add_event(
            s,
            actor,
            code,
            event_type="arrival_canada",
            date_text="early April 2019",
            title="Arrivée au Canada",
        )
        add_event(
            s, actor, code, event_type="escape", date_text="around summer 2020", title="Quitte la ferme"
        )
    return code


def _every_english_label() -> set[str]:
    fw = load_frameworks()
    labels = {i.label for lst in fw.delphi.values() for i in lst.indicators}
    labels |= {d.label for lst in fw.delphi.values() for d in lst.dimensions}
    labels |= {c.label for cs in fw.criteria.values() for c in cs.criteria}
    labels |= {lst.name for lst in fw.delphi.values()}
    return labels


def test_french_initial_request_shows_french_labels_only(
    db: Database, actor: Actor, new_case, tmp_path: Path
) -> None:
    code = _case(db, actor, new_case)
    with db.session() as s:
        generate_draft(
            s,
            actor,
            code,
            template="trp-initial",
            language="fr",
            output=tmp_path / "fr.docx",
            on=DAY,
            organisation=ORG,
        )
        generate_draft(
            s,
            actor,
            code,
            template="trp-initial",
            language="en",
            output=tmp_path / "en.docx",
            on=DAY,
            organisation=ORG,
        )
    french, english = all_text(tmp_path / "fr.docx"), all_text(tmp_path / "en.docx")
    fw = load_frameworks()
    al = fw.get("delphi-adult-labour")
    for indicator_id in LINKED:
        item = al.by_id[indicator_id]
        assert item.label_fr in french, indicator_id
        assert item.label not in french, indicator_id
        assert item.label in english and item.label_fr not in english, indicator_id
    leaked = sorted(label for label in _every_english_label() if label in french)
    assert leaked == [], leaked
    # the dimensions and the IRCC criteria shown come from label_fr too
    assert al.dimension("coercion_at_destination").label_fr in french
    assert fw.criteria["ircc"].get("IRCC-1").label_fr in french
    assert fw.criteria["ircc"].get("IRCC-1").label in english
    # the list's French name, the rule in French, the caveats in French, and an honest translation note
    assert al.name_fr in french and al.name in english
    assert "« 2 indicateurs forts »" in french or "« 1 indicateur fort" in french
    assert "strong" not in french and "indicator" not in french.replace("indicateur", "")
    # the frameworks' verification status is for the accompanier, never the officer (internal note)
    assert "Pondération des indicateurs" not in french and "Indicator weights" not in english
    # the person is recorded as a woman: French agreement follows
    assert "couverte par le Programme fédéral" in french and "(e)" not in french.replace("(e)s", "")
    assert "traduction non officielle" in french and "traduction non officielle" not in english
    # remembered dates keep their precision, with the French article and elision
    assert "vers le printemps 2019 : Recrutée avec une promesse de travail en serre" in french
    assert "début avril 2019 : Arrivée au Canada" in french
    assert "vers l'été 2020 : Quitte la ferme" in french
    assert "vers printemps" not in french
    assert "around spring 2019: Recrutée" in english  # the English letter is unchanged
    # the policy in force and its instruments, as the letter names them
    from trpkit.loading.ircc_periods import policy_in_force

    period = policy_in_force(DAY)
    assert period.title_fr in french and period.title not in french and period.title in english
    for instrument, instrument_fr in zip(period.instruments, period.instruments_fr, strict=True):
        assert instrument_fr in french and instrument not in french and instrument in english


def test_french_subsequent_request_and_context(db: Database, actor: Actor, new_case) -> None:
    code = _case(db, actor, new_case)
    with db.session() as s:
        context = build_draft_context(
            s, actor, code, template="trp-initial", language="fr", on=DAY, organisation=ORG
        )
        english = build_draft_context(
            s, actor, code, template="trp-initial", language="en", on=DAY, organisation=ORG
        )
    al = load_frameworks().get("delphi-adult-labour")
    argument = context["argument"]
    shown = {
        i["label"] for group in argument["dimensions"] + argument["criteria"] for i in group["indicators"]
    }
    assert shown and shown <= {i.label_fr for i in al.indicators}
    assert {g["label"] for g in argument["dimensions"]} <= {d.label_fr for d in al.dimensions}
    assert context["assessment"]["framework"] == al.name_fr
    assert english["assessment"]["framework"] == al.name
    assert english["assessment"]["translation_note"] == ""
    assert {i["label"] for g in english["argument"]["dimensions"] for i in g["indicators"]} <= {
        i.label for i in al.indicators
    }


def test_a_corrected_french_label_reaches_the_draft(
    db: Database, actor: Actor, new_case, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """An organisation corrects a translation in the TOML: the next French draft uses it, no code change."""
    import shutil

    from trpkit.paths import checklists_dir

    folder = tmp_path / "checklists"
    shutil.copytree(checklists_dir(), folder)
    path = folder / "delphi-adult-labour.toml"
    old = load_frameworks().get("delphi-adult-labour").by_id["AL-5.01"].label_fr
    text = path.read_text(encoding="utf-8")
    assert f'label_fr = "{old}"' in text
    path.write_text(
        text.replace(f'label_fr = "{old}"', 'label_fr = "Passeport gardé par l\'employeur"', 1),
        encoding="utf-8",
    )
    monkeypatch.setenv("TRPKIT_CHECKLISTS_DIR", str(folder))
    code = _case(db, actor, new_case)
    with db.session() as s:
        generate_draft(
            s,
            actor,
            code,
            template="trp-initial",
            language="fr",
            output=tmp_path / "fr.docx",
            on=DAY,
            organisation=ORG,
        )
    french = all_text(tmp_path / "fr.docx")
    assert "Passeport gardé par l'employeur" in french and old not in french


def test_french_exhibit_index_dates(db: Database, actor: Actor, new_case, tmp_path: Path) -> None:
    code = _case(db, actor, new_case)
    with db.session() as s:
        generate_draft(
            s,
            actor,
            code,
            template="exhibit-index",
            language="fr",
            output=tmp_path / "i.docx",
            on=DAY,
            organisation=ORG,
        )
    text = all_text(tmp_path / "i.docx")
    assert "juin 2019" in text and "June" not in text


def test_untitled_events_are_named_in_french(db: Database, actor: Actor, new_case) -> None:
    from trpkit.services.timeline import add_event

    code = new_case(legal_name="Marisol Brennvik")
    with db.session() as s:
        add_event(s, actor, code, event_type="documents_taken", date_text="June 2019")
    with db.session() as s:
        french = build_draft_context(
            s, actor, code, template="exhibit-index", language="fr", on=DAY, organisation=ORG
        )
        english = build_draft_context(
            s, actor, code, template="exhibit-index", language="en", on=DAY, organisation=ORG
        )
    assert [(e["date"], e["text"]) for e in french["chronology"]] == [("juin 2019", "Documents pris")]
    assert [(e["date"], e["text"]) for e in english["chronology"]] == [("June 2019", "Documents taken")]
    assert [e["date_in"] for e in french["chronology"]] == ["en juin 2019"]  # for a sentence in a template
    assert [e["date_in"] for e in english["chronology"]] == ["June 2019"]


def test_every_event_type_has_a_french_name() -> None:
    from trpkit.documents.context import EVENT_TYPES_FR
    from trpkit.domain.timeline import EVENT_TYPES

    assert set(EVENT_TYPES_FR) == set(EVENT_TYPES)
