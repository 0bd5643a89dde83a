"""Sharing with the coalition from the app: check an export (dry run, with its re-identification risk),
write the signed package, and import other agencies' packages.

The same public services as ``trpkit coalition export`` / ``import``: the anonymisation, the consent
rules and the role checks all happen there. A supervisor exports; analysts, supervisors and
administrators import. Nothing here reads a case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Footer, Header, Input, Static

from trpkit.domain.vocab import Role
from trpkit.tui.typed import AppScreen

EXPORT_ROLES = (Role.SUPERVISOR,)
IMPORT_ROLES = (Role.ANALYST, Role.SUPERVISOR, Role.ADMIN)


@dataclass
class Said(Message):
    """A result to show: ``where`` is the Static it goes to."""

    where: str
    text: str


def default_package_path(agency: str, today: date | None = None) -> Path:
    return Path.home() / "trpkit-coalition" / f"{agency}-{(today or date.today()):%Y%m%d}.trpcoal"


def summary_text(summary: dict[str, Any]) -> str:
    """An export's report in plain words (the CLI prints the same facts)."""
    destroyed = summary.get("withdrawals_destroyed", 0)
    lines = [
        f"Decisions that could be shared: [b]{summary.get('total', 0)}[/b]; left out because the person "
        f"did not consent: {summary.get('withheld_for_consent', 0)}; withdrawals to tell the coalition: "
        f"{summary.get('withdrawals', 0)}"
        + (f" ({destroyed} from destroyed case files)" if destroyed else "")
    ]
    if summary.get("levels"):
        loss, risk, div = summary["information_loss"], summary["risk"], summary["l_diversity"]
        lines += [
            f"Shared: [b]{summary['exported']}[/b]; held back to protect small groups: {summary['suppressed']}",
            "Detail kept: " + ", ".join(f"{k} {v}" for k, v in summary["levels"].items()),
            (
                f"Information lost: {loss['overall']:.0%} (coarser values {loss['generalisation']:.0%}, "
                f"held back {loss['suppressed_share']:.0%})"
            ),
            (
                f"Risk that someone is recognised: at most {risk['prosecutor_max']:.0%}, on average "
                f"{risk['prosecutor_average']:.1%}; the smallest group has {risk['smallest_group']} people"
            ),
            (
                f"Outcome diversity: lowest {div['min_l']}; {div['homogeneous_groups']} group(s) where everyone "
                "had the same outcome"
            ),
        ]
        lines += [
            f"  {'[green]✔[/]' if c['passed'] else '[b red]✘[/]'} {escape(c['name'])}: {escape(c['detail'])}"
            for c in summary.get("checks", [])
        ]
    lines += [f"  [yellow]![/] {escape(w)}" for w in summary.get("warnings", [])]
    return "\n".join(lines)


