"""trpkit application new|list|show|advance, trpkit decision record|show|reasons, trpkit deadlines,
trpkit clock (the permit-holder clock's ground of inadmissibility and absences from Canada)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from trpkit.commands._common import AppContext, emit_json, json_option, parse_date_option, pass_app, table
from trpkit.errors import UsageError

TYPES_HELP = (
    "initial_trp, subsequent_trp, owp_trp_holder, owp_vulnerable_worker, study_permit, ifhp, "
    "pr_permit_holder, h_and_c, refugee_claim"
)


def _today(value: str | None) -> date:
    return parse_date_option(value, "--today") or date.today()


def _show_application(detail) -> None:  # type: ignore[no-untyped-def]
    click.echo(
        f"{detail.ref}  {detail.type_label}  ({detail.stage_label} since {detail.stage_since}, "
        f"version {detail.version})"
    )
    click.echo(
        f"  submitted: {detail.submitted_on or '-'}   office: {detail.ircc_office or '-'}   "
        f"file number: {detail.file_number or '-'}   policy period: {detail.policy_period or '-'}"
    )
    if detail.draft_id is not None:
        click.echo(f"  draft: #{detail.draft_id}")
    click.echo("  history:")
    for event in detail.events:
        due = f"  (due {event.due_on})" if event.due_on else ""
        note = f"  — {event.note}" if event.note else ""
        click.echo(f"    {event.occurred_on}  {event.stage}{due}{note}")
    if detail.decision:
        _show_decision(detail.decision, indent="  ")


def _show_decision(d, indent: str = "") -> None:  # type: ignore[no-untyped-def]
    click.echo(
        f"{indent}decision: {d.outcome_label} on {d.decided_on}"
        + (f" by {d.ircc_office}" if d.ircc_office else "")
        + (f", officer {d.officer_label}" if d.officer_label else "")
    )
    if d.validity_end:
        click.echo(f"{indent}  valid {d.validity_start} to {d.validity_end} ({d.duration_granted_days} days)")
    if d.conditions:
        click.echo(f"{indent}  conditions: {d.conditions}")
    for code, label in zip(d.refusal_reasons, d.refusal_reason_labels, strict=False):
        click.echo(f"{indent}  reason: {code} — {label}")
    if d.reasons_text:
        click.echo(f"{indent}  reasons given: {d.reasons_text}")
    snap = d.snapshot
    if snap:
        delphi = snap.get("delphi") or {}
        click.echo(
            f"{indent}  at decision: police {snap.get('law_enforcement_cooperation')}, criminal case "
            f"{snap.get('criminal_case_status')}, sector {snap.get('exploitation_sector')}, exhibits "
            f"{snap.get('exhibits') if snap.get('exhibits') is not None else '?'}, Delphi "
            f"{'identified' if delphi.get('identified') else 'not identified' if delphi.get('identified') is False else '?'}"
            f", period {snap.get('policy_period') or '-'}"
        )


# --- application ---------------------------------------------------------------------------------------------


@click.group("application")
def application_group() -> None:
    """Applications to IRCC (TRP, work and study permits, IFHP, PR…) and their stages."""


@application_group.command("new")
@click.argument("code")
@click.option("--type", "kind", required=True, help=TYPES_HELP)
@click.option("--office", default="", help="IRCC office handling it.")
@click.option("--file-number", default="", help="IRCC file or application number.")
@click.option("--draft-id", type=int, help="The submission draft used (see 'trpkit drafts CASE').")
@click.option("--started", help="Date the draft was started (YYYY-MM-DD; default today).")
@click.option("--submitted", help="Already submitted on this date (YYYY-MM-DD).")
@click.option("--notes", default="", help="Notes (no names of third parties).")
@json_option
@pass_app
def application_new(
    app: AppContext,
    code: str,
    kind: str,
    office: str,
    file_number: str,
    draft_id: int | None,
    started: str | None,
    submitted: str | None,
    notes: str,
    as_json: bool,
) -> None:
    """Open an application for case CODE. Prints its reference (CASE/A<n>)."""
    from trpkit.services.applications import create_application

    with app.session() as session:
        detail = create_application(
            session,
            app.actor(session),
            code,
            type=kind,
            ircc_office=office,
            file_number=file_number,
            draft_id=draft_id,
            notes=notes,
            started_on=parse_date_option(started, "--started"),
            submitted_on=parse_date_option(submitted, "--submitted"),
        )
    if as_json:
        emit_json(
            {
                "ref": detail.ref,
                "stage": detail.stage,
                "policy_period": detail.policy_period,
                "version": detail.version,
            }
        )
    else:
        click.echo(detail.ref)


@application_group.command("list")
@click.argument("code", required=False)
@click.option(
    "--stage", help="draft, submitted, acknowledged, interview_scheduled, info_requested, decided, withdrawn."
)
@click.option("--type", "kind", help=TYPES_HELP)
@json_option
@pass_app
def application_list(
    app: AppContext, code: str | None, stage: str | None, kind: str | None, as_json: bool
) -> None:
    """List applications (of case CODE, or of every case you can open)."""
    from trpkit.services.applications import list_applications

    with app.session() as session:
        rows = list_applications(session, app.actor(session), code=code, stage=stage, type=kind)
    if as_json:
        emit_json(rows)
        return
    table(
        [
            [
                r.ref,
                r.type_label,
                r.stage,
                str(r.stage_since),
                str(r.submitted_on or "-"),
                r.outcome or "-",
                str(r.validity_end or "-"),
            ]
            for r in rows
        ],
        ["application", "type", "stage", "since", "submitted", "decision", "valid to"],
    )


@application_group.command("show")
@click.argument("ref")
@json_option
@pass_app
def application_show(app: AppContext, ref: str, as_json: bool) -> None:
    """Show one application (REF = CASE/A<n>) with its history and decision."""
    from trpkit.services.applications import get_application

    with app.session() as session:
        detail = get_application(session, app.actor(session), ref)
    if as_json:
        emit_json(detail)
    else:
        _show_application(detail)


@application_group.command("advance")
@click.argument("ref")
@click.argument("stage")
@click.option("--on", "on", help="Date of this step (YYYY-MM-DD; default today).")
@click.option("--due", help="Response deadline (info_requested) or interview date (interview_scheduled).")
@click.option("--note", default="", help="Short note (no names).")
@click.option("--office", help="IRCC office (if it changed or is now known).")
@click.option("--file-number", help="IRCC file number (if now known).")
@click.option("--expected-version", type=int, help="Refuse if the application changed since this version.")
@json_option
@pass_app
def application_advance(
    app: AppContext,
    ref: str,
    stage: str,
    on: str | None,
    due: str | None,
    note: str,
    office: str | None,
    file_number: str | None,
    expected_version: int | None,
    as_json: bool,
) -> None:
    """Move application REF to STAGE (submitted, acknowledged, interview_scheduled, info_requested, withdrawn).

    Record the decision itself with 'trpkit decision record REF'.
    """
    from trpkit.services.applications import advance

    with app.session() as session:
        detail = advance(
            session,
            app.actor(session),
            ref,
            stage,
            on=parse_date_option(on, "--on"),
            due_on=parse_date_option(due, "--due"),
            note=note,
            ircc_office=office,
            file_number=file_number,
            expected_version=expected_version,
        )
    if as_json:
        emit_json({"ref": detail.ref, "stage": detail.stage, "version": detail.version})
    else:
        click.echo(f"{detail.ref}: {detail.stage_label} since {detail.stage_since}")


@application_group.command("edit")
@click.argument("ref")
@click.option("--office", help="IRCC office.")
@click.option("--file-number", help="IRCC file number.")
@click.option("--draft-id", type=int, help="The submission draft used.")
@click.option("--notes", help="Notes (replaces the old ones; no names of third parties).")
@click.option("--expected-version", type=int, help="Refuse if the application changed since this version.")
@json_option
@pass_app
def application_edit(
    app: AppContext,
    ref: str,
    office: str | None,
    file_number: str | None,
    draft_id: int | None,
    notes: str | None,
    expected_version: int | None,
    as_json: bool,
) -> None:
    """Change the office, file number, linked draft or notes of application REF."""
    from trpkit.services.applications import update_application

    with app.session() as session:
        detail = update_application(
            session,
            app.actor(session),
            ref,
            ircc_office=office,
            file_number=file_number,
            draft_id=draft_id,
            notes=notes,
            expected_version=expected_version,
        )
    if as_json:
        emit_json({"ref": detail.ref, "version": detail.version})
    else:
        click.echo(f"{detail.ref} saved (version {detail.version}).")


@application_group.command("policy")
@click.option("--on", "on", help="The date to look up (YYYY-MM-DD; default today).")
@click.option("--all", "show_all", is_flag=True, help="List every policy period.")
@json_option
def application_policy(on: str | None, show_all: bool, as_json: bool) -> None:
    """The IRCC rules in force on a date (from checklists/policy-periods.toml), with their sources' status."""
    from trpkit.domain.policy import NoPolicyPeriod, PolicyDataError, policy_data

    day = parse_date_option(on, "--on") or date.today()
    try:
        data = policy_data()
        periods = list(data.periods) if show_all else [data.in_force(day)]
        ambiguous = [] if show_all else [p.id for p in data.possibly_in_force(day)]
    except (NoPolicyPeriod, PolicyDataError) as exc:
        raise UsageError(str(exc)) from None
    if as_json:
        emit_json(
            [p.summary() for p in periods] if show_all else {**periods[0].summary(), "possibly": ambiguous}
        )
        return
    for period in periods:
        until = f" to {period.effective_to}" if period.effective_to else " (current)"
        click.echo(f"{period.id}: {period.title}")
        click.echo(
            f"  from {period.effective_from}{until}; start known to the {period.date_precision}"
            f" ({period.date_status})"
        )
        for name, rule in sorted(period.rules.items()):
            value = (
                (", ".join(rule.value) or "none")
                if isinstance(rule.value, list)
                else (
                    {True: "yes", False: "no"}.get(rule.value, rule.value)
                    if isinstance(rule.value, bool)
                    else rule.value
                )
            )
            click.echo(f"  {name}: {value}  [{rule.status}; {', '.join(rule.sources) or 'no source'}]")
    if len(ambiguous) > 1:
        click.echo(
            f"Note: {day} is close to a start date known only roughly; it may fall under "
            f"{' or '.join(ambiguous)}."
        )


