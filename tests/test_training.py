"""Training helpers: resuming gives the same metrics, the recipe's settings, the cache of runs."""

from __future__ import annotations

import json

import pytest
from transformers import AutoTokenizer

import helpers
from helpers.training import recipe as training  # the module itself: a test patches it


@pytest.fixture(scope="module")
def tokenized(course_cache):
    tokenizer = AutoTokenizer.from_pretrained(helpers.base_model_path())
    return tokenizer, training.tokenize(helpers.load_reviews(), tokenizer)


@pytest.mark.proven_by_lesson("04_fine_tuning")   # lesson 04 runs and asserts the same (conftest.py)
def test_interrupted_run_resumed_from_checkpoint_ends_with_the_same_metrics(tmp_path, tokenized):
    tokenizer, data = tokenized
    small = data.copy()
    small["validation"] = data["validation"].select(range(200))
    # Batches of 8, not the recipe's 32: resuming does not depend on the batch size, and the
    # test costs a quarter (it runs in the Colab and lowest suites on one thread each).
    short = dict(max_steps=8, save_steps=4, per_device_train_batch_size=8)
    straight = training.checkpoint_trainer(tmp_path / "straight", small, tokenizer, **short)
    straight.train()
    cut = training.checkpoint_trainer(tmp_path / "cut", small, tokenizer, stop_at=4, **short)
    cut.train()
    assert cut.state.global_step == 4
    assert [p.name for p in (tmp_path / "cut").glob("checkpoint-*")] == ["checkpoint-4"]
    resumed = training.checkpoint_trainer(tmp_path / "cut", small, tokenizer, **short)
    resumed.train(resume_from_checkpoint=True)
    assert resumed.state.global_step == 8
    a, b = straight.evaluate(), resumed.evaluate()
    assert a["eval_accuracy"] == b["eval_accuracy"]
    # as lesson 04 asserts: to 1e-4. Under bf16 (a CPU with AVX512-BF16, one thread) the two runs'
    # losses differed by 5.2e-6 in .ci/run's extra suites (2026-12-01).
    assert a["eval_loss"] == pytest.approx(b["eval_loss"], abs=1e-4)


def test_training_arguments_use_current_names_and_the_recipe(tmp_path):
    args = training.training_arguments(tmp_path)
    assert args.learning_rate == training.RECIPE.learning_rate
    assert args.warmup_steps == pytest.approx(0.06) and args.get_warmup_steps(1000) == 60
    assert str(args.train_sampling_strategy) in ("group_by_length", "TrainSamplingStrategy.GROUP_BY_LENGTH") \
        or getattr(args.train_sampling_strategy, "value", None) == "group_by_length"
    assert args.use_cpu == (helpers.environment.detect_device() == "cpu")
    flags = training.precision_flags()
    assert set(flags) == {"bf16", "fp16"} and not (flags["bf16"] and flags["fp16"])


def test_freezing_word_embeddings(course_cache):
    model = training.new_classifier()
    frozen = training.freeze_word_embeddings(model)
    assert frozen == 30522 * 384
    assert not model.get_input_embeddings().weight.requires_grad
    assert model.config.id2label == {0: "negative", 1: "positive"}


def test_freezing_lower_layers_leaves_the_top_and_the_head_trainable(course_cache):
    import dataclasses

    model = training.recipe_classifier(dataclasses.replace(training.RECIPE, frozen_layers=3))
    trainable = {name for name, p in model.named_parameters() if p.requires_grad}
    assert not any(name.startswith("bert.embeddings") for name in trainable)
    assert not any(f"encoder.layer.{i}." in name for name in trainable for i in range(3))
    assert all(any(f"encoder.layer.{i}." in name for name in trainable) for i in range(3, 6))
    assert {"classifier.weight", "bert.pooler.dense.weight"} <= trainable
    frozen = sum(p.numel() for p in model.parameters() if not p.requires_grad)
    assert frozen == training.freeze_lower_layers(training.new_classifier(), 3)


def test_from_scratch_model_has_random_weights(course_cache):
    import torch

    pretrained, scratch = training.new_classifier(), training.new_classifier(pretrained=False)
    a = pretrained.get_input_embeddings().weight
    b = scratch.get_input_embeddings().weight
    assert a.shape == b.shape and not torch.allclose(a, b)


def test_recipe_key_changes_with_any_setting():
    import dataclasses

    base = training.RECIPE.key()
    assert training.Recipe().key() == base
    assert dataclasses.replace(training.RECIPE, learning_rate=5e-5).key() != base
    assert training.finetuned_dir().name == f"finetuned-{base}"


