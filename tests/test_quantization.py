"""Dynamic int8 quantization: which layers change, and how their size is counted."""

from __future__ import annotations

import importlib.util

import pytest
import torch
from transformers import AutoModelForSequenceClassification, pipeline  # noqa: F401 (loads lazy modules)

import helpers
from helpers import quantization


@pytest.fixture(scope="module")
def models():
    fp32 = AutoModelForSequenceClassification.from_pretrained(helpers.base_model_path(),
                                                              num_labels=2).eval()
    return fp32, quantization.quantize_int8(fp32)


def test_int8_replaces_linear_layers_and_keeps_embeddings(models):
    fp32, int8 = models
    assert type(fp32.classifier) is torch.nn.Linear  # the original is left as it was
    assert type(int8.classifier) is not torch.nn.Linear and "Linear" in type(int8.classifier).__name__
    assert type(int8.get_input_embeddings()) is torch.nn.Embedding


def test_weights_mb_counts_bytes_per_number(models):
    fp32, int8 = models
    params = sum(p.numel() for p in fp32.parameters())
    assert quantization.weights_mb(fp32) == pytest.approx(4 * params / 1e6, rel=1e-3)
    # Linear weights drop from 4 bytes to 1; the fp32 word embeddings (11.7 M numbers) stay.
    linear = sum(m.weight.numel() for m in fp32.modules() if isinstance(m, torch.nn.Linear))
    saved = quantization.weights_mb(fp32) - quantization.weights_mb(int8)
    assert saved == pytest.approx(3 * linear / 1e6, rel=0.01)


@pytest.mark.skipif(importlib.util.find_spec("torchvision") is not None,
                    reason="the trap needs an environment without torchvision")
def test_weights_mb_works_where_pickling_would_import_torchvision(models):
    # torch.save of a quantized state dict makes pickle search every loaded module for
    # torch.qint8; transformers 5.15's lazy modules then import torchvision, which fails here.
    # weights_mb never pickles, so it works with transformers' lazy modules loaded.
    assert quantization.weights_mb(models[1]) > 0
