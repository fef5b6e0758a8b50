"""Exam mode for the final test: no hints, no solutions, one answer per question, feedback at
the end with the score, and every attempt recorded as taken in exam mode.

A teacher switches it on in either of two ways:

- the environment variable ``HFCOURSE_EXAM=1`` (``HFCOURSE_EXAM=0`` switches it off, whatever
  else is set), for example in a JupyterHub's spawner settings;
- a file named ``hfcourse-exam`` (its content does not matter) in the notebook's folder, in the
  folder above it, in the course's ``lessons/`` folder or the checkout above it, or in the course
  cache (for example placed on a lab's shared drive). Learners who start the course with
  ``hfcourse start`` work on copies of the lessons in their work folder (``work/``, or
  ``$HFCOURSE_WORK``); a file in ``lessons/`` still switches exam mode on for them.

This deters casual peeking; it is not secure. The questions, keys and feedback are in
``quizzes/final_test.yaml`` on the learner's machine, and a learner who reads that file, or
sets ``HFCOURSE_EXAM=0``, gets past it. A teacher who needs more keeps a private bank elsewhere
and points the course at it: ``HFCOURSE_QUIZZES=/path/to/private/quizzes``.
"""

from __future__ import annotations

from pathlib import Path

from helpers.core import settings
from helpers.core.cache import cache_dir
from helpers.core.course import repo_root

EXAM_FILE = "hfcourse-exam"
EXAM_BANKS = ("final_test",)  # the banks that exam mode applies to


def exam_folders() -> list[Path]:
    """Where a teacher's ``hfcourse-exam`` file is looked for, in this order: the notebook's
    folder and the one above it, the course's ``lessons/`` and the checkout that holds it (so a
    file there reaches learners who work on copies elsewhere), and the course cache."""
    here, course = Path.cwd(), repo_root()
    return list(dict.fromkeys([here, here.parent, course / "lessons", course, cache_dir()]))


def switched_on_by() -> str | None:
    """What switches exam mode on (the variable, or the path of the file), or None when off."""
    switch = settings.flag("HFCOURSE_EXAM")   # one spelling of on and off for every flag
    if switch is False:
        return None
    if switch:
        return "HFCOURSE_EXAM"
    for folder in exam_folders():
        if (folder / EXAM_FILE).is_file():
            return str(folder / EXAM_FILE)
    return None


def exam_mode() -> bool:
    """True when a teacher switched exam mode on (see the module's docstring)."""
    return switched_on_by() is not None


def applies_to(bank: str) -> bool:
    """True when the quiz ``bank`` is taken in exam mode now."""
    return bank in EXAM_BANKS and exam_mode()
