"""How much lesson 04's result moves with the random seed alone.

    python benchmarks/seeds.py            # 3 seeds, about 5 minutes on 2 cores

The recipe is trained again with seeds 0, 1 and 2: the seed sets the new head's first weights,
the order of the batches and the dropout masks; the data, the settings and the schedule stay. Each
run is measured on the validation split only (the test split is not opened here). The spread of
the three is noise that no setting caused: a difference between two recipes smaller than it is
not evidence for either (lesson 05). Writes benchmarks/results/seeds.json and prints a summary.
"""

from __future__ import annotations

import dataclasses
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from _common import write  # noqa: E402

SEEDS = (0, 1, 2)


def main() -> None:
    import helpers
    from helpers import training
    from transformers import AutoTokenizer, set_seed

    helpers.setup()
    helpers.environment.quiet_loading(True)
    tokenizer = AutoTokenizer.from_pretrained(helpers.base_model_path())
    data = training.tokenize(helpers.load_reviews(), tokenizer)
    rows = []
    for seed in SEEDS:
        recipe = dataclasses.replace(training.RECIPE, seed=seed)
        set_seed(seed)
        model = training.recipe_classifier(recipe)
        with tempfile.TemporaryDirectory() as out:
            args = training.training_arguments(out, recipe, eval_strategy="steps",
                                               eval_steps=training.EVAL_STEPS, disable_tqdm=True)
            trainer = training.make_trainer(model, args, data, tokenizer)
            start = time.perf_counter()
            trainer.train()
            seconds = time.perf_counter() - start
        checks = training.validation_by_step(trainer)
        rows.append({"seed": seed, "validation_by_step": checks,
                     "validation_accuracy": round(checks[max(checks, key=int)], 4),
                     "train_seconds": round(seconds, 1)})
        print(f"seed {seed}: validation accuracy {rows[-1]['validation_accuracy']:.4f} "
              f"({rows[-1]['train_seconds']} s)", flush=True)
    accuracies = [r["validation_accuracy"] for r in rows]
    summary = {"mean": round(statistics.mean(accuracies), 4), "stdev": round(statistics.stdev(accuracies), 4),
               "range": round(max(accuracies) - min(accuracies), 4)}
    out = write("seeds", {"recipe": dataclasses.asdict(training.RECIPE), "split": "validation",
                          "reviews": len(data["validation"]), "runs": rows, "summary": summary,
                          "command": "python benchmarks/seeds.py"})
    print(f"validation accuracy over seeds {list(SEEDS)}: mean {summary['mean']:.4f}, "
          f"standard deviation {summary['stdev']:.4f}, range {summary['range']:.4f} -> {out}")


if __name__ == "__main__":
    main()
