"""Statistics that are honest about small numbers.

Grant rate = granted / (granted + refused); withdrawn, returned and pending applications are counted apart.
Every proportion has a Wilson 95% interval; any group below the minimum cell is suppressed (pooled into
"other groups" when that pool is itself large enough), and counts of 1 to 4 are never shown. scipy and
statsmodels are imported inside the functions that need them (they are slow to import).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from trpkit.coalition.record import Record
from trpkit.domain.coalition_policy import NEVER_BELOW

Z95 = 1.959963984540054
NOT_RECORDED = "(not recorded)"
LABOUR = ("agriculture", "construction", "domestic_work", "hospitality", "manufacturing", "labour")
DIMENSIONS = (
    "application_type",
    "exploitation_sector",
    "law_enforcement_cooperation",
    "criminal_case_status",
    "gender",
    "age_band",
    "origin_region",
    "policy_period",
    "ircc_office",
)
DIMENSION_LABELS = {
    "application_type": "application type",
    "exploitation_sector": "sector",
    "law_enforcement_cooperation": "cooperation with police",
    "criminal_case_status": "criminal case",
    "gender": "gender",
    "age_band": "age",
    "origin_region": "region of origin",
    "policy_period": "policy period",
    "ircc_office": "IRCC office",
    "officer_label": "officer",
}


class Frame:
    """Records as columns (numpy arrays), built once, so every table is a vectorised count."""

    def __init__(self, records: Sequence[Record]) -> None:
        self.records = records
        self.n = len(records)
        outcome = np.array([r.get("outcome") for r in records], dtype=object)
        self.granted = outcome == "granted"
        self.refused = outcome == "refused"
        self.decided = self.granted | self.refused
        self.outcome = outcome
        self._text: dict[str, NDArray[Any]] = {}
        self._raw: dict[str, NDArray[Any]] = {}
        self._number: dict[str, NDArray[Any]] = {}
        self._counts: dict[str, dict[str, list[int]]] = {}

    def raw(self, name: str) -> NDArray[Any]:
        if name not in self._raw:
            column = np.empty(self.n, dtype=object)
            column[:] = [r.get(name) for r in self.records]
            self._raw[name] = column
        return self._raw[name]

    def present(self, name: str) -> bool:
        return bool(np.any(self.raw(name) != None))  # noqa: E711 - numpy elementwise comparison

    def text(self, name: str) -> NDArray[Any]:
        """The column as strings, with NOT_RECORDED for missing values."""
        if name not in self._text:
            raw = self.raw(name)
            missing = (raw == None) | (raw == "")  # noqa: E711 - numpy elementwise
            column = raw.copy()
            column[missing] = NOT_RECORDED
            self._text[name] = column.astype(str)
        return self._text[name]

    def number(self, name: str) -> NDArray[Any]:
        """The column as floats, NaN for missing values (built once, read-only: callers share it)."""
        if name not in self._number:
            raw = self.raw(name)
            out = np.full(self.n, np.nan)
            mask = raw != None  # noqa: E711 - numpy elementwise
            out[mask] = raw[mask].astype(float)
            out.flags.writeable = False
            self._number[name] = out
        return self._number[name]

    def counts(self, name: str) -> dict[str, list[int]]:
        """value -> [granted, refused] over decided records."""
        if name not in self._counts:
            # Values numbered in a dict as they come (hashing, not sorting the strings), listed in sorted order.
            codes: dict[str, int] = {}
            values = self.text(name)[self.decided].tolist()
            index = np.fromiter((codes.setdefault(v, len(codes)) for v in values), np.int64, len(values))
            granted = np.bincount(index, weights=self.granted[self.decided], minlength=len(codes))
            total = np.bincount(index, minlength=len(codes))
            self._counts[name] = {
                value: [int(granted[code]), int(total[code] - granted[code])]
                for value, code in sorted(codes.items())
            }
        return self._counts[name]


def as_frame(data: Sequence[Record] | Frame) -> Frame:
    return data if isinstance(data, Frame) else Frame(data)


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson 95% interval (statsmodels). ``z`` other than 1.96 gives the matching two-sided level."""
    if n <= 0:
        return (0.0, 1.0)
    from scipy.stats import norm
    from statsmodels.stats.proportion import proportion_confint

    alpha = 2 * float(norm.sf(z))
    low, high = proportion_confint(successes, n, alpha=alpha, method="wilson")
    return (max(0.0, float(low)), min(1.0, float(high)))


