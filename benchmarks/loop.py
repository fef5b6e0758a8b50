"""The figures behind lesson 09: the hand-written loop against Trainer, and 1 against 2 processes.

    python benchmarks/loop.py                  # both parts, about 12 minutes on 2 cores; on a quiet machine
    python benchmarks/loop.py processes        # one part (hand_vs_trainer or processes)

1. Lesson 04's recipe for one epoch, twice, back to back: with the lesson's own loop (its cells
   tagged "loop", run as written) and with Trainer. Both see the same seed, batches, optimizer,
   schedule, clipping and precision. Recorded: training seconds, throughput ratio (hand loop
   reviews/s ÷ Trainer reviews/s), validation accuracy, and the test accuracy, measured once for
   each run at the end (no setting is chosen here: the recipe was chosen on validation in
   benchmarks/finetune.py).
2. lessons/scripts/train_accelerate.py for one epoch over the whole training split with a global
   batch of 32: 1 process with 2 threads, and 2 processes with 1 thread each (the command the
   lesson teaches). Recorded: seconds, reviews/s, validation accuracy.
Writes benchmarks/results/loop.json and prints a summary.
"""

from __future__ import annotations

import json
import math
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(__file__))
from _common import RESULTS, write  # noqa: E402

import helpers  # noqa: E402


def hand_and_trainer() -> dict:
    from transformers import AutoTokenizer, get_scheduler, set_seed

    helpers.environment.quiet_loading(True)
    recipe = helpers.training.RECIPE
    tokenizer = AutoTokenizer.from_pretrained(helpers.base_model_path())
    data = helpers.training.tokenize(helpers.load_reviews(), tokenizer, recipe.max_length)
    loop = helpers.training.lesson_loop(tokenizer)
    rows = {}

    set_seed(recipe.seed)
    model = helpers.training.new_classifier(seed=recipe.seed)
    optimizer = loop["make_optimizer"](model, recipe.learning_rate, 0.0)
    set_seed(recipe.seed)
    loader = loop["make_train_loader"](data["train"], recipe.batch_size)
    steps = len(loader)
    scheduler = get_scheduler("linear", optimizer, num_warmup_steps=math.ceil(recipe.warmup * steps),
                              num_training_steps=steps)
    start = time.perf_counter()
    losses = loop["train_one_epoch"](model, loader, optimizer, scheduler)
    seconds = time.perf_counter() - start
    rows["hand loop"] = {"train_seconds": round(seconds, 1), "steps": len(losses),
                         "reviews_per_s": round(len(data["train"]) / seconds, 1),
                         "validation_accuracy": round(loop["accuracy"](model, data["validation"]), 4),
                         "test_accuracy": round(loop["accuracy"](model, data["test"]), 4)}
    print("hand loop:", rows["hand loop"], flush=True)

    set_seed(recipe.seed)
    model = helpers.training.new_classifier(seed=recipe.seed)
    with tempfile.TemporaryDirectory() as tmp:
        args = helpers.training.training_arguments(tmp, disable_tqdm=True, logging_strategy="no")
        trainer = helpers.training.make_trainer(model, args, data, tokenizer)
        seconds = trainer.train().metrics["train_runtime"]
        rows["Trainer"] = {"train_seconds": round(seconds, 1), "steps": trainer.state.global_step,
                           "reviews_per_s": round(len(data["train"]) / seconds, 1),
                           "validation_accuracy": round(trainer.evaluate()["eval_accuracy"], 4),
                           "test_accuracy": round(trainer.evaluate(data["test"], metric_key_prefix="test")["test_accuracy"], 4)}
    print("Trainer:  ", rows["Trainer"], flush=True)
    ratio = rows["hand loop"]["reviews_per_s"] / rows["Trainer"]["reviews_per_s"]
    return {"runs": rows, "throughput_ratio_hand_over_trainer": round(ratio, 3),
            "test_accuracy_difference": round(rows["hand loop"]["test_accuracy"] - rows["Trainer"]["test_accuracy"], 4),
            "weight_decay": 0.0, "recipe": "helpers.training.RECIPE (lesson 04)"}


def processes() -> dict:
    where = helpers.launch.plan(2)   # the lesson's own decision: precision, and which devices
    script = helpers.launch.script("train_accelerate.py")
    common = f"--num_machines 1 --mixed_precision {where.mixed_precision} --dynamo_backend no"
    runs = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, launcher, batch in (
                ("1 process", f"--num_processes 1 --num_cpu_threads_per_process {os.cpu_count()}", 32),
                ("2 processes", "--multi_gpu --num_processes 2", 16)):
            out = Path(tmp) / name.replace(" ", "_")
            launched = helpers.launch.run(f"accelerate launch {launcher} {common} {script} --batch-size {batch} "
                                          f"--output {out}", echo=False, timeout=1800, env=where.env)
            result = json.loads((out / "result.json").read_text())
            runs[name] = {"command": launched.command.replace(str(script), "lessons/scripts/train_accelerate.py")
                          .replace(str(out), "OUT"),
                          "threads_per_process": result["threads_per_process"],
                          "global_batch": result["global_batch"], "optimizer_steps": result["optimizer_steps"],
                          "train_seconds": result["seconds"], "reviews_per_s": result["samples_per_s"],
                          "validation_accuracy": result["history"][-1]["validation_accuracy"],
                          "wall_seconds": round(launched.seconds, 1)}
            print(f"{name}:", runs[name], flush=True)
    return {"runs": runs, "speedup_2_over_1": round(runs["2 processes"]["reviews_per_s"] / runs["1 process"]["reviews_per_s"], 3)}


def tables(report: dict) -> str:
    """The README's two tables for lesson 09, from benchmarks/results/loop.json."""
    h, p = report["hand_vs_trainer"], report["processes"]
    lines = ["| one epoch of lesson 04's recipe | training s | reviews/s | validation accuracy | test accuracy |",
             "|---|---|---|---|---|"]
    for name, r in h["runs"].items():
        lines.append(f"| {name} | {r['train_seconds']} | {r['reviews_per_s']} | {r['validation_accuracy']:.4f} "
                     f"| {r['test_accuracy']:.4f} |")
    lines += ["", "| `train_accelerate.py`, one epoch, global batch 32 | threads per process | training s "
              "| reviews/s | validation accuracy |", "|---|---|---|---|---|"]
    for name, r in p["runs"].items():
        lines.append(f"| {name} | {r['threads_per_process']} | {r['train_seconds']} | {r['reviews_per_s']} "
                     f"| {r['validation_accuracy']:.4f} |")
    return "\n".join(lines)


def main() -> None:
    parts = sys.argv[1:] or ["hand_vs_trainer", "processes"]
    payload = {}
    if (RESULTS / "loop.json").exists():   # a part not asked for keeps its last measurement
        payload = {k: v for k, v in json.loads((RESULTS / "loop.json").read_text()).items() if k != "machine"}
    if "hand_vs_trainer" in parts:
        payload["hand_vs_trainer"] = hand_and_trainer()
    if "processes" in parts:
        payload["processes"] = processes()
    path = write("loop", payload)
    h, p = payload["hand_vs_trainer"], payload["processes"]
    print(f"\nhand loop / Trainer throughput {h['throughput_ratio_hand_over_trainer']:.2f}, "
          f"test accuracy difference {h['test_accuracy_difference']:+.4f}")
    print(f"2 processes / 1 process throughput {p['speedup_2_over_1']:.2f}")
    print(tables(payload))
    print("wrote", path)


if __name__ == "__main__":
    main()
