"""Fine-tuning with Trainer: the course's recipe, and the fine-tuned model that later lessons reuse.

Lesson 04 writes the training out cell by cell. Lessons 05 and 06 need the result without
depending on lesson 04 having run, so ``finetuned_model()`` loads it from the course cache or,
the first time, trains it once with exactly lesson 04's recipe. The cache folder is named after a
hash of the recipe, so changing any setting trains (and caches) a new model.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from helpers.assets.pinned import MODEL, base_model_path
from helpers.core.cache import cache_folder
from helpers.data.loading import LABEL_NAMES
from helpers.core.device import detect_device, precision_flags

ID2LABEL = dict(enumerate(LABEL_NAMES))
LABEL2ID = {name: i for i, name in ID2LABEL.items()}


@dataclass(frozen=True)
class Recipe:
    """Lesson 04's settings. ``benchmarks/finetune.py`` chose the first ones for a whole epoch, one
    decision at a time; ``benchmarks/budget_recipe.py`` then chose how to spend the lesson's time
    budget (about 75 s of training on a 2-core CPU without bf16) and the learning rate for it.
    Every decision was made on the validation split (``benchmarks/results/finetune*.json`` record
    each run and ``"selected_on": "validation"``); the test split was measured once, at the end."""

    max_length: int = 64  # every review fits (lesson 02); kept: validation within 0.5 point, 1.8x faster
    learning_rate: float = 4e-4  # the budget's best of 1e-4, 2e-4, 4e-4 and 8e-4 (6% warmup)
    batch_size: int = 32
    epochs: float = 0.27  # 78 steps: the time budget, best spent training every weight (budget_recipe.py)
    warmup: float = 0.06  # a fraction of all steps (transformers 5 takes it as warmup_steps)
    sampling: str = "group_by_length"  # batches of similar length: little padding to compute
    freeze_word_embeddings: bool = False  # tried: freezing cost 1.5 validation points (0.814 vs 0.829)
    frozen_layers: int = 0  # >0: embeddings and lowest N layers frozen; 3, 4 and 5 did no better
    mixed_precision: bool = True  # bf16/fp16 where the hardware does it natively (precision_flags)
    seed: int = 0

    def key(self) -> str:
        """A short hash of the recipe and the base model, naming its cache folder."""
        # "saved": what course_run.json holds (4: the validation accuracy halfway and at the end).
        payload = json.dumps({**asdict(self), "model": MODEL.files["model.safetensors"], "saved": 4},
                             sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()[:12]


RECIPE = Recipe()

# The evaluation batch. Larger is not faster on a CPU: one validation pass (994 reviews) took
# 7.0 s at 32 and at 64, and 12.1 s at 128, on a 2-core EPYC whose cache the larger batch's
# activations overflow (benchmarks/eval_batch.py). It changes no prediction, only their cost.
EVAL_BATCH = 32


def device_kind() -> str:
    """``"cuda"``, ``"mps"`` or ``"cpu"`` (``helpers.device.detect_device``)."""
    return detect_device()


def tokenize(data: Any, tokenizer: Any, max_length: int = RECIPE.max_length) -> Any:
    """Tokenize every split (no padding: the collator pads each batch) and keep only model inputs."""
    tokenized = data.map(lambda batch: tokenizer(batch["text"], truncation=True, max_length=max_length),
                         batched=True, desc="tokenizing")
    return tokenized.remove_columns(["text", "movie"])


def new_classifier(pretrained: bool = True, seed: int = 0) -> Any:
    """A 2-label sentiment classifier on the course's MiniLM: pretrained weights plus a new head,
    or (``pretrained=False``) the same architecture with every weight random."""
    import torch
    from transformers import AutoConfig, AutoModelForSequenceClassification

    torch.manual_seed(seed)
    path = base_model_path()
    if pretrained:
        return AutoModelForSequenceClassification.from_pretrained(
            path, num_labels=2, id2label=ID2LABEL, label2id=LABEL2ID)
    config = AutoConfig.from_pretrained(path, num_labels=2, id2label=ID2LABEL, label2id=LABEL2ID)
    return AutoModelForSequenceClassification.from_config(config)


def freeze_word_embeddings(model: Any) -> int:
    """Stop training the word-embedding table; return how many parameters that freezes."""
    weights = model.get_input_embeddings().weight
    weights.requires_grad_(False)
    return weights.numel()


def freeze_lower_layers(model: Any, n: int) -> int:
    """Stop training the embeddings and the lowest ``n`` encoder layers; return how many
    parameters that freezes. Their gradients are then never computed: a cheaper step."""
    encoder = model.base_model
    modules = [encoder.embeddings, *encoder.encoder.layer[:n]]
    frozen = 0
    for module in modules:
        for weights in module.parameters():
            weights.requires_grad_(False)
            frozen += weights.numel()
    return frozen


def recipe_classifier(recipe: Recipe = RECIPE) -> Any:
    """The pretrained classifier as ``recipe`` trains it: a new head, and the word embeddings (or
    the embeddings and the lowest layers) frozen if the recipe says so."""
    model = new_classifier(seed=recipe.seed)
    if recipe.freeze_word_embeddings:
        freeze_word_embeddings(model)
    if recipe.frozen_layers:
        freeze_lower_layers(model, recipe.frozen_layers)
    return model


def accuracy_metric(eval_pred: Any) -> dict[str, float]:
    """``compute_metrics`` for Trainer: the share of correct predictions."""
    logits, labels = eval_pred
    return {"accuracy": float((np.argmax(logits, axis=-1) == labels).mean())}


def training_arguments(output_dir: str | Path, recipe: Recipe = RECIPE, **overrides: Any) -> Any:
    """TrainingArguments for the recipe, with the device and precision flags of this machine."""
    from transformers import TrainingArguments

    on_cpu = device_kind() == "cpu"
    settings: dict[str, Any] = dict(
        output_dir=str(output_dir),
        num_train_epochs=recipe.epochs,
        per_device_train_batch_size=recipe.batch_size,
        per_device_eval_batch_size=EVAL_BATCH,
        learning_rate=recipe.learning_rate,
        warmup_steps=recipe.warmup,
        train_sampling_strategy=recipe.sampling,
        seed=recipe.seed,
        save_strategy="no",
        logging_steps=20,
        report_to="none",
        use_cpu=on_cpu,
        dataloader_pin_memory=not on_cpu,
        **(precision_flags() if recipe.mixed_precision else {"bf16": False, "fp16": False}),
    )
    settings.update(overrides)
    return TrainingArguments(**settings)


def make_trainer(model: Any, args: Any, tokenized: Any, tokenizer: Any, **kwargs: Any) -> Any:
    """A Trainer with dynamic padding and accuracy, on the train and validation splits."""
    from transformers import DataCollatorWithPadding, Trainer

    return Trainer(model=model, args=args, train_dataset=tokenized["train"],
                   eval_dataset=tokenized["validation"], processing_class=tokenizer,
                   data_collator=DataCollatorWithPadding(tokenizer),
                   compute_metrics=accuracy_metric, **kwargs)


def finetuned_dir(recipe: Recipe = RECIPE) -> Path:
    """Where the model fine-tuned with ``recipe`` is cached."""
    return cache_folder("runs") / f"finetuned-{recipe.key()}"


EVAL_STEPS = 0.5  # lesson 04 measures the validation accuracy halfway through training and at the end


def validation_by_step(trainer: Any) -> dict[str, float]:
    """The validation accuracy that ``trainer`` logged while training, by step (``"39": 0.77``)."""
    return {str(h["step"]): h["eval_accuracy"] for h in trainer.state.log_history
            if "eval_accuracy" in h}


def save_finetuned(trainer: Any, metrics: dict[str, float], recipe: Recipe = RECIPE) -> Path:
    """Save a trained model, its tokenizer, the recipe and its metrics into the course cache,
    with the validation accuracy it logged while training (lesson 09 compares its loop with it)."""
    target = finetuned_dir(recipe)
    tmp = target.with_name(target.name + ".part")
    shutil.rmtree(tmp, ignore_errors=True)
    trainer.save_model(str(tmp))  # safetensors weights, config with id2label, and the tokenizer
    (tmp / "course_run.json").write_text(json.dumps(
        {"recipe": asdict(recipe), "key": recipe.key(), "metrics": metrics,
         "validation_by_step": validation_by_step(trainer)}, indent=2))
    shutil.rmtree(target, ignore_errors=True)
    tmp.rename(target)
    return target


def train_recipe(recipe: Recipe = RECIPE, output_dir: str | Path | None = None,
                 pretrained: bool = True) -> tuple[Any, dict[str, float]]:
    """Fine-tune the base model with ``recipe`` on the training split; return (trainer, metrics).

    ``pretrained=False`` trains the same architecture from random weights instead (all of them,
    word embeddings included). Metrics: validation and test accuracy, training seconds.
    """
    from transformers import AutoTokenizer, set_seed

    from helpers.data.loading import load_reviews

    set_seed(recipe.seed)
    tokenizer = AutoTokenizer.from_pretrained(base_model_path())
    tokenized = tokenize(load_reviews(), tokenizer, recipe.max_length)
    model = recipe_classifier(recipe) if pretrained else new_classifier(pretrained=False, seed=recipe.seed)
    output_dir = output_dir or cache_folder("runs") / "tmp-training"
    args = training_arguments(output_dir, recipe, eval_strategy="steps", eval_steps=EVAL_STEPS)
    trainer = make_trainer(model, args, tokenized, tokenizer)  # checks validation as lesson 04 does
    start = time.perf_counter()
    trainer.train()
    seconds = time.perf_counter() - start
    test = trainer.evaluate(tokenized["test"], metric_key_prefix="test")
    validation = trainer.evaluate()
    metrics = {"train_seconds": round(seconds, 1), "test_accuracy": test["test_accuracy"],
               "validation_accuracy": validation["eval_accuracy"]}
    return trainer, metrics


def finetuned_model(recipe: Recipe = RECIPE, verbose: bool = True) -> Path:
    """The folder of the model fine-tuned with lesson 04's recipe: from the cache, or trained now.

    Prints which of the two happened. The folder works with ``from_pretrained`` and ``pipeline``.
    """
    target = finetuned_dir(recipe)
    if (target / "course_run.json").exists():
        if verbose:
            run = json.loads((target / "course_run.json").read_text())
            print(f"Loaded the fine-tuned model from the cache ({target.name}, test accuracy "
                  f"{run['metrics']['test_accuracy']:.3f}, trained in {run['metrics']['train_seconds']} s).")
        return target
    if verbose:
        print("No fine-tuned model with lesson 04's recipe in the cache yet: training it once now "
              "(about a minute and a half on 2 CPU cores).")
    trainer, metrics = train_recipe(recipe)
    path = save_finetuned(trainer, metrics, recipe)
    if verbose:
        print(f"Trained and cached in {path.name}: test accuracy {metrics['test_accuracy']:.3f} "
              f"after {metrics['train_seconds']} s of training.")
    return path


def run_metrics(path: str | Path) -> dict[str, Any]:
    """The recipe and metrics saved next to a cached fine-tuned model."""
    return json.loads((Path(path) / "course_run.json").read_text())


def StopAt(step: int) -> Any:  # noqa: N802 (a class factory: transformers is imported lazily)
    """A Trainer callback that ends training after ``step`` optimizer steps (a checkpoint due at
    that step is still saved). The learning-rate schedule stays the one of the whole run, so the
    first ``step`` steps are exactly those of an uninterrupted run."""
    from transformers import TrainerCallback

    class _StopAt(TrainerCallback):
        def on_step_end(self, args, state, control, **kwargs):
            if state.global_step >= step:
                control.should_training_stop = True
            return control

    return _StopAt()


def checkpoint_trainer(output_dir: str | Path, tokenized: Any, tokenizer: Any, max_steps: int = 40,
                       save_steps: int = 20, stop_at: int | None = None, **overrides: Any) -> Any:
    """A short run (``max_steps`` steps) that writes a checkpoint every ``save_steps`` steps.

    ``stop_at`` simulates an interruption: training stops after that step (its checkpoint is
    saved first). A new ``checkpoint_trainer`` on the same folder then continues with
    ``train(resume_from_checkpoint=True)``. Used by lesson 04 and by the resume test, which
    passes smaller batches in ``overrides`` (any other ``TrainingArguments`` field works too).
    """
    from transformers import set_seed

    set_seed(RECIPE.seed)
    model = recipe_classifier()
    args = training_arguments(output_dir, max_steps=max_steps, save_strategy="steps",
                              save_steps=save_steps, logging_strategy="no", disable_tqdm=True, **overrides)
    return make_trainer(model, args, tokenized, tokenizer,
                        callbacks=[] if stop_at is None else [StopAt(stop_at)])


def lesson_loop(tokenizer: object, device: str = "cpu") -> dict:
    """Lesson 09's loop functions (``make_train_loader``, ``make_optimizer``, ``train_one_epoch``,
    ``accuracy``), defined by running the lesson's own cells with ``tokenizer`` and ``device``."""
    import torch

    from helpers.core.course import run_tagged_cells

    namespace: dict = {"tokenizer": tokenizer, "device": torch.device(device), "torch": torch,
                       "use_bf16": precision_flags()["bf16"]}
    return run_tagged_cells("09_training_loop", "loop", "definition", namespace)
