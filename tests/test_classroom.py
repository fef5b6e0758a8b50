"""The classroom: learner ids, hand-in files, the class report on a simulated class of 30, the
answer key, and exam mode for the final test."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path

import pytest
import simulated_class

from helpers import answerkey, classpage, classreport, cli, exercises, handin, progress, quiz
from helpers import exam as exam_mode
from helpers.assessment import recording
from helpers.assessment.render import md


@pytest.fixture()
def learner_env(tmp_path, monkeypatch):
    monkeypatch.setenv("HFCOURSE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("HFCOURSE_PROGRESS", str(tmp_path / "progress.jsonl"))
    monkeypatch.delenv("HFCOURSE_LEARNER", raising=False)
    monkeypatch.delenv("HFCOURSE_EXAM", raising=False)
    return tmp_path


def _attempt(question: str = "q1", correct: bool = True, **extra) -> progress.Attempt:
    return progress.Attempt(lesson="00_welcome", question=question, choice="x", correct=correct,
                            score=float(correct), hints_used=0, timestamp=progress.now(), **extra)


# --------------------------------------------------------------------------- learner identity


def test_whoami_sets_the_id_and_the_variable_wins(learner_env, monkeypatch, capsys):
    assert progress.learner_id() == progress.login_name()
    assert cli.main(["whoami", "--set", "ana.lopez"]) == 0
    assert progress.learner_id() == "ana.lopez"
    cli.main(["whoami"])
    assert "ana.lopez (saved by `hfcourse whoami --set`)" in capsys.readouterr().out
    monkeypatch.setenv("HFCOURSE_LEARNER", "lab-07")
    assert progress.learner_id() == "lab-07"
    cli.main(["whoami", "--set", "ana"])
    assert "HFCOURSE_LEARNER=lab-07 is set" in capsys.readouterr().out


@pytest.mark.parametrize("bad", ["", "  ", "a\nb", "x" * 65, "-dash-first", "semi;colon"])
def test_a_bad_learner_id_is_refused_with_the_rule(learner_env, capsys, bad):
    assert cli.main(["whoami", f"--set={bad}"]) == 2
    assert "can't be a learner id: use 1 to 64 letters" in capsys.readouterr().err


def test_every_record_carries_the_learner_the_version_and_an_id(learner_env, monkeypatch):
    monkeypatch.setenv("HFCOURSE_LEARNER", "ana")
    progress.record(_attempt())
    progress.record(_attempt())
    first, second = progress.load()
    assert first.learner == "ana" and first.course_version == progress.course_version()
    assert first.course_version not in ("", "unknown")
    assert first.attempt_id and first.attempt_id != second.attempt_id and first.exam is False


def test_old_records_without_an_id_are_one_unknown_learner(learner_env, monkeypatch):
    old = {"lesson": "00_welcome", "question": "q1", "choice": "x", "correct": True, "score": 1.0,
           "hints_used": 0, "timestamp": "2026-09-01T10:00:00+00:00", "topic": "t", "difficulty": "easy"}
    (learner_env / "progress.jsonl").write_text(
        json.dumps(old) + "\n" + json.dumps({**old, "question": "q2", "correct": False}) + "\n")
    monkeypatch.setenv("HFCOURSE_LEARNER", "ana")
    progress.record(_attempt("q3"))
    assert len(progress.load()) == 3  # read, never dropped
    path = handin.export(learner_env / "ana.json")
    report = classreport.build([path])
    assert sorted(report.learners) == [handin.UNKNOWN, "ana"]
    assert len(report.learners[handin.UNKNOWN]) == 2 and len(report.learners["ana"]) == 1


# --------------------------------------------------------------------------- hand-in files


def test_export_reads_back_and_says_what_it_is(learner_env, monkeypatch, capsys):
    monkeypatch.setenv("HFCOURSE_LEARNER", "ana")
    for i in range(3):
        progress.record(_attempt(f"q{i}", correct=i != 1))
    monkeypatch.setenv("HFCOURSE_LEARNER", "ben")  # a second learner on the same machine
    progress.record(_attempt("q9"))
    monkeypatch.setenv("HFCOURSE_LEARNER", "ana")
    assert cli.main(["progress", "--export", str(learner_env / "out" / "ana.json")]) == 0
    assert "3 attempt(s) of learner 'ana'" in capsys.readouterr().out
    data = json.loads((learner_env / "out" / "ana.json").read_text())
    assert data["format"] == "hfcourse-handin" and data["learner"] == "ana"
    assert len(data["sha256"]) == 64 and data["course_version"] == progress.course_version()
    found = handin.read(learner_env / "out" / "ana.json")
    assert [a.question for a in found.attempts] == ["q0", "q1", "q2"]
    assert not list((learner_env / "out").glob("*.part"))
    monkeypatch.chdir(learner_env / "out")
    assert cli.main(["progress", "--export"]) == 0  # no name: the learner's own, here
    assert handin.read(learner_env / "out" / "ana.json").learner == "ana"
    assert "wrote ana.json" in capsys.readouterr().out


def test_exporting_or_merging_twice_never_double_counts(learner_env, monkeypatch):
    monkeypatch.setenv("HFCOURSE_LEARNER", "ana")
    progress.record(_attempt("q1", correct=False))
    first = handin.export(learner_env / "a" / "ana.json")
    progress.record(_attempt("q1"))
    second = handin.export(learner_env / "b" / "ana.json")
    report = classreport.build([first, second, second])
    assert report.attempts == 2
    (row,) = [r for r in report.rows() if r.lesson == "00_welcome"]
    assert (row.quiz_attempted, row.quiz_first_try, row.quiz_solved, row.attempts) == (1, 0, 1, 2)
    assert len(report.merged) == 1 and "an export made twice" in report.merged[0]


def test_two_people_under_one_id_are_merged_and_the_conflict_reported(learner_env, monkeypatch):
    monkeypatch.setenv("HFCOURSE_LEARNER", "lab-pc")
    progress.record(_attempt("q1"))
    one = handin.export(learner_env / "one.json")
    monkeypatch.setenv("HFCOURSE_PROGRESS", str(learner_env / "other.jsonl"))
    progress.record(_attempt("q2"))
    two = handin.export(learner_env / "two.json")
    report = classreport.build([one, two])
    assert report.attempts == 2 and list(report.learners) == ["lab-pc"]
    (note,) = report.merged
    assert "lab-pc" in note and "one.json" in note and "two.json" in note and "CONFLICT" in note


def _good_file(learner_env, monkeypatch):
    monkeypatch.setenv("HFCOURSE_LEARNER", "ana")
    progress.record(_attempt("q1"))
    return handin.export(learner_env / "ana.json")


@pytest.mark.parametrize("spoil, reason", [
    (lambda p: p.write_bytes(b"\xff\xfe\x00garbage"), "not a text file"),
    (lambda p: p.write_text(p.read_text()[:40]), "truncated"),
    (lambda p: p.write_text("{not json}"), "corrupt, not JSON"),
    (lambda p: p.write_text('{"lesson": "00_welcome"}\n{"lesson": "x"}\n'), "a progress file, not a hand-in"),
    (lambda p: p.write_text(json.dumps({"format": "something-else"})), 'field "format" must be'),
    (lambda p: p.write_text(p.read_text().replace('"correct": true', '"correct": false')),
     'field "sha256" does not match'),
    (lambda p: p.write_text(p.read_text().replace(f'"format_version": {handin.FORMAT_VERSION}', '"format_version": 9')),
     'field "format_version" is 9'),
])
def test_a_bad_hand_in_names_the_file_the_reason_and_the_fix(learner_env, monkeypatch, spoil, reason):
    path = _good_file(learner_env, monkeypatch)
    spoil(path)
    with pytest.raises(handin.HandInError) as err:
        handin.read(path)
    message = str(err.value)
    assert str(path) in message and reason in message
    assert "export" in message or "update the course" in message


def test_a_hand_in_with_a_broken_attempt_names_the_field(learner_env, monkeypatch):
    path = _good_file(learner_env, monkeypatch)
    data = json.loads(path.read_text())
    del data["sha256"], data["attempts"][0]["question"]
    path.write_text(json.dumps({**data, "sha256": handin.checksum(data)}))
    with pytest.raises(handin.HandInError, match="attempt 1 lacks field.s. question"):
        handin.read(path)


def test_class_report_of_a_missing_path_says_what_to_give(learner_env, capsys):
    assert cli.main(["class-report", str(learner_env / "nowhere"), "--out", str(learner_env)]) == 2
    assert "no such file or folder" in capsys.readouterr().err


# --------------------------------------------------------------------------- the simulated class


@pytest.fixture(scope="module")
def simulated(tmp_path_factory):
    root = tmp_path_factory.mktemp("class")
    bad = simulated_class.make_class(root, learners=30, bad=3)
    return root, bad


def _expected(log: list[dict]) -> dict[str, dict[str, int]]:
    """Per lesson, straight from one learner's own answer log."""
    out: dict[str, dict[str, int]] = defaultdict(lambda: Counter())
    tries: dict[tuple[str, str, str], list[bool]] = defaultdict(list)
    for row in log:
        tries[(row["kind"], row["lesson"], row["item"])].append(row["correct"])
        out[row["lesson"]]["attempts"] += 1
    for (kind, lesson, _), results in tries.items():
        out[lesson][f"{kind}_attempted"] += 1
        out[lesson][f"{kind}_solved"] += any(results)
        out[lesson][f"{kind}_first_try"] += results[0]
    return out


