"""The figures behind lesson 10: LoRA's rank and learning rate, chosen on validation, then LoRA
against full fine-tuning.

    python benchmarks/lora.py            # both parts, about 12 minutes on 2 cores, on a quiet machine
    python benchmarks/lora.py sweep      # one part (sweep or compare)

1. sweep: LoRA on lesson 04's classifier (adapters on the attention's query and value, the new
   head and the pooler trained in full, alpha = 2 x r) for the steps of lesson 04's recipe (its
   time budget: part of an epoch), with r in (8, 16) and learning rates (1e-3, 2e-3, 4e-3),
   doubled again while the best run has the largest rate tried, so that the best lies inside the
   grid. Each run is scored on the **validation** split only, and the best one is selected. The
   test split is not touched.
2. compare: the selected LoRA setting and lesson 04's full fine-tune, back to back, with the same
   arguments (no validation checks during training): training seconds, the memory of one training
   step counted tensor by tensor (helpers.memory.training_memory, on the same batch of 32),
   trainable share, size on disk, and the test accuracy, measured once for each at the end.
Writes benchmarks/results/lora.json and prints a summary.
"""

from __future__ import annotations

import json
from importlib import metadata
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(__file__))
from _common import RESULTS, extend_upwards, write  # noqa: E402

import helpers  # noqa: E402

RANKS = (8, 16)
LEARNING_RATES = (1e-3, 2e-3, 4e-3)


def lora_model(r: int):
    from peft import LoraConfig, get_peft_model

    config = LoraConfig(task_type="SEQ_CLS", r=r, lora_alpha=2 * r, lora_dropout=0.1,
                        target_modules=["query", "value"], modules_to_save=["classifier", "pooler"])
    return get_peft_model(helpers.training.new_classifier(seed=helpers.training.RECIPE.seed), config)


def train(model, data, tokenizer, learning_rate: float, out: str):
    from transformers import set_seed

    recipe = helpers.training.RECIPE
    set_seed(recipe.seed)
    args = helpers.training.training_arguments(out, recipe, learning_rate=learning_rate)
    trainer = helpers.training.make_trainer(model, args, data, tokenizer)
    start = time.perf_counter()
    trainer.train()
    return trainer, round(time.perf_counter() - start, 1)


def setup():
    from transformers import AutoTokenizer

    helpers.environment.quiet_loading(True)
    tokenizer = AutoTokenizer.from_pretrained(helpers.base_model_path())
    data = helpers.training.tokenize(helpers.load_reviews(), tokenizer, helpers.training.RECIPE.max_length)
    return tokenizer, data


def sweep() -> dict:
    tokenizer, data = setup()
    runs = []
    for r in RANKS:
        for lr in LEARNING_RATES:
            with tempfile.TemporaryDirectory() as tmp:
                trainer, seconds = train(lora_model(r), data, tokenizer, lr, tmp)
                val = trainer.evaluate()["eval_accuracy"]
            runs.append({"r": r, "learning_rate": lr, "validation_accuracy": round(val, 4), "train_seconds": seconds})
            print("sweep:", runs[-1], flush=True)

    def again(best: dict, lr: float) -> dict:  # the best rate is the largest tried: go past it
        with tempfile.TemporaryDirectory() as tmp:
            trainer, seconds = train(lora_model(best["r"]), data, tokenizer, lr, tmp)
            val = trainer.evaluate()["eval_accuracy"]
        run = {"r": best["r"], "learning_rate": lr, "validation_accuracy": round(val, 4), "train_seconds": seconds}
        print("sweep:", run, flush=True)
        return run

    best = extend_upwards(runs, lambda rs: max(rs, key=lambda run: run["validation_accuracy"]),
                          lambda run: run["learning_rate"], again, limit=0.05)
    return {"runs": runs, "selected": {"r": best["r"], "learning_rate": best["learning_rate"]},
            "selected_on": "validation"}


def compare(selected: dict) -> dict:
    import torch
    from transformers import DataCollatorWithPadding

    tokenizer, data = setup()
    batch = DataCollatorWithPadding(tokenizer)([data["train"][i] for i in range(32)])
    rows = {}
    for name in ("full fine-tune", "LoRA"):
        def make():
            if name == "LoRA":
                return lora_model(selected["r"])
            return helpers.training.new_classifier(seed=helpers.training.RECIPE.seed)
        lr = selected["learning_rate"] if name == "LoRA" else helpers.training.RECIPE.learning_rate
        spare = make()
        optimizer = torch.optim.AdamW([p for p in spare.parameters() if p.requires_grad], lr=lr)
        bf16 = helpers.training.precision_flags()["bf16"]
        memory = helpers.memory.training_memory(spare, dict(batch), optimizer, torch.bfloat16 if bf16 else None)
        model = make()
        trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
        total = sum(p.numel() for p in model.parameters())
        with tempfile.TemporaryDirectory() as tmp:
            trainer, seconds = train(model, data, tokenizer, lr, tmp)
            validation = trainer.evaluate()["eval_accuracy"]
            test = trainer.evaluate(data["test"], metric_key_prefix="test")["test_accuracy"]
            trainer.model.save_pretrained(Path(tmp) / "saved")
            size = round(helpers.storage.folder_mb(Path(tmp) / "saved"), 2)
        rows[name] = {"learning_rate": lr, "trainable_share": round(trainable / total, 4), "train_seconds": seconds,
                      "step_memory_mb": memory.as_dict(), "saved_mb": size, "validation_accuracy": round(validation, 4),
                      "test_accuracy": round(test, 4)}
        print(f"{name}:", rows[name], flush=True)
    return rows


def tables(report: dict) -> str:
    """The README's two tables for lesson 10, from benchmarks/results/lora.json."""
    lines = ["| r | learning rate | validation accuracy | training s |", "|---|---|---|---|"]
    for run in report["sweep"]["runs"]:
        lines.append(f"| {run['r']} | {run['learning_rate']:g} | {run['validation_accuracy']:.4f} | {run['train_seconds']} |")
    lines += ["", "| lesson 04's arguments and steps | trained share | training s | MB in one step "
              "| MB saved | validation accuracy | test accuracy |", "|---|---|---|---|---|---|---|"]
    for name, r in report["compare"].items():
        lines.append(f"| {name} (learning rate {r['learning_rate']:g}) | {r['trainable_share']:.2%} | {r['train_seconds']} "
                     f"| {r['step_memory_mb']['total']} | {r['saved_mb']} | {r['validation_accuracy']:.4f} "
                     f"| {r['test_accuracy']:.4f} |")
    return "\n".join(lines)


def main(parts: list[str]) -> None:
    path = RESULTS / "lora.json"
    old = json.loads(path.read_text()) if path.exists() else {}
    result = {k: old[k] for k in ("sweep", "compare") if k in old}
    if "sweep" in parts or "sweep" not in result:
        result["sweep"] = sweep()
    if "compare" in parts:
        result["compare"] = compare(result["sweep"]["selected"])
    write("lora", {**result, "versions": {n: metadata.version(n) for n in ("peft", "accelerate")}})
    print(json.dumps(result, indent=1))
    if "compare" in result:
        print(tables(result))


if __name__ == "__main__":
    main(sys.argv[1:] or ["sweep", "compare"])
