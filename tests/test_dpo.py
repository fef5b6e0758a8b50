"""Lesson 13 (DPO) and lesson 11's adapter: the pair builder, the DPO loss by hand against TRL's
on a fixed batch, and an adapter that is saved, reloaded and merged without changing the model.

These run at the installed TRL and peft: in the main suite, the Colab-version suite (trl 0.29.1)
and at the floors."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

import helpers
from helpers import llm

ROOT = Path(__file__).resolve().parent.parent
LABELS = {0: "negative", 1: "positive"}


@pytest.fixture(scope="module")
def chat_folder() -> Path:
    return llm.chat_model_path()


@pytest.fixture(scope="module")
def reviews():
    return helpers.load_reviews()


def make_pairs():
    return helpers.exercises.reference("make_pairs")


def test_the_lessons_pairs_hold_no_validation_or_test_review(reviews):
    """Lesson 13's 128 training reviews (lesson 11's SFT examples): none is a validation or test
    review, so no pair can leak one."""
    train = reviews["train"].shuffle(seed=0).select(range(128))
    held_out = set(reviews["validation"]["text"]) | set(reviews["test"]["text"])
    replies = ["The review is positive."] * len(train)
    pairs = make_pairs()(list(train["text"]), list(train["label"]), replies)
    texts = [p["prompt"][1]["content"].split("Review: ", 1)[1] for p in pairs]
    assert len(pairs) == 128 and not set(texts) & held_out


def test_a_pair_never_prefers_a_reply_to_itself():
    pairs = make_pairs()(["a", "b", "c"], [1, 0, 1], ["positive", "Negative", " positive \n"])
    assert [p["rejected"][0]["content"] for p in pairs] == ["Negative"]
    assert all(p["chosen"] != p["rejected"] for p in pairs)


@pytest.mark.parametrize("labels,replies,named", [
    ([1, 0, 7], ["x", "y", "z"], "2"),       # a label that is not 0 or 1: its row is named
    ([1, 0], ["x", "y", "z"], "length"),     # lists of different lengths
])
def test_a_malformed_row_is_named(labels, replies, named):
    with pytest.raises(ValueError, match=named):
        make_pairs()(["a", "b", "c"], labels, replies)


def _lesson_logprobs(tokenizer) -> dict:
    """Lesson 13's own `reply_logprob` and `four_logprobs` cells, run as written."""
    namespace = {"helpers": helpers, "tokenizer": tokenizer, "torch": torch}
    return helpers.course.run_tagged_cells("13_dpo", "dpo", "logprobs", namespace)


def _trl_loss(trainer, n: int) -> float:
    batch = trainer.data_collator([trainer.train_dataset[i] for i in range(n)])
    trainer.model.eval()
    with torch.no_grad():
        return float(trainer.compute_loss(trainer.model, batch))


def test_the_hand_written_dpo_loss_equals_trls_on_a_fixed_batch(chat_folder, tmp_path):
    """The exercise's DPO loss on lesson 13's hand-made log-probabilities against TRL's
    compute_loss on the same four pairs: log 2 with a fresh adapter (policy = reference), and
    the same number again once the adapter's B matrices are set to fixed random values."""
    from datasets import Dataset
    from peft import LoraConfig
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from trl import DPOConfig, DPOTrainer

    tokenizer = AutoTokenizer.from_pretrained(chat_folder)
    lesson = _lesson_logprobs(tokenizer)
    dpo_loss = helpers.exercises.reference("dpo_loss")
    pairs = make_pairs()(["Loved every minute.", "A dull, long mess.", "Great cast, weak script.", "Fine."],
                         [1, 0, 0, 1], ["The review is positive.", "positive", "It is mixed.", "negative"])
    args = DPOConfig(output_dir=str(tmp_path), per_device_train_batch_size=4, beta=0.1, max_length=160,
                     report_to="none", use_cpu=True)
    lora = LoraConfig(r=8, lora_alpha=16, lora_dropout=0.0, target_modules=["q_proj", "v_proj"], task_type="CAUSAL_LM")
    trainer = DPOTrainer(model=AutoModelForCausalLM.from_pretrained(chat_folder), args=args,
                         train_dataset=Dataset.from_list(pairs), processing_class=tokenizer, peft_config=lora)
    at_start = float(dpo_loss(*lesson["four_logprobs"](trainer.model, pairs), 0.1))
    assert at_start == pytest.approx(torch.log(torch.tensor(2.0)).item(), abs=1e-6)
    assert _trl_loss(trainer, 4) == pytest.approx(at_start, abs=1e-5)

    # Both LoRA matrices from a seeded generator: peft draws A at random on every run, and with
    # an unseeded A the policy's change (and so this test) would depend on the luck of the draw.
    generator = torch.Generator().manual_seed(0)
    with torch.no_grad():
        for name, weight in trainer.model.named_parameters():
            if "lora_A" in name or "lora_B" in name:
                weight.copy_(torch.randn(weight.shape, generator=generator) * 0.05)
    by_hand = float(dpo_loss(*lesson["four_logprobs"](trainer.model, pairs), 0.1))
    assert abs(by_hand - at_start) > 1e-3, "the adapter must have changed the policy"
    assert _trl_loss(trainer, 4) == pytest.approx(by_hand, abs=1e-4)


