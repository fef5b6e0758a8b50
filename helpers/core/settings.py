"""The course's settings: every ``HFCOURSE_*`` environment variable that ``helpers`` reads.

Set them in the terminal before you start Jupyter (``export HFCOURSE_OFFLINE=1``), or in a
notebook with ``os.environ[...]`` before the cell that needs them. ``VARIABLES`` below says what
each one does. A flag takes one spelling everywhere: ``1``, ``true``, ``yes`` or ``on`` for on,
and ``0``, ``false``, ``no``, ``off`` or nothing for off, in any case; anything else is an error
that names the variable and the values it takes. (The test and CI scripts read a few more of
their own, such as the suite's name; they are documented where they are used.)
"""

from __future__ import annotations

import os

from helpers.core.errors import CourseError

VARIABLES: dict[str, str] = {
    "HFCOURSE_CACHE": "the course cache folder: models, data, embeddings and trained models "
                      "(default: ~/.cache/hfcourse, or $XDG_CACHE_HOME/hfcourse)",
    "HFCOURSE_PROGRESS": "the progress file of quiz and exercise attempts (default: progress.jsonl "
                         "in the course cache)",
    "HFCOURSE_LEARNER": "who is answering; wins over the id saved by `hfcourse whoami --set`",
    "HFCOURSE_OFFLINE": "flag: never download an asset; a missing one is an error that says how "
                        "to copy the cache from another machine",
    "HFCOURSE_EXAM": "flag: exam mode for the final test, on or off (unset: a teacher's "
                     "hfcourse-exam file decides)",
    "HFCOURSE_THREADS": "torch's CPU threads, instead of fitting them to the cores that are free "
                        "when a lesson starts",
    "HFCOURSE_WORK": "your work folder for `hfcourse lab` (default: work/ in the course checkout)",
    "HFCOURSE_QUIZZES": "a folder of quiz banks to use instead of the course's (a teacher's private bank)",
    "HFCOURSE_EXERCISES": "a folder of exercise files to use instead of the course's",
}

ON = ("1", "true", "yes", "on")
OFF = ("0", "false", "no", "off", "")


def _known(name: str) -> None:
    if name not in VARIABLES:
        raise KeyError(f"{name} is not one of the course's settings: {', '.join(VARIABLES)}")


def value(name: str) -> str | None:
    """The variable's text, stripped; None when it is unset or empty."""
    _known(name)
    text = os.environ.get(name, "").strip()
    return text or None


def flag(name: str) -> bool | None:
    """A flag: True or False when set to one of the spellings above, None when unset or empty."""
    _known(name)
    text = os.environ.get(name, "").strip().lower()
    if not text:
        return None
    if text in ON:
        return True
    if text in OFF:
        return False
    raise CourseError(f"{name}={os.environ[name]!r} is neither on nor off. "
                      f"Fix: set it to one of {', '.join(ON)} (on) or {', '.join(OFF[:-1])} (off), "
                      f"or unset it ({VARIABLES[name]}).")
