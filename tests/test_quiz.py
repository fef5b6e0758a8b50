"""Quiz banks: schema, content rules, checked claims, grading, rendering, and clear errors."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

import helpers
from helpers import CourseError, progress, quiz

ROOT = Path(__file__).resolve().parent.parent
BANKS = {name: quiz.load_bank(name) for name in quiz.bank_names()}
ALL = [(name, q) for name, bank in BANKS.items() for q in bank.questions]
WITH_VERIFY = [(n, q) for n, q in ALL if q.verify]
LIBRARY_API = re.compile(r"`[^`]*(TrainingArguments|Trainer|tokenizer|Collator|from_pretrained|"
                         r"pipeline|EarlyStopping|evaluate\.load|load_dataset)[^`]*`")


def test_every_lesson_and_the_final_test_have_a_bank():
    expected = {lesson.stem for lesson in helpers.course.LESSONS} - {"07_final_test"}
    assert expected | {"final_test"} == set(BANKS)
    for name, bank in BANKS.items():
        assert bank.lesson == name, f"quizzes/{name}.yaml says lesson: {bank.lesson}"


def test_written_lessons_have_at_least_four_questions():
    for lesson in helpers.course.LESSONS:
        if (ROOT / lesson.notebook).exists() and lesson.stem in BANKS:
            assert len(BANKS[lesson.stem].questions) >= 4, lesson.stem


def test_final_test_has_ten_questions_across_difficulties():
    counts = Counter(q.difficulty for q in BANKS["final_test"].questions)
    assert sum(counts.values()) == 10
    assert counts["easy"] >= 3 and counts["medium"] >= 3 and counts["hard"] >= 3


def test_question_ids_are_unique_across_banks():
    ids = Counter(q.id for _, q in ALL)
    assert not [i for i, n in ids.items() if n > 1]


def test_every_question_type_is_used():
    assert {q.type for _, q in ALL} == {"single", "multiple", "true_false", "numeric"}


def test_seed_questions_and_confusions_are_mirrored():
    sources = {q.source for _, q in ALL}
    for n in range(1, 6):
        assert f"seed practice question {n}" in sources
    for n in range(1, 4):
        assert f"seed common confusion {n}" in sources
    confusions = [q for _, q in ALL if q.source.startswith("seed common confusion")]
    assert all(q.type == "true_false" for q in confusions)


def test_overfitting_question_uses_the_current_api():
    q = BANKS["05_evaluation"].question("eval-early-stopping")
    assert q.difficulty == "hard"
    key = next(c for c in q.choices if c.correct)
    assert "eval_strategy" in key.text and "EarlyStoppingCallback" in key.text
    assert "evaluation_strategy" not in key.text
    explained = " ".join(q.solution + q.mistakes)
    assert "evaluation_strategy" in explained and "TypeError" in explained


def test_library_dependent_questions_have_verify():
    for name, q in ALL:
        text = " ".join([q.prompt] + [c.text for c in q.choices if c.correct])
        if LIBRARY_API.search(text):
            assert q.verify, f"quizzes/{name}.yaml question '{q.id}' names an API: add `verify`"


@pytest.mark.parametrize("name,question", WITH_VERIFY, ids=[q.id for _, q in WITH_VERIFY])
def test_verify_snippet_holds(name, question, tmp_path, monkeypatch, course_cache):
    monkeypatch.chdir(tmp_path)
    namespace = {"helpers": helpers, "MODEL_PATH": helpers.base_model_path()}
    exec(compile(question.verify, f"quizzes/{name}.yaml:{question.id}:verify", "exec"), namespace)


# ---------------------------------------------------------------- malformed banks

GOOD = """
lesson: demo
title: Demo
questions:
  - id: q1
    difficulty: easy
    type: single
    topic: demo
    prompt: Pick A.
    choices:
      - {text: A, correct: true, feedback: right}
      - {text: B, feedback: wrong}
    hints: [one]
    solution: [step]
    quick_check: A
    mistakes: [B]
