"""The export's identifying-text check against a demo vault: any stored name, alias, UCI, phone number or
case code, with its accents removed or added, its case changed or its digits regrouped, anywhere in any
field, stops the export; ordinary incident prose passes (Hypothesis)."""

from __future__ import annotations

import shutil
import unicodedata
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from tests.conftest import _make_actor
from trpkit.db.database import Database, open_target
from trpkit.db.engine import Target
from trpkit.db.models import Person
from trpkit.db.vault import VaultKey
from trpkit.domain.incidents import Identifier, Incident, Source, find_identifying
from trpkit.loading.incident_vocab import common_words
from trpkit.services.incident_sharing import IncidentPolicy, check_incidents, vault_identifiers

POLICY = IncidentPolicy(min_people=5, allow_below_minimum=False, source="test")
ACCENTED = {"a": "á", "e": "é", "i": "í", "o": "ó", "u": "ü", "n": "ñ", "c": "ç"}


@pytest.fixture(scope="module")
def demo_vault(
    tmp_path_factory: pytest.TempPathFactory, _template_vault: tuple[Path, VaultKey]
) -> Iterator[Database]:
    from trpkit.demo import generate

    path = tmp_path_factory.mktemp("names") / "demo.trpvault"
    shutil.copy(_template_vault[0], path)
    database = open_target(Target(vault_path=path), key=_template_vault[1])
    actor = _make_actor(database, "demo", "supervisor")
    with database.session() as session:
        generate(session, actor, 25, seed=11, today=date(2026, 12, 1))
        for number, person in enumerate(session.scalars(select(Person).order_by(Person.id))):
            if number % 3 == 0:  # the demo has no aliases: give some people one, as a file would
                first = person.legal_name.split()[0]
                person.aliases = [f"{first[:3]}ita", f"La {first}"]
            if number % 4 == 1:  # and some a UCI and a phone number written in the usual ways
                person.uci = f"{number:02d}00-{7000 + number:04d}"
                person.contact = f"+1 (438) 555-{1000 + number:04d}, evenings"
    yield database
    database.close()


@pytest.fixture(scope="module")
def stored(demo_vault: Database) -> list[Identifier]:
    with demo_vault.session() as session:
        found = vault_identifiers(session)
    assert {"name", "alias", "UCI", "phone number", "case code"} <= {i.kind for i in found}
    return found


def _strip(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _accent(text: str) -> str:
    return "".join(ACCENTED.get(c, c) for c in text)


def _regroup(value: str, separator: str, size: int) -> str:
    """The same digits written another way: '+1 (438) 555-1001' as '1.438.555.1001' or '14385551001'."""
    digits = "".join(c for c in value if c.isdigit())
    return separator.join(digits[i : i + size] for i in range(0, len(digits), size))


SEPARATORS = st.sampled_from(["", " ", "-", ".", " - "])
CASES = st.sampled_from([str.upper, str.lower, str.title, str.swapcase, lambda s: s])
MARKS = st.sampled_from([_strip, _accent, lambda s: s])
FIELDS = st.sampled_from(["title", "known", "unknown", "questions", "when_text", "source"])
FILLER = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", max_size=30).map(lambda s: " ".join(s.split()))


def _incident(field: str, text: str) -> Incident:
    values = {"title": "Raid", "known": "", "unknown": "", "questions": "", "when_text": "spring 2026"}
    sources: tuple[Source, ...] = ()
    if field == "source":
        sources = (Source("another_agency", text, False),)
    else:
        values[field] = text
    return Incident(
        uid="0" * 32, agency="t", sequence=1, when_parsed=False, when_earliest=None, when_latest=None,
        place="ON", sector="other", people="10-24", framing="other", sources=sources, **values,
    )  # fmt: skip


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), case=CASES, marks=MARKS, field=FIELDS, before=FILLER, after=FILLER)
def test_any_stored_identifier_stops_the_export(
    demo_vault: Database,
    stored: list[Identifier],
    data: st.DataObject,
    case,
    marks,
    field,
    before,
    after,  # type: ignore[no-untyped-def]
) -> None:
    ident = data.draw(st.sampled_from(stored))
    if ident.kind in ("UCI", "phone number"):
        typed = _regroup(ident.value, data.draw(SEPARATORS), data.draw(st.integers(3, 4)))
    else:
        typed = case(marks(ident.value))
    incident = _incident(field, f"{before} {typed}, {after}".strip())
    with demo_vault.session() as session:
        problems = check_incidents(session, [incident], POLICY)
    label = (
        "source 1"
        if field == "source"
        else {"when_text": "when", "unknown": "what is not known"}.get(
            field, {"known": "what is known"}.get(field, field)
        )
    )
    assert any(p.startswith(f"00000000 {label}: '") for p in problems), (typed, problems)


def test_clean_text_passes(demo_vault: Database) -> None:
    text = "Workers from a farm were detained; debts to a recruiter were mentioned by several of them."
    with demo_vault.session() as session:
        assert check_incidents(session, [_incident("known", text)], POLICY) == []


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzéèàçñü ", min_size=3, max_size=20))
def test_a_name_inside_a_longer_word_is_not_a_match(name: str) -> None:
    name = name.strip()
    if len(name) < 3 or " " in name:
        return
    found = find_identifying({"known": f"x{name}x and {name}s"}, [Identifier("name", name)], patterns={})
    assert found == []
    assert find_identifying({"known": f"then {name.upper()}."}, [Identifier("name", name)], patterns={})


# Ordinary incident prose: the words of incident reports, and every common word of the stop-list.
PROSE_TEXT = (
    "workers farm raid detained recruiter debts passports held labour contractor wages withheld housing "
    "employer police border officers removal orders interpreters shelter agency spring autumn week night "
    "travailleurs ferme dettes patron logement police frontière trabajadores granja deudas pasaportes "
    "several were moved between cities after before during the a of to"
)
PROSE_WORDS = PROSE_TEXT.split()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    words=st.lists(st.sampled_from(sorted(PROSE_WORDS) + sorted(common_words())), min_size=3, max_size=40),
    case=CASES,
)
def test_ordinary_prose_passes(demo_vault: Database, words: list[str], case) -> None:  # type: ignore[no-untyped-def]
    text = case(" ".join(words)) + "."
    with demo_vault.session() as session:
        assert check_incidents(session, [_incident("known", text)], POLICY) == []


def test_short_parts_are_checked_alone_and_common_words_are_not() -> None:
    stored = [Identifier("name", "Ana May Li"), Identifier("alias", "Rose"), Identifier("name", "J. Wu Paz")]
    text = "Li was there in May; a rose garden; Wu left; J. said peace (paz) came; Rose called."
    common = common_words()
    found = {(f.words, f.kind) for f in find_identifying({"known": text}, stored, patterns={}, common=common)}
    assert found == {
        ("Li", "part of a name"),
        ("Wu", "part of a name"),
        ("Rose", "alias"),  # a whole alias is refused even when it is a common word
        ("rose", "alias"),
    }
    assert find_identifying({"known": "ANA MAY LI"}, stored, patterns={}, common=common)[0].kind == "name"
