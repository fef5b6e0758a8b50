"""Your quiz and exercise progress, saved on your own machine.

Every attempt becomes one JSON line in the progress file: the lesson, the question or exercise
id, what you chose (or the known mistake your code made), whether it was right, how many hints
you had opened, and when. The file is
``$HFCOURSE_PROGRESS`` if set, else ``progress.jsonl`` in the course cache.

Appending one line is a single write under a file lock, so two notebooks (two kernels) answering
at the same time lose nothing. If the file is damaged, the damaged copy is kept as a backup next
to it, a warning says so, the readable attempts are kept, and the course goes on.
"""

from __future__ import annotations

import csv
import getpass
import io
import json
import os
import shutil
import time
import warnings
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from .assets import cache_dir

try:  # POSIX; on Windows the single O_APPEND write is the only guard
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]


def learner_id() -> str:
    """Who is answering: ``$HFCOURSE_LEARNER`` or the login name."""
    try:
        default = getpass.getuser()
    except (KeyError, OSError):  # pragma: no cover - no user database (some containers)
        default = "learner"
    return os.environ.get("HFCOURSE_LEARNER", default)


@dataclass
class Attempt:
    """One answer to one quiz question, or one checked try at one exercise."""

    lesson: str
    question: str
    choice: str
    correct: bool
    score: float
    hints_used: int
    timestamp: str
    topic: str = ""
    difficulty: str = ""
    kind: str = "quiz"  # "quiz" or "exercise" (records written before exercises existed: quiz)
    mistake: str = ""  # exercises: the id of the known mistake the code made, if any


def progress_path() -> Path:
    """Where attempts are saved: ``$HFCOURSE_PROGRESS`` or ``<course cache>/progress.jsonl``."""
    env = os.environ.get("HFCOURSE_PROGRESS")
    path = Path(env).expanduser() if env else cache_dir() / "progress.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


@contextmanager
def _locked(path: Path) -> Iterator[int]:
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield fd
    finally:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def record(attempt: Attempt, path: Path | None = None) -> None:
    """Append one attempt to the progress file (safe with several kernels writing at once)."""
    path = path or progress_path()
    line = (json.dumps(asdict(attempt), ensure_ascii=False) + "\n").encode()
    with _locked(path) as fd:
        os.write(fd, line)


def _parse(raw: str) -> tuple[list[Attempt], list[int]]:
    attempts, bad = [], []
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            attempts.append(Attempt(**json.loads(line)))
        except (ValueError, TypeError):
            bad.append(number)
    return attempts, bad


def load(path: Path | None = None) -> list[Attempt]:
    """Every saved attempt, oldest first. A damaged file is backed up and repaired (with a warning)."""
    path = path or progress_path()
    if not path.exists():
        return []
    with _locked(path) as fd:
        raw = path.read_bytes().decode("utf-8", errors="replace")
        attempts, bad = _parse(raw)
        if bad:
            stamp = time.strftime("%Y%m%d-%H%M%S")
            backup = path.with_name(f"{path.name}.corrupt-{stamp}")
            shutil.copy2(path, backup)
            kept = "".join(json.dumps(asdict(a), ensure_ascii=False) + "\n" for a in attempts)
            os.ftruncate(fd, 0)
            os.write(fd, kept.encode())
            lines = ", ".join(map(str, bad[:5])) + (" ..." if len(bad) > 5 else "")
            warnings.warn(
                f"The progress file {path} was damaged (unreadable line(s) {lines}). A copy is kept "
                f"as {backup}; the {len(attempts)} readable attempt(s) were kept and the course "
                "continues. Nothing for you to do, unless you want to inspect the backup.",
                stacklevel=2,
            )
    return attempts


@dataclass
class LessonScore:
    lesson: str
    questions: int  # questions (or exercises) the lesson has (0 if unknown)
    attempted: int
    correct: int  # items answered correctly at least once
    first_try: int  # items right on the first attempt
    attempts: int


def summarize(attempts: list[Attempt], bank_sizes: dict[str, int] | None = None,
              kind: str = "quiz") -> list[LessonScore]:
    """Per-lesson scores of one kind ("quiz" or "exercise"): items attempted, answered correctly,
    and right on the first try. ``bank_sizes`` gives the number of items per lesson."""
    bank_sizes = bank_sizes or {}
    by_lesson: dict[str, dict[str, list[Attempt]]] = defaultdict(lambda: defaultdict(list))
    for a in attempts:
        if a.kind == kind:
            by_lesson[a.lesson][a.question].append(a)
    lessons = sorted(set(by_lesson) | set(bank_sizes))
    rows = []
    for lesson in lessons:
        questions = by_lesson.get(lesson, {})
        rows.append(LessonScore(
            lesson=lesson,
            questions=bank_sizes.get(lesson, len(questions)),
            attempted=len(questions),
            correct=sum(any(a.correct for a in tries) for tries in questions.values()),
            first_try=sum(tries[0].correct for tries in questions.values()),
            attempts=sum(len(tries) for tries in questions.values()),
        ))
    return rows


def weakest_topics(attempts: list[Attempt], n: int = 3) -> list[tuple[str, float, int]]:
    """The ``n`` topics with the lowest share of correct attempts: ``(topic, share, attempts)``."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for a in attempts:
        topic = a.topic or a.lesson
        totals[topic][0] += int(a.correct)
        totals[topic][1] += 1
    ranked = sorted(((t, ok / n_, n_) for t, (ok, n_) in totals.items()), key=lambda r: (r[1], -r[2]))
    return [(t, round(share, 2), count) for t, share, count in ranked[:n]]


def to_csv(rows: list[LessonScore], exercises: list[LessonScore] | None = None) -> str:
    """The per-lesson summary, quizzes then exercises, as CSV text (for a spreadsheet)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["lesson", "kind", "items", "attempted", "correct", "first_try", "attempts"])
    for kind, table in (("quiz", rows), ("exercise", exercises or [])):
        for r in table:
            writer.writerow([r.lesson, kind, r.questions, r.attempted, r.correct, r.first_try,
                             r.attempts])
    return out.getvalue()


def format_summary(rows: list[LessonScore], weak: list[tuple[str, float, int]],
                   exercises: list[LessonScore] | None = None) -> str:
    """The per-lesson quiz summary, the exercises beside it, and the weakest topics, as text."""
    by_lesson = {r.lesson: r for r in exercises or []}
    lines = [f"{'lesson':<22} {'quiz correct':>12} {'first try':>10} {'attempts':>9}"
             + (f" {'exercises done':>15} {'tries':>6}" if exercises is not None else "")]
    for r in rows:
        line = (f"{r.lesson:<22} {r.correct:>7} / {r.questions:<3} {r.first_try:>10} "
                f"{r.attempts:>9}")
        if exercises is not None:
            e = by_lesson.get(r.lesson)
            line += (f" {e.correct:>10} / {e.questions:<3} {e.attempts:>6}" if e and e.questions
                     else f" {'-':>15} {'':>6}")
        lines.append(line)
    if weak:
        lines.append("Weakest topics: " + ", ".join(
            f"{t} ({share:.0%} of {n} attempt{'s' if n != 1 else ''})" for t, share, n in weak))
    else:
        lines.append("No attempts yet: answer a quiz or try an exercise in any lesson.")
    return "\n".join(lines)
