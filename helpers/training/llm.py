"""Lesson 11's chat model: SmolLM2-135M-Instruct, from its pinned GGUF file to an ordinary folder.

The course ships the model as one GGUF file (the format of llama.cpp), its weights quantized to
4 bits (Q4_1: blocks of 32 weights share a scale and a minimum). transformers can read GGUF:
``AutoModelForCausalLM.from_pretrained(folder, gguf_file=name)`` dequantizes every weight back to
float32, which takes about 30 s on 2 cores. So this module does it once and saves the result as
``config.json`` + ``model.safetensors`` + tokenizer files in the course cache, in a folder named
after the GGUF file's sha256. After that, the lesson loads the model with the ordinary call
``AutoModelForCausalLM.from_pretrained(chat_model_path())`` in about a second.

One step is not obvious. A model loaded from GGUF keeps ``config.quantization_config`` (it says
"this came from GGUF"), and ``Trainer`` and ``save_pretrained`` refuse such a model as if it were
still quantized. The weights are plain float32 by then, so we build a fresh model from the config
without that entry and load the dequantized weights into it.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from helpers.assets.pinned import CHAT_MODEL, chat_model_gguf, sha256_of
from helpers.core.cache import cache_folder
from helpers.core.errors import CourseError

GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
MARKER = "converted.json"  # written last: the source's sha256 and each saved file's sha256
_CHECKED: set[Path] = set()  # conversions already checked by sha256 in this Python process


def _target() -> Path:
    return cache_folder("runs") / f"smollm2-135m-instruct-{CHAT_MODEL.files[GGUF_NAME][:12]}"


def _converted_ok(folder: Path) -> bool:
    """True when ``folder`` holds a finished conversion whose files still match their hashes."""
    marker = folder / MARKER
    if not marker.is_file():
        return False
    try:
        record = json.loads(marker.read_text())
        files = record["files"]
    except (ValueError, KeyError, TypeError):
        return False
    return record.get("gguf_sha256") == CHAT_MODEL.files[GGUF_NAME] and all(
        (folder / name).is_file() and sha256_of(folder / name) == digest for name, digest in files.items())


def convert_gguf(gguf: Path, out: Path) -> Path:
    """Dequantize ``gguf`` into an ordinary transformers folder ``out`` (float32 weights)."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
    loaded = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name, dtype=torch.float32)
    config = loaded.config
    if hasattr(config, "quantization_config"):
        del config.quantization_config  # the weights are dequantized: nothing is quantized any more
    model = AutoModelForCausalLM.from_config(config, dtype=torch.float32)
    model.load_state_dict(loaded.state_dict())
    model.generation_config = loaded.generation_config
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    return out


def chat_model_path() -> Path:
    """The folder of SmolLM2-135M-Instruct, ready for ``AutoModelForCausalLM.from_pretrained``.

    The first call converts the pinned GGUF file (about 30 s, with transformers' progress bar) and caches the
    result; later calls check the cached files' sha256 (once per Python process, like the assets)
    and return at once. A damaged or half-written conversion is thrown away and made again.
    """
    target = _target()
    if target in _CHECKED or _converted_ok(target):
        _CHECKED.add(target)
        return target
    gguf = chat_model_gguf()
    print(f"Converting {GGUF_NAME} (4-bit GGUF) to float32 safetensors, once: about 30 s ...")
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    try:
        convert_gguf(gguf, partial)
    except ImportError as exc:
        raise CourseError(f"Reading {gguf} needs the `gguf` package ({exc}). Install it with "
                          "`pip install gguf`, or reinstall the course, which depends on it.") from exc
    files = {p.name: sha256_of(p) for p in sorted(partial.iterdir()) if p.is_file()}
    for name in files:  # safetensors writes its file for the owner only; a shared cache needs more
        os.chmod(partial / name, 0o644)
    (partial / MARKER).write_text(json.dumps({"gguf_sha256": CHAT_MODEL.files[GGUF_NAME], "files": files},
                                             indent=1))
    shutil.rmtree(target, ignore_errors=True)
    os.replace(partial, target)
    _CHECKED.add(target)
    print(f"Saved in {target}")
    return target
