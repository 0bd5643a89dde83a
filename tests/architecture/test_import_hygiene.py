"""The architecture holds at run time: imports stay lazy and only the TUI imports Textual."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def loaded_modules(statement: str) -> set[str]:
    code = f"import sys, json\n{statement}\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return {name.split(".")[0] for name in json.loads(out.stdout)} | set(json.loads(out.stdout))


@pytest.mark.parametrize(
    ("statement", "forbidden"),
    [
        (
            "import trpkit.cli",
            {"textual", "sqlalchemy", "docxtpl", "alembic", "dateparser", "scipy", "matplotlib", "pydantic"},
        ),
        # The TUI's first paint (the app and its unlock screen) reads no data file: no pydantic.
        ("import trpkit.tui.app, trpkit.tui.unlocking, trpkit.config", {"pydantic", "trpkit.loading"}),
        ("import trpkit.services.cases, trpkit.services.consent", {"textual", "docx", "docxtpl", "alembic"}),
        (
            "import trpkit.domain.vocab, trpkit.domain.fuzzy_dates, trpkit.domain.passphrase",
            {"sqlalchemy", "textual", "docx", "dateparser"},
        ),
        ("import trpkit.db.database", {"textual", "alembic"}),
    ],
)
def test_lazy_imports(statement: str, forbidden: set[str]) -> None:
    assert not (loaded_modules(statement) & forbidden)


def test_only_tui_imports_textual() -> None:
    offenders = []
    for path in (ROOT / "trpkit").rglob("*.py"):
        if "tui" in path.relative_to(ROOT / "trpkit").parts:
            continue
        text = path.read_text(encoding="utf-8")
        if "import textual" in text or "from textual" in text:
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_import_linter_contracts() -> None:
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if lint is None:
        pytest.skip("import-linter not installed")
    result = subprocess.run([lint], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout[-3000:]
