"""Text normalisation for Word, and Hypothesis: any text in any field gives a valid document with that text."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.drafting.helpers_drafting import make_template, paragraphs
from trpkit.documents.render import render_bytes
from trpkit.domain.text import WORD_JOINER, normalise_for_docx
from trpkit.domain.text import paragraphs as split_paragraphs


def test_control_characters_are_mapped_not_lost() -> None:
    assert normalise_for_docx("a\r\nb\rc\x0bd\x0ce") == "a\nb\nc\nd\ne"
    assert normalise_for_docx("bell\x07 nul\x00 esc\x1b") == "bell nul esc"
    assert normalise_for_docx("tab\tstays") == "tab\tstays"
    assert normalise_for_docx("lone \ud800 surrogate") == "lone \ufffd surrogate"
    assert normalise_for_docx("e\u0301") == "é"
    assert normalise_for_docx("{_{ x }_}") == f"{{{WORD_JOINER}_{{ x }}{WORD_JOINER}_}}"
    assert normalise_for_docx(None) == ""


def test_paragraph_split_on_blank_lines() -> None:
    assert split_paragraphs("one\nline two\n\n\n  \nthree") == ["one\nline two", "three"]
    assert split_paragraphs("   ") == []


@given(st.text())
def test_normalise_is_idempotent(text: str) -> None:
    once = normalise_for_docx(text)
    assert normalise_for_docx(once) == once


_TEMPLATE: dict[str, Path] = {}


def _template(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    if "t" not in _TEMPLATE:
        folder = tmp_path_factory.mktemp("hyp")
        _TEMPLATE["t"] = make_template(
            folder / "h.en.docx",
            [["A:{{ a }}"], ["{%p for x in xs %}"], ["B:{{ x }}"], ["{%p endfor %}"], ["C:{{ c.d }}"]],
        )
    return _TEMPLATE["t"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(a=st.text(), xs=st.lists(st.text(), max_size=3), d=st.text())
def test_arbitrary_text_renders_exactly(tmp_path_factory, a: str, xs: list[str], d: str) -> None:  # type: ignore[no-untyped-def]
    data = render_bytes(_template(tmp_path_factory), {"a": a, "xs": xs, "c": {"d": d}})
    texts = [text for _style, text in paragraphs(data)]
    assert texts == [
        f"A:{normalise_for_docx(a)}",
        *[f"B:{normalise_for_docx(x)}" for x in xs],
        f"C:{normalise_for_docx(d)}",
    ]


_field_text = st.text(st.characters(codec="utf-8"), min_size=1, max_size=40).filter(lambda s: s.strip())


@settings(max_examples=15, deadline=None)
@given(name=_field_text, event=_field_text, note=_field_text, exhibit=_field_text)
def test_any_text_in_case_fields_reaches_the_real_letter(
    name: str, event: str, note: str, exhibit: str
) -> None:
    """Arbitrary text in the person's name, a chronology event, a note and an exhibit title: the
    trp-initial letter renders, stays a valid document, and contains each normalised text."""
    import dataclasses

    from tests.drafting.helpers_drafting import TEMPLATES, all_text
    from trpkit.documents.context import ChronologyItem, ExhibitData, PersonData, build_context
    from trpkit.documents.context_example import example_data

    data = example_data("trp-initial", "en")
    data = dataclasses.replace(
        data,
        person=PersonData(name),
        chronology=(ChronologyItem(None, event),),
        exhibits=(ExhibitData(1, exhibit),),
        notes={**data.notes, "safety": note},
    )
    text = all_text(render_bytes(TEMPLATES / "trp-initial.en.docx", build_context(data)))
    for value in (name, event, exhibit):
        assert normalise_for_docx(value).strip() in text
    for paragraph in split_paragraphs(note):
        assert paragraph in text
