"""trpkit indicators list|assess|prompts|check|suggest|accept|link|unlink|links|set|contrast, trpkit assess CASE,
trpkit evidence add|list|edit|attach|get|remove|renumber|export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from trpkit.commands._common import AppContext, emit_json, json_option, pass_app, table, to_jsonable
from trpkit.errors import UsageError


def _frameworks():  # type: ignore[no-untyped-def]
    from trpkit.loading.frameworks import load_frameworks

    return load_frameworks()


def _numbers(text: str, what: str) -> list[int]:
    try:
        return [int(part) for part in text.replace(" ", "").split(",") if part]
    except ValueError:
        raise UsageError(f"{what} takes numbers separated by commas, e.g. 3,4") from None


def assessment_json(result: Any) -> dict[str, Any]:
    """The JSON contract of an assessment (pure or of a case): dimensions with their rule and counts."""
    from trpkit.domain.assessment import TRPKIT_TIER_NOTE

    data = {
        "framework": result.framework,
        "framework_name": result.framework_name,
        "framework_verification": result.framework_verification,
        "complete": getattr(result, "complete", getattr(result, "framework_complete", True)),
        "identified": result.identified,
        "identification_rule": result.identification_rule,
        "convergence": result.convergence,
        "trpkit_tier": result.trpkit_tier,
        "trpkit_tier_note": TRPKIT_TIER_NOTE,
        "explanation": result.explanation,
        "caveats": list(result.caveats),
        "dimensions": [
            {
                "id": d.id,
                "number": d.number,
                "label": d.label,
                "role": d.role,
                "positive": d.positive,
                "rule": d.rule,
                "rule_text": d.rule_text,
                "strong": d.strong,
                "medium": d.medium,
                "weak": d.weak,
                "indicators": list(d.indicators),
                "unrated": list(d.unrated),
                "present": [to_jsonable(p) for p in d.present],
                "reported_unsupported": list(d.reported_unsupported),
                "explored_absent": list(d.explored_absent),
            }
            for d in result.dimensions
        ],
        "gaps": to_jsonable(result.gaps),
        "status": getattr(result, "status", "identified" if result.identified else "not_identified"),
        "recruitment_gap": to_jsonable(getattr(result, "recruitment_gap", ())),
    }
    age = getattr(result, "age", None)
    if age is not None:
        data["age_at_recruitment"] = {
            "child_at_recruitment": age.child_at_recruitment,
            "adult_now": age.adult_now,
            "child_then_adult": age.child_then_adult,
            "age": age.age_text,
            "reckoned_from": age.reference,
        }
    return data


def _print_assessment(result: Any) -> None:
    from trpkit.domain.assessment import RECRUITMENT_UNDOCUMENTED, RECRUITMENT_UNDOCUMENTED_TEXT

    status = getattr(result, "status", "")
    head = (
        "IDENTIFIED"
        if result.identified
        else RECRUITMENT_UNDOCUMENTED_TEXT
        if status == RECRUITMENT_UNDOCUMENTED
        else "not identified"
    )
    click.echo(f"{result.framework_name} ({result.framework}, {result.framework_verification}): {head}")
    rows = []
    for d in result.dimensions:
        present = ", ".join(d.indicators) + (f" (+ unrated {', '.join(d.unrated)})" if d.unrated else "")
        rows.append(
            [
                str(d.number),
                d.label,
                "yes" if d.positive else "no",
                f"{d.strong}/{d.medium}/{d.weak}",
                d.rule_text or "-",
                present or "-",
            ]
        )
    table(rows, ["#", "dimension", "positive", "S/M/W", "rule", "present"])
    click.echo("")
    click.echo(click.wrap_text(result.explanation, width=100))
    age = getattr(result, "age", None)
    if age is not None and age.age_text:
        click.echo(f"Age at recruitment: {age.age_text} (reckoned from {age.reference})")
        if age.child_then_adult:
            click.echo("A child when recruited, an adult now: the child rule applies to what happened then.")
    gap = getattr(result, "recruitment_gap", ())
    if gap:
        click.echo("\nThe recruitment element is not yet documented. To explore:")
        for c in gap[:5]:
            click.echo(f"  {c.id} {c.strength}: {c.label}")
            for prompt in c.prompts[:1]:
                click.echo(f'    e.g. "{prompt}"')
    gaps = result.gaps
    if gaps.near_misses:
        click.echo("\nOne indicator short:")
        for near in gaps.near_misses:
            flag = "  (would identify)" if near.would_identify else ""
            click.echo(f"  {near.label}: needs {near.needs}{flag}")
            for c in near.candidates:
                click.echo(f"    {c.id} {c.strength}, {c.status.replace('_', ' ')}: {c.label}")
                for prompt in c.prompts[:1]:
                    click.echo(f'      e.g. "{prompt}"')
    if gaps.account_only:
        click.echo(f"\nResting only on the person's own account: {', '.join(gaps.account_only)}")
    if gaps.no_support_recorded:
        click.echo(f"Marked present without linked evidence: {', '.join(gaps.no_support_recorded)}")
    if gaps.ircc:
        missing = [f"{c.id} ({c.label})" for c in gaps.ircc if not c.supported]
        click.echo(f"IRCC criteria with no indication: {', '.join(missing) if missing else 'none'}")
        bare = [c.id for c in gaps.ircc if c.supported and not c.evidenced]
        if bare:
            click.echo(f"IRCC criteria indicated but with no exhibit or passage linked: {', '.join(bare)}")


# ------------------------------------------------------------------------------------ indicators


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
        data = {
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
        return
    criteria = {c.id: c for c in fw.criteria.values()}
    if framework in criteria:
        cs = criteria[framework]
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
        return
    delphi = fw.get(framework)
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
    from trpkit.domain.assessment import UnknownIndicator, assess, findings_from_present

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
        _print_assessment(result)


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


@indicators_group.command("suggest")
@click.argument("code")
@json_option
@pass_app
def indicators_suggest(app: AppContext, code: str, as_json: bool) -> None:
    """Passages that read like an indicator but are not linked to it, and contradictions in the file.

    Nothing is linked on its own: accept a suggestion with 'trpkit indicators accept CODE ID'.
    """
    from trpkit.services.case_review import review

    with app.session() as session:
        result = review(session, app.actor(session), code)
    if as_json:
        emit_json(result)
        return
    if not result.suggestions:
        click.echo(f"{result.code}: no unlinked passage matches an indicator's cues.")
    else:
        click.echo(
            f"{result.code}: {len(result.suggestions)} suggestion(s) ({result.framework}); accept with "
            f"'trpkit indicators accept {result.code} ID'"
        )
        table(
            [
                [
                    s.id,
                    s.indicator_id + (" (recorded)" if s.indicator_present else ""),
                    s.passage,
                    s.excerpt,
                ]
                for s in result.suggestions
            ],
            ["id", "indicator", "passage", "words"],
        )
    if result.contradictions:
        click.echo(f"\n{len(result.contradictions)} contradiction(s):")
        for c in result.contradictions:
            click.echo(f"- {c.message}")


@indicators_group.command("accept")
@click.argument("code")
@click.argument("suggestion_ids", metavar="ID[,ID...]")
@click.option(
    "--status",
    default="present",
    show_default=True,
    help="present, or reported_unsupported / explored_absent to record that the passage was read.",
)
@click.option(
    "--note", default="", help="What the passage shows, in a few words (default: the passage named)."
)
@json_option
@pass_app
def indicators_accept(
    app: AppContext, code: str, suggestion_ids: str, status: str, note: str, as_json: bool
) -> None:
    """Accept suggestions from 'trpkit indicators suggest CODE': link each indicator to its passage."""
    from trpkit.services.case_review import accept_suggestion

    ids = [i.strip() for i in suggestion_ids.split(",") if i.strip()]
    if not ids:
        raise UsageError("give at least one suggestion id, e.g. E12-5.01")
    with app.session() as session:
        actor = app.actor(session)
        rows = [
            row
            for sid in ids
            for row in accept_suggestion(session, actor, code, sid, status=status, note=note)
        ]
    if as_json:
        emit_json(rows)
        return
    for row in rows:
        where = (
            f"exhibit {row.exhibit_number}"
            if row.exhibit_number
            else f"narrative entry {row.narrative_entry_id}"
            if row.narrative_entry_id
            else "a note"
        )
        click.echo(f"link {row.id}: {row.indicator_id} {row.status_label} ({where})")


@indicators_group.command("link")
@click.argument("code")
@click.argument("indicator_ids", metavar="INDICATOR[,INDICATOR...]")
@click.option(
    "--status",
    default="present",
    show_default=True,
    help="present, reported_unsupported, explored_absent or not_explored.",
)
@click.option("--exhibit", type=int, help="Exhibit number the statement rests on.")
@click.option("--entry", "entry", type=int, help="Narrative entry (the person's own words) it rests on.")
@click.option("--note", default="", help="What supports it, in a few words (no need to repeat the exhibit).")
@json_option
@pass_app
def indicators_link(
    app: AppContext,
    code: str,
    indicator_ids: str,
    status: str,
    exhibit: int | None,
    entry: int | None,
    note: str,
    as_json: bool,
) -> None:
    """Link indicators of a case to an exhibit (or mark them with a note). All or nothing."""
    from trpkit.services.indicators import link_indicator

    ids = [i.strip() for i in indicator_ids.split(",") if i.strip()]
    if not ids:
        raise UsageError("give at least one indicator id, e.g. AL-5.01")
    with app.session() as session:
        actor = app.actor(session)
        rows = [
            link_indicator(
                session, actor, code, iid, status=status, note=note, exhibit=exhibit, narrative_entry_id=entry
            )
            for iid in ids
        ]
    if as_json:
        emit_json(rows)
        return
    for row in rows:
        where = (
            f"exhibit {row.exhibit_number}"
            if row.exhibit_number
            else f"narrative entry {row.narrative_entry_id}"
            if row.narrative_entry_id
            else "a note"
        )
        click.echo(f"link {row.id}: {row.indicator_id} {row.status_label} ({where})")


@indicators_group.command("unlink")
@click.argument("code")
@click.argument("link_id", type=int)
@pass_app
def indicators_unlink(app: AppContext, code: str, link_id: int) -> None:
    """Remove one indicator link (see 'trpkit indicators links CODE')."""
    from trpkit.services.indicators import unlink

    with app.session() as session:
        unlink(session, app.actor(session), code, link_id)
    click.echo(f"link {link_id} removed")


@indicators_group.command("links")
@click.argument("code")
@json_option
@pass_app
def indicators_links(app: AppContext, code: str, as_json: bool) -> None:
    """The indicator links recorded for a case."""
    from trpkit.services.indicators import list_links

    with app.session() as session:
        rows = list_links(session, app.actor(session), code)
    if as_json:
        emit_json(rows)
        return
    table(
        [
            [
                str(r.id),
                r.indicator_id,
                r.strength,
                r.status_label,
                str(r.exhibit_number or "-"),
                r.label,
                r.note,
            ]
            for r in rows
        ],
        ["link", "indicator", "strength", "status", "exhibit", "indicator", "note"],
    )


@indicators_group.command("set")
@click.argument("code")
@click.option("--framework", help="A Delphi list for this case, or 'auto' to choose from age and sector.")
@click.option("--exploitation-start", help="When the recruitment or exploitation began ('spring 2019').")
@click.option(
    "--consented-to-crossing",
    type=click.Choice(["yes", "no", "unknown"]),
    help="Did the person agree to the border crossing? (for the smuggling contrast)",
)
@json_option
@pass_app
def indicators_set(
    app: AppContext,
    code: str,
    framework: str | None,
    exploitation_start: str | None,
    consented_to_crossing: str | None,
    as_json: bool,
) -> None:
    """Settings of a case's indicator map."""
    from trpkit.services.indicators import set_settings

    changes: dict[str, Any] = {}
    if framework is not None:
        changes["framework"] = None if framework == "auto" else framework
    if exploitation_start is not None:
        changes["exploitation_start"] = exploitation_start
    if consented_to_crossing is not None:
        changes["consented_to_crossing"] = {"yes": True, "no": False, "unknown": None}[consented_to_crossing]
    if not changes:
        raise UsageError(
            "nothing to change: give --framework, --exploitation-start or --consented-to-crossing"
        )
    with app.session() as session:
        settings = set_settings(session, app.actor(session), code, **changes)
    if as_json:
        emit_json(settings)
    else:
        click.echo(f"{code.upper()}: framework {settings.framework or 'automatic'}")


