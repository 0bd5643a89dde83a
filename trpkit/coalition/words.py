"""A group's value in plain words, for people reading a report (the CLI's text, the Word report, the app).

Records and JSON keep their codes (``initial_trp``, ``vtip-2025``); what a person reads says "initial
TRP" and the policy period's years and title. A merged group's label ("subsequent_trp (with
initial_trp)") has each code inside it put into words as well.
"""

from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=2)
def _period_words(short: bool) -> dict[str, str]:
    from trpkit.loading.errors import DataFileError
    from trpkit.loading.ircc_periods import policy_data

    try:
        periods = policy_data().periods
    except (OSError, DataFileError):  # the report still reads, with the period ids
        return {}
    words = {}
    for p in periods:
        end = p.effective_to.year if p.effective_to else "now"
        years = str(end) if end == p.effective_from.year else f"{p.effective_from.year}–{end}"
        words[p.id] = f"rules of {years}" if short else f"{years}: {p.title}"
    return words


def _known(dimension: str, short: bool) -> dict[str, str]:
    if dimension == "application_type":
        from trpkit.domain.applications import SHORT_LABELS

        return SHORT_LABELS
    if dimension == "policy_period":
        return _period_words(short)
    return {}


def group_words(dimension: str, value: str, *, short: bool = False) -> str:
    """``value`` of ``dimension`` as a person reads it; codes with underscores lose them. ``short``: a
    policy period as its years only (a chart's axis), not with its title."""
    known = _known(dimension, short)
    if value in known:
        return known[value]
    if known:
        pattern = "|".join(re.escape(code) for code in sorted(known, key=len, reverse=True))
        value = re.sub(rf"(?<![\w-])({pattern})(?![\w-])", lambda m: known[m.group(1)], value)
    return value.replace("_", " ")