def test_the_report_counts_exactly_the_good_learners_and_names_the_bad_files(simulated, tmp_path, capsys):
    root, bad = simulated
    code = cli.main(["class-report", str(root / "handins"), "--out", str(tmp_path / "report")])
    assert code == 0
    printed = capsys.readouterr()
    assert "30 learner(s)" in printed.out and "from 30 of 33 file(s)" in printed.out
    report = classreport.build([root / "handins"])
    log = simulated_class.answers(root)
    assert sorted(report.learners) == sorted(log)
    assert report.attempts == sum(len(v) for v in log.values())
    assert len(report.warnings) == 3
    for kind, reason in (("corrupt", "not a text file"), ("truncated", "truncated"),
                         ("tampered", 'field "sha256" does not match')):
        (warning,) = [w for w in report.warnings if bad[kind].name in w]
        assert reason in warning, warning
        assert bad[kind].name in printed.err
    assert not report.merged


def test_the_report_figures_match_a_direct_computation(simulated):
    root, _ = simulated
    report = classreport.build([root / "handins"])
    log = simulated_class.answers(root)
    rows = {(r.learner, r.lesson): r for r in report.rows()}
    for learner, answers in log.items():
        for lesson, want in _expected(answers).items():
            row = rows[(learner, lesson)]
            got = {"attempts": row.attempts, "quiz_attempted": row.quiz_attempted,
                   "quiz_first_try": row.quiz_first_try, "quiz_solved": row.quiz_solved,
                   "exercise_attempted": row.exercise_attempted,
                   "exercise_solved": row.exercise_solved}
            assert got == {k: want.get(k, 0) for k in got}, (learner, lesson)
            stamps = sorted(datetime.fromisoformat(a["time"]) for a in answers if a["lesson"] == lesson)
            if len(stamps) > 1:
                gaps = [(b - a).total_seconds() for a, b in zip(stamps, stamps[1:])]
                assert row.minutes == round(sum(min(g, 600) for g in gaps) / 60, 1)
    # Completion: a learner who attempted every question and exercise of the lesson.
    sizes = {**{k: [v, 0] for k, v in quiz.bank_sizes().items()}}
    for lesson, n in exercises.set_sizes().items():
        sizes.setdefault(lesson, [0, 0])[1] = n
    for lesson, rate in report.completion().items():
        done = sum(_expected(a)[lesson].get("quiz_attempted", 0) == sizes[lesson][0]
                   and _expected(a)[lesson].get("exercise_attempted", 0) == sizes[lesson][1]
                   for a in log.values())
        assert rate == done / 30, lesson
    # Distractors: every wrong quiz answer, counted per option picked.
    wrong = Counter((a["lesson"], a["item"], a["choice"]) for answers in log.values()
                    for a in answers if a["kind"] == "quiz" and not a["correct"])
    counted = {(d.lesson, d.question, d.option): d.picked for d in report.distractors()
               if not d.correct}
    for (lesson, item, choice), count in wrong.items():
        if quiz.load_bank(lesson).question(item).type != "multiple":  # one option per answer
            assert counted[(lesson, item, choice)] == count
    multiple = [q for name in quiz.bank_names() for q in quiz.load_bank(name).questions
                if q.type == "multiple"]
    for q in multiple:  # the grader's own joining of the picked options reads back whole
        texts = [c.text for c in q.choices]
        assert recording.migrate_text("; ".join(texts[1:]), q) == list(range(1, len(texts)))
    # Mistakes: every exercise failure that carried a known mistake.
    mistakes = Counter((a["lesson"], a["item"], a["mistake"]) for answers in log.values()
                       for a in answers if a["kind"] == "exercise" and a["mistake"])
    assert {m[:3]: m[3] for m in report.mistakes()} == dict(mistakes)


