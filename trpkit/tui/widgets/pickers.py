"""Country and language pickers: type a name in English, French or Spanish (or the code), get completion
as you type, and a line underneath saying what trpkit understood ("Mexico (MX)") or the closest names.

The names and codes come from trpkit.domain.places_languages (CLDR through Babel), the same as the CLI's.
"""

from __future__ import annotations

from typing import Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.suggester import Suggester
from textual.widgets import Input, Static

from trpkit.domain.places_languages import (
    UnknownName,
    country_name,
    country_names,
    language_name,
    language_names,
    resolve_country,
    resolve_language,
)

Kind = Literal["country", "language", "languages"]

HINTS = {
    "country": "Type a country in English, French or Spanish (Mexico, México, Mexique) or its code (MX).",
    "language": "Type a language by name (Spanish, espagnol) or its code (es).",
    "languages": "Languages by name (Spanish, espagnol) or code (es), separated by commas.",
}


class NameSuggester(Suggester):
    """Completes the name being typed (the last one of a comma-separated list) from every known name."""

    def __init__(self, names: list[str], several: bool) -> None:
        super().__init__(use_cache=True, case_sensitive=True)
        self.names = names
        self.several = several

    async def get_suggestion(self, value: str) -> str | None:
        part = value.rsplit(",", 1)[-1].lstrip() if self.several else value.lstrip()
        if len(part) < 2:
            return None
        wanted = part.casefold()
        for name in self.names:
            if name.casefold().startswith(wanted) and len(name) > len(part):
                return value + name[len(part) :]
        return None


def understood(kind: Kind, text: str) -> tuple[bool, str]:
    """(ok, what to say under the field) for what is typed so far."""
    if not text.strip():
        return True, HINTS[kind]
    try:
        if kind == "country":
            code = resolve_country(text)
            return True, f"→ {country_name(code)} ({code})"
        parts = [p for p in text.split(",") if p.strip()] if kind == "languages" else [text]
        codes = [resolve_language(p) for p in parts]
        return True, "→ " + ", ".join(f"{language_name(c)} ({c})" for c in codes)
    except UnknownName as exc:
        return False, str(exc)


def shown_as(kind: Kind, stored: str | tuple[str, ...] | list[str]) -> str:
    """What a field shows for a stored code (or codes): the English name(s), or old free text as it was."""
    if kind == "country":
        return country_name(str(stored)) if stored else ""
    values = [stored] if isinstance(stored, str) else list(stored)
    return ", ".join(language_name(v) for v in values if v)


class NamePicker(Vertical):
    """An input for a country or language (or a comma-separated list of languages), with a hint line."""

    DEFAULT_CSS = """
    NamePicker { height: auto; }
    NamePicker .picker-hint { color: $text-muted; height: auto; padding: 0 1; }
    NamePicker .picker-hint.-unknown { color: $warning; }
    """

    def __init__(self, kind: Kind, *, input_id: str, value: str = "", placeholder: str = "") -> None:
        super().__init__(id=f"{input_id}-picker")
        self.kind: Kind = kind
        self.input_id = input_id
        self.initial = value
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        names = country_names() if self.kind == "country" else language_names()
        yield Input(
            value=self.initial,
            placeholder=self.placeholder,
            id=self.input_id,
            suggester=NameSuggester(names, several=self.kind == "languages"),
        )
        yield Static(HINTS[self.kind], classes="picker-hint", markup=False)

    @property
    def ok(self) -> bool:
        return understood(self.kind, self.query_one(Input).value)[0]

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        ok, text = understood(self.kind, event.value)
        hint = self.query_one(".picker-hint", Static)
        hint.update(Text(text))
        hint.set_class(not ok, "-unknown")
