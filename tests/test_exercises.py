"""Exercises: every reference solution passes, every untouched placeholder says "not attempted",
every known mistake, written as real code, gets its own feedback, every `accepted` alternative
(a correct answer in another style) passes and every `rejected` one (a plausible wrong answer)
fails, each in a fresh exercise object; and no attempt, however it mutates its inputs, changes
the verdict on the next one (isolation)."""

from __future__ import annotations

from typing import Any

import pytest

import helpers
from helpers import CourseError, exercises, progress
from helpers.assessment import schema
from helpers.assessment.grading import Status

ALL = exercises.definitions()
IDS = sorted(ALL)
MISTAKES = [(eid, m.id) for eid in IDS for m in ALL[eid][1].mistakes]
ACCEPTED = [(eid, n) for eid in IDS for n in range(len(ALL[eid][1].accepted))]
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
    assert result.feedback == [m.feedback] and result.status is Status.MISTAKE


@pytest.mark.parametrize("eid", IDS)
def test_the_solution_passes_after_every_known_mistake(eid):
    """Runs after the mistakes above, in the same exercise object (one kernel): whatever they
    did to their inputs, the reference still passes."""
    result = live(eid).grade(learner_namespace(eid, ALL[eid][1].solution))
    assert result.correct, result.feedback


def fresh(eid: str) -> exercises.Exercise:
    """A new Exercise (no attempts, nothing passed yet) on the inputs that the session built once
    for this exercise: every test case still gets its own copy of them (``Inputs``), so sharing
    them saves building the models and data again, and shows that no earlier test spoiled them."""
    lesson, d = ALL[eid]
    ex = exercises.Exercise(lesson, d, save=False)
    ex._inputs = live(eid).inputs()
    return ex


@pytest.mark.parametrize("eid,n", ACCEPTED, ids=[f"{e}:{n}" for e, n in ACCEPTED])
def test_each_accepted_alternative_passes(eid, n):
    alternative = ALL[eid][1].accepted[n]
    result = fresh(eid).grade(learner_namespace(eid, alternative.code))
    assert result.correct, (alternative.style, result.feedback)


@pytest.mark.parametrize("eid", IDS)
def test_every_rejected_answer_fails_with_words_and_spoils_nothing(eid):
    """Every rejected answer fails, with feedback in words; then the reference passes in the same
    exercise object (one kernel), whatever the wrong answers did to their inputs. (The known
    mistakes are run the same way above, in the object that the reference then passes in.) One
    run of each rejected answer proves both, so each exercise's answers run once here."""
    ex, d = fresh(eid), ALL[eid][1]
    wrongly = []
    for n, wrong in enumerate(d.rejected):
        result = ex.grade(learner_namespace(eid, wrong.code))
        if result.correct:
            wrongly.append(f"rejected[{n}] is accepted, but {wrong.why}")
        elif result.status not in (Status.FAILED, Status.MISTAKE):
            wrongly.append(f"rejected[{n}] gives {result.status}: {result.feedback}")
        elif not result.feedback or "Test case" in result.feedback[0]:
            wrongly.append(f"rejected[{n}] gets no feedback in words: {result.feedback}")
    assert not wrongly, "\n".join(wrongly)
    result = ex.grade(learner_namespace(eid, d.solution))
    assert result.correct, result.feedback


# --------------------------------------------------------------------------- the set as a whole


def test_every_lesson_has_easy_medium_and_hard_exercises():
    lessons = [lesson.stem for lesson in helpers.course.LESSONS if lesson.stem != "07_final_test"]
    assert exercises.set_names() == lessons
    for lesson in lessons:
        found = exercises.load_set(lesson).exercises
        assert len(found) >= (2 if lesson.startswith("00") else 3), lesson
        assert {d.difficulty for d in found} == {"easy", "medium", "hard"}, lesson
    assert len(ALL) >= 20


def test_every_exercise_catches_at_least_two_mistakes_and_has_hints():
    for eid, (_, d) in ALL.items():
        assert len(d.mistakes) >= 2, eid
        assert len(d.hints) >= 2, eid
        assert d.given or d.names, eid


def test_lessons_hold_the_cells_the_definitions_give():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "scripts/exercise_cells.py", "--check"],
                         cwd=helpers.course.repo_root(), capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


