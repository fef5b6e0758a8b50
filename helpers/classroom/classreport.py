"""The class report: many learners' hand-in files read into one ``Report``, and its CSV.

``hfcourse class-report PATHS... --out DIR`` calls ``build(paths)`` here, then
``classpage.write(report, DIR)``, which writes the CSV and the HTML page (``helpers.classpage``
draws the page: its figures and tables). What the report holds, per learner and per lesson:

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

Folders are searched with all their subfolders (one folder per learner is how many classes hand
in) for ``*.json`` files. A file that is corrupt, truncated, foreign or edited after export never
stops the report: it is skipped and named in a warning with its reason. Only when there is
nothing to report (no file found, or none readable) does it stop, saying where it looked and
what to do. A learner id found in several files is merged, each attempt counted once, and
reported.

"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from helpers.assessment import exercises, quiz
from helpers.classroom import handin
from helpers.assessment import recording
from helpers.assessment.progress import Attempt, outcome

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
    numeric: bool = False  # the option is a number a learner typed, not an option's text

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
            for key, item_tries in tries_by_item(attempts).items():
                tries[key].append(outcome(item_tries)[0])
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
                        out.append(Distractor(bank.lesson, q.id, value, count, len(answers),
                                              numeric=True))
                    continue
                counts = Counter(i for a in answers for i in recording.picked_indices(a, q))
                for i, choice in enumerate(q.choices):
                    out.append(Distractor(bank.lesson, q.id, choice.text, counts[i],
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


def tries_by_item(attempts: list[Attempt]) -> dict[tuple[str, str, str], list[Attempt]]:
    """One learner's attempts grouped by item, oldest first: (kind, lesson, item id) -> attempts."""
    grouped: dict[tuple[str, str, str], list[Attempt]] = defaultdict(list)
    for a in attempts:
        grouped[(a.kind, a.lesson, a.question)].append(a)
    return grouped


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
    by_item = tries_by_item(mine)

    def count(kind: str, test: Any) -> int:
        return sum(1 for (k, _, _), tries in by_item.items() if k == kind and test(tries))

    return LessonRow(
        learner=learner, lesson=lesson,
        quiz_items=quiz_items,
        quiz_attempted=count("quiz", lambda t: True),
        quiz_first_try=count("quiz", lambda t: outcome(t)[0]),
        quiz_solved=count("quiz", lambda t: outcome(t)[1]),
        exercise_items=exercise_items,
        exercise_attempted=count("exercise", lambda t: True),
        exercise_solved=count("exercise", lambda t: outcome(t)[1]),
        attempts=len(mine),
        minutes=minutes_spent(mine),
    )


def build(paths: list[str | Path]) -> Report:
    """Read every hand-in file under ``paths`` into a report: files as given, folders searched
    with all their subfolders for ``*.json`` files.

    Bad files are skipped with a warning; each attempt counts once, however many files hold it.
    Raises ``HandInError`` (a ``CourseError``) when there is nothing to report: no file found,
    or none of them readable; the message says where it looked and what to do.
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
    if not seen:
        raise handin.HandInError(nothing_readable(report.warnings))
    for learner, attempts in seen.items():
        report.learners[learner] = sorted(attempts.values(), key=lambda a: a.timestamp)
    for learner, where in sorted(sources.items()):
        if len(where) > 1:
            report.merged.append(describe_merge(learner, where, len(seen[learner])))
    return report


def nothing_readable(warnings: list[str]) -> str:
    """The message when every file found was skipped: each file with its reason, and the fix."""
    reasons = "\n".join(f"  - {w.removeprefix('skipped ')}" for w in warnings)
    return (f"none of the {len(warnings)} file(s) found is a readable hand-in file, so there is "
            f"no report to write:\n{reasons}\nFix: ask those learners to export again with "
            "`hfcourse progress --export FILE.json`, or point the report at the folder that "
            "holds the hand-in files.")


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
