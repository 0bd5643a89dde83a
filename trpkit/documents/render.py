"""Render a Word template with a context: escaped, normalised, strict about missing variables."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from jinja2 import Environment, StrictUndefined, UndefinedError

from trpkit.domain.text import normalise_tree
from trpkit.errors import UsageError


def _environment() -> Environment:
    # autoescape: a value with "&" or "<" would otherwise silently corrupt the document (stack-notes §3).
    return Environment(autoescape=True, undefined=StrictUndefined)


def render_bytes(template: Path | bytes, context: dict[str, Any]) -> bytes:
    """Render ``template`` (a path or the .docx bytes) and return the finished .docx as bytes.

    Every string in ``context`` is passed through ``normalise_for_docx`` first, so no input can
    change the document's structure. A variable the template uses but the context lacks is an error
    naming it (never a silent blank in a letter to an officer).
    """
    from docxtpl import DocxTemplate

    source = io.BytesIO(template) if isinstance(template, bytes) else str(template)
    document = DocxTemplate(source)
    try:
        document.init_docx()
    except Exception as exc:  # noqa: BLE001 - not a zip, not a Word package, broken XML
        name = "template" if isinstance(template, bytes) else Path(template).name
        raise UsageError(
            f"{name}: not a readable Word document ({type(exc).__name__}); run 'trpkit templates check' on it"
        ) from None
    try:
        document.render(normalise_tree(context), jinja_env=_environment(), autoescape=True)
    except UndefinedError as exc:
        raise UsageError(
            f"template needs a value the draft does not have: {exc.message}. "
            "Run 'trpkit templates check' on the template."
        ) from None
    except Exception as exc:
        from jinja2 import TemplateSyntaxError

        if isinstance(exc, TemplateSyntaxError):
            raise UsageError(
                f"template syntax error: {exc.message} (run 'trpkit templates check' to find the paragraph)"
            ) from None
        raise
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
