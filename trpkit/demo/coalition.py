"""Demo coalition: this demo agency's signing key and secret, plus a fictional merged store to analyse.

Three invented member agencies share fictional, k-anonymised packages (with planted patterns: cooperation with
police helps, renewals after a criminal case ends fare worse, one office grants less), so the analysis screen
('a') and 'trpkit coalition report' have something to show. No record is derived from the demo cases.
"""

from __future__ import annotations

import base64
import random
from datetime import date

from sqlalchemy.orm import Session

from trpkit.demo import DemoCase
from trpkit.services.actor import Actor

DEMO_AGENCIES = ("demo-maison", "demo-refuge", "demo-passerelle")


def generate(session: Session, actor: Actor, cases: list[DemoCase], rng: random.Random, today: date) -> None:
    from trpkit.coalition import package as pkg
    from trpkit.coalition.generalise import anonymise
    from trpkit.coalition.record import write_csv
    from trpkit.coalition.synthetic import Effects, raw_rows
    from trpkit.domain.coalition_policy import SCHEMA_VERSION
    from trpkit.domain.vocab import Role
    from trpkit.loading.coalition_policy import load_policy
    from trpkit.services import coalition

    if actor.role not in (Role.SUPERVISOR, Role.ADMIN):
        return  # only a supervisor or administrator holds the agency's coalition key
    rng = random.Random(7_000 + len(cases))  # our own stream: the other generators' demo data stay the same
    coalition.keygen(session, actor, "demo-agency", replace=True)
    coalition.set_secret(session, actor, base64.b64encode(rng.randbytes(32)).decode("ascii"))
    policy = load_policy()
    effects = Effects(base=0.9, cooperation=0.8, concluded_at_renewal=-1.3, office={"vancouver": -0.9})
    for number, agency in enumerate(DEMO_AGENCIES):
        pair = pkg.generate_keypair(agency)
        coalition.add_agency(session, actor, pair.public_key_file_text())
        rows = raw_rows(
            500 + 250 * number, seed=rng.randrange(1 << 30), effects=effects, agency=agency, today=today
        )
        result = anonymise(rows, policy)
        if not result.ok:
            continue
        manifest = {
            "schema_version": SCHEMA_VERSION,
            "agency": agency,
            "created_at": today.isoformat(),
            "k": policy.k,
            "quasi_identifiers": list(result.quasi_identifiers),
            "levels": result.levels,
            "columns": list(result.columns),
            "counts": {"exported": result.exported, "suppressed": result.suppressed},
            "withdrawals": [],
        }
        data = pkg.build(write_csv(result.records, result.columns), manifest, pair.private_pem)
        coalition.import_package_bytes(session, actor, data, source=f"{agency}.trpcoal", policy=policy)
