"""Demo incidents: a few of this demo agency's own, and a few received in a signed package from a fictional
member agency, so the bulletin, the Incidents screen and 'trpkit incident list' have something to show.

Every incident is invented. Uses its own seeded random source, so adding it changes no other demo data.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from trpkit.domain.incidents import Source
from trpkit.services.actor import Actor

SEED = 15

OWN: tuple[dict[str, Any], ...] = (
    {
        "title": "Arrests first reported as a trafficking ring, then as smuggling",
        "place": "Hamilton--Niagara Peninsula",
        "sector": "forced_criminality",
        "people": "25-99",
        "framing": "trafficking",
        "reframed": "smuggling",
        "facts": ("debt", "coerced_crime", "deceptive_recruitment"),
        "known": "News reports say people were promised jobs, arrived owing large debts, and some were pushed "
        "into thefts. Several detainees are from one ethnic minority whose refugee claims are often doubted.",
        "unknown": "How large the debts were; whether anyone asked about them; whether indicators were explored.",
        "questions": "Were the thefts a way of paying off the debts? Who decided to call it smuggling, and why?",
        "asks": ("call_for_information", "legal_support", "interpreters"),
        "source": Source("public_link", "https://news.example/ring-story", True),
        "days_ago": 9,
    },
    {
        "title": "Greenhouse workers moved between farms by a labour contractor",
        "place": "Windsor--Sarnia",
        "sector": "agriculture",
        "people": "10-24",
        "framing": "labour_dispute",
        "facts": ("documents_held", "work_controlled", "movement_controlled"),
        "known": "Workers on employer-specific permits were placed at a farm not named on their contracts; "
        "the contractor keeps their passports.",
        "unknown": "Whether the employer on the permits knows.",
        "questions": "Is the contract violation being used to control them?",
        "asks": ("call_for_information", "shelter_capacity"),
        "source": Source("own_accompaniment", "", False),
        "days_ago": 20,
    },
    {
        "title": "Renewals refused once the criminal case closed",
        "place": "Lower Mainland--Southwest",
        "sector": "unknown",
        "people": "5-9",
        "framing": "not_framed",
        "facts": (),
        "known": "Member agencies report refusals of subsequent permits citing the end of a prosecution.",
        "unknown": "Whether this is one office or several.",
        "questions": "Is cooperation with police becoming a condition in practice?",
        "asks": ("legal_support",),
        "source": Source("another_agency", "", False),
        "days_ago": 41,
    },
)

RECEIVED: tuple[dict[str, Any], ...] = (
    {
        "title": "Restaurant workers housed above the workplace, wages withheld",
        "place": "ER-2440",
        "sector": "hospitality",
        "people": "5-9",
        "framing": "labour_dispute",
        "facts": ["work_controlled", "debt"],
        "known": "Housing costs are deducted from wages that are never paid in full.",
        "asks": ["interpreters"],
        "days_ago": 5,
    },
    {
        "title": "Detentions after an immigration inspection at a cleaning company",
        "place": "ER-4830",
        "sector": "other",
        "people": "10-24",
        "framing": "immigration_enforcement",
        "facts": [],
        "known": "Workers were detained for working without authorisation; removal is being considered.",
        "asks": ["call_for_information", "legal_support"],
        "days_ago": 14,
    },
)


def _own(session: Session, actor: Actor, today: date) -> None:
    from trpkit.services.incidents import IncidentInput, edit_incident, new_incident, set_followed

    for spec in OWN:
        day = today - timedelta(days=spec["days_ago"])
        view = new_incident(
            session,
            actor,
            IncidentInput(
                title=spec["title"],
                when=day.strftime("%B %Y"),
                place=spec["place"],
                sector=spec["sector"],
                people=spec["people"],
                framing=spec["framing"],
                facts=spec["facts"],
                known=spec["known"],
                unknown=spec["unknown"],
                questions=spec["questions"],
                sources=(spec["source"],),
                asks=spec["asks"],
            ),
        )
        if spec.get("reframed"):  # the headline changed an hour later
            edit_incident(session, actor, view.ref, IncidentInput(framing=spec["reframed"]))
    unreadable = new_incident(
        session,
        actor,
        IncidentInput(
            title="Recruiter offering caregiver jobs with a fee",
            when="the week after the long weekend",  # kept as written: shows the correction prompt
            place="Ottawa",
            sector="domestic_work",
            people="unknown",
            known="A recruiter advertises caregiver jobs and asks for a placement fee.",
            asks=("call_for_information",),
        ),
    )
    set_followed(session, actor, unreadable.ref)


def _received(session: Session, actor: Actor, today: date, rng: random.Random) -> None:
    from trpkit.coalition import incident_package as ipkg
    from trpkit.coalition.package import generate_keypair
    from trpkit.services import coalition
    from trpkit.services.incident_sharing import import_package_bytes

    pair = generate_keypair("refuge-nord-demo")
    coalition.add_agency(session, actor, pair.public_key_file_text())
    items = []
    for spec in RECEIVED:
        day = today - timedelta(days=spec["days_ago"])
        first = day.replace(day=1)
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        item = {k: v for k, v in spec.items() if k != "days_ago"}
        item.update(
            uid=f"{rng.getrandbits(128):032x}",
            sequence=1,
            withdrawn=False,
            when_text=day.strftime("%B %Y"),
            when_parsed=True,
            when_earliest=first.isoformat(),
            when_latest=last.isoformat(),
            sources=[{"kind": "own_accompaniment", "detail": "", "public": False}],
        )
        items.append(item)
    data = ipkg.build(
        items, {"agency": pair.agency, "created_at": f"{today.isoformat()}T09:00:00"}, pair.private_pem
    )
    import_package_bytes(session, actor, data, source="refuge-nord-demo.trpinc")


def generate(session: Session, actor: Actor, cases: Sequence[Any], rng: random.Random, today: date) -> None:
    """Own and received demo incidents (a supervisor's demo vault: the one that holds the agency key)."""
    from trpkit.domain.vocab import Role

    if actor.role is not Role.SUPERVISOR:
        return
    own_rng = random.Random(SEED)  # not the shared source: the other demo data stay as they were
    _own(session, actor, today)
    _received(session, actor, today, own_rng)
