"""Lesson 10: its LoRA configuration, the adapter saved and reloaded, merging, and the memory count."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import torch

import helpers
from helpers import course

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def batch():
    from transformers import AutoTokenizer, DataCollatorWithPadding

    tokenizer = AutoTokenizer.from_pretrained(helpers.base_model_path())
    texts = ["A dazzling, heartfelt triumph.", "Two hours I will never get back.", "Fine, if forgettable.",
             "The cast is wonderful and the script is sharp.", "Dull.", "I laughed, then I cried.",
             "An overlong, muddled mess.", "Worth it for the final scene alone."]
    rows = [tokenizer(t) | {"label": i % 2} for i, t in enumerate(texts)]
    return DataCollatorWithPadding(tokenizer)(rows)


def lesson_lora(seed: int = 0) -> dict:
    """Run lesson 10's configuration cell (tagged "lora": "definition") on a fresh classifier."""
    helpers.environment.quiet_loading(True)
    namespace = {"model": helpers.training.new_classifier(seed=seed)}
    (source,) = course.tagged_cells("10_lora", "lora", "definition")
    exec(source, namespace)  # noqa: S102
    return namespace


def test_the_lessons_configuration_trains_about_one_percent_and_the_right_modules():
    lesson = lesson_lora()
    model = lesson["lora_model"]
    trained = [n for n, p in model.named_parameters() if p.requires_grad]
    share = sum(p.numel() for p in model.parameters() if p.requires_grad) / sum(p.numel() for p in model.parameters())
    assert 0.005 < share < 0.02, share
    assert all(("lora_" in n) or ("classifier" in n) or ("pooler" in n) for n in trained), trained
    assert sum("lora_A" in n for n in trained) == 12   # query and value in each of 6 layers
    assert any("classifier" in n for n in trained) and any("pooler" in n for n in trained)


def test_the_lessons_rank_and_learning_rate_are_the_ones_chosen_on_validation():
    (source,) = course.tagged_cells("10_lora", "lora", "definition")
    r, lr = re.search(r"LORA_R, LORA_LR = (\d+), ([0-9.e-]+)", source).groups()
    chosen = json.loads((ROOT / "benchmarks" / "results" / "lora.json").read_text())["sweep"]
    assert chosen["selected_on"] == "validation"
    assert (int(r), float(lr)) == (chosen["selected"]["r"], chosen["selected"]["learning_rate"])


def test_a_saved_adapter_reloads_and_merges_to_the_same_predictions(tmp_path, batch):
    from peft import PeftModel

    model = lesson_lora()["lora_model"]
    torch.manual_seed(1)
    for name, p in model.named_parameters():   # as if trained: B no longer zero, head changed
        if "lora_B" in name or "modules_to_save" in name:
            p.data.normal_(0, 0.05)
    inputs = {k: v for k, v in batch.items() if k != "labels"}
    model.eval()
    with torch.no_grad():
        expected = model(**inputs).logits
    model.save_pretrained(tmp_path / "adapter")
    assert sorted(p.name for p in (tmp_path / "adapter").iterdir()) == [
        "README.md", "adapter_config.json", "adapter_model.safetensors"]
    assert helpers.storage.folder_mb(tmp_path / "adapter") < 5

    reloaded = PeftModel.from_pretrained(helpers.training.new_classifier(seed=123), tmp_path / "adapter").eval()
    with torch.no_grad():
        assert torch.allclose(reloaded(**inputs).logits, expected, atol=1e-5)
    merged = reloaded.merge_and_unload()
    assert type(merged).__name__ == "BertForSequenceClassification"
    assert not any("lora" in name for name, _ in merged.named_modules())
    with torch.no_grad():
        assert torch.allclose(merged(**inputs).logits, expected, atol=1e-4)


def test_training_memory_counts_each_kind_of_tensor(batch):
    from peft import get_peft_model

    def count(make):
        model = make()
        optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-4)
        return helpers.memory.training_memory(model, dict(batch), optimizer)

    new = lambda: helpers.training.new_classifier(seed=0)   # noqa: E731
    full = count(new)
    weights_mb = sum(p.numel() * 4 for p in new().parameters()) / 1e6
    assert full.weights == pytest.approx(weights_mb)
    assert full.gradients == pytest.approx(weights_mb)            # one fp32 gradient per weight
    assert full.optimizer_state == pytest.approx(2 * weights_mb)  # AdamW: two averages per weight
    assert 0 < full.activations < full.weights
    assert count(new) == full                                     # counted, not sampled: repeatable

    config = lesson_lora()["config"]
    lora = count(lambda: get_peft_model(new(), config))
    assert lora.gradients < 0.02 * full.gradients and lora.optimizer_state < 0.02 * full.optimizer_state
    assert lora.weights >= full.weights                           # LoRA adds weights; it trains few
    assert lora.activations < full.activations                    # frozen layers keep no inputs for weight gradients
