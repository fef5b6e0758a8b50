"""Grading: a quiz answer against its key, and a learner's code against an exercise's checks.

Both give a ``Result``: right or not, a score in [0, 1], the feedback to show, and what the
learner answered (the choice, or the known mistake that their code made).
"""

from __future__ import annotations

import hashlib
import math
import random
import reprlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..progress import learner_id
from .schema import Exercise, Question


@dataclass
class Result:
    """The outcome of one check: right or not, a score in [0, 1], and what to tell the learner.

    ``status`` is "graded", "empty" (a quiz checked with nothing picked) or "not_attempted" (an
    exercise whose placeholder is untouched); only graded results count as attempts.
    ``mistake`` is the id of the known mistake that an exercise answer made, if any.
    """

    correct: bool
    score: float
    feedback: list[str] = field(default_factory=list)
    choice: str = ""
    status: str = "graded"
    mistake: str = ""

    @property
    def counts(self) -> bool:
        """Whether this result is an attempt (it goes into the progress file)."""
        return self.status == "graded"


# --------------------------------------------------------------------------- quizzes


def grade(question: Question, answer: Any) -> Result:
    """Grade an answer given as a choice index (single, true_false), a set of indices (multiple),
    or a number or numeric text (numeric). Indices refer to the order in the YAML file.

    Multiple choice earns partial credit: (right picks − wrong picks) / number of right choices,
    never below 0; it is *correct* only when the picked set is exactly right.
    """
    if question.type == "numeric":
        if answer is None or str(answer).strip() == "":
            return Result(False, 0.0, ["Type a number, then press Check."], "", status="empty")
        try:
            value = float(str(answer).strip().replace(",", ""))
        except ValueError:
            return Result(False, 0.0, [f"'{answer}' is not a number: type digits only, e.g. 42."],
                          str(answer))
        assert question.answer is not None
        ok = math.isclose(value, question.answer, abs_tol=question.tolerance + 1e-9)
        text = f"{value:g}"
        for c in question.choices:  # known wrong values with their own feedback
            if not ok and c.text.strip() == text:
                return Result(False, 0.0, [c.feedback], text)
        feedback = "Correct." if ok else (question.wrong_feedback or "Not quite: try a hint.")
        return Result(ok, float(ok), [feedback], text)
    if question.type == "multiple":
        picked = set(answer or ())
        if not picked:
            return Result(False, 0.0, ["Pick at least one option, then press Check."], "",
                          status="empty")
        right = question.correct_indices()
        hits, wrong = len(picked & right), len(picked - right)
        score = max(0.0, (hits - wrong) / len(right))
        notes = [question.choices[i].feedback for i in sorted(picked)]
        missed = len(right - picked)
        if missed:
            notes.append(f"You missed {missed} correct option{'s' if missed > 1 else ''}.")
        chosen = "; ".join(question.choices[i].text for i in sorted(picked))
        return Result(picked == right, score if picked != right else 1.0, notes, chosen)
    if answer is None:
        return Result(False, 0.0, ["Pick an option, then press Check."], "", status="empty")
    index = int(answer)
    choice = question.choices[index]
    return Result(choice.correct, float(choice.correct), [choice.feedback], choice.text)


def option_order(question: Question, learner: str | None = None) -> list[int]:
    """The order in which this learner sees the choices: shuffled, but the same every time.

    True/false questions keep True before False.
    """
    order = list(range(len(question.choices)))
    if question.type != "true_false":
        seed = hashlib.sha256(f"{learner or learner_id()}:{question.id}".encode()).hexdigest()
        random.Random(seed).shuffle(order)
    return order


# --------------------------------------------------------------------------- exercises


def _stub() -> None:
    ...


def is_placeholder(value: Any) -> bool:
    """True for what an untouched exercise cell defines: ``...``, or a function whose body is
    only ``...`` (or ``pass``)."""
    if value is Ellipsis:
        return True
    code = getattr(value, "__code__", None)
    return code is not None and code.co_code == _stub.__code__.co_code and \
        set(code.co_consts) <= {None, Ellipsis}


def raises(action: Callable[[], Any], error: type[BaseException] | tuple = Exception,
           text: str = "") -> bool:
    """For mistake checks: does ``action()`` raise ``error`` with ``text`` in its message?"""
    try:
        action()
    except error as err:  # noqa: BLE001 - the point is to catch what the learner's code raises
        return text.lower() in str(err).lower()
    except Exception:  # noqa: BLE001
        return False
    return False


def attempt(action: Callable[[], Any]) -> Any:
    """For mistake checks: ``action()``, or the exception it raised (never raises)."""
    try:
        return action()
    except Exception as err:  # noqa: BLE001
        return err


CHECK_TOOLS = {"raises": raises, "attempt": attempt}
_short = reprlib.Repr()
_short.maxstring, _short.maxother, _short.maxlist, _short.maxdict = 120, 120, 8, 8


