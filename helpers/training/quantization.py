"""Dynamic int8 quantization of the classifier, and a fair side-by-side comparison with fp32."""

from __future__ import annotations

import copy
import statistics
import time
from typing import Any, Sequence


def quantize_int8(model: Any) -> Any:
    """A copy of ``model`` whose ``nn.Linear`` layers run in int8 (dynamic quantization, CPU).

    This is lesson 06's call, ``torch.ao.quantization.quantize_dynamic``, for the benchmarks and
    tests. torch has deprecated it in favour of the separate ``torchao`` library, and its
    DeprecationWarning is left as it is: lesson 06 shows it to the learner and explains it.
    """
    import torch

    return torch.ao.quantization.quantize_dynamic(copy.deepcopy(model).eval(), {torch.nn.Linear},
                                                  dtype=torch.qint8)


def weights_mb(model: Any) -> float:
    """Size of the model's weights in MB: the bytes of every tensor in its state dict.

    An int8 layer stores its weight as a quantized tensor inside a tuple (``_packed_params``),
    at 1 byte a number; an fp32 weight takes 4. (Counted directly rather than by ``torch.save``:
    pickling a quantized state dict makes pickle look up ``torch.qint8`` in every loaded module,
    and transformers 5.15's lazy modules answer that lookup by importing torchvision.)
    """
    import torch

    def nbytes(value: Any) -> int:
        if isinstance(value, torch.Tensor) and hasattr(value, "__tensor_flatten__"):
            inner, _ = value.__tensor_flatten__()  # a tensor subclass (torchao): count what it holds
            return sum(nbytes(getattr(value, name)) for name in inner)
        if isinstance(value, torch.Tensor):
            return value.nelement() * value.element_size()
        if isinstance(value, (tuple, list)):
            return sum(nbytes(v) for v in value)
        return 0

    return sum(nbytes(v) for v in model.state_dict().values()) / 1e6


def _batches(tokenizer: Any, texts: Sequence[str], batch_size: int) -> list[dict]:
    return [tokenizer(list(texts[i:i + batch_size]), padding=True, truncation=True, max_length=64,
                      return_tensors="pt") for i in range(0, len(texts), batch_size)]


def compare(models: dict[str, Any], tokenizer: Any, texts: Sequence[str], labels: Sequence[int],
            batch_size: int = 32, timing_batches: int = 10) -> Any:
    """A table, one row per model: median ms per batch, weights MB, accuracy on all ``texts``.

    Timing uses the same ``timing_batches`` batches for every model, after one warm-up batch.
    """
    import numpy as np
    import pandas as pd
    import torch

    batches = _batches(tokenizer, list(texts), batch_size)
    rows = {}
    with torch.no_grad():  # not inference_mode: torchao's tensors refuse its inference tensors
        for name, model in models.items():
            model.eval()
            model(**batches[0])  # warm-up
            times = []
            for batch in batches[1:timing_batches + 1]:
                start = time.perf_counter()
                model(**batch)
                times.append(1000 * (time.perf_counter() - start))
            preds = np.concatenate([model(**b).logits.argmax(-1).numpy() for b in batches])
            rows[name] = {"ms per batch of 32": round(statistics.median(times), 1),
                          "weights MB": round(weights_mb(model), 1),
                          "test accuracy": round(float((preds == np.asarray(labels)).mean()), 4)}
    return pd.DataFrame(rows).T
