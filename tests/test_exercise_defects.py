"""One test for each defect found when the exercise checks were tried with answers in other
styles, the way a class writes them (issue: exercise checks a learner can trust). Each test is
named after the defect it guards against, and runs the real check, as a learner's cell would."""

from __future__ import annotations

import textwrap
from typing import Any

import pytest

import helpers
from helpers import exercises
from helpers.assessment.grading import Result, Status

ALL = exercises.definitions()


@pytest.fixture(autouse=True)
def _private_progress(tmp_path, monkeypatch):
    monkeypatch.setenv("HFCOURSE_PROGRESS", str(tmp_path / "progress.jsonl"))


def new(eid: str) -> exercises.Exercise:
    lesson, d = ALL[eid]
    return exercises.Exercise(lesson, d, save=False)


def check(eid: str, code: str, ex: exercises.Exercise | None = None) -> Result:
    """The verdict on ``code`` typed into the exercise's cell, after the lesson's earlier cells."""
    ns: dict[str, Any] = {"__name__": "__main__", "helpers": helpers}
    exec(ALL[eid][1].given, ns)  # noqa: S102
    exec(textwrap.dedent(code), ns)  # noqa: S102
    return (ex or new(eid)).grade(ns)


def reference(eid: str) -> str:
    return ALL[eid][1].solution


def said(result: Result) -> str:
    return " ".join(result.feedback)


# --------------------------------------------------------------------------- state leaks


def test_ex10_merge_weight_in_place_attempt_does_not_spoil_the_reference():
    ex = new("ex10-merge-weight")
    wrong = check("ex10-merge-weight", """
        def merge_weight(W, A, B, alpha, r):
            W += (alpha / r) * (B @ A)
            return W
    """, ex)
    assert wrong.mistake == "in-place"
    for _ in range(2):
        assert check("ex10-merge-weight", reference("ex10-merge-weight"), ex).correct


def test_ex09_evaluate_pop_labels_is_accepted_and_spoils_nothing():
    ex = new("ex09-evaluate")
    popping = """
        import torch

        def evaluate_accuracy(model, loader):
            model.eval()
            right = seen = 0
            with torch.no_grad():
                for batch in loader:
                    labels = batch.pop("labels")
                    right += (model(**batch).logits.argmax(-1) == labels).sum().item()
                    seen += labels.numel()
            return right / seen
    """
    assert check("ex09-evaluate", popping, ex).correct
    assert check("ex09-evaluate", popping, ex).correct
    assert check("ex09-evaluate", reference("ex09-evaluate"), ex).correct


def test_ex11_completion_labels_overwriting_input_ids_is_rejected_after_other_checks():
    ex = new("ex11-completion-labels")
    assert check("ex11-completion-labels", reference("ex11-completion-labels"), ex).correct
    result = check("ex11-completion-labels", """
        def completion_labels(input_ids, attention_mask, prompt_length):
            for i, mask in enumerate(attention_mask):
                if i < prompt_length or mask == 0:
                    input_ids[i] = -100
            return input_ids
    """, ex)
    assert not result.correct and "input_ids" in said(result)


# --------------------------------------------------------------------------- right answers


def test_ex04_compute_metrics_attribute_access_is_accepted():
    assert check("ex04-compute-metrics", """
        import numpy as np

        def compute_metrics(eval_pred):
            predictions = eval_pred.predictions.argmax(axis=-1)
            return {"accuracy": float((predictions == eval_pred.label_ids).mean())}
    """).correct


def test_ex09_train_epoch_exact_mean_of_the_last_group_is_accepted():
    assert check("ex09-train-epoch", """
        def train_epoch(model, batches, optimizer, accumulation):
            model.train()
            steps = 0
            for start in range(0, len(batches), accumulation):
                group = batches[start:start + accumulation]
                for batch in group:
                    (model(**batch).loss / len(group)).backward()
                optimizer.step()
                optimizer.zero_grad()
                steps += 1
            return steps
    """).correct
    assert check("ex09-train-epoch", reference("ex09-train-epoch")).correct  # divides by accumulation


