"""Repository-wide pytest hooks: print how long each lesson notebook took under nbval."""

from __future__ import annotations

from collections import defaultdict

_notebook_seconds: dict[str, float] = defaultdict(float)
_notebook_failed: set[str] = set()


def pytest_runtest_logreport(report):
    path = report.nodeid.split("::")[0]
    if path.endswith(".ipynb"):
        _notebook_seconds[path] += report.duration
        if report.failed:
            _notebook_failed.add(path)


def pytest_terminal_summary(terminalreporter):
    if not _notebook_seconds:
        return
    terminalreporter.section("notebook durations (nbval, fresh kernel each)")
    for path, seconds in sorted(_notebook_seconds.items()):
        state = "FAILED" if path in _notebook_failed else "ok"
        terminalreporter.write_line(f"{seconds:7.1f} s  {state:<6} {path}")
