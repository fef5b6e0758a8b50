"""The figures behind lesson 13: DPO's beta and learning rate, chosen on validation, then one
four-way comparison on the test reviews.

    python benchmarks/dpo.py          # about 25 minutes on 2 cores with bf16, on a quiet machine

SmolLM2-135M-Instruct with lesson 11's prompt, reply parser and batched generation (its cells
tagged "llm", run as written). The preference pairs are lesson 13's: the same 128 training reviews
that lesson 11's SFT learns from, the model's own greedy reply as the rejected answer, the label's
word as the chosen one (``make_pairs``, the course's reference of the lesson's exercise). Validation
and test reviews never enter a pair.

1. **Choice, on 200 validation reviews:** DPO with a LoRA adapter from the instruct model, every
   ``beta`` in BETAS with every learning rate in LEARNING_RATES; the grid must hold its best value
   inside (the learning rates are extended upwards when the best is the largest). A run already
   in benchmarks/results/dpo.json with the same pairs, beta and learning rate is reused, not
   trained again (``"reused": true``), so that widening the grid costs only the new runs.
2. **Test, once, on the first 300 test reviews (shuffled with seed 0, lesson 13's set):** the
   zero-shot model, SFT (lesson 11's recipe and learning rate, benchmarks/sft.py), DPO (the chosen
   setting), and SFT then DPO (the SFT adapter merged, then DPO with the chosen setting on pairs
   made from the SFT model's own replies to the same 128 reviews). Each with its accuracy and 95%
   bootstrap interval, the unparseable replies, the training seconds; paired differences too.

Writes benchmarks/results/dpo.json and prints a summary.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from importlib import metadata

sys.path.insert(0, os.path.dirname(__file__))
from _common import extend_upwards, write  # noqa: E402

import helpers  # noqa: E402

BETAS = (0.1, 0.5, 1.0)
LEARNING_RATES = (3e-4, 1e-3)  # 1e-4 left no mark on 16 steps at either beta (0.61, as zero-shot)
EXAMPLES = 128  # the training reviews of lesson 11's SFT: equal data for SFT and DPO
VALIDATION = 200
TEST = 300
SFT_LEARNING_RATE = 1e-3  # lesson 11's, chosen on validation by benchmarks/sft.py


def dpo_config(out: str, beta: float, learning_rate: float):
    """Lesson 13's DPOConfig, with ``beta`` and the learning rate as given."""
    from trl import DPOConfig

    return DPOConfig(output_dir=out, per_device_train_batch_size=8, num_train_epochs=1,
                     learning_rate=learning_rate, beta=beta, lr_scheduler_type="linear", warmup_steps=0.1,
                     max_length=160, gradient_checkpointing=False, logging_steps=2, save_strategy="no",
                     report_to="none", seed=0,
                     use_cpu=helpers.training.device_kind() == "cpu", **helpers.training.precision_flags())


def lora_config():
    from peft import LoraConfig

    return LoraConfig(r=8, lora_alpha=16, lora_dropout=0.05, target_modules=["q_proj", "v_proj"],
                      task_type="CAUSAL_LM")


def train_dpo(model, tokenizer, pairs, beta: float, learning_rate: float):
    """DPO with a fresh LoRA adapter on ``model``: the trainer and the training seconds."""
    from trl import DPOTrainer

    with tempfile.TemporaryDirectory() as out:
        trainer = DPOTrainer(model=model, args=dpo_config(out, beta, learning_rate), train_dataset=pairs,
                             processing_class=tokenizer, peft_config=lora_config())
        start = time.perf_counter()
        trainer.train()
        return trainer, time.perf_counter() - start


def table(report: dict) -> str:
    """The README's table for lesson 13, from benchmarks/results/dpo.json."""
    lines = [f"| {report['test_reviews']} test reviews | accuracy (95% interval) | unparseable replies "
             "| pairs or examples | training s |", "|---|---|---|---|---|"]
    for row in report["test"]:
        acc = row["accuracy"]
        lines.append(f"| {row['model']} | {acc['value']:.3f} ({acc['low']:.3f} to {acc['high']:.3f}) "
                     f"| {row['unparseable']} | {row['training_rows']} | {row['train_seconds']} |")
    return "\n".join(lines)