# --------------------------------------------------------------------------- the engine


def test_a_right_answer_is_recorded_and_opens_the_solution(tmp_path):
    ex = exercises.Exercise("00_welcome", ALL["ex00-count-tokens"][1])
    assert "opens after your first try" in ex.solution().plain
    ns = learner_namespace("ex00-count-tokens", "def count_tokens(text):\n    return len(text)\n")
    shown = ex.check(ns)
    cases = len(ALL["ex00-count-tokens"][1].cases)
    assert not shown.correct and f"Test case 1 of {cases}" in repr(shown) and "Expected 7" in repr(shown)
    assert "counts every token the model receives" in repr(shown)  # the property, in words
    ex.hint()
    shown = ex.check(learner_namespace("ex00-count-tokens", ALL["ex00-count-tokens"][1].solution))
    assert shown.correct and "Correct" in shown._repr_mimebundle_()["text/html"]
    assert "Worked solution" in ex.solution().plain
    saved = [a for a in progress.load() if a.kind == "exercise"]
    assert [(a.question, a.correct, a.hints_used, a.choice) for a in saved] == [
        ("ex00-count-tokens", False, 0, "case 1: " + ALL["ex00-count-tokens"][1].cases[0].property),
        ("ex00-count-tokens", True, 1, "passed")]


def test_a_known_mistake_is_recorded_with_its_id():
    ex = exercises.Exercise("04_fine_tuning", ALL["ex04-compute-metrics"][1])
    wrong = next(m for m in ALL["ex04-compute-metrics"][1].mistakes if m.id == "returns-float")
    shown = ex.check(learner_namespace("ex04-compute-metrics", wrong.example))
    assert "Trainer expects a dict" in repr(shown)
    (saved,) = progress.load()
    assert saved.mistake == "returns-float" and saved.kind == "exercise" and not saved.correct


def test_check_reads_the_callers_names_and_never_raises():
    ex = exercises.Exercise("01_pretrained_models", ALL["ex01-cosine"][1], save=False)

    def cosine(a, b):
        raise ZeroDivisionError("boom")

    globals()["cosine"] = cosine
    try:
        shown = ex.check()  # the caller's globals, as in a notebook
    finally:
        del globals()["cosine"]
    assert "raised ZeroDivisionError: boom" in repr(shown)
    assert ex.check({}).result.status == "not_attempted"  # name not defined yet
    assert "Run the cell with your code first" in repr(ex.check({}))


def test_a_broken_fixture_is_reported_not_raised(monkeypatch):
    d = ALL["ex01-cosine"][1].model_copy(update={"fixtures": "raise OSError('no cache')"})
    shown = exercises.Exercise("01_pretrained_models", d, save=False).check({"cosine": len})
    assert shown.result.status is Status.COURSE_ERROR and "hfcourse doctor" in repr(shown)
    assert "not your mistake" in repr(shown) and "does not count against you" in repr(shown)
    assert not progress.load()


def test_unknown_exercise_lists_the_others():
    with pytest.raises(CourseError, match="ex00-count-tokens"):
        exercises.get("ex99-nope")


def test_cli_progress_reports_exercises(capsys):
    from helpers import cli

    ex = exercises.Exercise("00_welcome", ALL["ex00-count-tokens"][1])
    ex.check(learner_namespace("ex00-count-tokens", ALL["ex00-count-tokens"][1].solution))
    assert cli.main(["progress"]) == 0
    out = capsys.readouterr().out
    assert "exercises done" in out and "1 / 3" in out


# --------------------------------------------------------------------------- malformed files

GOOD = ALL["ex01-cosine"][1].model_dump(exclude_defaults=True)


def _file(**changes: Any) -> str:
    import yaml

    item = {**GOOD, **changes}
    item = {k: v for k, v in item.items() if v is not None}
    return yaml.safe_dump({"lesson": "01_pretrained_models", "exercises": [item]}, sort_keys=False)


