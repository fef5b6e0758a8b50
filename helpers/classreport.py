"""The class report: many learners' hand-in files read into one CSV and one HTML page.

``hfcourse class-report PATHS... --out DIR`` calls ``build(paths)`` then ``write(report, DIR)``.
The page needs nothing but a browser: its plots are inline PNG images, and it has no script and
no link to the network. What it shows, per learner and per lesson:

- **score**: quiz questions right on the first try, plus exercises solved, out of the lesson's
  questions and exercises (a retried quiz question counts as solved, not as a first-try success);
- **completion**: learners who attempted every question and exercise of the lesson;
- **hardest items**: the lowest first-try rates;
- **distractor analysis**: for each question, how often each wrong option was picked. An option
  that more than half of the wrong answers pick (out of at least ``MIN_WRONG``) is flagged: it
  may be misleading, or it names a misconception worth a class discussion;
- **common mistakes** that the exercise checks recognised in learners' code;
- **time**: minutes between the first and the last answer of a lesson, pauses of more than
  ``PAUSE_CAP_S`` counted as that cap (answers are all the records have: reading time is not
  in them).

A file that is corrupt, truncated, foreign or edited after export never stops the report: it is
skipped and named in a warning with its reason. A learner id found in several files is merged,
each attempt counted once, and reported.
"""

from __future__ import annotations

import base64
import csv
import html
import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from . import exercises, handin, quiz
from .progress import Attempt

MIN_WRONG = 4  # wrong answers a question needs before one of its options can be flagged
PAUSE_CAP_S = 600  # a longer gap between two answers counts as 10 minutes


@dataclass
class LessonRow:
    """One learner's figures for one lesson (one line of the CSV)."""

    learner: str
    lesson: str
    quiz_items: int
    quiz_attempted: int
    quiz_first_try: int
    quiz_solved: int
    exercise_items: int
    exercise_attempted: int
    exercise_solved: int
    attempts: int
    minutes: float | None

    @property
    def items(self) -> int:
        return self.quiz_items + self.exercise_items

    @property
    def score(self) -> int:
        return self.quiz_first_try + self.exercise_solved

    @property
    def complete(self) -> bool:
        return (self.quiz_attempted, self.exercise_attempted) == (self.quiz_items, self.exercise_items)


@dataclass
class Distractor:
    """How often one option of a question was picked in wrong answers."""

    lesson: str
    question: str
    option: str
    picked: int
    wrong_answers: int
    correct: bool = False  # a right option picked inside a wrong answer (multiple choice)

    @property
    def share(self) -> float:
        return self.picked / self.wrong_answers if self.wrong_answers else 0.0

    @property
    def flagged(self) -> bool:
        return (not self.correct and self.wrong_answers >= MIN_WRONG and self.share > 0.5)


