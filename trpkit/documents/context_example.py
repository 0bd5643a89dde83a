"""A complete fictional DraftData, and from it every variable path the drafting context provides."""

from __future__ import annotations

from datetime import date

from trpkit.documents.context import (
    AssessmentData,
    ChronologyItem,
    DraftData,
    ExhibitData,
    GroupData,
    IndicatorData,
    Organisation,
    PermitData,
    PersonData,
    PolicyFacts,
    QuoteItem,
    SummaryItem,
    build_context,
)
from trpkit.documents.context_case import NEEDS, SECTIONS
from trpkit.domain.readiness import TIES


def example_data(template: str = "trp-initial", language: str = "en") -> DraftData:
    """A complete fictional DraftData (one item in every list): used to list the variables trpkit provides."""
    from trpkit.domain.fuzzy_dates import parse_fuzzy

    spring = parse_fuzzy("around spring 2019")
    indicator = IndicatorData(
        "AL-5.01", "Confiscation of documents", "strong", "present", (1,), ("The passport was kept",), (2,)
    )
    return DraftData(
        template=template,
        language=language,
        draft_date=date(2026, 3, 3),
        case_code="TRP-2026-0001",
        person=PersonData(
            "Example Person",
            "",
            (),
            "1990",
            "MX",
            "0000-0000",
            ({"name": "Child", "relationship": "son"},),
            "woman",
        ),
        organisation=Organisation("Organisation", ("Street",), "000", "Representative", "Accompanier"),
        policy=PolicyFacts("p", "policy", date(2025, 2, 4), 365, "minimum", True, ("IRPA s. 24",)),
        office_lines=("IRCC",),
        previous_permit=PermitData("T1", date(2025, 1, 1), date(2025, 12, 31), 365),
        criminal_case_status="concluded",
        cooperation="testified",
        chronology=(ChronologyItem(spring, "event"),),
        own_words=(QuoteItem("words", spring, "translation", "t", 1, "es"),),
        summaries=(SummaryItem(2, "summary"),),
        quote_allowed=True,
        assessment=AssessmentData(
            "list",
            True,
            "explanation",
            True,
            "detail",
            "note",
            (GroupData("criterion", True, "", (indicator,)),),
            (GroupData("dimension", True, "2 strong", (indicator,), "d", (2, 0, 0), "destination"),),
            "translation note",
        ),
        exhibits=(ExhibitData(1, "exhibit", spring, "source", ("AL-5.01",)),),
        notes=dict.fromkeys((*SECTIONS, *(f"needs_{key}" for key in NEEDS), *TIES), "text"),
        health_coverage="none",
    )


def provided_paths() -> set[str]:
    """Every variable path trpkit's drafting context provides (the template linter checks against it)."""
    from trpkit.documents.template_variables import context_paths

    every, _leaves = context_paths(build_context(example_data()))
    return every
