"""SVG snapshot of the Incidents screen over received incidents (fixed ids and dates, so it never drifts).

Update only after reading snapshot_report.html: pytest tests/incidents/test_incidents_snapshot.py --snapshot-update
"""

from __future__ import annotations

import pytest

from tests.incidents.helpers import item, other_agency, package_from
from tests.pilot import settle
from trpkit.db.database import Database
from trpkit.tui.app import TrpkitApp

pytestmark = pytest.mark.snapshot


@pytest.fixture(autouse=True)
def _no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    from textual.widgets import Input

    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None, raising=False)


def test_incidents_screen(snap_compare, vault_db: Database) -> None:  # type: ignore[no-untyped-def]
    from trpkit.services import coalition
    from trpkit.services.incident_sharing import import_package_bytes
    from trpkit.services.users import actor_for, create_user

    with vault_db.session() as s:
        create_user(s, "ana", role="supervisor")
        ana = actor_for(s, "ana")
        pair = other_agency()
        coalition.add_agency(s, ana, pair.public_key_file_text())
        items = [
            item(),
            item(uid="b2c3d4e5f6071829", title="Greenhouse workers moved between farms", place="ER-3570",
                 sector="agriculture", people="10-24", framing="smuggling", framing_history=["trafficking"],
                 facts=["debt", "documents_held"], when_text="October 2025", when_latest="2025-10-31",
                 asks=["legal_support"]),
        ]  # fmt: skip
        assert import_package_bytes(s, ana, package_from(pair, items)).imported

    async def open_screen(pilot) -> None:  # type: ignore[no-untyped-def]
        from trpkit.tui.screens.incidents import IncidentsScreen

        await settle(pilot.app, pilot)
        pilot.app.push_screen(IncidentsScreen())
        await settle(pilot.app, pilot)

    app = TrpkitApp(database=vault_db, actor=ana)
    assert snap_compare(app, terminal_size=(140, 40), run_before=open_screen)