def describe(value: Any) -> str:
    """A short readable form of a value for feedback (arrays and tensors by shape)."""
    shape = getattr(value, "shape", None)
    if shape is not None and not isinstance(value, type) and len(tuple(shape)) > 0:
        kind = type(value).__name__
        try:
            dtype = f", {value.dtype}"
        except AttributeError:
            dtype = ""
        return f"a {kind} of shape {tuple(shape)}{dtype}"
    return _short.repr(value)


def same(got: Any, expected: Any, tolerance: float = 1e-6) -> bool:
    """Equal, with a tolerance for numbers; arrays and tensors are compared by shape and values."""
    if hasattr(expected, "shape") and not isinstance(expected, (int, float)):
        import numpy as np

        try:
            a, b = np.asarray(_numpy(got)), np.asarray(_numpy(expected))
        except Exception:  # noqa: BLE001
            return False
        return a.shape == b.shape and bool(np.allclose(a, b, atol=tolerance, rtol=1e-4))
    if isinstance(expected, bool) or expected is None or isinstance(expected, str):
        return type(got) is type(expected) and got == expected
    if isinstance(expected, (int, float)):
        try:
            return not isinstance(got, (bool, str)) and math.isclose(float(got), float(expected),
                                                                    abs_tol=tolerance)
        except (TypeError, ValueError):
            return False
    if isinstance(expected, Mapping):
        return isinstance(got, Mapping) and set(got) == set(expected) and all(
            same(got[k], v, tolerance) for k, v in expected.items())
    if isinstance(expected, (list, tuple)):
        return isinstance(got, (list, tuple)) and len(got) == len(expected) and all(
            same(g, e, tolerance) for g, e in zip(got, expected))
    return bool(got == expected)


def _numpy(value: Any) -> Any:
    detach = getattr(value, "detach", None)
    return detach().float().cpu().numpy() if detach else value


def not_attempted(exercise: Exercise, user_ns: Mapping[str, Any]) -> Result | None:
    """The "not attempted yet" result while a name is missing or still the placeholder, else None."""
    missing = [n for n in exercise.names if n not in user_ns]
    untouched = [n for n in exercise.names if n in user_ns and is_placeholder(user_ns[n])]
    if not (missing or untouched):
        return None
    names = ", ".join(f"`{n}`" for n in exercise.names)
    what = (f"Run the cell with your code first: it defines {names}." if missing else
            "Replace the `...` in the cell above with your code, run that cell, then run this "
            "check again.")
    return Result(False, 0.0, [f"Not attempted yet. {what}"], status="not_attempted")


def check_exercise(exercise: Exercise, user_ns: Mapping[str, Any],
                   fixtures: dict[str, Any]) -> Result:
    """Run an exercise's checks against the names the learner defined in ``user_ns``.

    In order: an untouched placeholder is "not attempted"; then each known mistake is looked
    for, and the first one found gives its own feedback; then each test case runs, and the first
    that fails is named with its call, the expected result and what the code gave. Never raises:
    an error in the learner's code becomes feedback.
    """
    waiting = not_attempted(exercise, user_ns)
    if waiting is not None:
        return waiting
    # The learner's names go into the fixtures' own namespace, so that helper functions defined
    # in the fixtures (``def build(): return make_trainer(...)``) can call them too.
    ns = fixtures
    ns.update(CHECK_TOOLS)
    ns.update({n: user_ns[n] for n in exercise.names})
    for mistake in exercise.mistakes:
        try:
            found = bool(eval(mistake.when, ns))  # noqa: S307 - course-authored check code
        except Exception:  # noqa: BLE001 - a check that cannot run has not found its mistake
            found = False
        if found:
            return Result(False, 0.0, [mistake.feedback], mistake.id, mistake=mistake.id)
    for number, case in enumerate(exercise.cases, start=1):
        label = f"Test case {number} of {len(exercise.cases)}: `{case.call}`"
        try:
            got = eval(case.call, ns)  # noqa: S307
        except Exception as err:  # noqa: BLE001
            return Result(False, 0.0, [f"{label} raised {type(err).__name__}: {str(err)[:300]}"],
                          f"case {number}: {type(err).__name__}")
        if case.expect is not None:
            expected = eval(case.expect, ns)  # noqa: S307
            if not same(got, expected, case.tolerance):
                return Result(False, 0.0, [f"{label} should give {describe(expected)}, but it "
                                           f"gave {describe(got)}."], f"case {number}")
        else:
            try:
                ok = bool(eval(case.test, {**ns, "got": got}))  # noqa: S307
            except Exception:  # noqa: BLE001
                ok = False
            if not ok:
                return Result(False, 0.0, [f"{label} gave {describe(got)}; expected "
                                           f"{case.explain}."], f"case {number}")
    notes = ["All checks pass."] + ([exercise.success] if exercise.success else [])
    return Result(True, 1.0, notes, "passed")
