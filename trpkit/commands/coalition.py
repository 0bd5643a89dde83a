"""trpkit coalition keygen|secret|export|agencies|import|release|report|status."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import click

from trpkit.commands._common import AppContext, emit_json, json_option, pass_app
from trpkit.errors import TrpkitError, UsageError

_policy_option = click.option(
    "--policy",
    "policy_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Coalition policy file (default: checklists/coalition-policy.toml).",
)


class ExportRefused(TrpkitError):
    exit_code = 1


class ImportRefused(TrpkitError):
    exit_code = 1


def write_private(path: Path, data: bytes) -> None:
    """Write a file only its owner can read (0600), like backups: packages, releases and key files.

    An existing file is replaced and its mode tightened too. Raises UsageError naming the file on failure.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), 0o600)  # os.open's mode does not change a file that already existed
            handle.write(data)
    except OSError as exc:
        raise UsageError(f"cannot write {path} ({exc.strerror})") from None


def _refusal_line(source: str, reason: str) -> str:
    if reason.startswith(f"{source}: "):
        reason = reason[len(source) + 2 :]  # the line names the file already
    return f"REFUSED {source} ({reason}); nothing of it was imported"


def _policy(path: Path | None):  # type: ignore[no-untyped-def]
    from trpkit.loading.coalition_policy import load_policy

    return load_policy(path)


@click.group("coalition")
def coalition_group() -> None:
    """Share anonymised decision outcomes with a coalition, merge them, and analyse them."""


def _print_export_summary(summary: dict) -> None:  # type: ignore[type-arg]
    destroyed = summary.get("withdrawals_destroyed", 0)
    click.echo(
        f"decisions eligible: {summary['total']}   left out for lack of consent: "
        f"{summary['withheld_for_consent']}   withdrawals to notify: {summary['withdrawals']}"
        + (f" ({destroyed} from destroyed case files)" if destroyed else "")
    )
    if not summary.get("levels"):
        return
    click.echo(
        f"exported: {summary['exported']}   suppressed: {summary['suppressed']}"
        + (f"   package number: {summary['sequence']}" if summary.get("sequence") else "")
    )
    click.echo("levels: " + ", ".join(f"{k} = {v}" for k, v in summary["levels"].items()))
    loss, risk, div = summary["information_loss"], summary["risk"], summary["l_diversity"]
    click.echo(
        f"information lost: {loss['overall']:.0%} (generalisation {loss['generalisation']:.0%}, "
        f"suppression {loss['suppressed_share']:.0%})"
    )
    click.echo(
        f"re-identification risk (prosecutor): highest {risk['prosecutor_max']:.0%}, average "
        f"{risk['prosecutor_average']:.1%}; smallest group {risk['smallest_group']} "
        f"(over {', '.join(summary.get('quasi_identifiers', []))}, with the days banded with the dates)"
    )
    click.echo(
        f"l-diversity of the decisions: lowest {div['min_l']}; {div['homogeneous_groups']} group(s) where every "
        "decision went the same way (pending and withdrawn are not decisions)"
    )
    for check in summary["checks"]:
        click.echo(f"  [{'ok' if check['passed'] else 'FAILED'}] {check['name']}: {check['detail']}")
    for warning in summary.get("warnings", []):
        click.echo(f"  warning: {warning}")


@coalition_group.command("export")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Package file to write (default: AGENCY-DATE.trpcoal here).",
)
@click.option("--dry-run", is_flag=True, help="Check and report, write nothing.")
@_policy_option
@json_option
@pass_app
def export_command(
    app: AppContext, output: Path | None, dry_run: bool, policy_path: Path | None, as_json: bool
) -> None:
    """Export consenting decisions, generalised to meet the policy's k, as a signed package."""
    from trpkit.services import coalition

    policy = _policy(policy_path)
    with app.session() as session:
        result = coalition.export(session, app.actor(session), policy=policy, dry_run=dry_run)
        if result.ok and not dry_run:
            # Written inside the transaction: withdrawals owed for destroyed files count as sent only
            # when the package file exists (a failed write rolls back).
            output = output or Path(f"{result.summary['agency']}-{date.today():%Y%m%d}.trpcoal")
            try:
                write_private(output, result.package)
            except UsageError as exc:
                raise UsageError(f"{exc}; nothing was exported.") from None
    if as_json:
        emit_json(
            {
                "ok": result.ok,
                "refusal": result.refusal,
                "written": None if dry_run or not result.ok else str(output),
                **result.summary,
            }
        )
    else:
        _print_export_summary(result.summary)
    if not result.ok:
        raise ExportRefused(f"export refused: {result.refusal}. Nothing was written.")
    if not as_json:
        if result.withdrawals_only:
            click.echo(
                f"No decision could be shared ({result.refusal}); the package carries only the "
                f"{result.summary['withdrawals']} withdrawal(s)."
            )
        click.echo("dry run: nothing written." if dry_run else f"package written to {output}")


