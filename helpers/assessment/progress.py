"""Your quiz and exercise progress, saved on your own machine.

Every attempt becomes one JSON line in the progress file: who answered (your learner id), the
lesson, the question or exercise id, what you chose (or the known mistake your code made),
whether it was right, how many hints you had opened, when, and the course version. The file is
``$HFCOURSE_PROGRESS`` if set, else ``progress.jsonl`` in the course cache.

Your learner id is ``$HFCOURSE_LEARNER``, else the name saved with ``hfcourse whoami --set NAME``
(a classroom laptop's login name is often shared), else your login name.

Appending one line is a single write under a file lock, so two notebooks (two kernels) answering
at the same time lose nothing. If the file is damaged, the damaged copy is kept as a backup next
to it, one plain sentence says so, the readable attempts are kept, and the course goes on.

Each line says which version of the record it is (``record_version``, ``RECORD_VERSION`` today).
A line written by a newer course (a higher version, or fields this course does not know) is not
damage: it is read for the fields this course knows, kept in the file exactly as it was written,
and one sentence asks you to update the course.
"""

from __future__ import annotations

import csv
import getpass
import io
import json
import os
import re
import shutil
import time
import uuid
import sys
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from helpers.core import settings
from helpers.core.cache import cache_dir
from helpers.core.errors import CourseError

try:  # POSIX; on Windows the single O_APPEND write is the only guard
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]


# 1: the first records; 2: option ids and positions (``option_ids``, ``picked``); 3: each line
# says its version. Lines without ``record_version`` are version 1 or 2.
RECORD_VERSION = 3

LEARNER_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@ -]{0,63}$")


def learner_file() -> Path:
    """Where ``hfcourse whoami --set NAME`` saves your learner id: beside your progress file,
    named after it (``progress.jsonl.learner``), so that learners who share one course cache but
    keep their own progress files (``$HFCOURSE_PROGRESS``) keep their own ids too."""
    path = progress_path()
    return path.with_name(path.name + ".learner")


def login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # pragma: no cover - no user database (some containers)
        return "learner"


def learner_id() -> str:
    """Who is answering: ``$HFCOURSE_LEARNER``, else the saved name, else the login name."""
    named = settings.value("HFCOURSE_LEARNER")
    if named:
        return named
    saved = learner_file()
    if saved.is_file():
        name = saved.read_text(encoding="utf-8").strip()
        if LEARNER_PATTERN.match(name):
            return name
    return login_name()


def set_learner(name: str) -> Path:
    """Save ``name`` as this machine's learner id (what ``hfcourse whoami --set`` does)."""
    name = name.strip()
    if not LEARNER_PATTERN.match(name):
        raise CourseError(
            f"'{name}' can't be a learner id: use 1 to 64 letters, digits, spaces, '.', '_', '@' "
            "or '-', starting with a letter or digit (for example: ana.lopez or student-07).")
    path = learner_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(name + "\n", encoding="utf-8")
    return path


def course_version() -> str:
    """The installed course's version (``0.1.0``), or ``unknown`` when it runs uninstalled."""
    from importlib import metadata

    from helpers.core.course import DISTRIBUTION

    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "unknown"


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
    # Written since the class report exists; older records have the defaults (an unknown learner).
    learner: str = ""
    course_version: str = ""
    exam: bool = False  # answered in exam mode (helpers.exam)
    attempt_id: str = ""  # unique per attempt: merging one attempt twice never counts it twice
    # Written since options have ids (format 2): the options picked, by id and by position in
    # the YAML file. ``choice`` keeps their text for reading; older records have only that.
    option_ids: list[str] = field(default_factory=list)
    picked: list[int] = field(default_factory=list)
    record_version: int = 0  # filled in by ``record``; 0 in lines written before it existed


def progress_path() -> Path:
    """Where attempts are saved: ``$HFCOURSE_PROGRESS`` or ``<course cache>/progress.jsonl``."""
    env = settings.value("HFCOURSE_PROGRESS")
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
    """Append one attempt to the progress file (safe with several kernels writing at once).

    The learner id, the course version, a unique attempt id and the record version are filled
    in when empty."""
    path = path or progress_path()
    attempt.record_version = attempt.record_version or RECORD_VERSION
    attempt.learner = attempt.learner or learner_id()
    attempt.course_version = attempt.course_version or course_version()
    attempt.attempt_id = attempt.attempt_id or uuid.uuid4().hex
    _append(path, asdict(attempt))


