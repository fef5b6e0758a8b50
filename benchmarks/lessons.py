"""Run lesson notebooks top to bottom, each in a fresh kernel, and time them.

    python benchmarks/lessons.py                      # every lesson
    python benchmarks/lessons.py 00_welcome 02_tokenization
    HFCOURSE_EXECUTED=build/executed python benchmarks/lessons.py 11_chat_sft   # keep the run's outputs

Writes benchmarks/results/lessons.json: seconds per notebook (kernel start included),
next to each lesson's goal.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

sys.path.insert(0, os.path.dirname(__file__))
from _common import RESULTS, write  # noqa: E402

LESSONS = Path(__file__).resolve().parent.parent / "lessons"
GOALS_S = {"00": 30, "01": 90, "02": 90, "03": 90, "06": 120, "08": 150, "09": 180, "10": 240, "11": 300}


def run(path: Path) -> float:
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, timeout=1800, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    seconds = time.perf_counter() - start
    keep = os.environ.get("HFCOURSE_EXECUTED")
    if keep:  # the executed copy, outputs included, to read what the lesson printed
        Path(keep).mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, Path(keep) / path.name)
    return seconds


def main() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
    wanted = sys.argv[1:]
    paths = [p for p in sorted(LESSONS.glob("*.ipynb")) if not wanted or p.stem in wanted]
    previous = {}
    if (RESULTS / "lessons.json").exists():
        import json

        previous = json.loads((RESULTS / "lessons.json").read_text()).get("lessons", {})
    for path in paths:
        seconds = run(path)
        goal = GOALS_S.get(path.stem[:2])
        previous[path.stem] = {"seconds": round(seconds, 1), "goal_s": goal,
                               "met": None if goal is None else seconds <= goal}
        print(f"{path.stem:<24} {seconds:6.1f} s   goal {goal or '-'} s", flush=True)
    out = write("lessons", {"lessons": previous})
    print(f"-> {out}")


if __name__ == "__main__":
    main()