def one_sided(successes: int, n: int) -> tuple[float, float]:
    """When every decision went one way, a two-sided interval '100%-100%' says nothing: give the one-sided
    95% bound instead (the Wilson bound at the 90% two-sided level), with the other end at 0 or 1."""
    low, high = wilson(successes, n, z=1.6448536269514722)
    return (low, 1.0) if successes == n else (0.0, high)


def small(count: int) -> bool:
    return 0 < count < NEVER_BELOW


def source_counts(value: Any) -> Any:
    """The counts a published number was computed from ([granted, refused] lists, or dicts of them), with
    any count from 1 to 4 shown as '< 5'. They travel with every estimate so that the report's disclosure
    pass can check what the estimate would reveal."""
    if isinstance(value, dict):
        return {k: source_counts(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [source_counts(v) for v in value]
    return "< 5" if isinstance(value, int) and small(value) else value


def rate_cell(value: str, granted: int, refused: int, *, pooled_groups: int = 0) -> dict[str, Any]:
    """One shown group: its counts, rate and interval, with counts of 1-4 masked (and the rate with them)."""
    n = granted + refused
    cell: dict[str, Any] = {
        "value": value,
        "n": n,
        "granted": granted,
        "refused": refused,
        "rate": granted / n if n else None,
        "ci": list(wilson(granted, n)),
        "masked": False,
    }
    if pooled_groups:
        cell["pooled_groups"] = pooled_groups
    if small(granted) or small(refused):
        # Either count would give the other (n is shown), so both are hidden; the rate is given only as the
        # bound and the interval that every hidden count from 1 to 4 would allow.
        options: list[int] = []
        if small(granted):
            options += list(range(1, min(NEVER_BELOW, n)))
        if small(refused):
            options += list(range(max(n - NEVER_BELOW + 1, 1), n))
        cell["granted"] = cell["refused"] = None
        if small(granted) and small(refused):
            cell["rate_display"] = "hidden"
        elif small(granted):
            cell["rate_display"] = f"< {NEVER_BELOW / n:.0%}"
        else:
            cell["rate_display"] = f"> {1 - NEVER_BELOW / n:.0%}"
        intervals = [wilson(c, n) for c in options]
        cell["ci"] = [min(i[0] for i in intervals), max(i[1] for i in intervals)]
        cell["rate"] = None
        cell["masked"] = True
    else:
        cell["rate_display"] = f"{cell['rate']:.0%}" if n else "-"
        if n and granted in (0, n):
            # Every decision went one way: a one-sided bound, not '100% (95% CI 100%-100%)'.
            cell["ci"] = list(one_sided(granted, n))
            cell["ci_one_sided"] = True
            cell["ci_display"] = (
                f"at least {cell['ci'][0]:.0%}" if granted == n else f"at most {cell['ci'][1]:.0%}"
            )
    return cell


def _decided(records: Sequence[Record]) -> list[Record]:
    return [r for r in records if r.get("outcome") in ("granted", "refused")]


def grant_table(data: Sequence[Record] | Frame, dimension: str, min_cell: int) -> dict[str, Any]:
    """Grant rates by the values of ``dimension`` with primary and secondary suppression."""
    frame = as_frame(data)
    min_cell = max(min_cell, NEVER_BELOW)
    counts = frame.counts(dimension)
    present = frame.present(dimension)
    shown = {v: c for v, c in counts.items() if sum(c) >= min_cell}
    pool = {v: c for v, c in counts.items() if sum(c) < min_cell}
    # Secondary suppression: a pool of one group, or a pool too small to show, would let the suppressed
    # group be worked out from the total; merge the smallest shown groups into it until it is safe.
    while pool and (len(pool) < 2 or sum(sum(c) for c in pool.values()) < min_cell) and shown:
        smallest = min(shown, key=lambda v: (sum(shown[v]), v))
        pool[smallest] = shown.pop(smallest)
    cells = [rate_cell(v, c[0], c[1]) for v, c in sorted(shown.items(), key=lambda item: -sum(item[1]))]
    pooled_n = sum(sum(c) for c in pool.values())
    suppressed_groups = 0
    if pool:
        if len(pool) >= 2 and pooled_n >= min_cell:
            g = sum(c[0] for c in pool.values())
            cells.append(rate_cell(f"other groups ({len(pool)})", g, pooled_n - g, pooled_groups=len(pool)))
        else:
            suppressed_groups = len(pool)
    return {
        "dimension": dimension,
        "label": DIMENSION_LABELS.get(dimension, dimension),
        "present": present,
        "cells": cells,
        "suppressed_groups": suppressed_groups,
        "note": "" if cells else "too few decisions in every group to show any (insufficient data)",
    }


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm-adjusted p-values (statsmodels' multipletests)."""
    if not len(p_values):
        return []
    from statsmodels.stats.multitest import multipletests

    return [float(p) for p in multipletests(list(p_values), method="holm")[1]]


def _finite(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


EXACT_OR_MAX_MARGIN = 1000  # the exact interval's cost grows with the margin: ~0.06 s here, ~0.6 s at 5,000
LARGE_SAMPLE_NOTE = (
    "large-sample (Woolf) interval: every margin of this table is above 1,000, where the exact conditional "
    "interval takes from a tenth of a second to several seconds per table; at these sizes the two agree"
)


def fisher_2x2(a: int, b: int, c: int, d: int) -> dict[str, Any]:
    """Fisher's exact test of [[a, b], [c, d]] (rows: group, rest; columns: granted, refused), with the
    conditional maximum-likelihood odds ratio and its exact conditional 95% interval (scipy), the interval
    that belongs with Fisher's test. An unbounded end (an empty cell) is None. Only when every margin is
    above EXACT_OR_MAX_MARGIN (no small cell anywhere) is the large-sample interval given instead, and then
    ``or_method`` and ``or_note`` say so (the report's text names it)."""
    from scipy.stats import fisher_exact
    from scipy.stats.contingency import odds_ratio

    table = np.array([[a, b], [c, d]])
    p = float(fisher_exact(table).pvalue)
    result: dict[str, Any] = {"p": p, "odds_ratio": None, "or_ci": None, "or_method": None}
    if min(a + b, c + d, a + c, b + d) > EXACT_OR_MAX_MARGIN and min(a, b, c, d) > 0:
        from statsmodels.stats.contingency_tables import Table2x2

        large = Table2x2(table.astype(float))
        low, high = large.oddsratio_confint(alpha=0.05)
        result.update(
            odds_ratio=float(large.oddsratio),
            or_ci=[float(low), float(high)],
            or_method="large-sample (Woolf)",
            or_note=LARGE_SAMPLE_NOTE,
        )
    elif min(a + b, c + d, a + c, b + d) > 0:
        estimate = odds_ratio(table, kind="conditional")
        ci = estimate.confidence_interval(confidence_level=0.95)
        result["odds_ratio"] = _finite(float(estimate.statistic))
        result["or_ci"] = [_finite(float(ci.low)), _finite(float(ci.high))]
        result["or_method"] = "exact conditional"
    result["counts"] = source_counts({"group": [a, b], "rest": [c, d]})  # [granted, refused] each
    return result


def dimension_tests(
    data: Sequence[Record] | Frame, table: dict[str, Any], *, adjust: bool = True
) -> list[dict[str, Any]]:
    """Each shown group against all other decisions in the same dimension, Holm-adjusted within it unless
    ``adjust`` is False (the report adjusts over every dimension's tests at once)."""
    frame = as_frame(data)
    dimension = table["dimension"]
    shown = [c for c in table["cells"] if not c.get("pooled_groups")]
    if len(table["cells"]) < 2:
        return []
    counts = frame.counts(dimension)
    total_g = sum(c[0] for c in counts.values())
    total_r = sum(c[1] for c in counts.values())
    tests = []
    for cell in shown:
        g, refused = counts[cell["value"]]
        result = fisher_2x2(g, refused, total_g - g, total_r - refused)
        tests.append({"dimension": dimension, "value": cell["value"], **result})
    if adjust:
        for test, adjusted in zip(tests, holm([t["p"] for t in tests]), strict=True):
            test["p_adjusted"] = adjusted
    return tests


def compare_groups(
    data: Sequence[Record] | Frame,
    in_a: NDArray[Any],
    in_b: NDArray[Any],
    label_a: str,
    label_b: str,
    question: str,
    min_cell: int,
) -> dict[str, Any]:
    """A planned comparison of two groups of decisions (boolean masks over the records), Fisher's exact test."""
    frame = as_frame(data)
    a = in_a & frame.decided
    b = in_b & frame.decided
    result: dict[str, Any] = {"question": question, "group_a": label_a, "group_b": label_b}
    min_cell = max(min_cell, NEVER_BELOW)
    na, nb = int(a.sum()), int(b.sum())
    if na < min_cell or nb < min_cell:
        result.update(ok=False, reason=f"too few decisions to compare (each group needs at least {min_cell})")
        return result
    ga = int((a & frame.granted).sum())
    gb = int((b & frame.granted).sum())
    result.update(
        ok=True,
        a=rate_cell(label_a, ga, na - ga),
        b=rate_cell(label_b, gb, nb - gb),
        **fisher_2x2(ga, na - ga, gb, nb - gb),
    )
    return result