# --- decision -----------------------------------------------------------------------------------------------


@click.group("decision")
def decision_group() -> None:
    """IRCC decisions on applications, with reasons and a snapshot of the file."""


@decision_group.command("record")
@click.argument("ref")
@click.option(
    "--outcome", required=True, help="granted, refused, partially_granted, withdrawn, returned_incomplete."
)
@click.option("--on", "on", required=True, help="Decision date (YYYY-MM-DD).")
@click.option("--valid-from", help="First day of the permit (default: the decision date).")
@click.option("--valid-to", help="Last day of the permit.")
@click.option("--days", type=int, help="Duration granted in days (instead of --valid-to).")
@click.option("--conditions", default="", help="Conditions written on the permit.")
@click.option("--office", help="IRCC office that decided (default: the application's).")
@click.option("--officer-label", default="", help="Pseudonymous officer label such as VAN-03 (never a name).")
@click.option(
    "--reason", "reasons", multiple=True, help="Refusal reason code (repeat; see 'trpkit decision reasons')."
)
@click.option("--reasons-text", default="", help="The reasons in the letter's own words.")
@click.option("--replace", is_flag=True, help="Correct a decision already recorded.")
@click.option(
    "--expected-version", type=int, help="With --replace: refuse if the decision changed since this version."
)
@json_option
@pass_app
def decision_record(
    app: AppContext,
    ref: str,
    outcome: str,
    on: str,
    valid_from: str | None,
    valid_to: str | None,
    days: int | None,
    conditions: str,
    office: str | None,
    officer_label: str,
    reasons: tuple[str, ...],
    reasons_text: str,
    replace: bool,
    expected_version: int | None,
    as_json: bool,
) -> None:
    """Record IRCC's decision on application REF (CASE/A<n>)."""
    from trpkit.services.decisions import record_decision

    decided = parse_date_option(on, "--on")
    assert decided is not None
    codes = [c for item in reasons for c in item.split(",")]
    with app.session() as session:
        detail = record_decision(
            session,
            app.actor(session),
            ref,
            outcome=outcome,
            decided_on=decided,
            validity_start=parse_date_option(valid_from, "--valid-from"),
            validity_end_on=parse_date_option(valid_to, "--valid-to"),
            duration_days=days,
            conditions=conditions,
            ircc_office=office,
            officer_label=officer_label,
            reasons_text=reasons_text,
            refusal_reasons=codes,
            replace=replace,
            expected_version=expected_version,
        )
    if as_json:
        emit_json(detail)
    else:
        click.echo(
            f"{detail.ref}: {detail.outcome_label} on {detail.decided_on}"
            + (f", valid to {detail.validity_end}" if detail.validity_end else "")
        )


