"""How long the course assets take: a cold fetch into an empty cache, then warm look-ups.

    python benchmarks/assets.py            # warm only (uses the current cache)
    python benchmarks/assets.py --cold     # also a cold fetch into a temporary cache (~93 MB)

Warm means: `hfcourse prefetch --quiet` in a new process (imports included), and
`ensure_assets()` inside a process that has already imported helpers. Goal: warm < 2 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from _common import write  # noqa: E402

import helpers  # noqa: E402
from helpers import assets  # noqa: E402


def _cli_seconds(env: dict) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "helpers.cli", "prefetch", "--quiet"], env=env,
                   check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cold", action="store_true")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    result: dict = {}
    if args.cold:
        with tempfile.TemporaryDirectory() as tmp:
            env = {**os.environ, "HFCOURSE_CACHE": tmp}
            result["cold_fetch_s"] = round(_cli_seconds(env), 2)
            result["cache_mb"] = round(sum(
                p.stat().st_size for p in __import__("pathlib").Path(tmp).rglob("*") if p.is_file()
            ) / 1e6, 1)
    helpers.ensure_assets()
    warm_cli = [_cli_seconds(dict(os.environ)) for _ in range(args.repeat)]
    warm_call = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        assets.ensure_assets()
        warm_call.append(time.perf_counter() - start)
    result.update({
        "warm_cli_median_s": round(statistics.median(warm_cli), 3),
        "warm_cli_max_s": round(max(warm_cli), 3),
        "warm_ensure_assets_median_s": round(statistics.median(warm_call), 3),
        "goal_warm_s": 2.0,
        "repeat": args.repeat,
    })
    path = write("assets", result)
    print(f"assets: {result}  -> {path}")


if __name__ == "__main__":
    main()
