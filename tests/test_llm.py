"""Lesson 11: the GGUF conversion and its cache, the reply parser, and SFT on the answer only."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import torch

import helpers
from helpers import course, llm
from helpers.errors import CourseError

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def chat_folder() -> Path:
    return llm.chat_model_path()


def test_the_gguf_file_converts_to_a_model_that_generates_and_saves(chat_folder, tmp_path):
    """The conversion itself, at the installed transformers and gguf (the cached folder may come
    from another suite's run): the same weights as the cache, a model that generates, and a
    save_pretrained that reloads to the same state dict."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from safetensors.torch import load_file

    converted = llm.convert_gguf(helpers.assets.chat_model_gguf(), tmp_path / "converted")
    fresh, cached = load_file(converted / "model.safetensors"), load_file(chat_folder / "model.safetensors")
    assert fresh.keys() == cached.keys() and all(torch.equal(fresh[k], cached[k]) for k in fresh)
    del fresh, cached
    config = json.loads((converted / "config.json").read_text())
    assert "quantization_config" not in config and config["model_type"] == "llama"
    tokenizer = AutoTokenizer.from_pretrained(converted)
    model = AutoModelForCausalLM.from_pretrained(converted)
    assert 134e6 < model.num_parameters() < 136e6
    inputs = tokenizer.apply_chat_template([{"role": "user", "content": "Say hello."}], add_generation_prompt=True,
                                           return_tensors="pt", return_dict=True)
    output = model.generate(**inputs, max_new_tokens=4, do_sample=False, pad_token_id=tokenizer.pad_token_id)
    assert output.shape[1] > inputs["input_ids"].shape[1]
    assert tokenizer.decode(output[0, inputs["input_ids"].shape[1]:], skip_special_tokens=True).strip()

    model.save_pretrained(tmp_path / "again")
    again = AutoModelForCausalLM.from_pretrained(tmp_path / "again")
    for (name, a), (_, b) in zip(model.state_dict().items(), again.state_dict().items()):
        assert torch.equal(a, b), name


def test_a_second_call_uses_the_cache(chat_folder, monkeypatch):
    monkeypatch.setattr(llm, "convert_gguf", lambda *a: pytest.fail("converted again"))
    assert llm.chat_model_path() == chat_folder


def _fake_conversion(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "model.safetensors").write_bytes(b"weights")
    files = {"model.safetensors": helpers.assets.sha256_of(folder / "model.safetensors")}
    (folder / llm.MARKER).write_text(json.dumps({"gguf_sha256": llm.CHAT_MODEL.files[llm.GGUF_NAME],
                                                 "files": files}))
    return folder


def test_a_damaged_or_half_written_conversion_is_not_trusted(tmp_path):
    good = _fake_conversion(tmp_path / "good")
    assert llm._converted_ok(good)
    tampered = _fake_conversion(tmp_path / "tampered")
    (tampered / "model.safetensors").write_bytes(b"weightz")
    assert not llm._converted_ok(tampered)
    unfinished = _fake_conversion(tmp_path / "unfinished")
    (unfinished / llm.MARKER).unlink()
    assert not llm._converted_ok(unfinished)
    garbled = _fake_conversion(tmp_path / "garbled")
    (garbled / llm.MARKER).write_text("{not json")
    assert not llm._converted_ok(garbled)


def test_a_missing_gguf_package_is_named_with_its_fix(tmp_path, monkeypatch):
    def no_gguf(*args):
        raise ImportError("gguf is not installed")

    monkeypatch.setattr(llm, "_target", lambda: tmp_path / "converted")
    monkeypatch.setattr(llm, "chat_model_gguf", lambda: tmp_path / "model.gguf")
    monkeypatch.setattr(llm, "convert_gguf", no_gguf)
    with pytest.raises(CourseError, match=r"pip install gguf"):
        llm.chat_model_path()
    assert not (tmp_path / "converted").exists()


@pytest.fixture(scope="module")
def parse_reply():
    namespace: dict = {}
    (source,) = course.tagged_cells("11_chat_sft", "llm", "parse")
    exec(source, namespace)  # noqa: S102
    return namespace["parse_reply"]


@pytest.mark.parametrize("reply, label", [
    ("", None),
    ("Positive!", "positive"),
    ("neutral", None),
    ("NEGATIVE.", "negative"),
    ("negative<|im_end|>", "negative"),
    ("This movie review is positive.", "positive"),
    ("positively glowing", None),
    ("Well, the reviewer seems to have enjoyed some of it, found the pacing slow, praised the actors, and "
     "on balance I would say the tone is mixed, though the ending leaves a positive impression.", "positive"),
    ("It has positive moments, but the review as a whole is negative, I think, or perhaps neutral.", None),
])
def test_the_lessons_reply_parser_on_odd_replies(parse_reply, reply, label):
    assert parse_reply(reply) == label


def test_the_lessons_sft_settings_are_the_ones_chosen_on_validation():
    source = "".join(c for c in course.tagged_cells("11_chat_sft", "llm", "train"))
    chosen = json.loads((ROOT / "benchmarks" / "results" / "sft.json").read_text())
    assert chosen["selected_on"] == "validation"
    assert float(re.search(r"learning_rate=([0-9.e-]+)", source).group(1)) == chosen["selected"]["learning_rate"]
    assert int(re.search(r"N_TRAIN = (\d+)", source).group(1)) == chosen["selected"]["examples"]


def test_sft_puts_the_loss_on_the_answer_only_and_trains_the_adapter(chat_folder, tmp_path):
    from datasets import Dataset
    from peft import LoraConfig
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from trl import SFTConfig, SFTTrainer

    tokenizer = AutoTokenizer.from_pretrained(chat_folder)
    words = ["negative", "positive"]
    data = Dataset.from_dict({
        "prompt": [[{"role": "user", "content": f"Review {i}: {'great' if i % 2 else 'awful'} film."}] for i in range(8)],
        "completion": [[{"role": "assistant", "content": words[i % 2]}] for i in range(8)]})
    args = SFTConfig(output_dir=str(tmp_path), per_device_train_batch_size=4, max_steps=2, learning_rate=1e-3,
                     completion_only_loss=True, gradient_checkpointing=False, report_to="none",
                     save_strategy="no", use_cpu=True, bf16=False, seed=0)
    trainer = SFTTrainer(model=AutoModelForCausalLM.from_pretrained(chat_folder), args=args, train_dataset=data,
                         processing_class=tokenizer,
                         peft_config=LoraConfig(r=8, lora_alpha=16, target_modules=["q_proj", "v_proj"],
                                                task_type="CAUSAL_LM"))
    example = trainer.data_collator([trainer.train_dataset[1]])
    ids, labels = example["input_ids"][0].tolist(), example["labels"][0].tolist()
    learned = tokenizer.decode([i for i, label in zip(ids, labels) if label != -100])
    assert learned.startswith("positive") and labels[:5] == [-100] * 5
    trained = [n for n, p in trainer.model.named_parameters() if p.requires_grad]
    assert trained and all("lora_" in n for n in trained)
    before = {n: p.detach().clone() for n, p in trainer.model.named_parameters() if "lora_B" in n}
    trainer.train()
    assert trainer.state.global_step == 2
    assert any(not torch.equal(before[n], p) for n, p in trainer.model.named_parameters() if n in before)


def test_lesson_11s_multi_turn_cells_refuse_without_markers_and_mask_the_assistant_with_them(
        chat_folder, tmp_path, monkeypatch, capsys):
    """Lesson 11's two cells on a two-turn conversation, run as written, at the installed TRL:
    without `{% generation %}` markers TRL refuses (TRL 1.x with a ValueError as the trainer is
    built, TRL 0.29 with a RuntimeError at the first batch: the lesson says both); with the
    lesson's markers the text is unchanged and only the two assistant answers carry a loss."""
    from importlib.metadata import version

    from transformers import AutoModelForCausalLM, AutoTokenizer

    monkeypatch.chdir(tmp_path)   # the cells write output/11_turns
    conversation = [{"role": "system", "content": "Answer with one word."},
                    {"role": "user", "content": "A slow start, but a wonderful end."},
                    {"role": "assistant", "content": "positive"},
                    {"role": "user", "content": "Two hours I will never get back."}]
    namespace = {"tokenizer": AutoTokenizer.from_pretrained(chat_folder), "path": chat_folder,
                 "merged": AutoModelForCausalLM.from_pretrained(chat_folder), "conversation": conversation,
                 "on_cpu": True, "AutoTokenizer": AutoTokenizer}
    course.run_tagged_cells("11_chat_sft", "sft", "turns", namespace)
    said = capsys.readouterr().out
    refusal = "ValueError" if int(version("trl").split(".")[0]) >= 1 else "RuntimeError"
    assert f"TRL refuses ({refusal}):" in said and "generation" in said.split("TRL refuses", 1)[1]
    assert "the same text, character for character: True" in said
    assert "tokens that carry a loss: ['positive', '<|im_end|>', 'negative', '<|im_end|>']" in said
