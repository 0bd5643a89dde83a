"""The attacker's problem, solved over everything a report publishes at once.

Every count the report publishes (a table's cells, a margin, a comparison's 2x2, a model's rows, a waiting-time
table's counts, a refusal reason's count) is the number of records in one group of a *partition* of the
records. Cross-classifying all the published partitions gives the finest cells (the atoms): each published
count is a sum of atoms, so the attacker knows the linear system ``A x = b, x >= 0`` (and, for a count shown
as "< 5", the bound ``1 <= a x <= 4``). As in tau-ARGUS and sdcTable's audit, the attacker's best knowledge of
a hidden count is its smallest and largest value over that system (linear-programming bounds); a count is
*exposed* when they are less than 1 apart, so the only whole number left is its true value, from 1 to 4.

Only atoms that occur in the data are variables: an attacker who also knew which combinations are empty
could do no better than this audit assumes, so the check errs on the safe side.

Most cells are cleared in a few solves (extreme tables for random weightings of the cells at risk: a cell at
least 1 away from its true count there cannot be derived); only the cells left get their own minimum and
maximum (HiGHS through scipy). Linear bounds contain the whole-number ones; the rare case where a witness
table is fractional is counted (``fractional``) and reported.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from trpkit.domain.coalition_policy import NEVER_BELOW

INTEGRAL = 1e-6
_Matrix = Any  # a scipy sparse matrix (scipy has no type hints)


@dataclass(frozen=True)
class Published:
    """One partition of the records and what of it is shown: every group's count exactly, except ``hidden``
    groups, of which only the bounds in ``bounds`` (if any) are shown."""

    name: str
    codes: NDArray[np.int64]
    hidden: frozenset[int] = frozenset()
    bounds: Mapping[int, tuple[int, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class Exposure:
    cell: str  # which cell: an atom (its label in every partition) or a hidden group of a partition
    value: int


@dataclass(frozen=True)
class AuditResult:
    atoms: int
    at_risk: int  # cells with a true count from 1 to 4
    solves: int
    fractional: int  # witnesses that were not whole-number tables (see docs/coalition.md)
    exposed: tuple[Exposure, ...]


def _atoms(partitions: Sequence[Published], n: int) -> tuple[NDArray[np.int64], int]:
    """Each record's atom (cross-classification of every partition), numbered 0..k-1."""
    key = np.zeros(n, dtype=np.int64)
    k = 1
    for partition in partitions:
        span = int(partition.codes.max()) + 1 if n else 1
        uniques, key = np.unique(key * span + partition.codes, return_inverse=True)
        key = key.reshape(-1).astype(np.int64)
        k = len(uniques)
    return key, k


def _system(
    partitions: Sequence[Published], atom: NDArray[np.int64], k: int
) -> tuple[_Matrix, NDArray[np.float64], _Matrix, NDArray[np.float64], list[tuple[str, NDArray[np.int64]]]]:
    """(A_eq, b_eq, A_ub, b_ub, the hidden groups as (name, atoms)) over the atoms."""
    first = np.full(k, -1, dtype=np.int64)
    first[atom[::-1]] = np.arange(len(atom) - 1, -1, -1)  # one record of each atom
    counts = np.bincount(atom, minlength=k).astype(float)
    eq_rows: list[NDArray[np.int64]] = []
    eq_b: list[float] = []
    ub_rows: list[NDArray[np.int64]] = []
    ub_sign: list[float] = []
    ub_b: list[float] = []
    hidden: list[tuple[str, NDArray[np.int64]]] = []
    for partition in partitions:
        label = partition.codes[first]  # each atom's group in this partition
        order = np.argsort(label, kind="stable")
        values, starts = np.unique(label[order], return_index=True)
        for value, members in zip(values, np.split(order, starts[1:]), strict=True):
            if int(value) not in partition.hidden:
                eq_rows.append(members)
                eq_b.append(float(counts[members].sum()))
                if 0 < eq_b[-1] < NEVER_BELOW:  # published outright (say, a total minus a count shown)
                    hidden.append((f"{partition.name}, published group {int(value)}", members))
                continue
            hidden.append((f"{partition.name}, hidden group {int(value)}", members))
            low, high = partition.bounds.get(int(value), (0, -1))
            if high >= 0:  # shown as a range ("< 5"): low <= sum <= high
                ub_rows += [members, members]
                ub_sign += [1.0, -1.0]
                ub_b += [float(high), -float(low)]
    a_ub = sparse.diags(np.array(ub_sign)) @ _rows_matrix(ub_rows, k) if ub_rows else _rows_matrix([], k)
    return _rows_matrix(eq_rows, k), np.array(eq_b), sparse.csr_matrix(a_ub), np.array(ub_b), hidden


