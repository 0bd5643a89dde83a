"""Pieces of the Word report: charts (matplotlib, imported only here and only when a Word report is
written), tables and the disclosure section."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from trpkit.coalition.report_words import disclosure_lines
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
