"""Progress: every attempt saved, concurrent kernels lose nothing, a damaged file is survived."""

from __future__ import annotations

import multiprocessing as mp
import os

import pytest

from helpers import cli, progress


def _attempt(i: int, lesson: str = "00_welcome", correct: bool = True, topic: str = "t") -> progress.Attempt:
    return progress.Attempt(lesson=lesson, question=f"q{i % 5}", choice=f"choice {i}",
                            correct=correct, score=float(correct), hints_used=i % 3,
                            timestamp=progress.now(), topic=topic, difficulty="easy")


def _writer(path: str, worker: int, n: int) -> None:
    for i in range(n):
        progress.record(_attempt(worker * 1000 + i, lesson=f"w{worker}"), path=__import__("pathlib").Path(path))


@pytest.fixture()
def progress_file(tmp_path, monkeypatch):
    path = tmp_path / "progress.jsonl"
    monkeypatch.setenv("HFCOURSE_PROGRESS", str(path))
    return path


def test_location_comes_from_the_env_var(progress_file, monkeypatch, tmp_path):
    assert progress.progress_path() == progress_file
    monkeypatch.delenv("HFCOURSE_PROGRESS")
    monkeypatch.setenv("HFCOURSE_CACHE", str(tmp_path / "cache"))
    assert progress.progress_path() == tmp_path / "cache" / "progress.jsonl"


def test_every_field_of_an_attempt_is_saved(progress_file):
    progress.record(_attempt(7, correct=False))
    (saved,) = progress.load()
    assert saved.question == "q2" and saved.choice == "choice 7" and saved.correct is False
    assert saved.hints_used == 1 and saved.timestamp.endswith("+00:00")


def test_concurrent_writers_lose_nothing(progress_file):
    ctx = mp.get_context("spawn")
    workers = [ctx.Process(target=_writer, args=(str(progress_file), w, 200)) for w in range(4)]
    for p in workers:
        p.start()
    for p in workers:
        p.join(60)
        assert p.exitcode == 0
    saved = progress.load()
    assert len(saved) == 800
    assert sorted(a.choice for a in saved) == sorted(
        f"choice {w * 1000 + i}" for w in range(4) for i in range(200))


def test_corrupt_file_is_backed_up_and_the_course_continues(progress_file, capsys, recwarn):
    progress.record(_attempt(1))
    with open(progress_file, "a") as fh:
        fh.write('{"lesson": "00_welcome", "question": trunc\n\x00\x00garbage\n')
    progress.record(_attempt(2))
    saved = progress.load()
    # One plain sentence, not a Python warning with a path and a line of source.
    said = capsys.readouterr().err.strip()
    assert said.startswith("Note: 2 line(s) of your progress file could not be read (line(s) 2, 3)")
    assert "your other 2 answer(s) were kept" in said and said.count("\n") == 0
    assert not [w for w in recwarn if issubclass(w.category, UserWarning)]
    assert [a.choice for a in saved] == ["choice 1", "choice 2"]
    backups = list(progress_file.parent.glob("progress.jsonl.corrupt-*"))
    assert len(backups) == 1 and "garbage" in backups[0].read_text()
    progress.record(_attempt(3))  # the course goes on
    assert len(progress.load()) == 3


def test_summary_and_weakest_topics(progress_file):
    for i, (lesson, ok, topic) in enumerate([
        ("00_welcome", False, "tokenization"), ("00_welcome", True, "tokenization"),
        ("04_fine_tuning", True, "Trainer"), ("04_fine_tuning", False, "overfitting"),
    ]):
        progress.record(progress.Attempt(lesson, f"q{i // 2}", "x", ok, float(ok), 0,
                                         progress.now(), topic, "easy"))
    rows = {r.lesson: r for r in progress.summarize(progress.load(), {"00_welcome": 5,
                                                                      "04_fine_tuning": 2})}
    assert (rows["00_welcome"].questions, rows["00_welcome"].correct,
            rows["00_welcome"].first_try) == (5, 1, 0)
    assert rows["04_fine_tuning"].attempted == 1 and rows["04_fine_tuning"].correct == 1
    weak = progress.weakest_topics(progress.load())
    assert weak[0] == ("overfitting", 0.0, 1) and weak[1] == ("tokenization", 0.5, 2)


def test_cli_progress_and_csv(progress_file, capsys, tmp_path):
    progress.record(_attempt(0, correct=False, topic="tokenization"))
    assert cli.main(["progress"]) == 0
    out = capsys.readouterr().out
    assert "00_welcome" in out and "0 / 5" in out and "Weakest topics: tokenization" in out
    assert cli.main(["progress", "--csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "lesson,kind,items,attempted,correct,first_try,attempts"
    assert "00_welcome,quiz,5,1,0,0,1" in lines
    assert any(line.startswith("04_fine_tuning,exercise,3,0,") for line in lines)
    target = tmp_path / "scores.csv"
    assert cli.main(["progress", "--csv", str(target)]) == 0
    assert target.read_text().startswith("lesson,")
    assert os.path.getsize(target) > 40


def test_a_line_from_a_newer_course_is_read_and_kept_as_written(progress_file, capsys):
    """A newer course may add fields or raise ``record_version``: that is not damage. Its lines
    are read for the fields this course knows, left in the file byte for byte, no backup is made,
    and one sentence asks to update the course."""
    progress.record(_attempt(1))
    newer = ('{"lesson": "00_welcome", "question": "q9", "choice": "a", "correct": true, "score": 1.0, '
             '"hints_used": 0, "timestamp": "2027-01-01T00:00:00+00:00", "record_version": 7, '
             '"confidence": "sure"}')
    with open(progress_file, "a") as fh:
        fh.write(newer + "\n")
    before = progress_file.read_text()
    saved = progress.load()
    said = capsys.readouterr().err
    assert [a.question for a in saved] == ["q1", "q9"] and saved[1].record_version == 7
    assert "1 answer(s) in your progress file (line(s) 2) were saved by a newer version" in said
    assert "pip install -U" in said and "could not be read" not in said
    assert progress_file.read_text() == before
    assert not list(progress_file.parent.glob("progress.jsonl.corrupt-*"))
    # Repairing damage elsewhere in the file keeps the newer line exactly as it was.
    with open(progress_file, "a") as fh:
        fh.write("\x00 damaged\n")
    progress.record(_attempt(2))
    assert len(progress.load()) == 3
    assert newer + "\n" in progress_file.read_text() and "damaged" not in progress_file.read_text()


def test_records_say_their_version_and_old_lines_still_read(progress_file):
    progress.record(_attempt(1))
    assert f'"record_version": {progress.RECORD_VERSION}' in progress_file.read_text()
    old = ('{"lesson": "00_welcome", "question": "q0", "choice": "a", "correct": false, "score": 0.0, '
           '"hints_used": 1, "timestamp": "2025-01-01T00:00:00+00:00"}')
    with open(progress_file, "a") as fh:
        fh.write(old + "\n")
    saved = progress.load()
    assert [a.record_version for a in saved] == [progress.RECORD_VERSION, 0]
    for damaged in ('[1, 2]', '"text"', '{"lesson": "00_welcome"}'):   # not an object; a field missing
        assert progress.parse(damaged).bad == [1]
