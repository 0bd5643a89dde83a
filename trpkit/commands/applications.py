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


def _echo(lines: list[str]) -> None:
    """Presenter lines, with any control character in a person's notes made harmless."""
    from trpkit.domain.terminal import for_terminal

    click.echo("\n".join(for_terminal(line) for line in lines))


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
    from trpkit.presenters.applications import LIST_HEADERS, list_row

    table([[cell or "-" for cell in list_row(r)] for r in rows], list(LIST_HEADERS))


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
        from trpkit.presenters.applications import application_lines

        _echo(application_lines(detail))


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
        from trpkit.presenters.applications import advanced

        click.echo(advanced(detail))


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
    from trpkit.domain.ircc_periods import NoPolicyPeriod
    from trpkit.loading.errors import DataFileError
    from trpkit.loading.ircc_periods import policy_data

    day = parse_date_option(on, "--on") or date.today()
    try:
        data = policy_data()
        periods = list(data.periods) if show_all else [data.in_force(day)]
        ambiguous = [] if show_all else [p.id for p in data.possibly_in_force(day)]
    except (NoPolicyPeriod, DataFileError) as exc:
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
        from trpkit.presenters.applications import decided as decided_line

        click.echo(decided_line(detail))


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
        from trpkit.presenters.applications import decision_lines

        click.echo(detail.ref)
        _echo(decision_lines(detail, indent="  "))


@decision_group.command("reasons")
@json_option
def decision_reasons(as_json: bool) -> None:
    """List the refusal-reason codes (from checklists/refusal-reasons.toml)."""
    from trpkit.loading.ircc_periods import refusal_reasons

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
    from trpkit.presenters import deadlines as words

    click.echo(words.counts_line(summary, within, say_day=today is not None))
    if summary.items:
        table([list(words.row(i)) for i in summary.items], list(words.HEADERS))


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


def _print_continuity(view, say_day: bool) -> None:  # type: ignore[no-untyped-def]
    from trpkit.presenters.clock import ABSENCE_HEADERS, absence_rows, clock_lines

    _echo(clock_lines(view, say_day))
    if view.absences:
        table([list(r) for r in absence_rows(view)], list(ABSENCE_HEADERS))


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
    _print_continuity(view, say_day=today is not None)


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
        _print_continuity(view, say_day=today is not None)


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
    from trpkit.presenters.clock import ground_line

    version = f" (version {view.version})" if view.version else " (nothing recorded)"
    click.echo(f"{view.case_code}: {ground_line(view)}{version}")


@clock_group.group("absence")
def clock_absence() -> None:
    """Time the person spent outside Canada (it can break the permit-holder clock)."""


def _print_absences(rows) -> None:  # type: ignore[no-untyped-def]
    from trpkit.presenters.clock import ABSENCE_HEADERS, absence_cells

    # No clock is counted here, so no Effect column.
    effect = ABSENCE_HEADERS.index("Effect")
    headers = [h for i, h in enumerate(ABSENCE_HEADERS) if i != effect]
    table([[c for i, c in enumerate(absence_cells(r)) if i != effect] for r in rows], headers)


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
        from trpkit.presenters.clock import absence_recorded

        click.echo(
            f"{view.case_code}: {absence_recorded(view)} See the clock: trpkit clock show {view.case_code}"
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

    changes: dict[str, date | None] = {}
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
        )
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
