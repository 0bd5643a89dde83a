"""Drafting benchmark (not part of the default test run). Prints medians against the targets.

    .venv/bin/python tests/benchmarks/bench_drafting.py [--runs 5]

Target (issue 6): a draft for a case with 200 exhibits and 100 timeline events in under 1 s, and no
more than twice the time of rendering the same template with a prepared context alone.

The case is built in a fresh encrypted vault: 200 exhibits (each linked to an indicator), 100
chronology events (timeline events when the timeline service is installed, otherwise narrative
entries), notes in every section. "Full draft" is ``generate_draft`` (gather every area's data,
readiness, context, render, write, record, audit); "prepared render" is ``render_bytes`` with the
context that draft used, built beforehand.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
PASS = "benchmark passphrase orchard lantern"
DAY = date(2026, 3, 3)


def build_case(folder: Path):  # type: ignore[no-untyped-def]
    from trpkit.db.database import create_vault
    from trpkit.services.cases import create_case
    from trpkit.services.consent import record_consent
    from trpkit.services.drafting_notes import update_notes
    from trpkit.services.evidence import add_evidence
    from trpkit.services.indicators import link_indicator
    from trpkit.services.narrative import add_entry
    from trpkit.services.narrative_meetings import add_meeting
    from trpkit.services.users import actor_for, create_user

    database = create_vault(folder / "bench.trpvault", PASS)
    with database.session() as s:
        create_user(s, "bench", role="supervisor")
        actor = actor_for(s, "bench")
        code = create_case(
            s,
            actor,
            person={
                "legal_name": "Bench Fictional",
                "nationality": "MX",
                "birth_date_text": "1990",
                "uci": "0000-0000",
            },
        ).code
        for purpose in ("prepare_file", "submit_to_ircc", "quote_own_words"):
            record_consent(s, actor, code, purpose=purpose, decision="given", method="written")
        indicators = ["AL-1.01", "AL-1.02", "AL-4.01", "AL-4.02", "AL-5.01", "AL-5.02", "AL-5.03", "AL-6.01"]
        for n in range(1, 201):
            month = date(2019, 1, 1) + timedelta(days=7 * n)
            add_evidence(
                s,
                actor,
                code,
                type="document",
                description=f"Document {n}: message & pay record <{n}>",
                date_text=month.strftime("%B %Y"),
                source="the person",
            )
            link_indicator(s, actor, code, indicators[n % len(indicators)], exhibit=n)
        try:
            from trpkit.services import timeline

            add_event = getattr(timeline, "add_event", None)
        except ImportError:
            add_event = None
        meeting = add_meeting(s, actor, code, held_on=date(2026, 2, 1))
        for n in range(100):
            text = f"Event {n}: moved to another farm; the supervisor kept the passports."
            if add_event is not None:
                add_event(
                    s, actor, code, event_type="other", date_text=f"around spring {2010 + n % 15}", title=text
                )
            else:
                add_entry(
                    s,
                    actor,
                    code,
                    meeting.id,
                    text,
                    kind="summary" if n % 3 else "own_words",
                    translation="" if n % 3 else "translated words",
                )
        update_notes(
            s,
            actor,
            code,
            **dict.fromkeys(
                (
                    "vulnerabilities",
                    "safety",
                    "risks_on_return",
                    "needs_health",
                    "needs_housing",
                    "needs_work",
                ),
                "A paragraph.\n\nAnother paragraph.",
            ),
        )
    return database, actor, code


def main() -> None:
    from trpkit.loading.date_phrases import install

    install()  # as trpkit's CLI does: dates are read with checklists/date_phrases/
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from trpkit.documents.render import render_bytes
    from trpkit.documents.templates import find
    from trpkit.services.drafting import Organisation, build_draft_context, generate_draft

    org = Organisation("Bench NGO", ("1 Street",), "000", "Bench Person", "Accompanier")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        database, actor, code = build_case(folder)
        with database.session() as s:
            context = build_draft_context(s, actor, code, template="trp-initial", on=DAY, organisation=org)
        template = find("trp-initial", "en").path
        print(
            f"case: {len(context['exhibits'])} exhibits, {len(context['chronology'])} chronology events, "
            f"{len(context['summaries'])} summary paragraphs, {len(context['own_words'])} quotes"
        )
        full, prepared = [], []
        for run in range(args.runs + 1):  # the first run warms imports and caches; not counted
            start = time.perf_counter()
            render_bytes(template, context)
            prepared_time = time.perf_counter() - start
            start = time.perf_counter()
            with database.session() as s:
                generate_draft(
                    s,
                    actor,
                    code,
                    template="trp-initial",
                    output=folder / f"d{run}.docx",
                    on=DAY,
                    organisation=org,
                )
            full_time = time.perf_counter() - start
            if run:
                full.append(full_time)
                prepared.append(prepared_time)
        database.close()
    full_median, prepared_median = statistics.median(full), statistics.median(prepared)
    ratio = full_median / prepared_median
    print(
        f"{'full draft (gather + readiness + render + write)':<52} median {full_median:7.3f} s   target < 1 s   "
        f"{'ok' if full_median < 1 else 'SLOWER THAN TARGET'}"
    )
    print(f"{'render with a prepared context':<52} median {prepared_median:7.3f} s")
    print(
        f"{'ratio full / prepared':<52} {ratio:7.2f}     target <= 2   {'ok' if ratio <= 2 else 'OVER TARGET'}"
    )


if __name__ == "__main__":
    main()