"""


def _broken(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new)


@pytest.mark.parametrize("text,expected", [
    (_broken("prompt: Pick A.", "prompt: [unclosed"), r" line \d+, column \d+: YAML syntax"),
    (_broken("      - {text: A, correct: true, feedback: right}", "      - {text: A, feedback: right}"),
     r"question 'q1', field 'choices'.*exactly one choice.*no choice is marked"),
    (_broken("{text: B, feedback: wrong}", "{text: B, correct: true, feedback: wrong}"),
     r"question 'q1', field 'choices'.*exactly one.*2 choices are marked correct"),
    (_broken("difficulty: easy", "difficulty: tricky"),
     r"question 'q1', field 'difficulty'.*'easy', 'medium' or 'hard'.*tricky"),
    (GOOD + GOOD.split("questions:\n")[1], r"question 'q1', field 'id': questions 1 and 2 share this id"),
    (_broken("hints: [one]", "hints: one"), r"question 'q1', field 'hints'.*YAML list"),
    (_broken("type: single", "type: numeric"), r"question 'q1', field 'answer'.*needs `answer"),
    (_broken("    quick_check: A\n", ""), r"question 'q1', field 'quick_check'.*required"),
    (_broken("feedback: wrong}", "feedback: no}"), r"field 'choices.1.feedback'.*put the text in quotes"),
])
def test_malformed_bank_names_file_question_and_field(text, expected):
    with pytest.raises(CourseError, match=r"(?s)quizzes/demo\.yaml.*" + expected):
        quiz.parse_bank(text, "quizzes/demo.yaml")


def test_good_bank_parses():
    assert quiz.parse_bank(GOOD, "quizzes/demo.yaml").questions[0].id == "q1"


# ---------------------------------------------------------------- grading

Q_MULTI = BANKS["00_welcome"].question("welcome-offline")  # choices 0, 1, 3 are right
Q_NUM = BANKS["00_welcome"].question("welcome-hidden-size")
Q_SINGLE = BANKS["04_fine_tuning"].question("ft-training-arguments")  # choice 3 is right
Q_TF = BANKS["03_training_data"].question("data-any-data")


def test_grade_single_and_true_false():
    right = quiz.grade(Q_SINGLE, 3)
    assert right.correct and right.score == 1 and right.feedback == [Q_SINGLE.choices[3].feedback]
    wrong = quiz.grade(Q_SINGLE, 1)
    assert not wrong.correct and wrong.feedback == [Q_SINGLE.choices[1].feedback]
    assert quiz.grade(Q_TF, 1).correct and not quiz.grade(Q_TF, 0).correct
    assert not quiz.grade(Q_SINGLE, None).correct


def test_grade_multiple_right_wrong_and_partly_right():
    assert quiz.grade(Q_MULTI, {0, 1, 3}).correct
    assert quiz.grade(Q_MULTI, {0, 1, 3}).score == 1.0
    partly = quiz.grade(Q_MULTI, {0, 1})
    assert not partly.correct and partly.score == pytest.approx(2 / 3)
    assert "You missed 1 correct option." in partly.feedback
    mixed = quiz.grade(Q_MULTI, {0, 2})
    assert not mixed.correct and mixed.score == 0.0
    assert Q_MULTI.choices[2].feedback in mixed.feedback
    assert quiz.grade(Q_MULTI, {2}).score == 0.0
    assert not quiz.grade(Q_MULTI, set()).correct


def test_grade_numeric():
    assert quiz.grade(Q_NUM, "384").correct
    assert quiz.grade(Q_NUM, 384.0).correct
    known = quiz.grade(Q_NUM, "10")
    assert not known.correct and known.feedback == [Q_NUM.choices[0].feedback]
    assert quiz.grade(Q_NUM, "7").feedback == [Q_NUM.wrong_feedback]
    assert "not a number" in quiz.grade(Q_NUM, "lots").feedback[0]


def test_option_order_is_shuffled_deterministically_per_learner():
    for _, q in ALL:
        order = quiz.option_order(q, "ada")
        assert sorted(order) == list(range(len(q.choices)))
        assert order == quiz.option_order(q, "ada")
        if q.type == "true_false":
            assert order == [0, 1]
    shuffled = [q for _, q in ALL if len(q.choices) == 4]
    assert any(quiz.option_order(q, "ada") != quiz.option_order(q, "grace") for q in shuffled)
    assert any(quiz.option_order(q, "ada") != list(range(4)) for q in shuffled)


# ---------------------------------------------------------------- rendering

@pytest.mark.parametrize("name", sorted(BANKS))
def test_every_bank_renders_its_static_fallback(name):
    bank = BANKS[name]
    shown = quiz.Quiz(bank, learner="ada")
    bundle = shown._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" not in bundle  # no widgets built
    page = bundle["text/html"]
    assert page.count("<details>") == 2 * len(bank.questions)
    assert bank.title in page and bank.title in bundle["text/plain"]
    for q in bank.questions:
        assert quiz.md(q.prompt).strip()[:40] in page
        assert "<details><summary>Answer and worked solution</summary>" in page
    assert "```" not in page  # code blocks became <pre><code>


def test_widget_flow_feedback_hints_solution_score_and_progress(tmp_path, monkeypatch):
    monkeypatch.setenv("HFCOURSE_PROGRESS", str(tmp_path / "p.jsonl"))
    shown = quiz.Quiz(BANKS["04_fine_tuning"], learner="ada")
    box = shown.build()
    assert "hfq-quiz" in box._dom_classes
    qw = shown.questions[0]
    n = len(BANKS["04_fine_tuning"].questions)
    assert qw.show_solution.disabled and f"0 / {n} correct" in shown.score.value
    qw.choose(1)  # wrong
    qw.on_check()
    assert quiz.md(Q_SINGLE.choices[1].feedback, inline=True)[:30] in qw.feedback.value and "Not yet" in qw.feedback.value
    assert not qw.show_solution.disabled
    qw.on_hint()
    assert quiz.md(Q_SINGLE.hints[0], inline=True) in qw.hints.value
    assert quiz.md(Q_SINGLE.hints[1], inline=True) not in qw.hints.value
    qw.choose(3)  # right
    qw.on_check()
    assert "Correct" in qw.feedback.value
    qw.on_solution()
    assert "Worked solution" in qw.solution.value and "Quick check" in qw.solution.value
    assert f"1 / {n} correct · 0 on the first try · 1 attempted" in shown.score.value
    saved = progress.load()
    assert [(a.question, a.correct, a.hints_used) for a in saved] == [
        ("ft-training-arguments", False, 0), ("ft-training-arguments", True, 1)]
    assert saved[0].choice == Q_SINGLE.choices[1].text and saved[0].lesson == "04_fine_tuning"


def test_widget_multiple_and_numeric(tmp_path, monkeypatch):
    monkeypatch.setenv("HFCOURSE_PROGRESS", str(tmp_path / "p.jsonl"))
    shown = quiz.Quiz(BANKS["00_welcome"], learner="ada")
    shown.build()
    multi = next(qw for qw in shown.questions if qw.q.id == "welcome-offline")
    multi.choose({0, 1})
    assert "67%" in (multi.on_check() and multi.feedback.value)
    number = next(qw for qw in shown.questions if qw.q.id == "welcome-hidden-size")
    number.choose("384")
    assert number.on_check().correct
    assert number.feedback.value.count("Correct") == 1  # not "✔ Correct. Correct."


def test_the_answer_control_is_one_labelled_group_with_markdown_labels(tmp_path, monkeypatch):
    """One control per question (anywidget): a radio group or a group of boxes named after the
    question, with each option's Markdown rendered, and its letter, in the order shown."""
    monkeypatch.setenv("HFCOURSE_PROGRESS", str(tmp_path / "p.jsonl"))
    shown = quiz.Quiz(BANKS["02_tokenization"], learner="ada")
    shown.build()
    for n, qw in enumerate(shown.questions, start=1):
        control = qw.answer
        assert control.label.startswith(f"Question {n}: ") and "`" not in control.label
        kind = {"true_false": "single", "numeric": "number"}.get(qw.q.type, qw.q.type)
        assert control.kind == kind
        if kind == "number":
            assert control.options == []
            continue
        for pos, (label, i) in enumerate(zip(control.options, qw.order)):
            assert label.startswith(f"<b>{quiz.LETTERS[pos]}.</b> ")
            assert label.endswith(quiz.md(qw.q.choices[i].text, inline=True))
    coded = [c for q in BANKS["02_tokenization"].questions for c in q.choices if "`" in c.text]
    assert coded, "the bank has an option with code in it"
    assert any("<code>" in label for qw in shown.questions for label in qw.answer.options)


