"""Exercises: every reference solution passes, every untouched placeholder says "not attempted",
and every known mistake, written as real code, gets its own feedback (mutation tests of the
checks: a check that accepts everything fails here)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

import helpers
from helpers import CourseError, exercises, progress
from helpers.assessment import schema

ALL = exercises.definitions()
IDS = sorted(ALL)
MISTAKES = [(eid, m.id) for eid in IDS for m in ALL[eid][1].mistakes]
_LIVE: dict[str, exercises.Exercise] = {}


def live(eid: str) -> exercises.Exercise:
    """One Exercise per id for the whole session (its fixtures are made once)."""
    if eid not in _LIVE:
        lesson, d = ALL[eid]
        _LIVE[eid] = exercises.Exercise(lesson, d, save=False)
    return _LIVE[eid]


def learner_namespace(eid: str, code: str) -> dict[str, Any]:
    """What a learner's notebook holds: the lesson's earlier names (`given`), then their cell."""
    ns: dict[str, Any] = {"__name__": "__main__", "helpers": helpers}
    exec(ALL[eid][1].given, ns)  # noqa: S102
    exec(code, ns)  # noqa: S102
    return ns


@pytest.fixture(autouse=True)
def _private_progress(tmp_path, monkeypatch):
    monkeypatch.setenv("HFCOURSE_PROGRESS", str(tmp_path / "progress.jsonl"))


@pytest.mark.parametrize("eid", IDS)
def test_the_solution_passes(eid):
    result = live(eid).grade(learner_namespace(eid, ALL[eid][1].solution))
    assert result.correct, result.feedback


@pytest.mark.parametrize("eid", IDS)
def test_the_untouched_placeholder_is_not_attempted(eid):
    result = live(eid).grade(learner_namespace(eid, ALL[eid][1].placeholder))
    assert result.status == "not_attempted" and not result.correct
    assert result.feedback[0].startswith("Not attempted yet")


@pytest.mark.parametrize("eid,mistake", MISTAKES, ids=[f"{e}:{m}" for e, m in MISTAKES])
def test_each_known_mistake_gets_its_own_feedback(eid, mistake):
    d = ALL[eid][1]
    m = next(m for m in d.mistakes if m.id == mistake)
    result = live(eid).grade(learner_namespace(eid, m.example))
    assert not result.correct
    assert result.mistake == mistake, f"got {result.mistake or result.choice}: {result.feedback}"
    assert result.feedback == [m.feedback]
