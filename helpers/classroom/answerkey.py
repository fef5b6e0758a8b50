"""The answer key: every quiz question and exercise of the course, with its answer, for teachers.

``hfcourse answer-key --out key.md`` (or ``key.html``) writes it. It is made from ``quizzes/`` and
``exercises/`` each time, so it always matches the questions the learners see. Per lesson: each
question with its key, the feedback of every choice, the worked solution, the quick check and
the common mistakes; then each exercise with its solution code, why it works, the properties its
check tests, the correct answers in other styles that it accepts, the wrong ones it rejects, and
the mistakes its checks recognise.
"""

from __future__ import annotations

from pathlib import Path

from helpers.assessment import exercises, quiz
from helpers.assessment.schema import Exercise, Question
from helpers.core.errors import CourseError


def _indent(text: str) -> str:
    return "\n".join("  " + line if line else "" for line in text.strip().splitlines())


def question_markdown(n: int, q: Question) -> list[str]:
    lines = [f"#### {n}. `{q.id}` ({q.difficulty}, {q.type}, topic: {q.topic})", "",
             q.prompt.strip(), ""]
    if q.type == "numeric":
        lines += [f"**Answer: {q.answer_text()}**", "", f"Wrong values: {q.wrong_feedback or '-'}", ""]
        for c in q.choices:  # known wrong values with their own feedback
            lines.append(f"- {c.text}: {c.feedback}")
    else:
        for c in q.choices:
            mark = "✔ **correct**" if c.correct else "✘"
            lines += [f"- {mark} {c.text}", f"  - feedback: {c.feedback.strip()}"]
    lines += ["", "Worked solution:", ""]
    lines += [f"{i}. {step.strip()}" for i, step in enumerate(q.solution, start=1)]
    lines += ["", f"Quick check: {q.quick_check.strip()}", "", "Common mistakes:", ""]
    lines += [f"- {m.strip()}" for m in q.mistakes]
    return lines + [""]


def exercise_markdown(e: Exercise) -> list[str]:
    lines = [f"#### `{e.id}`: {e.title} ({e.difficulty}, topic: {e.topic})", "", e.prompt.strip(),
             "", "Solution:", "", "```python", e.solution.rstrip(), "```", "", "Why it works:", ""]
    lines += [f"- {x.strip()}" for x in e.explanation]
    lines += ["", "What the check tests, one property per case:", ""]
    lines += [f"- {p}" for p in dict.fromkeys(c.property for c in e.cases)]
    lines += ["", "Mistakes the check recognises:", ""]
    lines += [f"- `{m.id}`: {m.feedback.strip()}" for m in e.mistakes]
    lines += ["", "Other correct answers (the check accepts them too):", ""]
    for a in e.accepted:
        lines += [f"- {a.style.strip()}:", "", "```python", a.code.rstrip(), "```", ""]
    lines += ["Other wrong answers (the check rejects them):", ""]
    lines += [f"- {r.why.strip()} (breaks: \"{' '.join(r.breaks.split())}\")" for r in e.rejected]
    return lines + [""]


def markdown() -> str:
    """The whole answer key as Markdown, grouped by lesson in course order."""
    banks = {name: quiz.load_bank(name) for name in quiz.bank_names()}
    sets = {name: exercises.load_set(name) for name in exercises.set_names()}
    lines = ["# Answer key", "",
             "For teachers. Generated from `quizzes/` and `exercises/` by `hfcourse answer-key`; "
             "do not hand it to learners.", ""]
    for lesson in sorted(set(banks) | set(sets)):
        lines += [f"## {lesson}", ""]
        bank = banks.get(lesson)
        if bank is not None:
            lines += [f"### Quiz: {bank.title}", ""]
            for n, q in enumerate(bank.questions, start=1):
                lines += question_markdown(n, q)
        if lesson in sets and sets[lesson].exercises:
            lines += ["### Exercises", ""]
            for e in sets[lesson].exercises:
                lines += exercise_markdown(e)
    return "\n".join(lines)


def to_html(text: str) -> str:
    """A Markdown answer key as one HTML page (no script, no link)."""
    from markdown_it import MarkdownIt

    body = MarkdownIt("commonmark").enable("table").render(text)
    style = ("body{font-family:system-ui,sans-serif;margin:2em;max-width:60em}"
             "pre{background:#f3f4f6;padding:.5em}h4{margin-top:1.5em}")
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Answer key"
            f"</title><style>{style}</style></head><body>{body}</body></html>")


def write(out: str | Path) -> Path:
    """Write the answer key to ``out``: Markdown for ``.md``, HTML for ``.html``."""
    out = Path(out)
    if out.suffix.lower() not in (".md", ".html", ".htm"):
        raise CourseError(f"{out}: the answer key is written as .md or .html; give a file name "
                          "that ends in one of them (for example answer-key.md).")
    text = markdown()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text if out.suffix.lower() == ".md" else to_html(text), encoding="utf-8")
    return out