def test_the_policy_makes_flagged_distractors_and_the_csv_agrees(simulated, tmp_path):
    root, _ = simulated
    report = classreport.build([root / "handins"])
    flagged = [d for d in report.distractors() if d.flagged]
    assert flagged, "the policy sends 70% of wrong picks to one option: some must be flagged"
    for d in flagged:
        assert d.share > 0.5 and d.wrong_answers >= classreport.MIN_WRONG and not d.correct
    csv_path, html_path = classpage.write(report, tmp_path)
    lines = list(csv.DictReader(io.StringIO(csv_path.read_text())))
    totals = {r["learner"]: r for r in lines if r["lesson"] == "TOTAL"}
    assert len(totals) == 30
    for learner, (score, items) in report.totals().items():
        assert (int(totals[learner]["score"]), int(totals[learner]["items"])) == (score, items)
    page = html_path.read_text()
    assert page.count("<img class=\"plot\"") == 3 and "data:image/png;base64," in page
    assert "<script" not in page.lower() and not re.search(r"(src|href)=['\"]https?:", page)
    assert "possibly misleading" in page and "learner-29" in page


# --------------------------------------------------------------------------- answer key


def test_the_answer_key_has_every_question_exercise_and_correct_choice(tmp_path):
    text = answerkey.write(tmp_path / "key.md").read_text()
    for name in quiz.bank_names():
        bank = quiz.load_bank(name)
        assert f"### Quiz: {bank.title}" in text
        for q in bank.questions:
            assert f"`{q.id}`" in text
            for c in q.choices:
                if c.correct:
                    assert f"✔ **correct** {c.text}" in text, (q.id, c.text)
            if q.type == "numeric":
                assert f"**Answer: {q.answer_text()}**" in text
    for ex_id, (_, d) in exercises.definitions().items():
        assert f"`{ex_id}`" in text and d.solution.strip().splitlines()[0] in text
        for a in d.accepted:  # the other correct styles are in the key too
            assert a.code.rstrip() in text and a.style.strip() in text, (ex_id, a.style)
        for c in d.cases:
            assert f"- {c.property}" in text, (ex_id, c.property)
    page = answerkey.write(tmp_path / "key.html").read_text()
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page and "<h2>04_fine_tuning</h2>" in page


