"""The coalition report: every analysis as JSON-able data, findings in plain words, and a Word version.

``build_report`` never shows an agency, a group below the minimum cell or a count of 1 to 4. The Word
report adds matplotlib charts (imported only when a Word report is written).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from trpkit.coalition import disclosure, stats, summaries
from trpkit.coalition import findings as plain
from trpkit.coalition.record import OUTCOMES, Record
from trpkit.coalition.report_comparisons import group_tests, guarded_regression, planned_comparisons
from trpkit.coalition.report_docx import (
    disclosure_section,
    indicators_section,
    processing_section,
    rates_section,
    reasons_section,
    regression_section,
    table_grid,
    variation_section,
)
from trpkit.coalition.report_models import (
    guarded_indicators,
    guarded_labour_indicators,
    guarded_office,
    guarded_renewal_risk,
)
from trpkit.coalition.report_processing import guarded_processing
from trpkit.coalition.report_reasons import guarded_reasons
from trpkit.coalition.report_words import (
    comparison_finding,
    disclosure_lines,
    interval,
    regression_finding,
    variation_findings,
)
from trpkit.coalition.words import group_words
from trpkit.domain.coalition_policy import NEVER_BELOW, SCHEMA_VERSION


def _default_hierarchies() -> dict[str, Any]:
    from trpkit.loading.coalition_policy import load_policy

    return dict(load_policy().hierarchies)


def _outcome_counts(protection: disclosure.Protection) -> dict[str, Any]:
    """Outcome counts, with the outcomes from 1 to 4 pooled (their total is published, so never one alone)."""
    counts: dict[str, int] = {}
    for outcome in OUTCOMES:
        label = protection.outcome_label.get(outcome, outcome)
        counts[label] = counts.get(label, 0) + int(np.sum(protection.outcome == outcome))
    return counts


def _insufficient(report: dict[str, Any], limitations: list[str], text: str) -> dict[str, Any]:
    report.update(
        rates=[],
        tests=[],
        comparisons=[],
        regression={"ok": False, "reason": "too few decisions"},
        processing={"ok": False, "reason": "too few records"},
        indicators={"ok": False},
        refusal_reasons={"ok": False},
        variation={},
        findings=[{"topic": "overall", "strength": "insufficient", "text": text}],
        limitations=limitations,
    )
    return report


def build_report(
    records: Sequence[Record],
    *,
    min_cell: int = 10,
    source: str = "",
    generated_at: datetime | None = None,
    include_charts_data: bool = True,
    hierarchies: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Every analysis as data. One disclosure pass (``disclosure.protect``) plans the whole report before any
    statistic is computed; every statistic is computed from its recoded records and admitted through its
    ledger, so no count from 1 to 4 can be derived from what is published."""
    min_cell = max(min_cell, NEVER_BELOW)
    protection = disclosure.protect(
        records,
        (*stats.DIMENSIONS, "officer_label"),
        min_cell,
        _default_hierarchies() if hierarchies is None else hierarchies,
    )
    # The agency is never published: no table, test or finding below reads it.
    frame = stats.Frame(protection.records)
    raw = stats.Frame(records)  # raw values, only to define planned comparisons (checked by the ledger)
    report = _header(len(records), frame, protection, min_cell, source, generated_at)
    limitations = _limitations(min_cell)
    decided_count = int(frame.decided.sum())
    if report["overall"] is None:
        report["disclosure"] = protection.summary()
        return _insufficient(report, limitations, _why_insufficient(report, decided_count, min_cell))
    overall = report["overall"]
    findings: list[dict[str, Any]] = [
        {
            "topic": "overall",
            "strength": "clear",
            "text": f"Of {decided_count} decided applications, {overall['rate_display']} were granted "
            f"(95% CI {overall.get('ci_display') or interval(overall['ci'])}).",
        }
    ]
    _analyses(report, findings, frame, raw, protection, min_cell)
    # Everything is computed: check it all together, withdraw what must go, and only then write findings.
    protection.ledger.audit()
    report["renewal_risk"] = guarded_renewal_risk(raw, report["comparisons"], min_cell)
    processing = report["processing"]
    if not include_charts_data and processing.get("ok"):
        for curve in processing["groups"].values():
            for key in ("times", "survival", "lower", "upper", "incidence"):
                curve.pop(key, None)
    findings.extend(_audited_findings(report, min_cell))
    report["disclosure"] = protection.summary()
    report["findings"] = findings
    report["limitations"] = limitations
    return report


