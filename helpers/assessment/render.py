"""Static forms of quizzes and exercise feedback: HTML, Markdown and plain text.

These need no widgets, so a quiz still reads (with answers folded) in an HTML export, on GitHub,
in VS Code without widgets or in a console, and exercise feedback shows everywhere.
"""

from __future__ import annotations

import html
import re
from typing import Any

from helpers.assessment.grading import Result, Status, option_order
from helpers.assessment.schema import Bank, Exercise, Question

LETTERS = "ABCDEFGHIJ"
HIDE_FALLBACK_CSS = ".hfq-static-fallback{display:none !important}"
GREEN, RED, GREY, AMBER = "#15803d", "#b91c1c", "#4b5563", "#92400e"


def md(text: str, inline: bool = False) -> str:
    """Markdown to HTML (code blocks included)."""
    from markdown_it import MarkdownIt

    renderer = MarkdownIt("commonmark", {"html": False})
    return renderer.renderInline(text) if inline else renderer.render(text)


def html_text(markup: str) -> str:
    """HTML as one line of plain text: the tags dropped, the entities read."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", markup)).split())


def plain_text(markdown: str) -> str:
    """Markdown as one line of plain text (for an accessible name or a tooltip)."""
    return html_text(md(markdown, inline=True))


def items_html(items: list[str], ordered: bool = False) -> str:
    """A Markdown list of strings as an HTML list."""
    tag = "ol" if ordered else "ul"
    return f"<{tag}>" + "".join(f"<li>{md(i, inline=True)}</li>" for i in items) + f"</{tag}>"


def hints_html(hints: list[str], shown: int) -> str:
    """The first ``shown`` hints, numbered, saying when there are no more."""
    more = "" if shown < len(hints) else " (no more hints)"
    return f"<div><b>Hints{more}</b>{items_html(hints[:shown], ordered=True)}</div>"


def code_html(code: str) -> str:
    return f"<pre><code>{html.escape(code.rstrip())}</code></pre>"


# --------------------------------------------------------------------------- quizzes


def solution_html(q: Question, order: list[int]) -> str:
    """A question's worked solution, answer, quick check and common mistakes."""
    if q.type == "numeric":
        answer = html.escape(q.answer_text())
    else:
        answer = "; ".join(f"{LETTERS[pos]}. {md(q.choices[i].text, inline=True)}"
                           for pos, i in enumerate(order) if q.choices[i].correct)
    return (f"<b>Worked solution</b>{items_html(q.solution, ordered=True)}"
            f"<p><b>Answer:</b> {answer}</p>"
            f"<p><b>Quick check:</b> {md(q.quick_check, inline=True)}</p>"
            f"<b>Common mistakes</b>{items_html(q.mistakes)}")


def verdict_html(q: Question, result: Result, order: list[int] | None = None,
                 exam: bool = False) -> str:
    """The verdict on a quiz answer, with the feedback of every choice picked, each under the
    letter it has on screen (``order``: the learner's order of the choices), top to bottom.
    ``exam=True`` words it for a finished test ("Wrong"), not for practice ("Not yet")."""
    wrong = "Wrong" if exam else "Not yet"
    verdict = (f"<b class='hfq-good'>✔ Correct.</b>" if result.correct else
               f"<b class='hfq-bad'>✘ {wrong}</b> (score {result.score:.0%})."
               if q.type == "multiple" else f"<b class='hfq-bad'>✘ {wrong}.</b>")
    notes = list(result.feedback)
    if result.picked and order is not None:
        by_choice = dict(zip(sorted(result.picked), notes))
        lettered = [f"{LETTERS[pos]}. {by_choice[i]}" for pos, i in enumerate(order)
                    if i in by_choice]
        notes = lettered + notes[len(result.picked):]
    return f"<div class='hfq-verdict'>{verdict}{items_html(notes)}</div>"


# Verdict colours that read on JupyterLab's light and dark themes (and in the classic Notebook),
# and a focus ring on the buttons that shows which one Enter or Space will press.
DARK = "[data-jp-theme-light='false']"
VERDICT_CSS = (f".hfq-good{{color:{GREEN}}}.hfq-bad{{color:{RED}}}.hfq-muted{{color:{GREY}}}"
               f".hfq-warn{{color:{AMBER}}}{DARK} .hfq-good{{color:#4ade80}}"
               f"{DARK} .hfq-bad{{color:#fca5a5}}{DARK} .hfq-muted{{color:#d1d5db}}"
               f"{DARK} .hfq-warn{{color:#fcd34d}}"
               ".hfq-quiz button:focus-visible,.hfx-panel button:focus-visible"
               "{outline:3px solid var(--jp-brand-color1,#1d4ed8);outline-offset:2px}")


EXAM_NOTE = "Exam mode: no hints or answers here; answer in the quiz widget, one answer per question."


def static_html(bank: Bank, learner: str | None = None, exam: bool = False) -> str:
    """The whole quiz as static HTML, answers folded inside ``<details>`` (no widgets needed).

    ``exam=True`` leaves out the hints and the answers."""
    parts = [f'<div class="hfq-static hfq-static-fallback"><h3>Quiz: {html.escape(bank.title)}</h3>']
    if exam:
        parts.append(f"<p class='hfq-exam-note'><b>{EXAM_NOTE}</b></p>")
    for n, q in enumerate(bank.questions, start=1):
        order = option_order(q, learner)
        parts.append(f"<h4>{n}. ({q.difficulty})</h4>{md(q.prompt)}")
        if q.choices and q.type != "numeric":
            items = "".join(f"<li>{LETTERS[pos]}. {md(q.choices[i].text, inline=True)}</li>"
                            for pos, i in enumerate(order))
            parts.append(f"<ul style='list-style:none'>{items}</ul>")
        else:
            parts.append("<p><i>Answer with a number.</i></p>")
        if exam:
            continue
        parts.append(f"<details><summary>Hints</summary>{items_html(q.hints, ordered=True)}"
                     "</details>")
        feedback = ""
        if q.type != "numeric":
            feedback = "<ul>" + "".join(
                f"<li>{LETTERS[pos]}. {'✔' if q.choices[i].correct else '✘'} "
                f"{md(q.choices[i].feedback, inline=True)}</li>" for pos, i in enumerate(order)
            ) + "</ul>"
        parts.append(f"<details><summary>Answer and worked solution</summary>{feedback}"
                     f"{solution_html(q, order)}</details>")
    parts.append("</div>")
    return "".join(parts)


