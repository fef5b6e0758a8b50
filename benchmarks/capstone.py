"""The benchmark behind lesson 08 (the capstone on BBC News): its settings, chosen on validation.

    python benchmarks/capstone.py          # the selection and the final run (about 8 minutes)

The data pipeline is the lesson's, step for step: load the 2,225 files, decode (UTF-8, else
cp1252), drop exact duplicates and same-headline near duplicates, then a stratified 80/10/10 split
(seed 0). The selection trains MiniLM on the training split with each candidate (max_length from
the lesson's length measurement, learning rate; 1 epoch), and keeps the best **validation**
macro-F1 among the candidates whose training fits the lesson's time budget (TRAIN_BUDGET_S). While
the best learning rate is the largest tried, the grid goes on to twice it. Every
row records ``"selected_on": "validation"`` and holds no test figure. The chosen settings are then
trained once more and measured once on the test split, beside the TF-IDF + logistic regression
baseline on the same split. Writes benchmarks/results/capstone.json and prints a summary.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(__file__))
from _common import extend_upwards, write  # noqa: E402

import helpers  # noqa: E402

# max_length 128 took twice the time of 64 for no better validation macro-F1 (2026-11-29: 0.9903 and
# 0.9951 against 0.9910 and 0.9769, at 2 epochs, one seed), so only 64 is tried now.
CANDIDATES = [dict(max_length=64, learning_rate=lr) for lr in (1e-4, 2e-4, 4e-4)]
EPOCHS, BATCH, SEED = 1, 16, 0
# The lesson must run in 240 s under nbval on 2 cores without bf16 (the slowest processor seen),
# everything included; its other cells take about 90 s there, so training (validation checks
# included) may take at most this much. (Until 2026-11-30: 2 epochs within 100 s, chosen on a
# processor with bf16; without bf16 one epoch alone takes 125-139 s.) A candidate over the budget is
# recorded but cannot be chosen.
TRAIN_BUDGET_S = 140


def decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def splits() -> dict:
    """The lesson's splits (see its steps 1-3)."""
    from datasets import Dataset

    folder = helpers.news_folder()
    rows = [{"text": decode(p.read_bytes()), "topic": p.parent.name}
            for p in sorted(folder.glob("*/*.txt"))]
    news = Dataset.from_list(rows).class_encode_column("topic").rename_column("topic", "label")
    frame = news.to_pandas()
    headline = frame["text"].str.split("\n").str[0].str.strip().str.lower()
    keep = frame.index[~(frame["text"].duplicated() | headline.duplicated())].tolist()
    news = news.select(keep)
    first = news.train_test_split(test_size=0.2, stratify_by_column="label", seed=SEED)
    held = first["test"].train_test_split(test_size=0.5, stratify_by_column="label", seed=SEED)
    return {"train": first["train"], "validation": held["train"], "test": held["test"],
            "kept": len(news)}


def train(data: dict, max_length: int, learning_rate: float, test: bool = False) -> dict:
    import evaluate
    from transformers import (AutoModelForSequenceClassification, AutoTokenizer,
                              DataCollatorWithPadding, Trainer, TrainingArguments)

    tokenizer = AutoTokenizer.from_pretrained(helpers.base_model_path())
    names = data["train"].features["label"].names
    tokenized = {k: data[k].map(lambda b: tokenizer(b["text"], truncation=True, max_length=max_length),
                                batched=True, remove_columns=["text"])
                 for k in ("train", "validation", "test")}
    accuracy = evaluate.load(helpers.metrics.metric_path("accuracy"))
    f1 = evaluate.load(helpers.metrics.metric_path("f1"))

    def compute_metrics(eval_pred):
        logits, labels = eval_pred
        predictions = np.argmax(logits, axis=-1)
        return {**accuracy.compute(predictions=predictions, references=labels),
                **f1.compute(predictions=predictions, references=labels, average="macro")}

    torch.manual_seed(SEED)
    model = AutoModelForSequenceClassification.from_pretrained(
        helpers.base_model_path(), num_labels=len(names),
        id2label=dict(enumerate(names)), label2id={n: i for i, n in enumerate(names)})
    gpu = torch.cuda.is_available()
    precision = helpers.training.precision_flags()   # lesson 04's rule, as the lesson uses it
    args = TrainingArguments(
        output_dir=tempfile.mkdtemp(prefix="capstone-"), num_train_epochs=EPOCHS,
        learning_rate=learning_rate, warmup_steps=0.06, per_device_train_batch_size=BATCH,
        per_device_eval_batch_size=64, eval_strategy="steps", eval_steps=0.25, save_strategy="no",
        logging_steps=10, report_to="none", seed=SEED, use_cpu=not gpu, **precision,
        disable_tqdm=True)   # the lesson's arguments (evaluating during training changes the run a little)
    trainer = Trainer(model=model, args=args, train_dataset=tokenized["train"],
                      eval_dataset=tokenized["validation"], processing_class=tokenizer,
                      data_collator=DataCollatorWithPadding(tokenizer), compute_metrics=compute_metrics)
    start = time.perf_counter()
    trainer.train()
    seconds = time.perf_counter() - start   # the validation passes during training included
    row = {"max_length": max_length, "learning_rate": learning_rate, "epochs": EPOCHS,
           "train_seconds": round(seconds, 1)}
    val = trainer.evaluate(tokenized["validation"])
    row.update(validation_accuracy=round(val["eval_accuracy"], 4),
               validation_macro_f1=round(val["eval_f1"], 4))
    if test:
        output = trainer.predict(tokenized["test"], metric_key_prefix="test")   # in the test split's order
        row.update(test_accuracy=round(output.metrics["test_accuracy"], 4),
                   test_macro_f1=round(output.metrics["test_f1"], 4))
        row["_test_predictions"] = np.argmax(output.predictions, axis=-1).tolist()   # not written to the JSON
    return row