@pytest.mark.parametrize("changes,expected", [
    ({"difficulty": "tricky"}, "exercise 'ex01-cosine', field 'difficulty': Input should be 'easy', 'medium' or 'hard' (got 'tricky')"),
    ({"hints": None}, "exercise 'ex01-cosine', field 'hints': this field is required"),
    ({"names": ["2fast"]}, "field 'names': Value error, '2fast' is not a Python name"),
    ({"solution": "def cosine(a, b)\n    return 1"}, "field 'solution': Value error, is not valid Python code"),
    ({"cases": [{"property": "p", "call": "cosine(A, B)"}]}, "field 'cases.0.expect': give exactly one of `expect`"),
    ({"cases": [{"property": "p", "call": "cosine(A, B)", "test": "got > 0"}]}, "field 'cases.0.explain': a case with `test` needs `explain`"),
    ({"cases": [{"call": "cosine(A, B)", "expect": "1.0"}]}, "field 'cases.0.property': this field is required"),
    ({"accepted": [GOOD["accepted"][0]]}, "field 'accepted': List should have at least 2 items"),
    ({"rejected": [{**r, "breaks": "the mean of the two"} for r in GOOD["rejected"]]}, "field 'rejected.0.breaks': quote the words of the prompt that this answer breaks; 'the mean of the two' is not in the prompt"),
    ({"mistakes": [{"id": "x", "when": "True", "feedback": "f", "example": "x = 1"}] * 2}, "field 'mistakes': the id 'x' is used twice"),
    ({"mistakes": [{"id": "x", "when": "cosine(", "feedback": "f", "example": "x = 1"}]}, "field 'mistakes.0.when': Value error, is not valid a Python expression"),
    ({"hints": "one hint"}, "field 'hints': Value error, must be a YAML list"),
])
def test_a_malformed_definition_names_the_file_the_exercise_and_the_field(changes, expected):
    with pytest.raises(CourseError) as err:
        schema.parse_exercises(_file(**changes), "exercises/01_pretrained_models.yaml")
    message = str(err.value)
    assert message.startswith("exercises/01_pretrained_models.yaml, exercise 'ex01-cosine'")
    assert expected.replace("Value error, ", "") in message


def test_a_yaml_syntax_error_names_the_line():
    with pytest.raises(CourseError, match=r"exercises/x.yaml line 3, column \d+: YAML syntax error"):
        schema.parse_exercises("lesson: x\nexercises:\n  - id: a: b\n", "exercises/x.yaml")


def test_two_exercises_with_one_id_are_refused():
    import yaml

    text = yaml.safe_dump({"lesson": "l", "exercises": [GOOD, GOOD]}, sort_keys=False)
    with pytest.raises(CourseError, match="exercises 1 and 2 share this id"):
        schema.parse_exercises(text, "exercises/l.yaml")


def test_in_a_notebook_the_check_shows_feedback_then_hint_and_solution_buttons(monkeypatch):
    ex = exercises.Exercise("01_pretrained_models", ALL["ex01-cosine"][1], save=False)
    shown = ex.check(learner_namespace("ex01-cosine", ALL["ex01-cosine"][1].mistakes[0].example))
    sent = []
    monkeypatch.setattr("IPython.display.display", lambda obj, raw=False: sent.append(obj))
    monkeypatch.setattr(exercises, "_widgets_ok", lambda: True)
    shown._ipython_display_()
    assert "dot product alone" in sent[0]["text/html"] and "hfx-result" in sent[0]["text/html"]
    assert "ex.hint()" in sent[1]["text/plain"]
    box = shown.panel
    assert sent[1]["application/vnd.jupyter.widget-view+json"]["model_id"] == box.model_id
    hint, solution = box.children[0].children
    assert not solution.disabled  # one attempt made: the solution may open
    hint.click()
    assert ex.hints_shown == 1 and "Hints" in box.children[1].value
    solution.click()
    assert "Worked solution" in box.children[2].value


def test_a_right_answer_keeps_hint_and_solution_to_compare(monkeypatch):
    ex = exercises.Exercise("01_pretrained_models", ALL["ex01-cosine"][1], save=False)
    shown = ex.check(learner_namespace("ex01-cosine", ALL["ex01-cosine"][1].solution))
    sent = []
    monkeypatch.setattr("IPython.display.display", lambda obj, raw=False: sent.append(obj))
    monkeypatch.setattr(exercises, "_widgets_ok", lambda: True)
    shown._ipython_display_()
    assert "Correct" in sent[0]["text/html"] and "ex.solution()" in sent[0]["text/html"]
    assert len(sent) == 2 and "application/vnd.jupyter.widget-view+json" in sent[1]
    hint, solution = shown.panel.children[0].children
    assert not hint.disabled and not solution.disabled  # the solution opens: there was a try