@decision_group.command("show")
@click.argument("ref")
@json_option
@pass_app
def decision_show(app: AppContext, ref: str, as_json: bool) -> None:
    """Show the decision on application REF."""
    from trpkit.services.decisions import get_decision

    with app.session() as session:
        detail = get_decision(session, app.actor(session), ref)
    if as_json:
        emit_json(detail)
    else:
        click.echo(detail.ref)
        _show_decision(detail, indent="  ")


@decision_group.command("reasons")
@json_option
def decision_reasons(as_json: bool) -> None:
    """List the refusal-reason codes (from checklists/refusal-reasons.toml)."""
    from trpkit.domain.policy import refusal_reasons

    reasons = refusal_reasons()
    if as_json:
        emit_json(list(reasons))
        return
    table(
        [
            [r.code, r.group, r.label + (" (against stated policy)" if r.against_policy else "")]
            for r in reasons
        ],
        ["code", "group", "label"],
    )


# --- deadlines ----------------------------------------------------------------------------------------------


def _offsets(value: str | None, app: AppContext) -> tuple[int, ...]:
    if value is None:  # config.toml's reminder_days (default 120, 90, 60, 30)
        return tuple(app.settings.reminder_days)
    try:
        return tuple(int(v) for v in value.split(",") if v.strip())
    except ValueError:
        raise UsageError(
            f"--reminders '{value}' must be days separated by commas, e.g. 120,90,60,30"
        ) from None


