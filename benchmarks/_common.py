"""Shared by the benchmarks: where results go, and the machine they were measured on."""

from __future__ import annotations

import json
import os
import platform
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

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
