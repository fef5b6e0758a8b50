"""Hand-in files: your progress in one file that you give your teacher.

``export()`` (lesson 07's hand-in cell) writes one JSON file named after you:
``output/07_final_test/<your learner id>.json`` (``default_path()``), so that no two learners'
files have the same name. ``hfcourse progress --export FILE`` writes the same file wherever you
say. It says what it is: your learner id, the course version, every quiz and exercise attempt,
and a SHA-256 checksum of that content. Hand it in any way you like: a shared folder, a USB
stick, an LMS upload. The teacher's ``hfcourse class-report`` reads many of them, in a folder
and its subfolders (``helpers.classreport``).

The checksum is not a signature: it proves that the file is whole and was not edited by hand
after the export, not who wrote it.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import MISSING, asdict, dataclass, fields
from pathlib import Path
from typing import Any

from helpers.assessment import progress
from helpers.core.errors import CourseError

FORMAT = "hfcourse-handin"
FORMAT_VERSION = 3  # 2: attempts carry option_ids and picked; 3: and record_version (older files read as before)
UNKNOWN = "(unknown)"  # the learner of records written before learner ids existed
FOLDER = Path("output") / "07_final_test"  # where lesson 07 writes your hand-in (from lessons/)
PATTERN = "*.json"  # the names the class report looks for, in a folder and its subfolders


class HandInError(CourseError):
    """A file that is not a readable, intact hand-in; the message says why and what to do."""


@dataclass
class HandIn:
    """One learner's exported attempts, read back and checked."""

    path: Path
    learner: str
    course_version: str
    exported: str
    attempts: list[progress.Attempt]


def checksum(content: dict[str, Any]) -> str:
    """SHA-256 of the content in a canonical JSON form (sorted keys, no spaces)."""
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def attempt_key(a: progress.Attempt) -> tuple[Any, ...]:
    """What makes two records the same attempt: its unique id, or (older records, which have
    none) every field that it has."""
    if a.attempt_id:
        return ("id", a.attempt_id)
    return ("fields", a.learner, a.kind, a.lesson, a.question, a.timestamp, a.choice, a.correct,
            a.mistake, a.hints_used)


def file_name(learner: str) -> str:
    """A learner id made safe as a file name, plus ``.json``: ``ana.lopez`` gives
    ``ana.lopez.json``, ``Ana Lopez`` gives ``Ana-Lopez.json``. Letters, digits, ``.``, ``_``,
    ``@`` and ``-`` stay; anything else (a space, a slash) becomes ``-``."""
    safe = re.sub(r"[^\w.@-]+", "-", learner).strip(".-") or "learner"
    return f"{safe[:64]}.json"


def default_path(learner: str | None = None, folder: str | Path = FOLDER) -> Path:
    """Where ``export()`` writes a hand-in when you give no path: ``folder/<learner id>.json``
    (``output/07_final_test/ana.lopez.json``); ``learner`` is you unless you name someone."""
    return Path(folder) / file_name(learner or progress.learner_id())


def export(path: str | Path | None = None, learner: str | None = None,
           attempts: list[progress.Attempt] | None = None) -> Path:
    """Write the hand-in file of ``learner`` (default: you) to ``path`` and return its path.
    Without ``path`` the file is ``default_path()``: ``output/07_final_test/<learner id>.json``.

    It holds that learner's attempts from the progress file, and the attempts saved before
    learner ids existed (they are reported as an unknown learner, never dropped).
    """
    learner = learner or progress.learner_id()
    path = default_path(learner) if path is None else path
    mine = progress.of_learner(progress.load() if attempts is None else attempts, learner)
    content = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "learner": learner,
        "course_version": progress.course_version(),
        "exported": progress.now(),
        "attempts": [asdict(a) for a in mine],
    }
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(json.dumps({**content, "sha256": checksum(content)}, ensure_ascii=False, indent=1),
                   encoding="utf-8")
    tmp.replace(path)  # a crash mid-write never leaves half a file under the real name
    return path


ATTEMPT_FIELDS = {f.name for f in fields(progress.Attempt)}
REQUIRED_FIELDS = {f.name for f in fields(progress.Attempt)
                   if f.default is MISSING and f.default_factory is MISSING}