def test_not_attempted_builds_nothing():
    d = ALL["ex06-http"][1].model_copy(update={"fixtures": "raise AssertionError('built')"})
    ex = exercises.Exercise("06_deployment", d, save=False)
    assert ex.check(learner_namespace("ex06-http", d.placeholder)).result.status == "not_attempted"


def test_readme_lists_every_exercise_with_its_difficulty():
    readme = (helpers.course.repo_root() / "README.md").read_text()
    for eid, (lesson, d) in ALL.items():
        props = len({c.property for c in d.cases})
        assert (f"| `{lesson}` | `{eid}` | {d.difficulty} | {d.title} | {props} | {len(d.mistakes)} "
                f"| {len(d.accepted)} | {len(d.rejected)} |") in readme, eid


# --------------------------------------------------------------------------- the learner's code is used


def _code_cells(lesson: str) -> list[tuple[int, Any]]:
    import nbformat

    nb = nbformat.read(helpers.course.repo_root() / "lessons" / f"{lesson}.ipynb", as_version=4)
    return [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"]


def _calls(source: str) -> set[str]:
    """The plain names that the code calls (``name(...)``, not ``x.name(...)`` or strings)."""
    import io
    import tokenize

    lines = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!")))
    tokens = [t for t in tokenize.generate_tokens(io.StringIO(lines).readline)
              if t.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT)]
    return {t.string for prev, t, nxt in zip([None] + tokens, tokens, tokens[1:] + [None])
            if t.type == tokenize.NAME and nxt is not None and nxt.string == "("
            and not (prev is not None and prev.string == ".")}


@pytest.mark.parametrize("eid", IDS)
def test_no_lesson_cell_writes_out_the_answer_and_later_cells_use_the_learners_code(eid):
    """The reference stays behind `ex.solution()`: no cell but the placeholder defines the names
    the exercise asks for, except through `ex.answer()` (the learner's code once it passes).
    A lesson that uses one of those names by itself (not a `helpers.` function of the same job)
    takes it from `ex.answer()` first."""
    import re

    lesson, d = ALL[eid]
    cells = _code_cells(lesson)
    check_at = next(i for i, c in cells if c.metadata.get("exercise") == eid and c.metadata.get("role") == "check")
    answered_at = None
    for i, cell in cells:
        if cell.metadata.get("role") == "placeholder":
            continue
        for name in d.names:
            if re.search(rf"^\s*def {name}\(|^{name}\s*=", cell.source, re.M):
                assert re.search(rf"^{name}\s*=\s*ex\.answer\(\)", cell.source, re.M), (i, name)
                assert i > check_at, (i, name)
                answered_at = i
            elif name in _calls(cell.source) and cell.metadata.get("role") is None:
                assert answered_at is not None and answered_at <= i, \
                    f"cell {i} calls {name} before `{name} = ex.answer()`"


def test_answer_gives_the_learners_code_once_it_passes_else_the_reference(capsys):
    ex = exercises.Exercise("11_chat_sft", ALL["ex11-parse-reply"][1], save=False)
    mine = learner_namespace("ex11-parse-reply", ALL["ex11-parse-reply"][1].accepted[0].code)
    assert ex.check(mine).correct
    assert ex.answer(mine) is mine["parse_reply"] and "Using your `parse_reply`" in capsys.readouterr().out
    wrong = learner_namespace("ex11-parse-reply", "def parse_reply(reply):\n    return 'positive'\n")
    given = ex.answer(wrong)
    assert given is not wrong["parse_reply"] and given("Dull, negative.") == "negative"
    assert "does not pass its check yet" in capsys.readouterr().out
    untouched = learner_namespace("ex11-parse-reply", ALL["ex11-parse-reply"][1].placeholder)
    assert ex.answer(untouched)("Positive!") == "positive"
    assert "is not written yet" in capsys.readouterr().out
