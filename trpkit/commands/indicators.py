"""trpkit indicators list|assess|prompts|check: the Delphi indicator lists (no vault needed).

A case's indicator map (suggest, accept, link, unlink, links, set, contrast) is ``indicators_map``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from trpkit.commands._common import emit_json, json_option, table, to_jsonable
from trpkit.commands.assess import assessment_json, print_assessment
from trpkit.errors import UsageError

if TYPE_CHECKING:
    from trpkit.domain.frameworks import CriteriaSet, DelphiList, Frameworks


def _frameworks() -> Frameworks:
    from trpkit.loading.frameworks import load_frameworks

    return load_frameworks()


@click.group("indicators")
def indicators_group() -> None:
    """The Delphi indicator lists, the assessment, and a case's indicator map."""


@indicators_group.command("list")
@click.option(
    "--framework",
    help="delphi-adult-labour, delphi-child-labour, delphi-adult-sexual, delphi-child-sexual, "
    "ilo-forced-labour, ircc-vtip-criteria or criminal-code-279-04.",
)
@json_option
def indicators_list(framework: str | None, as_json: bool) -> None:
    """List the frameworks, or the indicators of one (no vault needed)."""
    fw = _frameworks()
    if framework is None:
        _list_frameworks(fw, as_json)
        return
    criteria = {c.id: c for c in fw.criteria.values()}
    if framework in criteria:
        _list_criteria(criteria[framework], as_json)
        return
    _list_indicators(fw.get(framework), as_json)


def _list_frameworks(fw: Frameworks, as_json: bool) -> None:
    data: dict[str, list[dict[str, Any]]] = {
        "frameworks": [
            {
                "id": d.id,
                "name": d.name,
                "kind": "delphi",
                "population": d.population,
                "exploitation": d.exploitation,
                "verification": d.verification.value,
                "complete": d.complete,
                "indicators": len(d.indicators),
            }
            for d in fw.delphi.values()
        ],
        "criteria_sets": [
            {
                "id": c.id,
                "name": c.name,
                "kind": "criteria",
                "verification": c.verification.value,
                "criteria": len(c.criteria),
            }
            for c in fw.criteria.values()
        ],
    }
    if as_json:
        emit_json(data)
        return
    table(
        [
            [
                f["id"],
                f["verification"] + ("" if f.get("complete", True) else ", incomplete"),
                str(f.get("indicators", f.get("criteria"))),
                f["name"],
            ]
            for f in [*data["frameworks"], *data["criteria_sets"]]
        ],
        ["framework", "verification", "items", "name"],
    )


def _list_criteria(cs: CriteriaSet, as_json: bool) -> None:
    if as_json:
        emit_json(
            {
                "framework": cs.id,
                "name": cs.name,
                "version": cs.version,
                "verification": cs.verification.value,
                "verification_note": cs.verification_note,
                "sources": list(cs.sources),
                "criteria": [to_jsonable(c) for c in cs.criteria],
            }
        )
        return
    click.echo(f"{cs.name} ({cs.verification.value})")
    table([[c.id, c.label] for c in cs.criteria], ["id", "criterion"])


def _list_indicators(delphi: DelphiList, as_json: bool) -> None:
    if as_json:
        emit_json(
            {
                "framework": delphi.id,
                "name": delphi.name,
                "population": delphi.population,
                "exploitation": delphi.exploitation,
                "version": delphi.version,
                "verification": delphi.verification.value,
                "verification_note": delphi.verification_note,
                "complete": delphi.complete,
                "sources": list(delphi.sources),
                "dimensions": [
                    {
                        "id": d.id,
                        "number": d.number,
                        "label": d.label,
                        "role": d.role,
                        "indicators": [to_jsonable(i) for i in delphi.in_dimension(d.id)],
                    }
                    for d in delphi.dimensions
                ],
            }
        )
        return
    click.echo(f"{delphi.name} ({delphi.verification.value}{'' if delphi.complete else ', INCOMPLETE'})")
    table(
        [[i.id, i.strength.value, i.verification.value, i.label] for i in delphi.indicators],
        ["id", "strength", "verified", "indicator"],
    )


@indicators_group.command("assess")
@click.option("--framework", required=True, help="Which Delphi list, e.g. delphi-adult-labour.")
@click.option(
    "--present", default="", help="Comma-separated ids of the indicators present, e.g. AL-1.01,AL-4.01."
)
@json_option
def indicators_assess(framework: str, present: str, as_json: bool) -> None:
    """Assess a set of present indicators (pure: no vault, nothing stored)."""
    from trpkit.domain.assessment import assess, findings_from_present
    from trpkit.domain.assessment_results import UnknownIndicator

    fw = _frameworks()
    delphi = fw.get(framework)
    try:
        findings = findings_from_present(delphi, present.split(","))
    except UnknownIndicator as exc:
        raise UsageError(
            f"{exc}. List the ids with 'trpkit indicators list --framework {framework}'."
        ) from None
    result = assess(delphi, findings, fw, track_support=False)
    if as_json:
        emit_json(assessment_json(result))
    else:
        print_assessment(result)


@indicators_group.command("prompts")
@click.argument("indicator_id")
@json_option
def indicators_prompts(indicator_id: str, as_json: bool) -> None:
    """Open questions an accompanier might explore for one indicator (never a script)."""
    fw = _frameworks()
    item = next(
        (lst.by_id[indicator_id.upper()] for lst in fw.delphi.values() if indicator_id.upper() in lst.by_id),
        None,
    )
    if item is None:
        raise UsageError(f"unknown indicator '{indicator_id}'")
    if as_json:
        emit_json(
            {"id": item.id, "label": item.label, "prompts": list(item.prompts), "note": fw.prompts_note}
        )
        return
    click.echo(f"{item.id}: {item.label}")
    for prompt in item.prompts:
        click.echo(f"  - {prompt}")
    click.echo("Follow the person's pace; leave it unexplored rather than push.")


@indicators_group.command("check")
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to check (default: the checklists trpkit uses).",
)
def indicators_check(directory: Path | None) -> None:
    """Validate the framework files; a problem is reported with its file and line (exit 2)."""
    from trpkit.loading.cues import cue_book
    from trpkit.loading.frameworks import load_frameworks

    fw = load_frameworks(directory)
    count = sum(len(d.indicators) for d in fw.delphi.values())
    cues = cue_book(directory)
    click.echo(
        f"OK: {len(fw.delphi)} Delphi lists ({count} indicators), {len(fw.criteria)} criteria sets, "
        f"crosswalk, prompts and {len(cues.cues)} cue phrases in {fw.directory}"
    )


def _add_case_map_commands() -> None:
    # A case's indicator map (suggest, accept, link, ...) lives in its own module.
    from trpkit.commands import indicators_map

    for command in (
        indicators_map.indicators_suggest,
        indicators_map.indicators_accept,
        indicators_map.indicators_link,
        indicators_map.indicators_unlink,
        indicators_map.indicators_links,
        indicators_map.indicators_set,
        indicators_map.indicators_contrast,
    ):
        indicators_group.add_command(command)


_add_case_map_commands()
