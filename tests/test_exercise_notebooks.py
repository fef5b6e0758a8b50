"""Every lesson, executed with the exercises' solutions filled in.

Each lesson runs top to bottom in a fresh kernel, as committed; after each exercise's check
(which must say "not attempted"), the reference solution is typed in the next cell and the check
runs again, and must report success. So one run proves the committed cells, the placeholders,
and the solutions, in the context of the lesson.

It takes as long as the lessons themselves, so it runs only where asked:
HFCOURSE_SOLUTION_NOTEBOOKS=1 runs every lesson, and a comma-separated list of lesson names runs
those. No suite of .ci/run does since 2026-11-30 (it cost the Colab suite 173 s for lessons 02 and
03): every exercise's solution, mistakes and alternatives run from their YAML in
tests/test_exercises.py in every suite, and the main suite runs every committed lesson under nbval.
"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest

from helpers import exercises

ROOT = Path(__file__).resolve().parent.parent
LESSONS = [ROOT / "lessons" / f"{name}.ipynb" for name in exercises.set_names()]
WANTED = os.environ.get("HFCOURSE_SOLUTION_NOTEBOOKS", "")


def wanted(path: Path) -> bool:
    """Whether HFCOURSE_SOLUTION_NOTEBOOKS asks for this lesson ("1": every lesson)."""
    return WANTED == "1" or path.stem in WANTED.split(",")


def with_solutions(path: Path) -> nbformat.NotebookNode:
    """The lesson with, after each check cell, assertions, the solution, and the check again."""
    nb = nbformat.read(path, as_version=4)
    found = exercises.definitions()
    cells = []
    for cell in nb.cells:
        cells.append(cell)
        if cell.metadata.get("role") != "check":
            continue
        d = found[cell.metadata["exercise"]][1]
        cells += [
            nbformat.v4.new_code_cell('assert ex.last.status == "not_attempted", ex.last.feedback'),
            nbformat.v4.new_code_cell(d.solution),
            nbformat.v4.new_code_cell(cell.source),
            nbformat.v4.new_code_cell(f'assert ex.last.correct, ("{d.id}", ex.last.feedback)'),
        ]
    nb.cells = cells
    return nb


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_lesson_runs_and_every_solution_passes(path, tmp_path, monkeypatch):
    if not wanted(path):
        pytest.skip("not asked for (HFCOURSE_SOLUTION_NOTEBOOKS): the main suite runs the committed "
                    "lesson with nbval, and every suite runs the solutions from their YAML")
    from nbclient import NotebookClient

    monkeypatch.setenv("HFCOURSE_PROGRESS", str(tmp_path / "progress.jsonl"))
    nb = with_solutions(path)
    NotebookClient(nb, timeout=900, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    from helpers import progress

    passed = {a.question for a in progress.load() if a.kind == "exercise" and a.correct}
    assert passed == {d.id for d in exercises.load_set(path.stem).exercises}
