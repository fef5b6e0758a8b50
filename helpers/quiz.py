"""Quizzes: banks as YAML data, checked by a schema, shown as widgets, graded, and saved.

A bank is ``quizzes/<lesson>.yaml``. Its format (the schema is the pydantic models below):

.. code-block:: yaml

    lesson: 04_fine_tuning          # the notebook's name
    title: Fine-tuning with Trainer
    questions:
      - id: ft-args                 # stable: progress is saved under it
        difficulty: easy            # easy | medium | hard
        type: single                # single | multiple | true_false | numeric
        topic: TrainingArguments    # for "weakest topics" in your progress
        prompt: |                   # Markdown, code blocks allowed
          Which line builds valid training arguments?
        choices:                    # single / multiple / true_false (True, False)
          - text: "`TrainingArguments(output_dir='out', num_train_epochs=3)`"
            correct: true
            feedback: Right: ...    # every choice explains itself
          - text: ...
            feedback: ...
        answer: 128                 # numeric only (with optional tolerance)
        hints: [first hint, second hint]
        solution: [step 1, step 2]  # the worked solution, in order
        quick_check: one line to remember
        mistakes: [a common mistake, another]
        verify: |                   # optional Python; tests run it against the real libraries
          from transformers import TrainingArguments
          TrainingArguments(output_dir="out", num_train_epochs=3)

``show(lesson)`` renders the bank with ipywidgets core controls (they work on ipywidgets 7.7 and
8); the same object has a static HTML/Markdown/text form for places where widgets do not render.
"""

from __future__ import annotations

import getpass
import hashlib
import html
import math
import os
import random
import sys
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from . import progress
from .errors import CourseError

LETTERS = "ABCDEFGHIJ"
HIDE_FALLBACK_CSS = ".hfq-static-fallback{display:none !important}"

# --------------------------------------------------------------------------- the schema


class Choice(BaseModel):
    """One option, with the feedback shown when the learner picks it."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1)
    correct: bool = False
    feedback: str = Field(min_length=1)


class Question(BaseModel):
    """One quiz question; see the module docstring for the YAML form."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    difficulty: Literal["easy", "medium", "hard"]
    type: Literal["single", "multiple", "true_false", "numeric"]
    topic: str = Field(min_length=1)
    prompt: str = Field(min_length=1)
    choices: list[Choice] = Field(default_factory=list)
    answer: float | None = None
    tolerance: float = 0.0
    wrong_feedback: str = ""
    hints: list[str] = Field(min_length=1)
    solution: list[str] = Field(min_length=1)
    quick_check: str = Field(min_length=1)
    mistakes: list[str] = Field(min_length=1)
    verify: str | None = None
    source: str = ""  # e.g. "seed practice question 3"

    @field_validator("hints", "solution", "mistakes", mode="before")
    @classmethod
    def _must_be_list(cls, value: Any) -> Any:
        if not isinstance(value, list):
            raise ValueError("must be a YAML list: one item per line, each starting with '- '")
        return value

    @model_validator(mode="after")
    def _check_answers(self) -> "Question":
        n_correct = sum(c.correct for c in self.choices)
        if self.type == "numeric":
            if self.answer is None:
                raise ValueError("answer: a numeric question needs `answer: <number>`")
            return self
        if len(self.choices) < 2:
            raise ValueError("choices: give at least two choices")
        if self.type in ("single", "true_false") and n_correct != 1:
            what = "no choice is" if n_correct == 0 else f"{n_correct} choices are"
            raise ValueError(f"choices: a {self.type} question needs exactly one choice with "
                             f"`correct: true`, but {what} marked correct")
        if self.type == "multiple" and n_correct == 0:
            raise ValueError("choices: mark at least one choice `correct: true`")
        if self.type == "true_false" and [c.text for c in self.choices] != ["True", "False"]:
            raise ValueError("choices: a true_false question has exactly two choices, "
                             "'True' then 'False'")
        return self

    def correct_indices(self) -> set[int]:
        return {i for i, c in enumerate(self.choices) if c.correct}

    def answer_text(self) -> str:
        if self.type == "numeric":
            value = f"{self.answer:g}"
            return value if not self.tolerance else f"{value} (± {self.tolerance:g})"
        return "; ".join(c.text for c in self.choices if c.correct)