def test_enter_in_the_control_checks_the_answer(tmp_path, monkeypatch):
    monkeypatch.setenv("HFCOURSE_PROGRESS", str(tmp_path / "p.jsonl"))
    shown = quiz.Quiz(BANKS["04_fine_tuning"], learner="ada")
    shown.build()
    qw = shown.questions[0]
    qw.answer.value = [qw.order.index(3)]      # what a click (or an arrow key) sends
    qw.answer.submits += 1                      # what Enter sends
    assert "Correct" in qw.feedback.value and len(progress.load()) == 1


def test_feedback_lines_carry_the_letters_in_the_order_shown(tmp_path, monkeypatch):
    monkeypatch.setenv("HFCOURSE_PROGRESS", str(tmp_path / "p.jsonl"))
    shown = quiz.Quiz(BANKS["00_welcome"], learner="ada")
    shown.build()
    multi = next(qw for qw in shown.questions if qw.q.id == "welcome-offline")
    picked = {0, 1, 2}
    multi.choose(picked)
    multi.on_check()
    page = multi.feedback.value
    places = []
    for pos, i in enumerate(multi.order):
        if i in picked:
            line = f"{quiz.LETTERS[pos]}. {quiz.md(multi.q.choices[i].feedback, inline=True)}"
            assert line in page, line
            places.append(page.index(line))
    assert places == sorted(places)  # top to bottom, as on screen