def _rows_matrix(rows: Sequence[NDArray[np.int64]], k: int) -> _Matrix:
    if not rows:
        return sparse.csr_matrix((0, k))
    indices = np.concatenate(rows)
    indptr = np.concatenate([[0], np.cumsum([len(r) for r in rows])])
    return sparse.csr_matrix((np.ones(len(indices)), indices, indptr), shape=(len(rows), k))


class _Solver:
    """The attacker's linear program: tables (non-negative, not necessarily whole numbers) that satisfy what
    is published, each an extreme point for some objective (HiGHS dual simplex)."""

    def __init__(
        self, a_eq: _Matrix, b_eq: NDArray[np.float64], a_ub: _Matrix, b_ub: NDArray[np.float64]
    ) -> None:
        self.a_eq, self.b_eq, self.a_ub, self.b_ub = a_eq, b_eq, a_ub, b_ub
        self.solves = 0
        self.fractional = 0  # tables used as witnesses that were not whole numbers

    def table(self, objective: NDArray[np.float64]) -> NDArray[np.float64] | None:
        from scipy.optimize import linprog

        self.solves += 1
        has_ub = self.a_ub.shape[0] > 0
        result = linprog(
            objective,
            A_eq=self.a_eq,
            b_eq=self.b_eq,
            A_ub=self.a_ub if has_ub else None,
            b_ub=self.b_ub if has_ub else None,
            bounds=(0, None),
            method="highs-ds",
        )
        return None if result.status != 0 else np.asarray(result.x)


def audit(partitions: Sequence[Published], n: int, *, seed: int = 0) -> AuditResult:
    """Every cell at risk (an atom, or a hidden group, with a true count from 1 to 4) whose smallest and
    largest values consistent with ``partitions`` are less than 1 apart (so the only whole number between
    them is the true count)."""
    if n == 0 or not partitions:
        return AuditResult(0, 0, 0, 0, ())
    atom, k = _atoms(partitions, n)
    counts = np.bincount(atom, minlength=k).astype(float)
    a_eq, b_eq, a_ub, b_ub, hidden = _system(partitions, atom, k)
    names: list[str] = []
    members: list[NDArray[np.int64]] = []
    for index in np.flatnonzero((counts > 0) & (counts < NEVER_BELOW)):
        names.append(f"finest cell {int(index)}")
        members.append(np.array([index]))
    for name, group in hidden:
        if 0 < counts[group].sum() < NEVER_BELOW:
            names.append(name)
            members.append(group)
    if not names:
        return AuditResult(k, 0, 0, 0, ())
    solver = _Solver(a_eq, b_eq, a_ub, b_ub)
    rows = _rows_matrix(members, k)
    truth = rows @ counts
    cleared = _clear_in_batches(solver, rows, truth, np.random.default_rng(seed))
    exposed = [
        Exposure(names[i], int(truth[i]))
        for i in np.flatnonzero(~cleared)
        if not _moves(solver, np.asarray(rows[i].toarray()).ravel(), float(truth[i]))
    ]
    return AuditResult(k, len(names), solver.solves, solver.fractional, tuple(exposed))


def _witness(
    solver: _Solver, table: NDArray[np.float64], rows: _Matrix, truth: NDArray[np.float64]
) -> NDArray[np.bool_]:
    """Cells that are at least 1 away from their true count in ``table``."""
    differs: NDArray[np.bool_] = np.abs(rows @ table - truth) > 1 - INTEGRAL
    if differs.any() and np.any(np.abs(table - np.round(table)) > INTEGRAL):
        solver.fractional += 1
    return differs


def _clear_in_batches(
    solver: _Solver, rows: _Matrix, truth: NDArray[np.float64], rng: np.random.Generator
) -> NDArray[np.bool_]:
    """Cells that can be moved: extreme tables for random weightings of the cells not yet cleared, pushed
    down and then up, until a round clears nothing more."""
    cleared = np.zeros(len(truth), dtype=bool)
    while not cleared.all():
        before = int(cleared.sum())
        for sign in (1.0, -1.0):
            weights = rng.uniform(0.5, 1.5, size=len(truth)) * ~cleared
            table = solver.table(sign * np.asarray(rows.T @ weights).ravel())
            if table is not None:
                cleared |= _witness(solver, table, rows, truth)
        if int(cleared.sum()) == before:
            break
    return cleared


def _moves(solver: _Solver, row: NDArray[np.float64], truth: float) -> bool:
    """True when the cell can be at least 1 away from its true count (its own minimum, then maximum)."""
    for sign in (1.0, -1.0):
        table = solver.table(sign * row)
        if table is not None and abs(row @ table - truth) > 1 - INTEGRAL:
            return True
    return False
