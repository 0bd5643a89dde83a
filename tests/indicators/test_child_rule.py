"""The child rule: exploitation without a recorded recruitment is a gap, never "not identified";
age is reckoned at recruitment, and the DTO says when a child then is an adult now."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from trpkit.db.database import Database
from trpkit.domain.assessment import assess, findings_from_present
from trpkit.domain.assessment_results import (
    NOT_IDENTIFIED,
    RECRUITMENT_UNDOCUMENTED,
    RECRUITMENT_UNDOCUMENTED_TEXT,
)
from trpkit.domain.recruitment_age import age_at, age_at_recruitment
from trpkit.loading.frameworks import load_frameworks
from trpkit.services import indicators as ind
from trpkit.services import indicators_assessment, narrative_meetings
from trpkit.services import narrative as nar
from trpkit.services import timeline as tl
from trpkit.services.actor import Actor


def test_child_with_exploitation_but_no_recruitment_is_a_gap_with_prompts() -> None:
    child = load_frameworks().get("delphi-child-labour")
    result = assess(child, findings_from_present(child, ["CL-4.01", "CL-4.02"]))
    assert result.identified is False and result.status == RECRUITMENT_UNDOCUMENTED
    assert RECRUITMENT_UNDOCUMENTED_TEXT in result.explanation
    assert "Not identified" not in result.explanation and result.trpkit_tier is None
    assert result.recruitment_gap and all(c.id.split("-")[1][0] in "123" for c in result.recruitment_gap)
    assert result.recruitment_gap[0].strength == "strong" and result.recruitment_gap[0].prompts


def test_adults_and_children_without_exploitation_stay_not_identified() -> None:
    frameworks = load_frameworks()
    adult = frameworks.get("delphi-adult-labour")
    assert assess(adult, findings_from_present(adult, ["AL-4.01", "AL-4.02"])).status == NOT_IDENTIFIED
    child = frameworks.get("delphi-child-labour")
    assert assess(child, findings_from_present(child, ["CL-5.01", "CL-5.02"])).status == NOT_IDENTIFIED
    done = assess(child, findings_from_present(child, ["CL-4.01", "CL-4.02", "CL-1.01", "CL-1.02"]))
    assert done.identified and done.status == "identified" and done.recruitment_gap == ()


def test_age_is_reckoned_at_recruitment() -> None:
    born = (date(2006, 5, 1), date(2006, 5, 1))
    then = age_at_recruitment(
        born, (date(2022, 9, 1), date(2022, 9, 30)), "the recruitment", date(2026, 12, 1)
    )
    assert then.child_at_recruitment is True and then.adult_now is True and then.child_then_adult
    assert then.age_text == "16"
    fuzzy = age_at_recruitment(
        (date(2006, 1, 1), date(2006, 12, 31)), (date(2024, 6, 1), None), "x", date(2026, 1, 1)
    )
    assert fuzzy.child_at_recruitment is None and fuzzy.age_text == "17 to 18"
    unknown = age_at_recruitment((None, None), (date(2024, 6, 1), None), "x", date(2026, 1, 1))
    assert unknown.child_at_recruitment is None and unknown.age_text == "" and not unknown.child_then_adult


@given(st.dates(date(1950, 1, 1), date(2020, 1, 1)), st.integers(0, 20000), st.integers(0, 400))
def test_age_ranges_are_ordered(born: date, after: int, spread: int) -> None:
    from datetime import timedelta

    when = born + timedelta(days=after)
    ages = age_at((born, born + timedelta(days=spread)), (when, when + timedelta(days=spread)))
    assert ages is not None and 0 <= ages[1] - ages[0] <= 3 and ages[0] >= -2


def test_service_reckons_age_at_the_recruitment_event(db: Database, actor: Actor, new_case) -> None:
    code = new_case(birth_date_text="1 May 2006")
    with db.session() as s:
        meeting = narrative_meetings.add_meeting(s, actor, code, held_on=date(2026, 3, 4))
        entry = nar.add_entry(s, actor, code, meeting.id, "I worked every day in the greenhouse.")
        tl.add_event(s, actor, code, event_type="recruitment", date_text="September 2022")
        ind.link_indicator(s, actor, code, "CL-4.01", narrative_entry_id=entry.id)
        ind.link_indicator(s, actor, code, "CL-4.02", narrative_entry_id=entry.id)
    with db.session() as s:
        result = indicators_assessment.case_assessment(s, actor, code, today=date(2026, 12, 1))
    assert result.framework == "delphi-child-labour" and "recruitment" in result.framework_reason
    assert result.status == RECRUITMENT_UNDOCUMENTED and result.recruitment_gap
    assert result.age is not None and result.age.child_then_adult and result.age.age_text == "16"
