"""How an answer travels: one function saves every checked quiz answer and exercise try, and
one function reads back which options an answer picked, however old its record is.

``record`` turns a ``Result`` into a ``progress.Attempt`` for quizzes and exercises alike, with
the learner passed through (a quiz opened for ``learner="ana"`` saves under ana, and exam mode
finds ana's answers again). A quiz answer is saved with the ids of the options picked, their
positions in the YAML file, and their text for reading.

``picked_indices`` gives today's positions of the options an answer picked: by id for records
that have ids, so that an option's wording can change without breaking its history; by their
text for records written before ids existed (``migrate_text``).
"""

from __future__ import annotations

from helpers.assessment import progress
from helpers.assessment.grading import Result
from helpers.assessment.schema import Question


def record(result: Result, *, kind: str, lesson: str, item: str, topic: str, difficulty: str,
           hints_used: int, learner: str | None = None, exam: bool = False,
           question: Question | None = None, timestamp: str | None = None) -> progress.Attempt:
    """Save one checked answer to the progress file and return the record.

    ``kind`` is ``"quiz"`` or ``"exercise"``; ``item`` the question's or exercise's id;
    ``question`` (quizzes) gives the ids of the options in ``result.picked``. ``learner``
    defaults to the learner of this machine (``progress.learner_id``), ``timestamp`` to now."""
    ids = question.option_ids() if question is not None else []
    attempt = progress.Attempt(
        lesson=lesson, question=item, choice=result.choice, correct=result.correct,
        score=round(result.score, 3), hints_used=hints_used, timestamp=timestamp or progress.now(),
        topic=topic, difficulty=difficulty, kind=kind, mistake=result.mistake,
        learner=learner or "", exam=exam,
        option_ids=[ids[i] for i in result.picked if i < len(ids)], picked=list(result.picked))
    progress.record(attempt)
    return attempt


def migrate_text(choice: str, question: Question) -> list[int]:
    """The options that an answer saved before option ids existed named by their text: one
    option's text, or several joined with "; " in the order of the file (an option's text may
    itself contain "; "). An option whose text changed since then is not found."""
    texts = [c.text for c in question.choices]
    if choice in texts:
        return [texts.index(choice)]
    picked, rest = [], choice
    for i, text in enumerate(texts):
        if rest == text or rest.startswith(text + "; "):
            picked.append(i)
            rest = rest[len(text) + 2:]
    return picked


def picked_indices(attempt: progress.Attempt, question: Question) -> list[int]:
    """Today's positions (in the YAML file) of the options that ``attempt`` picked.

    By option id when the record has ids (ids of options removed since are dropped); by text
    for older records (``migrate_text``). A numeric question has no options: []."""
    if question.type == "numeric":
        return []
    if attempt.option_ids:
        where = {option_id: i for i, option_id in enumerate(question.option_ids())}
        return sorted(where[o] for o in attempt.option_ids if o in where)
    return migrate_text(attempt.choice, question)
