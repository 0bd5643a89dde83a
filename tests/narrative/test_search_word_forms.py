"""Narrative search finds word forms and ignores accents in English, French and Spanish, on both backends;
excerpts keep the text's spacing; the migration rebuilds the index for entries written before it."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trpkit.domain.search_text import Matcher, excerpt, fold, search_document, stem
from trpkit.services import narrative as nv
from trpkit.services import narrative_meetings
from trpkit.services.search import HIGHLIGHT_END, HIGHLIGHT_START, search

ENTRIES = (
    ("es", 'Me quitaron los pasaportes "para guardarlos", dijo el jefe. Trabajé sin descanso.'),
    ("fr", "On m'a confisqué mon passeport à l'arrivée. Je travaillais la nuit dans l'entrepôt."),
    ("en", "The recruiter kept our passports and the boss threatened my family."),
)


@pytest.fixture
def entries(db, actor, new_case):  # type: ignore[no-untyped-def]
    code = new_case()
    ids: dict[str, int] = {}
    with db.session() as s:
        for language, words in ENTRIES:
            meeting = narrative_meetings.add_meeting(
                s, actor, code, held_on=date(2025, 3, 1), language=language
            )
            ids[language] = nv.add_entry(s, actor, code, meeting.id, words, language=language).id
    return code, ids


def _found(db, actor, query: str) -> set[int]:  # type: ignore[no-untyped-def]
    with db.session() as s:
        return {h.entry_id for h in search(s, actor, query)}


@pytest.mark.parametrize(
    ("query", "language"),
    [
        ("pasaporte", "es"),  # singular finds the plural
        ("guardar", "es"),
        ("trabaje", "es"),  # typed without the accent
        ("Trabajé", "es"),
        ("passeports", "fr"),  # plural finds the singular
        ("confisque", "fr"),
        ("entrepot", "fr"),
        ("travailler", "fr"),
        ("passport", "en"),  # singular finds the plural
        ("threatening", "en"),
        ("recruiters", "en"),
    ],
)
def test_word_forms_and_accents(db, actor, entries, query: str, language: str) -> None:  # type: ignore[no-untyped-def]
    _code, ids = entries
    assert ids[language] in _found(db, actor, query)


def test_no_false_friends_and_operators_still_work(db, actor, entries) -> None:  # type: ignore[no-untyped-def]
    _code, ids = entries
    assert _found(db, actor, "drawer") == set()
    assert _found(db, actor, "pasaporte -jefe") == set()
    assert _found(db, actor, "passe* -boss") == {ids["fr"]}  # a prefix of the word as written
    assert _found(db, actor, '"quitaron los pasaporte"') == {ids["es"]}  # a phrase, word forms inside
    assert _found(db, actor, "descanso OR nuit") == {ids["es"], ids["fr"]}


def test_excerpt_keeps_spaces_and_highlights_the_word_as_written(db, actor, entries) -> None:  # type: ignore[no-untyped-def]
    with db.session() as s:
        (hit,) = search(s, actor, "pasaporte")
    assert f'los {HIGHLIGHT_START}pasaportes{HIGHLIGHT_END} "para' in hit.snippet
    assert hit.marked().startswith("Me quitaron los [pasaportes]")
    with db.session() as s:
        (hit,) = search(s, actor, "confisque")
    assert f"m'a {HIGHLIGHT_START}confisqué{HIGHLIGHT_END} mon" in hit.snippet


def test_migration_rebuilds_the_index_for_existing_entries(db, actor, new_case) -> None:  # type: ignore[no-untyped-def]
    from trpkit.db import migrate

    code = new_case()
    with db.session() as s:
        meeting = narrative_meetings.add_meeting(s, actor, code, held_on=date(2025, 3, 1), language="es")
        entry = nv.add_entry(s, actor, code, meeting.id, "Perdí los pasaportes.", language="es").id
    # Back to the whole-word index of revision 0003 with the entry in it (the services of today need
    # today's schema, so the entry is written first), then forward again: 0010 must rebuild the index.
    migrate.downgrade(db.engine, "0010-1")
    migrate.upgrade(db.engine)
    assert _found(db, actor, "pasaporte") == {entry}
    assert _found(db, actor, "perdi") == {entry}


def test_stems_without_accents() -> None:
    assert stem("pasaportes", "es") == stem("pasaporte", "es")
    assert stem("Éducation", "fr") == stem("education", "fr")
    assert stem("passports", "en-CA") == "passport"
    assert stem("Canadá", "tl") == "canada"  # no stemmer: accents still go
    assert (
        search_document("es", "Los pasaportes", "The passports") == "los pasaport the passport the passport"
    )


@given(st.text(alphabet=st.characters(codec="utf-8", categories=("L", "Zs", "P")), max_size=80))
def test_excerpt_is_the_text_with_marks_added(text: str) -> None:
    """Whatever the text, an excerpt is a piece of it (spaces normalised) plus the marks, nothing else."""
    words = text.split()
    if not words:
        return
    matcher = Matcher(frozenset({stem(words[0], "es")}), ())
    found = excerpt(text, ("es",), matcher, "<", ">", span=1000)
    if found is None:
        return
    assert found.replace("<", "").replace(">", "") == " ".join(text.replace("<", "").replace(">", "").split())
    assert fold(found).count("<") == fold(found).count(">") >= 1