class Bank(BaseModel):
    """A lesson's quiz: its title and questions."""

    model_config = ConfigDict(extra="forbid")
    lesson: str
    title: str
    questions: list[Question] = Field(default_factory=list)  # empty while a lesson is written

    def question(self, qid: str) -> Question:
        for q in self.questions:
            if q.id == qid:
                return q
        raise KeyError(qid)


# --------------------------------------------------------------------------- loading


def quiz_dir() -> Path:
    """The folder of the quiz banks (``quizzes/`` in the checkout, or inside the installed package)."""
    env = os.environ.get("HFCOURSE_QUIZZES")
    if env:
        return Path(env)
    from .course import repo_root

    local = repo_root() / "quizzes"
    if local.is_dir():
        return local
    return Path(str(resources.files("helpers") / "quizzes"))


def bank_names() -> list[str]:
    """Every bank in the quiz folder, by name (``00_welcome``, ..., ``final_test``)."""
    return sorted(p.stem for p in quiz_dir().glob("*.yaml"))


def _where(raw: Any, loc: tuple[Any, ...]) -> tuple[str, str]:
    """The question id and the field for a pydantic error location."""
    if len(loc) >= 2 and loc[0] == "questions" and isinstance(loc[1], int):
        qid = "?"
        try:
            qid = str(raw["questions"][loc[1]].get("id", f"#{loc[1] + 1}"))
        except (KeyError, IndexError, TypeError, AttributeError):
            pass
        field_path = ".".join(str(p) for p in loc[2:]) or "(the question)"
        return f"question '{qid}'", field_path
    return "the bank", ".".join(str(p) for p in loc) or "(top level)"