def static_markdown(bank: Bank, learner: str | None = None, exam: bool = False) -> str:
    """The whole quiz as Markdown (answers inside ``<details>``), for a console or a text view.

    ``exam=True`` leaves out the hints and the answers."""
    lines = [f"### Quiz: {bank.title}", ""] + ([f"**{EXAM_NOTE}**", ""] if exam else [])
    for n, q in enumerate(bank.questions, start=1):
        order = option_order(q, learner)
        lines += [f"**{n}. ({q.difficulty})** {q.prompt.strip()}", ""]
        if q.type != "numeric":
            lines += [f"- {LETTERS[pos]}. {q.choices[i].text}" for pos, i in enumerate(order)]
        else:
            lines.append("_Answer with a number._")
        if exam:
            lines.append("")
            continue
        answer = (q.answer_text() if q.type == "numeric" else
                  "; ".join(f"{LETTERS[pos]}" for pos, i in enumerate(order) if q.choices[i].correct))
        lines += ["", "<details><summary>Hint</summary>", "", q.hints[0], "", "</details>",
                  "<details><summary>Answer</summary>", "", f"{answer}: {q.quick_check}", "",
                  "</details>", ""]
    return "\n".join(lines)


# --------------------------------------------------------------------------- exercises


def exercise_verdict(result: Result) -> tuple[str, str]:
    """The verdict's symbol and words for an exercise result."""
    if result.status is Status.NOT_ATTEMPTED:
        return "○", "Not attempted yet"
    if result.status is Status.COURSE_ERROR:
        return "⚠", "The check could not run"
    return ("✔", "Correct") if result.correct else ("✘", "Not yet")


def exercise_result_html(exercise: Exercise, result: Result, attempts: int) -> str:
    """The feedback on one check of an exercise, as HTML."""
    symbol, words = exercise_verdict(result)
    colour = {Status.NOT_ATTEMPTED: "hfq-muted", Status.COURSE_ERROR: "hfq-warn",
              Status.CORRECT: "hfq-good"}.get(result.status, "hfq-bad")  # type: ignore[arg-type]
    notes = items_html(result.feedback)
    tail = ("Stuck? <code>ex.hint()</code> shows a hint"
            + (", <code>ex.solution()</code> the worked solution." if attempts else "; the "
               "solution opens after your first try."))
    if result.correct:
        tail = ("Recorded in your progress file. Compare your code with the worked solution: "
                "<code>ex.solution()</code>.")
    if result.status is Status.COURSE_ERROR:
        tail = "Nothing was recorded: this try does not count against you."
    status = result.status.value if result.status else ""
    return (f"<style>{VERDICT_CSS}</style>"
            f"<div class='hfx-result hfx-{status}' data-exercise='{exercise.id}'>"
            f"<b class='{colour}'>{symbol} {words}</b> · {html.escape(exercise.title)}"
            f"{notes}<small>{tail}</small></div>")


def exercise_result_text(exercise: Exercise, result: Result, attempts: int) -> str:
    """The feedback on one check of an exercise, as plain text."""
    symbol, words = exercise_verdict(result)
    lines = [f"{symbol} {words} · {exercise.title}"] + [f"  - {f}" for f in result.feedback]
    if result.status is Status.COURSE_ERROR:
        lines.append("  Nothing was recorded: this try does not count against you.")
    elif result.correct:
        lines.append("  Recorded in your progress file. Compare your code with the worked "
                     "solution: ex.solution().")
    else:
        lines.append("  Stuck? ex.hint() shows a hint" + (", ex.solution() the worked solution."
                     if attempts else "; the solution opens after your first try."))
    return "\n".join(lines)


def exercise_solution_html(exercise: Exercise) -> str:
    """An exercise's worked solution: the code, the steps, and the mistakes the checks know."""
    mistakes = [m.feedback for m in exercise.mistakes]
    return (f"<div class='hfx-solution'><b>Worked solution</b>{code_html(exercise.solution)}"
            f"{items_html(exercise.explanation, ordered=True)}"
            f"<b>Mistakes the check recognises</b>{items_html(mistakes)}</div>")


def exercise_solution_text(exercise: Exercise) -> str:
    steps = "\n".join(f"  {n}. {s}" for n, s in enumerate(exercise.explanation, start=1))
    mistakes = "\n".join(f"  - {m.feedback}" for m in exercise.mistakes)
    return (f"Worked solution · {exercise.title}\n\n{exercise.solution.rstrip()}\n\n{steps}\n\n"
            f"Mistakes the check recognises:\n{mistakes}")


class Rich:
    """A displayable object with an HTML form and a text form (for any front end)."""

    def __init__(self, html_text: str, plain: str) -> None:
        self.html, self.plain = html_text, plain

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/plain": self.plain, "text/html": self.html}

    def __repr__(self) -> str:
        return self.plain