def _append(path: Path, entry: dict[str, object]) -> None:
    """Append ``entry`` to ``path`` as one JSON line: a single write under the file's lock."""
    line = (json.dumps(entry, ensure_ascii=False) + "\n").encode()
    with _locked(path) as fd:
        os.write(fd, line)


def finished_path() -> Path:
    """Where exam mode remembers the tests you finished: beside your progress file
    (``progress.jsonl.finished``), one JSON line per finished test."""
    path = progress_path()
    return path.with_name(path.name + ".finished")


def mark_finished(lesson: str, learner: str) -> None:
    """Remember that ``learner`` pressed Finish on the exam-mode test ``lesson``."""
    _append(finished_path(), {"learner": learner, "lesson": lesson, "timestamp": now()})


def finished(lesson: str, learner: str) -> bool:
    """Whether ``learner`` finished the exam-mode test ``lesson`` (lines that can't be read are
    skipped: at worst, a damaged file reopens a test, and it loses no answer)."""
    path = finished_path()
    if not path.is_file():
        return False
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and entry.get("learner") == learner and \
                entry.get("lesson") == lesson:
            return True
    return False


ATTEMPT_FIELDS = {f.name for f in fields(Attempt)}


@dataclass
class Parsed:
    """What ``parse`` found in a progress file's text."""

    attempts: list[Attempt]
    kept: list[str]  # the readable lines, exactly as written
    bad: list[int]  # numbers of the lines that could not be read (damage)
    newer: list[int]  # numbers of the lines written by a newer course (read, and kept as they are)


def parse(raw: str) -> Parsed:
    """Read a progress file's text line by line. A line is damaged when it is not a JSON object,
    or lacks a field every record has; a line with a higher ``record_version`` or with fields
    this course does not know comes from a newer course, and is read for what this course knows."""
    found = Parsed([], [], [], [])
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
            if not isinstance(entry, dict):
                raise TypeError("not an object")
            known = {k: v for k, v in entry.items() if k in ATTEMPT_FIELDS}
            attempt = Attempt(**known)
        except (ValueError, TypeError):
            found.bad.append(number)
            continue
        version = entry.get("record_version", 0)
        if len(known) < len(entry) or (isinstance(version, int) and version > RECORD_VERSION):
            found.newer.append(number)
        found.attempts.append(attempt)
        found.kept.append(line)
    return found


def _line_numbers(numbers: list[int]) -> str:
    return ", ".join(map(str, numbers[:5])) + (" ..." if len(numbers) > 5 else "")


def load(path: Path | None = None) -> list[Attempt]:
    """Every saved attempt, oldest first. A damaged file is backed up and repaired (with a note);
    lines from a newer course are read and left as they are (with a note)."""
    path = path or progress_path()
    if not path.exists():
        return []
    with _locked(path) as fd:
        raw = path.read_bytes().decode("utf-8", errors="replace")
        found = parse(raw)
        if found.bad:
            stamp = time.strftime("%Y%m%d-%H%M%S")
            backup = path.with_name(f"{path.name}.corrupt-{stamp}")
            shutil.copy2(path, backup)
            os.ftruncate(fd, 0)
            os.write(fd, "".join(line + "\n" for line in found.kept).encode())
            print(f"Note: {len(found.bad)} line(s) of your progress file could not be read (line(s) "
                  f"{_line_numbers(found.bad)}), so your other {len(found.attempts)} answer(s) were "
                  f"kept and a copy of the old file was saved as {backup.name}, beside it; nothing "
                  "else to do.", file=sys.stderr)
    if found.newer:
        print(f"Note: {len(found.newer)} answer(s) in your progress file (line(s) "
              f"{_line_numbers(found.newer)}) were saved by a newer version of the course; this one "
              "reads what it knows of them and leaves them as they are. To see all of it, update "
              "the course: pip install -U hf-finetuning-course", file=sys.stderr)
    return found.attempts


def of_learner(attempts: list[Attempt], learner: str) -> list[Attempt]:
    """The attempts of ``learner``, with those saved before learner ids existed (no id: on a
    single-user machine they are that learner's; they are never dropped)."""
    return [a for a in attempts if a.learner in (learner, "")]


def outcome(tries: list[Attempt]) -> tuple[bool, bool]:
    """(right on the first try, solved at some try) for one item's attempts, oldest first: the
    one definition that progress summaries, the quiz's score line and the class report use."""
    return bool(tries) and tries[0].correct, any(a.correct for a in tries)


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
            correct=sum(outcome(tries)[1] for tries in questions.values()),
            first_try=sum(outcome(tries)[0] for tries in questions.values()),
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