@indicators_group.command("contrast")
@click.argument("code")
@json_option
@pass_app
def indicators_contrast(app: AppContext, code: str, as_json: bool) -> None:
    """Trafficking or smuggling? The five elements read against the case's indicators."""
    from trpkit.services.indicators import case_contrast

    with app.session() as session:
        result = case_contrast(session, app.actor(session), code)
    if as_json:
        emit_json(result)
        return
    table(
        [[e.label, e.reading, ", ".join(e.indicators) or "-"] for e in result.elements],
        ["element", "reading", "items"],
    )
    click.echo("\n" + click.wrap_text(result.summary, width=100))


# ------------------------------------------------------------------------------------ assess CASE


@click.command("assess")
@click.argument("code")
@click.option("--framework", help="Override the list chosen from the person's age and the sector.")
@json_option
@pass_app
def assess_command(app: AppContext, code: str, framework: str | None, as_json: bool) -> None:
    """Assess a case's recorded indicator map (Delphi rule, explanation, gaps)."""
    from trpkit.services.indicators import case_assessment

    with app.session() as session:
        result = case_assessment(session, app.actor(session), code, framework)
    if as_json:
        data = assessment_json(result)
        data.update(
            {
                "code": result.code,
                "framework_reason": result.framework_reason,
                "links": result.links,
                "translated_links": result.translated_links,
                "unmatched_links": list(result.unmatched_links),
            }
        )
        emit_json(data)
        return
    click.echo(f"{result.code}: list chosen: {result.framework_reason}")
    _print_assessment(result)