# --------------------------------------------------------------------------- exam mode


def test_exam_mode_is_switched_by_the_variable_or_a_teacher_file(learner_env, monkeypatch):
    monkeypatch.chdir(learner_env)
    assert not exam_mode.exam_mode()
    (learner_env / exam_mode.EXAM_FILE).write_text("")
    assert exam_mode.switched_on_by() == str(learner_env / exam_mode.EXAM_FILE)
    assert exam_mode.applies_to("final_test") and not exam_mode.applies_to("04_fine_tuning")
    monkeypatch.setenv("HFCOURSE_EXAM", "0")
    assert not exam_mode.exam_mode()
    (learner_env / exam_mode.EXAM_FILE).unlink()
    monkeypatch.setenv("HFCOURSE_EXAM", "1")
    assert exam_mode.switched_on_by() == "HFCOURSE_EXAM"


def test_exam_mode_hides_help_takes_one_answer_and_marks_the_records(learner_env, monkeypatch):
    pytest.importorskip("ipywidgets")
    monkeypatch.setenv("HFCOURSE_EXAM", "1")
    monkeypatch.setenv("HFCOURSE_LEARNER", "ana")
    test = quiz.Quiz(quiz.load_bank("final_test"))
    assert test.exam
    test.build()
    q1, q2 = [qw for qw in test.questions if qw.q.type == "single"][:2]
    for qw in test.questions:
        assert qw.reveal.hint not in qw.box.children[-2].children  # no Hint, no Solution
        assert qw.check.description == "Submit"
    wrong = next(i for i, c in enumerate(q1.q.choices) if not c.correct)
    q1.choose(wrong)
    first = q1.on_check()
    assert first.counts and "Answer recorded" in q1.feedback.value and "Not yet" not in q1.feedback.value
    assert q1.answer.disabled and q1.check.disabled
    q1.choose(next(iter(q1.q.correct_indices())))
    second = q1.on_check()
    assert second.status == "refused" and "first answer is final" in q1.feedback.value
    q1.on_hint()
    q1.on_solution()
    assert q1.reveal.shown == 0 and q1.reveal.solution.value == ""
    assert "Exam mode: 1 / 10 answered" in test.score_line()
    saved = progress.load()
    assert len(saved) == 1 and saved[0].exam is True and saved[0].correct is False
    line = test.finish()
    assert line.startswith("Score: 0 / 10 correct (exam mode")
    assert "Wrong." in q1.feedback.value and "Not answered" in q2.feedback.value
    assert q2.answer.disabled and test.finish_button.disabled
    static = test._repr_mimebundle_()
    for q in test.bank.questions:
        assert q.hints[0] not in static["text/html"] and q.quick_check not in static["text/markdown"]
    assert "Exam mode: no hints or answers here" in static["text/html"]


