"""Run lesson notebooks top to bottom, each in a fresh kernel, and time them.

    python benchmarks/lessons.py                      # every lesson
    python benchmarks/lessons.py 00_welcome 02_tokenization
    HFCOURSE_EXECUTED=build/executed python benchmarks/lessons.py 11_chat_sft   # keep the run's outputs

Writes benchmarks/results/lessons.json: seconds per notebook (kernel start included),
next to each lesson's goal, and the peak memory of the lesson: the largest sum of the resident
memory of its kernel and every process the kernel started (sampled every 0.2 s), which
TEACHING.md uses to size a shared server.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

sys.path.insert(0, os.path.dirname(__file__))
from _common import RESULTS, cpu_model, write  # noqa: E402

LESSONS = Path(__file__).resolve().parent.parent / "lessons"
# Issue #25's time budget: every lesson within 240 s on 2 cores, lesson 09 within 180 s.
GOALS_S = {**{f"{n:02d}": 240 for n in range(13)}, "09": 180, "13": 300}   # 13: issue #29


class PeakMemory:
    """Samples the resident memory of a process and its descendants in a background thread."""

    def __init__(self, pid: int, every_s: float = 0.2) -> None:
        import threading

        self.pid, self.every_s, self.peak = pid, every_s, 0
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.sample, daemon=True)
        self.thread.start()

    def sample(self) -> None:
        import psutil

        while not self.done.is_set():
            try:
                root = psutil.Process(self.pid)
                total = sum(p.memory_info().rss for p in [root, *root.children(recursive=True)])
                self.peak = max(self.peak, total)
            except psutil.Error:
                pass
            self.done.wait(self.every_s)

    def stop(self) -> float:
        self.done.set()
        self.thread.join()
        return self.peak / 2**20


def run(path: Path) -> tuple[float, float, list[tuple[int, float]]]:
    """Execute a lesson in a fresh kernel: (seconds, peak MB of the kernel and its children,
    the slowest code cells as (index, seconds), slowest first)."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=1800, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    cells: list[tuple[int, float]] = []
    start = time.perf_counter()
    with client.setup_kernel():
        memory = PeakMemory(client.km.provisioner.process.pid)
        try:
            for index, cell in enumerate(nb.cells):
                began = time.perf_counter()
                client.execute_cell(cell, index)
                if cell.cell_type == "code":
                    cells.append((index, round(time.perf_counter() - began, 1)))
        finally:
            peak_mb = memory.stop()
    seconds = time.perf_counter() - start
    keep = os.environ.get("HFCOURSE_EXECUTED")
    if keep:  # the executed copy, outputs included, to read what the lesson printed
        Path(keep).mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, Path(keep) / path.name)
    return seconds, peak_mb, sorted(cells, key=lambda c: -c[1])[:5]


def teaching_table(report: dict) -> str:
    """TEACHING.md's table: each lesson's run time and peak memory, as measured."""
    rows = ["| lesson | every cell run, 2 cores | peak memory (kernel and its processes) | measured on |",
            "|---|---|---|---|"]
    for stem, row in sorted(report["lessons"].items()):
        memory = f"{row['peak_mb']:,} MB" if "peak_mb" in row else "not measured"
        where = f"{row['cpu']}, {row['date']}" if "cpu" in row else report.get("machine", {}).get("cpu", "?")
        rows.append(f"| `{stem}` | {row['seconds'] / 60:.1f} min | {memory} | {where} |")
    return "\n".join(rows)


def main() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
    wanted = sys.argv[1:]
    paths = [p for p in sorted(LESSONS.glob("*.ipynb")) if not wanted or p.stem in wanted]
    previous = {}
    if (RESULTS / "lessons.json").exists():
        import json

        old = json.loads((RESULTS / "lessons.json").read_text())
        previous = old.get("lessons", {})
        for row in previous.values():  # rows from before rows said where they ran: the file's machine
            row.setdefault("cpu", old["machine"]["cpu"])
            row.setdefault("date", old["machine"]["date"][:10])
    for path in paths:
        seconds, peak_mb, slowest = run(path)
        goal = GOALS_S.get(path.stem[:2])
        previous[path.stem] = {"seconds": round(seconds, 1), "goal_s": goal,
                               "met": None if goal is None else seconds <= goal,
                               "peak_mb": round(peak_mb),
                               # rows of other runs are kept: each says where and when it ran
                               "cpu": cpu_model(), "date": time.strftime("%Y-%m-%d"),
                               "slowest_cells": [{"cell": i, "seconds": s} for i, s in slowest]}
        print(f"{path.stem:<24} {seconds:6.1f} s   goal {goal or '-'} s   peak {peak_mb:5.0f} MB"
              f"   slowest cells: " + ", ".join(f"#{i} {s:.0f} s" for i, s in slowest[:3]),
              flush=True)
    out = write("lessons", {"lessons": previous})
    print(f"-> {out}")
    print(teaching_table({"lessons": previous}))


if __name__ == "__main__":
    main()