@dataclass
class Report:
    """Everything the class report shows, computed from the hand-in files."""

    learners: dict[str, list[Attempt]]  # learner id -> attempts, each once, oldest first
    files: list[Path]  # the files read
    warnings: list[str] = field(default_factory=list)  # files skipped, with the reason
    merged: list[str] = field(default_factory=list)  # learners found in several files
    quiz_sizes: dict[str, int] = field(default_factory=dict)
    exercise_sizes: dict[str, int] = field(default_factory=dict)
    _rows: list[LessonRow] | None = field(default=None, repr=False)

    @property
    def lessons(self) -> list[str]:
        return sorted(set(self.quiz_sizes) | set(self.exercise_sizes))

    @property
    def attempts(self) -> int:
        return sum(len(a) for a in self.learners.values())

    def rows(self) -> list[LessonRow]:
        """One row per learner and lesson, learners in id order (computed once)."""
        if self._rows is None:
            self._rows = [lesson_row(learner, lesson, attempts, self.quiz_sizes.get(lesson, 0),
                                     self.exercise_sizes.get(lesson, 0))
                          for learner, attempts in sorted(self.learners.items())
                          for lesson in self.lessons]
        return self._rows

    def totals(self) -> dict[str, tuple[int, int]]:
        """Each learner's course total: (score, items)."""
        out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for row in self.rows():
            out[row.learner][0] += row.score
            out[row.learner][1] += row.items
        return {k: (v[0], v[1]) for k, v in out.items()}

    def completion(self) -> dict[str, float]:
        """Per lesson, the share of learners who attempted every item of it."""
        rows = self.rows()
        n = len(self.learners) or 1
        return {lesson: sum(r.complete for r in rows if r.lesson == lesson) / n
                for lesson in self.lessons}

    def hardest(self, n: int = 10) -> list[tuple[str, str, str, int, float]]:
        """The ``n`` items with the lowest first-try rate: (kind, lesson, id, learners, rate)."""
        tries: dict[tuple[str, str, str], list[bool]] = defaultdict(list)
        for attempts in self.learners.values():
            for (kind, lesson, item), first in first_attempts(attempts).items():
                tries[(kind, lesson, item)].append(first.correct)
        ranked = sorted(((k, len(v), sum(v) / len(v)) for k, v in tries.items()),
                        key=lambda r: (r[2], -r[1], r[0]))
        return [(kind, lesson, item, count, rate) for (kind, lesson, item), count, rate in ranked[:n]]

    def distractors(self) -> list[Distractor]:
        """Every option of every quiz question that wrong answers could pick, with its count."""
        wrong: dict[tuple[str, str], list[Attempt]] = defaultdict(list)
        for attempts in self.learners.values():
            for a in attempts:
                if a.kind == "quiz" and not a.correct:
                    wrong[(a.lesson, a.question)].append(a)
        out = []
        for bank_name in sorted(self.quiz_sizes):
            bank = quiz.load_bank(bank_name)
            for q in bank.questions:
                answers = wrong.get((bank.lesson, q.id), [])
                if q.type == "numeric":
                    for value, count in Counter(a.choice for a in answers).most_common():
                        out.append(Distractor(bank.lesson, q.id, value, count, len(answers)))
                    continue
                texts = [c.text for c in q.choices]
                counts = Counter(t for a in answers for t in picked_options(a.choice, texts))
                for choice in q.choices:
                    out.append(Distractor(bank.lesson, q.id, choice.text, counts[choice.text],
                                          len(answers), correct=choice.correct))
        return out

    def mistakes(self) -> list[tuple[str, str, str, int, int]]:
        """The exercises' recognised mistakes: (lesson, exercise, mistake, times, learners)."""
        times: Counter[tuple[str, str, str]] = Counter()
        who: dict[tuple[str, str, str], set[str]] = defaultdict(set)
        for learner, attempts in self.learners.items():
            for a in attempts:
                if a.kind == "exercise" and a.mistake:
                    times[(a.lesson, a.question, a.mistake)] += 1
                    who[(a.lesson, a.question, a.mistake)].add(learner)
        return [(*key, count, len(who[key])) for key, count in times.most_common()]


def picked_options(choice: str, texts: list[str]) -> list[str]:
    """The options named in a recorded choice: one option's text, or several that the grader
    joined with "; " in the order of the YAML file (an option may itself contain "; ")."""
    if choice in texts:
        return [choice]
    picked, rest = [], choice
    for text in texts:
        if rest == text or rest.startswith(text + "; "):
            picked.append(text)
            rest = rest[len(text) + 2:]
    return picked


def first_attempts(attempts: list[Attempt]) -> dict[tuple[str, str, str], Attempt]:
    """The first attempt at each item: (kind, lesson, item id) -> attempt."""
    first: dict[tuple[str, str, str], Attempt] = {}
    for a in attempts:
        first.setdefault((a.kind, a.lesson, a.question), a)
    return first


