"""trpkit clock show|grounds|absence: the permit-holder clock's ground of inadmissibility and absences
from Canada."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

import click

from trpkit.commands._common import AppContext, emit_json, json_option, parse_date_option, pass_app, table
from trpkit.commands._lines import echo_lines

if TYPE_CHECKING:  # type hints only: the services load when a command runs
    from trpkit.services.clock_facts import AbsenceView
    from trpkit.services.clock_view import ContinuityView


def today_or(value: str | None) -> date:
    return parse_date_option(value, "--today") or date.today()


def print_clock(view: ContinuityView, say_day: bool) -> None:
    from trpkit.presenters.clock import ABSENCE_HEADERS, absence_rows, clock_lines

    echo_lines(clock_lines(view, say_day))
    if view.absences:
        table([list(r) for r in absence_rows(view)], list(ABSENCE_HEADERS))


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
    from trpkit.services.clock_view import continuity

    with app.session() as session:
        view = continuity(session, app.actor(session), code, today=today_or(today))
    if as_json:
        emit_json(view)
    else:
        print_clock(view, say_day=today is not None)


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


def _print_absences(rows: Sequence[AbsenceView]) -> None:
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
