"""Dependants in Canada: the pure rules (validation, relationship words, dates of birth, stored form)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trpkit.domain.dependant_birth_dates import BirthDate, parse_birth_date
from trpkit.domain.dependant_relationships import DependantError, Relationship, parse_relationship
from trpkit.domain.dependants import (
    NEXT_ID_KEY,
    Dependant,
    build,
    for_application,
    from_stored_list,
    next_id,
    to_stored_list,
    warnings,
)

TODAY = date(2026, 11, 2)


def make(**values: object) -> Dependant:
    return build({"name": "Tomás Ejemplar", "relationship": "child", **values}, dependant_id=1, today=TODAY)


@pytest.mark.parametrize(
    ("words", "kind", "described"),
    [
        ("child", Relationship.CHILD, ""),
        ("Spouse", Relationship.SPOUSE, ""),
        ("common-law partner", Relationship.SPOUSE, ""),
        ("son", Relationship.CHILD, "son"),
        ("wife", Relationship.SPOUSE, "wife"),
        ("mère", Relationship.PARENT, "mère"),
        ("sister", Relationship.SIBLING, "sister"),
    ],
)
def test_relationship_words(words: str, kind: Relationship, described: str) -> None:
    assert parse_relationship(words) == (kind, described)


def test_other_needs_a_description_and_typos_are_not_guessed() -> None:
    assert parse_relationship("other", "niece") == (Relationship.OTHER, "niece")
    with pytest.raises(DependantError, match="describe how they are related"):
        parse_relationship("other")
    with pytest.raises(
        DependantError, match="Unknown relationship 'chlid'.*spouse, child, parent, sibling or other"
    ):
        parse_relationship("chlid")
    with pytest.raises(DependantError, match="Say how they are related"):
        parse_relationship("  ")


def test_own_word_refines_a_kind() -> None:
    dependant = make(relationship="child", described_as="stepdaughter")
    assert dependant.relationship is Relationship.CHILD and dependant.relationship_label() == "stepdaughter"
    assert make().relationship_label("fr") == "enfant"


@pytest.mark.parametrize(
    ("words", "earliest", "latest"),
    [
        ("aged 9", date(2016, 11, 3), date(2017, 11, 2)),
        ("9", date(2016, 11, 3), date(2017, 11, 2)),
        ("9 ans", date(2016, 11, 3), date(2017, 11, 2)),
        ("about 9 years old", date(2015, 11, 3), date(2018, 11, 2)),
        ("2016", date(2016, 1, 1), date(2016, 12, 31)),
        ("March 2016", date(2016, 3, 1), date(2016, 3, 31)),
        ("2016-03-14", date(2016, 3, 14), date(2016, 3, 14)),
    ],
)
def test_dates_of_birth_keep_words_and_interval(words: str, earliest: date, latest: date) -> None:
    birth = parse_birth_date(words, TODAY)
    assert (birth.text, birth.earliest, birth.latest) == (words, earliest, latest)


def test_unreadable_birth_date_is_kept_and_pointed_out() -> None:
    dependant = make(birth_date="the winter the river froze")
    assert dependant.birth.text == "the winter the river froze" and not dependant.birth.understood
    assert any("could not be read as a date" in w for w in warnings(dependant))


def test_future_birth_date_is_refused_and_this_year_is_capped_at_today() -> None:
    with pytest.raises(DependantError, match="in the future"):
        make(birth_date="2027")
    assert make(birth_date="2026").birth.latest == TODAY
    with pytest.raises(DependantError, match="more than 120 years ago"):
        make(birth_date="aged 130")
    with pytest.raises(DependantError, match="more than 120 years ago"):
        make(birth_date="1890")


def test_describe_gives_age_only_when_the_date_allows() -> None:
    on = date(2026, 11, 2)
    assert make(described_as="son", birth_date="2016-03-14").describe("en", on) == "son, 10"
    assert make(birth_date="2016-03-14").describe("fr", on) == "enfant, 10 ans"
    assert make(birth_date="2016").describe("en", on) == "child, 9 or 10"
    assert make(birth_date="about 9").describe("en", on) == "child, 8 to 10"
    assert make(birth_date="around 2010").describe("en", on) == "child"  # too wide to state an age
    assert make().describe("en", on) == "child"


def test_a_letter_names_the_relationship_in_its_own_language() -> None:
    on = date(2026, 11, 2)
    assert make(described_as="son", birth_date="2016-03-14").describe("fr", on) == "fils, 10 ans"
    assert make(described_as="Stepdaughter").describe("fr", on) == "belle-fille"
    assert make(described_as="fille").describe("en", on) == "daughter"
    assert make(described_as="sœur", relationship="sibling").describe("en", on) == "sister"
    assert (
        make(described_as="goddaughter", relationship="other").describe("fr", on) == "goddaughter"
    )  # as typed
    assert make(described_as="fille").relationship_label() == "fille"  # the app shows the words as typed


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"name": ""}, "needs a name"),
        ({"name": "A\nB"}, "line breaks"),
        ({"name": "x" * 201}, "too long"),
        ({"notes": "n" * 501}, "at most 500"),
        ({"include_in_application": "perhaps"}, "not yes or no"),
        ({"colour": "blue"}, "Unknown dependant field 'colour'"),
    ],
)
def test_validation_messages(values: dict[str, object], message: str) -> None:
    with pytest.raises(DependantError, match=message):
        make(**values)


def test_notes_may_span_lines_and_relationship_is_required_for_new() -> None:
    assert make(notes="line one\nline two").notes == "line one\nline two"
    with pytest.raises(DependantError, match="Say how they are related"):
        build({"name": "Rosa"}, dependant_id=1, today=TODAY)


def test_same_name_twice_is_refused_but_editing_oneself_is_fine() -> None:
    first = make()
    with pytest.raises(DependantError, match="already recorded \\(dependant 1\\)"):
        build(
            {"name": " tomás  ejemplar ", "relationship": "son"}, dependant_id=2, today=TODAY, others=[first]
        )
    edited = build({"notes": "new"}, dependant_id=1, today=TODAY, existing=first, others=[first])
    assert edited.name == first.name and edited.notes == "new"


def test_edit_changes_only_what_is_given() -> None:
    first = make(birth_date="2016", status_in_canada="no status", notes="school nearby", described_as="son")
    edited = build({"include_in_application": False}, dependant_id=1, today=TODAY, existing=first)
    assert edited == Dependant(
        1, first.name, Relationship.CHILD, "son", first.birth, "no status", False, "school nearby"
    )
    # a new relationship word replaces the old description
    assert build({"relationship": "child"}, dependant_id=1, today=TODAY, existing=first).described_as == ""


def test_old_stored_records_are_read() -> None:
    old = [
        {"name": "Tomás Brennvik", "relationship": "son"},
        {"name": "Lía", "relationship": "goddaughter"},
        {"name": "Rosa", "relationship": "spouse", "id": 1},
    ]
    read = from_stored_list(old)
    assert [(d.id, d.name, d.relationship, d.relationship_label()) for d in read] == [
        (2, "Tomás Brennvik", Relationship.CHILD, "son"),
        (3, "Lía", Relationship.OTHER, "goddaughter"),
        (1, "Rosa", Relationship.SPOUSE, "spouse or common-law partner"),
    ]
    assert all(d.include_in_application for d in read)  # old records were all asked for, as before
    assert from_stored_list(old) == read  # the same numbers on every read until the list is saved


def test_odd_stored_values_never_break_reading() -> None:
    read = from_stored_list(
        [
            {"id": 1, "name": "A"},
            {"id": 1, "name": "B"},
            {"id": True, "name": "C"},
            {"name": None, "birth_date_earliest": "not a date", "include_in_application": "no"},
            "garbage",
        ]
    )  # type: ignore[list-item]
    assert [d.id for d in read] == [1, 2, 3, 4]
    assert read[3].birth.earliest is None and read[3].include_in_application is False
    assert from_stored_list(None) == ()


def test_numbers_are_never_reused() -> None:
    dependants = (make(),)
    assert next_id(dependants, {}) == 2
    assert next_id((), {NEXT_ID_KEY: 4}) == 4  # 1-3 were given out and removed
    assert next_id(dependants, {NEXT_ID_KEY: "x"}) == 2


def test_application_lists_only_those_included() -> None:
    child = make(described_as="son", birth_date="2016-03-14")
    partner = build(
        {"name": "Rosa Ejemplar", "relationship": "spouse", "include_in_application": "no"},
        dependant_id=2,
        today=TODAY,
    )
    assert for_application((child, partner), "en", date(2026, 11, 2)) == (
        {"name": "Tomás Ejemplar", "relationship": "son, 10"},
    )


def test_warnings_point_out_status_that_needs_no_permit() -> None:
    citizen = make(status_in_canada="Canadian citizen (born in Toronto)", birth_date="2020")
    assert any("needs no permit" in w for w in warnings(citizen))
    assert not warnings(
        make(status_in_canada="Canadian citizen", include_in_application=False, birth_date="2020")
    )
    assert any("no date of birth" in w for w in warnings(make()))


texts = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=40)


@given(
    name=texts.filter(lambda t: t.strip()),
    kind=st.sampled_from(list(Relationship)),
    described=texts,
    status=texts,
    include=st.booleans(),
    notes=texts,
    earliest=st.one_of(st.none(), st.dates(min_value=date(1920, 1, 1), max_value=TODAY)),
)
def test_stored_form_round_trips(
    name: str,
    kind: Relationship,
    described: str,
    status: str,
    include: bool,
    notes: str,
    earliest: date | None,
) -> None:
    dependant = Dependant(
        7, name, kind, described.strip(), BirthDate("words", earliest, earliest), status, include, notes
    )
    assert from_stored_list(to_stored_list([dependant])) == (dependant,)


def test_redaction_hides_every_dependant_name_and_each_part_of_it() -> None:
    from trpkit.domain.redaction import build_redactor

    stored = [
        {"name": "Tomás Quillvane", "relationship": "son"},
        {"id": 2, "name": "Rosa María Quillvane", "relationship": "spouse", "include_in_application": False},
    ]
    others = [(d.name, "dependant") for d in from_stored_list(stored)]
    for language, role in (("en", "[dependant]"), ("fr", "[personne à charge]")):
        redactor = build_redactor(language, person_names=["Marisol Brennvik"], others=others)
        text = redactor.apply("Marisol lives with Tomás Quillvane; Rosa María visits; TOMÁS goes to school.")
        assert "Tomás" not in text and "TOMÁS" not in text and "Rosa" not in text and "Quillvane" not in text
        assert text.count(role) >= 3