def parse_bank(text: str, source: str) -> Bank:
    """Parse and validate a bank's YAML; raise one CourseError naming file, question and field."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise CourseError(f"{source}{where}: YAML syntax error ({problem}). Fix: check the "
                          "indentation and quote text that contains ': ' or starts with '`'.") from None
    if not isinstance(raw, dict):
        raise CourseError(f"{source}: a bank is a mapping with `lesson`, `title` and `questions`.")
    first_seen: dict[str, int] = {}
    for number, item in enumerate(raw.get("questions") or [], start=1):
        qid = item.get("id") if isinstance(item, dict) else None
        if qid in first_seen:
            raise CourseError(f"{source}, question '{qid}', field 'id': questions {first_seen[qid]} "
                              f"and {number} share this id. Fix: give each question its own id "
                              "(progress is saved under it).")
        if qid is not None:
            first_seen[qid] = number
    try:
        return Bank.model_validate(raw)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            who, field_name = _where(raw, tuple(err["loc"]))
            msg = err["msg"].removeprefix("Value error, ")
            if ": " in msg and field_name == "(the question)":  # model-level: "field: message"
                field_name, msg = msg.split(": ", 1)
            if err["type"] == "literal_error":
                msg = f"{msg} (got {err.get('input')!r})"
            if err["type"] == "missing":
                msg = "this field is required"
            if err["type"] == "string_type" and isinstance(err.get("input"), bool):
                msg += (f" (YAML read the bare word as the boolean {err['input']}: "
                        "put the text in quotes, e.g. \"yes\")")
            lines.append(f"{source}, {who}, field '{field_name}': {msg}")
        raise CourseError("\n".join(lines)) from None


def load_bank(name: str) -> Bank:
    """Load and validate ``quizzes/<name>.yaml``."""
    path = quiz_dir() / f"{name}.yaml"
    if not path.is_file():
        raise CourseError(f"No quiz bank {path}. Banks available: {', '.join(bank_names())}.")
    return parse_bank(path.read_text(encoding="utf-8"), f"quizzes/{path.name}")


# --------------------------------------------------------------------------- grading


@dataclass
class Result:
    """The outcome of one check: right or not, a score in [0, 1], and what to tell the learner."""

    correct: bool
    score: float
    feedback: list[str] = field(default_factory=list)
    choice: str = ""


def grade(question: Question, answer: Any) -> Result:
    """Grade an answer given as a choice index (single, true_false), a set of indices (multiple),
    or a number or numeric text (numeric). Indices refer to the order in the YAML file.

    Multiple choice earns partial credit: (right picks − wrong picks) / number of right choices,
    never below 0; it is *correct* only when the picked set is exactly right.
    """
    if question.type == "numeric":
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
            return Result(False, 0.0, ["Pick at least one option, then press Check."], "")
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
        return Result(False, 0.0, ["Pick an option, then press Check."], "")
    index = int(answer)
    choice = question.choices[index]
    return Result(choice.correct, float(choice.correct), [choice.feedback], choice.text)


def learner_id() -> str:
    """Who is answering: ``$HFCOURSE_LEARNER`` or the login name (used only to shuffle options)."""
    try:
        default = getpass.getuser()
    except (KeyError, OSError):  # pragma: no cover - no user database (some containers)
        default = "learner"
    return os.environ.get("HFCOURSE_LEARNER", default)


def option_order(question: Question, learner: str | None = None) -> list[int]:
    """The order in which this learner sees the choices: shuffled, but the same every time.

    True/false questions keep True before False.
    """
    order = list(range(len(question.choices)))
    if question.type != "true_false":
        seed = hashlib.sha256(f"{learner or learner_id()}:{question.id}".encode()).hexdigest()
        random.Random(seed).shuffle(order)
    return order


# --------------------------------------------------------------------------- rendering


def md(text: str, inline: bool = False) -> str:
    """Markdown to HTML (code blocks included)."""
    from markdown_it import MarkdownIt

    renderer = MarkdownIt("commonmark", {"html": False})
    return renderer.renderInline(text) if inline else renderer.render(text)


def _solution_html(q: Question, order: list[int]) -> str:
    steps = "".join(f"<li>{md(s, inline=True)}</li>" for s in q.solution)
    mistakes = "".join(f"<li>{md(m, inline=True)}</li>" for m in q.mistakes)
    if q.type == "numeric":
        answer = html.escape(q.answer_text())
    else:
        answer = "; ".join(f"{LETTERS[pos]}. {md(q.choices[i].text, inline=True)}"
                           for pos, i in enumerate(order) if q.choices[i].correct)
    return (f"<b>Worked solution</b><ol>{steps}</ol><p><b>Answer:</b> {answer}</p>"
            f"<p><b>Quick check:</b> {md(q.quick_check, inline=True)}</p>"
            f"<b>Common mistakes</b><ul>{mistakes}</ul>")


def static_html(bank: Bank, learner: str | None = None) -> str:
    """The whole quiz as static HTML, answers folded inside ``<details>`` (no widgets needed)."""
    parts = [f'<div class="hfq-static hfq-static-fallback"><h3>Quiz: {html.escape(bank.title)}</h3>']
    for n, q in enumerate(bank.questions, start=1):
        order = option_order(q, learner)
        parts.append(f"<h4>{n}. ({q.difficulty})</h4>{md(q.prompt)}")
        if q.choices and q.type != "numeric":
            items = "".join(f"<li>{LETTERS[pos]}. {md(q.choices[i].text, inline=True)}</li>"
                            for pos, i in enumerate(order))
            parts.append(f"<ul style='list-style:none'>{items}</ul>")
        else:
            parts.append("<p><i>Answer with a number.</i></p>")
        hints = "".join(f"<li>{md(h, inline=True)}</li>" for h in q.hints)
        parts.append(f"<details><summary>Hints</summary><ol>{hints}</ol></details>")
        feedback = ""
        if q.type != "numeric":
            feedback = "<ul>" + "".join(
                f"<li>{LETTERS[pos]}. {'✔' if q.choices[i].correct else '✘'} "
                f"{md(q.choices[i].feedback, inline=True)}</li>" for pos, i in enumerate(order)
            ) + "</ul>"
        parts.append(f"<details><summary>Answer and worked solution</summary>{feedback}"
                     f"{_solution_html(q, order)}</details>")
    parts.append("</div>")
    return "".join(parts)


def static_markdown(bank: Bank, learner: str | None = None) -> str:
    """The whole quiz as Markdown (answers inside ``<details>``), for a console or a text view."""
    lines = [f"### Quiz: {bank.title}", ""]
    for n, q in enumerate(bank.questions, start=1):
        order = option_order(q, learner)
        lines += [f"**{n}. ({q.difficulty})** {q.prompt.strip()}", ""]
        if q.type != "numeric":
            lines += [f"- {LETTERS[pos]}. {q.choices[i].text}" for pos, i in enumerate(order)]
        else:
            lines.append("_Answer with a number._")
        answer = (q.answer_text() if q.type == "numeric" else
                  "; ".join(f"{LETTERS[pos]}" for pos, i in enumerate(order) if q.choices[i].correct))
        lines += ["", "<details><summary>Hint</summary>", "", q.hints[0], "", "</details>",
                  "<details><summary>Answer</summary>", "", f"{answer}: {q.quick_check}", "",
                  "</details>", ""]
    return "\n".join(lines)


def _has_kernel() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


class QuestionWidget:
    """The widgets of one question: choose, Check, Hint, Solution, and feedback in HTML."""

    def __init__(self, bank: Bank, question: Question, quiz: "Quiz") -> None:
        import ipywidgets as w

        self.q, self.bank, self.quiz = question, bank, quiz
        self.order = option_order(question, quiz.learner)
        self.attempts = 0
        self.hints_shown = 0
        self.solved = False
        self.first_correct: bool | None = None
        n = bank.questions.index(question) + 1
        header = w.HTML(f"<b>{n}. </b><span class='hfq-difficulty'>({question.difficulty})</span>"
                        f"{md(question.prompt)}")
        header.add_class("hfq-prompt")
        layout = w.Layout(width="auto")
        if question.type in ("single", "true_false"):
            options = [(f"{LETTERS[pos]}. {question.choices[i].text}", i)
                       for pos, i in enumerate(self.order)]
            self.input = w.RadioButtons(options=options, value=None, layout=layout)
            self.input.add_class("hfq-options")
            inputs: list[Any] = [self.input]
        elif question.type == "multiple":
            self.boxes = [(i, w.Checkbox(value=False, description=f"{LETTERS[pos]}. "
                                         f"{question.choices[i].text}", indent=False, layout=layout))
                          for pos, i in enumerate(self.order)]
            for _, box in self.boxes:
                box.add_class("hfq-option")
            inputs = [box for _, box in self.boxes]
        else:
            self.input = w.Text(placeholder="type a number", layout=w.Layout(width="16em"))
            self.input.add_class("hfq-number")
            inputs = [self.input]
        self.check = w.Button(description="Check", button_style="primary", tooltip="Check my answer")
        self.hint = w.Button(description="Hint", tooltip="Show the next hint")
        self.show_solution = w.Button(description="Solution", disabled=True,
                                      tooltip="Opens after your first attempt")
        for button, cls in ((self.check, "hfq-check"), (self.hint, "hfq-hint"),
                            (self.show_solution, "hfq-solution-button")):
            button.add_class(cls)
        self.feedback = w.HTML()
        self.feedback.add_class("hfq-feedback")
        self.hints = w.HTML()
        self.hints.add_class("hfq-hints")
        self.solution = w.HTML()
        self.solution.add_class("hfq-solution")
        self.check.on_click(lambda _: self.on_check())
        self.hint.on_click(lambda _: self.on_hint())
        self.show_solution.on_click(lambda _: self.on_solution())
        self.box = w.VBox([header, *inputs, w.HBox([self.check, self.hint, self.show_solution]),
                           self.feedback, self.hints, self.solution])
        self.box.add_class("hfq-question")

    def current_answer(self) -> Any:
        if self.q.type == "multiple":
            return {i for i, box in self.boxes if box.value}
        return self.input.value

    def on_check(self) -> Result:
        answer = self.current_answer()
        if answer in (None, "", set()):
            result = grade(self.q, answer)
            self.feedback.value = f"<div class='hfq-nudge'>{result.feedback[0]}</div>"
            return result
        result = grade(self.q, answer)
        self.attempts += 1
        if self.first_correct is None:
            self.first_correct = result.correct
        self.solved = self.solved or result.correct
        verdict = ("<b style='color:#15803d'>✔ Correct.</b>" if result.correct else
                   f"<b style='color:#b91c1c'>✘ Not yet</b> (score {result.score:.0%})."
                   if self.q.type == "multiple" else "<b style='color:#b91c1c'>✘ Not yet.</b>")
        notes = "".join(f"<li>{md(f, inline=True)}</li>" for f in result.feedback)
        self.feedback.value = f"<div class='hfq-verdict'>{verdict}<ul>{notes}</ul></div>"
        self.show_solution.disabled = False
        self.show_solution.tooltip = "Show the worked solution"
        self.quiz.record(self, result)
        return result

    def on_hint(self) -> None:
        if self.hints_shown < len(self.q.hints):
            self.hints_shown += 1
        shown = "".join(f"<li>{md(h, inline=True)}</li>" for h in self.q.hints[: self.hints_shown])
        more = "" if self.hints_shown < len(self.q.hints) else " (no more hints)"
        self.hints.value = f"<div><b>Hints{more}</b><ol>{shown}</ol></div>"
        if self.hints_shown == len(self.q.hints):
            self.hint.disabled = True

    def on_solution(self) -> None:
        if self.attempts:
            self.solution.value = _solution_html(self.q, self.order)


class Quiz:
    """A lesson's quiz: widgets in a notebook, static HTML/Markdown/text elsewhere."""

    def __init__(self, bank: Bank, learner: str | None = None, save: bool = True) -> None:
        self.bank = bank
        self.learner = learner or learner_id()
        self.save = save
        self.widget: Any = None
        self.questions: list[QuestionWidget] = []

    def build(self) -> Any:
        """Create the widgets (needs ipywidgets); return the top VBox."""
        import ipywidgets as w

        self.score = w.HTML()
        self.score.add_class("hfq-score")
        self.questions = [QuestionWidget(self.bank, q, self) for q in self.bank.questions]
        # The style hides the static copy of the quiz (displayed under the widget) wherever the
        # widget itself renders; where widgets do not render, the style never reaches the page.
        title = w.HTML(f"<style>{HIDE_FALLBACK_CSS}</style>"
                       f"<h3>Quiz: {html.escape(self.bank.title)}</h3>")
        self.widget = w.VBox([title, self.score, *[qw.box for qw in self.questions]])
        self.widget.add_class("hfq-quiz")
        self.update_score()
        return self.widget

    def score_line(self) -> str:
        total = len(self.questions) or len(self.bank.questions)
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
            progress.record(progress.Attempt(
                lesson=self.bank.lesson, question=qw.q.id, choice=result.choice,
                correct=result.correct, score=round(result.score, 3), hints_used=qw.hints_shown,
                timestamp=progress.now(), topic=qw.q.topic, difficulty=qw.q.difficulty))

    # Rich display. Where widgets render, the widget shows and hides the static copy under it.
    # Where they do not (nbconvert HTML, GitHub, VS Code without widgets, a console), the static
    # copy is what the reader sees: prompts and choices, with hints and answers folded.
    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        """The static quiz as text, HTML and Markdown (no widgets)."""
        return {
            "text/plain": static_markdown(self.bank, self.learner),
            "text/html": static_html(self.bank, self.learner),
            "text/markdown": static_markdown(self.bank, self.learner),
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
        return static_markdown(self.bank, self.learner)


def show(lesson: str, save: bool = True) -> Quiz:
    """Show a lesson's quiz, e.g. ``helpers.quiz.show("04_fine_tuning")``.

    In a notebook you get clickable widgets; where widgets cannot render, the same quiz reads as
    text with the answers folded. Attempts are saved to your progress file unless ``save=False``.
    """
    quiz = Quiz(load_bank(lesson), save=save)
    if _has_kernel():
        quiz.build()
    return quiz