def test_without_exam_mode_the_final_test_keeps_its_hints(learner_env):
    pytest.importorskip("ipywidgets")
    test = quiz.Quiz(quiz.load_bank("final_test"))
    assert not test.exam
    test.build()
    assert test.questions[0].check.description == "Check"
    assert "<details><summary>Hints</summary>" in test._repr_mimebundle_()["text/html"]


def test_a_private_bank_replaces_the_shipped_one(tmp_path, monkeypatch):
    """README: a teacher who needs more than exam mode keeps a private bank elsewhere."""
    import shutil

    private = tmp_path / "private"
    shutil.copytree(quiz.quiz_dir(), private)
    text = (private / "final_test.yaml").read_text()
    (private / "final_test.yaml").write_text(text.replace("title: ", "title: Private · ", 1))
    monkeypatch.setenv("HFCOURSE_QUIZZES", str(private))
    assert quiz.load_bank("final_test").title.startswith("Private · ")


def test_my_scores_leave_out_other_learners_on_a_shared_progress_file(learner_env, monkeypatch):
    from helpers import scores

    monkeypatch.setenv("HFCOURSE_LEARNER", "ana")
    progress.record(_attempt("q1"))
    monkeypatch.setenv("HFCOURSE_LEARNER", "ben")
    progress.record(_attempt("q2"))
    progress.record(_attempt("q3"))
    monkeypatch.setenv("HFCOURSE_LEARNER", "ana")
    (row,) = [r for r in scores.overview().quizzes if r.lesson == "00_welcome"]
    assert row.attempts == 1


