"""The template linter: find what would break a draft before an accompanier meets it.

Checks, each naming the tag and the paragraph it sits in:

- **split tags**: a ``{{ tag }}`` typed in several goes (or re-formatted half-way) is stored by Word in
  several runs. docxtpl glues many of these back, but formatting is lost and some cannot be rebuilt;
  retype the tag in one go.
- **unclosed or stray delimiters** in a paragraph (``{{`` without ``}}``, a lone ``%}``).
- **paragraph tags** (``{%p``, ``{%tr``, ``{%tc``): docxtpl removes the whole paragraph, row or cell, so
  any other text in it is lost; two of them in one paragraph do not work.
- **Jinja syntax errors** (an ``{% if %}`` without ``{% endif %}``...), with the paragraph.
- **undeclared variables**: used by the template but absent from its sample context (or from what the
  drafting code provides); **unused variables**: in the sample but never used.
- **unrendered tags**: after rendering the sample, anything that still looks like ``{{``/``{%``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import TemplateSyntaxError

from trpkit.documents.template_variables import context_paths, jinja_source, referenced_paths

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = "{" + W_NS + "}"
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_BLOCK_TAG = re.compile(r"\{%\s*(p|tr|tc|r)\s")
_LEFTOVER = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}")


@dataclass(frozen=True)
class LintProblem:
    severity: str  # error | warning
    kind: str  # split-tag | unclosed-tag | paragraph-tag | syntax | undeclared | unused | unrendered
    where: str  # "body paragraph 14 ('Name: {{ person.nmae }}')"
    message: str

    def __str__(self) -> str:
        return f"{self.severity}: {self.where}: {self.message}"


@dataclass(frozen=True)
class _Para:
    where: str
    runs: tuple[str, ...]

    @property
    def text(self) -> str:
        return "".join(self.runs)


def _preview(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _runs(p: Any) -> tuple[str, ...]:
    runs = []
    for run in p.iter(W + "r"):
        runs.append("".join(t.text or "" for t in run.iter(W + "t")))
    return tuple(runs)


def _paragraphs(path: Path) -> Iterator[_Para]:
    """Every paragraph of body (tables included), headers and footers, labelled for people."""
    from docx import Document

    doc = Document(str(path))
    body_index = 0
    table_index = 0
    for child in doc.element.body.iterchildren():
        if child.tag == W + "p":
            body_index += 1
            runs = _runs(child)
            yield _Para(f"body paragraph {body_index} ('{_preview(''.join(runs))}')", runs)
        elif child.tag == W + "tbl":
            table_index += 1
            for r, row in enumerate(child.iter(W + "tr"), start=1):
                for c, cell in enumerate(row.iter(W + "tc"), start=1):
                    for p in cell.iter(W + "p"):
                        runs = _runs(p)
                        yield _Para(
                            f"table {table_index} row {r} cell {c} ('{_preview(''.join(runs))}')", runs
                        )
    seen: set[int] = set()
    for number, section in enumerate(doc.sections, start=1):
        for kind in ("header", "footer"):
            part = getattr(section, kind)
            if part.is_linked_to_previous or id(part._element) in seen:
                continue
            seen.add(id(part._element))
            for p in part._element.iter(W + "p"):
                runs = _runs(p)
                yield _Para(f"{kind} of section {number} ('{_preview(''.join(runs))}')", runs)


# --------------------------------------------------------------------------------------------------
# Tags and runs


def check_runs(paragraphs: list[_Para]) -> list[LintProblem]:
    """Tags split across Word runs, paragraph tags that share their paragraph, delimiters without partner."""
    problems: list[LintProblem] = []
    for para in paragraphs:
        problems += _split_tags(para)
        problems += _paragraph_tags(para)
        problems += _stray_delimiters(para)
    return problems


def _split_tags(para: _Para) -> list[LintProblem]:
    """Tags Word stored in several runs (typed in several goes, or re-formatted half-way)."""
    bounds = []
    start = 0
    for run in para.runs:
        bounds.append((start, start + len(run)))
        start += len(run)
    problems = []
    for match in _TAG.finditer(para.text):
        pieces = sum(1 for a, b in bounds if a < match.end() and b > match.start() and b > a)
        if pieces > 1:
            problems.append(
                LintProblem(
                    "error",
                    "split-tag",
                    para.where,
                    f"tag '{match.group(0)}' is split across {pieces} Word runs: delete it and type it again "
                    "in one go (no formatting changes inside it)",
                )
            )
    return problems


def _paragraph_tags(para: _Para) -> list[LintProblem]:
    """docxtpl removes the paragraph of a {%p/{%tr/{%tc tag: other text in it goes too, and one is the most."""
    block_tags = sum(1 for match in _TAG.finditer(para.text) if _BLOCK_TAG.match(match.group(0)))
    if not block_tags:
        return []
    if block_tags > 1:
        return [
            LintProblem(
                "error",
                "paragraph-tag",
                para.where,
                "two {%p/{%tr/{%tc tags in one paragraph: put each in its own paragraph",
            )
        ]
    rest = _TAG.sub("", para.text).strip()
    if not rest:
        return []
    return [
        LintProblem(
            "warning",
            "paragraph-tag",
            para.where,
            f"text '{_preview(rest, 40)}' shares a paragraph with a {{%p/{{%tr tag and will be removed "
            "with it: move it to its own paragraph",
        )
    ]


def _stray_delimiters(para: _Para) -> list[LintProblem]:
    return [
        LintProblem(
            "error",
            "unclosed-tag",
            para.where,
            f"'{stray}' without its partner in this paragraph: a tag must open and "
            "close in the same paragraph",
        )
        for stray in _LEFTOVER.findall(_TAG.sub("", para.text))
    ]


# --------------------------------------------------------------------------------------------------
# Variables


def _declared(path: str, declared: set[str]) -> bool:
    if path in declared:
        return True
    parts = path.split(".")
    return any(".".join(parts[:i]) + ".*" in declared for i in range(1, len(parts)))


def _is_used(leaf: str, used: set[str]) -> bool:
    return any(leaf == u or leaf.startswith((u + ".", u + "[]")) for u in used)


def _locate(path: str, paragraphs: list[_Para]) -> str:
    name = re.split(r"[.\[\]]+", path.rstrip("[]"))[-1]
    pattern = re.compile(r"\b" + re.escape(name) + r"\b")
    for para in paragraphs:
        for match in _TAG.finditer(para.text):
            if pattern.search(match.group(0)):
                return f"{para.where}, tag '{match.group(0)}'"
    return "template"


def check_variables(
    path: Path, paragraphs: list[_Para], sample: dict[str, Any] | None, provided: set[str] | None
) -> tuple[list[LintProblem], set[str]]:
    problems: list[LintProblem] = []
    source = jinja_source(path)
    try:
        used = referenced_paths(source)
        covering = referenced_paths(source, covering=True)
    except TemplateSyntaxError as exc:
        lines = source.splitlines()
        line = lines[exc.lineno - 1] if exc.lineno and exc.lineno <= len(lines) else ""
        text = re.sub(r"<[^>]+>", "", line)
        where = next(
            (p.where for p in paragraphs if text and _preview(text) in p.where), f"near '{_preview(text)}'"
        )
        problems.append(LintProblem("error", "syntax", where, f"Jinja syntax error: {exc.message}"))
        return problems, set()
    if sample is not None:
        declared, leaves = context_paths(sample)
        for missing in sorted(p for p in used if not _declared(p, declared)):
            problems.append(
                LintProblem(
                    "error",
                    "undeclared",
                    _locate(missing, paragraphs),
                    f"variable '{missing}' is not in the sample context: fix the tag's "
                    "spelling or add it to the .sample.json",
                )
            )
        for unused in sorted(leaf for leaf in leaves if not _is_used(leaf, covering)):
            problems.append(
                LintProblem(
                    "warning",
                    "unused",
                    "sample context",
                    f"'{unused}' is in the sample but the template never uses it",
                )
            )
    if provided is not None:
        for missing in sorted(p for p in used if not _declared(p, provided)):
            problems.append(
                LintProblem(
                    "error",
                    "undeclared",
                    _locate(missing, paragraphs),
                    f"variable '{missing}' is not provided by trpkit's drafting context "
                    "(see docs/template-authoring.md for the variables available)",
                )
            )
    return problems, used


def check_rendered(data: bytes) -> list[LintProblem]:
    import io

    problems = []
    tmp = io.BytesIO(data)
    from docx import Document

    doc = Document(tmp)
    everything = [("body", p) for p in doc.paragraphs]
    for t_index, table in enumerate(doc.tables, start=1):
        for row in table.rows:
            for cell in row.cells:
                everything += [(f"table {t_index}", p) for p in cell.paragraphs]
    for section in doc.sections:
        everything += [("header", p) for p in section.header.paragraphs]
        everything += [("footer", p) for p in section.footer.paragraphs]
    for where, paragraph in everything:
        found = _LEFTOVER.search(paragraph.text)
        if found:
            problems.append(
                LintProblem(
                    "error",
                    "unrendered",
                    f"rendered {where} ('{_preview(paragraph.text)}')",
                    f"'{found.group(0)}' is still in the output: a tag was not recognised "
                    "(check spaces and braces)",
                )
            )
    return problems


def lint_template(
    path: Path, sample: dict[str, Any] | None = None, provided: set[str] | None = None
) -> list[LintProblem]:
    """All problems in one template; ``sample`` is its sample context, ``provided`` trpkit's context paths.

    A file that is not a readable Word document is refused with a UsageError naming it.
    """
    from trpkit.errors import UsageError

    try:
        paragraphs = list(_paragraphs(path))
        jinja_source(path)
    except UsageError:
        raise
    except Exception as exc:  # noqa: BLE001 - not a zip, not a Word package, broken XML...
        raise UsageError(
            f"{path.name}: not a readable Word document ({type(exc).__name__}). Open it in Word or "
            "LibreOffice and save it again as .docx."
        ) from None
    problems = check_runs(paragraphs)
    variable_problems, _used = check_variables(path, paragraphs, sample, provided)
    problems += variable_problems
    if sample is not None and not any(p.kind in ("syntax", "undeclared") for p in problems):
        from trpkit.documents.render import render_bytes
        from trpkit.errors import UsageError

        try:
            problems += check_rendered(render_bytes(path, sample))
        except UsageError as exc:
            problems.append(LintProblem("error", "syntax", "template", str(exc)))
    return problems
