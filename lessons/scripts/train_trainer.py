"""Lesson 04's Trainer, unchanged, in a file that a launcher can start on several processes.

    python lessons/scripts/train_trainer.py
    accelerate launch --multi_gpu --num_processes 2 lessons/scripts/train_trainer.py

Trainer reads the launcher's environment (RANK, WORLD_SIZE, ...) by itself: the code below is
the same for one process and for many. It trains twice for a few steps, with the same seed and
data: once as lesson 04 does, and once with `model.accepts_loss_kwargs = False` (lesson 09
explains why), and prints the training loss that Trainer reports each time.
"""

from __future__ import annotations

import argparse
import json

from datasets import DatasetDict, disable_progress_bars
from transformers import AutoTokenizer, set_seed

import helpers  # the course's assets, and lesson 04's Trainer set-up (helpers.training)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=2, help="optimizer steps per run")
    parser.add_argument("--batch-size", type=int, default=16, help="reviews per batch, in EACH process")
    parser.add_argument("--output", default="output/09_trainer")
    args = parser.parse_args()

    disable_progress_bars()
    helpers.environment.quiet_loading(True)
    tokenizer = AutoTokenizer.from_pretrained(helpers.base_model_path())
    reviews = helpers.load_reviews()
    # A few steps need few reviews: the first 1,024 of the training split, and 64 for validation.
    reviews = DatasetDict(train=reviews["train"].select(range(1024)), validation=reviews["validation"].select(range(64)))
    tokenized = helpers.training.tokenize(reviews, tokenizer)

    for loss_kwargs in (True, False):
        set_seed(0)
        model = helpers.training.new_classifier()
        if not loss_kwargs:
            model.accepts_loss_kwargs = False   # this model's loss is already a mean: don't rescale it
        training_args = helpers.training.training_arguments(
            args.output, max_steps=args.steps, per_device_train_batch_size=args.batch_size,
            logging_steps=args.steps, disable_tqdm=True, log_level_replica="error",
            ddp_find_unused_parameters=False)
        trainer = helpers.training.make_trainer(model, training_args, tokenized, tokenizer)
        result = trainer.train()
        if trainer.is_world_process_zero():   # only the first process prints
            print(json.dumps({"processes": training_args.world_size,
                              "accepts_loss_kwargs": loss_kwargs,
                              "global_batch": training_args.world_size * args.batch_size,
                              "reported_training_loss": round(result.training_loss, 4),
                              "gradient_norm": round(trainer.state.log_history[0]["grad_norm"], 4)}),
                  flush=True)


if __name__ == "__main__":
    main()
