"""The joint audit: counts pinned only by several published tables together are found and withdrawn."""

from __future__ import annotations

import numpy as np

from trpkit.coalition import disclosure_ledger
from trpkit.coalition.joint_audit import Published, audit


def _three_way() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Three yes/no columns of 53 records whose three two-way tables have no cell from 1 to 4, but whose
    (no, no, no) cell of 3 is pinned by the three tables together (the 2x2x2 table has one free direction,
    blocked both ways by its two empty cells)."""
    cells = {(0, 0, 0): 3, (0, 0, 1): 10, (0, 1, 0): 10, (0, 1, 1): 10, (1, 0, 0): 10, (1, 0, 1): 10}
    rows = np.array([cell for cell, count in cells.items() for _ in range(count)])
    return rows[:, 0], rows[:, 1], rows[:, 2]


def test_two_way_tables_with_no_small_cell_can_pin_a_three_way_count_together() -> None:
    a, b, c = _three_way()
    ab, ac, bc = (Published(name, x * 2 + y) for name, x, y in (("ab", a, b), ("ac", a, c), ("bc", b, c)))
    for table in (ab, ac, bc):
        counts = np.bincount(table.codes)
        assert not np.any((counts > 0) & (counts < 5))  # each table alone is safe
    assert audit([ab, ac], 53).exposed == ()  # any two leave the count free
    exposed = audit([ab, ac, bc], 53).exposed
    assert [e.value for e in exposed] == [3]


def _two_columns() -> tuple[np.ndarray, np.ndarray]:
    a = np.array([0] * 20 + [1] * 20)
    b = np.array([0] * 3 + [1] * 17 + [0] * 12 + [1] * 8)
    return a, b


def test_a_count_shown_as_fewer_than_5_is_a_bound_and_its_complement_gives_it_away() -> None:
    a, b = _two_columns()
    cross = a * 2 + b
    hidden = Published("a x b", cross, hidden=frozenset({0}), bounds={0: (1, 4)})
    assert {e.value for e in audit([Published("a", a), hidden], 40).exposed} == {3}
    # with the other cell of a = 0 hidden too, only the bound remains: 3 is not pinned
    both = Published("a x b", cross, hidden=frozenset({0, 1}), bounds={0: (1, 4)})
    assert audit([Published("a", a), both], 40).exposed == ()


def test_the_ledger_withdraws_the_latest_statistic_that_makes_a_count_derivable() -> None:
    a, b, c = _three_way()
    ledger = disclosure_ledger.Ledger(53)
    ledger.publish("the total", np.zeros(53, dtype=np.int64), {"*"})
    ledger.publish("the table a x b", a * 2 + b, {"a", "b"})
    withdrawn: list[str] = []
    # declared on other columns, so the pairwise screen does not cross them: only the joint audit can see it
    assert ledger.admit("the table a x c", a * 2 + c, {"x"}, withdrawn.append) == ""
    assert ledger.admit("the table b x c", b * 2 + c, {"y"}, withdrawn.append) == ""
    assert ledger.audit() == ["the table b x c"]
    assert len(withdrawn) == 1 and "worked out" in withdrawn[0]
    assert ledger.audit_summary["exposed_before_withdrawal"] == 1
    assert any(w["statistic"] == "the table b x c" for w in ledger.withheld)
    assert ledger.audit() == []  # what is left is safe