def test_finetuned_model_uses_the_cache_when_present(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("HFCOURSE_CACHE", str(tmp_path))
    folder = training.finetuned_dir()
    folder.mkdir(parents=True)
    (folder / "course_run.json").write_text(json.dumps(
        {"recipe": {}, "key": training.RECIPE.key(),
         "metrics": {"test_accuracy": 0.84, "train_seconds": 50.0}}))

    def no_training(*args, **kwargs):
        raise AssertionError("must not train when the cache holds the model")

    monkeypatch.setattr(training, "train_recipe", no_training)
    assert training.finetuned_model() == folder
    assert "Loaded the fine-tuned model from the cache" in capsys.readouterr().out


def test_accuracy_metric():
    import numpy as np

    logits = np.array([[2.0, 0.1], [0.1, 3.0], [1.0, 0.0]])
    assert training.accuracy_metric((logits, np.array([0, 1, 1]))) == {"accuracy": 2 / 3}


def test_local_metrics_match_sklearn():
    from sklearn.metrics import f1_score

    preds, refs = [1, 0, 1, 1, 0, 1], [1, 0, 0, 1, 1, 1]
    scores = helpers.metrics.classification_scores(preds, refs)
    assert scores["accuracy"] == pytest.approx(4 / 6)
    assert scores["f1"] == pytest.approx(f1_score(refs, preds))
    with pytest.raises(helpers.CourseError, match="Available"):
        helpers.metrics.metric_path("bleu")


def test_recipe_is_the_one_the_benchmarks_selected_on_validation():
    """helpers.training.RECIPE is what benchmarks/budget_recipe.py chose within lesson 04's time
    budget, starting from what benchmarks/finetune.py chose for a whole epoch; every decision on the
    validation split. No selection row holds a test accuracy; the test split is measured once, for
    the final recipe."""
    from dataclasses import asdict
    from pathlib import Path

    results = Path(__file__).resolve().parent.parent / "benchmarks" / "results"
    epoch = json.loads((results / "finetune.json").read_text())
    budget = json.loads((results / "finetune-budget.json").read_text())
    assert budget["selected"]["settings"] == asdict(training.RECIPE)
    assert budget["selected"]["selected_on"] == "validation"
    assert budget["final"]["test_accuracy"] and 0 < budget["final"]["test_accuracy"] < 1
    for row in budget["trials"]:
        assert row["selected_on"] == "validation" and "test_accuracy" not in row, row["step"]
    # The budget's starting point is the whole-epoch selection (before the field frozen_layers existed).
    start = {k: v for k, v in budget["trials"][0]["settings"].items() if k not in ("frozen_layers", "epochs")}
    assert start == {k: v for k, v in epoch["selected"]["settings"].items() if k != "epochs"}
    for row in epoch["selection"]:
        assert row["selected_on"] == "validation", row["step"]
        assert "test_accuracy" not in row, f"{row['step']}: a selection row must not look at the test split"
    assert epoch["repeat"]["repeatable"]


def test_group_by_length_sorts_predict_by_length_and_the_default_keeps_the_order(tmp_path, tokenized):
    """Lesson 05's claim: `train_sampling_strategy="group_by_length"` groups prediction by length
    too, so the rows of `predict` come back in another order; the default keeps the dataset's."""
    import numpy as np

    tokenizer, data = tokenized
    small = data.copy()
    small["test"] = data["test"].select(range(512))   # groups of 128 at 32 a batch
    model = training.new_classifier().eval()
    # float32, so that a row's scores move only by padding (~1e-6): under bf16 (CPUs with
    # AVX512-BF16 or AMX) rounding moves them by ~1e-2, and two reviews' rows can no longer be told apart
    fp32 = {"bf16": False, "fp16": False, "disable_tqdm": True}
    grouped = training.make_trainer(model, training.training_arguments(tmp_path / "a", **fp32),
                                    small, tokenizer).predict(small["test"])
    plain = training.make_trainer(model, training.training_arguments(tmp_path / "b", **fp32,
                                                                     train_sampling_strategy="random"),
                                  small, tokenizer).predict(small["test"])
    assert (plain.label_ids == np.array(small["test"]["label"])).all()
    # where each grouped row came from: the plain row with the nearest scores (padding moves them by ~1e-6)
    origin = np.abs(grouped.predictions[:, None, :] - plain.predictions[None, :, :]).sum(-1).argmin(1)
    lengths = np.array([len(ids) for ids in small["test"]["input_ids"]])
    assert sorted(origin) == list(range(512)) and list(origin) != list(range(512))

    def padded(order):  # token slots of the batches of 32 that evaluation pads, in this order
        return sum(lengths[order[i:i + 32]].max() * len(order[i:i + 32]) for i in range(0, 512, 32))

    assert padded(origin) < 0.8 * padded(np.arange(512)), "the grouped order is meant to pad less"