def minutes_spent(attempts: list[Attempt]) -> float | None:
    """Minutes from the first to the last answer, each pause capped at ``PAUSE_CAP_S``."""
    stamps = sorted(datetime.fromisoformat(a.timestamp) for a in attempts)
    if len(stamps) < 2:
        return None
    gaps = ((b - a).total_seconds() for a, b in zip(stamps, stamps[1:]))
    return round(sum(min(g, PAUSE_CAP_S) for g in gaps) / 60, 1)


def lesson_row(learner: str, lesson: str, attempts: list[Attempt], quiz_items: int,
               exercise_items: int) -> LessonRow:
    mine = [a for a in attempts if a.lesson == lesson]
    by_item: dict[tuple[str, str], list[Attempt]] = defaultdict(list)
    for a in mine:
        by_item[(a.kind, a.question)].append(a)

    def count(kind: str, test: Any) -> int:
        return sum(1 for (k, _), tries in by_item.items() if k == kind and test(tries))

    return LessonRow(
        learner=learner, lesson=lesson,
        quiz_items=quiz_items,
        quiz_attempted=count("quiz", lambda t: True),
        quiz_first_try=count("quiz", lambda t: t[0].correct),
        quiz_solved=count("quiz", lambda t: any(a.correct for a in t)),
        exercise_items=exercise_items,
        exercise_attempted=count("exercise", lambda t: True),
        exercise_solved=count("exercise", lambda t: any(a.correct for a in t)),
        attempts=len(mine),
        minutes=minutes_spent(mine),
    )


def build(paths: list[str | Path]) -> Report:
    """Read every hand-in file under ``paths`` (files, or folders of ``*.json``) into a report.

    Bad files are skipped with a warning; each attempt counts once, however many files hold it.
    """
    files = handin.find_files(paths)
    report = Report(learners={}, files=files, quiz_sizes=quiz.bank_sizes(),
                    exercise_sizes=exercises.set_sizes())
    seen: dict[str, dict[tuple[Any, ...], Attempt]] = defaultdict(dict)
    sources: dict[str, list[tuple[Path, str, set[tuple[Any, ...]]]]] = defaultdict(list)
    for path in files:
        try:
            found = handin.read(path)
        except handin.HandInError as exc:
            report.warnings.append(f"skipped {exc}")
            continue
        keys_of: dict[str, set[tuple[Any, ...]]] = defaultdict(set)
        for a in found.attempts:
            learner = a.learner or handin.UNKNOWN
            key = handin.attempt_key(a)
            seen[learner].setdefault(key, a)
            keys_of[learner].add(key)
        for learner, keys in keys_of.items():
            sources[learner].append((path, found.course_version, keys))
        if not found.attempts:
            sources[found.learner].append((path, found.course_version, set()))
            seen.setdefault(found.learner, {})
    for learner, attempts in seen.items():
        report.learners[learner] = sorted(attempts.values(), key=lambda a: a.timestamp)
    for learner, where in sorted(sources.items()):
        if len(where) > 1:
            report.merged.append(describe_merge(learner, where, len(seen[learner])))
    return report


def describe_merge(learner: str, where: list[tuple[Path, str, set[tuple[Any, ...]]]],
                   distinct: int) -> str:
    names = ", ".join(p.name for p, _, _ in where)
    keys = [k for _, _, k in where]
    nested = all(a <= b or b <= a for a in keys for b in keys)
    versions = sorted({v for _, v, _ in where})
    text = (f"learner '{learner}' is in {len(where)} files ({names}): merged into "
            f"{distinct} distinct attempts, each counted once")
    if nested:
        text += "; one file holds all the other's attempts (an export made twice)"
    else:
        text += ("; CONFLICT: each file has attempts the other lacks. Two people may share this "
                 "id (give each their own with `hfcourse whoami --set NAME`), or one person "
                 "worked on two machines")
    if len(versions) > 1:
        text += f"; course versions differ ({', '.join(versions)})"
    return text + "."


# --------------------------------------------------------------------------- output


