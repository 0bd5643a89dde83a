"""Benchmark of the cue matching readiness runs over a case (run on demand, not collected by pytest):

    .venv/bin/python tests/benchmarks/bench_cues.py [--passages 300] [--words 80]

Target: a case with 300 passages of 80 words (a long file) scanned for every cue phrase in under
0.5 s, so readiness stays interactive. Prints the median of 5 runs, and the same scan done the naive
way (trying every phrase at every word) for the ratio.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

WORDS = [
    "we",
    "worked",
    "in",
    "the",
    "field",
    "every",
    "day",
    "and",
    "the",
    "boss",
    "said",
    "that",
    "we",
    "must",
    "stay",
    "there",
    "until",
    "the",
    "work",
    "was",
    "done",
    "because",
    "he",
    "paid",
    "for",
    "the",
    "ticket",
    "nosotros",
    "trabajamos",
    "en",
    "el",
    "campo",
    "on",
    "travaillait",
    "dans",
    "la",
    "serre",
]


def median_s(fn, runs: int = 5) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--passages", type=int, default=300)
    parser.add_argument("--words", type=int, default=80)
    args = parser.parse_args()

    from trpkit.domain.cues import _match_from, _negated, fold, items_found, tokens
    from trpkit.loading.cues import cue_book

    book = cue_book()
    rng = random.Random(1)
    texts = [
        " ".join(rng.choice(WORDS) for _ in range(args.words)) + ". They kept my passport."
        for _ in range(args.passages)
    ]

    def indexed() -> None:
        for text in texts:
            items_found(text, book.cues, book.negations)

    def naive() -> None:  # every phrase tried at every word: what the index avoids
        neg = frozenset(fold(n) for n in book.negations)
        for text in texts:
            toks = tokens(text)
            for cue in book.cues:
                for i in range(len(toks)):
                    end = _match_from(cue.parts, toks, i)
                    if end is not None and (cue.negative or not _negated(toks, i, neg)):
                        break

    fast, slow = median_s(indexed), median_s(naive)
    print(f"{args.passages} passages x {args.words} words, {len(book.cues)} phrases")
    print(f"indexed: {fast:.3f} s (target < 0.5 s)   naive: {slow:.3f} s   ratio {slow / fast:.1f}x")


if __name__ == "__main__":
    main()