@click.group("deadlines", invoke_without_command=True)
@click.option(
    "--within",
    "within",
    type=int,
    default=120,
    show_default=True,
    help="Show what falls due within this many days (overdue items are always shown).",
)
@click.option("--case", "case_code", help="Only this case.")
@click.option(
    "--reminders",
    help="Renewal reminder offsets in days, e.g. 120,90,60,30 (default: reminder_days "
    "in config.toml, else 120,90,60,30).",
)
@click.option("--today", help="Pretend today is this date (YYYY-MM-DD), e.g. to plan ahead.")
@json_option
@click.pass_context
def deadlines_group(
    ctx: click.Context,
    within: int,
    case_code: str | None,
    reminders: str | None,
    today: str | None,
    as_json: bool,
) -> None:
    """What is overdue, due and coming across your cases (permit expiry, renewals, IRCC requests…)."""
    if ctx.invoked_subcommand is not None:
        return
    from trpkit.services.deadlines import list_deadlines

    app: AppContext = ctx.find_object(AppContext)
    with app.session() as session:
        summary = list_deadlines(
            session,
            app.actor(session),
            today=_today(today),
            within_days=within,
            case_code=case_code,
            offsets=_offsets(reminders, app),
        )
    if as_json:
        emit_json(summary)
        return
    click.echo(
        f"{summary.overdue} overdue, {summary.due} due soon, {summary.coming} coming "
        f"(as of {summary.today}, next {within} days)"
    )
    table(
        [
            [
                i.status,
                str(i.due),
                f"{i.days_left:+d}",
                i.ref or i.case_code,
                i.title.split(": ", 1)[-1],
                i.detail,
            ]
            for i in summary.items
        ],
        ["status", "due", "days", "case/application", "what", "detail"],
    )


