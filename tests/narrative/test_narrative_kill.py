"""Kill the editor mid-edit (SIGKILL, as when a laptop dies) and show the last autosave survived."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import TEST_PASSPHRASE

CHILD = textwrap.dedent("""
    import asyncio, os, sys
    from pathlib import Path
    from trpkit.db.database import open_target
    from trpkit.db.engine import Target
    from trpkit.services.users import actor_for
    from trpkit.tui.app import TrpkitApp
    from trpkit.tui.tabs import narrative as tab_module
    from textual.widgets import DataTable, TextArea

    tab_module.AUTOSAVE_SECONDS = 0.2
    db = open_target(Target(vault_path=Path(sys.argv[1])), passphrase=os.environ["TRPKIT_PASSPHRASE"])
    with db.session() as s:
        actor = actor_for(s, "ana")

    async def main():
        app = TrpkitApp(database=db, actor=actor)
        async with app.run_test(size=(160, 50)) as pilot:
            await app.open_case(sys.argv[2], tab="narrative")
            for _ in range(5):
                await pilot.pause()
                await app.workers.wait_for_complete()
            tab = app.screen.query_one(tab_module.NarrativeTab)
            tab.query_one("#entries", DataTable).focus()
            await pilot.press("ctrl+n")
            await pilot.pause()
            await pilot.press(*"Me quitaron el pasaporte")
            while not tab.drafts or tab.drafts[-1].text != "Me quitaron el pasaporte":  # wait for its autosave
                await pilot.pause(0.05)
            print("AUTOSAVED", tab.drafts[-1].text, flush=True)
            print("TYPING", flush=True)
            while True:  # keep typing until killed
                await pilot.press(*" y nunca me lo devolvieron")

    asyncio.run(main())
""")


@pytest.mark.slow
def test_sigkill_mid_edit_keeps_the_last_autosave(vault_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from trpkit.services import narrative_drafts, narrative_meetings
    from trpkit.services.audit import verify
    from trpkit.services.cases import create_case
    from trpkit.services.consent import record_consent
    from trpkit.services.users import actor_for, create_user

    with vault_db.session() as s:
        create_user(s, "ana", role="supervisor")
        actor = actor_for(s, "ana")
        code = create_case(s, actor, person={"legal_name": "Test Fictional"}).code
        record_consent(s, actor, code, purpose="prepare_file", decision="given", method="written")
        meeting = narrative_meetings.add_meeting(s, actor, code, held_on=date(2025, 6, 15), language="es")
    vault_db.engine.dispose()
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    env = {**os.environ, "TRPKIT_PASSPHRASE": TEST_PASSPHRASE, "PYTHONPATH": str(Path.cwd())}
    child = subprocess.Popen(
        [sys.executable, str(script), str(vault_db.target.vault_path), code],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    autosaved = ""
    try:
        assert child.stdout is not None
        deadline = time.monotonic() + 120
        for line in child.stdout:
            if line.startswith("AUTOSAVED"):
                autosaved = line.removeprefix("AUTOSAVED ").rstrip("\n")
            if line.startswith("TYPING"):
                time.sleep(0.5)  # mid-edit: more text typed, maybe not all autosaved yet
                break
            assert time.monotonic() < deadline, "the child editor never autosaved"
        else:
            pytest.fail(f"child ended early: {child.stderr.read() if child.stderr else ''}")
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    assert autosaved == "Me quitaron el pasaporte"
    with vault_db.session() as s:
        drafts = narrative_drafts.list_drafts(s, actor, code)
        assert len(drafts) == 1 and drafts[0].meeting_id == meeting.id and drafts[0].entry_id is None
        assert drafts[0].text.startswith(autosaved)  # the last autosave (or a later one) survived
        assert verify(s).ok  # nothing half-written in the audit chain