def read(path: str | Path) -> HandIn:
    """Read and check one hand-in file. Raises ``HandInError`` naming the file, what is wrong
    and what to do: unreadable, not JSON (corrupt or truncated), not a hand-in file, made by a
    newer course, edited after export (checksum), or an attempt with a missing or wrong field."""
    path = Path(path)
    ask = "ask the learner to export it again with `hfcourse progress --export FILE`"
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise HandInError(f"{path}: can't be read ({exc.strerror or exc}).") from exc
    except UnicodeDecodeError as exc:
        raise HandInError(f"{path}: not a text file (corrupt or not a hand-in): {ask}.") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        if f'"format": "{FORMAT}"' in text[:200] and not text.rstrip().endswith("}"):
            raise HandInError(f"{path}: truncated (the JSON stops at byte {len(text)}, "
                              f"unfinished): {ask}.") from exc
        if text.lstrip().startswith('{"lesson"'):
            raise HandInError(f"{path}: a progress file, not a hand-in: export it with "
                              "`hfcourse progress --export FILE` first.") from exc
        raise HandInError(f"{path}: corrupt, not JSON ({exc.msg} at line {exc.lineno}, column "
                          f"{exc.colno}): {ask}.") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise HandInError(f'{path}: not a hand-in file of this course (field "format" must be '
                          f'"{FORMAT}"): {ask}.')
    version = data.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise HandInError(f'{path}: field "format_version" is {version!r}; this course reads '
                          f"version {FORMAT_VERSION} and older: update the course "
                          "(`pip install -U hf-finetuning-course`) and run the report again.")
    stated = data.pop("sha256", None)
    if stated != checksum(data):
        raise HandInError(f'{path}: field "sha256" does not match the content: the file was '
                          f"edited or damaged after export. Don't fix it by hand: {ask}.")
    for name in ("learner", "course_version", "exported"):
        if not isinstance(data.get(name), str):
            raise HandInError(f'{path}: field "{name}" must be a text: {ask}.')
    raw = data.get("attempts")
    if not isinstance(raw, list):
        raise HandInError(f'{path}: field "attempts" must be a list: {ask}.')
    attempts = []
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            raise HandInError(f"{path}: attempt {number} is not an object: {ask}.")
        missing = sorted(REQUIRED_FIELDS - set(item))
        unknown = sorted(set(item) - ATTEMPT_FIELDS)
        if missing or unknown:
            what = (f"lacks field(s) {', '.join(missing)}" if missing else
                    f"has unknown field(s) {', '.join(unknown)} (made by a newer course?)")
            raise HandInError(f"{path}: attempt {number} {what}: {ask}.")
        attempts.append(progress.Attempt(**item))
    return HandIn(path, data["learner"], data["course_version"], data["exported"], attempts)


def is_hidden(path: Path, root: Path) -> bool:
    """True for a file or folder whose name starts with a dot below ``root``: the ``._ana.json``
    copies that macOS leaves on USB sticks, ``.ipynb_checkpoints``, ``.git``."""
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def files_in(folder: Path) -> list[Path]:
    """The ``*.json`` files in ``folder`` and all its subfolders (one folder per learner is how
    many classes hand in), hidden ones left out, sorted by path."""
    return sorted(p for p in folder.rglob(PATTERN) if p.is_file() and not is_hidden(p, folder))


def find_files(paths: list[str | Path]) -> list[Path]:
    """The hand-in files named by ``paths``: files as given, folders as the ``*.json`` files in
    them and their subfolders. Raises ``HandInError`` for a path that does not exist, and when
    no file is found at all (the message names the folders searched and the fix)."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found += files_in(path)
        elif path.is_file():
            found.append(path)
        else:
            raise HandInError(f"{path}: no such file or folder. Give hand-in files (.json) or a "
                              "folder that holds them.")
    if not found:
        raise HandInError(nothing_found([Path(p) for p in paths]))
    return list(dict.fromkeys(found))


def nothing_found(folders: list[Path]) -> str:
    """The message for folders that hold no hand-in file: where, what, and what to do."""
    where = ", ".join(str(f) for f in folders)
    return (f"no hand-in files found: searched {where} and all its subfolders for files named "
            f"{PATTERN} and found none. Fix: ask each learner to write their hand-in file "
            "(lesson 07's hand-in cell writes output/07_final_test/<learner id>.json; in a "
            "terminal: `hfcourse progress --export FILE.json`) and to put it in that folder, or "
            "point the report at the folder that holds the files.")
