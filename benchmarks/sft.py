"""The figures behind lesson 11: SFT's learning rate, chosen on validation, within the lesson's budget.

    python benchmarks/sft.py          # about 10 minutes on 2 cores, on a quiet machine

SmolLM2-135M-Instruct with the lesson's own prompt, reply parser and batched generation (its
cells tagged "llm": task, parse, generate, run as written), on 200 **validation** reviews:
zero-shot first, then after SFT with a LoRA adapter (the lesson's settings) at four learning
rates, the grid reaching past the best value on both sides. The number of training examples is
fixed by the lesson's time budget of 240 s (16 steps of 8, about 75 s of training on a 2-core CPU
without bf16), not chosen. The test split is not touched: the lesson measures it, once.
Writes benchmarks/results/sft.json and prints a summary.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from importlib import metadata

sys.path.insert(0, os.path.dirname(__file__))
from _common import write  # noqa: E402

import helpers  # noqa: E402

LEARNING_RATES = (5e-4, 1e-3, 2e-3, 4e-3)
EXAMPLES = 128  # 16 steps of 8: what fits the lesson's budget (about 75 s of training at most)
VALIDATION = 200  # as many reviews as the lesson holds out from the test split


def table(report: dict) -> str:
    """The README's table for lesson 11, from benchmarks/results/sft.json."""
    z = report["zero_shot"]
    lines = [f"| {report.get('validation_reviews', 300)} validation reviews | learning rate | training s | accuracy | unparseable replies |",
             "|---|---|---|---|---|",
             f"| zero-shot | - | - | {z['validation_accuracy']:.4f} | {z['unparseable']} |"]
    for run in report["runs"]:
        lines.append(f"| SFT, {run['examples']} examples ({run['steps']} steps) | {run['learning_rate']:g} "
                     f"| {run['train_seconds']} | {run['validation_accuracy']:.4f} | {run['unparseable']} |")
    return "\n".join(lines)


def lesson_cells(tokenizer) -> dict:
    """The lesson's cells tagged "llm" (task, parse, generate), run as written: its prompt, its
    200 held-out test reviews, its reply parser and its batched generation."""
    import torch

    lesson = {"helpers": helpers, "tokenizer": tokenizer, "torch": torch}  # what earlier cells imported
    for tag in ("task", "parse", "generate"):
        helpers.course.run_tagged_cells("11_chat_sft", "llm", tag, lesson)
    return lesson


def training_examples(lesson: dict):
    """The first EXAMPLES training reviews (seed 0) as prompt/completion conversations."""
    train_data = lesson["reviews"]["train"].shuffle(seed=0).select(range(EXAMPLES))
    labels = lesson["LABELS"]
    return train_data.map(lambda row: {"prompt": lesson["messages"](row["text"]),
                                       "completion": [{"role": "assistant", "content": labels[row["label"]]}]},
                          remove_columns=train_data.column_names)


def train_sft(path, tokenizer, train_data, learning_rate: float, out: str):
    """SFT with the lesson's LoRA settings: returns the trainer (its model is the tuned one) and
    the training seconds."""
    from peft import LoraConfig
    from transformers import AutoModelForCausalLM
    from trl import SFTConfig, SFTTrainer

    args = SFTConfig(output_dir=out, per_device_train_batch_size=8, num_train_epochs=1, learning_rate=learning_rate,
                     lr_scheduler_type="linear", warmup_steps=0.1, max_length=128, completion_only_loss=True,
                     gradient_checkpointing=False, train_sampling_strategy="group_by_length",
                     logging_steps=4, save_strategy="no", report_to="none", seed=0,
                     use_cpu=helpers.training.device_kind() == "cpu", **helpers.training.precision_flags())
    lora = LoraConfig(r=8, lora_alpha=16, lora_dropout=0.05, target_modules=["q_proj", "v_proj"],
                      task_type="CAUSAL_LM")
    trainer = SFTTrainer(model=AutoModelForCausalLM.from_pretrained(path), args=args,
                         train_dataset=train_data, processing_class=tokenizer, peft_config=lora)
    start = time.perf_counter()
    trainer.train()
    return trainer, time.perf_counter() - start


def main() -> None:
    from transformers import AutoModelForCausalLM, AutoTokenizer

    helpers.environment.quiet_loading(True)
    path = helpers.llm.chat_model_path()
    tokenizer = AutoTokenizer.from_pretrained(path)
    lesson = lesson_cells(tokenizer)
    validation = lesson["reviews"]["validation"].shuffle(seed=0).select(range(VALIDATION))
    train_data = training_examples(lesson)

    def measure(model) -> dict:
        start = time.perf_counter()
        result = lesson["score"](lesson["answer_all"](model, validation["text"]), validation["label"])
        return {"validation_accuracy": round(result["accuracy"], 4), "unparseable": result["unparseable"],
                "generation_seconds": round(time.perf_counter() - start, 1)}

    zero_shot = measure(AutoModelForCausalLM.from_pretrained(path))
    print("zero-shot:", zero_shot, flush=True)
    runs = []
    for lr in LEARNING_RATES:
        with tempfile.TemporaryDirectory() as out:
            trainer, seconds = train_sft(path, tokenizer, train_data, lr, out)
            runs.append({"learning_rate": lr, "examples": EXAMPLES, "steps": trainer.state.global_step,
                         "train_seconds": round(seconds, 1), **measure(trainer.model)})
        print("run:", runs[-1], flush=True)
    best = max(runs, key=lambda run: run["validation_accuracy"])
    result = {"validation_reviews": VALIDATION, "zero_shot": zero_shot, "runs": runs,
              "selected": {"learning_rate": best["learning_rate"], "examples": EXAMPLES},
              "selected_on": "validation", "examples_chosen_by": "the lesson's time budget",
              "versions": {n: metadata.version(n) for n in ("peft", "trl", "gguf")}}
    write("sft", result)
    print(json.dumps(result, indent=1))
    print(table(result))


if __name__ == "__main__":
    main()
