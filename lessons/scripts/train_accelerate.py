"""Lesson 09's training loop, written once for Accelerate.

The same file runs on one CPU, on several CPU processes, on one GPU and on many GPUs. Only the
command that starts it changes:

    accelerate launch --num_processes 1 --num_cpu_threads_per_process 2 --mixed_precision bf16 lessons/scripts/train_accelerate.py
        one process (using 2 CPU cores, or one GPU)
    accelerate launch --multi_gpu --num_processes 2 --mixed_precision bf16 lessons/scripts/train_accelerate.py
        two processes (two GPUs, or two CPU processes on a machine without a GPU)

Compared with the loop of lesson 09, part 1, a few lines change (marked "Accelerate:" below):
the Accelerator is created, `prepare` wraps the model, optimizer, data and schedule,
`accelerator.backward(loss)` replaces `loss.backward()`, `gather_for_metrics` collects the
predictions of every process, and only the main process prints and saves.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import time
from pathlib import Path

import datasets
import torch
from accelerate import Accelerator
from accelerate.utils import gather_object, set_seed
from torch.utils.data import DataLoader
from transformers import (AutoModelForSequenceClassification, AutoTokenizer, DataCollatorWithPadding,
                          get_scheduler)
from transformers.trainer_pt_utils import LengthGroupedSampler

import helpers  # the course's assets: where the model and the reviews are, and lesson 04's tokenizing


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train-size", type=int, default=0, help="use the first N training reviews (0: all)")
    parser.add_argument("--eval-size", type=int, default=0, help="use the first N validation reviews (0: all)")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--max-steps", type=int, default=0, help="stop after N optimizer steps (0: whole epochs)")
    parser.add_argument("--batch-size", type=int, default=32, help="reviews per batch, in EACH process")
    parser.add_argument("--accumulation", type=int, default=1, help="batches per optimizer step")
    parser.add_argument("--learning-rate", type=float, default=2e-4)
    parser.add_argument("--weight-decay", type=float, default=0.01)
    parser.add_argument("--warmup", type=float, default=0.06, help="share of the steps spent warming up")
    parser.add_argument("--max-length", type=int, default=64)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--output", default="output/09_accelerate", help="folder for the model and result.json")
    return parser.parse_args()


def weights_fingerprint(model: torch.nn.Module) -> str:
    """A short hash of every weight: equal fingerprints mean identical models."""
    digest = hashlib.sha256()
    for name, tensor in sorted(model.state_dict().items()):
        digest.update(name.encode())
        digest.update(tensor.detach().float().cpu().numpy().tobytes())
    return digest.hexdigest()[:12]


def batch_fingerprint(batch: dict) -> str:
    """A short hash of one batch's token ids, to check which process saw which batch."""
    return hashlib.sha256(batch["input_ids"].cpu().numpy().tobytes()).hexdigest()[:12]