def grid_table(report: dict) -> str:
    """The README's table of the validation grid, from benchmarks/results/dpo.json."""
    z = report["zero_shot_validation"]
    lines = [f"| {report['validation_reviews']} validation reviews | beta | learning rate | training s | accuracy "
             "| unparseable replies | last logged margin |", "|---|---|---|---|---|---|---|",
             f"| zero-shot | - | - | - | {z['accuracy']:.4f} | {z['unparseable']} | - |"]
    for run in report["runs"]:
        lines.append(f"| DPO, {run['pairs']} pairs ({run['steps']} steps) | {run['beta']:g} | {run['learning_rate']:g} "
                     f"| {run['train_seconds']} | {run['validation_accuracy']:.4f} | {run['unparseable']} "
                     f"| {run['last_logged']['rewards/margins']:.2f} |")
    return "\n".join(lines)


def main() -> None:
    import torch
    from datasets import Dataset
    from transformers import AutoModelForCausalLM, AutoTokenizer

    sys.path.insert(0, os.path.dirname(__file__))
    from sft import train_sft, training_examples

    helpers.environment.quiet_loading(True)
    path = helpers.llm.chat_model_path()
    tokenizer = AutoTokenizer.from_pretrained(path)
    lesson = {"helpers": helpers, "tokenizer": tokenizer, "torch": torch}
    for tag in ("task", "parse", "generate"):
        helpers.course.run_tagged_cells("11_chat_sft", "llm", tag, lesson)
    reviews, answer_all, parse_reply, labels = (lesson["reviews"], lesson["answer_all"], lesson["parse_reply"],
                                                lesson["LABELS"])
    make_pairs = helpers.exercises.reference("make_pairs")
    train = reviews["train"].shuffle(seed=0).select(range(EXAMPLES))
    validation = reviews["validation"].shuffle(seed=0).select(range(VALIDATION))
    test = reviews["test"].shuffle(seed=0).select(range(TEST))

    def pairs_from(model):
        replies = answer_all(model, train["text"])
        return Dataset.from_list(make_pairs(list(train["text"]), list(train["label"]), replies))

    def measure(model, split) -> dict:
        start = time.perf_counter()
        replies = answer_all(model, split["text"])
        parsed = [parse_reply(r) for r in replies]
        right = [p == labels[y] for p, y in zip(parsed, split["label"])]
        return {"right": right, "accuracy": sum(right) / len(right),
                "unparseable": sum(p is None for p in parsed),
                "generation_seconds": round(time.perf_counter() - start, 1)}

    base = AutoModelForCausalLM.from_pretrained(path)
    start = time.perf_counter()
    pairs = pairs_from(base)
    pair_seconds = round(time.perf_counter() - start, 1)
    print(f"{len(pairs)} pairs from {EXAMPLES} training reviews ({pair_seconds} s)", flush=True)
    zero_val = measure(base, validation)
    print("zero-shot, validation:", zero_val["accuracy"], flush=True)

    runs = []
    previous_path = os.path.join(os.path.dirname(__file__), "results", "dpo.json")
    previous = {}
    if os.path.exists(previous_path):
        old = json.load(open(previous_path))
        if old.get("pairs") == len(pairs) and old.get("examples") == EXAMPLES:
            previous = {(r["beta"], r["learning_rate"]): {**r, "reused": True} for r in old["runs"]
                        if r.get("gradient_checkpointing") is False}

    def run(beta: float, lr: float) -> dict:
        if (beta, lr) in previous:
            print("reused:", previous[(beta, lr)], flush=True)
            return previous[(beta, lr)]
        trainer, seconds = train_dpo(AutoModelForCausalLM.from_pretrained(path), tokenizer, pairs, beta, lr)
        logs = [h for h in trainer.state.log_history if "rewards/margins" in h]
        result = measure(trainer.model, validation)
        row = {"beta": beta, "learning_rate": lr, "gradient_checkpointing": False, "pairs": len(pairs),
               "steps": trainer.state.global_step,
               "train_seconds": round(seconds, 1), "validation_accuracy": round(result["accuracy"], 4),
               "unparseable": result["unparseable"],
               "last_logged": {k: round(float(logs[-1][k]), 4) for k in
                               ("rewards/chosen", "rewards/rejected", "rewards/margins", "rewards/accuracies")}}
        print("run:", row, flush=True)
        return row

    for beta in BETAS:
        beta_runs = [run(beta, lr) for lr in LEARNING_RATES]

        def best_of(rs):
            return max(rs, key=lambda r: (r["validation_accuracy"], -r["unparseable"]))

        extend_upwards(beta_runs, best_of, lambda r: r["learning_rate"],
                       lambda best, lr: run(beta, lr), limit=4e-3)
        runs.extend(beta_runs)
    best = max(runs, key=lambda r: (r["validation_accuracy"], -r["unparseable"]))
    beta, lr = best["beta"], best["learning_rate"]
    print("chosen on validation:", beta, lr, flush=True)

    # The test split, once: four models on the same reviews.
    rows = []
    zero = measure(base, test)
    rows.append(("zero-shot", zero, 0, 0.0))
    with tempfile.TemporaryDirectory() as out:
        sft, sft_seconds = train_sft(path, tokenizer, training_examples(lesson), SFT_LEARNING_RATE, out)
    rows.append(("SFT", measure(sft.model, test), EXAMPLES, round(sft_seconds, 1)))
    dpo, dpo_seconds = train_dpo(AutoModelForCausalLM.from_pretrained(path), tokenizer, pairs, beta, lr)
    rows.append(("DPO", measure(dpo.model, test), len(pairs), round(dpo_seconds, 1)))
    merged = sft.model.merge_and_unload()
    sft_pairs = pairs_from(merged)
    both, both_seconds = train_dpo(merged, tokenizer, sft_pairs, beta, lr)
    rows.append(("SFT then DPO", measure(both.model, test), f"{EXAMPLES} + {len(sft_pairs)}",
                 round(sft_seconds + both_seconds, 1)))
    test_rows = []
    for name, result, used, seconds in rows:
        gold = [1] * len(result["right"])
        acc = helpers.uncertainty.bootstrap_interval(gold, [int(r) for r in result["right"]])
        test_rows.append({"model": name, "accuracy": {"value": round(acc.value, 4), "low": round(acc.low, 4),
                                                      "high": round(acc.high, 4)},
                          "unparseable": result["unparseable"], "training_rows": used, "train_seconds": seconds})
    right = {name: result["right"] for name, result, _, _ in rows}
    differences = {}
    for a, b in (("DPO", "zero-shot"), ("DPO", "SFT"), ("SFT then DPO", "SFT"), ("SFT", "zero-shot")):
        d = helpers.uncertainty.paired_right(right[a], right[b])
        only_a, only_b = helpers.uncertainty.counts(right[a], right[b])
        differences[f"{a} minus {b}"] = {"value": round(d.value, 4), "low": round(d.low, 4), "high": round(d.high, 4),
                                         "mcnemar_p": helpers.uncertainty.mcnemar(only_a, only_b)}
    result = {"examples": EXAMPLES, "pairs": len(pairs), "pair_seconds": pair_seconds,
              "validation_reviews": VALIDATION, "test_reviews": TEST,
              "zero_shot_validation": {"accuracy": round(zero_val["accuracy"], 4),
                                       "unparseable": zero_val["unparseable"]},
              "grid": {"betas": list(BETAS), "learning_rates": sorted({r["learning_rate"] for r in runs})},
              "runs": runs, "selected": {"beta": beta, "learning_rate": lr}, "selected_on": "validation",
              "test": test_rows, "differences": differences, "sft_then_dpo_pairs": len(sft_pairs),
              "versions": {n: metadata.version(n) for n in ("peft", "trl")}}
    write("dpo", result)
    print(json.dumps({k: v for k, v in result.items() if k != "runs"}, indent=1))
    print(grid_table(result))
    print(table(result))


if __name__ == "__main__":
    main()
