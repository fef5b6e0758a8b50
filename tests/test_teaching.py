"""TEACHING.md stays true: every lesson has its objectives, and its tables are the benchmarks' own."""

from __future__ import annotations

import json
import re
from pathlib import Path

from helpers import course

ROOT = Path(__file__).resolve().parent.parent
TEACHING = (ROOT / "TEACHING.md").read_text()
RESULTS = ROOT / "benchmarks" / "results"


def test_every_lesson_has_objectives_in_the_guide():
    objectives = TEACHING.split("## Learning objectives")[1].split("\n## ")[0]
    for lesson in course.LESSONS:
        assert f"| `{lesson.stem}` |" in objectives, lesson.stem


def test_the_time_and_memory_table_is_the_lesson_benchmark_s(bench_module):
    report = json.loads((RESULTS / "lessons.json").read_text())
    assert bench_module("lessons").teaching_table(report) in TEACHING
    assert all("peak_mb" in row for row in report["lessons"].values())


def test_the_shared_server_table_is_the_threads_benchmark_s(bench_module):
    report = json.loads((RESULTS / "threads.json").read_text())
    table = bench_module("threads").table(report)
    assert table in TEACHING
    assert table in (ROOT / "README.md").read_text()


def test_the_readme_points_teachers_at_the_guide():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Teaching with this course")[1].split("\n## ")[0]
    assert "[`TEACHING.md`](TEACHING.md)" in section
    assert "not secure" in section and "HFCOURSE_QUIZZES" in section
    assert not re.search(r"[A-Z]+_TABLE|THREADS_VERDICT", TEACHING), "a placeholder is left"