class CoalitionScreen(AppScreen[None]):
    DEFAULT_CSS = """
    CoalitionScreen VerticalScroll { padding: 0 1; }
    CoalitionScreen .co-title { text-style: bold; margin-top: 1; }
    CoalitionScreen .co-row { height: auto; }
    CoalitionScreen .co-row Input { width: 1fr; }
    CoalitionScreen .co-row Button { margin-right: 1; }
    CoalitionScreen .co-result { height: auto; margin-bottom: 1; }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("ctrl+t", "check", "Check export"),
        Binding("ctrl+g", "write", "Write package"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.checked_agency = ""

    def compose(self) -> ComposeResult:
        role = self.actor.role
        yield Header()
        with VerticalScroll():
            yield Static("Share this agency's decisions with the coalition", classes="co-title")
            yield Static(
                "Only decisions the person consented to share leave, anonymised to the coalition's "
                "policy. Check first: you see what would be shared and the risk that someone is "
                "recognised; nothing is written until you write the package."
            )
            yield Input(
                placeholder="Package file (default: ~/trpkit-coalition/AGENCY-DATE.trpcoal)", id="co-out"
            )
            with Horizontal(classes="co-row"):
                yield Button("Check (ctrl+t)", id="co-check", disabled=role not in EXPORT_ROLES)
                yield Button(
                    "Write the package (ctrl+g)",
                    variant="primary",
                    id="co-write",
                    disabled=role not in EXPORT_ROLES,
                )
            export_note = (
                "" if role in EXPORT_ROLES else "Only a supervisor can export (it reads every case)."
            )
            yield Static(export_note, id="co-export-result", classes="co-result")
            yield Static("Import packages from other agencies", classes="co-title")
            yield Static(
                "Each package is checked (signature of a known agency, policy, format) and refused whole "
                "if anything is wrong. Several files: separate them with ';'."
            )
            with Horizontal(classes="co-row"):
                yield Input(placeholder="Package file(s) to import", id="co-in")
                yield Button("Import", id="co-import", disabled=role not in IMPORT_ROLES)
            import_note = "" if role in IMPORT_ROLES else "Your role cannot import coalition packages."
            yield Static(import_note, id="co-import-result", classes="co-result")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Coalition: export and import"

    @on(Said)
    def _said(self, message: Said) -> None:
        self.query_one(f"#{message.where}", Static).update(message.text)

    # ------------------------------------------------------------------------------------- export
    @on(Button.Pressed, "#co-check")
    def action_check(self) -> None:
        self.query_one("#co-export-result", Static).update("Checking…")
        self._export(dry_run=True, target="")

    @on(Button.Pressed, "#co-write")
    def action_write(self) -> None:
        from trpkit.tui.screens.confirm import ConfirmScreen

        typed = self.query_one("#co-out", Input).value.strip()
        where = typed or str(default_package_path(self.checked_agency or "AGENCY"))

        def answered(yes: bool | None) -> None:
            if yes:
                self.query_one("#co-export-result", Static).update("Writing…")
                self._export(dry_run=False, target=typed)

        self.app.push_screen(
            ConfirmScreen(
                f"Write the anonymised package to {where}? Withdrawals owed to the coalition count as "
                "sent once it is written.",
                yes="Write",
                no="Not now",
            ),
            answered,
        )

    @work(thread=True, exclusive=True, group="coalition-screen", exit_on_error=False)
    def _export(self, dry_run: bool, target: str) -> None:
        from trpkit.errors import TrpkitError, UsageError
        from trpkit.services import coalition

        written: Path | None = None
        try:
            with self.database.session() as session:
                result = coalition.export(session, self.actor, dry_run=dry_run)
                if result.ok and not dry_run:
                    # Inside the transaction, as the CLI does: a failed write rolls the export back.
                    written = (
                        Path(target).expanduser()
                        if target
                        else default_package_path(result.summary["agency"])
                    )
                    try:
                        written.parent.mkdir(parents=True, exist_ok=True)
                        written.write_bytes(result.package)
                    except OSError as exc:
                        raise UsageError(
                            f"Cannot write {written} ({exc.strerror}). Nothing was exported; choose "
                            "another file."
                        ) from None
        except TrpkitError as exc:
            self.post_message(Said("co-export-result", f"[b red]{escape(str(exc))}[/]"))
            return
        self.checked_agency = str(result.summary.get("agency", ""))
        report = summary_text(result.summary)
        if not result.ok:
            verdict = f"[b red]Not shareable: {escape(result.refusal)}.[/] Nothing was written."
        elif dry_run:
            verdict = "[b green]Ready to share.[/] Nothing written yet: ctrl+g writes the package."
        else:
            verdict = f"[b green]Package written to {escape(str(written))}.[/] Send it to the coalition."
        if result.ok and result.withdrawals_only:
            verdict += (
                f" No decision can be shared ({escape(result.refusal)}): it carries only the withdrawals."
            )
        self.post_message(Said("co-export-result", f"{verdict}\n{report}"))

    # ------------------------------------------------------------------------------------- import
    @on(Input.Submitted, "#co-in")
    @on(Button.Pressed, "#co-import")
    def action_import_package(self) -> None:
        paths = [p.strip() for p in self.query_one("#co-in", Input).value.split(";") if p.strip()]
        if not paths:
            self.query_one("#co-import-result", Static).update("Type the path of a package file first.")
            return
        self.query_one("#co-import-result", Static).update("Checking and importing…")
        self._import([Path(p).expanduser() for p in paths])

    @work(thread=True, exclusive=True, group="coalition-screen", exit_on_error=False)
    def _import(self, paths: list[Path]) -> None:
        from trpkit.errors import TrpkitError
        from trpkit.services import coalition

        try:
            results = self.database.run(lambda session: coalition.import_packages(session, self.actor, paths))
        except TrpkitError as exc:
            self.post_message(Said("co-import-result", f"[b red]{escape(str(exc))}[/]"))
            return
        lines = []
        for r in results:
            if r.ok:
                lines.append(
                    f"[green]✔[/] {escape(r.source)}: from {escape(r.agency)}: {r.new} new, {r.replaced} "
                    f"updated, {r.duplicates} already shared by another agency, {r.withdrawals} withdrawal(s)"
                )
            else:
                lines.append(f"[b red]✘ {escape(r.source)}: refused, nothing imported:[/] {escape(r.reason)}")
        self.post_message(Said("co-import-result", "\n".join(lines)))
