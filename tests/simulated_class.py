"""A simulated class for the classroom tests: learners answer with a seeded random policy in their
own processes, each into their own progress file through the course's own grading and saving
code, then export a hand-in file. Each learner also writes the answers it gave to a plain JSON
log, so that tests can compute the expected figures directly, without the report's code.

The policy: a learner has a skill (0.35-0.95) and works through a random subset of the lessons.
A quiz question is retried until right, at most 3 times; a right pick has the learner's skill
as its chance. A wrong pick goes to the question's first wrong option in 70% of cases (so that
the report has distractors to flag), else to any wrong option. An exercise is retried until
solved, at most 3 times, each failure carrying one of its known mistakes, or none. The clock is
simulated: 20 s to 15 min between answers, so that time spent can be checked exactly.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import random
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

START = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)


def learner_name(i: int) -> str:
    return f"learner-{i:02d}"


def _answer_quiz(rng: random.Random, q, skill: float):
    """One answer (in the grading API's form) and whether it is meant to be right."""
    from helpers.assessment.grading import grade

    right = rng.random() < skill
    if q.type == "numeric":
        return grade(q, q.answer if right else q.answer + 1 + rng.randrange(3))
    if q.type == "multiple":
        keys = q.correct_indices()
        if right:
            return grade(q, keys)
        wrong = [i for i in range(len(q.choices)) if i not in keys]
        return grade(q, (set(sorted(keys)[1:]) | {rng.choice(wrong)}) if wrong else set(sorted(keys)[1:]))
    if right:
        return grade(q, next(iter(q.correct_indices())))
    wrong = [i for i, c in enumerate(q.choices) if not c.correct]
    return grade(q, wrong[0] if rng.random() < 0.7 else rng.choice(wrong))


def simulate(i: int, folder: str) -> None:
    """Learner ``i`` answers, saves into its own progress file, and exports its hand-in."""
    root = Path(folder)
    name = learner_name(i)
    os.environ["HFCOURSE_LEARNER"] = name
    os.environ["HFCOURSE_PROGRESS"] = str(root / name / "progress.jsonl")
    from helpers import exercises, handin, progress, quiz
    from helpers.assessment import recording

    rng = random.Random(1000 + i)
    skill = rng.uniform(0.35, 0.95)
    clock = START + timedelta(minutes=rng.randrange(60))
    banks = quiz.bank_names()
    sets = {lesson: exercises.load_set(lesson) for lesson in exercises.set_names()}
    log = []
    for lesson in banks:
        if rng.random() < 0.25:  # this learner skipped the lesson
            continue
        bank = quiz.load_bank(lesson)
        for q in bank.questions:
            if rng.random() < 0.1:  # left this question out
                continue
            for _ in range(3):
                clock += timedelta(seconds=rng.randrange(20, 900))
                result = _answer_quiz(rng, q, skill)
                if i % 4 == 0:   # a learner whose records predate option ids: text only
                    attempt = progress.Attempt(
                        lesson=bank.lesson, question=q.id, choice=result.choice,
                        correct=result.correct, score=round(result.score, 3),
                        hints_used=rng.randrange(2), timestamp=clock.isoformat(timespec="seconds"),
                        topic=q.topic, difficulty=q.difficulty)
                    progress.record(attempt)
                else:            # the way the quiz saves an answer now, option ids included
                    attempt = recording.record(
                        result, kind="quiz", lesson=bank.lesson, item=q.id, topic=q.topic,
                        difficulty=q.difficulty, hints_used=rng.randrange(2), question=q,
                        timestamp=clock.isoformat(timespec="seconds"))
                log.append({"kind": "quiz", "lesson": bank.lesson, "item": q.id,
                            "choice": result.choice, "correct": result.correct,
                            "time": attempt.timestamp})
                if result.correct:
                    break
        for ex in (sets[lesson].exercises if lesson in sets else []):
            for _ in range(3):
                clock += timedelta(seconds=rng.randrange(20, 900))
                solved = rng.random() < skill
                mistake = "" if solved or rng.random() < 0.3 else rng.choice(ex.mistakes).id
                attempt = progress.Attempt(
                    lesson=lesson, question=ex.id, choice=mistake or ("ok" if solved else "wrong"),
                    correct=solved, score=float(solved), hints_used=0,
                    timestamp=clock.isoformat(timespec="seconds"), topic=ex.topic,
                    difficulty=ex.difficulty, kind="exercise", mistake=mistake)
                progress.record(attempt)
                log.append({"kind": "exercise", "lesson": lesson, "item": ex.id,
                            "mistake": mistake, "correct": solved, "time": attempt.timestamp})
                if solved:
                    break
    (root / name / "answers.json").write_text(json.dumps(log))
    handin.export(root / "handins" / f"{name}.json")


def make_class(root: Path, learners: int = 30, bad: int = 3, processes: int = 4) -> dict[str, Path]:
    """Simulate ``learners`` good learners and ``bad`` more whose hand-ins are then spoiled:
    corrupt, truncated, and tampered after export. Returns the bad files by kind."""
    (root / "handins").mkdir(parents=True, exist_ok=True)
    with mp.get_context("spawn").Pool(processes) as pool:
        pool.starmap(simulate, [(i, str(root)) for i in range(learners + bad)])
    files = {kind: root / "handins" / f"{learner_name(learners + k)}.json"
             for k, kind in enumerate(("corrupt", "truncated", "tampered")[:bad])}
    if "corrupt" in files:
        files["corrupt"].write_bytes(b"\x89PNG\r\n\x1a\n not a hand-in at all \x00\xff")
    if "truncated" in files:
        text = files["truncated"].read_text()
        files["truncated"].write_text(text[: len(text) // 2])
    if "tampered" in files:
        data = json.loads(files["tampered"].read_text())
        for attempt in data["attempts"]:
            attempt["correct"], attempt["score"] = True, 1.0  # a learner "improves" the record
        files["tampered"].write_text(json.dumps(data, indent=1))
    return files


def answers(root: Path, learners: int = 30) -> dict[str, list[dict]]:
    """What each good learner answered, as it logged it (for the direct computation)."""
    return {learner_name(i): json.loads((root / learner_name(i) / "answers.json").read_text())
            for i in range(learners)}


def copy_handins(root: Path, target: Path) -> Path:
    shutil.copytree(root / "handins", target)
    return target


def nest_handins(root: Path, target: Path) -> Path:
    """The class's hand-ins as a shared drive or an LMS download holds them: one folder per
    learner, one level deeper for some (``target/learner-00/learner-00.json``,
    ``target/learner-01/upload/learner-01.json``), plus the hidden ``._learner-00.json`` copy
    that macOS leaves on a USB stick, which is not a hand-in and must be left out."""
    for i, path in enumerate(sorted((root / "handins").glob("*.json"))):
        folder = target / path.stem / ("upload" if i % 2 else "")
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, folder / path.name)
    (target / "learner-00" / "._learner-00.json").write_bytes(b"\x00\x05\x16\x07 Mac OS X")
    return target
