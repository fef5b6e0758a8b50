"""Grading: a quiz answer against its key, and a learner's code against an exercise's checks.

Both give a ``Result``: right or not, a score in [0, 1], the feedback to show, and what the
learner answered (the choice, or the known mistake that their code made).
"""

from __future__ import annotations

import hashlib
import math
import random
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from helpers.assessment.progress import learner_id
from helpers.assessment.schema import Question


class Status(str, Enum):
    """What a check found. Only ``CORRECT``, ``FAILED`` and ``MISTAKE`` are the learner's
    attempts; the others are recorded nowhere."""

    CORRECT = "correct"
    FAILED = "failed"  # a wrong quiz answer, or code that fails a property of its task
    MISTAKE = "mistake"  # code that makes one of the exercise's known mistakes
    NOT_ATTEMPTED = "not_attempted"  # an exercise's placeholder is still there
    EMPTY = "empty"  # a quiz checked with nothing picked
    NOT_A_NUMBER = "not_a_number"  # a numeric question answered with words: refused, not counted
    REFUSED = "refused"  # exam mode: a second answer to a question
    COURSE_ERROR = "course_error"  # the check itself could not run: the course's problem


ATTEMPTS = frozenset({Status.CORRECT, Status.FAILED, Status.MISTAKE})


@dataclass
class Result:
    """The outcome of one check: right or not, a score in [0, 1], and what to tell the learner.

    ``status`` says what kind of outcome it is (see ``Status``); left out, it follows
    ``correct``. ``mistake`` is the id of the known mistake that an exercise answer made, if any.
    ``picked`` holds the indices of the choices picked (quiz questions with choices), in the
    order of the YAML file, with ``feedback`` beginning with one line for each of them.
    """

    correct: bool
    score: float
    feedback: list[str] = field(default_factory=list)
    choice: str = ""
    status: Status | None = None
    mistake: str = ""
    picked: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        if self.status is None:
            self.status = Status.CORRECT if self.correct else Status.FAILED
        self.status = Status(self.status)

    @property
    def counts(self) -> bool:
        """Whether this result is an attempt (it goes into the progress file)."""
        return self.status in ATTEMPTS


# --------------------------------------------------------------------------- quizzes


def grade(question: Question, answer: Any) -> Result:
    """Grade an answer given as a choice index (single, true_false), a set of indices (multiple),
    or a number or numeric text (numeric). Indices refer to the order in the YAML file.

    Multiple choice earns partial credit: (right picks − wrong picks) / number of right choices,
    never below 0; it is *correct* only when the picked set is exactly right.
    """
    if question.type == "numeric":
        if answer is None or str(answer).strip() == "":
            return Result(False, 0.0, ["Type a number, then press Check."], "", status=Status.EMPTY)
        try:
            value = float(str(answer).strip().replace(",", ""))
        except ValueError:
            return Result(False, 0.0, [f"'{answer}' is not a number, so it was not counted: "
                                       "type digits, e.g. 42 or 0.5, then press Check."],
                          str(answer), status=Status.NOT_A_NUMBER)
        assert question.answer is not None
        ok = math.isclose(value, question.answer, abs_tol=question.tolerance + 1e-9)
        text = f"{value:g}"
        for c in question.choices:  # known wrong values with their own feedback
            if not ok and c.text.strip() == text:
                return Result(False, 0.0, [c.feedback], text)
        feedback = (f"{text} is the expected value." if ok else
                    question.wrong_feedback or "Not quite: try a hint.")
        return Result(ok, float(ok), [feedback], text)
    if question.type == "multiple":
        picked = set(answer or ())
        if not picked:
            return Result(False, 0.0, ["Pick at least one option, then press Check."], "",
                          status=Status.EMPTY)
        right = question.correct_indices()
        hits, wrong = len(picked & right), len(picked - right)
        score = max(0.0, (hits - wrong) / len(right))
        notes = [question.choices[i].feedback for i in sorted(picked)]
        missed = len(right - picked)
        if missed:
            notes.append(f"You missed {missed} correct option{'s' if missed > 1 else ''}.")
        chosen = "; ".join(question.choices[i].text for i in sorted(picked))
        return Result(picked == right, score if picked != right else 1.0, notes, chosen,
                      picked=tuple(sorted(picked)))
    if answer is None:
        return Result(False, 0.0, ["Pick an option, then press Check."], "", status=Status.EMPTY)
    index = int(answer)
    choice = question.choices[index]
    return Result(choice.correct, float(choice.correct), [choice.feedback], choice.text,
                  picked=(index,))


def option_order(question: Question, learner: str | None = None) -> list[int]:
    """The order in which this learner sees the choices: shuffled, but the same every time.

    True/false questions keep True before False.
    """
    order = list(range(len(question.choices)))
    if question.type != "true_false":
        seed = hashlib.sha256(f"{learner or learner_id()}:{question.id}".encode()).hexdigest()
        random.Random(seed).shuffle(order)
    return order