# ------------------------------------------------------------------------------------ evidence


@click.group("evidence")
def evidence_group() -> None:
    """The evidence register: numbered exhibits and files kept inside the vault."""


@evidence_group.command("add")
@click.argument("code")
@click.option(
    "--type",
    "kind",
    required=True,
    help="account, document, contract, pay_record, message_or_photo, medical_report, "
    "police_or_inspection_report, third_party_letter or other.",
)
@click.option("--description", required=True, help="What it is and what it shows.")
@click.option(
    "--date", "date_text", default="", help="When, as precisely as known ('March 2024', 'summer 2023')."
)
@click.option("--source", default="", help="Who or where it comes from.")
@click.option(
    "--how-obtained", default="", help="How it was obtained (given by the person, requested from ...)."
)
@click.option(
    "--entries", default="", help="For the person's account: narrative entry numbers it rests on (3,4)."
)
@json_option
@pass_app
def evidence_add(
    app: AppContext,
    code: str,
    kind: str,
    description: str,
    date_text: str,
    source: str,
    how_obtained: str,
    entries: str,
    as_json: bool,
) -> None:
    """Register an evidence item; prints its exhibit number."""
    from trpkit.services.evidence import add_evidence

    with app.session() as session:
        row = add_evidence(
            session,
            app.actor(session),
            code,
            type=kind,
            description=description,
            date_text=date_text,
            source=source,
            how_obtained=how_obtained,
            narrative_entry_ids=_numbers(entries, "--entries"),
        )
    if as_json:
        emit_json(row)
    else:
        click.echo(f"exhibit {row.exhibit_number}")


