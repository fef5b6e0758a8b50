"""Coding exercises: you write the code, and the check tells you what exactly went wrong.

In a lesson an exercise is three cells: the task (Markdown), a code cell with ``...`` where your
code goes, and a check cell::

    ex = helpers.exercises.get("ex04-compute-metrics")
    ex.check()        # ex.hint() gives one hint at a time; ex.solution() opens after a try

``check()`` looks up the names the task asks for in your notebook, runs the exercise's test
cases on small inputs, and answers with one of:

- *Not attempted yet*, while the ``...`` is still there;
- the feedback for a **known mistake** (for example, "Trainer expects a dict"), when your code
  makes one;
- the first property of the task that your code does not have yet, in words, with the input,
  what was expected and what your code gave;
- *Correct*, which is saved in your progress file like a quiz answer.

Every test gets its own copy of the check's inputs, so code that changes its arguments spoils
nothing for the next test. It never raises: an error in your code becomes feedback, and a
problem of the course itself (a missing file, say) is shown as such, with its fix, and is not
counted as your attempt. After a check, ``ex.answer()`` hands your code to the rest of the
lesson. The exercises of a lesson live in ``exercises/<lesson>.yaml`` (format:
``exercises/README.md``).
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from helpers.assessment import progress
from helpers.assessment import recording
from helpers.assessment.files import data_dir, names_in
from helpers.assessment.checking import Inputs, check_exercise, course_error, not_attempted
from helpers.assessment.grading import Result, Status
from helpers.assessment.render import (
    Rich, exercise_result_html, exercise_result_text, exercise_solution_html,
    exercise_solution_text, hints_html,
)
from helpers.assessment.schema import Exercise as Definition
from helpers.assessment.schema import ExerciseSet, parse_exercises
from helpers.core.errors import CourseError


def exercise_dir() -> Path:
    """The folder of the exercise files (``exercises/`` in the checkout, or in the package)."""
    return data_dir("HFCOURSE_EXERCISES", "exercises", "exercise_files")


def set_names() -> list[str]:
    """Every lesson that has an exercise file, by name (``00_welcome``, ...)."""
    return names_in(exercise_dir())


def load_set(lesson: str) -> ExerciseSet:
    """Load and validate ``exercises/<lesson>.yaml``."""
    path = exercise_dir() / f"{lesson}.yaml"
    if not path.is_file():
        raise CourseError(f"No exercise file {path}. Lessons with exercises: "
                          f"{', '.join(set_names())}.")
    return parse_exercises(path.read_text(encoding="utf-8"), f"exercises/{path.name}")


def definitions() -> dict[str, tuple[str, Definition]]:
    """Every exercise of the course by id, with its lesson."""
    found: dict[str, tuple[str, Definition]] = {}
    for lesson in set_names():
        for d in load_set(lesson).exercises:
            if d.id in found:
                raise CourseError(f"exercises/{lesson}.yaml, exercise '{d.id}', field 'id': "
                                  f"exercises/{found[d.id][0]}.yaml already uses this id. Fix: "
                                  "give each exercise its own id (progress is saved under it).")
            found[d.id] = (lesson, d)
    return found


def set_sizes() -> dict[str, int]:
    """The number of exercises per lesson (for progress summaries)."""
    return {lesson: len(load_set(lesson).exercises) for lesson in set_names()}


class Exercise:
    """One exercise in your notebook: ``check()``, ``hint()`` and ``solution()``."""

    def __init__(self, lesson: str, definition: Definition, save: bool = True) -> None:
        self.lesson, self.d, self.save = lesson, definition, save
        self.attempts = 0
        self.hints_shown = 0
        self.solved = False
        self.last: Result | None = None
        self._inputs: Inputs | None = None
        self._passed: dict[str, int] = {}  # the names (by id) that last passed the check

    @property
    def id(self) -> str:
        return self.d.id

    def inputs(self) -> Inputs:
        """The check's own small inputs, made once and copied for every test (they never come
        from your notebook)."""
        if self._inputs is None:
            self._inputs = Inputs(self.d.fixtures, self.id)
        return self._inputs

    def grade(self, namespace: Mapping[str, Any], record: bool = True) -> Result:
        """Check the names in ``namespace`` and record the attempt; returns the result."""
        waiting = not_attempted(self.d, namespace)  # before the inputs: nothing to build yet
        if waiting is not None:
            if record:
                self.last = waiting
            return waiting
        with _quiet_datasets():
            try:
                inputs = self.inputs()
            except Exception as err:  # noqa: BLE001 - a broken set-up is reported, never raised
                result = course_error("prepare its test inputs", err)
                if record:
                    self.last = result
                return result
            result = check_exercise(self.d, namespace, inputs)
        if result.correct:
            self._passed = {n: id(namespace[n]) for n in self.d.names}
        if not record:
            return result
        if result.counts:
            self.attempts += 1
            self.solved = self.solved or result.correct
            if self.save:
                recording.record(result, kind="exercise", lesson=self.lesson, item=self.id,
                                 topic=self.d.topic, difficulty=self.d.difficulty,
                                 hints_used=self.hints_shown)
        self.last = result
        return result

    def check(self, namespace: Mapping[str, Any] | None = None) -> "Checked":
        """Check your code: the names the task asks for are read from your notebook."""
        if namespace is None:
            caller = inspect.currentframe()
            namespace = caller.f_back.f_globals if caller and caller.f_back else {}
        return Checked(self, self.grade(namespace))

    def hint(self) -> Rich:
        """The next hint (one more each call)."""
        self.hints_shown = min(self.hints_shown + 1, len(self.d.hints))
        shown = self.d.hints[: self.hints_shown]
        more = "" if self.hints_shown < len(self.d.hints) else " (no more hints)"
        text = f"Hints{more}:\n" + "\n".join(f"  {n}. {h}" for n, h in enumerate(shown, 1))
        return Rich(hints_html(self.d.hints, self.hints_shown), text)

    def tried_before(self) -> bool:
        """An attempt in this session, or one saved in your progress file."""
        return self.attempts > 0 or any(
            a.kind == "exercise" and a.question == self.id for a in progress.load())

    def solution(self) -> Rich:
        """The worked solution; it opens after your first attempt."""
        if not self.tried_before():
            text = ("The solution opens after your first try: write your code, run it, run "
                    "ex.check(). Stuck? ex.hint() gives a hint.")
            return Rich(f"<div class='hfx-locked'>{text}</div>", text)
        return Rich(exercise_solution_html(self.d), exercise_solution_text(self.d))

    def answer(self, namespace: Mapping[str, Any] | None = None) -> Any:
        """Your code, for the rest of the lesson: what you defined, once it passes the check;
        until then the course's own version, with one line that says so. One name gives that
        object; several give a tuple, in the order of the task."""
        if namespace is None:
            caller = inspect.currentframe()
            namespace = caller.f_back.f_globals if caller and caller.f_back else {}
        names = self.d.names
        passed = all(n in namespace and id(namespace[n]) == self._passed.get(n) for n in names)
        written = not_attempted(self.d, namespace) is None
        if not passed and written:
            passed = self.grade(namespace, record=False).correct
        if passed:
            found = [namespace[n] for n in names]
            print(f"Using your {_listed(names)}: it passes the check.")
        else:
            reference = _run(self.d, "solution", dict(namespace))
            found = [reference[n] for n in names]
            state = "does not pass its check yet" if written else "is not written yet"
            print(f"Your {_listed(names)} {state}, so the lesson goes on with the course's "
                  "version (`ex.solution()` shows it after your first try).")
        return found[0] if len(found) == 1 else tuple(found)

    def __repr__(self) -> str:
        return f"<exercise {self.id} ({self.d.difficulty}): {self.d.title}>"


def _run(d: Definition, part: str, namespace: dict[str, Any]) -> dict[str, Any]:
    """Run an exercise's ``given`` or ``solution`` code in ``namespace``; returns it."""
    exec(compile(getattr(d, part), f"<{part} of {d.id}>", "exec"), namespace)  # noqa: S102
    return namespace