def test_ex09_evaluate_restoring_train_mode_is_accepted():
    assert check("ex09-evaluate", """
        import torch

        def evaluate_accuracy(model, loader):
            was_training = model.training
            model.eval()
            correct = total = 0
            with torch.inference_mode():
                for batch in loader:
                    guess = model(**batch).logits.argmax(dim=-1)
                    correct += int((guess == batch["labels"]).sum())
                    total += len(batch["labels"])
            model.train(was_training)
            return correct / total
    """).correct


def test_ex10_lora_config_pooler_only_in_modules_to_save_is_accepted():
    assert check("ex10-lora-config", """
        from peft import LoraConfig, TaskType

        def make_lora_config(r):
            return LoraConfig(task_type=TaskType.SEQ_CLS, r=r, lora_alpha=r * 2,
                              target_modules=["query", "value"], modules_to_save=["pooler"])
    """).correct


# --------------------------------------------------------------------------- wrong answers


def test_ex08_three_way_split_validation_equal_to_test_is_rejected():
    result = check("ex08-three-way-split", """
        def three_way_split(dataset, seed):
            first = dataset.train_test_split(test_size=0.2, stratify_by_column="label", seed=seed)
            half = first["test"].train_test_split(test_size=0.5, stratify_by_column="label", seed=seed)
            return {"train": first["train"], "validation": half["test"], "test": half["test"]}
    """)
    assert not result.correct and "validation and test share 20 rows" in said(result)


def test_ex08_three_way_split_validation_from_the_whole_data_is_rejected():
    result = check("ex08-three-way-split", """
        def three_way_split(dataset, seed):
            first = dataset.train_test_split(test_size=0.2, stratify_by_column="label", seed=seed)
            test = first["test"].train_test_split(test_size=0.5, stratify_by_column="label", seed=seed)["test"]
            validation = dataset.train_test_split(test_size=0.1, stratify_by_column="label", seed=seed + 1)["test"]
            return {"train": first["train"], "validation": validation, "test": test}
    """)
    assert not result.correct and "share" in said(result) and "train and validation" in said(result)


def test_ex08_three_way_split_ignored_seed_is_rejected():
    result = check("ex08-three-way-split", """
        def three_way_split(dataset, seed):
            first = dataset.train_test_split(test_size=0.2, stratify_by_column="label", seed=42)
            second = first["test"].train_test_split(test_size=0.5, stratify_by_column="label", seed=42)
            return {"train": first["train"], "validation": second["train"], "test": second["test"]}
    """)
    assert not result.correct and "seed" in said(result)


@pytest.mark.parametrize("pattern", [r"\b(positive|negative)", r"(positive|negative)\b"])
def test_ex11_parse_reply_a_boundary_on_one_side_only_is_rejected(pattern):
    result = check("ex11-parse-reply", f"""
        import re

        def parse_reply(reply):
            found = set(re.findall(r"{pattern}", reply.lower()))
            return found.pop() if len(found) == 1 else None
    """)
    assert not result.correct and "whole word" in said(result).lower()


def test_ex11_parse_reply_stripping_only_dot_and_bang_is_rejected():
    result = check("ex11-parse-reply", """
        def parse_reply(reply):
            words = {w.strip(".!") for w in reply.lower().split()}
            found = [w for w in ("positive", "negative") if w in words]
            return found[0] if len(found) == 1 else None
    """)
    assert not result.correct and "any punctuation" in said(result)


@pytest.mark.parametrize("extra,words", [("inference_mode=True", "nothing is trained"),
                                         ("lora_dropout=0.5", "`lora_dropout` is left at its default")])
def test_ex10_lora_config_inference_mode_and_a_changed_dropout_are_rejected(extra, words):
    result = check("ex10-lora-config", f"""
        from peft import LoraConfig

        def make_lora_config(r):
            return LoraConfig(task_type="SEQ_CLS", r=r, lora_alpha=2 * r,
                              target_modules=["query", "value"],
                              modules_to_save=["classifier", "pooler"], {extra})
    """)
    assert not result.correct and words in said(result)