@evidence_group.command("list")
@click.argument("code")
@json_option
@pass_app
def evidence_list(app: AppContext, code: str, as_json: bool) -> None:
    """The exhibits of a case (this read is logged)."""
    from trpkit.services.evidence import list_evidence

    with app.session() as session:
        rows = list_evidence(session, app.actor(session), code)
    if as_json:
        emit_json(rows)
        return
    table(
        [
            [
                str(r.exhibit_number),
                r.type_label,
                r.date.original if r.date else "-",
                r.description[:50],
                str(len(r.attachments)),
                ",".join(r.indicator_ids) or "-",
            ]
            for r in rows
        ],
        ["exhibit", "type", "date", "description", "files", "indicators"],
    )


@evidence_group.command("edit")
@click.argument("code")
@click.argument("exhibit", type=int)
@click.option("--type", "kind", help="A new evidence type.")
@click.option("--description")
@click.option("--date", "date_text", help="A new date, as precisely as known.")
@click.option("--source")
@click.option("--how-obtained")
@click.option(
    "--entries", help="For the person's account: the narrative entry numbers it rests on ('' for none)."
)
@click.option("--expected-version", type=int, help="Refuse if the exhibit changed since this version.")
@json_option
@pass_app
def evidence_edit(
    app: AppContext,
    code: str,
    exhibit: int,
    kind: str | None,
    description: str | None,
    date_text: str | None,
    source: str | None,
    how_obtained: str | None,
    entries: str | None,
    expected_version: int | None,
    as_json: bool,
) -> None:
    """Change an exhibit's type, description, date, source or how it was obtained."""
    from trpkit.services.evidence import update_evidence

    changes = {
        k: v
        for k, v in {
            "type": kind,
            "description": description,
            "date_text": date_text,
            "source": source,
            "how_obtained": how_obtained,
        }.items()
        if v is not None
    }
    if not changes and entries is None:
        raise UsageError(
            "nothing to change: give --type, --description, --date, --source, --how-obtained or --entries"
        )
    with app.session() as session:
        row = update_evidence(
            session,
            app.actor(session),
            code,
            exhibit,
            expected_version=expected_version,
            narrative_entry_ids=None if entries is None else _numbers(entries, "--entries"),
            **changes,
        )
    if as_json:
        emit_json(row)
    else:
        click.echo(f"exhibit {row.exhibit_number} saved (version {row.version})")


