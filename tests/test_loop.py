"""Lesson 09: the hand-written loop against Trainer, and the scripts on two processes.

The loop under test is the lesson's own code: the cells tagged ``"loop": "definition"`` in
``lessons/09_training_loop.ipynb`` are executed here, so a change to the lesson is tested as
written. The launches run the lesson's scripts with the command the lesson teaches.
"""

from __future__ import annotations

import json
import math
import re

import pytest

import helpers
from helpers.launch import run, script

# The three launches below are the ones lesson 09 runs and asserts in its own cells: skipped where
# the lesson runs under nbval in the same session (conftest.py), run everywhere else.
IN_LESSON_09 = pytest.mark.proven_by_lesson("09_training_loop")


@pytest.fixture(scope="module")
def tokenized():
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(helpers.base_model_path())
    data = helpers.training.tokenize(helpers.load_reviews(), tokenizer, helpers.training.RECIPE.max_length)
    return tokenizer, data


def lesson_loop(tokenizer):
    loop = helpers.training.lesson_loop(tokenizer)
    assert {"make_train_loader", "make_optimizer", "train_one_epoch", "accuracy"} <= set(loop)
    return loop


def test_hand_loop_gives_trainers_losses_step_by_step(tokenized, tmp_path):
    """Same seed, same data order, same optimizer, schedule, clipping and precision: the lesson's
    loop and Trainer must compute the same 12 losses."""
    import torch
    from transformers import get_scheduler, set_seed

    tokenizer, data = tokenized
    loop = lesson_loop(tokenizer)
    recipe, steps, decay = helpers.training.RECIPE, 12, 0.01   # decay on: the groups matter
    # Batches of 8, not the recipe's 32: the match does not depend on the batch size, and the
    # test costs less (it runs in the Colab and lowest suites on one thread each).
    batch = 8

    set_seed(recipe.seed)
    model = helpers.training.new_classifier(seed=recipe.seed)
    head = model.classifier.weight.detach().clone()
    optimizer = loop["make_optimizer"](model, recipe.learning_rate, decay)
    scheduler = get_scheduler("linear", optimizer, num_warmup_steps=math.ceil(recipe.warmup * steps),
                              num_training_steps=steps)
    set_seed(recipe.seed)
    loader = loop["make_train_loader"](data["train"], batch)
    hand = loop["train_one_epoch"](model, loader, optimizer, scheduler, max_steps=steps)

    set_seed(recipe.seed)
    reference = helpers.training.new_classifier(seed=recipe.seed)
    args = helpers.training.training_arguments(tmp_path, max_steps=steps, logging_steps=1, weight_decay=decay,
                                               per_device_train_batch_size=batch, disable_tqdm=True)
    trainer = helpers.training.make_trainer(reference, args, data, tokenizer)
    trainer.train()
    trainers = [h["loss"] for h in trainer.state.log_history if "loss" in h]

    assert len(hand) == len(trainers) == steps
    assert max(abs(a - b) for a, b in zip(hand, trainers)) < 1e-3, list(zip(hand, trainers))
    # And it trained. (Over 12 length-grouped batches the loss is too noisy to fall reliably: a
    # check that the last losses were lower failed once, on batches of other lengths.)
    assert all(math.isfinite(x) for x in hand)
    assert not torch.equal(model.classifier.weight.detach(), head)


def test_lesson_accuracy_counts_every_review(tokenized):
    tokenizer, data = tokenized
    loop = lesson_loop(tokenizer)
    model = helpers.training.new_classifier(seed=0)
    small = data["validation"].select(range(10))
    score = loop["accuracy"](model, small, batch_size=4)   # 4 + 4 + 2: batches of unequal size
    assert score * 10 == pytest.approx(round(score * 10))
    assert not model.training


def test_trainer_doubles_a_mean_loss_under_gradient_accumulation(tokenized, tmp_path):
    """What lesson 09 says about Trainer's loss scaling, on one process: with accumulation 2 the
    reported loss of BertForSequenceClassification doubles, and accepts_loss_kwargs=False fixes it.
    (Batches of 4: the doubling does not depend on their size.)"""
    tokenizer, data = tokenized
    losses = {}
    for loss_kwargs, average_tokens in ((True, True), (True, False), (False, True)):
        model = helpers.training.new_classifier(seed=0)
        if not loss_kwargs:
            model.accepts_loss_kwargs = False
        args = helpers.training.training_arguments(tmp_path / f"{loss_kwargs}-{average_tokens}", max_steps=2,
                                                   logging_steps=1, per_device_train_batch_size=4,   # 8 a step
                                                   gradient_accumulation_steps=2, disable_tqdm=True,
                                                   average_tokens_across_devices=average_tokens)
        trainer = helpers.training.make_trainer(model, args, data, tokenizer)
        losses[loss_kwargs, average_tokens] = trainer.train().training_loss
    right = losses[False, True]
    assert right == pytest.approx(math.log(2), abs=0.06)   # a new 2-label head: about ln 2
    assert losses[True, True] == pytest.approx(2 * right, rel=1e-3)
    assert losses[True, False] == pytest.approx(2 * right, rel=1e-3)   # that setting alone does not fix it


