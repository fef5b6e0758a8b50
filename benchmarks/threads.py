"""A lesson-04 training on a machine where another learner's training already runs, with and
without fitting torch's threads.

    python benchmarks/threads.py            # about 10 minutes on 2 cores, on a quiet machine

Each training is a separate process running lesson 04's recipe (helpers.training: the same
model, data, batch size and bf16 settings). The **measured** training runs WARMUP + STEPS
optimizer steps and reports the median seconds per step after the warm-up. The **other**
learner's training starts first (on an idle machine, so torch's default of one thread per core),
keeps training during the whole measurement, and reports its own seconds per step over the same
window. The conditions:

1. ``alone``: the measured training alone, torch's default threads;
2. ``busy, no fix``: with the other training, both at torch's default (the lab case of issue 17:
   every process thinks it owns every core);
3. ``busy, fitted``: the measured training calls ``helpers.threads.fit()`` first, as
   ``helpers.setup()`` does at the top of every lesson;
4. ``busy, one thread each``: both at one thread, what a teacher sets for every learner of a
   2-core-per-2-learners machine with ``HFCOURSE_THREADS=1``.

A training that needs more than ``LIMIT_S`` is stopped and reported as such.
Writes benchmarks/results/threads.json and prints a summary.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(__file__))
from _common import write  # noqa: E402

STEPS = 6  # timed optimizer steps, after WARMUP
WARMUP = 2
LIMIT_S = 600


def worker(threads: str, log: str = "") -> None:
    """One training of lesson 04's recipe; prints its timings as JSON. With ``log`` (the other
    learner), it trains until killed and appends every step's end time to that file."""
    import statistics

    import helpers
    from helpers import threads as fitting
    from helpers import training
    from transformers import AutoTokenizer, TrainerCallback, set_seed

    import torch

    helpers.environment.quiet_loading(True)
    reason = "torch's default"
    if threads == "fit":
        reason = fitting.fit().reason
    elif threads != "default":
        torch.set_num_threads(int(threads))
    recipe = training.RECIPE
    set_seed(recipe.seed)
    tokenizer = AutoTokenizer.from_pretrained(helpers.base_model_path())
    data = training.tokenize(helpers.load_reviews(), tokenizer, recipe.max_length)
    stamps: list[float] = []

    class Clock(TrainerCallback):
        def on_step_end(self, args, state, control, **kwargs):  # noqa: ANN001
            stamps.append(time.perf_counter())
            if log:
                with open(log, "a") as fh:
                    fh.write(f"{stamps[-1]}\n")

    with tempfile.TemporaryDirectory() as out:
        args = training.training_arguments(out, recipe, max_steps=100_000 if log else WARMUP + STEPS,
                                           eval_strategy="no", logging_steps=100_000)
        trainer = training.make_trainer(training.recipe_classifier(recipe), args, data, tokenizer,
                                        callbacks=[Clock()])
        trainer.train()
    steps = [b - a for a, b in zip(stamps[WARMUP - 1:], stamps[WARMUP:])]
    print(json.dumps({"threads": torch.get_num_threads(), "why": reason,
                      "s_per_step": round(statistics.median(steps), 2), "timed_steps": len(steps),
                      "window": [stamps[WARMUP - 1], stamps[-1]]}), flush=True)


def start(threads: str, log: str = "") -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k not in ("HFCOURSE_THREADS", "OMP_NUM_THREADS")}
    return subprocess.Popen([sys.executable, __file__, "--worker", threads, log],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)


def finish(proc: subprocess.Popen) -> dict:
    try:
        out, _ = proc.communicate(timeout=LIMIT_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return {"stopped_after_s": LIMIT_S}
    lines = [line for line in out.splitlines() if line.startswith("{")]
    return json.loads(lines[-1]) if lines else {"failed": out[-500:]}


def run(condition: str, measured: str, other: str | None = None) -> dict:
    """The measured training (threads: "default", "fit" or a number), beside the other one."""
    import statistics

    result: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "other-steps.txt"
        background = None
        if other is not None:
            background = start(other, str(log))
            while not log.exists() or len(log.read_text().split()) < WARMUP:  # it trains now
                time.sleep(1)
        result["measured"] = finish(start(measured))
        if background is not None:
            background.kill()
            background.communicate()
            stamps = [float(x) for x in log.read_text().split()]
            lo, hi = result["measured"].get("window", [0, float("inf")])
            inside = [b - a for a, b in zip(stamps, stamps[1:]) if lo <= b <= hi]
            result["other"] = {"threads": "default" if other == "default" else int(other),
                               "s_per_step": round(statistics.median(inside), 2) if inside else None,
                               "steps_in_window": len(inside)}
    mine = result["measured"]
    line = f"{condition:<24} measured: {mine.get('threads', '?')} thread(s), " + (
        f"{mine['s_per_step']:.2f} s/step" if "s_per_step" in mine else json.dumps(mine))
    if "other" in result:
        line += f"  |  other: {result['other']['s_per_step']} s/step"
    print(line, flush=True)
    return result


def table(report: dict) -> str:
    """The README's and TEACHING.md's table of the four conditions."""
    rows = ["| condition | measured training: threads | s per step | vs alone | other learner's s per step |",
            "|---|---|---|---|---|"]
    for name, row in report["conditions"].items():
        other = row["other_s_per_step"]
        ratio = row["measured_vs_alone"]
        rows.append(f"| {name} | {row['measured_threads']} | {row['measured_s_per_step']} | "
                    f"{'-' if ratio is None else f'{ratio}×'} | {'-' if other is None else other} |")
    return "\n".join(rows)


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--worker":
        worker(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else "")
        return
    conditions = {
        "alone": run("alone", "default"),
        "busy, no fix": run("busy, no fix", "default", "default"),
        "busy, fitted": run("busy, fitted", "fit", "default"),
        "busy, one thread each": run("busy, one thread each", "1", "1"),
    }
    alone = conditions["alone"]["measured"]["s_per_step"]
    summary = {}
    for name, result in conditions.items():
        mine, other = result["measured"], result.get("other", {})
        summary[name] = {
            "measured_threads": mine.get("threads"), "measured_s_per_step": mine.get("s_per_step"),
            "measured_vs_alone": (round(mine["s_per_step"] / alone, 1)
                                  if mine.get("s_per_step") else None),
            "other_s_per_step": other.get("s_per_step"),
            "why": mine.get("why", ""),
        }
    path = write("threads", {"steps": STEPS, "warmup": WARMUP, "limit_s": LIMIT_S,
                             "conditions": summary, "raw": conditions})
    print(f"wrote {path}")
    print(table({"conditions": summary}))
    for name, row in summary.items():
        print(f"{name:<24} measured: {row['measured_threads']} thread(s), "
              f"{row['measured_s_per_step']} s/step ({row['measured_vs_alone']}x alone); "
              f"other learner: {row['other_s_per_step']} s/step")


if __name__ == "__main__":
    main()
