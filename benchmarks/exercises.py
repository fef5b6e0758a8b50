"""How long an exercise check takes: the first check (which builds the check's own inputs, such as
a tokenizer or a small model) and a repeat (inputs already built), for the reference solution.

    python benchmarks/exercises.py

Goal: a few seconds at most for a first check, well under a second for a repeat.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from _common import write  # noqa: E402

import helpers  # noqa: E402
from helpers import exercises  # noqa: E402

FIRST_GOAL_S = 5.0


def main() -> None:
    os.environ["HFCOURSE_PROGRESS"] = os.path.join(tempfile.mkdtemp(), "progress.jsonl")
    helpers.environment.quiet_loading(True)
    rows = {}
    for eid, (lesson, d) in sorted(exercises.definitions().items()):
        ns: dict = {"__name__": "__main__", "helpers": helpers}
        exec(d.given, ns)  # noqa: S102 - what the lesson has defined before the exercise
        exec(d.solution, ns)  # noqa: S102
        ex = exercises.Exercise(lesson, d, save=False)
        start = time.perf_counter()
        ok = ex.grade(ns).correct
        first = time.perf_counter() - start
        start = time.perf_counter()
        ex.grade(ns)
        repeat = time.perf_counter() - start
        rows[eid] = {"lesson": lesson, "difficulty": d.difficulty, "passed": ok,
                     "first_check_s": round(first, 2), "repeat_check_s": round(repeat, 2)}
        print(f"{eid:<24} first {first:5.2f} s   repeat {repeat:5.2f} s   {'ok' if ok else 'FAILED'}")
    firsts = [r["first_check_s"] for r in rows.values()]
    repeats = [r["repeat_check_s"] for r in rows.values()]
    summary = {"exercises": len(rows), "first_check_median_s": round(statistics.median(firsts), 2),
               "first_check_max_s": max(firsts), "repeat_check_median_s":
               round(statistics.median(repeats), 2), "repeat_check_max_s": max(repeats),
               "first_goal_s": FIRST_GOAL_S, "met": max(firsts) <= FIRST_GOAL_S}
    path = write("exercises", {"summary": summary, "checks": rows})
    print(f"{len(rows)} checks: first check median {summary['first_check_median_s']} s, "
          f"max {summary['first_check_max_s']} s; repeat median {summary['repeat_check_median_s']} s, "
          f"max {summary['repeat_check_max_s']} s -> {path}")


if __name__ == "__main__":
    main()
