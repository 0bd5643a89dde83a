"""trpkit data check: read every data file of checklists/ (and config.toml) as trpkit will, and say so."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from trpkit.commands._common import emit_json, json_option

# Each data file and the loader that reads it: a new file gets a line here (docs/architecture.md).
Loader = Callable[[Path], int]  # the file -> how many entries it holds


def _frameworks(path: Path) -> int:
    from trpkit.loading.frameworks import load_frameworks

    fw = load_frameworks(path.parent)
    return sum(len(x.indicators) for x in fw.delphi.values()) + sum(
        len(c.criteria) for c in fw.criteria.values()
    )


def _cues(path: Path) -> int:
    from trpkit.loading.cues import cue_book

    return len(cue_book(path.parent).cues)


def _documents(path: Path) -> int:
    from trpkit.loading.document_checklists import load_all

    return sum(len(c.items) for c in load_all(path.parent).values())


def _policy(path: Path) -> int:
    from trpkit.loading.ircc_periods import load_policy

    return len(load_policy(path).periods)


def _reasons(path: Path) -> int:
    from trpkit.loading.ircc_periods import load_refusal_reasons

    return len(load_refusal_reasons(path))


def _clock(path: Path) -> int:
    from trpkit.domain.clocks import RULE_IDS
    from trpkit.loading.clock_rules import load_clock_rules

    return len(load_clock_rules(path, RULE_IDS))


def _incidents(path: Path) -> int:
    from trpkit.loading.incident_vocab import load_vocabulary

    return len(load_vocabulary(path.parent).places)


def _stopwords(path: Path) -> int:
    from trpkit.loading.incident_vocab import load_common_words

    return len(load_common_words(path.parent))


def _coalition(path: Path) -> int:
    from trpkit.loading.coalition_policy import load_policy
    from trpkit.services.incident_checks import incident_policy

    incident_policy(path)
    return len(load_policy(path, path.parent / "m49-regions.toml").hierarchies)


def _m49(path: Path) -> int:
    from trpkit.loading.coalition_policy import load_m49

    return len(load_m49(path).countries)


def _language(path: Path) -> int:
    from trpkit.loading.date_phrases import HOLIDAYS_FILE, load_holidays, load_language

    load_language(path, load_holidays(path.parent / HOLIDAYS_FILE))
    return 1  # one language


def _holidays(path: Path) -> int:
    from trpkit.loading.date_phrases import load_holidays

    return len(load_holidays(path))


LOADERS: dict[str, Loader] = {
    **dict.fromkeys(
        [
            "delphi-adult-labour.toml",
            "delphi-adult-sexual.toml",
            "delphi-child-labour.toml",
            "delphi-child-sexual.toml",
            "ilo-forced-labour.toml",
            "ircc-vtip-criteria.toml",
            "criminal-code-279-04.toml",
            "crosswalk.toml",
            "indicator-prompts.toml",
        ],
        _frameworks,
    ),
    "indicator-cues.toml": _cues,
    **dict.fromkeys(
        ["documents-initial-trp.toml", "documents-subsequent-trp.toml", "documents-owp-trp-holder.toml"],
        _documents,
    ),
    "policy-periods.toml": _policy,
    "refusal-reasons.toml": _reasons,
    "permit-holder-clock.toml": _clock,
    "incidents.toml": _incidents,
    "incident-places.toml": _incidents,
    "name-stopwords.toml": _stopwords,
    "coalition-policy.toml": _coalition,
    "m49-regions.toml": _m49,
    **{f"date_phrases/{lang}.toml": _language for lang in ("en", "fr", "es", "pt")},
    "date_phrases/holidays.toml": _holidays,
}


def check_folder(folder: Path) -> list[dict[str, object]]:
    """Every data file of ``folder`` read by its loader; the first problem raises its DataFileError."""
    from trpkit.errors import UsageError

    found = sorted(str(p.relative_to(folder)) for p in folder.rglob("*.toml"))
    unknown = [name for name in found if name not in LOADERS]
    if unknown:
        raise UsageError(f"{folder / unknown[0]}: no loader reads this file (see docs/architecture.md)")
    return [{"file": name, "entries": LOADERS[name](folder / name)} for name in found]


@click.group("data")
def data_group() -> None:
    """The data files trpkit reads (checklists/ and config.toml)."""


@data_group.command("check")
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to check (default: the checklists trpkit uses).",
)
@json_option
def data_check(directory: Path | None, as_json: bool) -> None:
    """Read every data file and config.toml; the first problem is reported with its file and line (exit 2)."""
    from trpkit.config import config_path, read_config_file
    from trpkit.paths import checklists_dir

    folder = directory or checklists_dir()
    results = check_folder(folder)
    config = config_path()
    read_config_file(config)
    if as_json:
        emit_json({"folder": str(folder), "files": results, "config": str(config)})
        return
    for row in results:
        click.echo(f"ok  {row['file']} ({row['entries']})")
    click.echo(f"OK: {len(results)} data files in {folder}; config {config}")
