"""One rule for the device and mixed precision (helpers.device), used by every caller."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import torch

import helpers
from helpers import device

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("where, gpu_bf16, cpu_bf16, expected", [
    ("cuda", True, False, {"bf16": True, "fp16": False}),    # Ampere and newer
    ("cuda", False, True, {"bf16": False, "fp16": True}),    # an older GPU: fp16
    ("cpu", False, True, {"bf16": True, "fp16": False}),     # AVX512-BF16 or AMX
    ("cpu", True, False, {"bf16": False, "fp16": False}),    # any other CPU: float32
    ("mps", True, True, {"bf16": False, "fp16": False}),     # Apple's GPU: float32
])
def test_the_precision_rule(monkeypatch, where, gpu_bf16, cpu_bf16, expected):
    monkeypatch.setattr(device, "detect_device", lambda: where)
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda *a, **k: gpu_bf16)
    monkeypatch.setattr(device, "fast_bf16_cpu", lambda: cpu_bf16)
    assert device.precision_flags() == expected
    assert helpers.training.precision_flags() == expected     # the name lessons 04-11 call
    dtype = {(True, False): torch.bfloat16, (False, True): torch.float16}.get(tuple(expected.values()))
    assert device.autocast_dtype() is dtype


def test_the_cpu_answer_agrees_with_torch_own_checks():
    """On Linux the CPU's flags decide; torch's (private) checks must say the same here."""
    checks = ("_is_avx512_bf16_supported", "_is_amx_tile_supported")
    torch_says = any(getattr(torch.cpu, name, lambda: False)() for name in checks)
    assert device.fast_bf16_cpu() == torch_says


def test_the_launcher_follows_the_same_rule(monkeypatch):
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 0)
    for cpu_bf16, expected in ((True, "bf16"), (False, "no")):
        monkeypatch.setattr(device, "fast_bf16_cpu", lambda: cpu_bf16)
        assert helpers.launch.plan(2).mixed_precision == expected


def test_only_helpers_device_asks_the_hardware_about_precision():
    """No other module of helpers/ decides bf16 or fp16 by itself."""
    asks = {"is_bf16_supported", "_is_avx512_bf16_supported", "_is_amx_tile_supported"}
    offenders = []
    for path in (ROOT / "helpers").rglob("*.py"):
        if path.name == "device.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in asks:
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.attr}")
    assert not offenders, f"use helpers.device.precision_flags() instead: {offenders}"