def test_a_number_in_words_is_refused_and_not_recorded(tmp_path, monkeypatch):
    """Practice and exam alike: "three hundred" is not an attempt, so it never counts against a
    topic, and in exam mode it does not lock the question."""
    monkeypatch.setenv("HFCOURSE_PROGRESS", str(tmp_path / "p.jsonl"))
    for exam in (False, True):
        shown = quiz.Quiz(BANKS["00_welcome"], learner="ada", exam=exam)
        shown.build()
        number = next(qw for qw in shown.questions if qw.q.type == "numeric")
        number.choose("three hundred")
        result = number.on_check()
        assert result.status == "not_a_number" and not result.counts
        assert "not a number, so it was not counted" in number.feedback.value
        assert not number.answer.disabled and not number.check.disabled
    assert progress.load() == []
    assert progress.weakest_topics(progress.load()) == []


def test_hint_and_solution_stay_after_a_right_answer(tmp_path, monkeypatch):
    monkeypatch.setenv("HFCOURSE_PROGRESS", str(tmp_path / "p.jsonl"))
    shown = quiz.Quiz(BANKS["04_fine_tuning"], learner="ada")
    shown.build()
    qw = shown.questions[0]
    qw.choose(3)
    assert qw.on_check().correct
    assert not qw.reveal.hint.disabled and not qw.show_solution.disabled
    qw.on_hint()
    qw.on_solution()
    assert "Worked solution" in qw.solution.value and qw.hints.value


