"""Where incidents and decision statistics meet: the same province and year as a rise in refusals.

Stated as questions for advocacy, never conclusions: two things happening in one place and year say
nothing about why. Decision counts come from the coalition store's public read function and are shown
only when every count involved reaches the policy's minimum cell (small counts are never shown).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from trpkit.documents.patterns import PatternFacts, pattern_sentence
from trpkit.domain.incident_vocab import resolve_place
from trpkit.domain.incidents import IncidentView
from trpkit.errors import AccessDenied, UsageError
from trpkit.loading.incident_vocab import vocabulary
from trpkit.services.actor import Actor

MIN_RISE = 0.10  # ten percentage points: smaller moves are within the noise of a few dozen decisions


@dataclass(frozen=True)
class Pattern:
    province: str
    year: int
    refused_before: int
    decided_before: int
    refused: int
    decided: int
    incidents: tuple[str, ...]  # incident refs
    text: str  # in the bulletin's language (trpkit.documents.patterns)


def _province_of_office(office: object, cache: dict[str, str | None]) -> str | None:
    name = str(office or "").strip()
    if not name or name == "*":
        return None
    if name not in cache:
        try:
            cache[name] = resolve_place(name, vocabulary()).province
        except UsageError:
            cache[name] = None
    return cache[name]


def _decision_counts(records: Sequence[dict[str, object]]) -> dict[tuple[str, int], list[int]]:
    """(province, year) -> [refused, decided] over decided records whose office maps to a province."""
    cache: dict[str, str | None] = {}
    counts: dict[tuple[str, int], list[int]] = {}
    for record in records:
        outcome, decided = record.get("outcome"), str(record.get("decided") or "")
        if outcome not in ("granted", "refused") or not decided[:4].isdigit():
            continue
        province = _province_of_office(record.get("ircc_office"), cache)
        if province is None:
            continue
        cell = counts.setdefault((province, int(decided[:4])), [0, 0])
        cell[0] += outcome == "refused"
        cell[1] += 1
    return counts


def _years(view: IncidentView) -> set[int]:
    first, last = view.incident.when_earliest, view.incident.when_latest
    if not first or not last:
        return set()
    return set(range(int(first[:4]), int(last[:4]) + 1))


def find_patterns(
    incidents: Sequence[IncidentView],
    records: Sequence[dict[str, object]],
    min_cell: int,
    language: str = "en",
) -> list[Pattern]:
    """Pure: a pattern where refusals rose in a province from one year to the next and incidents happened
    there that year."""
    vocab = vocabulary()
    counts = _decision_counts(records)
    out: list[Pattern] = []
    for (province, year), (refused, decided) in sorted(counts.items()):
        before = counts.get((province, year - 1))
        if before is None:
            continue
        refused_before, decided_before = before
        if min(refused, decided, refused_before, decided_before) < min_cell:
            continue  # a count under the minimum cell is never shown, so no pattern is stated
        if refused / decided - refused_before / decided_before < MIN_RISE:
            continue
        there = [
            v for v in incidents if v.province == province and year in _years(v) and not v.incident.withdrawn
        ]
        if not there:
            continue
        name = vocab.places[province].text(language)
        refs = tuple(v.ref for v in there)
        titles = "; ".join(f"{v.incident.title} ({v.ref})" for v in there[:5])
        facts = PatternFacts(name, year, refused_before, decided_before, refused, decided, titles)
        text = pattern_sentence(facts, language)
        out.append(Pattern(province, year, refused_before, decided_before, refused, decided, refs, text))
    return out


def patterns_for(
    session: Session, actor: Actor, incidents: Sequence[IncidentView], language: str = "en"
) -> list[Pattern]:
    """Patterns from this database's coalition store; none for roles that may not read it."""
    from trpkit.loading.coalition_policy import load_policy
    from trpkit.services import coalition

    try:
        records = coalition.records_for_report(session, actor)
    except AccessDenied:
        return []
    if not records:
        return []
    return find_patterns(incidents, records, load_policy().report_min_cell, language)