@coalition_group.command("import")
@click.argument("packages", nargs=-1, required=True, type=click.Path(path_type=Path))
@_policy_option
@json_option
@pass_app
def import_command(
    app: AppContext, packages: tuple[Path, ...], policy_path: Path | None, as_json: bool
) -> None:
    """Verify and merge packages. A package with any problem is refused whole; nothing of it is imported."""
    from trpkit.services import coalition

    policy = _policy(policy_path)
    with app.session() as session:
        results = coalition.import_packages(session, app.actor(session), list(packages), policy=policy)
    if as_json:
        emit_json(results)
    else:
        for r in results:
            if r.ok:
                number = f" (package {r.sequence})" if r.sequence is not None else ""
                click.echo(
                    f"{r.source}: imported from {r.agency}{number}: {r.new} new, {r.replaced} updated, "
                    f"{r.duplicates} already shared by another agency, {r.withdrawals} withdrawal(s)"
                )
            else:
                click.echo(_refusal_line(r.source, r.reason))
    refused = [r for r in results if not r.ok]
    if refused:
        raise ImportRefused(f"{len(refused)} of {len(results)} package(s) refused.")


@coalition_group.command("release")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="CSV file for the merged release.",
)
@_policy_option
@json_option
@pass_app
def release_command(app: AppContext, output: Path, policy_path: Path | None, as_json: bool) -> None:
    """Publish the merged records (no agency; withdrawn records removed; k re-checked)."""
    from trpkit.services import coalition

    policy = _policy(policy_path)
    with app.session() as session:
        result = coalition.release(session, app.actor(session), policy=policy)
    if result.held_back:
        if as_json:
            emit_json({"release": None, "held_back": result.held_back, "changed": result.changed})
        else:
            click.echo(f"Release held back: {result.held_back}")
        return
    write_private(output, result.csv_text.encode("utf-8"))
    payload = {
        "release": result.release_id,
        "records": result.records,
        "withdrawn_removed": result.withdrawn_removed,
        "suppressed": result.suppressed,
        "file": str(output),
        **result.summary,
    }
    if as_json:
        emit_json(payload)
    else:
        click.echo(
            f"release {result.release_id}: {result.records} records written to {output}; "
            f"{result.withdrawn_removed} withdrawn since the last release removed; "
            f"{result.suppressed} left out to keep every group at k = {result.summary['k']} or more."
        )


@coalition_group.command("status")
@json_option
@pass_app
def status_command(app: AppContext, as_json: bool) -> None:
    """What the coalition store holds."""
    from trpkit.services import coalition

    with app.session() as session:
        summary = coalition.store_summary(session, app.actor(session))
    if as_json:
        emit_json(summary)
        return
    click.echo(
        f"{summary['records']} records ({summary['withdrawn']} withdrawn: content erased, kept out of releases) from "
        f"{summary['imports']} package(s); {summary['agencies']} agency key(s)."
    )


@coalition_group.command("report")
@click.option(
    "--records",
    "records_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Analyse this CSV (the documented schema) instead of the coalition store; no vault needed.",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write a Word report (.docx)."
)
@click.option("--min-cell", type=int, help="Smallest group to show (default: the policy's; never below 5).")
@_policy_option
@json_option
@pass_app
def report_command(
    app: AppContext,
    records_file: Path | None,
    output: Path | None,
    min_cell: int | None,
    policy_path: Path | None,
    as_json: bool,
) -> None:
    """Grant rates with intervals, tests, regression, processing times, indicators, refusal reasons."""
    from trpkit.coalition.report import build_report, render_text, write_docx

    policy = _policy(policy_path)
    if min_cell is not None and min_cell < 5:
        raise UsageError("--min-cell cannot be below 5: counts of 1 to 4 are never shown.")
    cell = min_cell or policy.report_min_cell
    if output is not None and output.suffix.lower() != ".docx":
        raise UsageError(f"{output}: the Word report needs a .docx file name")
    if records_file is not None:
        from trpkit.coalition.record import read_csv

        _, records = read_csv(records_file)
        source = records_file.name
    else:
        from trpkit.services import coalition

        with app.session() as session:
            actor = app.actor(session)
            records = coalition.records_for_report(session, actor)
            from trpkit.services import audit

            audit.record(session, actor, "coalition.report", None, records=len(records))
        source = "coalition store"
    report = build_report(
        records,
        min_cell=cell,
        source=source,
        include_charts_data=output is not None,
        hierarchies=policy.hierarchies,  # small groups are merged along this policy's hierarchies
    )
    if output is not None:
        write_docx(report, output)
    if as_json:
        emit_json(report)
    else:
        click.echo(render_text(report), nl=False)
        if output is not None:
            click.echo(f"Word report written to {output}")


def _add_key_commands() -> None:
    # keygen, secret and agencies live in their own module (it uses write_private from this one).
    from trpkit.commands.coalition_keys import agencies_group, keygen_command, secret_command

    for command in (keygen_command, secret_command, agencies_group):
        coalition_group.add_command(command)


_add_key_commands()