def to_csv(report: Report) -> str:
    """One line per learner and lesson, then one TOTAL line per learner."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["learner", "lesson", "score", "items", "quiz_items", "quiz_attempted",
                     "quiz_first_try", "quiz_solved", "exercise_items", "exercise_attempted",
                     "exercise_solved", "attempts", "minutes"])
    rows = report.rows()
    for r in rows:
        writer.writerow([r.learner, r.lesson, r.score, r.items, r.quiz_items, r.quiz_attempted,
                         r.quiz_first_try, r.quiz_solved, r.exercise_items, r.exercise_attempted,
                         r.exercise_solved, r.attempts, "" if r.minutes is None else r.minutes])
    for learner, (score, items) in sorted(report.totals().items()):
        mine = [r for r in rows if r.learner == learner]
        minutes = [r.minutes for r in mine if r.minutes is not None]
        writer.writerow([learner, "TOTAL", score, items, *(sum(getattr(r, f) for r in mine) for f in (
            "quiz_items", "quiz_attempted", "quiz_first_try", "quiz_solved", "exercise_items",
            "exercise_attempted", "exercise_solved", "attempts")),
            round(sum(minutes), 1) if minutes else ""])
    return out.getvalue()


def _png(fig: Any) -> str:
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
    plt.close(fig)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<img class="plot" alt="" src="data:image/png;base64,{data}">'


def plots(report: Report) -> list[tuple[str, str]]:
    """The report's three pictures as (caption, inline <img>): completion per lesson, the
    distribution of course totals, and the first-try rate of the hardest items."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = []
    done = report.completion()
    fig, ax = plt.subplots(figsize=(8, 3))
    ax.bar(range(len(done)), [100 * v for v in done.values()], color="#2563eb")
    ax.set_xticks(range(len(done)), list(done), rotation=40, ha="right", fontsize=8)
    ax.set_ylabel("% of learners")
    ax.set_ylim(0, 100)
    ax.set_title("Completion: learners who attempted every question and exercise")
    out.append(("Completion per lesson", _png(fig)))
    totals = [100 * s / i for s, i in report.totals().values() if i]
    fig, ax = plt.subplots(figsize=(8, 3))
    ax.hist(totals, bins=range(0, 105, 5), color="#16a34a", edgecolor="white")
    ax.set_xlabel("course total (% of all questions and exercises)")
    ax.set_ylabel("learners")
    ax.set_title("Course totals")
    out.append(("Course totals", _png(fig)))
    hard = report.hardest(10)
    fig, ax = plt.subplots(figsize=(8, 3.4))
    labels = [f"{lesson} · {item}" for _, lesson, item, _, _ in hard][::-1]
    ax.barh(range(len(hard)), [100 * r[4] for r in hard][::-1], color="#dc2626")
    ax.set_yticks(range(len(hard)), labels, fontsize=8)
    ax.set_xlim(0, 100)
    ax.set_xlabel("% right on the first try")
    ax.set_title("The hardest questions and exercises")
    out.append(("Hardest items", _png(fig)))
    return out


class Markup(str):
    """HTML that the table writes as is (already escaped)."""


def _table(header: list[str], rows: list[list[Any]], css: str = "") -> str:
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c if isinstance(c, Markup) else html.escape(str(c))}</td>"
                                    for c in row) + "</tr>" for row in rows)
    return f'<table class="{css}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


STYLE = """body{font-family:system-ui,sans-serif;margin:2em;max-width:75em;color:#111}
table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:.25em .5em;
font-size:.85em;text-align:left}th{background:#f3f4f6}.warn{background:#fef3c7;padding:.5em 1em}
.flag{background:#fee2e2;font-weight:bold}.plot{display:block;margin:.5em 0}"""


