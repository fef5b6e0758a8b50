"""Sentence embeddings from the pretrained model: mean pooling, cached on disk.

Lesson 01 writes the mean pooling out by hand for a few sentences; ``embed`` does the same for
thousands of texts (sorted by length, so that little padding is computed) and ``split_embeddings``
keeps the result in the course cache, so that lessons and reruns reuse it.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Sequence

import numpy as np

from helpers.assets.pinned import MODEL, base_model_path
from helpers.core.cache import cache_folder
from helpers.core.device import autocast_dtype, detect_device

if TYPE_CHECKING:
    import torch
    from datasets import DatasetDict

MAX_LENGTH = 128  # longer than every review snippet (at most 255 characters, about 70 tokens)


def mean_pool(last_hidden_state: "torch.Tensor", attention_mask: "torch.Tensor") -> "torch.Tensor":
    """Average the token vectors of each text, ignoring padding: one vector per text."""
    mask = attention_mask.unsqueeze(-1).to(last_hidden_state.dtype)
    return (last_hidden_state * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)


def load_encoder() -> tuple:
    """The pretrained tokenizer and encoder (``AutoModel``), in eval mode."""
    from transformers import AutoModel, AutoTokenizer

    path = base_model_path()
    return AutoTokenizer.from_pretrained(path), AutoModel.from_pretrained(path).eval()


def embed(texts: Sequence[str], batch_size: int = 32, progress: bool = True,
          encoder: tuple | None = None) -> np.ndarray:
    """Mean-pooled embeddings, shape ``(len(texts), 384)``, float32.

    Texts are batched in order of length (less padding). The model runs on the best device here
    (``helpers.device``), under autocast where that device computes bf16 or fp16 natively: on a
    CPU with native bf16 about 3× faster than float32, with a cosine similarity above 0.9999 to
    the float32 result.
    """
    import torch
    from tqdm.auto import tqdm

    tokenizer, model = encoder or load_encoder()
    device = detect_device()
    model = model.to(device)
    dtype = autocast_dtype(device)
    order = np.argsort([len(t) for t in texts], kind="stable")
    out = np.zeros((len(texts), model.config.hidden_size), dtype=np.float32)
    batches = range(0, len(texts), batch_size)
    with torch.inference_mode(), torch.autocast(device, dtype=dtype or torch.float32, enabled=dtype is not None):
        for start in tqdm(batches, desc="embedding", unit="batch", disable=not progress):
            idx = order[start:start + batch_size]
            enc = tokenizer([texts[i] for i in idx], padding=True, truncation=True,
                            max_length=MAX_LENGTH, return_tensors="pt").to(device)
            hidden = model(**enc).last_hidden_state.float()
            out[idx] = mean_pool(hidden, enc["attention_mask"]).cpu().numpy()
    return out


def _key(texts: Sequence[str]) -> str:
    digest = hashlib.sha256()
    digest.update(json.dumps({"model": MODEL.files["model.safetensors"], "pool": "mean",
                              "max_length": MAX_LENGTH, "autocast": str(autocast_dtype())}).encode())
    for text in texts:
        digest.update(text.encode() + b"\0")
    return digest.hexdigest()[:16]


def split_embeddings(data: "DatasetDict", progress: bool = True) -> dict[str, np.ndarray]:
    """Embeddings of every split of ``data``, computed once and then read from the course cache.

    The cache file is keyed by the model's hash, the pooling and the texts themselves, so a
    change to any of them computes fresh embeddings.
    """
    folder = cache_folder("embeddings")
    result: dict[str, np.ndarray] = {}
    encoder = None
    for name, split in data.items():
        texts = list(split["text"])
        path = folder / f"{name}-{_key(texts)}.npy"
        if path.exists():
            result[name] = np.load(path)
            continue
        encoder = encoder or load_encoder()
        vectors = embed(texts, progress=progress, encoder=encoder)
        tmp = path.with_suffix(".part.npy")
        np.save(tmp, vectors)
        tmp.replace(path)
        result[name] = vectors
    return result


def cosine_matrix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Cosine similarity of every row of ``a`` with every row of ``b``."""
    a = a / np.linalg.norm(a, axis=1, keepdims=True)
    b = b / np.linalg.norm(b, axis=1, keepdims=True)
    return a @ b.T
