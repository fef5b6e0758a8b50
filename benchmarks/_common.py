"""Shared by the benchmarks: where results go, and the machine they were measured on."""

from __future__ import annotations

import json
import os
import platform
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any, Callable

RESULTS = Path(__file__).resolve().parent / "results"


def cpu_model() -> str:
    """The processor's name (from /proc/cpuinfo on Linux), e.g. "Intel(R) Xeon(R) ..."."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> dict:
    import torch

    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "torch_threads": torch.get_num_threads(),
        "python": platform.python_version(),
        "versions": {n: metadata.version(n) for n in ("torch", "transformers", "datasets")},
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }


def write(name: str, payload: dict) -> Path:
    """Write ``payload`` (plus the machine facts) to benchmarks/results/NAME.json."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps({"machine": machine(), **payload}, indent=2) + "\n")
    return path


def extend_upwards(runs: list, best_of: Callable[[list], Any], rate_of: Callable[[Any], float],
                   try_rate: Callable[[Any, float], Any], limit: float) -> Any:
    """Grow a learning-rate grid until its best run lies inside it; return the best run.

    While the best of ``runs`` (``best_of(runs)``) has the largest rate tried, ``try_rate(best,
    2 * rate)`` trains once more at twice that rate and its run joins ``runs``; the search stops
    once a smaller rate wins, or at ``limit``. A best value at the edge of a grid says only that
    the grid ended too early (issue #26)."""
    best = best_of(runs)
    while rate_of(best) == max(rate_of(run) for run in runs) and rate_of(best) < limit:
        runs.append(try_rate(best, 2 * rate_of(best)))
        best = best_of(runs)
    return best
