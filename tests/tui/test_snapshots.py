"""SVG snapshots of screens whose content does not depend on today's date.

Update only after reading snapshot_report.html: pytest tests/tui/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

from pathlib import Path

import pytest

from trpkit.config import Settings
from trpkit.db.engine import Target
from trpkit.tui.app import TrpkitApp

pytestmark = pytest.mark.snapshot


class TestUnlockScreen:
    """The first thing a person sees: no case data, a plain prompt, the demo hint when it is the demo."""

    def test_demo_unlock(self, snap_compare) -> None:  # type: ignore[no-untyped-def]
        app = TrpkitApp(
            Settings(target=Target(vault_path=Path("/home/accompanier/demo.trpvault"))), demo=True
        )
        assert snap_compare(app, terminal_size=(100, 30))

    def test_server_sign_in(self, snap_compare) -> None:  # type: ignore[no-untyped-def]
        app = TrpkitApp(
            Settings(
                target=Target(url="postgresql+psycopg://trpkit:secret@db.example.org/trpkit"), username="ana"
            )
        )
        assert snap_compare(app, terminal_size=(100, 30))


def _first_code(seeded) -> str:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from trpkit.db.models import Case

    with seeded.database.session() as s:
        return str(s.scalars(select(Case.code).order_by(Case.code)).first())


class TestFormsAndKeys:
    """The new-case form with its pickers, the question before discarding, the Person tab and the
    Narrative tab's meeting form, and F1 over a case file (keys of that screen first)."""

    def test_new_case_form_80x24(self, snap_compare, seeded) -> None:  # type: ignore[no-untyped-def]
        app = TrpkitApp(database=seeded.database, actor=seeded.actor)

        async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
            await pilot.press("n")
            await pilot.pause()
            await pilot.press(*"Ana Ficticia", "tab", "tab", "tab", *"Mexique", "tab", *"espagnol")
            await pilot.pause()

        assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)

    def test_unsaved_question_80x24(self, snap_compare, seeded) -> None:  # type: ignore[no-untyped-def]
        app = TrpkitApp(database=seeded.database, actor=seeded.actor)

        async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
            await pilot.press("n")
            await pilot.pause()
            await pilot.press(*"Ana", "escape")
            await pilot.pause()

        assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)

    def test_person_tab_80x24(self, snap_compare, seeded) -> None:  # type: ignore[no-untyped-def]
        app = TrpkitApp(database=seeded.database, actor=seeded.actor)
        code = _first_code(seeded)

        async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
            await app.open_case(code)
            await pilot.pause(0.5)
            await app.workers.wait_for_complete()
            await pilot.pause()

        assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)

    def test_narrative_meetings_160x45(self, snap_compare, seeded) -> None:  # type: ignore[no-untyped-def]
        app = TrpkitApp(database=seeded.database, actor=seeded.actor)
        code = _first_code(seeded)

        async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
            await app.open_case(code, tab="narrative")
            await pilot.pause(0.5)
            await app.workers.wait_for_complete()
            await pilot.pause()

        assert snap_compare(app, terminal_size=(160, 45), run_before=run_before)

    def test_help_over_a_case_file_80x24(self, snap_compare, seeded) -> None:  # type: ignore[no-untyped-def]
        app = TrpkitApp(database=seeded.database, actor=seeded.actor)
        code = _first_code(seeded)

        async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
            await app.open_case(code)
            await pilot.pause(0.5)
            await app.workers.wait_for_complete()
            await pilot.press("f1")
            await pilot.pause(0.3)

        assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
