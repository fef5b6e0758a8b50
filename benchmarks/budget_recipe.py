"""Lesson 04's recipe under a time budget: the best validation accuracy for about 90 s of training
on a 2-core CPU without bf16 (the slowest processor the course meets), so that the lesson fits
its 240 s.

    python benchmarks/budget_recipe.py        # about 15 minutes on 2 cores

Every candidate gets about the same training time on that processor: freezing the embeddings and
the lowest layers makes a step cheaper, so a candidate that freezes more sees more reviews. The
candidates' step counts come from their measured seconds per step (fp32, 2 cores, AMD EPYC with
AVX2). Each decision is made on the validation split; the test split is measured once, for the
recipe selected. Writes benchmarks/results/finetune-budget.json and prints a table.
"""

from __future__ import annotations

import dataclasses
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from _common import extend_upwards, write  # noqa: E402
from finetune import run  # noqa: E402

import helpers  # noqa: E402
from helpers.training import Recipe  # noqa: E402

BUDGET_S = 90
# What benchmarks/finetune.py selected for a whole epoch (lesson 04's recipe before the budget)
START = Recipe(learning_rate=2e-4, epochs=1.0, frozen_layers=0)
# (frozen lower layers, fraction of the epoch): the fraction gives each about BUDGET_S of training
CANDIDATES = [(0, 0.27), (3, 0.49), (4, 0.57), (5, 0.70)]
LEARNING_RATES = (1e-4, 4e-4)  # around the recipe's 2e-4; doubled again while the best is the largest


def table(report: dict) -> str:
    """The README's table of the budget selection (tests/test_readme_numbers.py compares them)."""
    lines = ["| each about the same training time, decided on the validation split | steps | validation accuracy "
             "| training s |", "|---|---|---|---|"]
    for row in report["trials"]:
        lines.append(f"| {row['step']} | {row['steps']} | {row['validation_accuracy']:.4f} | {row['train_seconds']} |")
    return "\n".join(lines)


def main() -> None:
    helpers.environment.quiet_loading()
    rows = []

    def trial(step: str, recipe: Recipe) -> dict:
        row = {"step": step, "settings": dataclasses.asdict(recipe), **run(recipe), "selected_on": "validation"}
        rows.append(row)
        print(f"{step:<48} val {row['validation_accuracy']:.4f}  {row['train_seconds']:6.1f} s  "
              f"{row['steps']} steps", flush=True)
        return row

    tried = [(trial(f"frozen layers {n}, {epochs} epoch", r), r)
             for n, epochs in CANDIDATES for r in [dataclasses.replace(START, frozen_layers=n, epochs=epochs)]]
    best = max(tried, key=lambda t: t[0]["validation_accuracy"])[1]
    for lr in LEARNING_RATES:
        recipe = dataclasses.replace(best, learning_rate=lr)
        tried.append((trial(f"the same, learning rate {lr:g}", recipe), recipe))

    def again(best: tuple, lr: float) -> tuple:
        recipe = dataclasses.replace(best[1], learning_rate=lr)
        return trial(f"the same, learning rate {lr:g}", recipe), recipe

    # The best learning rate must lie inside the grid: while it is the largest tried, try twice it.
    best = extend_upwards(tried, lambda runs: max(runs, key=lambda t: t[0]["validation_accuracy"]),
                          lambda t: t[1].learning_rate, again, limit=1e-2)[1]
    final = run(best, test=True)
    report = {"budget_s": BUDGET_S, "trials": rows,
              "selected": {"settings": dataclasses.asdict(best), "selected_on": "validation"},
              "final": {**final, "test_measured": "once, here"}}
    path = write("finetune-budget", report)
    print(table(report))
    print(f"selected: {best}\n  validation {final['validation_accuracy']:.4f}, test {final['test_accuracy']:.4f} "
          f"(measured once), {final['train_seconds']} s of training\n-> {path}")


if __name__ == "__main__":
    main()
