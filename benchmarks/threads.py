"""A lesson-04 training on a machine where another learner's training already runs, with and
without fitting torch's threads.

    python benchmarks/threads.py            # about 8 minutes on 2 cores, on a quiet machine

Each training is a separate process running lesson 04's recipe (helpers.training: the same
model, data, batch size and bf16 settings). The **learner's** training runs WARMUP + STEPS
optimizer steps and reports its mean seconds per step after the warm-up (the same steps in every
condition). The **other** learner's training starts first (on an idle machine, so with torch's
default of one thread per core) and keeps training during the whole measurement; its slowdown is
the time of its steps in that window over the time of the same steps alone (profiled first:
batches are grouped by length, so steps differ). The conditions:

1. ``alone`` and ``alone, one thread``: the learner's training with nobody else;
2. ``busy, no fix``: beside the other training, both at torch's default (the lab case of issue 17:
   every process thinks it owns every core);
3. ``busy, fitted``: the learner's training calls ``helpers.threads.fit()`` first, as
   ``helpers.setup()`` does at the top of every lesson (the other one started alone, so it keeps
   its two threads);
4. ``busy, one thread each``: both at one thread, what a teacher sets for every learner with
   ``HFCOURSE_THREADS=1`` (or what the fit gives both when they start on a busy machine).

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
PROFILE_STEPS = 120  # the other learner's steps, timed alone


def worker(threads: str, log: str = "", max_steps: int = 100_000) -> None:
    """One training of lesson 04's recipe; prints its timings as JSON. With ``log`` (the other
    learner), it trains until killed (or ``max_steps``) and appends every step's end time to
    that file."""
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
        args = training.training_arguments(out, recipe, max_steps=max_steps if log else WARMUP + STEPS,
                                           eval_strategy="no", logging_steps=100_000)
        trainer = training.make_trainer(training.recipe_classifier(recipe), args, data, tokenizer,
                                        callbacks=[Clock()])
        trainer.train()
    steps = [b - a for a, b in zip(stamps[WARMUP - 1:], stamps[WARMUP:])]
    print(json.dumps({"threads": torch.get_num_threads(), "why": reason,
                      "s_per_step": round(statistics.fmean(steps), 2), "timed_steps": len(steps),
                      "window": [stamps[WARMUP - 1], stamps[-1]]}), flush=True)


def start(threads: str, log: str = "", max_steps: int = 100_000) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k not in ("HFCOURSE_THREADS", "OMP_NUM_THREADS")}
    return subprocess.Popen([sys.executable, __file__, "--worker", threads, log, str(max_steps)],
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


def step_times(log: Path) -> list[float]:
    """Each step's seconds, by step index (the first step has no start mark: 0)."""
    stamps = [float(x) for x in log.read_text().split()]
    return [0.0] + [b - a for a, b in zip(stamps, stamps[1:])]


def profile(threads: str) -> list[float]:
    """The other learner's first PROFILE_STEPS steps, alone. Steps differ in length (batches are
    grouped by length), so its slowdown is measured step by step against these."""
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "steps.txt"
        finish(start(threads, str(log), PROFILE_STEPS))
        return step_times(log)


def run(condition: str, measured: str, other: str | None = None,
        alone_profile: list[float] | None = None) -> dict:
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
            busy = step_times(log)
            lo, hi = result["measured"].get("window", [0, float("inf")])
            alone = alone_profile or []
            inside = [i for i in range(1, min(len(stamps), len(alone))) if lo <= stamps[i] <= hi]
            slower = sum(busy[i] for i in inside) / sum(alone[i] for i in inside) if inside else None
            result["other"] = {"threads": 2 if other == "default" else int(other),
                               "steps_in_window": len(inside),
                               "vs_its_own_steps_alone": None if slower is None else round(slower, 1)}
    mine = result["measured"]
    line = f"{condition:<24} measured: {mine.get('threads', '?')} thread(s), " + (
        f"{mine['s_per_step']:.2f} s/step" if "s_per_step" in mine else json.dumps(mine))
    if "other" in result:
        line += f"  |  other: {result['other']['vs_its_own_steps_alone']}x its steps alone"
    print(line, flush=True)
    return result


def table(report: dict) -> str:
    """The README's and TEACHING.md's table of the conditions."""
    rows = ["| condition | the learner's threads | s per step | vs alone (2 threads) "
            "| the other learner: threads, slowdown |", "|---|---|---|---|---|"]
    for name, row in report["conditions"].items():
        other, ratio = row["other_vs_alone"], row["measured_vs_alone"]
        other_text = "-" if other is None else f"{row['other_threads']}, {other}×"
        rows.append(f"| {name} | {row['measured_threads']} | {row['measured_s_per_step']} | "
                    f"{ratio}× | {other_text} |")
    return "\n".join(rows)


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--worker":
        worker(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else "",
               int(sys.argv[4]) if len(sys.argv) > 4 else 100_000)
        return
    alone_default, alone_one = profile("default"), profile("1")
    conditions = {
        "alone": run("alone", "default"),
        "alone, one thread": run("alone, one thread", "1"),
        "busy, no fix": run("busy, no fix", "default", "default", alone_default),
        "busy, fitted": run("busy, fitted", "fit", "default", alone_default),
        "busy, one thread each": run("busy, one thread each", "1", "1", alone_one),
    }
    alone = conditions["alone"]["measured"]["s_per_step"]
    summary = {}
    for name, result in conditions.items():
        mine, other = result["measured"], result.get("other", {})
        summary[name] = {
            "measured_threads": mine.get("threads"), "measured_s_per_step": mine.get("s_per_step"),
            "measured_vs_alone": (round(mine["s_per_step"] / alone, 1)
                                  if mine.get("s_per_step") else None),
            "other_threads": other.get("threads"),
            "other_vs_alone": other.get("vs_its_own_steps_alone"),
            "why": mine.get("why", ""),
        }
    path = write("threads", {"steps": STEPS, "warmup": WARMUP, "limit_s": LIMIT_S,
                             "conditions": summary, "raw": conditions})
    print(f"wrote {path}")
    print(table({"conditions": summary}))
    for name, row in summary.items():
        print(f"{name:<24} measured: {row['measured_threads']} thread(s), "
              f"{row['measured_s_per_step']} s/step ({row['measured_vs_alone']}x alone); "
              + ("" if row["other_vs_alone"] is None else
                 f"other learner: {row['other_vs_alone']}x its own steps alone"))


if __name__ == "__main__":
    main()
