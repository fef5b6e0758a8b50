"""Batches of tokens: how much padding they carry, and what a training step on them costs."""

from __future__ import annotations

import time
from typing import Any, Iterable, Sequence

import numpy as np


def padding_waste(lengths: Sequence[int], batch_size: int, pad_to: int | None = None) -> dict[str, float]:
    """Token slots in batches of ``batch_size`` (in the given order), and how many are padding.

    ``pad_to=None`` is dynamic padding (each batch padded to its own longest text);
    ``pad_to=128`` pads every text to 128. Returns real tokens, slots and the padding share.
    """
    lengths = np.asarray(lengths)
    slots = 0
    for start in range(0, len(lengths), batch_size):
        chunk = lengths[start:start + batch_size]
        slots += len(chunk) * (pad_to if pad_to is not None else int(chunk.max()))
    real = int(lengths.sum())
    return {"real_tokens": real, "slots": slots, "padding_share": 1 - real / slots}


def time_steps(model: Any, batches: Iterable[dict], warmup: int = 1) -> float:
    """Mean seconds of one forward + backward pass over ``batches`` (the first ``warmup`` not timed)."""
    model.train()
    times = []
    for i, batch in enumerate(batches):
        start = time.perf_counter()
        loss = model(**batch).loss
        loss.backward()
        model.zero_grad(set_to_none=True)
        if i >= warmup:
            times.append(time.perf_counter() - start)
    return float(np.mean(times))


def make_batches(features: Sequence[dict], collate: Any, batch_size: int, n_batches: int) -> list[dict]:
    """The first ``n_batches`` batches of ``features`` (dicts of token ids), formed by ``collate``."""
    return [collate(list(features[i * batch_size:(i + 1) * batch_size])) for i in range(n_batches)]
