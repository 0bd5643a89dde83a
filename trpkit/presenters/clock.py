"""The permit-holder clock in words: `trpkit clock show` and the Applications tab say the same."""

from __future__ import annotations

from trpkit.domain.clocks import ContinuityClock
from trpkit.services.clock_facts import AbsenceView, GroundView
from trpkit.services.clock_view import ContinuityView

# What each ground means for the clock when counted "as if" (nothing saved).
GROUND_WORDS = {
    "health": "health grounds only (3 years)",
    "other": "other grounds (5 years)",
    "unknown": "ground not known (5 years)",
}
EFFECT_WORDS = {
    "break": "broke continuity",
    "counted_with_warning": "counted; may not count",
    "before_run": "before the current run",
    "after_mark": "after the mark",
    "while_stopped": "clock already stopped",
}
ABSENCE_HEADERS = ("Absence", "Left", "Returned", "Days abroad", "Authorized", "Effect", "Note")
STOPPED = "Clock stopped: no unbroken run of TRPs today."
RULES_HEADING = (
    "Rules used (confirmed: read in the regulation or IRCC's instructions; "
    "unconfirmed: trpkit's interpretation, check it):"
)


def heading(view: ContinuityView, say_day: bool = False) -> str:
    """``say_day``: name the day counted to (when it is not today, e.g. ``--today``)."""
    day = f", as of {view.today}" if say_day else ""
    return f"Permit holder clock of {view.case_code} ({view.clock.required_years} years){day}"


def ground_line(ground: GroundView) -> str:
    if not (ground.version and ground.recorded_at):
        return f"Ground: {ground.label}"
    note = f" ({ground.note})" if ground.note else ""
    return f"Ground: {ground.label}, recorded by {ground.recorded_by} on {ground.recorded_at:%Y-%m-%d}{note}"


def _state_lines(view: ContinuityView) -> list[str]:
    c = view.clock
    if c.continuous_since is not None:
        lines = [
            f"Continuous since {c.continuous_since}: {c.accrued_days} days, covered until {c.covered_until}."
        ]
        if c.eligible_on:
            abroad = (
                f" ({c.eligible_on_without_abroad} if time abroad does not count)"
                if c.eligible_on_without_abroad
                else ""
            )
            lines.append(f"{c.required_years} years reached on {c.eligible_on}{abroad}.")
        return lines
    return [STOPPED] if view.permits else ["No TRP granted yet."]


def rule_lines(clock: ContinuityClock) -> list[str]:
    """The rules the result relies on, with their wording and status from the checklists folder."""
    if not clock.rules_applied:
        return []
    from trpkit.domain.clocks import RULE_IDS
    from trpkit.loading.clock_rules import clock_rules

    rules = clock_rules(RULE_IDS)
    lines = [RULES_HEADING]
    for rule_id in clock.rules_applied:
        rule = rules[rule_id]
        sources = "".join(f" [{tag}]" for tag in rule.sources)
        lines.append(f"  [{rule.status}] {rule.text}{sources}")
    return lines


def clock_lines(view: ContinuityView, say_day: bool = False) -> list[str]:
    """Everything about the clock except the absences table (see ``absence_rows``)."""
    lines = [heading(view, say_day), ground_line(view.ground)]
    if view.overridden:
        lines.append(f"Counting as if: {GROUND_WORDS[view.ground_used]} (what if; nothing saved)")
    for permit in view.permits:
        applied = f" (applied {permit.applied_on})" if permit.applied_on else ""
        lines.append(f"{permit.label}: {permit.start} to {permit.end}{applied}")
    lines += _state_lines(view)
    lines += [f"! {warning}" for warning in view.clock.warnings]
    return lines + rule_lines(view.clock)


def absence_cells(trip: AbsenceView, effect: str = "") -> tuple[str, ...]:
    return (
        f"#{trip.id}",
        str(trip.left_on),
        str(trip.returned_on or "still away"),
        str(trip.days_abroad),
        "yes" if trip.authorized else "no",
        EFFECT_WORDS.get(effect, ""),
        trip.note,
    )


def absence_rows(view: ContinuityView) -> list[tuple[str, ...]]:
    """One row per absence, with what it did to the clock."""
    effects = {(e.left_on, e.returned_on): e.effect for e in view.clock.absences}
    return [absence_cells(t, effects.get((t.left_on, t.returned_on), "")) for t in view.absences]


def absence_recorded(trip: AbsenceView) -> str:
    authorized = "authorized" if trip.authorized else "not authorized"
    return f"Absence #{trip.id} recorded ({trip.days_abroad} day(s) abroad, {authorized})."


def ground_saved(ground: GroundView) -> str:
    return f"Ground saved: {ground.label}."
