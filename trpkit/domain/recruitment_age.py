"""Age at recruitment, and the Delphi list (adult or child) it selects."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def age_at(
    birth: tuple[date | None, date | None], when: tuple[date | None, date | None]
) -> tuple[int, int] | None:
    """(youngest, oldest) age the person can have been on ``when`` given fuzzy dates, or None."""
    born_early, born_late = birth
    ref_early, ref_late = when
    if (born_early is None and born_late is None) or (ref_early is None and ref_late is None):
        return None
    born_early = born_early or born_late
    born_late = born_late or born_early
    ref_early = ref_early or ref_late
    ref_late = ref_late or ref_early
    assert born_early and born_late and ref_early and ref_late
    return _age(born_late, ref_early), _age(born_early, ref_late)


@dataclass(frozen=True)
class AgeAtRecruitment:
    """Whether the person was a child when recruited and an adult now (for the letter to explain)."""

    child_at_recruitment: bool | None  # None: the dates leave it uncertain
    adult_now: bool | None
    age_text: str  # "16" or "15 to 16", "" when unknown
    reference: str  # what "recruitment" was dated from

    @property
    def child_then_adult(self) -> bool:
        return bool(self.child_at_recruitment) and bool(self.adult_now)


def age_at_recruitment(
    birth: tuple[date | None, date | None],
    recruitment: tuple[date | None, date | None],
    reference: str,
    today: date,
) -> AgeAtRecruitment:
    then = age_at(birth, recruitment)
    now = age_at(birth, (today, today))

    def under(ages: tuple[int, int] | None) -> bool | None:
        if ages is None:
            return None
        return True if ages[1] < 18 else False if ages[0] >= 18 else None

    text = "" if then is None else str(then[0]) if then[0] == then[1] else f"{then[0]} to {then[1]}"
    adult = under(now)
    return AgeAtRecruitment(under(then), None if adult is None else not adult, text, reference)


def choose_framework(
    sector: str,
    birth: tuple[date | None, date | None],
    reference: tuple[date | None, date | None],
    reference_what: str,
    override: str | None = None,
) -> tuple[str, str]:
    """Which Delphi list applies: from the person's age when the exploitation began and the sector.

    Returns (framework id, plain reason). When the age at the time is uncertain and could have been
    under 18, the child list is used (trpkit's choice: the child rule needs no means, and a wrong
    adult classification would hide that); the accompanier can set the list by hand.
    """
    exploitation = "sexual" if sector == "sex_trade" else "labour"
    if override:
        return override, "chosen by hand for this case"
    why_sector = (
        "sector: sex trade"
        if exploitation == "sexual"
        else f"sector: {sector.replace('_', ' ')}"
        if sector and sector != "unknown"
        else "sector unknown, labour list used"
    )
    born_early, born_late = birth
    ref_early, ref_late = reference
    if born_early is None and born_late is None:
        return f"delphi-adult-{exploitation}", (
            f"date of birth unknown, adult list used ({why_sector}); "
            "set the list by hand if the person was a child"
        )
    if ref_early is None:
        return f"delphi-adult-{exploitation}", f"no date for the exploitation, adult list used ({why_sector})"
    born_early = born_early or born_late
    born_late = born_late or born_early
    ref_late = ref_late or ref_early
    assert born_early and born_late and ref_early and ref_late
    youngest = _age(born_late, ref_early)
    oldest = _age(born_early, ref_late)
    if oldest < 18:
        return f"delphi-child-{exploitation}", f"under 18 at {reference_what} ({why_sector})"
    if youngest < 18:
        return f"delphi-child-{exploitation}", (
            f"possibly under 18 at {reference_what} (age {youngest} to {oldest}); "
            f"child list used while the age is uncertain ({why_sector})"
        )
    return f"delphi-adult-{exploitation}", f"18 or older at {reference_what} ({why_sector})"
