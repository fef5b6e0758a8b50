"""Your own copies of the lessons: ``hfcourse start`` opens them, never the course's files.

The lessons in ``lessons/`` belong to the course: a ``git pull`` updates them. Had JupyterLab
saved your work into them, that pull would clash with your work. So ``hfcourse start`` copies the
lessons into your **work folder** (``work/`` at the top of the course checkout, which git ignores;
set ``HFCOURSE_WORK`` to put it elsewhere) and opens JupyterLab there. Everything you do stays in
that folder: your notebooks, and what they save (``output/``).

At every start the work folder is brought up to date, and your work is never lost:

- a lesson you don't have yet (the first start, or a new lesson after a ``git pull``) is copied;
- a lesson the course changed, whose copy you have **not** changed since it was copied, is
  replaced by the new version (there is nothing of yours in it to lose);
- a lesson the course changed, whose copy you **have** changed, is kept exactly as it is, and
  ``hfcourse start`` names it. To take the course's new version, rename your copy (for example
  to ``04_fine_tuning.mine.ipynb``) and run ``hfcourse start`` again: the new version is copied
  beside your renamed one;
- a copy you deleted comes back, in the course's current version, at the next start.

To know which copies you changed, the work folder keeps a small record,
``.hfcourse/copies.json``: each copied lesson's sha256 at the time it was copied. This is how
nbgitpuller (JupyterHub's tool to hand out course material) treats learners' files too: it takes
upstream changes into files the learner left alone, and never overwrites the learner's changes.

The lessons also need their pictures (``images/``, copied beside them) and a place for what they
save (``output/``). Scripts, quizzes and data are found through the course checkout, wherever the
notebook runs.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from helpers.core.course import repo_root
from helpers.core import settings
from helpers.core.errors import CourseError

WORK_ENV = "HFCOURSE_WORK"
STATE = ".hfcourse"  # the course's own files in the work folder (hidden in JupyterLab)
RECORD = "copies.json"


def work_dir(root: Path | None = None) -> Path:
    """Your work folder: ``$HFCOURSE_WORK`` if set, else ``work/`` in the course checkout
    (``root``, by default the checkout this course runs from)."""
    env = settings.value(WORK_ENV)
    if env:
        return Path(env).expanduser().resolve()
    return (root or repo_root()) / "work"


def state_dir(work: Path) -> Path:
    """The folder inside ``work`` where the course keeps its own files (the copies' record,
    JupyterLab's log and settings). JupyterLab does not show it: its name starts with a dot."""
    return work / STATE


def file_sha256(path: Path) -> str:
    """The sha256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass
class Sync:
    """What bringing the work folder up to date does (or did), lesson by lesson."""

    work: Path
    copied: list[str] = field(default_factory=list)  # new to you: copied
    updated: list[str] = field(default_factory=list)  # changed in the course, your copy untouched
    kept: list[str] = field(default_factory=list)  # changed in the course AND by you: yours kept
    record: dict[str, str] = field(default_factory=dict)  # lesson -> its sha256 when copied
    dry_run: bool = False  # only planned: nothing was written

    def messages(self) -> list[str]:
        """What to tell the learner; nothing when nothing changed."""
        copy, update = ("Would copy", "Would update") if self.dry_run else ("Copied", "Updated")
        lines = []
        if len(self.copied) > 3:  # the first start: every lesson
            lines.append(f"{copy} {len(self.copied)} lessons into your work folder: "
                         f"{self.copied[0]} ... {self.copied[-1]}")
        elif self.copied:
            lines.append(f"{copy} into your work folder: {', '.join(self.copied)}")
        if self.updated:
            lines.append(f"{update} to the course's new version (you had not changed them): "
                         + ", ".join(self.updated))
        if self.kept:
            example = self.kept[0].removesuffix(".ipynb")
            lines.append(
                "Changed in the course since you copied them; your copies are kept as they are: "
                + ", ".join(self.kept) + f". To get the new version, rename your copy (e.g. to "
                f"{example}.mine.ipynb) and run `hfcourse start` again.")
        return lines


def _read_record(work: Path) -> dict[str, str]:
    path = state_dir(work) / RECORD
    try:
        return dict(json.loads(path.read_text(encoding="utf-8"))["copies"])
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a crash never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)


def plan(lessons: Path, work: Path) -> Sync:
    """Decide, without changing anything, what ``sync`` does for each lesson in ``lessons``."""
    record = _read_record(work)
    found = Sync(work, record=dict(record))
    for course_file in sorted(lessons.glob("*.ipynb")):
        name, course_hash = course_file.name, file_sha256(course_file)
        mine = work / name
        copied_hash = record.get(name)
        if not mine.exists():
            found.copied.append(name)  # new to you, or a copy you deleted
            found.record[name] = course_hash
        elif copied_hash is None:
            # A file of that name that the course did not copy: it is yours.
            if file_sha256(mine) == course_hash:
                found.record[name] = course_hash
            else:
                found.kept.append(name)
        elif course_hash != copied_hash:
            if file_sha256(mine) == copied_hash:
                found.updated.append(name)
                found.record[name] = course_hash
            else:
                found.kept.append(name)
    return found


def sync(lessons: Path | None = None, work: Path | None = None, dry_run: bool = False) -> Sync:
    """Bring the work folder up to date with the course's ``lessons`` (see the module's
    docstring); ``dry_run`` only says what it would do. Returns what was (or would be) done."""
    lessons = lessons or repo_root() / "lessons"
    work = work or work_dir()
    if not lessons.is_dir():
        raise CourseError(f"No lessons folder at {lessons}: run `hfcourse start` from the course "
                          "checkout (the folder that holds lessons/).")
    found = plan(lessons, work)
    if dry_run:
        found.dry_run = True
        return found
    try:
        work.mkdir(parents=True, exist_ok=True)
        (work / "output").mkdir(exist_ok=True)
        if (lessons / "images").is_dir():
            shutil.copytree(lessons / "images", work / "images", dirs_exist_ok=True)
        for name in found.copied + found.updated:
            _write_atomically(work / name, (lessons / name).read_bytes())
        record = {"about": "each lesson's sha256 when hfcourse start copied it", "copies": found.record}
        _write_atomically(state_dir(work) / RECORD, json.dumps(record, indent=1).encode())
    except OSError as exc:
        raise CourseError(f"Could not write your work folder {work} ({exc}). Set {WORK_ENV} to a "
                          "folder you can write to, then run `hfcourse start` again.") from exc
    return found