def _why_insufficient(report: dict[str, Any], decided_count: int, min_cell: int) -> str:
    if report["decided"] == "not shown" and decided_count >= min_cell:
        return (
            "Fewer than 5 grants or fewer than 5 refusals: no grant rate can be shown without revealing them."
        )
    return (
        f"Only {decided_count if decided_count >= NEVER_BELOW else 'fewer than 5'} decisions: "
        f"too few for any analysis (the minimum group is {min_cell})."
    )


def _header(
    records: int,
    frame: stats.Frame,
    protection: disclosure.Protection,
    min_cell: int,
    source: str,
    generated_at: datetime | None,
) -> dict[str, Any]:
    """Title, counts and the overall grant rate (None when there are too few decisions, or too few grants or
    refusals, to show one)."""
    decided_count = int(frame.decided.sum())
    granted = int(frame.granted.sum())
    outcomes = _outcome_counts(protection)
    one_sided = "granted" not in outcomes or "refused" not in outcomes
    return {
        "title": "Coalition review of TRP decisions",
        "schema_version": SCHEMA_VERSION,
        "generated_at": (generated_at or datetime.now(UTC)).isoformat(timespec="seconds"),
        "source": source,
        "min_cell": min_cell,
        "records": records if not disclosure.small(records) else "< 5",
        "decided": decided_count if not one_sided else "not shown",
        "outcomes": outcomes,
        "overall": stats.rate_cell("all decisions", granted, decided_count - granted)
        if decided_count >= min_cell and not one_sided
        else None,
    }


def _limitations(min_cell: int) -> list[str]:
    return [
        "Grant rate = granted / (granted + refused). Withdrawn, returned and pending applications are not in it.",
        (
            f"Groups with fewer than {min_cell} decisions, or with fewer than 5 grants or refusals, are not shown "
            "on their own: they are merged with related groups (trans men with men) or pooled as 'other groups', "
            "and every analysis uses the merged groups. A statistic from which a count below 5 could be worked "
            "out is withheld; the 'disclosure' section lists what was merged, pooled or withheld and why."
        ),
        (
            "These are decisions shared by coalition members with the person's consent, not all TRP decisions: "
            "differences may reflect which cases reach an NGO, not only how IRCC decides."
        ),
        "An association is not a cause: a difference between groups may come from differences in the cases.",
    ]


def _analyses(
    report: dict[str, Any],
    findings: list[dict[str, Any]],
    frame: stats.Frame,
    raw: stats.Frame,
    protection: disclosure.Protection,
    min_cell: int,
) -> None:
    """Every table, test and model of the report (in place), each admitted through the ledger; the group
    tests' findings go to ``findings``."""
    rates = [
        stats.grant_table(frame, d, min_cell)
        for d in stats.DIMENSIONS
        if d in protection.plans and not protection.plans[d].withheld
    ]
    rates = [t for t in rates if t["present"]]
    for table in rates:
        plan = protection.plans[table["dimension"]]
        table["suppressed_groups"] = len(plan.pooled)
        table["merged"] = {label: list(values) for label, values in plan.merged.items()}
    report["rates"] = rates
    report["tests"] = group_tests(frame, rates, findings)
    report["comparisons"] = planned_comparisons(frame, raw, protection, min_cell)
    report["regression"] = guarded_regression(frame, raw, protection, min_cell)
    report["labour_indicators"] = guarded_labour_indicators(raw, protection, min_cell)
    report["processing"] = guarded_processing(frame, protection, min_cell)
    report["indicators"] = guarded_indicators(frame, raw, protection, min_cell)
    report["refusal_reasons"] = guarded_reasons(frame, protection, min_cell)
    report["office_adjusted"] = guarded_office(frame, protection, min_cell)
    report["variation"] = {}
    for dimension in ("ircc_office", "officer_label"):
        unit_plan = protection.plans.get(dimension)
        if frame.present(dimension) and unit_plan is not None and not unit_plan.withheld:
            # Units are the published groups of the plan: a pooled unit never appears here on its own.
            report["variation"][dimension] = summaries.variation(frame, dimension, min_cell)