@evidence_group.command("attach")
@click.argument("code")
@click.argument("exhibit", type=int)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--name", help="Name to store (default: the file's name).")
@click.option("--media-type", help="e.g. application/pdf (default: guessed from the name).")
@json_option
@pass_app
def evidence_attach(
    app: AppContext,
    code: str,
    exhibit: int,
    file: Path,
    name: str | None,
    media_type: str | None,
    as_json: bool,
) -> None:
    """Copy a file INTO the vault, attached to an exhibit. You may then delete the original."""
    from trpkit.services.evidence import attach_file

    data = file.read_bytes()
    with app.session() as session:
        info = attach_file(session, app.actor(session), code, exhibit, name or file.name, data, media_type)
    if as_json:
        emit_json(info)
    else:
        click.echo(f"attachment {info.id}: {info.name} ({info.size} bytes, sha256 {info.sha256[:16]}…)")


@evidence_group.command("get")
@click.argument("code")
@click.argument("attachment_id", type=int)
@click.option(
    "--output",
    "output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the file (must not exist).",
)
@pass_app
def evidence_get(app: AppContext, code: str, attachment_id: int, output: Path) -> None:
    """Write one attachment out of the vault (this is logged)."""
    from trpkit.services.evidence import attachment_bytes

    if output.exists():
        raise UsageError(f"{output} exists: choose a new file name")
    with app.session() as session:
        info, data = attachment_bytes(session, app.actor(session), code, attachment_id)
    output.write_bytes(data)
    click.echo(f"{output} ({info.size} bytes)")


@evidence_group.command("remove")
@click.argument("code")
@click.argument("exhibit", type=int)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option("--expected-version", type=int, help="Refuse if the exhibit changed since this version.")
@pass_app
def evidence_remove(
    app: AppContext, code: str, exhibit: int, yes: bool, expected_version: int | None
) -> None:
    """Remove an exhibit, its files and the indicator links resting on it."""
    from trpkit.services.evidence import delete_evidence

    if not yes:
        click.confirm(f"Remove exhibit {exhibit} of {code}, its files and its indicator links?", abort=True)
    with app.session() as session:
        delete_evidence(session, app.actor(session), code, exhibit, expected_version=expected_version)
    click.echo(f"exhibit {exhibit} removed")


@evidence_group.command("renumber")
@click.argument("code")
@pass_app
def evidence_renumber(app: AppContext, code: str) -> None:
    """Number the exhibits 1..n in date order (undated ones last)."""
    from trpkit.services.evidence import renumber_exhibits

    with app.session() as session:
        rows = renumber_exhibits(session, app.actor(session), code)
    click.echo(f"{len(rows)} exhibits renumbered")


@evidence_group.command("export")
@click.argument("code")
@click.argument("directory", type=click.Path(file_okay=True, path_type=Path))
@json_option
@pass_app
def evidence_export(app: AppContext, code: str, directory: Path, as_json: bool) -> None:
    """Write every attachment, named by exhibit, into a new folder (needs consent to submit)."""
    from trpkit.services.evidence import export_evidence

    with app.session() as session:
        result = export_evidence(session, app.actor(session), code, directory)
    if as_json:
        emit_json(result)
    else:
        click.echo(f"{len(result.files)} file(s) written to {result.directory}")
