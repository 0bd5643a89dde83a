"""The template linter on deliberately broken templates (built here with python-docx)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli import run_cli
from tests.drafting.helpers_drafting import make_template
from trpkit.documents.lint import lint_template


def kinds(problems) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(p.severity, p.kind) for p in problems]


def test_clean_template_has_no_problems(tmp_path: Path) -> None:
    path = make_template(
        tmp_path / "ok.en.docx",
        [["Name: ", "{{ person.name }}"], ["{%p for x in items %}"], ["{{ x.label }}"], ["{%p endfor %}"]],
    )
    assert lint_template(path, {"person": {"name": "A"}, "items": [{"label": "b"}]}) == []


def test_tag_split_across_runs_is_named_with_its_paragraph(tmp_path: Path) -> None:
    path = make_template(tmp_path / "split.en.docx", [["Intro"], ["Name: ", "{{ person.", "name }}", " end"]])
    problems = lint_template(path, {"person": {"name": "A"}})
    split = [p for p in problems if p.kind == "split-tag"]
    assert len(split) == 1
    assert "'{{ person.name }}'" in split[0].message and "2 Word runs" in split[0].message
    assert split[0].where.startswith("body paragraph 2 ('Name: {{ person.name }} end')")
    assert split[0].severity == "error"


def test_undeclared_variable_names_tag_and_paragraph(tmp_path: Path) -> None:
    path = make_template(tmp_path / "typo.en.docx", [["Dear officer"], ["Name: {{ person.nmae }}"]])
    problems = lint_template(path, {"person": {"name": "A"}})
    undeclared = [p for p in problems if p.kind == "undeclared"]
    assert [p.severity for p in undeclared] == ["error"]
    assert "'person.nmae'" in undeclared[0].message
    assert "body paragraph 2" in undeclared[0].where and "{{ person.nmae }}" in undeclared[0].where
    unused = [p for p in problems if p.kind == "unused"]
    assert unused and "'person.name'" in unused[0].message and unused[0].severity == "warning"


def test_loop_variables_resolve_to_their_list(tmp_path: Path) -> None:
    path = make_template(
        tmp_path / "loop.en.docx",
        [["{%p for e in chronology %}"], ["{{ e.date }}: {{ e.txt }}"], ["{%p endfor %}"]],
    )
    problems = lint_template(path, {"chronology": [{"date": "2019", "text": "x"}]})
    assert [(p.kind, "chronology[].txt" in p.message) for p in problems if p.severity == "error"] == [
        ("undeclared", True)
    ]
    assert any(p.kind == "unused" and "chronology[].text" in p.message for p in problems)


def test_against_trpkit_context(tmp_path: Path) -> None:
    from trpkit.documents.context_example import provided_paths

    path = make_template(tmp_path / "ctx.en.docx", [["{{ person.name }} {{ person.shoe_size }}"]])
    problems = lint_template(path, None, provided_paths())
    assert kinds(problems) == [("error", "undeclared")]
    assert "person.shoe_size" in problems[0].message and "drafting context" in problems[0].message


def test_syntax_error_is_reported_with_paragraph(tmp_path: Path) -> None:
    path = make_template(tmp_path / "syntax.en.docx", [["Fine"], ["{%p for x in items %}"], ["{{ x }}"]])
    problems = lint_template(path, {"items": ["a"]})
    assert kinds(problems) == [("error", "syntax")]
    assert "endfor" in problems[0].message or "end of template" in problems[0].message


def test_unclosed_tag_and_text_beside_paragraph_tag(tmp_path: Path) -> None:
    path = make_template(
        tmp_path / "unclosed.en.docx",
        [["Hello {{ person.name"], ["Lost words {%p if x %}"], ["{%p endif %}"]],
    )
    problems = lint_template(path, None)
    assert ("error", "unclosed-tag") in kinds(problems)
    beside = [p for p in problems if p.kind == "paragraph-tag"]
    assert beside and beside[0].severity == "warning" and "Lost words" in beside[0].message


def test_unrendered_tag_is_caught_after_rendering(tmp_path: Path) -> None:
    # "{ { x } }" is not a Jinja tag; docxtpl's run-merging turns "{<tags>{" into "{{" only across XML tags,
    # so this one survives rendering and would reach the officer.
    path = make_template(tmp_path / "left.en.docx", [["Name: {{ name }} and {", "{ oops }", "}"]])
    problems = lint_template(path, {"name": "A"})
    assert any(p.kind == "unrendered" for p in problems) or any(p.kind == "split-tag" for p in problems)


def test_templates_check_command_exit_codes(tmp_path: Path) -> None:
    broken = make_template(tmp_path / "broken.en.docx", [["Name: ", "{{ person.", "name }}"]])
    (tmp_path / "broken.en.sample.json").write_text(json.dumps({"person": {"name": "A"}}))
    result = run_cli(["templates", "check", str(broken)])
    assert result.returncode == 1
    assert (
        "broken.en.docx: error: body paragraph 1" in result.stdout
        and "split across 2 Word runs" in result.stdout
    )
    good = run_cli(["templates", "check"])
    assert good.returncode == 0, good.stdout + good.stderr
    assert good.stdout.count(": ok") == 8


def test_files_that_are_not_word_documents_are_refused_cleanly(tmp_path: Path) -> None:
    import io
    import zipfile

    import pytest

    from trpkit.documents.render import render_bytes
    from trpkit.errors import UsageError
    from trpkit.loading.document_checklists import load_checklist
    from trpkit.loading.errors import DataFileError as ChecklistError
    from trpkit.paths import checklists_dir

    path = tmp_path / "broken.en.docx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", b"<not-closed")
    for data in (b"not a zip", b"PK\x03\x04", buffer.getvalue()):
        path.write_bytes(data)
        with pytest.raises(UsageError, match="broken.en.docx: not a readable Word document"):
            lint_template(path)
        with pytest.raises(UsageError, match="not a readable Word document"):
            render_bytes(path, {})
    latin = tmp_path / "documents-latin.toml"
    original = (checklists_dir() / "documents-initial-trp.toml").read_bytes()
    latin.write_bytes(original + b"\n# caf\xe9\n")
    with pytest.raises(ChecklistError, match="not UTF-8 text") as info:
        load_checklist(latin)
    assert info.value.line == original.count(b"\n") + 2  # the line with the Latin-1 byte
