"""helpers.workcopy: the learner works on copies of the lessons, and a course update never
overwrites their work."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from helpers import course, exam, launch, workcopy


@pytest.fixture
def course_lessons(tmp_path) -> Path:
    """A small course: three lessons and a picture."""
    lessons = tmp_path / "course" / "lessons"
    (lessons / "images").mkdir(parents=True)
    (lessons / "images" / "badge.svg").write_text("<svg/>")
    for stem in ("00_welcome", "01_models", "02_tokens"):
        (lessons / f"{stem}.ipynb").write_text(f'{{"lesson": "{stem}", "version": 1}}')
    return lessons


def test_the_first_start_copies_every_lesson_the_pictures_and_makes_an_output_folder(
        course_lessons, tmp_path):
    work = tmp_path / "work"
    done = workcopy.sync(course_lessons, work)
    assert done.copied == ["00_welcome.ipynb", "01_models.ipynb", "02_tokens.ipynb"]
    assert done.messages() == ["Copied into your work folder: 00_welcome.ipynb, 01_models.ipynb, "
                               "02_tokens.ipynb"]
    for name in done.copied:
        assert (work / name).read_bytes() == (course_lessons / name).read_bytes()
    assert (work / "images" / "badge.svg").is_file() and (work / "output").is_dir()
    record = json.loads((work / ".hfcourse" / "copies.json").read_text())["copies"]
    assert record["01_models.ipynb"] == workcopy.file_sha256(course_lessons / "01_models.ipynb")
    again = workcopy.sync(course_lessons, work)  # nothing changed: nothing to say
    assert again.messages() == [] and not again.copied + again.updated + again.kept


def test_a_course_update_never_overwrites_the_learners_work(course_lessons, tmp_path):
    work = tmp_path / "work"
    workcopy.sync(course_lessons, work)
    (work / "00_welcome.ipynb").write_text('{"lesson": "00_welcome", "my answers": 42}')  # learner
    mine = (work / "00_welcome.ipynb").read_bytes()
    # The course changes lessons 00 (edited by the learner) and 01 (left alone), adds lesson 03,
    # and leaves lesson 02 as it was.
    (course_lessons / "00_welcome.ipynb").write_text('{"lesson": "00_welcome", "version": 2}')
    (course_lessons / "01_models.ipynb").write_text('{"lesson": "01_models", "version": 2}')
    (course_lessons / "03_data.ipynb").write_text('{"lesson": "03_data", "version": 1}')
    done = workcopy.sync(course_lessons, work)
    assert (work / "00_welcome.ipynb").read_bytes() == mine
    assert done.kept == ["00_welcome.ipynb"]
    assert done.updated == ["01_models.ipynb"]
    assert (work / "01_models.ipynb").read_bytes() == (course_lessons / "01_models.ipynb").read_bytes()
    assert done.copied == ["03_data.ipynb"] and (work / "03_data.ipynb").is_file()
    text = "\n".join(done.messages())
    assert "02_tokens" not in text
    assert ("Changed in the course since you copied them; your copies are kept as they are: "
            "00_welcome.ipynb. To get the new version, rename your copy (e.g. to "
            "00_welcome.mine.ipynb) and run `hfcourse start` again.") in text
    # Said again at the next start, until the learner acts; then the new version comes beside theirs.
    assert workcopy.sync(course_lessons, work).kept == ["00_welcome.ipynb"]
    (work / "00_welcome.ipynb").rename(work / "00_welcome.mine.ipynb")
    done = workcopy.sync(course_lessons, work)
    assert done.copied == ["00_welcome.ipynb"] and not done.kept
    assert (work / "00_welcome.mine.ipynb").read_bytes() == mine
    assert (work / "00_welcome.ipynb").read_text() == (course_lessons / "00_welcome.ipynb").read_text()
    assert workcopy.sync(course_lessons, work).messages() == []


def test_a_learners_file_that_the_course_did_not_copy_is_kept(course_lessons, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    (work / "02_tokens.ipynb").write_text("my own notebook")  # no record of a copy
    done = workcopy.sync(course_lessons, work)
    assert done.kept == ["02_tokens.ipynb"]
    assert (work / "02_tokens.ipynb").read_text() == "my own notebook"


def test_a_dry_run_writes_nothing(course_lessons, tmp_path):
    done = workcopy.sync(course_lessons, tmp_path / "work", dry_run=True)
    assert done.messages()[0].startswith("Would copy into your work folder: 00_welcome.ipynb")
    assert not (tmp_path / "work").exists()


def test_the_work_folder_is_work_in_the_checkout_or_hfcourse_work(tmp_path, monkeypatch):
    monkeypatch.delenv("HFCOURSE_WORK", raising=False)
    assert workcopy.work_dir() == course.repo_root() / "work"
    monkeypatch.setenv("HFCOURSE_WORK", str(tmp_path / "elsewhere"))
    assert workcopy.work_dir() == tmp_path / "elsewhere"


def test_the_lessons_run_from_the_work_folder(tmp_path, monkeypatch):
    """The real lessons, copied: their pictures are there, lesson 09's scripts are found, and
    `.gitignore` keeps the default work folder out of git."""
    work = tmp_path / "work"
    workcopy.sync(work=work)
    notebooks = sorted(work.glob("*.ipynb"))
    assert [p.name for p in notebooks] == [Path(lesson.notebook).name for lesson in course.LESSONS]
    pictures = {(notebook.name, picture) for notebook in notebooks for picture in
                re.findall(r"\]\((images/[^)\s]+)\)", notebook.read_text(encoding="utf-8"))}
    assert len(pictures) >= len(notebooks)  # each lesson shows at least its Colab badge
    assert all((work / picture).is_file() for _, picture in pictures), pictures
    monkeypatch.chdir(work)
    scripts = course.repo_root() / "lessons" / "scripts"
    assert launch.script("train_trainer.py") == scripts / "train_trainer.py"
    assert "/work/" in (course.repo_root() / ".gitignore").read_text().splitlines()


def test_a_teachers_exam_file_in_lessons_reaches_learners_in_their_work_folder(tmp_path, monkeypatch):
    checkout = tmp_path / "checkout"
    (checkout / "lessons").mkdir(parents=True)
    work = tmp_path / "somewhere" / "work"  # HFCOURSE_WORK outside the checkout
    work.mkdir(parents=True)
    monkeypatch.setattr(exam, "repo_root", lambda: checkout)
    monkeypatch.setenv("HFCOURSE_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("HFCOURSE_EXAM", raising=False)
    monkeypatch.chdir(work)
    assert not exam.exam_mode()
    (checkout / "lessons" / exam.EXAM_FILE).write_text("")
    assert exam.switched_on_by() == str(checkout / "lessons" / exam.EXAM_FILE)
