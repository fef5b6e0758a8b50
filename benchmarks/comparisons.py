"""The course's main comparisons on the test split, each with its paired interval and McNemar's test.

    python benchmarks/comparisons.py     # about 8 minutes on 2 cores, on a quiet machine

Each comparison is the one a lesson makes, with the settings that the other benchmarks chose on
the validation split, and each test split is measured once:
- lesson 05: lesson 04's fine-tuned model against TF-IDF + logistic regression, on the 2,556 test
  reviews (accuracy);
- lesson 08: the capstone's fine-tuned model (benchmarks/capstone.py's choice) against TF-IDF on
  whole articles, on the 210 test articles (macro-F1, the lesson's score);
- lesson 10: LoRA (benchmarks/lora.py's choice) against lesson 04's full fine-tune, on the 2,556
  test reviews;
- lesson 11: SmolLM2 after SFT (benchmarks/sft.py's choice) against the same model zero-shot, on the
  lesson's 200 held-out test reviews (an unparseable reply counts as wrong).
For each: both scores with their 95% bootstrap intervals, the paired difference with its interval,
the two disagreement counts and McNemar's exact p (all from helpers.uncertainty, the code lesson 05
teaches), and the verdict in words. Then the width of one accuracy's interval on the validation
splits that the selections use, which is what a difference between two rows of a selection table
must be read against. Writes benchmarks/results/comparisons.json and prints the README's tables.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from importlib import metadata

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from _common import RESULTS, write  # noqa: E402

import helpers  # noqa: E402
from helpers import uncertainty  # noqa: E402

SCORES = {"accuracy": uncertainty.accuracy_rows, "macro-F1": uncertainty.macro_f1_rows}


def compare(name: str, score: str, labels, a_name: str, a, b_name: str, b) -> dict:
    """One comparison: A and B scored on the same examples, with intervals and McNemar's test."""
    labels, a, b = np.asarray(labels), np.asarray(a), np.asarray(b)
    rows = SCORES[score]
    first, second = (uncertainty.bootstrap_interval(labels, p, rows) for p in (a, b))
    difference = uncertainty.paired_bootstrap(labels, a, b, rows)
    only_a, only_b = uncertainty.counts(a == labels, b == labels)
    result = {"comparison": name, "score": score, "examples": int(len(labels)),
              "a": {"name": a_name, "value": round(first.value, 4), "low": round(first.low, 4), "high": round(first.high, 4)},
              "b": {"name": b_name, "value": round(second.value, 4), "low": round(second.low, 4), "high": round(second.high, 4)},
              "difference": {"value": round(difference.value, 4), "low": round(difference.low, 4),
                             "high": round(difference.high, 4)},
              "only_a_right": only_a, "only_b_right": only_b,
              "mcnemar_p": float(f"{uncertainty.mcnemar(only_a, only_b):.3g}"),
              "verdict": "tie" if difference.contains(0.0) else ("A higher" if difference.value > 0 else "B higher")}
    print(json.dumps(result), flush=True)
    return result


def in_order_predictions(model, tokenized_test, tokenizer) -> np.ndarray:
    """Predicted labels in the test split's order (lesson 05: a length-grouping Trainer reorders)."""
    from transformers import DataCollatorWithPadding, Trainer

    with tempfile.TemporaryDirectory() as out:
        args = helpers.training.training_arguments(out, disable_tqdm=True, train_sampling_strategy="random")
        output = Trainer(model=model, args=args, processing_class=tokenizer,
                         data_collator=DataCollatorWithPadding(tokenizer)).predict(tokenized_test)
    return output.predictions.argmax(-1)


def reviews_comparisons() -> list[dict]:
    """Lessons 05 and 10: lesson 04's model against TF-IDF, and LoRA against lesson 04's model."""
    import lora
    from transformers import AutoModelForSequenceClassification

    tokenizer, data = lora.setup()
    reviews = helpers.load_reviews()
    labels = np.array(reviews["test"]["label"])
    full = in_order_predictions(AutoModelForSequenceClassification.from_pretrained(helpers.training.finetuned_model()),
                                data["test"], tokenizer)
    tfidf = helpers.baselines.tfidf_classifier(reviews["train"]["text"], reviews["train"]["label"])
    rows = [compare("lesson 05: lesson 04's fine-tuned MiniLM against TF-IDF + logistic regression", "accuracy",
                    labels, "fine-tuned", full, "TF-IDF", tfidf.predict(reviews["test"]["text"]))]
    selected = json.loads((RESULTS / "lora.json").read_text())["sweep"]["selected"]
    with tempfile.TemporaryDirectory() as out:
        trainer, _ = lora.train(lora.lora_model(selected["r"]), data, tokenizer, selected["learning_rate"], out)
        adapted = in_order_predictions(trainer.model, data["test"], tokenizer)
    rows.append(compare(f"lesson 10: LoRA (r = {selected['r']}, learning rate {selected['learning_rate']:g}) "
                        "against the full fine-tune, same steps", "accuracy", labels, "LoRA", adapted, "full", full))
    return rows


