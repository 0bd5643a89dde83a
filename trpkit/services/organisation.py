"""The organisation's letterhead and signatory: read and changed in config.toml's [organisation] table.

Every letter carries the organisation's name, address and contact line, and the declaration is
signed by its representative with their title. These are set once (``trpkit org set`` or the app's
settings screen) and read fresh for every draft, so a change shows in the next letter.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from trpkit.documents.context import Organisation
from trpkit.errors import UsageError

# What each setting is called on screen and in messages (the config.toml key is the dict key).
FIELD_LABELS = {
    "name": "Organisation name",
    "address": "Address (one line per line)",
    "contact": "Contact line (telephone, e-mail)",
    "representative": "Representative who signs the letters",
    "representative_title": "Representative's title (e.g. Accompanier)",
}
MAX_LENGTH = 300


def from_table(raw: dict[str, Any]) -> Organisation:
    """An ``[organisation]`` table (as read from config.toml) as the letter's Organisation."""
    address = raw.get("address", "")
    lines = [str(x) for x in address] if isinstance(address, list) else str(address).splitlines()
    return Organisation(
        name=str(raw.get("name", "")).strip(),
        address_lines=tuple(line.strip() for line in lines if line.strip()),
        contact_line=str(raw.get("contact", "")).strip(),
        representative=str(raw.get("representative", "")).strip(),
        representative_title=str(raw.get("representative_title", "")).strip(),
    )


def current(path: Path | None = None) -> Organisation:
    """The organisation as config.toml says now (read fresh: a change shows in the next letter)."""
    from trpkit.config import read_organisation

    return from_table(read_organisation(path))


def as_table(org: Organisation) -> dict[str, Any]:
    return {
        "name": org.name,
        "address": list(org.address_lines),
        "contact": org.contact_line,
        "representative": org.representative,
        "representative_title": org.representative_title,
    }


def update(changes: dict[str, Any], path: Path | None = None) -> Organisation:
    """Change some settings (``address`` as a list of lines or one text), keep the others; save."""
    from trpkit.config import read_organisation, write_organisation

    unknown = set(changes) - set(FIELD_LABELS)
    if unknown:
        raise UsageError(f"unknown setting(s) {', '.join(sorted(unknown))}: use {', '.join(FIELD_LABELS)}")
    for key, value in changes.items():
        text = "\n".join(value) if isinstance(value, list | tuple) else str(value)
        if len(text) > MAX_LENGTH:
            raise UsageError(f"{FIELD_LABELS[key]}: at most {MAX_LENGTH} characters")
        if any(ord(ch) < 32 and ch != "\n" for ch in text):
            raise UsageError(f"{FIELD_LABELS[key]}: remove the control characters")
    merged = as_table(from_table(read_organisation(path)))
    for key, value in changes.items():
        if key == "address":
            merged[key] = as_table(from_table({"address": value}))["address"]
        else:
            merged[key] = str(value).strip()
    write_organisation(merged, path)
    return from_table(merged)
