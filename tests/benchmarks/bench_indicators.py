"""Benchmarks of the indicator map (run on demand, not collected by pytest):

    .venv/bin/python tests/benchmarks/bench_indicators.py [--cases 10000]

Targets: assessing a case with 200 links under 10 ms; assessing all 10,000 demo cases under 5 s.
Prints medians.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

PASSPHRASE = "benchmark vault, fictional cases only"


def median_ms(fn, runs: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    from trpkit.loading.date_phrases import install

    install()  # as trpkit's CLI does: dates are read with checklists/date_phrases/
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=10_000)
    args = parser.parse_args()

    from sqlalchemy import insert, select

    from trpkit.db.database import create_vault
    from trpkit.db.models import Case
    from trpkit.db.models.evidence import EvidenceItem, IndicatorLink
    from trpkit.demo import generate
    from trpkit.domain.assessment import assess, findings_from_present
    from trpkit.loading.frameworks import load_frameworks
    from trpkit.services.cases import create_case
    from trpkit.services.consent import record_consent
    from trpkit.services.indicators_assessment import assessment_summaries, case_assessment
    from trpkit.services.users import actor_for, create_user

    fw = load_frameworks()
    adult = fw.get("delphi-adult-labour")
    ids = [i.id for i in adult.indicators]
    rng = random.Random(7)
    sets = [rng.sample(ids, 20) for _ in range(200)]
    pure = median_ms(lambda: [assess(adult, findings_from_present(adult, s), fw) for s in sets], 7) / len(
        sets
    )
    print(f"pure assess (20 present, full report):        {pure:8.3f} ms per case")

    with tempfile.TemporaryDirectory() as tmp:
        db = create_vault(Path(tmp) / "bench.trpvault", PASSPHRASE)
        with db.session() as s:
            create_user(s, "bench", role="supervisor")
            actor = actor_for(s, "bench")
            code = create_case(s, actor, person={"legal_name": "Bench Fictional"}).code
            record_consent(s, actor, code, purpose="prepare_file", decision="given", method="written")
            case_id = s.scalar(select(Case.id).where(Case.code == code))
            s.execute(
                insert(EvidenceItem),
                [
                    {
                        "case_id": case_id,
                        "exhibit_number": n,
                        "type": rng.choice(["account", "pay_record", "document"]),
                        "description": "fictional",
                        "version": 1,
                    }
                    for n in range(1, 41)
                ],
            )
            evidence = list(s.scalars(select(EvidenceItem.id).where(EvidenceItem.case_id == case_id)))
            s.execute(
                insert(IndicatorLink),
                [
                    {
                        "case_id": case_id,
                        "indicator_id": rng.choice(ids),
                        "status": rng.choice(
                            ["present", "present", "present", "reported_unsupported", "explored_absent"]
                        ),
                        "note": "",
                        "evidence_id": rng.choice(evidence),
                        "version": 1,
                    }
                    for _ in range(200)
                ],
            )
        with db.session() as s:
            one = median_ms(lambda: case_assessment(s, actor, code), 21)
        print(f"case_assessment, 200 links (target < 10 ms):  {one:8.2f} ms")
        with db.session() as s:
            summary = median_ms(lambda: assessment_summaries(s, [case_id]), 21)
        print(f"assessment_summaries, 1 case with 200 links: {summary:8.2f} ms")

        with db.session() as s:
            start = time.perf_counter()
            cases = generate(s, actor, args.cases, seed=2026, today=date(2026, 11, 2))
            print(f"demo generation of {args.cases} cases (all areas): {time.perf_counter() - start:8.1f} s")
        case_ids = [c.id for c in cases]
        with db.session() as s:
            links = s.scalar(select(__import__("sqlalchemy").func.count()).select_from(IndicatorLink))
            bulk = median_ms(lambda: assessment_summaries(s, case_ids), 5) / 1000
        print(
            f"assessment_summaries, {len(case_ids)} demo cases, {links} links (target < 5 s): {bulk:6.2f} s"
        )
        db.close()


if __name__ == "__main__":
    main()