def test_ex04_compute_metrics_sigmoid_of_one_logit_is_rejected():
    result = check("ex04-compute-metrics", """
        import numpy as np

        def compute_metrics(eval_pred):
            logits, labels = eval_pred
            predictions = (1 / (1 + np.exp(-logits[:, 1])) > 0.5).astype(int)
            return {"accuracy": float((predictions == labels).mean())}
    """)
    assert not result.correct and "any number of labels" in said(result)


def test_ex08_decode_latin1_fallback_is_rejected():
    result = check("ex08-decode", """
        def decode_article(data):
            try:
                return data.decode("utf-8")
            except UnicodeDecodeError:
                return data.decode("latin-1")
    """)
    assert not result.correct and "0x80-0x9F" in said(result)


def test_ex08_head_and_tail_unnormalised_short_text_is_rejected():
    result = check("ex08-head-and-tail", """
        def head_and_tail(text, head, tail):
            words = text.split()
            if len(words) <= head + tail:
                return text
            return " ".join(words[:head] + (words[-tail:] if tail else []))
    """)
    assert not result.correct and "single spaces" in said(result)


@pytest.mark.parametrize("splitter,words", [
    ("GroupShuffleSplit(n_splits=1, test_size=0.2, random_state=seed)", "about `test_size`"),
    ("GroupShuffleSplit(n_splits=1, test_size=test_size, random_state=0)", "the `seed` decides"),
])
def test_ex03_group_split_ignored_test_size_or_seed_is_rejected(splitter, words):
    result = check("ex03-group-split", f"""
        from sklearn.model_selection import GroupShuffleSplit

        def split_by_movie(frame, test_size, seed):
            splitter = {splitter}
            train_rows, test_rows = next(splitter.split(frame, groups=frame["movie"]))
            return frame.iloc[train_rows], frame.iloc[test_rows]
    """)
    assert not result.correct and words in said(result)


def test_ex10_merge_weight_integer_division_is_rejected():
    result = check("ex10-merge-weight", """
        def merge_weight(W, A, B, alpha, r):
            return W + (alpha // r) * (B @ A)
    """)
    assert result.mistake == "integer-division"


# --------------------------------------------------------------------------- feedback


def test_ex05_early_stopping_eval_accuracy_gets_its_own_message_not_the_loss_one():
    result = check("ex05-early-stopping", """
        from transformers import EarlyStoppingCallback, TrainingArguments

        def early_stopping_setup(output_dir):
            args = TrainingArguments(output_dir=output_dir, eval_strategy="steps", eval_steps=16,
                                     save_strategy="steps", save_steps=16,
                                     load_best_model_at_end=True,
                                     metric_for_best_model="eval_accuracy", report_to="none")
            return args, EarlyStoppingCallback(early_stopping_patience=3)
    """)
    assert result.mistake == "accuracy-not-loss" and "highest** loss" not in said(result)


def test_ex09_evaluate_a_wrong_denominator_is_not_called_last_batch_only():
    result = check("ex09-evaluate", """
        import torch

        def evaluate_accuracy(model, loader):
            model.eval()
            correct = 0
            with torch.no_grad():
                for batch in loader:
                    correct += (model(**batch).logits.argmax(-1) == batch["labels"]).sum().item()
            return correct / (len(loader) * len(batch["labels"]))
    """)
    assert not result.correct and result.mistake != "last-batch-only"
    assert "share of all examples" in said(result)


def test_a_broken_set_up_is_a_course_error_not_a_red_not_yet():
    d = ALL["ex01-cosine"][1].model_copy(update={"fixtures": "raise FileNotFoundError('model.safetensors')"})
    ex = exercises.Exercise("01_pretrained_models", d, save=True)
    shown = ex.check({"cosine": lambda a, b: 1.0})
    html = shown._repr_mimebundle_()["text/html"]
    assert shown.result.status is Status.COURSE_ERROR and not shown.result.counts
    assert "Not yet" not in html and "could not run" in html and "does not count against you" in html
    assert ex.attempts == 0 and not helpers.progress.load()


def test_a_values_difference_says_how_much_and_where():
    result = check("ex01-mean-pool", """
        def mean_pool(token_vectors, attention_mask):
            return token_vectors.mean(dim=1) * 1.01
    """)
    assert not result.correct and "largest difference" in said(result) and "at index" in said(result)