@deadlines_group.command("ics")
@click.option(
    "-o",
    "--output",
    "output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The .ics file to write.",
)
@click.option("--within", "within", type=int, default=365, show_default=True, help="Days ahead to include.")
@click.option("--case", "case_code", help="Only this case.")
@click.option(
    "--reminders",
    help="Renewal reminder offsets in days, e.g. 120,90,60,30 (default: reminder_days "
    "in config.toml, else 120,90,60,30).",
)
@click.option("--today", help="Pretend today is this date (YYYY-MM-DD).")
@pass_app
def deadlines_ics(
    app: AppContext,
    output: Path,
    within: int,
    case_code: str | None,
    reminders: str | None,
    today: str | None,
) -> None:
    """Export deadlines as an iCalendar file for a calendar app (case codes only, never names)."""
    from trpkit.services.deadlines import export_ics

    with app.session() as session:
        count = export_ics(
            session,
            app.actor(session),
            output,
            today=_today(today),
            within_days=within,
            offsets=_offsets(reminders, app),
            case_code=case_code,
        )
    click.echo(f"{count} deadline(s) written to {output}")


def _print_continuity(view) -> None:  # type: ignore[no-untyped-def]
    c = view.clock
    click.echo(f"{view.case_code}: {c.required_years}-year permit holder clock (as of {view.today})")
    recorded = view.ground
    who = (
        f", recorded by {recorded.recorded_by} on {recorded.recorded_at:%Y-%m-%d}" if recorded.version else ""
    )
    click.echo(f"  ground: {recorded.label}{who}")
    if view.overridden:
        click.echo(f"  counting as if: {GROUND_WORDS[view.ground_used]} (what if; nothing saved)")
    if not view.permits:
        click.echo("  no TRP granted yet")
    for permit in view.permits:
        click.echo(
            f"  {permit.label}: {permit.start} to {permit.end}"
            + (f" (applied {permit.applied_on})" if permit.applied_on else "")
        )
    for trip in view.absences:
        click.echo(
            f"  absence #{trip.id}: left {trip.left_on}, "
            + (f"back {trip.returned_on}" if trip.returned_on else "still away")
            + f" ({trip.days_abroad} day(s) abroad, {'authorized' if trip.authorized else 'NOT authorized'})"
        )
    if c.continuous_since is not None:
        click.echo(
            f"  continuous since {c.continuous_since}: {c.accrued_days} days; covered until {c.covered_until}"
        )
    if c.eligible_on:
        click.echo(
            f"  {c.required_years} years reached on {c.eligible_on}"
            + (
                f" ({c.eligible_on_without_abroad} if time abroad does not count)"
                if c.eligible_on_without_abroad
                else ""
            )
        )
    elif view.permits:
        click.echo("  clock stopped")
    for warning in c.warnings:
        click.echo(f"  ! {warning}")
    if c.rules_applied:
        from trpkit.domain.clocks import RULE_IDS
        from trpkit.loading.clock_rules import clock_rules

        rules = clock_rules(RULE_IDS)
        click.echo("  rules used (wording and status from checklists/permit-holder-clock.toml):")
        for rule_id in c.rules_applied:
            rule = rules[rule_id]
            click.echo(f"    [{rule.status}] {rule.text} " + "".join(f"[{tag}]" for tag in rule.sources))


GROUND_WORDS = {
    "health": "health grounds only (3 years)",
    "other": "other grounds (5 years)",
    "unknown": "ground not known (5 years)",
}


