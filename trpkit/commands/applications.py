"""trpkit application new|list|show|advance, trpkit decision record|show|reasons, trpkit deadlines."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from trpkit.commands._common import AppContext, emit_json, json_option, pass_app, parse_date_option, table
from trpkit.errors import UsageError

TYPES_HELP = ("initial_trp, subsequent_trp, owp_trp_holder, owp_vulnerable_worker, study_permit, ifhp, "
              "pr_permit_holder, h_and_c, refugee_claim")


def _today(value: str | None) -> date:
    return parse_date_option(value, "--today") or date.today()


def _show_application(detail) -> None:  # type: ignore[no-untyped-def]
    click.echo(f"{detail.ref}  {detail.type_label}  ({detail.stage_label} since {detail.stage_since}, "
               f"version {detail.version})")
    click.echo(f"  submitted: {detail.submitted_on or '-'}   office: {detail.ircc_office or '-'}   "
               f"file number: {detail.file_number or '-'}   policy period: {detail.policy_period or '-'}")
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
    click.echo(f"{indent}decision: {d.outcome_label} on {d.decided_on}"
               + (f" by {d.ircc_office}" if d.ircc_office else "")
               + (f", officer {d.officer_label}" if d.officer_label else ""))
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
        click.echo(f"{indent}  at decision: police {snap.get('law_enforcement_cooperation')}, criminal case "
                   f"{snap.get('criminal_case_status')}, sector {snap.get('exploitation_sector')}, exhibits "
                   f"{snap.get('exhibits') if snap.get('exhibits') is not None else '?'}, Delphi "
                   f"{'identified' if delphi.get('identified') else 'not identified' if delphi.get('identified') is False else '?'}"
                   f", period {snap.get('policy_period') or '-'}")


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
def application_new(app: AppContext, code: str, kind: str, office: str, file_number: str, draft_id: int | None,
                    started: str | None, submitted: str | None, notes: str, as_json: bool) -> None:
    """Open an application for case CODE. Prints its reference (CASE/A<n>)."""
    from trpkit.services.applications import create_application

    with app.session() as session:
        detail = create_application(session, app.actor(session), code, type=kind, ircc_office=office,
                                    file_number=file_number, draft_id=draft_id, notes=notes,
                                    started_on=parse_date_option(started, "--started"),
                                    submitted_on=parse_date_option(submitted, "--submitted"))
    if as_json:
        emit_json({"ref": detail.ref, "stage": detail.stage, "policy_period": detail.policy_period,
                   "version": detail.version})
    else:
        click.echo(detail.ref)


@application_group.command("list")
@click.argument("code", required=False)
@click.option("--stage", help="draft, submitted, acknowledged, interview_scheduled, info_requested, decided, withdrawn.")
@click.option("--type", "kind", help=TYPES_HELP)
@json_option
@pass_app
def application_list(app: AppContext, code: str | None, stage: str | None, kind: str | None, as_json: bool) -> None:
    """List applications (of case CODE, or of every case you can open)."""
    from trpkit.services.applications import list_applications

    with app.session() as session:
        rows = list_applications(session, app.actor(session), code=code, stage=stage, type=kind)
    if as_json:
        emit_json(rows)
        return
    table([[r.ref, r.type_label, r.stage, str(r.stage_since), str(r.submitted_on or "-"), r.outcome or "-",
            str(r.validity_end or "-")] for r in rows],
          ["application", "type", "stage", "since", "submitted", "decision", "valid to"])


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
def application_advance(app: AppContext, ref: str, stage: str, on: str | None, due: str | None, note: str,
                        office: str | None, file_number: str | None, expected_version: int | None,
                        as_json: bool) -> None:
    """Move application REF to STAGE (submitted, acknowledged, interview_scheduled, info_requested, withdrawn).

    Record the decision itself with 'trpkit decision record REF'.
    """
    from trpkit.services.applications import advance

    with app.session() as session:
        detail = advance(session, app.actor(session), ref, stage, on=parse_date_option(on, "--on"),
                         due_on=parse_date_option(due, "--due"), note=note, ircc_office=office,
                         file_number=file_number, expected_version=expected_version)
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
def application_edit(app: AppContext, ref: str, office: str | None, file_number: str | None, draft_id: int | None,
                     notes: str | None, expected_version: int | None, as_json: bool) -> None:
    """Change the office, file number, linked draft or notes of application REF."""
    from trpkit.services.applications import update_application

    with app.session() as session:
        detail = update_application(session, app.actor(session), ref, ircc_office=office, file_number=file_number,
                                    draft_id=draft_id, notes=notes, expected_version=expected_version)
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
        emit_json([p.summary() for p in periods] if show_all else {**periods[0].summary(), "possibly": ambiguous})
        return
    for period in periods:
        until = f" to {period.effective_to}" if period.effective_to else " (current)"
        click.echo(f"{period.id}: {period.title}")
        click.echo(f"  from {period.effective_from}{until}; start known to the {period.date_precision}"
                   f" ({period.date_status})")
        for name, rule in sorted(period.rules.items()):
            value = (", ".join(rule.value) or "none") if isinstance(rule.value, list) else (
                {True: "yes", False: "no"}.get(rule.value, rule.value) if isinstance(rule.value, bool) else rule.value)
            click.echo(f"  {name}: {value}  [{rule.status}; {', '.join(rule.sources) or 'no source'}]")
    if len(ambiguous) > 1:
        click.echo(f"Note: {day} is close to a start date known only roughly; it may fall under "
                   f"{' or '.join(ambiguous)}.")


# --- decision -----------------------------------------------------------------------------------------------


@click.group("decision")
def decision_group() -> None:
    """IRCC decisions on applications, with reasons and a snapshot of the file."""


@decision_group.command("record")
@click.argument("ref")
@click.option("--outcome", required=True, help="granted, refused, partially_granted, withdrawn, returned_incomplete.")
@click.option("--on", "on", required=True, help="Decision date (YYYY-MM-DD).")
@click.option("--valid-from", help="First day of the permit (default: the decision date).")
@click.option("--valid-to", help="Last day of the permit.")
@click.option("--days", type=int, help="Duration granted in days (instead of --valid-to).")
@click.option("--conditions", default="", help="Conditions written on the permit.")
@click.option("--office", help="IRCC office that decided (default: the application's).")
@click.option("--officer-label", default="", help="Pseudonymous officer label such as VAN-03 (never a name).")
@click.option("--reason", "reasons", multiple=True, help="Refusal reason code (repeat; see 'trpkit decision reasons').")
@click.option("--reasons-text", default="", help="The reasons in the letter's own words.")
@click.option("--replace", is_flag=True, help="Correct a decision already recorded.")
@click.option("--expected-version", type=int, help="With --replace: refuse if the decision changed since this version.")
@json_option
@pass_app
def decision_record(app: AppContext, ref: str, outcome: str, on: str, valid_from: str | None, valid_to: str | None,
                    days: int | None, conditions: str, office: str | None, officer_label: str,
                    reasons: tuple[str, ...], reasons_text: str, replace: bool, expected_version: int | None,
                    as_json: bool) -> None:
    """Record IRCC's decision on application REF (CASE/A<n>)."""
    from trpkit.services.decisions import record_decision

    decided = parse_date_option(on, "--on")
    assert decided is not None
    codes = [c for item in reasons for c in item.split(",")]
    with app.session() as session:
        detail = record_decision(session, app.actor(session), ref, outcome=outcome, decided_on=decided,
                                 validity_start=parse_date_option(valid_from, "--valid-from"),
                                 validity_end_on=parse_date_option(valid_to, "--valid-to"), duration_days=days,
                                 conditions=conditions, ircc_office=office, officer_label=officer_label,
                                 reasons_text=reasons_text, refusal_reasons=codes, replace=replace,
                                 expected_version=expected_version)
    if as_json:
        emit_json(detail)
    else:
        click.echo(f"{detail.ref}: {detail.outcome_label} on {detail.decided_on}"
                   + (f", valid to {detail.validity_end}" if detail.validity_end else ""))


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
    table([[r.code, r.group, r.label + (" (against stated policy)" if r.against_policy else "")] for r in reasons],
          ["code", "group", "label"])