def _listed(names: list[str]) -> str:
    quoted = [f"`{n}`" for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


class Checked:
    """What ``check()`` shows: the verdict and feedback (HTML or text), with Hint and Solution
    buttons where widgets work."""

    def __init__(self, exercise: Exercise, result: Result) -> None:
        self.exercise, self.result = exercise, result
        self.panel: Any = None  # the Hint/Solution widgets, once displayed in a notebook

    @property
    def correct(self) -> bool:
        return self.result.correct

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        ex, r = self.exercise, self.result
        return {"text/plain": exercise_result_text(ex.d, r, ex.attempts),
                "text/html": exercise_result_html(ex.d, r, ex.attempts)}

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self._repr_mimebundle_(), raw=True)
        if self.result.status is Status.COURSE_ERROR or not _widgets_ok():
            return
        from helpers.assessment.widgets import Reveal

        import ipywidgets as w

        ex = self.exercise
        reveal = Reveal(ex.d.hints, lambda: ex.solution().html, css="hfx")
        reveal.shown = ex.hints_shown
        if ex.attempts:
            reveal.attempted()
        reveal.hint.on_click(lambda _: setattr(ex, "hints_shown", reveal.shown))
        box = w.VBox([w.HBox([reveal.hint, reveal.show_solution]), reveal.hints, reveal.solution])
        box.add_class("hfx-panel")
        self.panel = box
        display({"text/plain": "(Hint and Solution buttons: or call ex.hint() and ex.solution())",
                 "application/vnd.jupyter.widget-view+json": {
                     "version_major": 2, "version_minor": 0, "model_id": box.model_id}}, raw=True)

    def __repr__(self) -> str:
        return self._repr_mimebundle_()["text/plain"]