def test_unknown_bank_lists_the_available_ones():
    with pytest.raises(CourseError, match="00_welcome"):
        quiz.load_bank("99_nope")


def test_display_shows_widget_then_static_copy_that_the_widget_hides(monkeypatch):
    shown = quiz.Quiz(BANKS["00_welcome"], learner="ada")
    shown.build()
    sent = []
    monkeypatch.setattr("IPython.display.display", lambda obj, raw=False: sent.append(obj))
    shown._ipython_display_()
    assert "application/vnd.jupyter.widget-view+json" in sent[0]
    assert sent[0]["text/plain"].startswith("Interactive quiz")
    assert 'class="hfq-static hfq-static-fallback"' in sent[1]["text/html"]
    assert quiz.HIDE_FALLBACK_CSS in shown.widget.children[0].value
    sent.clear()
    monkeypatch.setitem(__import__("sys").modules, "google.colab", object())
    shown._ipython_display_()
    assert len(sent) == 1  # Colab renders widgets: no second copy


def test_readme_question_counts_match_the_banks():
    readme = (ROOT / "README.md").read_text()
    for name, bank in BANKS.items():
        if not bank.questions:
            continue
        c = Counter(q.difficulty for q in bank.questions)
        row = re.search(rf"\| `{name}`[^|]*\| (\d+) \| (\d+) \| (\d+) \| (\d+) \|", readme)
        assert row, f"README's quiz table lacks {name}"
        assert [int(x) for x in row.groups()] == [c["easy"], c["medium"], c["hard"], len(bank.questions)]


def _exam(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, learner: str = "ana") -> quiz.Quiz:
    monkeypatch.setenv("HFCOURSE_PROGRESS", str(tmp_path / "p.jsonl"))
    monkeypatch.setenv("HFCOURSE_EXAM", "1")
    test = quiz.Quiz(quiz.load_bank("final_test"), learner=learner)
    test.build()
    return test


def test_a_finished_exam_stays_finished_when_the_cell_runs_again(tmp_path, monkeypatch):
    """Run again, or after a kernel restart (the state is in files, not in the kernel): the test
    opens finished, with its score and verdicts, and takes no answer."""
    first = _exam(monkeypatch, tmp_path)
    qw = next(q for q in first.questions if q.q.type == "single")
    qw.choose(next(i for i, c in enumerate(qw.q.choices) if not c.correct))
    qw.on_check()
    first.finish()
    again = _exam(monkeypatch, tmp_path)
    assert again.finished and again.finish_button.disabled
    assert again.score_line().startswith("Score: 0 / 10 correct (exam mode")
    open_one = next(q for q in again.questions if q.q.id != qw.q.id)
    assert open_one.answer.disabled and "Not answered" in open_one.feedback.value
    assert open_one.on_check().status == "refused"
    other = _exam(monkeypatch, tmp_path, learner="ben")  # another learner, same machine
    assert not other.finished and not other.finish_button.disabled
    assert len(progress.finished_path().read_text().splitlines()) == 1  # saved once, not per run


def test_restored_exam_answers_show_the_option_picked(tmp_path, monkeypatch):
    first = _exam(monkeypatch, tmp_path)
    single = next(q for q in first.questions if q.q.type == "single")
    multiple = next(q for q in first.questions if q.q.type == "multiple")
    numeric = next((q for q in first.questions if q.q.type == "numeric"), None)
    picks = {single: 1, multiple: {0, 2}} | ({numeric: "12"} if numeric else {})
    for qw, pick in picks.items():
        qw.choose(pick)
        assert qw.on_check().counts
    again = _exam(monkeypatch, tmp_path)
    for qw, pick in picks.items():
        same = next(q for q in again.questions if q.q.id == qw.q.id)
        assert same.current_answer() == pick, same.q.id
        assert same.answer.disabled and "shown above, stands" in same.feedback.value


