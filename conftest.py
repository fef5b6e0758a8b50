"""Repository-wide pytest hooks: print how long each lesson notebook took under nbval, how long
the browser tests took in all, and the 10 slowest items; write every test's and notebook's seconds
to test-artifacts/durations.json under the suite's name (HFCOURSE_SUITE), which
scripts/budget.py checks against tests/budget.toml."""

from __future__ import annotations

import json
import os
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path

import pytest

_notebook_failed: set[str] = set()
_browser = {"seconds": 0.0, "tests": 0}
_seconds: dict[str, float] = defaultdict(float)  # a test id, or a notebook's path: its seconds


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "proven_by_lesson(stem): the lesson runs the same commands and asserts the same; "
        "skipped when that lesson's notebook runs under nbval in the same session")


@pytest.hookimpl(trylast=True)  # after -k and --deselect: only a lesson that will really run counts
def pytest_collection_modifyitems(config, items):
    """A test marked ``proven_by_lesson("09_training_loop")`` is skipped when lesson 09 itself is
    collected in this session (the main suite): its cells run the same launches and assert the
    same facts, and running them twice cost about 150 s. Run alone, or in a suite without the
    lesson, the test runs."""
    lessons = {Path(str(item.fspath)).stem for item in items if str(item.fspath).endswith(".ipynb")}
    for item in items:
        mark = item.get_closest_marker("proven_by_lesson")
        if mark and mark.args[0] in lessons:
            item.add_marker(pytest.mark.skip(
                reason=f"lesson {mark.args[0]} runs the same and asserts the same under nbval in this session"))


def pytest_runtest_setup(item):
    take_the_freed_cores()
    lessons_use_every_core(item)
    say_when_the_lessons_are_done(item)


def say_when_the_lessons_are_done(item) -> None:
    """Write the file named in ``HFCOURSE_LESSONS_DONE`` when the first test that is not a lesson
    starts. ``.ci/run`` sets up the extra suites' venvs (about two minutes of one busy core) from
    then on, beside the browser tests, which leave about half of the two cores idle, rather than
    beside a lesson, which needs both."""
    flag = os.environ.get("HFCOURSE_LESSONS_DONE")
    if flag and not str(item.fspath).endswith(".ipynb"):
        Path(flag).parent.mkdir(parents=True, exist_ok=True)
        Path(flag).touch()
        del os.environ["HFCOURSE_LESSONS_DONE"]


_THREADS_SET_HERE = False


def lessons_use_every_core(item) -> None:
    """In the main suite (``HFCOURSE_SUITE=main``, ``.ci/run``), each lesson's kernel gets one
    torch thread per core, through ``HFCOURSE_THREADS``; the unit tests keep measuring.

    Left to itself, ``helpers.setup()`` fits torch's threads to the cores that are free when the
    lesson starts, and keeps that count for the whole lesson. A lesson that starts while another
    process is busy for a moment (the extra suites' venvs installing in the background) would run
    on one thread throughout: seen on 2026-12-01, a kernel of lesson 04 at one thread. Nothing
    changes where the suite already sets the threads (``OMP_NUM_THREADS`` or ``HFCOURSE_THREADS``).
    """
    global _THREADS_SET_HERE
    if os.environ.get("HFCOURSE_SUITE") != "main" or os.environ.get("OMP_NUM_THREADS"):
        return
    if os.environ.get("HFCOURSE_THREADS") and not _THREADS_SET_HERE:
        return
    if str(item.fspath).endswith(".ipynb"):
        os.environ["HFCOURSE_THREADS"] = str(os.cpu_count() or 1)
        _THREADS_SET_HERE = True
    elif _THREADS_SET_HERE:
        del os.environ["HFCOURSE_THREADS"]
        _THREADS_SET_HERE = False


def take_the_freed_cores() -> None:
    """Two suites side by side run with one thread each (``OMP_NUM_THREADS=1``); once the other
    suite is done (``.ci/run`` names the file it writes at its end in ``HFCOURSE_ALONE_WHEN``),
    this one takes every core: torch's threads now, and the kernels that nbval starts later."""
    flag = os.environ.get("HFCOURSE_ALONE_WHEN")
    if not flag or not Path(flag).exists():
        return
    cores = os.cpu_count() or 1
    os.environ["OMP_NUM_THREADS"] = str(cores)
    del os.environ["HFCOURSE_ALONE_WHEN"]
    import sys

    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(cores)
    print(f"\n(the other suite is done: {cores} threads from here on)")


def pytest_runtest_logreport(report):
    path = report.nodeid.split("::")[0]
    # A notebook counts as one item (nbval makes a test of each cell).
    _seconds[path if path.endswith(".ipynb") else report.nodeid] += report.duration
    if path.endswith(".ipynb"):
        if report.failed:
            _notebook_failed.add(path)
    elif path.startswith("tests/browser/"):
        _browser["seconds"] += report.duration  # setup (server start) + call + teardown
        _browser["tests"] += report.when == "call" and not report.skipped


def pytest_terminal_summary(terminalreporter):
    notebooks = {path: s for path, s in _seconds.items() if path.endswith(".ipynb")}
    if notebooks:
        terminalreporter.section("notebook durations (nbval, fresh kernel each)")
        for path, seconds in sorted(notebooks.items()):
            state = "FAILED" if path in _notebook_failed else "ok"
            terminalreporter.write_line(f"{seconds:7.1f} s  {state:<6} {path}")
    if _browser["tests"]:
        terminalreporter.section("browser tests")
        terminalreporter.write_line(f"{_browser['tests']} browser tests took "
                                    f"{_browser['seconds']:.1f} s in all")
    if _seconds:
        suite = os.environ.get("HFCOURSE_SUITE", "local")
        terminalreporter.section(f"the 10 slowest items of the {suite} suite")
        for name, seconds in sorted(_seconds.items(), key=lambda item: -item[1])[:10]:
            terminalreporter.write_line(f"{seconds:7.1f} s  {name}")
        written = write_durations(suite)
        terminalreporter.write_line(f"{sum(_seconds.values()):.0f} s in all; every item's seconds: "
                                    f"{written}")


def write_durations(suite: str) -> Path:
    """Add this run's seconds to test-artifacts/durations.json, under ``suite`` (other suites'
    entries are kept)."""
    folder = Path(os.environ.get("HFCOURSE_TEST_ARTIFACTS", Path(__file__).parent / "test-artifacts"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "durations.json"
    with open(folder / ".durations.lock", "w") as lock:  # two suites may end at once
        try:
            import fcntl

            fcntl.flock(lock, fcntl.LOCK_EX)
        except ImportError:  # Windows: no lock, and no second suite beside this one
            pass
        try:
            everything = json.loads(path.read_text())
        except (OSError, ValueError):
            everything = {}
        everything[suite] = {
            "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "total_s": round(sum(_seconds.values()), 1),
            "seconds": {name: round(s, 2) for name, s in sorted(_seconds.items())},
        }
        path.write_text(json.dumps(everything, indent=1) + "\n")
    return path