def test_exam_answers_stay_final_when_the_cell_runs_again(learner_env, monkeypatch):
    pytest.importorskip("ipywidgets")
    monkeypatch.setenv("HFCOURSE_EXAM", "1")
    monkeypatch.setenv("HFCOURSE_LEARNER", "ana")
    first = quiz.Quiz(quiz.load_bank("final_test"))
    first.build()
    qw = next(q for q in first.questions if q.q.type == "single")
    qw.choose(next(iter(qw.q.correct_indices())))
    assert qw.on_check().correct
    again = quiz.Quiz(quiz.load_bank("final_test"))  # the learner runs the cell again
    again.build()
    same = next(q for q in again.questions if q.q.id == qw.q.id)
    assert same.answer.disabled and "Answered earlier in exam mode" in same.feedback.value
    assert same.on_check().status == "refused"
    assert "Exam mode: 1 / 10 answered" in again.score_line()
    monkeypatch.setenv("HFCOURSE_LEARNER", "ben")  # another learner on the same machine
    other = quiz.Quiz(quiz.load_bank("final_test"))
    other.build()
    assert not any(q.answer.disabled for q in other.questions if q.q.type != "multiple")
    assert len(progress.load()) == 1


def test_learners_sharing_a_cache_keep_their_own_ids(learner_env, monkeypatch):
    monkeypatch.setenv("HFCOURSE_PROGRESS", str(learner_env / "ana" / "progress.jsonl"))
    progress.set_learner("ana")
    monkeypatch.setenv("HFCOURSE_PROGRESS", str(learner_env / "ben" / "progress.jsonl"))
    progress.set_learner("ben")
    assert progress.learner_id() == "ben"
    monkeypatch.setenv("HFCOURSE_PROGRESS", str(learner_env / "ana" / "progress.jsonl"))
    assert progress.learner_id() == "ana"
    assert progress.learner_file() == learner_env / "ana" / "progress.jsonl.learner"


# --------------------------------------------------------------------------- forgiving teacher flow


ROOT = Path(__file__).resolve().parent.parent


def _hand_in_cell() -> str:
    nb = json.loads((ROOT / "lessons" / "07_final_test.ipynb").read_text(encoding="utf-8"))
    (cell,) = [c for c in nb["cells"]
               if c["cell_type"] == "code" and "handin.export" in "".join(c["source"])]
    assert cell["execution_count"] is None and cell["outputs"] == []
    return "".join(cell["source"])


def test_a_hand_in_is_named_after_its_learner(learner_env, monkeypatch):
    monkeypatch.chdir(learner_env)
    for name, file in (("ana.lopez", "ana.lopez.json"), ("Ben Okafor", "Ben-Okafor.json"),
                       ("../lab/pc 3", "lab-pc-3.json"), ("José", "José.json")):
        monkeypatch.setenv("HFCOURSE_LEARNER", name)
        progress.record(_attempt())
        path = handin.export()
        assert path == handin.default_path() == handin.FOLDER / file
        assert handin.read(path).learner == name and len(handin.read(path).attempts) == 1
    assert len(list(handin.FOLDER.glob("*.json"))) == 4  # nobody's file overwrote another's