def main() -> None:
    args = parse_args()
    # Accelerate: one object that knows the processes, the device and the mixed precision (which
    # the launcher's --mixed_precision sets). On a machine without a GPU, cpu=True makes every
    # process a CPU process that talks to the others over gloo.
    accelerator = Accelerator(cpu=not torch.cuda.is_available(),
                              gradient_accumulation_steps=args.accumulation)
    rank, world = accelerator.process_index, accelerator.num_processes
    print(f"[rank {rank} of {world}] device {accelerator.device}, {accelerator.distributed_type.value}, "
          f"precision {accelerator.mixed_precision}, {torch.get_num_threads()} CPU threads\n", end="", flush=True)

    # Data: lesson 04's tokenized reviews (every process reads the same files).
    tokenizer = AutoTokenizer.from_pretrained(helpers.base_model_path())
    helpers.environment.quiet_loading(True)
    datasets.disable_progress_bars()
    reviews = helpers.load_reviews()
    reviews = datasets.DatasetDict(
        train=reviews["train"].select(range(args.train_size or len(reviews["train"]))),
        validation=reviews["validation"].select(range(args.eval_size or len(reviews["validation"]))))
    with accelerator.main_process_first():  # the main process tokenizes and caches; the others reuse it
        tokenized = helpers.training.tokenize(reviews, tokenizer, max_length=args.max_length)
    train, validation = tokenized["train"], tokenized["validation"]
    collator = DataCollatorWithPadding(tokenizer)
    # A generator with the same seed in every process, so every process builds the same batches
    # in the same order; prepare() below then hands each process its own share of them.
    sampler = LengthGroupedSampler(args.batch_size, lengths=[len(ids) for ids in train["input_ids"]],
                                   generator=torch.Generator().manual_seed(args.seed))
    train_loader = DataLoader(train, batch_size=args.batch_size, sampler=sampler, collate_fn=collator)
    eval_loader = DataLoader(validation, batch_size=32, collate_fn=collator)

    # The model: the same seed in every process gives the same new classifier head.
    set_seed(args.seed)
    model = AutoModelForSequenceClassification.from_pretrained(
        helpers.base_model_path(), num_labels=2,
        id2label=helpers.training.ID2LABEL, label2id=helpers.training.LABEL2ID)
    start_weights = weights_fingerprint(model)

    no_decay = ("bias", "LayerNorm.weight")
    groups = [
        {"params": [p for n, p in model.named_parameters() if not n.endswith(no_decay)],
         "weight_decay": args.weight_decay},
        {"params": [p for n, p in model.named_parameters() if n.endswith(no_decay)], "weight_decay": 0.0},
    ]
    optimizer = torch.optim.AdamW(groups, lr=args.learning_rate, fused=True)
    # The schedule counts optimizer steps as if one process did all the work: after prepare(),
    # Accelerate advances it once for every process at each step, so it still ends on time.
    steps = args.epochs * math.ceil(len(train_loader) / args.accumulation)
    if args.max_steps:
        steps = min(steps, args.max_steps * accelerator.num_processes)
    scheduler = get_scheduler("linear", optimizer, num_warmup_steps=math.ceil(args.warmup * steps),
                              num_training_steps=steps)

    # Accelerate: wrap everything. The model becomes a DistributedDataParallel model when there are
    # several processes, and each process's DataLoader now yields only that process's batches.
    model, optimizer, train_loader, eval_loader, scheduler = accelerator.prepare(
        model, optimizer, train_loader, eval_loader, scheduler)

    seen, history = [], []
    start = time.perf_counter()
    for epoch in range(args.epochs):
        model.train()
        total_loss, batches = 0.0, 0
        for batch in train_loader:
            if args.max_steps and len(seen) == args.max_steps * args.accumulation:
                break
            seen.append(batch_fingerprint(batch))
            with accelerator.accumulate(model):           # Accelerate: steps only every `accumulation` batches
                loss = model(**batch).loss                # autocast in bf16 comes from the Accelerator
                accelerator.backward(loss)                # Accelerate: instead of loss.backward()
                if accelerator.sync_gradients:
                    accelerator.clip_grad_norm_(model.parameters(), 1.0)
                optimizer.step()
                scheduler.step()
                optimizer.zero_grad()
            total_loss += loss.item()
            batches += 1
        # The mean training loss over all processes (each one only saw its own batches).
        mean_loss = accelerator.reduce(torch.tensor(total_loss / batches, device=accelerator.device), "mean").item()

        model.eval()
        correct = total = 0
        with torch.no_grad():
            for batch in eval_loader:
                logits = model(**batch).logits
                # Accelerate: collect every process's predictions (and drop the padding copies).
                predictions, labels = accelerator.gather_for_metrics((logits.argmax(-1), batch["labels"]))
                correct += (predictions == labels).sum().item()
                total += len(labels)
        history.append({"epoch": epoch + 1, "train_loss": round(mean_loss, 4),
                        "validation_accuracy": round(correct / total, 4), "validation_reviews": total})
        accelerator.print(f"epoch {epoch + 1}: training loss {mean_loss:.4f}, "
                          f"validation accuracy {correct / total:.4f} on {total} reviews")
    seconds = time.perf_counter() - start

    # What each process saw, collected on every process; only the main process writes it down.
    per_process = gather_object([{"rank": rank, "start_weights": start_weights, "batches": seen}])
    accelerator.wait_for_everyone()
    output = Path(args.output)
    if accelerator.is_main_process:
        output.mkdir(parents=True, exist_ok=True)
        # Accelerate: unwrap the DistributedDataParallel shell, then save as usual.
        accelerator.unwrap_model(model).save_pretrained(output / "model", save_function=accelerator.save)
        tokenizer.save_pretrained(output / "model")
        result = {
            "processes": world, "distributed_type": accelerator.distributed_type.value,
            "mixed_precision": accelerator.mixed_precision, "threads_per_process": torch.get_num_threads(),
            "batch_per_process": args.batch_size, "accumulation": args.accumulation,
            "global_batch": args.batch_size * world * args.accumulation,
            "optimizer_steps": math.ceil(len(seen) / args.accumulation), "train_reviews": len(train),
            "seconds": round(seconds, 1), "samples_per_s": round(len(seen) * args.batch_size * world / seconds, 1),
            "history": history,
            "per_process": per_process,
        }
        (output / "result.json").write_text(json.dumps(result, indent=1))
        accelerator.print(f"trained in {seconds:.1f} s; saved the model and result.json in {output}")
    accelerator.end_training()


if __name__ == "__main__":
    main()
