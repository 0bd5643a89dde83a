"""trpkit assess CASE, and how an assessment is shown (JSON and text), also for 'trpkit indicators assess'."""

from __future__ import annotations

from typing import Any

import click

from trpkit.commands._common import AppContext, emit_json, json_option, pass_app, table, to_jsonable


def assessment_json(result: Any) -> dict[str, Any]:
    """The JSON contract of an assessment (pure or of a case): dimensions with their rule and counts."""
    from trpkit.domain.delphi_rules import TRPKIT_TIER_NOTE

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


def print_assessment(result: Any) -> None:
    from trpkit.domain.assessment_results import RECRUITMENT_UNDOCUMENTED, RECRUITMENT_UNDOCUMENTED_TEXT

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


@click.command("assess")
@click.argument("code")
@click.option("--framework", help="Override the list chosen from the person's age and the sector.")
@json_option
@pass_app
def assess_command(app: AppContext, code: str, framework: str | None, as_json: bool) -> None:
    """Assess a case's recorded indicator map (Delphi rule, explanation, gaps)."""
    from trpkit.services.indicators_assessment import case_assessment

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
    print_assessment(result)