def test_lesson_07_writes_the_learner_s_own_file_and_says_where(learner_env, monkeypatch, capsys):
    import helpers

    monkeypatch.chdir(learner_env)
    monkeypatch.setenv("HFCOURSE_LEARNER", "ana.lopez")
    progress.record(_attempt())
    source = _hand_in_cell()
    assert "hand-in.json" not in source and "handin.export()" in source
    exec(source, {"helpers": helpers})  # noqa: S102 - the committed cell, as a learner runs it
    written = learner_env / "output" / "07_final_test" / "ana.lopez.json"
    assert written.is_file() and f"Wrote {written}: 1 attempts" in capsys.readouterr().out


def test_the_report_searches_subfolders_and_leaves_hidden_files_out(simulated, tmp_path, capsys):
    root, bad = simulated
    nested = simulated_class.nest_handins(root, tmp_path / "class-drive")
    assert not list(nested.glob("*.json")), "every hand-in is in a subfolder"
    assert cli.main(["class-report", str(nested), "--out", str(tmp_path / "report")]) == 0
    printed = capsys.readouterr()
    assert f"searched {nested} and all subfolders for *.json" in printed.out
    assert "30 learner(s)" in printed.out and "from 30 of 33 file(s)" in printed.out
    report = classreport.build([nested])
    assert sorted(report.learners) == sorted(simulated_class.answers(root))
    assert len(report.warnings) == 3 and not any("._learner-00" in w for w in report.warnings)
    assert all(path.name in printed.err for path in bad.values())


@pytest.mark.parametrize("layout", ["empty", "other files only"])
def test_no_hand_in_found_fails_naming_the_folder_the_pattern_and_the_fix(tmp_path, capsys, layout):
    handins = tmp_path / "handins"
    (handins / "ana").mkdir(parents=True)
    if layout == "other files only":
        (handins / "ana" / "notes.txt").write_text("my hand-in is on its way")
        (handins / ".ipynb_checkpoints").mkdir()
        (handins / ".ipynb_checkpoints" / "old.json").write_text("{}")  # hidden: not searched
    out = tmp_path / "report"
    assert cli.main(["class-report", str(handins), "--out", str(out)]) == 2
    message = capsys.readouterr().err
    assert message.startswith("hfcourse: no hand-in files found")
    assert f"searched {handins} and all its subfolders for files named *.json" in message
    assert "hfcourse progress --export" in message and "output/07_final_test/" in message
    assert "point the report at the folder that holds the files" in message
    assert not out.exists(), "no empty report is written"


def test_no_readable_hand_in_fails_with_each_file_s_reason(tmp_path, capsys):
    (tmp_path / "handins" / "ben").mkdir(parents=True)
    (tmp_path / "handins" / "ana.json").write_text("{not json}")
    (tmp_path / "handins" / "ben" / "ben.json").write_text('{"format": "something-else"}')
    assert cli.main(["class-report", str(tmp_path / "handins"), "--out", str(tmp_path / "r")]) == 2
    message = capsys.readouterr().err
    assert "none of the 2 file(s) found is a readable hand-in file" in message
    assert "ana.json: corrupt, not JSON" in message and 'ben.json: not a hand-in file' in message
    assert not (tmp_path / "r").exists()


@pytest.fixture(scope="module")
def simulated_page(simulated) -> tuple[classreport.Report, str]:
    report = classreport.build([simulated[0] / "handins"])
    return report, classpage.to_html(report)


def _section(page: str, css: str) -> str:
    """The HTML of the table of class ``css``."""
    return page.split(f'<table class="{css}">')[1].split("</table>")[0]


def _outside_code_blocks(html_text: str) -> str:
    """HTML without its code blocks (a backtick in code is code, not unrendered Markdown)."""
    return re.sub(r"<pre>.*?</pre>", "", html_text, flags=re.S)


