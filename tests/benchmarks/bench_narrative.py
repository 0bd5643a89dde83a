"""Narrative benchmarks (run on demand: python tests/benchmarks/bench_narrative.py [--parse-only] [--postgres]).

--postgres also measures search on the server in TRPKIT_TEST_POSTGRES_URL (a scratch database).

Targets from issue 3:
- 1,000 varied phrases parsed in under 1 s with languages given;
- date suggestions for a 2,000-word narrative in under 0.5 s;
- search over 10,000 narrative entries returns in under 50 ms.
Prints the median of 5 runs for each.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

MEETING = date(2025, 6, 15)
PHRASES = {
    "en": [
        "March 2019",
        "14 March 2019",
        "around spring 2019",
        "early 2019",
        "end of March 2019",
        "two years ago",
        "last November",
        "between 2017 and 2018",
        "from May to August 2019",
        "Christmas 2019",
        "the 90s",
        "a few weeks ago",
        "2019-03-14",
        "03/04/2019",
        "when I was 15",
        "two weeks after arriving in Canada",
        "the day the boss shouted",
        "maybe 2018",
        "in the summer of 2020",
        "last year",
    ],
    "fr": [
        "mars 2019",
        "le 14 mars 2019",
        "vers l'été 2019",
        "début 2019",
        "fin mars 2019",
        "il y a trois mois",
        "novembre dernier",
        "entre 2017 et 2018",
        "de mai à août 2019",
        "Noël 2018",
    ],
    "es": [
        "marzo de 2019",
        "el 14 de marzo de 2019",
        "el verano de 2019",
        "a principios de 2019",
        "hace dos años",
        "el noviembre pasado",
        "entre 2017 y 2018",
        "de mayo a agosto de 2019",
        "Navidad de 2019",
        "dos semanas después de llegar a Canadá",
    ],
    "pt": ["março de 2019", "no verão de 2019", "há dois anos", "no início de 2019"],
    "tl": ["Marso 2019", "14 Marso 2019"],
    "hu": ["2019. március 14.", "2 éve"],
    "hi": ["14 मार्च 2019"],
    "pa": ["2 ਸਾਲ ਪਹਿਲਾਂ"],
}


def timed(fn, runs: int = 5) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_parse() -> None:
    from trpkit.domain.fuzzy_dates import parse_fuzzy

    rng = random.Random(3)
    pool = [(lang, p) for lang, items in PHRASES.items() for p in items]
    # vary the phrases (years shift) so caches cannot answer
    phrases = [
        (lang, p.replace("2019", str(rng.randint(1990, 2024)))) for lang, p in rng.choices(pool, k=1000)
    ]
    anchors = {"arrival_canada": parse_fuzzy("March 2019"), "birth": parse_fuzzy("1990")}
    parse_fuzzy("warm-up", "en")  # first call loads dateparser's data (one-off ~0.1 s)
    median = timed(
        lambda: [parse_fuzzy(p, lang, relative_to=MEETING, anchors=anchors) for lang, p in phrases]
    )
    print(f"parse 1,000 varied phrases (languages given): median {median * 1000:.0f} ms (target < 1000 ms)")


def narrative_text(words: int, rng: random.Random) -> str:
    from trpkit.demo.phrases import PLACES, QUOTES

    out: list[str] = []
    while sum(len(s.split()) for s in out) < words:
        phrase = rng.choice(QUOTES)
        month = rng.choice(["March", "May", "November", "January"])
        out.append(
            phrase.render(
                "en", f"in {month} {rng.randint(2012, 2024)}", rng.choice(list(PLACES.values()))["en"]
            )
        )
    return " ".join(out)


def bench_suggestions() -> None:
    from trpkit.domain.fuzzy_dates import find_date_phrases as suggest_dates

    rng = random.Random(5)
    text = narrative_text(2000, rng)
    suggest_dates(text[:200], "en", MEETING)
    median = timed(lambda: suggest_dates(text, "en", MEETING))
    print(
        f"date suggestions, {len(text.split())}-word narrative: median {median * 1000:.0f} ms (target < 500 ms)"
    )


def bench_search(postgres: bool = False) -> None:
    import os
    import uuid

    from trpkit.db.database import create_vault, open_target
    from trpkit.db.engine import Target
    from trpkit.demo import generate
    from trpkit.services.search import search
    from trpkit.services.users import actor_for, create_user

    with tempfile.TemporaryDirectory() as tmp:
        drop = None
        if postgres:  # a scratch database on the server in TRPKIT_TEST_POSTGRES_URL
            from sqlalchemy import create_engine, text
            from sqlalchemy.engine import make_url

            from trpkit.db import migrate

            url = os.environ["TRPKIT_TEST_POSTGRES_URL"]
            name = f"trpkit_bench_{uuid.uuid4().hex[:8]}"
            admin = create_engine(url, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            db = open_target(
                Target(url=make_url(url).set(database=name).render_as_string(hide_password=False))
            )
            migrate.upgrade(db.engine)

            def drop() -> None:
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        else:
            db = create_vault(Path(tmp) / "bench.trpvault", "benchmark passphrase 1234")
        print("backend:", "PostgreSQL" if postgres else "encrypted vault")
        with db.session() as s:
            create_user(s, "bench", role="supervisor")
            actor = actor_for(s, "bench")
            generate(s, actor, 2000, seed=1, today=MEETING)
        from sqlalchemy import func, select

        from trpkit.db.models import NarrativeEntry

        with db.session() as s:
            count = s.scalar(select(func.count(NarrativeEntry.id)))
        for query in ("passport", '"debt" AND boss', "recruit*", "documents OR pasaporte"):

            def run(q: str = query) -> None:
                with db.session() as s:
                    search(s, actor, q, limit=50, audit_reads=False)

            median = timed(run)
            print(f"search {query!r} over {count} entries: median {median * 1000:.1f} ms (target < 50 ms)")
        db.close()
        if drop is not None:
            drop()


if __name__ == "__main__":
    from trpkit.loading.date_phrases import install

    install()  # as trpkit's CLI does: dates are read with checklists/date_phrases/
    bench_parse()
    if "--parse-only" not in sys.argv:
        bench_suggestions()
        bench_search()
        if "--postgres" in sys.argv:
            bench_search(postgres=True)
