"""Pieces of the Word report: charts (matplotlib, imported only here and only when a Word report is
written), tables and the disclosure section."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from trpkit.coalition import stats
from trpkit.coalition.report_words import disclosure_lines, interval, p_words, percent
from trpkit.coalition.words import group_words


def chart_rates(table: dict[str, Any]) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cells = table["cells"]
    fig, ax = plt.subplots(figsize=(6.2, 0.45 * len(cells) + 1.1), dpi=110)
    for y, cell in enumerate(reversed(cells)):
        lo, hi = cell["ci"]
        ax.plot([lo, hi], [y, y], color="#34638a", linewidth=2)
        if cell["rate"] is not None:
            ax.plot(cell["rate"], y, "o", color="#1b3a57")
    names = [group_words(table["dimension"], c["value"])[:30] for c in reversed(cells)]
    ax.set_yticks(range(len(cells)), names)
    ax.set_xlim(0, 1)
    ax.set_xlabel("grant rate with 95% interval")
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()


def chart_km(processing: dict[str, Any]) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.2, 3.4), dpi=110)
    for name, curve in processing["groups"].items():
        if not curve.get("times"):
            continue
        times = [0.0] + curve["times"]
        ax.step(times, [1.0] + curve["survival"], where="post", label=group_words("application_type", name))
        ax.fill_between(times, [1.0] + curve["lower"], [1.0] + curve["upper"], step="post", alpha=0.15)
    ax.axhline(0.5, color="grey", linewidth=0.8, linestyle=":")
    ax.set_xlabel("days since submission")
    ax.set_ylabel("share still waiting")
    ax.set_ylim(0, 1.02)
    ax.legend(fontsize=8)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()


def table_grid(doc, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:  # type: ignore[no-untyped-def]
    grid = doc.add_table(rows=1, cols=len(headers))
    grid.style = "Light Grid Accent 1"
    for cell, text in zip(grid.rows[0].cells, headers, strict=True):
        cell.text = text
    for row in rows:
        for cell, text in zip(grid.add_row().cells, row, strict=True):
            cell.text = str(text)


def disclosure_section(doc, disclosure_summary: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    doc.add_heading("What is not shown, and why", level=1)
    doc.add_paragraph(disclosure_summary.get("standard", ""))
    for line in disclosure_lines(disclosure_summary) or ["Nothing had to be merged, pooled or withheld."]:
        doc.add_paragraph(line, style="List Bullet")


def rates_section(doc, report: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    """Grant rates by each dimension: a table and a chart each."""
    from docx.shared import Inches

    for table in report.get("rates", []):
        if not table["cells"]:
            continue
        doc.add_heading(f"Grant rate by {table['label']}", level=2)
        grid = doc.add_table(rows=1, cols=4)
        grid.style = "Light Grid Accent 1"
        for cell, text in zip(
            grid.rows[0].cells, ("group", "decisions", "granted", "95% interval"), strict=True
        ):
            cell.text = text
        for row in table["cells"]:
            cells = grid.add_row().cells
            cells[0].text, cells[1].text = group_words(table["dimension"], row["value"]), str(row["n"])
            cells[2].text, cells[3].text = row["rate_display"], row.get("ci_display") or interval(row["ci"])
        doc.add_picture(io.BytesIO(chart_rates(table)), width=Inches(6))
        if table["suppressed_groups"]:
            doc.add_paragraph(f"{table['suppressed_groups']} small group(s) are not shown.")


def regression_section(doc, report: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    """The regression's terms, or why there is none."""
    regression = report.get("regression", {})
    doc.add_heading("Accounting for case mix (logistic regression)", level=1)
    if regression.get("ok"):
        grid = doc.add_table(rows=1, cols=4)
        grid.style = "Light Grid Accent 1"
        for cell, text in zip(grid.rows[0].cells, ("term", "odds ratio", "95% interval", "p"), strict=True):
            cell.text = text
        for term in regression["terms"]:
            cells = grid.add_row().cells
            cells[0].text, cells[1].text = term["term"], f"{term['odds_ratio']:.2f}"
            cells[2].text, cells[3].text = f"{term['ci'][0]:.2f}–{term['ci'][1]:.2f}", p_words(term["p"])
    else:
        doc.add_paragraph(f"Not possible: {regression.get('reason', 'no data')}.")


def processing_section(doc, report: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    """The waiting-time curves, when the report kept them."""
    from docx.shared import Inches

    processing = report.get("processing", {})
    if processing.get("ok") and any(c.get("times") for c in processing["groups"].values()):
        doc.add_heading("Processing times", level=1)
        doc.add_paragraph(
            "Kaplan-Meier curves of the share of applications still waiting for a decision; "
            + processing["note"]
            + "."
        )
        doc.add_picture(io.BytesIO(chart_km(processing)), width=Inches(6))


def indicators_section(doc, report: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    """Indicators present at grant and at refusal, by sector."""
    indicators = report.get("indicators", {})
    if indicators.get("ok") and indicators["sectors"]:
        doc.add_heading("Indicators present at grant and at refusal, by sector", level=1)
        doc.add_paragraph(
            f"Measure: {indicators['measure']}; median (quartiles) and mean. A dash means fewer "
            f"than {report['min_cell']} decisions."
        )

        def summary(entry: dict[str, Any] | None) -> str:
            if entry is None:
                return "-"
            return f"{entry['median']:.0f} ({entry['q1']:.0f}–{entry['q3']:.0f}); mean {entry['mean']:.1f}; n = {entry['n']}"

        table_grid(
            doc,
            ("sector", "granted", "refused"),
            [
                (row["sector"], summary(row["granted"]), summary(row["refused"]))
                for row in indicators["sectors"]
            ],
        )


def variation_section(doc, report: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    """Offices and officers: each one's rate and its shrunk estimate."""
    for result in report.get("variation", {}).values():
        if not result.get("ok"):
            continue
        doc.add_heading(f"Variation between {result['label']}s", level=1)
        doc.add_paragraph(
            f"Only {result['label']}s with at least {report['min_cell']} decisions. 'Shrunk' pulls "
            f"each rate toward the overall {percent(result['overall_rate'])}, more so for those with few "
            f"decisions; test of any difference beyond chance: {p_words(result['p_heterogeneity'])}."
        )
        table_grid(
            doc,
            (result["label"], "decisions", "granted", "95% interval", "shrunk"),
            [
                (u["value"], str(u["n"]), u["rate_display"], interval(u["ci"]), percent(u["shrunk"]))
                for u in result["units"]
            ],
        )


def reasons_section(doc, report: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    """Refusal reasons, overall and by application type and period."""
    reasons = report.get("refusal_reasons", {})
    if reasons.get("ok"):
        doc.add_heading("Refusal reasons", level=1)
        table_grid(
            doc,
            ("reason", "refusals citing it", "share"),
            [(r["code"], r["display"], percent(r["share"])) for r in reasons["all"]["reasons"]],
        )
        for dimension, block in reasons["by"].items():
            for value, table in block["groups"].items():
                doc.add_paragraph(
                    f"{stats.DIMENSION_LABELS.get(dimension, dimension)} {value} "
                    f"({table['refusals']} refusals): "
                    + "; ".join(f"{r['code']} {r['display']}" for r in table["reasons"])
                )