def test_after_finish_a_wrong_answer_reads_wrong_not_not_yet(tmp_path, monkeypatch):
    test = _exam(monkeypatch, tmp_path)
    qw = next(q for q in test.questions if q.q.type == "single")
    wrong = next(i for i, c in enumerate(qw.q.choices) if not c.correct)
    qw.choose(wrong)
    qw.on_check()
    assert "Wrong" not in qw.feedback.value  # no verdict before Finish
    test.finish()
    assert "✘ Wrong." in qw.feedback.value and "Not yet" not in qw.feedback.value
    assert quiz.md(qw.q.choices[wrong].feedback, inline=True)[:30] in qw.feedback.value


def test_on_colab_the_quiz_uses_core_controls_and_works_the_same(tmp_path, monkeypatch):
    """Colab draws ipywidgets' core controls for sure; the anywidget control would depend on its
    custom widget manager. Same answers, same grading, same locks; labels in plain text."""
    import sys

    import ipywidgets as w

    monkeypatch.setitem(sys.modules, "google.colab", object())
    monkeypatch.setenv("HFCOURSE_PROGRESS", str(tmp_path / "p.jsonl"))
    shown = quiz.Quiz(BANKS["00_welcome"], learner="ada")
    shown.build()
    single = next(qw for qw in shown.questions if qw.q.type == "single")
    assert isinstance(single.answer.widget.children[0], w.RadioButtons)
    labels = [label for label, _ in single.answer.widget.children[0].options]
    assert labels[0].startswith("A. ") and not any("<" in t or "`" in t for t in labels)
    single.choose(next(iter(single.q.correct_indices())))
    assert single.on_check().correct
    multi = next(qw for qw in shown.questions if qw.q.type == "multiple")
    multi.choose(multi.q.correct_indices())
    assert multi.current_answer() == multi.q.correct_indices() and multi.on_check().correct
    number = next(qw for qw in shown.questions if qw.q.type == "numeric")
    number.choose(number.q.answer_text())
    assert number.on_check().correct
    number.lock()
    assert number.answer.disabled and number.answer.widget.children[0].disabled
    assert "anywidget" not in type(single.answer).__module__


def test_exam_restore_bug_a_named_learner_gets_back_their_own_answers(tmp_path, monkeypatch):
    """#27's exam restore bug: with Quiz(learner="ana") on a machine whose own id is someone else's,
    the answers must be saved under "ana" and restored for "ana", not under the machine's id."""
    monkeypatch.setenv("HFCOURSE_LEARNER", "machine-id")
    first = _exam(monkeypatch, tmp_path, learner="ana")
    qw = next(q for q in first.questions if q.q.type == "single")
    qw.choose(1)
    assert qw.on_check().counts
    assert {a.learner for a in progress.load()} == {"ana"}
    again = _exam(monkeypatch, tmp_path, learner="ana")
    same = next(q for q in again.questions if q.q.id == qw.q.id)
    assert same.current_answer() == 1 and same.answer.disabled
    machine = quiz.Quiz(quiz.load_bank("final_test"))   # the machine's id ("machine-id"): not ana's answers
    machine.build()
    assert machine.learner == "machine-id"
    assert not next(q for q in machine.questions if q.q.id == qw.q.id).answer.disabled


def test_every_option_of_every_course_bank_has_an_id_unique_in_its_question():
    for name, q in ALL:
        ids = [c.id for c in q.choices]
        assert None not in ids, f"{name}/{q.id}: every option needs an `id:` (answers are saved under it)"
        assert len(set(ids)) == len(ids), f"{name}/{q.id}: option ids repeat"


def test_a_repeated_option_id_names_the_question_and_the_fix():
    bank = (ROOT / "quizzes" / "00_welcome.yaml").read_text(encoding="utf-8")
    with pytest.raises(CourseError, match=r"(?s)choices.*option id\(s\) a appear twice"):
        helpers.assessment.schema.parse_bank(bank.replace("      - id: b\n", "      - id: a\n", 1),
                                             "00_welcome.yaml")