def test_an_adapter_saved_reloaded_and_merged_gives_the_same_logits(chat_folder, tmp_path):
    """Lesson 11's save, PeftModel.from_pretrained and merge_and_unload on an adapter with fixed
    random B matrices: the reloaded adapter and the merged model compute the trained model's
    logits (float32; merging adds B·A into the weight, so the sums round differently)."""
    from peft import LoraConfig, PeftModel, get_peft_model
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(chat_folder)
    lora = LoraConfig(r=8, lora_alpha=16, target_modules=["q_proj", "v_proj"], task_type="CAUSAL_LM")
    trained = get_peft_model(AutoModelForCausalLM.from_pretrained(chat_folder), lora)
    generator = torch.Generator().manual_seed(0)
    with torch.no_grad():
        for name, weight in trained.named_parameters():
            if "lora_B" in name:
                weight.copy_(torch.randn(weight.shape, generator=generator) * 0.02)
    trained.save_pretrained(tmp_path / "adapter")
    assert (tmp_path / "adapter" / "adapter_model.safetensors").stat().st_size < 5e6   # the adapter alone

    inputs = tokenizer.apply_chat_template([{"role": "user", "content": "Is this review positive? Great fun."}],
                                           add_generation_prompt=True, return_tensors="pt", return_dict=True)
    trained.eval()
    with torch.no_grad():
        expected = trained(**inputs).logits
        reloaded = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(chat_folder), tmp_path / "adapter")
        reloaded.eval()
        assert torch.allclose(reloaded(**inputs).logits, expected, atol=1e-5)
        base = AutoModelForCausalLM.from_pretrained(chat_folder).eval()
        assert not torch.allclose(base(**inputs).logits, expected, atol=1e-2), "the adapter must change the model"
        merged = reloaded.merge_and_unload()
        assert not any("lora" in name for name, _ in merged.named_parameters())
        assert torch.allclose(merged(**inputs).logits, expected, atol=1e-3)
        assert merged(**inputs).logits[0, -1].argmax() == expected[0, -1].argmax()


def test_lesson_13s_dpo_config_cell_builds_a_lora_trainer_at_the_installed_trl(chat_folder, tmp_path, monkeypatch):
    """Lesson 13's `DPOConfig` + `DPOTrainer` cell, run as written (no training): every argument
    it names exists at the installed TRL (1.16 here, 0.29.1 in the Colab and lowest suites), only
    the LoRA matrices train, and gradient checkpointing is off as the lesson says."""
    import json
    from types import SimpleNamespace

    from datasets import Dataset
    from transformers import AutoModelForCausalLM, AutoTokenizer

    monkeypatch.chdir(tmp_path)   # the cell writes output/13_dpo
    pairs = make_pairs()(["Loved every minute.", "A dull, long mess."], [1, 0], ["It is good.", "positive"])
    namespace = {"helpers": helpers, "env": SimpleNamespace(device="cpu"), "pairs": Dataset.from_list(pairs),
                 "tokenizer": AutoTokenizer.from_pretrained(chat_folder),
                 "model": AutoModelForCausalLM.from_pretrained(chat_folder)}
    helpers.course.run_tagged_cells("13_dpo", "dpo", "config", namespace, quiet=True)
    dpo, chosen = namespace["dpo"], json.loads((ROOT / "benchmarks" / "results" / "dpo.json").read_text())["selected"]
    assert (dpo.args.beta, dpo.args.learning_rate) == (chosen["beta"], chosen["learning_rate"])
    assert dpo.args.gradient_checkpointing is False
    trained = [n for n, p in dpo.model.named_parameters() if p.requires_grad]
    assert trained and all("lora_" in n for n in trained)
