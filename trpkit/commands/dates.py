"""trpkit dates parse|languages: how trpkit reads a date phrase, and in which languages."""

from __future__ import annotations

import click

from trpkit.commands._common import emit_json, json_option, parse_date_option


@click.group("dates")
def dates_group() -> None:
    """Check how trpkit reads a date phrase."""


@dates_group.command("parse")
@click.argument("text")
@click.option("--lang", "language", default="en", show_default=True, help="Language of the phrase.")
@click.option(
    "--relative-to", help="Day it was said (YYYY-MM-DD); relative phrases count from it (default today)."
)
@json_option
def dates_parse(text: str, language: str, relative_to: str | None, as_json: bool) -> None:
    """Read TEXT as a fuzzy date: interval, precision, EDTF, and how it is written back."""
    from trpkit.domain.fuzzy_dates import format_fuzzy, parse_fuzzy

    fd = parse_fuzzy(text, language, relative_to=parse_date_option(relative_to, "--relative-to"))
    if as_json:
        data = fd.to_dict()
        emit_json(
            {
                k: data[k]
                for k in (
                    "original",
                    "language",
                    "edtf",
                    "earliest",
                    "latest",
                    "precision",
                    "approximate",
                    "uncertain",
                    "status",
                )
            }
            | {"written": format_fuzzy(fd, language)}
        )
        return
    if not fd.is_parsed:
        click.echo(f"unparsed: “{text}” is kept as said, for a person to fix")
        return
    flags = ", ".join(f for f, on in (("approximate", fd.approximate), ("uncertain", fd.uncertain)) if on)
    click.echo(f"{format_fuzzy(fd, language)}")
    click.echo(
        f"  from {fd.earliest or '…'} to {fd.latest or '…'}  precision {fd.precision.value}  "
        f"EDTF {fd.edtf}" + (f"  ({flags})" if flags else "")
    )


@dates_group.command("languages")
def dates_languages() -> None:
    """Languages with full phrase support, and those read by dateparser alone."""
    from trpkit.domain.fuzzy_dates import (
        PhraseDataError,
        language_data,
        phrase_languages,
        supported_languages,
    )

    full = phrase_languages()
    problems = []
    for lang in full:
        try:
            language_data(lang)
        except PhraseDataError as exc:
            problems.append(str(exc))
    click.echo("Full support (phrase files in checklists/date_phrases): " + ", ".join(full))
    others = [lang for lang in supported_languages() if lang not in full]
    click.echo(
        f"Dates and months only, through dateparser: {len(others)} languages, e.g. "
        + ", ".join(lang for lang in ("tl", "hi", "pa", "hu", "ro", "uk", "ru", "yo") if lang in others)
    )
    for problem in problems:
        click.echo(f"Problem: {problem}", err=True)
    if problems:
        raise SystemExit(1)
