"""Coalition export and import from the app (Pilot): check, risk, write the package, import; roles."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Button, Input, Static

from tests.pilot import settle
from tests.tui.conftest import FIXED_TODAY, Seeded
from trpkit.db.database import open_target
from trpkit.db.engine import Target
from trpkit.db.vault import VaultKey
from trpkit.tui.app import TrpkitApp
from trpkit.tui.screens.coalition import CoalitionScreen
from trpkit.tui.screens.confirm import ConfirmScreen


@pytest.fixture
def agency(tmp_path: Path, _template_vault: tuple[Path, VaultKey]) -> Iterator[Seeded]:
    """Enough fictional decided cases for an export to pass the coalition's k."""
    from trpkit.demo import generate
    from trpkit.services.users import actor_for, create_user

    template, key = _template_vault
    path = tmp_path / "agency.trpvault"
    shutil.copy(template, path)
    database = open_target(Target(vault_path=path), key=key)
    with database.session() as session:
        create_user(session, "ana", role="supervisor")
        actor = actor_for(session, "ana")
        # Enough decided cases, with grants and refusals among those shared, for k = 5 and l = 2.
        generate(session, actor, 200, seed=2027, today=FIXED_TODAY)
    yield Seeded(path, database, actor)
    database.close()


async def test_supervisor_checks_writes_and_imports(agency: Seeded, tmp_path: Path) -> None:
    seeded = agency
    app = TrpkitApp(database=seeded.database, actor=seeded.actor)
    out = tmp_path / "new folder" / "share.trpcoal"
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("e")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, CoalitionScreen)
        result = screen.query_one("#co-export-result", Static)

        await pilot.press("ctrl+t")  # the dry run: what would leave, and the risk
        await settle(app, pilot)
        said = str(result.render())
        assert "Ready to share" in said and "Risk that someone is recognised" in said
        assert "k-anonymity" in said and not out.exists()

        screen.query_one("#co-out", Input).value = str(out)
        await pilot.press("ctrl+g")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")  # not now: nothing written
        await settle(app, pilot)
        assert not out.exists()
        await pilot.press("ctrl+g")
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        assert out.read_bytes()[:2] == b"PK"  # the signed package (a zip), folder created
        assert f"Package written to {out}" in str(result.render()).replace("\n", "")

        # Importing our own package: refused whole (this agency is not among the known agencies).
        screen.query_one("#co-in", Input).value = f"{out}; {tmp_path / 'missing.trpcoal'}"
        screen.query_one("#co-in", Input).focus()
        await pilot.press("enter")
        await settle(app, pilot)
        imported = str(screen.query_one("#co-import-result", Static).render())
        assert imported.count("refused, nothing imported") == 2 and "cannot read the file" in imported
    with seeded.database.session() as s:
        from trpkit.services import audit

        actions = {r.action for r in audit.show(s, seeded.actor, limit=100)}
    assert "coalition.export" in actions


async def test_an_accompanier_cannot_export_or_import(seeded: Seeded) -> None:
    from trpkit.services.users import actor_for, create_user

    with seeded.database.session() as s:
        create_user(s, "lea", role="accompanier")
        lea = actor_for(s, "lea")
    app = TrpkitApp(database=seeded.database, actor=lea)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.push_screen(CoalitionScreen())
        await settle(app, pilot)
        screen = app.screen
        assert all(screen.query_one(f"#{b}", Button).disabled for b in ("co-check", "co-write", "co-import"))
        assert "Only a supervisor can export" in str(screen.query_one("#co-export-result", Static).render())
        await pilot.press("ctrl+t")  # the key as well: the service refuses, said plainly
        await settle(app, pilot)
        assert "cannot" in str(screen.query_one("#co-export-result", Static).render()).lower()