def _widgets_ok() -> bool:
    from helpers.assessment.quiz import has_kernel

    return has_kernel()


@contextmanager
def _quiet_datasets() -> Iterator[None]:
    """No `Map: 100%` bars from the checks' tiny data sets (restored afterwards)."""
    if "datasets" not in sys.modules:
        yield
        return
    import datasets

    was_off = datasets.are_progress_bars_disabled()
    datasets.disable_progress_bars()
    try:
        yield
    finally:
        if not was_off:
            datasets.enable_progress_bars()


_LIVE: dict[str, Exercise] = {}


def reference(name: str) -> Any:
    """The course's own definition of ``name``: the worked solution of the exercise that asks
    for it (what ``ex.answer()`` gives until the learner's code passes)."""
    import helpers

    for _, d in definitions().values():
        if name in d.names:
            namespace = _run(d, "given", {"helpers": helpers, "__name__": "__main__"})
            return _run(d, "solution", namespace)[name]
    raise CourseError(f"No exercise asks for `{name}`.")


def get(exercise_id: str) -> Exercise:
    """The exercise with this id, e.g. ``helpers.exercises.get("ex04-compute-metrics")``.

    Calling it again returns the same object, so your attempts and hints are kept while the
    kernel runs.
    """
    if exercise_id not in _LIVE:
        found = definitions()
        if exercise_id not in found:
            raise CourseError(f"No exercise '{exercise_id}'. Exercises: {', '.join(sorted(found))}.")
        lesson, definition = found[exercise_id]
        _LIVE[exercise_id] = Exercise(lesson, definition)
    return _LIVE[exercise_id]


# --------------------------------------------------------------------------- notebook cells


def cell_sources(definition: Definition) -> dict[str, str]:
    """The three notebook cells of an exercise, by role: the task (Markdown), the placeholder
    the learner replaces, and the check. ``scripts/exercise_cells.py`` writes them into the
    lessons, and a test keeps the lessons and the definitions the same."""
    task = (f"### Your turn ({definition.difficulty}): {definition.title}\n\n"
            f"{definition.prompt.strip()}")
    check = (f'ex = helpers.exercises.get("{definition.id}")\n'
             "ex.check()   # ex.hint() gives a hint; ex.solution() opens after your first try")
    return {"task": task, "placeholder": definition.placeholder.rstrip("\n"), "check": check}