@IN_LESSON_09
def test_two_processes_train_different_batches_and_save_a_working_model(tmp_path):
    """The lesson's command starts two CPU processes; they see different batches, start from
    the same weights, and rank 0 saves a model that beats the majority class."""
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    out = tmp_path / "two"
    run(f"accelerate launch --multi_gpu --num_processes 2 --num_machines 1 --mixed_precision no "
        f"--dynamo_backend no {script('train_accelerate.py')} --train-size 1024 --eval-size 256 "
        f"--batch-size 16 --output {out}", echo=False, timeout=240)   # raises unless it exits 0
    result = json.loads((out / "result.json").read_text())
    assert result["processes"] == 2 and result["distributed_type"] == "MULTI_CPU"
    assert result["global_batch"] == 32
    ranks = {r["rank"]: r for r in result["per_process"]}
    assert sorted(ranks) == [0, 1]
    assert not set(ranks[0]["batches"]) & set(ranks[1]["batches"])
    assert len(ranks[0]["batches"]) == len(ranks[1]["batches"]) == 1024 // 32
    assert ranks[0]["start_weights"] == ranks[1]["start_weights"]

    model = AutoModelForSequenceClassification.from_pretrained(out / "model").eval()
    tokenizer = AutoTokenizer.from_pretrained(out / "model")
    validation = helpers.load_reviews()["validation"].select(range(256))
    labels = torch.tensor(list(validation["label"]))
    with torch.no_grad():
        batch = tokenizer(list(validation["text"]), truncation=True, max_length=64, padding=True, return_tensors="pt")
        predicted = model(**batch).logits.argmax(-1)
    accuracy = (predicted == labels).float().mean().item()
    majority = max(labels.float().mean().item(), 1 - labels.float().mean().item())
    assert accuracy > majority + 0.05, (accuracy, majority)
    assert abs(accuracy - result["history"][-1]["validation_accuracy"]) < 0.03


@IN_LESSON_09
def test_cpu_flag_starts_one_process_and_multi_gpu_two():
    """The two launch commands lesson 09 compares, on this machine without a GPU."""
    common = "--num_machines 1 --mixed_precision no --dynamo_backend no"
    one = run(f"accelerate launch --cpu --num_processes 2 {common} {script('whoami.py')}", echo=False)
    two = run(f"accelerate launch --multi_gpu --num_processes 2 {common} {script('whoami.py')}", echo=False)
    assert re.findall(r"rank \d of \d processes \(\w+", one.output) == ["rank 0 of 1 processes (NO"]
    assert sorted(re.findall(r"rank \d of \d processes \(\w+", two.output)) == [
        "rank 0 of 2 processes (MULTI_CPU", "rank 1 of 2 processes (MULTI_CPU"]


@IN_LESSON_09
def test_trainer_under_two_processes_reports_double_loss_until_told(tmp_path):
    """Lesson 04's Trainer on two processes: the reported loss doubles by default and is right
    with model.accepts_loss_kwargs = False (what lesson 09 explains)."""
    launched = run(f"accelerate launch --multi_gpu --num_processes 2 --num_machines 1 --mixed_precision no "
                   f"--dynamo_backend no {script('train_trainer.py')} --output {tmp_path}", echo=False, timeout=240)
    reports = {r["accepts_loss_kwargs"]: r for r in map(json.loads, launched.lines('{"processes"'))}
    assert {r["processes"] for r in reports.values()} == {2}
    fixed, default = reports[False]["reported_training_loss"], reports[True]["reported_training_loss"]
    assert fixed == pytest.approx(math.log(2), abs=0.06)
    assert default == pytest.approx(2 * fixed, rel=0.01)
    assert reports[True]["gradient_norm"] == pytest.approx(2 * reports[False]["gradient_norm"], rel=0.05)


def test_launch_errors_name_the_command_and_show_its_last_lines():
    from helpers.launch import LaunchError

    with pytest.raises(LaunchError, match=r"failed with exit code 3(.|\n)*boom"):
        run('python -c "import sys; print(\'boom\'); sys.exit(3)"', echo=False)
    with pytest.raises(LaunchError, match="ran longer than 1 s(.|\n)*started"):
        run('python -c "import time; print(\'started\', flush=True); time.sleep(30)"', echo=False, timeout=1)
    with pytest.raises(LaunchError, match="not a command here"):
        run("no-such-launcher --num_processes 2 x.py", echo=False)
    with pytest.raises(FileNotFoundError, match="No script 'nope.py'"):
        script("nope.py")
