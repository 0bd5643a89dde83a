"""Fictional dependants in Canada for about a quarter of the demo cases.

Children, a partner, now and then a parent, a cousin or a ward; some to be included in the TRP application,
some not (a child born in Canada is a citizen and needs no permit). Names reuse the demo person's
invented surname, so nobody real can be meant; given names are never the person's own, and ages fit the
relationship (a child born when the person was at least 17, a parent at least 17 years older).
"""

from __future__ import annotations

import random
from datetime import date

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from trpkit.db.models import Person
from trpkit.demo import DemoCase
from trpkit.demo.cases import PROFILES
from trpkit.demo.rows import table_of
from trpkit.domain.dependant_birth_dates import parse_birth_date
from trpkit.domain.dependant_relationships import Relationship
from trpkit.domain.dependants import NEXT_ID_KEY, Dependant
from trpkit.services.actor import Actor

SHARE = 0.25
GIVEN = {nationality: givens for nationality, _langs, givens, _surnames, _sectors in PROFILES}
STATUSES = ["no status", "visitor (expired)", "out of status", "study permit (expired)", "refugee claimant"]
NOTES = [
    "",
    "",
    "",
    "Goes to school nearby; the school knows nothing of the case.",
    "Lives with the person at the shelter.",
    "Passport kept by the former employer.",
    "Needs a separate interpreter appointment.",
]


def _child(
    rng: random.Random, today: date, given: list[str], surname: str, number: int, person_age: int
) -> Dependant:
    age = rng.randint(0, max(0, min(16, person_age - 17)))  # born when the person was at least 17
    birth_words = rng.choice(
        [
            str(today.year - age),
            f"aged {age}",
            f"around {today.year - age}",
            f"{today.year - age}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        ]
    )
    born_here = rng.random() < 0.25
    return Dependant(
        id=number,
        name=f"{rng.choice(given)} {surname}",
        relationship=Relationship.CHILD,
        described_as=rng.choice(["", "", "stepchild"]),
        birth=parse_birth_date(birth_words, today),
        status_in_canada="Canadian citizen (born in Canada)" if born_here else rng.choice(STATUSES),
        include_in_application=not born_here,
        notes=rng.choice(NOTES),
    )


def _adult(
    rng: random.Random, today: date, given: list[str], surname: str, number: int, person_age: int
) -> Dependant:
    kind = rng.choices([Relationship.SPOUSE, Relationship.PARENT, Relationship.OTHER], weights=[6, 2, 1])[0]
    # Given names carry no gender here, so the descriptions stay neutral ("partner", not "wife").
    described = {
        Relationship.SPOUSE: rng.choice(["", "common-law partner"]),
        Relationship.OTHER: rng.choice(["cousin", "partner's child", "ward (legal guardianship)"]),
    }.get(kind, "")
    # ages that fit the relationship: a parent at least 17 years older, a partner or cousin of about
    # the person's age (an adult), a partner's child or a ward a minor
    if kind is Relationship.PARENT:
        low, high = person_age + 17, min(95, person_age + 40)
    elif described.startswith(("partner's", "ward")):
        low, high = 3, 17
    else:
        low, high = max(18, person_age - 8), max(18, person_age + 8)
    age = rng.randint(low, max(low, high))
    words = rng.choice([str(today.year - age), f"around {today.year - age}", ""])
    return Dependant(
        id=number,
        name=f"{rng.choice(given)} {surname}",
        relationship=kind,
        described_as=described,
        birth=parse_birth_date(words, today),
        status_in_canada=rng.choice(STATUSES),
        include_in_application=rng.random() < 0.8,
        notes=rng.choice(NOTES),
    )


def _age(born: date | None, today: date) -> int:
    """The person's age in whole years (30 when the birth date is unknown)."""
    if born is None:
        return 30
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def generate(
    session: Session, actor: Actor, cases: list[DemoCase], shared: random.Random, today: date
) -> None:
    # A source of our own, seeded from the shared one without drawing from it: the generators after this
    # one make exactly the data they made before dependants existed. Seeded from the state's integers
    # only: the whole state ends in None, whose hash is its address on Python 3.11, so hashing it gave
    # different dependants on every run of the same seed.
    rng = random.Random(hash(shared.getstate()[1]))
    chosen = {c.id: c for c in cases if rng.random() < SHARE}
    if not chosen:
        return
    ids = sorted(chosen)
    persons: list[tuple[int, int, str]] = []
    born: dict[int, date | None] = {}
    for start in range(0, len(ids), 5000):
        for person_id, case_id, legal_name, earliest, latest in session.execute(
            select(
                Person.id,
                Person.case_id,
                Person.legal_name,
                Person.birth_date_earliest,
                Person.birth_date_latest,
            ).where(Person.case_id.in_(ids[start : start + 5000]))
        ):
            persons.append((person_id, case_id, legal_name))
            born[case_id] = earliest + (latest - earliest) / 2 if earliest and latest else earliest or latest
    rows = []
    for person_id, case_id, legal_name in sorted(persons, key=lambda p: p[1]):
        words = legal_name.split()
        surname = words[-1] if words else "Inventado"
        # the family's given names, never the person's own: nobody in the file shares the person's name
        given = [g for g in GIVEN.get(chosen[case_id].nationality) or [] if g not in words] or ["Alex", "Sam"]
        person_age = _age(born[case_id], today)
        count = rng.choices([1, 2], weights=[3, 2])[0]
        dependants = []
        if rng.random() < 0.7:
            dependants.append(_child(rng, today, given, surname, 1, person_age))
        while len(dependants) < count:
            maker = _child if dependants and rng.random() < 0.5 else _adult
            made = maker(rng, today, given, surname, len(dependants) + 1, person_age)
            if made.name != legal_name and all(made.name != d.name for d in dependants):
                dependants.append(made)
        rows.append(
            {
                "person_id": person_id,
                "deps": [d.to_stored() for d in dependants],
                "extra_value": {NEXT_ID_KEY: len(dependants) + 1},
            }
        )
    # One executemany UPDATE (Core: no per-row version bump; the demo rows are all at version 1).
    table = table_of(Person)
    session.execute(
        update(table)
        .where(table.c.id == bindparam("person_id"))
        .values(dependants_in_canada=bindparam("deps"), extra=bindparam("extra_value")),
        rows,
    )
