"""Quizzes: a lesson's bank of questions, shown as clickable widgets, graded, and saved.

A bank is ``quizzes/<lesson>.yaml``; its format is in ``quizzes/README.md`` and its schema in
``helpers/assessment/schema.py``. ``show(lesson)`` renders the bank with ipywidgets core
controls (they work on ipywidgets 7.7 and 8); the same object has a static HTML/Markdown/text
form for places where widgets do not render. Every checked answer is saved to your progress
file (``helpers.progress``).
"""

from __future__ import annotations

import html
import sys
from pathlib import Path
from typing import Any

from helpers.assessment import exam as exam_mode
from helpers.assessment import progress
from helpers.assessment import recording
from helpers.assessment.files import data_dir, names_in
from helpers.assessment.grading import Result, grade, option_order  # noqa: F401 (part of this API)
from helpers.assessment.render import (  # noqa: F401
    HIDE_FALLBACK_CSS, LETTERS, VERDICT_CSS, md, static_html, static_markdown,
)
from helpers.assessment.schema import Bank, Choice, Question, parse_bank  # noqa: F401
from helpers.assessment.widgets import QuestionWidget
from helpers.core.errors import CourseError

learner_id = progress.learner_id


def quiz_dir() -> Path:
    """The folder of the quiz banks (``quizzes/`` in the checkout, or inside the installed package)."""
    return data_dir("HFCOURSE_QUIZZES", "quizzes", "quizzes")


def bank_names() -> list[str]:
    """Every bank in the quiz folder, by name (``00_welcome``, ..., ``final_test``)."""
    return names_in(quiz_dir())


def load_bank(name: str) -> Bank:
    """Load and validate ``quizzes/<name>.yaml``."""
    path = quiz_dir() / f"{name}.yaml"
    if not path.is_file():
        raise CourseError(f"No quiz bank {path}. Banks available: {', '.join(bank_names())}.")
    return parse_bank(path.read_text(encoding="utf-8"), f"quizzes/{path.name}")


def bank_sizes() -> dict[str, int]:
    """The number of questions in every bank, by lesson (for progress summaries)."""
    return {name: len(load_bank(name).questions) for name in bank_names()}


