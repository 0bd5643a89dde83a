"""Small wording helpers shared by screens."""

from __future__ import annotations


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """ "1 case file", "2 case files", "1 entry", "3 entries" (give the plural when it is not +s)."""
    return f"{count} {singular if count == 1 else plural_form or singular + 's'}"
