"""The interactive controls: ipywidgets core controls only, so ipywidgets 7.7 and 8 both work.

``Reveal`` is shared by quiz questions and exercises: a Hint button that shows one more hint
each press, and a Solution button that opens after the first attempt.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from helpers.assessment.grading import Result, Status, grade, option_order
from helpers.assessment.answer import answer_control
from helpers.assessment.render import LETTERS, hints_html, md, plain_text, solution_html, verdict_html
from helpers.assessment.schema import Bank, Question


class Reveal:
    """Hints one at a time, and a solution that opens after the first attempt."""

    def __init__(self, hints: list[str], solution: Callable[[], str], css: str = "hfq") -> None:
        import ipywidgets as w

        self.all_hints, self.solution_html = hints, solution
        self.shown = 0
        self.hint = w.Button(description="Hint", tooltip="Show the next hint")
        self.show_solution = w.Button(description="Solution", disabled=True,
                                      tooltip="Opens after your first attempt")
        self.hint.add_class(f"{css}-hint")
        self.show_solution.add_class(f"{css}-solution-button")
        self.hints, self.solution = w.HTML(), w.HTML()
        self.hints.add_class(f"{css}-hints")
        self.solution.add_class(f"{css}-solution")
        self.hint.on_click(lambda _: self.next_hint())
        self.show_solution.on_click(lambda _: self.open_solution())

    def next_hint(self) -> None:
        if self.shown < len(self.all_hints):
            self.shown += 1
        self.hints.value = hints_html(self.all_hints, self.shown)
        if self.shown == len(self.all_hints):
            self.hint.disabled = True

    def attempted(self) -> None:
        """Called after a graded attempt: the solution may now be opened."""
        self.show_solution.disabled = False
        self.show_solution.tooltip = "Show the worked solution"

    def open_solution(self) -> None:
        if not self.show_solution.disabled:
            self.solution.value = self.solution_html()


class QuestionWidget:
    """The widgets of one question: choose, Check, Hint, Solution, and feedback in HTML.

    ``on_result(widget, result)`` is called after every graded check. With ``exam=True`` (exam
    mode, ``helpers.exam``) there is no Hint or Solution, the button says Submit, the first
    answer is final, and the verdict waits for ``reveal_verdict()`` at the end of the test.
    """

    def __init__(self, bank: Bank, question: Question, learner: str,
                 on_result: Callable[["QuestionWidget", Result], None], exam: bool = False) -> None:
        import ipywidgets as w

        self.q, self.bank, self.on_result, self.exam = question, bank, on_result, exam
        self.final: Result | None = None  # exam mode: the one answer given
        self.closed = False  # exam mode: the test is finished
        self.order = option_order(question, learner)
        self.attempts = 0
        self.solved = False
        self.first_correct: bool | None = None
        n = bank.questions.index(question) + 1
        header = w.HTML(f"<b>{n}. </b><span class='hfq-difficulty'>({question.difficulty})</span>"
                        f"{md(question.prompt)}")
        header.add_class("hfq-prompt")
        if question.type == "numeric":
            options: list[str] = []
        else:
            options = [f"<b>{LETTERS[pos]}.</b> {md(question.choices[i].text, inline=True)}"
                       for pos, i in enumerate(self.order)]
        kind = {"true_false": "single", "numeric": "number"}.get(question.type, question.type)
        self.answer = answer_control(kind, options,
                                     f"Question {n}: {plain_text(question.prompt)}"[:240])
        self.answer.observe(lambda _: self.on_check(), "submits")  # Enter in the control
        self.check = w.Button(description="Submit" if exam else "Check", button_style="primary",
                              tooltip="Submit my answer: it is final" if exam else "Check my answer")
        self.check.add_class("hfq-check")
        self.reveal = Reveal(question.hints, lambda: solution_html(question, self.order))
        self.feedback = w.HTML()
        self.feedback.add_class("hfq-feedback")
        self.check.on_click(lambda _: self.on_check())
        buttons = [self.check] if exam else [self.check, self.reveal.hint, self.reveal.show_solution]
        shown = [self.feedback] if exam else [self.feedback, self.reveal.hints, self.reveal.solution]
        self.box = w.VBox([header, self.answer.widget, w.HBox(buttons), *shown])
        self.box.add_class("hfq-question")

    @property
    def hints_shown(self) -> int:
        return self.reveal.shown

    @property
    def show_solution(self) -> Any:
        return self.reveal.show_solution

    @property
    def hints(self) -> Any:
        return self.reveal.hints

    @property
    def solution(self) -> Any:
        return self.reveal.solution

    def current_answer(self) -> Any:
        """The answer in the bank's terms: a choice index, a set of them, or the text typed."""
        if self.q.type == "numeric":
            return self.answer.text
        picked = [self.order[pos] for pos in self.answer.value]
        if self.q.type == "multiple":
            return set(picked)
        return picked[0] if picked else None

    def choose(self, answer: Any) -> None:
        """Put ``answer`` (as ``current_answer`` gives it) into the control, as if the learner
        had picked it: used to show a restored exam answer, and by the tests."""
        if self.q.type == "numeric":
            self.answer.text = "" if answer is None else str(answer)
            return
        picked = answer if isinstance(answer, (set, list, tuple)) else \
            ([] if answer is None else [answer])
        self.answer.value = sorted(self.order.index(i) for i in picked)

    def on_check(self) -> Result:
        if self.exam and (self.final is not None or self.closed):
            why = ("the test is finished, so it takes no more answers." if self.final is None else
                   "this question already has your answer, and the first answer is final.")
            refused = Result(False, 0.0, [f"Exam mode: {why}"], status=Status.REFUSED)
            self.feedback.value = f"<div class='hfq-nudge'>{refused.feedback[0]}</div>"
            return refused
        result = grade(self.q, self.current_answer())
        if not result.counts:
            self.feedback.value = f"<div class='hfq-nudge'>{result.feedback[0]}</div>"
            return result
        if self.exam:
            self.settle(result, "Answer recorded. Feedback comes with your score when you "
                                "finish the test.")
            self.on_result(self, result)
            return result
        self.attempts += 1
        if self.first_correct is None:
            self.first_correct = result.correct
        self.solved = self.solved or result.correct
        self.feedback.value = verdict_html(self.q, result, self.order)
        self.reveal.attempted()
        self.on_result(self, result)
        return result

    def restore(self, choice: str, picked: list[int]) -> None:
        """Show a saved answer as picked: the value typed (numeric), else the options at
        ``picked`` (positions in the YAML file, from ``recording.picked_indices``)."""
        if self.q.type == "numeric":
            self.choose(choice)
        elif self.q.type == "multiple":
            self.choose(set(picked))
        elif picked:
            self.choose(picked[0])

    def settle(self, result: Result, message: str) -> None:
        """Exam mode: ``result`` is this question's one answer; lock it and say ``message``."""
        self.final = result
        self.attempts, self.first_correct, self.solved = 1, result.correct, result.correct
        self.lock()
        self.feedback.value = f"<div class='hfq-recorded'>{message}</div>"

    def lock(self) -> None:
        """No more answers: the inputs and the button are disabled."""
        self.answer.disabled = True
        self.check.disabled = True

    def reveal_verdict(self) -> None:
        """Exam mode, at the end: the verdict and the feedback of the answer given (if any)."""
        self.closed = True
        self.lock()
        if self.final is None:
            self.feedback.value = "<div class='hfq-verdict'><b>Not answered.</b></div>"
        else:
            self.feedback.value = verdict_html(self.q, self.final, self.order, exam=True)

    def on_hint(self) -> None:
        if not self.exam:
            self.reveal.next_hint()

    def on_solution(self) -> None:
        if not self.exam:
            self.reveal.open_solution()
