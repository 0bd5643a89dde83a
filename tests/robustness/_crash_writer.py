"""Crash-test helper (not a test): create cases in a loop, one transaction each, printing each code
only after its commit returned. Run as ``python _crash_writer.py VAULT PASSPHRASE``."""

from __future__ import annotations

import sys
from pathlib import Path

from trpkit.db.database import open_target
from trpkit.db.engine import Target
from trpkit.services.cases import create_case, update_case
from trpkit.services.consent import record_consent
from trpkit.services.users import actor_for


def main() -> None:
    database = open_target(Target(vault_path=Path(sys.argv[1])), sys.argv[2])
    with database.session() as s:
        actor = actor_for(s, None)
    i = 0
    while True:
        i += 1
        with database.session() as s:
            code = create_case(
                s, actor, person={"legal_name": f"Crash Fictional {i}", "contact": "x" * 2000}
            ).code
            record_consent(s, actor, code, purpose="prepare_file", decision="given", method="written")
            update_case(s, actor, code, status="preparing", summary="y" * 3000)
        print(code, flush=True)


if __name__ == "__main__":
    main()
