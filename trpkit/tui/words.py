"""Small wording helpers shared by screens."""

from __future__ import annotations


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """ "1 case file", "2 case files", "1 entry", "3 entries" (give the plural when it is not +s)."""
    return f"{count} {singular if count == 1 else plural_form or singular + 's'}"


def rules_in_force(period_id: str) -> str:
    """A policy period said without its internal id: "IRCC rules in force since 2025-02-04"."""
    from trpkit.domain.policy import policy_data

    try:
        period = policy_data().by_id(period_id)
    except (KeyError, LookupError, ValueError):
        return "IRCC rules of the time"
    return f"IRCC rules in force since {period.effective_from:%Y-%m-%d}"