def _audited_findings(report: dict[str, Any], min_cell: int) -> list[dict[str, Any]]:
    """The findings of what the joint audit left standing, in the report's order."""
    findings = [comparison_finding(c) for c in report["comparisons"]]
    findings.append(regression_finding(report["regression"]))
    findings.append(plain.renewal_risk(report["renewal_risk"]))
    findings.append(plain.labour_indicators(report["labour_indicators"]))
    findings.append(plain.waiting_time(report["processing"]))
    findings.append(
        plain.indicator_counts(report["indicators"].get("labour_vs_sex_trade", {"ok": False, "reason": "-"}))
    )
    findings.append(plain.office_adjusted(report["office_adjusted"]))
    for result in report["variation"].values():
        findings.extend(variation_findings(result, min_cell))
    return findings


# ------------------------------------------------------------------------------------------ plain text


def render_text(report: dict[str, Any]) -> str:
    lines = [
        report["title"],
        (
            f"{report['records']} records, {report['decided']} decided; groups under "
            f"{report['min_cell']} not shown."
        ),
        "",
        "Findings:",
    ]
    lines += [f"  - {f['text']}" for f in report["findings"]]
    for table in report.get("rates", []):
        lines += ["", f"Grant rate by {table['label']}:"]
        for cell in table["cells"]:
            value = group_words(table["dimension"], cell["value"])
            lines.append(
                f"  {value[:34]:<34} {cell['rate_display']:>7}  95% CI {cell.get('ci_display') or interval(cell['ci']):<9} n = {cell['n']}"
            )
        if table["suppressed_groups"]:
            lines.append(f"  ({table['suppressed_groups']} small group(s) not shown)")
        if table["note"]:
            lines.append(f"  {table['note']}")
    hidden = disclosure_lines(report.get("disclosure", {}))
    if hidden:
        lines += ["", "What is not shown, and why:"] + [f"  - {text}" for text in hidden]
    lines += ["", "Limits of this analysis:"] + [f"  - {text}" for text in report["limitations"]]
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------------------ Word report


def write_docx(report: dict[str, Any], path: Path) -> Path:
    from docx import Document

    doc = Document()
    doc.add_heading(report["title"], level=0)
    doc.add_paragraph(
        f"Generated {report['generated_at']} from {report['records']} shared records "
        f"({report['decided']} decided). No agency is identified; groups of fewer than "
        f"{report['min_cell']} decisions and counts from 1 to 4 are never shown."
    )
    doc.add_heading("What the data show", level=1)
    for finding in report["findings"]:
        doc.add_paragraph(finding["text"], style="List Bullet")
    rates_section(doc, report)
    regression_section(doc, report)
    processing_section(doc, report)
    indicators_section(doc, report)
    variation_section(doc, report)
    plain.docx_tables(doc, report, table_grid)
    reasons_section(doc, report)
    disclosure_section(doc, report.get("disclosure", {}))
    doc.add_heading("Limits of this analysis", level=1)
    for text in report["limitations"]:
        doc.add_paragraph(text, style="List Bullet")
    path = Path(path)
    doc.save(str(path))
    return path