def capstone_comparison() -> dict:
    """Lesson 08: the capstone's chosen settings against TF-IDF on whole articles."""
    import capstone

    selected = json.loads((RESULTS / "capstone.json").read_text())["selected"]
    data = capstone.splits()
    tuned = capstone.train(data, selected["max_length"], selected["learning_rate"], test=True)
    base = capstone.baseline(data, predictions=True)
    return compare(f"lesson 08: fine-tuned MiniLM ({selected['max_length']} tokens) against TF-IDF on whole articles",
                   "macro-F1", data["test"]["label"], "fine-tuned", tuned["_test_predictions"],
                   "TF-IDF", base["_test_predictions"])


def sft_comparison() -> dict:
    """Lesson 11: the chat model after SFT against the same model zero-shot."""
    import sft
    from transformers import AutoModelForCausalLM, AutoTokenizer

    path = helpers.llm.chat_model_path()
    tokenizer = AutoTokenizer.from_pretrained(path)
    lesson = sft.lesson_cells(tokenizer)
    held_out = lesson["held_out"]
    ids = {word: label for label, word in lesson["LABELS"].items()}

    def predicted(model) -> list[int]:   # an unparseable reply is -1: wrong
        return [ids.get(lesson["parse_reply"](r), -1) for r in lesson["answer_all"](model, held_out["text"])]

    zero_shot = predicted(AutoModelForCausalLM.from_pretrained(path))
    rate = json.loads((RESULTS / "sft.json").read_text())["selected"]["learning_rate"]
    with tempfile.TemporaryDirectory() as out:
        trainer, _ = sft.train_sft(path, tokenizer, sft.training_examples(lesson), rate, out)
        tuned = predicted(trainer.model)
    return compare(f"lesson 11: SmolLM2-135M-Instruct after SFT (learning rate {rate:g}) against zero-shot",
                   "accuracy", held_out["label"], "after SFT", tuned, "zero-shot", zero_shot)


def selection_noise() -> list[dict]:
    """How wide one accuracy's 95% interval is on each validation split that a selection uses,
    at the selected run's accuracy: a gap between two rows of a selection table that is well
    inside this width is a tie (a paired test on the same reviews is narrower, but the benchmarks
    keep no per-review predictions; the seeds alone move lesson 04's recipe by 4.1 points)."""
    rows = []
    budget = json.loads((RESULTS / "finetune-budget.json").read_text())
    lora_report = json.loads((RESULTS / "lora.json").read_text())
    sft_report = json.loads((RESULTS / "sft.json").read_text())
    chosen_lora = max(lora_report["sweep"]["runs"], key=lambda r: r["validation_accuracy"])
    chosen_sft = max(sft_report["runs"], key=lambda r: r["validation_accuracy"])
    cases = [("lesson 04's recipe (benchmarks/budget_recipe.py)", 994, budget["final"]["validation_accuracy"]),
             ("lesson 10's LoRA (benchmarks/lora.py)", 994, chosen_lora["validation_accuracy"]),
             ("lesson 11's SFT (benchmarks/sft.py)", sft_report["validation_reviews"], chosen_sft["validation_accuracy"])]
    for name, n, accuracy in cases:
        right = np.zeros(n, dtype=int)
        right[: round(accuracy * n)] = 1
        interval = uncertainty.bootstrap_interval(np.ones(n, dtype=int), right)
        rows.append({"selection": name, "validation_examples": n, "accuracy": round(interval.value, 4),
                     "low": round(interval.low, 4), "high": round(interval.high, 4),
                     "half_width_points": round(50 * (interval.high - interval.low), 1)})
    return rows


def table(report: dict) -> str:
    """The README's table of the main comparisons, from benchmarks/results/comparisons.json."""
    lines = ["| comparison, on the test split (measured once) | examples | score | A | B "
             "| A − B, paired 95% interval | only A right / only B right | McNemar p | verdict |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in report["comparisons"]:
        a, b, d = r["a"], r["b"], r["difference"]
        verdict = "no difference this test set can detect" if r["verdict"] == "tie" else \
            f"{a['name'] if d['value'] > 0 else b['name']} better"
        lines.append(f"| {r['comparison']} | {r['examples']} | {r['score']} "
                     f"| {a['name']} {a['value']:.4f} [{a['low']:.4f}, {a['high']:.4f}] "
                     f"| {b['name']} {b['value']:.4f} [{b['low']:.4f}, {b['high']:.4f}] "
                     f"| {d['value']:+.4f} [{d['low']:+.4f}, {d['high']:+.4f}] "
                     f"| {r['only_a_right']} / {r['only_b_right']} | {r['mcnemar_p']:g} | {verdict} |")
    return "\n".join(lines)


def noise_table(report: dict) -> str:
    """The README's table of one validation accuracy's interval per selection."""
    lines = ["| selection | validation examples | selected accuracy, 95% interval | ± points |", "|---|---|---|---|"]
    for r in report["selection_noise"]:
        lines.append(f"| {r['selection']} | {r['validation_examples']} | {r['accuracy']:.4f} "
                     f"[{r['low']:.4f}, {r['high']:.4f}] | {r['half_width_points']} |")
    return "\n".join(lines)


def main() -> None:
    helpers.environment.quiet_loading(True)
    comparisons = [*reviews_comparisons(), capstone_comparison(), sft_comparison()]
    report = {"comparisons": comparisons, "selection_noise": selection_noise(), "split": "test",
              "resamples": uncertainty.RESAMPLES,
              "versions": {n: metadata.version(n) for n in ("transformers", "peft", "trl")}}
    write("comparisons", report)
    print(table(report))
    print()
    print(noise_table(report))


if __name__ == "__main__":
    main()
