"""Opt-in plugin: CPU seconds per test phase, for finding slow tests on a shared (loaded) machine.

Wall-clock ``--durations`` swings with whatever else the machine runs; CPU time (this process plus the
children it waited for) does not. Use: ``pytest -p tests.cpu_durations --cpu-durations=40 tests/x``;
``--cpu-durations-file=PATH`` also writes every phase as ``seconds<TAB>phase<TAB>nodeid`` lines.
PostgreSQL's own work happens in the server's processes and is not counted.
"""

from __future__ import annotations

import os
import resource
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

_RECORDS: list[tuple[float, str, str]] = []


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--cpu-durations", type=int, default=30, help="show the N costliest phases (CPU s)")
    parser.addoption("--cpu-durations-file", default=None, help="write every phase's CPU seconds here")


def _cpu() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _measure(item: pytest.Item, phase: str) -> Iterator[None]:
    start = _cpu()
    yield
    _RECORDS.append((_cpu() - start, phase, item.nodeid))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Iterator[None]:
    yield from _measure(item, "setup")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    yield from _measure(item, "call")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Iterator[None]:
    yield from _measure(item, "teardown")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    total = sum(seconds for seconds, _, _ in _RECORDS)
    shown = sorted(_RECORDS, reverse=True)[: config.getoption("--cpu-durations")]
    terminalreporter.write_sep("=", f"CPU seconds per phase (total {total:.1f} s, pid {os.getpid()})")
    for seconds, phase, nodeid in shown:
        terminalreporter.write_line(f"{seconds:8.2f}s {phase:<8} {nodeid}")
    path = config.getoption("--cpu-durations-file")
    if path:
        lines = (f"{seconds:.3f}\t{phase}\t{nodeid}" for seconds, phase, nodeid in _RECORDS)
        Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")