def baseline(data: dict, predictions: bool = False) -> dict:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import accuracy_score, f1_score

    vectorizer = TfidfVectorizer(sublinear_tf=True, min_df=2)
    features = vectorizer.fit_transform(list(data["train"]["text"]))
    model = LogisticRegression(max_iter=2000).fit(features, list(data["train"]["label"]))
    predicted = model.predict(vectorizer.transform(list(data["test"]["text"])))
    truth = list(data["test"]["label"])
    result = {"test_accuracy": round(accuracy_score(truth, predicted), 4),
              "test_macro_f1": round(f1_score(truth, predicted, average="macro"), 4)}
    if predictions:
        result["_test_predictions"] = [int(p) for p in predicted]
    return result


def selection_table(report: dict) -> str:
    """The selection as the Markdown table that README.md shows (a test keeps them equal)."""
    epochs = report["selected"]["epochs"]
    lines = [f"| max_length | learning rate | validation macro-F1 | training s ({epochs} epoch{'s' * (epochs > 1)}) "
             "| within the budget |",
             "|---|---|---|---|---|"]
    for r in report["selection"]:
        lines.append(f"| {r['max_length']} | {r['learning_rate']:g} | {r['validation_macro_f1']:.4f} | "
                     f"{r['train_seconds']} | {'yes' if r['within_budget'] else 'no'} |")
    return "\n".join(lines)


def main() -> None:
    helpers.environment.quiet_loading(True)
    data = splits()
    rows = []
    for candidate in CANDIDATES:
        row = {**train(data, **candidate), "selected_on": "validation"}
        rows.append(row)
        print(f"max_length {row['max_length']:>3}, lr {row['learning_rate']:.0e}: validation "
              f"macro-F1 {row['validation_macro_f1']:.4f} ({row['train_seconds']} s)")
    def choose():
        for row in rows:
            row["within_budget"] = row["train_seconds"] <= TRAIN_BUDGET_S
        return max((r for r in rows if r["within_budget"]),
                   key=lambda r: (r["validation_macro_f1"], -r["train_seconds"]))

    def again(best: dict, lr: float) -> dict:
        row = {**train(data, best["max_length"], lr), "selected_on": "validation"}
        print(f"lr {lr:.0e}: validation macro-F1 {row['validation_macro_f1']:.4f}")
        return row

    best = extend_upwards(rows, lambda _: choose(), lambda r: r["learning_rate"], again, limit=1e-2)
    final = train(data, best["max_length"], best["learning_rate"], test=True)
    final.pop("_test_predictions")
    report = {"data": {"kept": data["kept"], **{k: len(data[k]) for k in ("train", "validation", "test")}},
              "selection": rows,
              "selected": {"max_length": best["max_length"], "learning_rate": best["learning_rate"],
                           "epochs": EPOCHS, "batch_size": BATCH, "train_budget_s": TRAIN_BUDGET_S,
                           "selected_on": "validation"},
              "final": final, "baseline_tfidf": baseline(data)}
    path = write("capstone", report)
    print(f"chosen on validation: max_length {best['max_length']}, lr {best['learning_rate']:.0e}; "
          f"test accuracy {final['test_accuracy']}, macro-F1 {final['test_macro_f1']} "
          f"({final['train_seconds']} s); TF-IDF baseline macro-F1 "
          f"{report['baseline_tfidf']['test_macro_f1']} -> {path}")


if __name__ == "__main__":
    main()
