"""Incident bulletin benchmark (not part of the default test run). Prints medians against the target.

    .venv/bin/python tests/benchmarks/bench_incidents.py [--runs 5] [--incidents 2000]

Target (issue 15): a bulletin over 2,000 incidents in at most 2 s. The incidents arrive the way they do in
practice: signed packages from member agencies, imported into a fresh encrypted vault (with a coalition
store of 5,000 decisions, so the patterns step has work to do). "Word bulletin" is the whole path a person
runs: read and order the incidents, look for patterns, lay out and save the .docx. "Markdown" is the same
with the email format, measured side by side.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
PASS = "benchmark passphrase orchard lantern"
TODAY = date(2026, 12, 1)


def _items(n: int, rng: random.Random) -> list[dict[str, object]]:
    from trpkit.loading.incident_vocab import vocabulary

    vocab = vocabulary()
    places = [p for p in vocab.places if p.startswith("ER-")]
    out = []
    for i in range(n):
        day = TODAY - timedelta(days=rng.randrange(0, 720))
        framing = rng.choice(vocab.ids("framing"))
        out.append(
            {
                "uid": f"{rng.getrandbits(128):032x}",
                "sequence": 1,
                "withdrawn": False,
                "title": f"Fictional incident {i}: workers detained after an inspection",
                "when_text": day.strftime("%B %Y"),
                "when_parsed": True,
                "when_earliest": day.replace(day=1).isoformat(),
                "when_latest": day.isoformat(),
                "place": rng.choice(places),
                "sector": rng.choice(vocab.ids("sector")),
                "people": rng.choice(["5-9", "10-24", "25-99", "100+", "unknown"]),
                "framing": framing,
                "framing_history": ["trafficking"] if framing == "smuggling" and i % 3 == 0 else [],
                "indicators": ["AL-5.01"],
                "facts": rng.sample(vocab.ids("fact"), 2),
                "known": "Debts to a recruiter; documents held by the employer. " * 3,
                "unknown": "Who arranged the travel.",
                "questions": "Were indicators explored before removal?",
                "sources": [{"kind": "public_link", "detail": "https://news.example/x", "public": True}],
                "asks": ["call_for_information"] if i % 4 == 0 else [],
            }
        )
    return out


def build(folder: Path, n: int):  # type: ignore[no-untyped-def]
    from trpkit.coalition import incident_package as ipkg
    from trpkit.coalition.package import generate_keypair
    from trpkit.db.database import create_vault
    from trpkit.services import coalition
    from trpkit.services.incident_sharing import import_package_bytes
    from trpkit.services.users import actor_for, create_user

    rng = random.Random(15)
    database = create_vault(folder / "bench.trpvault", PASS)
    with database.session() as s:
        create_user(s, "bench", role="supervisor")
        actor = actor_for(s, "bench")
        for agency_number, chunk in enumerate(range(0, n, 500)):
            pair = generate_keypair(f"member-{agency_number}")
            coalition.add_agency(s, actor, pair.public_key_file_text())
            items = _items(min(500, n - chunk), rng)
            data = ipkg.build(items, {"agency": pair.agency}, pair.private_pem)
            assert import_package_bytes(s, actor, data).imported
        _decisions(s, actor, rng)
    return database, actor


def _decisions(session, actor, rng: random.Random) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import insert

    from trpkit.db.models.coalition import CoalitionImport, CoalitionRecord

    batch = CoalitionImport(package_sha256="0" * 64, agency="bench", imported_by=actor.username)
    session.add(batch)
    session.flush()
    offices = ["Vancouver", "Toronto", "Montréal", "Calgary", "Winnipeg", "Halifax"]
    rows = []
    for i in range(5000):
        year = rng.choice([2025, 2026])
        refused = rng.random() < (0.3 if year == 2025 else 0.45)
        fields = {
            "record_id": f"r{i}",
            "outcome": "refused" if refused else "granted",
            "decided": f"{year}-Q{rng.randint(1, 4)}",
            "ircc_office": rng.choice(offices),
        }
        rows.append({"record_id": f"r{i}", "agency": "bench", "import_id": batch.id, "fields": fields})
    session.execute(insert(CoalitionRecord), rows)


def timed(fn, runs: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Median wall-clock and CPU seconds (CPU time is what the bulletin costs on a machine shared with
    other work; wall-clock is what a person waits)."""
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), statistics.median(cpu)


def main() -> None:
    from trpkit.loading.date_phrases import install

    install()  # as trpkit's CLI does: dates are read with checklists/date_phrases/
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--incidents", type=int, default=2000)
    args = parser.parse_args()
    from trpkit.documents.bulletin import write_docx, write_markdown
    from trpkit.services.incident_bulletin import bulletin_input

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        database, actor = build(folder, args.incidents)

        def word() -> None:
            with database.session() as s:
                data = bulletin_input(s, actor, language="fr", today=TODAY)
            assert len(data.incidents) == args.incidents
            write_docx(data, folder / "bulletin.docx")

        def markdown() -> None:
            with database.session() as s:
                data = bulletin_input(s, actor, language="en", today=TODAY)
            (folder / "bulletin.md").write_text(write_markdown(data), encoding="utf-8")

        word()  # warm caches (vocabulary, frameworks, python-docx's template)
        docx_s, docx_cpu = timed(word, args.runs)
        md_s, md_cpu = timed(markdown, args.runs)
        size = (folder / "bulletin.docx").stat().st_size // 1024
        database.close()
    verdict = "OK" if docx_s <= 2.0 else "OVER TARGET"
    print(f"Word bulletin, {args.incidents} incidents (fr): median {docx_s:.2f} s wall, {docx_cpu:.2f} s CPU "
          f"over {args.runs} runs (target <= 2 s: {verdict}; {size} KiB)")  # fmt: skip
    print(f"Markdown bulletin, same incidents (en): median {md_s:.2f} s wall, {md_cpu:.2f} s CPU; "
          f"Word/Markdown {docx_s / md_s:.1f}x")  # fmt: skip


if __name__ == "__main__":
    main()
