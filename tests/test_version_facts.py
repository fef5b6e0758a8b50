"""The version facts that lessons and quizzes teach, checked against the installed libraries.

The releases named in the course were read from each release's own source (the wheels of
transformers on PyPI): ``evaluation_strategy`` is in 4.50.3 and gone in 4.51.0 (its warning,
added in 4.41.0, named 4.46); ``Trainer(tokenizer=)`` was deprecated in 4.46.0 and is gone in
5.0.0, as is ``no_cuda``; ``group_by_length`` is in 5.1.0 and replaced by
``train_sampling_strategy`` in 5.2.0; ``warmup_ratio`` warns from 5.0.0 ("will be removed in
v5.2") and is gone in 5.15.0. These tests run in every suite, so each fact is proven on the
newest versions, on Colab's (transformers 5.15, huggingface_hub 1.27) and at the floors.
"""

from __future__ import annotations

import inspect
from importlib import metadata

import pytest
import transformers
from packaging.version import Version
from transformers import Trainer, TrainingArguments

import helpers

TRANSFORMERS = Version(transformers.__version__)


@pytest.mark.parametrize("old,removed_in", [
    ({"evaluation_strategy": "steps"}, "4.51.0"),
    ({"no_cuda": True}, "5.0.0"),
    ({"group_by_length": True}, "5.2.0"),
    ({"warmup_ratio": 0.06}, "5.15.0"),
])
def test_removed_training_arguments_raise_type_error(old, removed_in, tmp_path):
    if TRANSFORMERS < Version(removed_in):
        pytest.skip(f"{old} is still accepted before transformers {removed_in}")
    with pytest.raises(TypeError):
        TrainingArguments(output_dir=str(tmp_path), **old)


def test_current_names_work(tmp_path):
    args = TrainingArguments(output_dir=str(tmp_path), eval_strategy="steps", use_cpu=True, warmup_steps=0.06,
                             train_sampling_strategy="group_by_length")
    assert args.get_warmup_steps(1000) == 60


def test_trainer_takes_processing_class_not_tokenizer():
    parameters = inspect.signature(Trainer.__init__).parameters
    assert "processing_class" in parameters and "tokenizer" not in parameters


@pytest.mark.skipif(helpers.environment.detect_device() != "cpu", reason="the fact is about machines without a GPU")
def test_bf16_on_a_cpu_needs_use_cpu(tmp_path):
    """Lesson 04: Trainer falls back to the CPU by itself, but bf16=True there needs use_cpu=True."""
    with pytest.raises(ValueError, match="doesn't support bf16/gpu"):
        TrainingArguments(output_dir=str(tmp_path), bf16=True)
    assert TrainingArguments(output_dir=str(tmp_path), bf16=True, use_cpu=True).bf16
    assert TrainingArguments(output_dir=str(tmp_path)).use_cpu is False  # no flag needed for plain fp32


def test_hub_login_command_is_hf_auth_login():
    """Lesson 06: `hf auth login` works; in huggingface_hub 1.x `huggingface-cli` only says that it
    no longer works (and exits with an error), and later releases drop it."""
    assert Version(metadata.version("huggingface_hub")) >= Version("1.0")
    commands = {e.name for e in metadata.entry_points(group="console_scripts")
                if e.dist is not None and e.dist.metadata["Name"].lower().replace("_", "-") == "huggingface-hub"}
    assert "hf" in commands
    assert helpers.environment.command_help("hf", "auth", "login").startswith("Usage: hf auth login")
    with pytest.raises(helpers.CourseError, match="huggingface-cli"):
        helpers.environment.command_help("huggingface-cli", "login")


def test_push_to_hub_exists_on_trainer_model_and_tokenizer():
    from transformers import PreTrainedModel, PreTrainedTokenizerBase

    for owner in (Trainer, PreTrainedModel, PreTrainedTokenizerBase):
        assert callable(owner.push_to_hub), owner
    assert "commit_message" in inspect.signature(Trainer.push_to_hub).parameters
    assert "repo_id" in inspect.signature(PreTrainedModel.push_to_hub).parameters


def test_gradient_checkpointing_is_the_name_every_supported_version_takes(tmp_path):
    """Lesson 11 writes `gradient_checkpointing=False`: the only name in Colab's transformers 5.15,
    and a deprecated alias of `activation_checkpointing` in newer versions (5.24 here), which warn."""
    import warnings

    fields = TrainingArguments.__dataclass_fields__
    assert "gradient_checkpointing" in fields
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        args = TrainingArguments(output_dir=str(tmp_path), gradient_checkpointing=False, report_to="none")
    renamed = "activation_checkpointing" in fields
    assert any("activation_checkpointing" in str(w.message) for w in caught) == renamed
    assert not (args.activation_checkpointing if renamed else args.gradient_checkpointing)
