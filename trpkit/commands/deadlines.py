"""trpkit deadlines [ics|continuity]: what is overdue, due and coming across the cases, as a table or a
calendar file, and the permit-holder clock of one case."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from trpkit.commands._common import AppContext, emit_json, json_option, pass_app, table, to_jsonable
from trpkit.commands.clock import print_clock, today_or
from trpkit.errors import UsageError

if TYPE_CHECKING:  # a type hint only: the service loads when the command runs
    from trpkit.services.deadlines import DeadlineSummary


def _offsets(value: str | None, app: AppContext) -> tuple[int, ...]:
    if value is None:  # config.toml's reminder_days (default 120, 90, 60, 30)
        return tuple(app.settings.reminder_days)
    try:
        return tuple(int(v) for v in value.split(",") if v.strip())
    except ValueError:
        raise UsageError(
            f"--reminders '{value}' must be days separated by commas, e.g. 120,90,60,30"
        ) from None


def _with_titles(summary: DeadlineSummary) -> dict[str, Any]:
    """The summary for --json, each item with its title after its kind (the service gives facts only)."""
    from trpkit.presenters.deadlines import title

    data: dict[str, Any] = to_jsonable(summary)
    records = []
    for record, item in zip(data["items"], summary.items, strict=True):
        titled: dict[str, Any] = {}
        for key, value in record.items():
            titled[key] = value
            if key == "kind":
                titled["title"] = title(item)
        records.append(titled)
    return {**data, "items": records}


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

    app = ctx.find_object(AppContext)
    assert app is not None  # the root group (trpkit.cli) sets it before any command runs
    with app.session() as session:
        summary = list_deadlines(
            session,
            app.actor(session),
            today=today_or(today),
            within_days=within,
            case_code=case_code,
            offsets=_offsets(reminders, app),
        )
    if as_json:
        emit_json(_with_titles(summary))
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
            today=today_or(today),
            within_days=within,
            offsets=_offsets(reminders, app),
            case_code=case_code,
        )
    click.echo(f"{count} deadline(s) written to {output}")


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
    from trpkit.services.clock_view import continuity

    if health_inadmissible and ground not in (None, "health"):
        raise UsageError("give either --health-inadmissible or --ground, not both")
    with app.session() as session:
        view = continuity(
            session,
            app.actor(session),
            code,
            today=today_or(today),
            health_inadmissible=True if health_inadmissible else None,
            ground=ground,
        )
    if as_json:
        emit_json(view)
        return
    print_clock(view, say_day=today is not None)