# --- deadlines ----------------------------------------------------------------------------------------------


def _offsets(value: str | None, app: AppContext) -> tuple[int, ...]:
    if value is None:  # config.toml's reminder_days (default 120, 90, 60, 30)
        return tuple(app.settings.reminder_days)
    try:
        return tuple(int(v) for v in value.split(",") if v.strip())
    except ValueError:
        raise UsageError(f"--reminders '{value}' must be days separated by commas, e.g. 120,90,60,30") from None


@click.group("deadlines", invoke_without_command=True)
@click.option("--within", "within", type=int, default=120, show_default=True,
              help="Show what falls due within this many days (overdue items are always shown).")
@click.option("--case", "case_code", help="Only this case.")
@click.option("--reminders", help="Renewal reminder offsets in days, e.g. 120,90,60,30 (default: reminder_days "
              "in config.toml, else 120,90,60,30).")
@click.option("--today", help="Pretend today is this date (YYYY-MM-DD), e.g. to plan ahead.")
@json_option
@click.pass_context
def deadlines_group(ctx: click.Context, within: int, case_code: str | None, reminders: str | None, today: str | None,
                    as_json: bool) -> None:
    """What is overdue, due and coming across your cases (permit expiry, renewals, IRCC requests…)."""
    if ctx.invoked_subcommand is not None:
        return
    from trpkit.services.deadlines import list_deadlines

    app: AppContext = ctx.find_object(AppContext)
    with app.session() as session:
        summary = list_deadlines(session, app.actor(session), today=_today(today), within_days=within,
                                 case_code=case_code, offsets=_offsets(reminders, app))
    if as_json:
        emit_json(summary)
        return
    click.echo(f"{summary.overdue} overdue, {summary.due} due soon, {summary.coming} coming "
               f"(as of {summary.today}, next {within} days)")
    table([[i.status, str(i.due), f"{i.days_left:+d}", i.ref or i.case_code, i.title.split(': ', 1)[-1], i.detail]
           for i in summary.items], ["status", "due", "days", "case/application", "what", "detail"])