def _reworded(question, reverse: bool = True):
    """``question`` after an edit of its wording: every option's text changed, order reversed."""
    choices = [c.model_copy(update={"text": c.text + " (reworded)"}) for c in question.choices]
    return question.model_copy(update={"choices": choices[::-1] if reverse else choices})


def test_option_text_history_bug_a_reworded_option_keeps_its_answers(tmp_path, monkeypatch):
    """#27's option-text history bug: answers were saved as the options' text and read back by
    matching today's text, so rewording an option lost its history. Now they are saved with the
    options' ids and read back by id, wherever the option moved."""
    from helpers.assessment import recording

    monkeypatch.setenv("HFCOURSE_PROGRESS", str(tmp_path / "p.jsonl"))
    q = next(q for _, q in ALL if q.type == "multiple" and len(q.choices) >= 3)
    result = quiz.grade(q, {0, 2})
    saved = recording.record(result, kind="quiz", lesson="x", item=q.id, topic=q.topic,
                             difficulty=q.difficulty, hints_used=0, question=q)
    (loaded,) = progress.load()
    assert loaded.option_ids == [q.choices[0].id, q.choices[2].id] == saved.option_ids
    assert loaded.picked == [0, 2] and loaded.choice == result.choice
    edited = _reworded(q)
    last = len(q.choices) - 1
    assert recording.picked_indices(loaded, edited) == [last - 2, last]   # the same options
    # A record from before ids (text only) is matched by text: found while the text is the
    # same, and lost once it is reworded, which is the bug the ids fix.
    old = progress.Attempt(**{**loaded.__dict__, "option_ids": [], "picked": []})
    assert recording.picked_indices(old, q) == [0, 2]
    assert recording.picked_indices(old, _reworded(q, reverse=False)) == []


def test_the_class_report_counts_answers_by_option_id_after_a_rewording(tmp_path, monkeypatch):
    """The report's distractor counts follow the option ids through an edited bank."""
    from helpers import classreport, handin
    from helpers.assessment import recording

    monkeypatch.setenv("HFCOURSE_PROGRESS", str(tmp_path / "p.jsonl"))
    monkeypatch.setenv("HFCOURSE_LEARNER", "ana")
    bank = BANKS["01_pretrained_models"]
    q = next(q for q in bank.questions if q.type == "single")
    wrong = next(i for i, c in enumerate(q.choices) if not c.correct)
    recording.record(quiz.grade(q, wrong), kind="quiz", lesson=bank.lesson, item=q.id,
                     topic=q.topic, difficulty=q.difficulty, hints_used=0, question=q)
    handin.export(tmp_path / "handins" / "ana.json")
    text = (ROOT / "quizzes" / "01_pretrained_models.yaml").read_text(encoding="utf-8")
    old_text = q.choices[wrong].text
    edited = tmp_path / "quizzes"
    edited.mkdir()
    for path in (ROOT / "quizzes").glob("*.yaml"):
        (edited / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (edited / "01_pretrained_models.yaml").write_text(
        text.replace(f"text: {old_text}\n", f"text: {old_text} (reworded)\n", 1)
        if f"text: {old_text}\n" in text else
        text.replace(f'text: "{old_text}"\n', f'text: "{old_text} (reworded)"\n', 1), encoding="utf-8")
    monkeypatch.setenv("HFCOURSE_QUIZZES", str(edited))
    assert quiz.load_bank("01_pretrained_models").question(q.id).choices[wrong].text == old_text + " (reworded)"
    report = classreport.build([tmp_path / "handins"])
    counts = {d.option: d.picked for d in report.distractors() if d.question == q.id}
    assert counts[old_text + " (reworded)"] == 1 and sum(counts.values()) == 1