@deadlines_group.command("continuity")
@click.argument("code")
@click.option(
    "--health-inadmissible",
    is_flag=True,
    help="What if the person is inadmissible on health grounds only (3 years)? Overrides the recorded "
    "ground for this run; record it with 'trpkit clock grounds CODE --health'.",
)
@click.option(
    "--ground",
    "ground",
    type=click.Choice(["health", "other", "unknown"]),
    help="What if the ground were this one (overrides the recorded ground; nothing is saved).",
)
@click.option("--today", help="Pretend today is this date (YYYY-MM-DD).")
@json_option
@pass_app
def deadlines_continuity(
    app: AppContext,
    code: str,
    health_inadmissible: bool,
    ground: str | None,
    today: str | None,
    as_json: bool,
) -> None:
    """The permit-holder-class clock: continuous time on TRPs toward permanent residence.

    Counts with the ground and absences recorded with 'trpkit clock'.
    """
    from trpkit.services.deadlines import continuity

    if health_inadmissible and ground not in (None, "health"):
        raise UsageError("give either --health-inadmissible or --ground, not both")
    with app.session() as session:
        view = continuity(
            session,
            app.actor(session),
            code,
            today=_today(today),
            health_inadmissible=True if health_inadmissible else None,
            ground=ground,
        )
    if as_json:
        emit_json(view)
        return
    _print_continuity(view)


# --- clock: ground of inadmissibility and absences from Canada ---------------------------------------------


@click.group("clock")
def clock_group() -> None:
    """The permit-holder clock and its facts: ground of inadmissibility and absences from Canada."""


@clock_group.command("show")
@click.argument("code")
@click.option("--today", help="Pretend today is this date (YYYY-MM-DD).")
@json_option
@pass_app
def clock_show(app: AppContext, code: str, today: str | None, as_json: bool) -> None:
    """The permit-holder clock of case CODE (same as 'trpkit deadlines continuity CODE')."""
    from trpkit.services.deadlines import continuity

    with app.session() as session:
        view = continuity(session, app.actor(session), code, today=_today(today))
    if as_json:
        emit_json(view)
    else:
        _print_continuity(view)


@clock_group.command("grounds")
@click.argument("code")
@click.option(
    "--health", "choice", flag_value="health", help="Inadmissible on health grounds only (3 years)."
)
@click.option("--other", "choice", flag_value="other", help="Inadmissible on any other ground (5 years).")
@click.option(
    "--unknown", "choice", flag_value="unknown", help="Not known yet (5 years counted, with a warning)."
)
@click.option(
    "--note", default="", help="Where this comes from, e.g. 'IRCC letter of 2026-03-02' (no names)."
)
@click.option("--expected-version", type=int, help="Refuse if the ground changed since this version.")
@json_option
@pass_app
def clock_grounds(
    app: AppContext, code: str, choice: str | None, note: str, expected_version: int | None, as_json: bool
) -> None:
    """Show or record the ground of inadmissibility that sets the mark (3 or 5 years) for case CODE."""
    from trpkit.services.clock_facts import get_ground, set_ground

    with app.session() as session:
        actor = app.actor(session)
        view = (
            set_ground(session, actor, code, choice, note=note, expected_version=expected_version)
            if choice
            else get_ground(session, actor, code)
        )
    if as_json:
        emit_json(view)
        return
    who = (
        f" (recorded by {view.recorded_by} on {view.recorded_at:%Y-%m-%d}, version {view.version})"
        if view.version
        else " (nothing recorded)"
    )
    click.echo(f"{view.case_code}: {view.label}{who}")
    if view.note:
        click.echo(f"  note: {view.note}")


@clock_group.group("absence")
def clock_absence() -> None:
    """Time the person spent outside Canada (it can break the permit-holder clock)."""


def _print_absences(rows) -> None:  # type: ignore[no-untyped-def]
    table(
        [
            [
                f"#{r.id}",
                str(r.left_on),
                str(r.returned_on or "still away"),
                str(r.days_abroad),
                "yes" if r.authorized else "no",
                r.note,
            ]
            for r in rows
        ],
        ["absence", "left", "returned", "days abroad", "authorized", "note"],
    )


def _authorized(value: str | None) -> bool | None:
    return None if value is None else value == "yes"