@deadlines_group.command("ics")
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The .ics file to write.")
@click.option("--within", "within", type=int, default=365, show_default=True, help="Days ahead to include.")
@click.option("--case", "case_code", help="Only this case.")
@click.option("--reminders", help="Renewal reminder offsets in days, e.g. 120,90,60,30 (default: reminder_days "
              "in config.toml, else 120,90,60,30).")
@click.option("--today", help="Pretend today is this date (YYYY-MM-DD).")
@pass_app
def deadlines_ics(app: AppContext, output: Path, within: int, case_code: str | None, reminders: str | None,
                  today: str | None) -> None:
    """Export deadlines as an iCalendar file for a calendar app (case codes only, never names)."""
    from trpkit.services.deadlines import export_ics

    with app.session() as session:
        count = export_ics(session, app.actor(session), output, today=_today(today), within_days=within,
                           offsets=_offsets(reminders, app), case_code=case_code)
    click.echo(f"{count} deadline(s) written to {output}")


@deadlines_group.command("continuity")
@click.argument("code")
@click.option("--health-inadmissible", is_flag=True, help="The person is inadmissible on health grounds (3 years).")
@click.option("--today", help="Pretend today is this date (YYYY-MM-DD).")
@json_option
@pass_app
def deadlines_continuity(app: AppContext, code: str, health_inadmissible: bool, today: str | None,
                         as_json: bool) -> None:
    """The permit-holder-class clock: continuous time on TRPs toward permanent residence."""
    from trpkit.services.deadlines import continuity

    with app.session() as session:
        view = continuity(session, app.actor(session), code, today=_today(today),
                          health_inadmissible=health_inadmissible)
    if as_json:
        emit_json(view)
        return
    c = view.clock
    click.echo(f"{view.case_code}: {c.required_years}-year permit holder clock (as of {view.today})")
    if c.continuous_since is None:
        click.echo("  no TRP granted yet")
        return
    for permit in view.permits:
        click.echo(f"  {permit.label}: {permit.start} to {permit.end}"
                   + (f" (applied {permit.applied_on})" if permit.applied_on else ""))
    click.echo(f"  continuous since {c.continuous_since}: {c.accrued_days} days; covered until {c.covered_until}")
    click.echo(f"  {c.required_years} years reached on {c.eligible_on}" if c.eligible_on else "  clock stopped")
    for warning in c.warnings:
        click.echo(f"  ! {warning}")