def test_every_table_scrolls_inside_its_own_box(simulated_page):
    _, page = simulated_page
    tables = re.findall(r'<table class="(\w+)">', page)
    assert set(tables) >= {"scores", "completion", "hardest", "distractors", "mistakes", "time"}
    wrapped = re.findall(r'<div class="scroll" role="region" tabindex="0" '
                         r'aria-labelledby="(\w+)-caption"><table class="(\w+)">', page)
    assert [t for _, t in wrapped] == tables and all(a == b for a, b in wrapped)
    assert page.count("</table></div>") == len(tables)
    style = re.search(r"\.scroll\{([^}]*)\}", page).group(1)
    assert "overflow-x:auto" in style and "max-width:100%" in style
    assert re.search(r"body\{[^}]*max-width:75em", page), "the page is no wider than the window"


def test_the_report_is_accessible_in_its_markup(simulated_page):
    _, page = simulated_page
    assert "<html lang='en'>" in page and "<main>" in page and page.count("<h1>") == 1
    for css in re.findall(r'<table class="(\w+)">', page):
        table = page.split(f'<table class="{css}">')[1].split("</table>")[0]
        assert table.startswith(f'<caption id="{css}-caption">'), css
        assert not re.search(r"<th(?! scope=\"(col|row|rowgroup)\")[ >]", table), css
    alts = re.findall(r'<img class="plot" alt="([^"]*)"', page)
    assert len(alts) == 3 and all(len(a) > 30 for a in alts)
    assert "Histogram of course totals of 30 learners" in alts[1]


def _learner_axes(fig) -> list:
    """The axes of a figure that count learners (their label says learners, not a percentage)."""
    return [axis for ax in fig.axes for axis in (ax.xaxis, ax.yaxis)
            if "learners" in axis.get_label_text() and "%" not in axis.get_label_text()]


@pytest.mark.parametrize("learners", [1, 3, 30])
def test_charts_count_learners_in_whole_numbers(learner_env, monkeypatch, learners):
    for i in range(learners):
        monkeypatch.setenv("HFCOURSE_LEARNER", f"l{i}")
        progress.record(_attempt("welcome-purpose", correct=i % 2 == 0))
        handin.export(learner_env / "handins" / f"l{i}.json")
    report = classreport.build([learner_env / "handins"])
    figures = [classpage.completion_figure(report), classpage.totals_figure(report),
               classpage.hardest_figure(report)]
    counting = [axis for fig in figures for axis in _learner_axes(fig)]
    assert counting, "the course totals count learners"
    for axis in counting:
        axis.figure.canvas.draw()
        low, high = sorted(axis.get_view_interval())
        shown = [t.get_text() for t in axis.get_ticklabels() if low <= t.get_position()[1] <= high]
        assert shown and all(re.fullmatch(r"\d+", t) for t in shown), shown


def test_mistakes_show_the_check_s_words_with_the_id_small(simulated_page):
    report, page = simulated_page
    table = _section(page, "mistakes")
    said = {(ex.id, m.id): m.feedback for _, ex in exercises.definitions().values()
            for m in ex.mistakes}
    assert report.mistakes()
    for _, exercise, mistake, _, _ in report.mistakes()[:20]:
        assert md(said[(exercise, mistake)]).strip() in table, mistake
        assert f'<span class="id">{mistake}</span>' in table
    assert "<code>" in table and "`" not in _outside_code_blocks(table)


def test_questions_and_options_are_shown_as_markdown_not_backticks(simulated_page):
    _, page = simulated_page
    table = _section(page, "distractors")
    assert "`" not in _outside_code_blocks(table) and "<code>" in table
    options = [c.text for name in quiz.bank_names() for q in quiz.load_bank(name).questions
               for c in q.choices if "`" in c.text]
    assert any(md(o, inline=True) in table for o in options)
    prompts = [q.prompt for name in quiz.bank_names() for q in quiz.load_bank(name).questions]
    assert sum(md(p).strip() in table for p in prompts) > 10
    assert "`" not in _outside_code_blocks(_section(page, "hardest"))
