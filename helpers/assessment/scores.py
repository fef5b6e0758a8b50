"""Your scores across the course: quizzes and exercises, read from your progress file.

``helpers.progress`` keeps the attempts and knows nothing of the course; this module puts them
next to the course's quiz banks and exercise files, so that a lesson not yet tried shows as 0.
"""

from __future__ import annotations

from dataclasses import dataclass

from helpers.assessment import exercises, progress, quiz


@dataclass
class Overview:
    """Per-lesson quiz scores, per-lesson exercises solved, and your weakest topics."""

    quizzes: list[progress.LessonScore]
    exercises: list[progress.LessonScore]
    weakest: list[tuple[str, float, int]]

    def text(self) -> str:
        """A readable table, as ``hfcourse progress`` prints it."""
        return progress.format_summary(self.quizzes, self.weakest, self.exercises)

    def csv(self) -> str:
        return progress.to_csv(self.quizzes, self.exercises)


def overview() -> Overview:
    """Your saved attempts against every quiz bank and exercise file of the course.

    Yours: those saved under your learner id, and those saved before learner ids existed (on a
    shared machine, other learners' attempts in the same progress file are left out)."""
    attempts = progress.of_learner(progress.load(), progress.learner_id())
    return Overview(
        quizzes=progress.summarize(attempts, quiz.bank_sizes()),
        exercises=progress.summarize(attempts, exercises.set_sizes(), kind="exercise"),
        weakest=progress.weakest_topics(attempts),
    )
