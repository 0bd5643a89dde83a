"""trpkit templates: list the Word templates, or lint them before an accompanier meets a mistake."""

from __future__ import annotations

from pathlib import Path

import click

from trpkit.commands._common import emit_json, json_option, table


@click.group("templates")
def templates_group() -> None:
    """Word templates: list them, or check one for mistakes before using it."""


@templates_group.command("list")
@json_option
def templates_list(as_json: bool) -> None:
    """The templates trpkit can draft from (name, language, application type)."""
    from trpkit.documents.templates import discover
    from trpkit.paths import templates_dir

    found = discover()
    if as_json:
        emit_json(
            [
                {
                    "name": t.name,
                    "language": t.language,
                    "title": t.title,
                    "application_type": t.application_type,
                    "path": t.path,
                    "sample": t.sample_path if t.sample_path.exists() else None,
                }
                for t in found
            ]
        )
        return
    if not found:
        click.echo(f"No templates in {templates_dir()}.")
        return
    table(
        [[t.name, t.language, t.application_type or "-", t.title] for t in found],
        ["name", "lang", "checklist", "title"],
    )


@templates_group.command("check")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--strict", is_flag=True, help="Treat warnings (unused variables, text beside {%p tags) as errors."
)
@json_option
def templates_check(paths: tuple[Path, ...], strict: bool, as_json: bool) -> None:
    """Lint templates (all of them, or the .docx files / folders given).

    Reports tags split across Word runs, unclosed tags, undeclared and unused variables, Jinja syntax
    errors and tags left unrendered, naming the tag and the paragraph. Exit status 1 on errors.
    """
    from trpkit.documents.context_example import provided_paths
    from trpkit.documents.lint import lint_template
    from trpkit.documents.templates import describe, discover

    files: list[Path] = []
    if not paths:
        files = [t.path for t in discover()]
    for path in paths:
        files += sorted(path.glob("*.docx")) if path.is_dir() else [path]
    provided = provided_paths()
    results = {}
    for path in files:
        info = describe(path)
        sample = info.load_sample() if info.sample_path.exists() else None
        problems = lint_template(path, sample, provided)
        if sample is None:
            from trpkit.documents.lint import LintProblem

            problems.insert(
                0,
                LintProblem(
                    "warning",
                    "no-sample",
                    "template",
                    f"no {info.sample_path.name}: variables checked against trpkit's "
                    "context only, and the template was not test-rendered",
                ),
            )
        results[path] = problems
    errors = sum(1 for ps in results.values() for p in ps if p.severity == "error" or strict)
    if as_json:
        emit_json([{"template": str(path), "problems": problems} for path, problems in results.items()])
    else:
        for path, problems in results.items():
            if not problems:
                click.echo(f"{path.name}: ok")
            for problem in problems:
                click.echo(f"{path.name}: {problem}")
    if errors:
        raise click.exceptions.Exit(1)
