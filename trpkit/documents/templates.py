"""Find the Word templates: ``<name>.<lang>.docx`` files, each with ``<name>.<lang>.sample.json``."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from trpkit.errors import UsageError
from trpkit.paths import templates_dir

LANGUAGES = ("en", "fr")
_NAME = re.compile(r"^(?P<name>[a-z0-9][a-z0-9_-]*)\.(?P<lang>[a-z]{2})\.docx$")


@dataclass(frozen=True)
class TemplateInfo:
    name: str
    language: str
    path: Path
    title: str
    application_type: str  # the document checklist that applies ("" for none)

    @property
    def sample_path(self) -> Path:
        return self.path.with_name(f"{self.name}.{self.language}.sample.json")

    def load_sample(self) -> dict[str, Any]:
        if not self.sample_path.exists():
            raise UsageError(f"{self.path.name} has no sample context: create {self.sample_path.name}")
        try:
            data = json.loads(self.sample_path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise UsageError(f"{self.sample_path}: not valid JSON (line {exc.lineno}: {exc.msg})") from None
        if not isinstance(data, dict):
            raise UsageError(f"{self.sample_path}: the sample context must be a JSON object")
        return data


def _properties(path: Path) -> tuple[str, str]:
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        stamp = 0
    return _cached_properties(str(path), stamp)


@lru_cache(maxsize=64)
def _cached_properties(name: str, stamp: int) -> tuple[str, str]:
    from docx import Document

    path = Path(name)
    try:
        core = Document(str(path)).core_properties
    except Exception as exc:  # noqa: BLE001 - a corrupt or non-Word file
        raise UsageError(f"{path}: not a readable Word document ({exc})") from None
    return core.title or "", core.category or ""


def describe(path: Path) -> TemplateInfo:
    """Information about one template file (any path; the name pattern gives name and language)."""
    match = _NAME.match(path.name)
    if match is None:
        raise UsageError(f"{path.name}: template files are named NAME.LANG.docx (e.g. trp-initial.fr.docx)")
    title, kind = _properties(path)
    return TemplateInfo(match["name"], match["lang"], path, title or match["name"], kind)


def discover(directory: Path | None = None) -> list[TemplateInfo]:
    folder = directory or templates_dir()
    if not folder.is_dir():
        return []
    found = [
        describe(p)
        for p in sorted(folder.glob("*.docx"))
        if _NAME.match(p.name) and not p.name.startswith("~$")
    ]
    return sorted(found, key=lambda t: (t.name, t.language))


def find(name: str, language: str, directory: Path | None = None) -> TemplateInfo:
    if language not in LANGUAGES:
        raise UsageError(f"language '{language}' is not available: use en or fr")
    exact = (directory or templates_dir()) / f"{name}.{language}.docx"
    if _NAME.match(exact.name) and exact.is_file():
        return describe(exact)
    available = discover(directory)
    for info in available:
        if info.name == name and info.language == language:
            return info
    names = sorted({t.name for t in available})
    if name in names:
        langs = ", ".join(t.language for t in available if t.name == name)
        raise UsageError(f"template '{name}' has no '{language}' version (available: {langs})")
    raise UsageError(
        f"no template '{name}': use one of {', '.join(names) or '(none found)'} (see 'trpkit templates list')"
    )