def to_html(report: Report) -> str:
    """The whole report as one HTML page with inline pictures, no script and no link."""
    lessons = report.lessons
    rows = {(r.learner, r.lesson): r for r in report.rows()}
    parts = ["<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
             "<title>Class report</title>", f"<style>{STYLE}</style></head><body>",
             "<h1>Class report</h1>",
             f"<p id='summary'>{len(report.learners)} learners · {report.attempts} attempts · "
             f"{len(report.files)} files read, {len(report.warnings)} skipped</p>"]
    if report.warnings or report.merged:
        items = "".join(f"<li>{html.escape(w)}</li>" for w in report.warnings + report.merged)
        parts.append(f"<div class='warn' id='warnings'><b>Files skipped and learners merged</b>"
                     f"<ul>{items}</ul></div>")
    parts.append("<h2>Scores per lesson</h2><p>Score: quiz questions right on the first try plus "
                 "exercises solved, out of the lesson's questions and exercises.</p>")
    table = []
    for learner, (score, items) in sorted(report.totals().items()):
        cells = [f"{rows[(learner, l)].score}/{rows[(learner, l)].items}" for l in lessons]
        table.append([learner, *cells, f"{score}/{items}"])
    parts.append(_table(["learner", *lessons, "total"], table, "scores"))
    pictures = plots(report)
    done = report.completion()
    parts.append("<h2>Completion per lesson</h2>" + pictures[0][1])
    parts.append(_table(["lesson", "learners who attempted everything"],
                        [[l, f"{100 * v:.0f}%"] for l, v in done.items()], "completion"))
    parts.append("<h2>Course totals</h2>" + pictures[1][1])
    parts.append("<h2>The hardest questions and exercises</h2>" + pictures[2][1])
    parts.append(_table(["kind", "lesson", "item", "learners", "right on the first try"],
                        [[k, l, i, n, f"{100 * r:.0f}%"] for k, l, i, n, r in report.hardest(10)],
                        "hardest"))
    parts.append("<h2>Distractor analysis</h2><p>For each question with wrong answers: how many "
                 "wrong answers picked each option. <span class='flag'>Flagged</span>: an option "
                 f"that more than half of at least {MIN_WRONG} wrong answers picked, possibly "
                 "misleading, or a misconception to discuss.</p>")
    dist = [d for d in report.distractors() if d.wrong_answers]
    table = []
    for d in dist:
        mark = Markup("<span class='flag'>possibly misleading</span>") if d.flagged else (
            "right option" if d.correct else "")
        table.append([d.lesson, d.question, d.option, d.picked, d.wrong_answers,
                      f"{100 * d.share:.0f}%", mark])
    parts.append(_table(["lesson", "question", "option", "picked", "wrong answers", "share", ""],
                        table, "distractors"))
    parts.append("<h2>The exercises' most common mistakes</h2>")
    parts.append(_table(["lesson", "exercise", "mistake", "times", "learners"],
                        [list(m) for m in report.mistakes()[:20]], "mistakes"))
    parts.append("<h2>Time spent</h2><p>Minutes between a learner's first and last answer in a "
                 f"lesson, pauses over {PAUSE_CAP_S // 60} minutes counted as {PAUSE_CAP_S // 60}. "
                 "Reading time before the first answer is not in the records.</p>")
    table = []
    for lesson in lessons:
        spent = sorted(r.minutes for r in report.rows() if r.lesson == lesson and r.minutes is not None)
        if spent:
            table.append([lesson, len(spent), spent[len(spent) // 2], spent[-1]])
    parts.append(_table(["lesson", "learners timed", "median minutes", "longest"], table, "time"))
    parts.append("</body></html>")
    return "\n".join(parts)


def write(report: Report, out: str | Path) -> tuple[Path, Path]:
    """Write ``class-report.csv`` and ``class-report.html`` into the folder ``out``."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    csv_path, html_path = out / "class-report.csv", out / "class-report.html"
    csv_path.write_text(to_csv(report), encoding="utf-8")
    html_path.write_text(to_html(report), encoding="utf-8")
    return csv_path, html_path
