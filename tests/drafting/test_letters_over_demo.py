"""Every letter, read back as an officer reads it, over the demo generator's variety of cases.

For each demo case ready for a template, all four templates in English and in French are drafted and
read back with python-docx: no blank field, no internal caveat, no heading with nothing under it, no
statement about the permit that its dates contradict, no English paragraph in a French letter outside
the person's quoted words, every positive dimension argued with an exhibit or a passage, and the
convergence argued whenever the assessment rests on it.
"""

from __future__ import annotations

import io
import itertools
import re
import shutil
from collections.abc import Iterator
from datetime import date

import pytest
from docx import Document

from trpkit.db.database import Database, open_target
from trpkit.db.engine import Target
from trpkit.documents.context import Organisation
from trpkit.services.actor import Actor

TODAY = date(2026, 3, 3)
ORG = Organisation(
    "Maison Passerelle (fictional)", ("1200 rue Exemple",), "514-555-0100", "Dana Quillfeather", "Accompanier"
)
TEMPLATES = ("trp-initial", "trp-subsequent", "owp-cover", "exhibit-index")
BLANKS = [
    re.compile(p)
    for p in (
        r"\(\s*\)",
        r"\bI, ,",
        r"prepared by\s+from",
        r"\s,\s*,",
        r"  \(",
        r": \.",
        r"^\w[\w ]{0,20} ?:\s*$",
    )
]
INTERNAL = (
    "Indicator weights",
    "Pondération",
    "unconfirmed",
    "secondary source",
    "not positive",
    "trpkit",
    "unrated",  # a weight the list does not give is not stated
    "number not recorded",  # a permit without its number is named by its dates
    "numéro non noté",
)


@pytest.fixture(scope="module")
def demo(
    tmp_path_factory: pytest.TempPathFactory, _template_vault
) -> Iterator[tuple[Database, Actor, list[str]]]:  # type: ignore[no-untyped-def]
    from trpkit.demo import generate
    from trpkit.services.users import actor_for, create_user

    template, key = _template_vault
    path = tmp_path_factory.mktemp("letters") / "demo.trpvault"
    shutil.copy(template, path)
    database = open_target(Target(vault_path=path), key=key)
    with database.session() as s:
        create_user(s, "ana", role="supervisor")
        actor = actor_for(s, "ana")
        cases = generate(s, actor, 24, seed=7, today=TODAY)  # enough variety: every template ready
    for case in cases:
        _translate_everything(database, actor, case.code)
    yield database, actor, [c.code for c in cases]
    database.close()


def _translate_everything(database: Database, actor: Actor, code: str) -> None:
    """Stand in for the accompanier writing the French versions the French letter asks for."""
    from trpkit.services.drafting_translations import set_translation, translation_status

    with database.session() as s:
        for piece in translation_status(s, actor, code, template="trp-subsequent", on=TODAY):
            if piece.status in ("missing", "outdated"):
                text = f"Version française rédigée par l'organisme ({piece.piece})."
                set_translation(s, actor, code, piece.piece, text=text, translator="R. Okonkwo")


def _letter(
    database: Database, actor: Actor, code: str, template: str, lang: str
) -> tuple[bytes, dict] | None:  # type: ignore[type-arg]
    from trpkit.services.drafting import build_draft_context, readiness

    with database.session() as s:
        report = readiness(s, actor, code, template=template, language=lang, on=TODAY, organisation=ORG)
        if not report.ready:
            return None
        context = build_draft_context(
            s, actor, code, template=template, language=lang, on=TODAY, organisation=ORG
        )
    from trpkit.documents.render import render_bytes
    from trpkit.documents.templates import find

    return render_bytes(find(template, lang).path, context), context


def _blocks(doc) -> list[str]:  # type: ignore[no-untyped-def]
    """The style of each non-empty paragraph and "table" for each table, in document order."""
    from docx.text.paragraph import Paragraph

    kinds = []
    for child in doc.element.body.iterchildren():
        if child.tag.endswith("}tbl"):
            kinds.append("table")
        elif child.tag.endswith("}p"):
            paragraph = Paragraph(child, doc)
            if paragraph.text.strip():
                kinds.append(paragraph.style.name)
    return kinds


def _check(data: bytes, context: dict, template: str, lang: str, code: str) -> None:  # type: ignore[type-arg]
    from trpkit.services.translations import written_in

    doc = Document(io.BytesIO(data))
    where = f"{code} {template} {lang}"
    body = [(p.style.name, p.text) for p in doc.paragraphs]
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    for _style, text in body:
        for pattern in BLANKS:
            assert not pattern.search(text), f"{where}: blank field {pattern.pattern!r} in {text!r}"
        for word in INTERNAL:
            assert word not in text, f"{where}: internal note {word!r} in the letter: {text!r}"
    # no heading with nothing under it (a table counts as content)
    kinds = _blocks(doc)
    for first, second in itertools.pairwise(kinds):
        assert not (first == "Heading 1" and second == "Heading 1"), f"{where}: empty section"
    assert not kinds or not kinds[-1].startswith("Heading"), f"{where}: empty last section"
    full = "\n".join(text for _style, text in body)
    permit = context["previous_permit"]
    current = (
        "while that permit is in force",
        "pendant que ce permis est en vigueur",
        "holds permit",
        "est titulaire",
    )
    ended = ("That permit has ended", "Ce permis a pris fin")
    if permit.get("lapsed"):
        assert not any(words in full for words in current), f"{where}: an ended permit described as current"
    if permit.get("in_force"):
        assert not any(words in full for words in ended), f"{where}: a permit in force described as ended"
    if lang == "fr":
        for style, text in body:
            if style != "Quote" and len(text.split()) >= 4:
                assert written_in(text, "fr") or not written_in(text, "en"), (
                    f"{where}: English in French: {text!r}"
                )
        for text in cells:
            assert not (len(text.split()) >= 3 and written_in(text, "en") and not written_in(text, "fr")), (
                text
            )
    argument = context.get("argument", {})
    if template in ("trp-initial", "trp-subsequent"):
        for dim in argument.get("dimensions", []):
            assert any(i["refs"] for i in dim["indicators"]), (
                f"{where}: {dim['label']} argued without reference"
            )
            assert dim["label"] in full
        if argument.get("convergence"):
            assert "convergence" in full, f"{where}: convergence not argued"


@pytest.mark.parametrize("lang", ["en", "fr"])  # two halves, so parallel workers can share the work
def test_every_letter_over_the_demo_cases(demo, lang: str) -> None:  # type: ignore[no-untyped-def]
    database, actor, codes = demo
    checked: dict[str, int] = {}
    convergence = 0
    for code in codes:
        for template in TEMPLATES:
            made = _letter(database, actor, code, template, lang)
            if made is None:
                continue
            data, context = made
            _check(data, context, template, lang, code)
            checked[template] = checked.get(template, 0) + 1
            convergence += bool(context.get("argument", {}).get("convergence"))
    # the demo's variety reaches every template in this language, and a convergence case
    assert set(checked) == set(TEMPLATES), checked
    assert convergence, "no demo case argued a convergence"
