"""Repository-wide pytest hooks: print how long each lesson notebook took under nbval, and how
long the browser tests took in all."""

from __future__ import annotations

from collections import defaultdict

_notebook_seconds: dict[str, float] = defaultdict(float)
_notebook_failed: set[str] = set()
_browser = {"seconds": 0.0, "tests": 0}


def pytest_runtest_logreport(report):
    path = report.nodeid.split("::")[0]
    if path.endswith(".ipynb"):
        _notebook_seconds[path] += report.duration
        if report.failed:
            _notebook_failed.add(path)
    elif path.startswith("tests/browser/"):
        _browser["seconds"] += report.duration  # setup (server start) + call + teardown
        _browser["tests"] += report.when == "call" and not report.skipped


def pytest_terminal_summary(terminalreporter):
    if _notebook_seconds:
        terminalreporter.section("notebook durations (nbval, fresh kernel each)")
        for path, seconds in sorted(_notebook_seconds.items()):
            state = "FAILED" if path in _notebook_failed else "ok"
            terminalreporter.write_line(f"{seconds:7.1f} s  {state:<6} {path}")
    if _browser["tests"]:
        terminalreporter.section("browser tests")
        terminalreporter.write_line(f"{_browser['tests']} browser tests took "
                                    f"{_browser['seconds']:.1f} s in all")