@clock_absence.command("add")
@click.argument("code")
@click.option("--left", "left", required=True, help="Day the person left Canada (YYYY-MM-DD).")
@click.option("--returned", help="Day the person came back (YYYY-MM-DD; leave out while still away).")
@click.option(
    "--authorized/--not-authorized",
    default=False,
    show_default=True,
    help="Did the person's TRP authorize leaving and re-entering Canada?",
)
@click.option("--note", default="", help="Short note, e.g. 'family funeral' (no names).")
@json_option
@pass_app
def absence_add(
    app: AppContext, code: str, left: str, returned: str | None, authorized: bool, note: str, as_json: bool
) -> None:
    """Record an absence from Canada for case CODE."""
    from trpkit.services.clock_facts import add_absence

    left_on = parse_date_option(left, "--left")
    assert left_on is not None
    with app.session() as session:
        view = add_absence(
            session,
            app.actor(session),
            code,
            left_on=left_on,
            returned_on=parse_date_option(returned, "--returned"),
            authorized=authorized,
            note=note,
        )
    if as_json:
        emit_json(view)
    else:
        click.echo(
            f"{view.case_code}: absence #{view.id} recorded ({view.days_abroad} day(s) abroad, "
            f"{'authorized' if view.authorized else 'not authorized'}). "
            f"See the clock: trpkit clock show {view.case_code}"
        )


@clock_absence.command("list")
@click.argument("code")
@json_option
@pass_app
def absence_list(app: AppContext, code: str, as_json: bool) -> None:
    """List the absences from Canada recorded for case CODE."""
    from trpkit.services.clock_facts import list_absences

    with app.session() as session:
        rows = list_absences(session, app.actor(session), code)
    if as_json:
        emit_json(rows)
    elif not rows:
        click.echo("No absence from Canada recorded.")
    else:
        _print_absences(rows)


@clock_absence.command("edit")
@click.argument("code")
@click.argument("absence_id", type=int)
@click.option("--left", "left", help="Day the person left Canada (YYYY-MM-DD).")
@click.option("--returned", help="Day the person came back (YYYY-MM-DD), or 'none' if still away.")
@click.option(
    "--authorized",
    "authorized",
    type=click.Choice(["yes", "no"]),
    help="Did the TRP authorize leaving and re-entering?",
)
@click.option("--note", help="Replace the note (no names).")
@click.option("--expected-version", type=int, help="Refuse if the absence changed since this version.")
@json_option
@pass_app
def absence_edit(
    app: AppContext,
    code: str,
    absence_id: int,
    left: str | None,
    returned: str | None,
    authorized: str | None,
    note: str | None,
    expected_version: int | None,
    as_json: bool,
) -> None:
    """Change absence ABSENCE_ID of case CODE, e.g. record the return date."""
    from trpkit.services.clock_facts import update_absence

    changes: dict[str, object] = {}
    if returned is not None:
        changes["returned_on"] = (
            None if returned.strip().lower() in ("none", "") else parse_date_option(returned, "--returned")
        )
    with app.session() as session:
        view = update_absence(
            session,
            app.actor(session),
            code,
            absence_id,
            left_on=parse_date_option(left, "--left"),
            authorized=_authorized(authorized),
            note=note,
            expected_version=expected_version,
            **changes,
        )  # type: ignore[arg-type]
    if as_json:
        emit_json(view)
    else:
        click.echo(f"{view.case_code}: absence #{view.id} saved (version {view.version}).")


@clock_absence.command("remove")
@click.argument("code")
@click.argument("absence_id", type=int)
@json_option
@pass_app
def absence_remove(app: AppContext, code: str, absence_id: int, as_json: bool) -> None:
    """Remove absence ABSENCE_ID of case CODE (recorded by mistake)."""
    from trpkit.services.clock_facts import remove_absence

    with app.session() as session:
        remove_absence(session, app.actor(session), code, absence_id)
    if as_json:
        emit_json({"case": code.strip().upper(), "removed": absence_id})
    else:
        click.echo(f"Absence #{absence_id} removed.")
