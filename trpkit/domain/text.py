"""Make any text safe to put in a Word document, without changing what it says.

docxtpl (with ``autoescape=True``) handles ``&``, ``<`` and ``>``, but a few characters still change
the document's structure or vanish silently (verified with docxtpl 0.20):

- ``\\a`` (BEL) starts a new paragraph and ``\\f`` (form feed) a page break;
- ``\\x0b`` (vertical tab), NUL and the other C0/C1 control characters are dropped, or make the XML invalid;
- lone surrogates and U+FFFE/U+FFFF cannot be written to XML at all;
- docxtpl turns ``{_{``, ``}_}``, ``{_%`` and ``%_}`` into ``{{``, ``}}``, ``{%`` and ``%}`` after rendering.

``normalise_for_docx`` maps each of these to something that survives, keeps tabs and line breaks
(``\\n`` becomes a line break inside the paragraph), and applies Unicode NFC so accented names compare
equal however they were typed. It is idempotent: ``normalise(normalise(s)) == normalise(s)``.
"""

from __future__ import annotations

import re
import unicodedata

WORD_JOINER = "\u2060"  # invisible; used to keep docxtpl from rewriting "{_{" into "{{"

# Line separators of every kind become "\n" (a line break in Word).
_LINE_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# Everything XML 1.0 cannot hold or Word would reinterpret, except \t and \n.
_DROP = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_DOCXTPL_MARKERS = re.compile(r"(?<=\{)(?=_[{%])|(?<=[}%])(?=_\})")


def normalise_for_docx(text: object) -> str:
    """Return ``text`` as a string that renders in Word exactly as it reads here."""
    if text is None:
        return ""
    value = str(text)
    value = _SURROGATE.sub("\ufffd", value)
    value = unicodedata.normalize("NFC", value)
    value = _LINE_BREAKS.sub("\n", value)
    value = _DROP.sub("", value)
    # NFC can only produce characters that are already safe; the docxtpl markers last, so the
    # joiner is never inserted twice (it sits between the brace and the underscore).
    return _DOCXTPL_MARKERS.sub(WORD_JOINER, value)


def normalise_tree(value: object) -> object:
    """Normalise every string inside nested dicts/lists/tuples (the template context)."""
    if isinstance(value, str):
        return normalise_for_docx(value)
    if isinstance(value, dict):
        return {k: normalise_tree(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [normalise_tree(v) for v in value]
    return value


def paragraphs(text: str) -> list[str]:
    """Split text into paragraphs on blank lines (single newlines stay line breaks)."""
    cleaned = normalise_for_docx(text).strip()
    if not cleaned:
        return []
    return [part.strip() for part in re.split(r"\n\s*\n", cleaned) if part.strip()]
