"""How long one validation pass takes at each evaluation batch size, on this machine.

    python benchmarks/eval_batch.py

Evaluation pads each batch to its longest review, and the Trainer's length-grouped sampler
already puts reviews of similar length together, so the batch size decides the rest: how much
work each matrix product gets, and whether its activations fit in the processor's cache. The
lessons' evaluation batch (``helpers.training.EVAL_BATCH``) is chosen from this table. Each size
is timed twice on lesson 04's 994 validation reviews (max_length 64), and the faster run kept.
Writes benchmarks/results/eval-batch.json.
"""

from __future__ import annotations

import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from _common import write  # noqa: E402

SIZES = (8, 16, 32, 64, 128)


def main() -> None:
    import helpers
    from helpers import training
    from transformers import AutoTokenizer

    helpers.setup()
    tokenizer = AutoTokenizer.from_pretrained(helpers.base_model_path())
    data = training.tokenize(helpers.load_reviews(), tokenizer)
    model = training.new_classifier()
    rows = []
    for size in SIZES:
        args = training.training_arguments("output/eval_batch", per_device_eval_batch_size=size,
                                           disable_tqdm=True)
        trainer = training.make_trainer(model, args, data, tokenizer)
        runs = []
        for _ in range(2):
            start = time.perf_counter()
            trainer.evaluate()
            runs.append(time.perf_counter() - start)
        rows.append({"eval_batch": size, "seconds": round(min(runs), 2),
                     "reviews_per_s": round(len(data["validation"]) / min(runs), 1)})
        print(f"batch {size:>3}: {min(runs):5.1f} s for {len(data['validation'])} validation reviews", flush=True)
    best = min(rows, key=lambda r: r["seconds"])
    out = write("eval-batch", {"split": "validation", "reviews": len(data["validation"]),
                               "max_length": training.RECIPE.max_length, "rows": rows,
                               "fastest": best["eval_batch"], "chosen": training.EVAL_BATCH})
    print(f"fastest: {best['eval_batch']}; the lessons use {training.EVAL_BATCH} -> {out}")


if __name__ == "__main__":
    main()
