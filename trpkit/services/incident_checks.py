"""The checks every incident export runs: nothing that names or points to a person, no count too small.

A text is refused when it holds a name, alias, UCI, phone number or case code stored in this vault (read
from the vault itself, every case, whoever is exporting) or a common pattern (phone numbers, emails); an
incident is refused when its people count is below the coalition policy's minimum, or not known, unless
the coordinator's policy allows it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from trpkit.db.models import Case, Person
from trpkit.domain.incidents import (
    Finding,
    Identifier,
    Incident,
    band_below_minimum,
    band_unknown,
    build_index,
    find_identifying,
    text_fields,
)
from trpkit.loading.incident_vocab import vocabulary

_PHONE_IN_CONTACT = re.compile(r"\+?\d[\d\s().\-/]{5,}\d")


@dataclass(frozen=True)
class Problem:
    """One reason an export is refused. ``line`` (shown to the person) may quote the words found;
    ``ref``, ``field`` and ``kind`` never do, so only they go to the audit log."""

    ref: str
    field: str  # as a person reads it ("what is known", "source 2", "how many people")
    kind: str  # "name", "part of an alias", "phone number", "too few people", ...
    line: str


@dataclass(frozen=True)
class IncidentPolicy:
    min_people: int
    allow_below_minimum: bool
    source: str


def incident_policy(path: Path | str | None = None) -> IncidentPolicy:
    """The coalition policy's minimum (its k, or [incidents] min_people) and whether smaller is allowed."""
    from trpkit.loading.coalition_policy import default_policy_path, load_policy
    from trpkit.loading.source import read_toml

    policy = load_policy(path)
    source = read_toml(Path(path or default_policy_path()))  # already read once: cannot fail here
    section: Any = source.data.get("incidents", {})
    if not isinstance(section, dict):
        raise source.error(("incidents",), "[incidents] must be a table")
    minimum = section.get("min_people", policy.k)
    allow = section.get("allow_below_minimum", False)
    if not isinstance(minimum, int) or isinstance(minimum, bool) or minimum < 1:
        raise source.error(
            ("incidents", "min_people"), "must be a whole number of at least 1", "field 'min_people'"
        )
    if not isinstance(allow, bool):
        raise source.error(
            ("incidents", "allow_below_minimum"), "must be true or false", "field 'allow_below_minimum'"
        )
    return IncidentPolicy(minimum, allow, str(source.path))


def vault_identifiers(session: Session) -> list[Identifier]:
    """Everything in the vault that names or points to a person: read from every case, not the actor's."""
    found: list[Identifier] = []
    rows = session.execute(
        select(
            Case.code,
            Person.legal_name,
            Person.preferred_name,
            Person.aliases,
            Person.uci,
            Person.contact,
            Person.dependants_in_canada,
        ).join(Person, Person.case_id == Case.id, isouter=True)
    )
    for code, legal, preferred, aliases, uci, contact, dependants in rows:
        found.append(Identifier("case code", code))
        found.extend(Identifier("name", n) for n in (legal, preferred) if n)
        found.extend(Identifier("alias", str(a)) for a in aliases or () if a)
        if uci:
            found.append(Identifier("UCI", uci))
        if contact:
            # Each number in the contact field separately (joining them would match nothing written).
            found.extend(Identifier("phone number", m.group()) for m in _PHONE_IN_CONTACT.finditer(contact))
            found.extend(Identifier("contact detail", w.strip(",;")) for w in contact.split() if "@" in w)
        for dependant in dependants or ():
            if isinstance(dependant, dict) and dependant.get("name"):
                found.append(Identifier("name", str(dependant["name"])))
    return found


def review_incidents(
    session: Session, incidents: Iterable[Incident], policy: IncidentPolicy
) -> list[Problem]:
    """Every reason these incidents may not leave: identifying text, or a people count too small."""
    vocab = vocabulary()
    from trpkit.loading.incident_vocab import common_words

    index = build_index(vault_identifiers(session), common=common_words())
    problems: list[Problem] = []
    for incident in incidents:
        if incident.withdrawn:
            continue
        ref = incident.uid[:8]
        findings: list[Finding] = find_identifying(text_fields(incident), index)
        problems.extend(Problem(ref, f.field, f.kind, f"{ref} {f.message()}") for f in findings)
        if policy.allow_below_minimum:
            continue
        if band_unknown(incident.people, vocab):
            problems.append(
                Problem(
                    ref,
                    "how many people",
                    "count not known",
                    f"{ref} how many people: not known, and the coalition shares only incidents about at "
                    f"least {policy.min_people} people ({policy.source}) — it could be one person. Edit the "
                    f"incident to give the band you can vouch for ({policy.min_people} or more), or ask the "
                    "coordinator whether the policy allows it ([incidents] allow_below_minimum = true)",
                )
            )
        elif band_below_minimum(incident.people, policy.min_people, vocab):
            problems.append(
                Problem(
                    ref,
                    "how many people",
                    "too few people",
                    f"{ref} how many people: '{vocab.label('band', incident.people)}' is fewer than "
                    f"the coalition's minimum of {policy.min_people} ({policy.source}); an incident about "
                    "so few people could point to them",
                )
            )
    return problems


def check_incidents(session: Session, incidents: Iterable[Incident], policy: IncidentPolicy) -> list[str]:
    """One line per problem: '<ref> <field>: '<words>' looks like a name', or a people count too small."""
    return [p.line for p in review_incidents(session, incidents, policy)]