def has_kernel() -> bool:
    """True inside a Jupyter kernel (where widgets can be shown)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


class Quiz:
    """A lesson's quiz: widgets in a notebook, static HTML/Markdown/text elsewhere.

    ``exam`` (default: whether a teacher switched exam mode on for this bank, ``helpers.exam``)
    hides hints and solutions, takes one answer per question, and gives the feedback with the
    score when the learner presses Finish."""

    def __init__(self, bank: Bank, learner: str | None = None, save: bool = True,
                 exam: bool | None = None) -> None:
        self.bank = bank
        self.learner = learner or learner_id()
        self.save = save
        self.exam = exam_mode.applies_to(bank.lesson) if exam is None else exam
        self.finished = False
        self.widget: Any = None
        self.questions: list[QuestionWidget] = []

    def build(self) -> Any:
        """Create the widgets (needs ipywidgets); return the top VBox."""
        import ipywidgets as w

        self.score = w.HTML()
        self.score.add_class("hfq-score")
        self.questions = [QuestionWidget(self.bank, q, self.learner, self.record, exam=self.exam)
                          for q in self.bank.questions]
        # The style hides the static copy of the quiz (displayed under the widget) wherever the
        # widget itself renders; where widgets do not render, the style never reaches the page.
        title = w.HTML(f"<style>{HIDE_FALLBACK_CSS}{VERDICT_CSS}</style>"
                       f"<h3>Quiz: {html.escape(self.bank.title)}</h3>")
        parts = [title, self.score, *[qw.box for qw in self.questions]]
        if self.exam:
            note = w.HTML("<p class='hfq-exam-note'><b>Exam mode</b>: no hints or solutions, one "
                          "answer per question (Submit is final), and your score with the "
                          "feedback when you press <b>Finish the test</b>.</p>")
            self.finish_button = w.Button(description="Finish the test", button_style="warning",
                                          tooltip="Lock every answer and show the score")
            self.finish_button.add_class("hfq-finish")
            self.finish_button.on_click(lambda _: self.finish())
            parts = [title, note, self.score, *parts[2:], self.finish_button]
        self.widget = w.VBox(parts)
        self.widget.add_class("hfq-quiz")
        if self.exam:
            self.widget.add_class("hfq-exam")
            self.restore_exam_answers()
            if self.save and progress.finished(self.bank.lesson, self.learner):
                self.finished = True  # finished earlier (and saved then): it stays finished
                self.finish()
        self.update_score()
        return self.widget

    def score_line(self) -> str:
        total = len(self.questions) or len(self.bank.questions)
        if self.exam and not self.finished:
            answered = sum(qw.final is not None for qw in self.questions)
            return f"Exam mode: {answered} / {total} answered"
        if self.exam:
            right = sum(bool(qw.final and qw.final.correct) for qw in self.questions)
            return f"Score: {right} / {total} correct (exam mode, one answer per question)"
        solved = sum(qw.solved for qw in self.questions)
        first = sum(bool(qw.first_correct) for qw in self.questions)
        tried = sum(qw.attempts > 0 for qw in self.questions)
        return f"Score: {solved} / {total} correct · {first} on the first try · {tried} attempted"

    def update_score(self) -> None:
        if self.widget is not None:
            self.score.value = f"<b>{self.score_line()}</b>"

    def record(self, qw: QuestionWidget, result: Result) -> None:
        self.update_score()
        if self.save:
            recording.record(result, kind="quiz", lesson=self.bank.lesson, item=qw.q.id,
                             topic=qw.q.topic, difficulty=qw.q.difficulty,
                             hints_used=qw.hints_shown, learner=self.learner, exam=self.exam,
                             question=qw.q)

    def restore_exam_answers(self) -> None:
        """Exam mode: answers saved earlier (the cell run again, or the kernel restarted) stay
        final; those questions open locked."""
        if not self.save:
            return
        earlier: dict[str, progress.Attempt] = {}
        for a in progress.load():
            if a.exam and a.lesson == self.bank.lesson and a.learner == self.learner:
                earlier.setdefault(a.question, a)
        for qw in self.questions:
            a = earlier.get(qw.q.id)
            if a is not None:
                qw.restore(a.choice, recording.picked_indices(a, qw.q))
                qw.settle(Result(a.correct, a.score, [f"Your answer: {a.choice}"], a.choice),
                          "Answered earlier in exam mode: your first answer, shown above, stands.")
        self.update_score()

    def finish(self) -> str:
        """Exam mode: lock every question, show each verdict with its feedback, and the score.
        Finishing is saved: the test stays finished when its cell runs again, or after a restart."""
        if self.save and not self.finished:
            progress.mark_finished(self.bank.lesson, self.learner)
        self.finished = True
        for qw in self.questions:
            qw.reveal_verdict()
        if getattr(self, "finish_button", None) is not None:
            self.finish_button.disabled = True
        self.update_score()
        return self.score_line()

    # Rich display. Where widgets render, the widget shows and hides the static copy under it.
    # Where they do not (nbconvert HTML, GitHub, VS Code without widgets, a console), the static
    # copy is what the reader sees: prompts and choices, with hints and answers folded.
    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        """The static quiz as text, HTML and Markdown (no widgets)."""
        return {
            "text/plain": static_markdown(self.bank, self.learner, self.exam),
            "text/html": static_html(self.bank, self.learner, self.exam),
            "text/markdown": static_markdown(self.bank, self.learner, self.exam),
        }

    def widget_bundle(self) -> dict[str, Any]:
        """The widget's own display bundle (its view, plus a one-line text for plain viewers)."""
        assert self.widget is not None, "call build() first"
        return {
            "text/plain": f"Interactive quiz '{self.bank.title}': {len(self.bank.questions)} "
                          "questions (open the notebook in Jupyter to answer).",
            "application/vnd.jupyter.widget-view+json": {
                "version_major": 2, "version_minor": 0, "model_id": self.widget.model_id,
            },
        }

    def _ipython_display_(self) -> None:
        from IPython.display import display

        if self.widget is not None:
            display(self.widget_bundle(), raw=True)
            if "google.colab" in sys.modules:  # Colab always renders widgets; no second copy
                return
        display(self._repr_mimebundle_(), raw=True)

    def __repr__(self) -> str:
        return static_markdown(self.bank, self.learner, self.exam)


def show(lesson: str, save: bool = True) -> Quiz:
    """Show a lesson's quiz, e.g. ``helpers.quiz.show("04_fine_tuning")``.

    In a notebook you get clickable widgets; where widgets cannot render, the same quiz reads as
    text with the answers folded. Attempts are saved to your progress file unless ``save=False``.
    """
    quiz = Quiz(load_bank(lesson), save=save)
    if has_kernel():
        quiz.build()
    return quiz
