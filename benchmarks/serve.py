"""The deployment benchmark behind lesson 06, measured side by side in one run.

    python benchmarks/serve.py

Starts the real service (uvicorn on a free 127.0.0.1 port) with lesson 04's model, then measures
latency p50/p95 of single requests, texts/s sent one per request against batches of 32, and the
int8 ÷ fp32 latency ratio of the model itself with both test accuracies. Where torchao is
installed (``pip install torchao``; not a course dependency), it also measures torchao's
``quantize_`` with int8 dynamic activations and weights, which torch recommends in place of the
deprecated ``torch.ao.quantization.quantize_dynamic``.
Writes benchmarks/results/serve.json and prints a summary.
"""

from __future__ import annotations

import os
import sys
import time

import httpx
import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from _common import write  # noqa: E402

import helpers  # noqa: E402


def main() -> None:
    helpers.environment.quiet_loading()
    model_dir = helpers.training.finetuned_model()
    test = helpers.load_reviews()["test"]
    texts = list(test["text"])
    service = helpers.serve.start_background(model_dir)
    try:
        with httpx.Client(base_url=service.url, timeout=60) as http:
            for text in texts[:10]:  # warm-up
                http.post("/predict", json={"text": text})
            latencies = []
            for text in texts[:200]:
                start = time.perf_counter()
                http.post("/predict", json={"text": text}).raise_for_status()
                latencies.append(1000 * (time.perf_counter() - start))
            start = time.perf_counter()
            for text in texts[:256]:
                http.post("/predict", json={"text": text}).raise_for_status()
            unbatched = 256 / (time.perf_counter() - start)
            start = time.perf_counter()
            for i in range(0, 256, 32):
                http.post("/predict", json={"texts": texts[i:i + 32]}).raise_for_status()
            batched = 256 / (time.perf_counter() - start)
    finally:
        service.stop()

    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    fp32 = AutoModelForSequenceClassification.from_pretrained(model_dir).eval()
    models = {"fp32": fp32, "int8": helpers.quantization.quantize_int8(fp32)}
    torchao_version = None
    try:  # torch's recommended replacement for quantize_dynamic; optional: pip install torchao
        import copy

        import torchao
        from torchao.quantization import Int8DynamicActivationInt8WeightConfig, quantize_

        torchao_version = torchao.__version__
        models["torchao int8"] = copy.deepcopy(fp32)
        quantize_(models["torchao int8"], Int8DynamicActivationInt8WeightConfig())
    except ImportError:
        pass
    table = helpers.quantization.compare(models, tokenizer, texts, list(test["label"]), timing_batches=20)
    p50, p95 = np.percentile(latencies, [50, 95])
    report = {
        "latency_ms": {"p50": round(float(p50), 1), "p95": round(float(p95), 1), "requests": len(latencies)},
        "texts_per_s": {"unbatched": round(unbatched, 1), "batched_32": round(batched, 1),
                        "batched_over_unbatched": round(batched / unbatched, 2), "goal": 3.0},
        "quantization": {
            "fp32_ms_per_batch_32": float(table.loc["fp32", "ms per batch of 32"]),
            "int8_ms_per_batch_32": float(table.loc["int8", "ms per batch of 32"]),
            "int8_over_fp32_latency": round(float(table.loc["int8", "ms per batch of 32"] / table.loc["fp32", "ms per batch of 32"]), 3),
            "fp32_weights_mb": float(table.loc["fp32", "weights MB"]),
            "int8_weights_mb": float(table.loc["int8", "weights MB"]),
            "fp32_test_accuracy": float(table.loc["fp32", "test accuracy"]),
            "int8_test_accuracy": float(table.loc["int8", "test accuracy"]),
            "goal": "int8 at least 1.5x faster, at most 1 accuracy point lost",
        },
    }
    if torchao_version:
        report["quantization_torchao"] = {
            "torchao": torchao_version, "config": "Int8DynamicActivationInt8WeightConfig, eager (no torch.compile)",
            "ms_per_batch_32": float(table.loc["torchao int8", "ms per batch of 32"]),
            "over_fp32_latency": round(float(table.loc["torchao int8", "ms per batch of 32"] / table.loc["fp32", "ms per batch of 32"]), 3),
            "weights_mb": float(table.loc["torchao int8", "weights MB"]),
            "test_accuracy": float(table.loc["torchao int8", "test accuracy"]),
        }
    else:
        report["quantization_torchao"] = "not measured: torchao is not installed (pip install torchao)"
    path = write("serve", report)
    print(f"latency p50 {p50:.1f} ms, p95 {p95:.1f} ms; {unbatched:.0f} texts/s unbatched, "
          f"{batched:.0f} batched ({batched / unbatched:.1f}×)")
    print(table.to_string())
    print(f"-> {path}")


if __name__ == "__main__":
    main()
