"""Where the course computes, and in which precision: the one rule every lesson and helper uses.

- ``detect_device()``: ``"cuda"``, ``"mps"`` or ``"cpu"``, the best device PyTorch offers here.
- ``precision_flags()``: the mixed precision for that device, as ``TrainingArguments`` takes it
  (``bf16=...``, ``fp16=...``). bf16 on a GPU that computes it natively (Ampere and newer),
  fp16 on an older GPU, bf16 on a CPU that computes it natively (AVX512-BF16 or AMX), and
  float32 everywhere else, Apple's ``mps`` included.
- ``autocast_dtype()``: the same rule for code that runs the model itself under
  ``torch.autocast`` (the embeddings, lesson 09's loop): ``torch.bfloat16``, ``torch.float16`` or
  ``None`` for float32.

Lesson 04 teaches the GPU half of the rule (exercise ``ex04-training-args``); training, the
embeddings, the launcher and lessons 04 to 11 all ask this module, so they cannot disagree.
"""

from __future__ import annotations

import platform
from pathlib import Path
from typing import Any

CPU_BF16_FLAGS = ("avx512_bf16", "amx_bf16")  # the CPU features that compute bf16 natively


def detect_device() -> str:
    """``"cuda"``, ``"mps"`` or ``"cpu"``: the best device this machine offers to PyTorch."""
    import torch

    if torch.cuda.is_available():
        return "cuda"
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return "mps"
    return "cpu"


def fast_bf16_cpu() -> bool:
    """True when this CPU computes bf16 natively (AVX512-BF16 or AMX), so that bf16 pays off.

    On Linux the answer comes from the CPU's own feature flags (``/proc/cpuinfo``). torch 2.13
    has no public function for it, so elsewhere (Windows; Intel Macs) it asks torch's private
    checks, and where those are missing the answer is False: training stays in float32."""
    cpuinfo = Path("/proc/cpuinfo")
    if platform.system() == "Linux" and cpuinfo.is_file():
        for line in cpuinfo.read_text(errors="replace").splitlines():
            if line.startswith("flags"):
                return any(flag in line.split() for flag in CPU_BF16_FLAGS)
    import torch

    checks = ("_is_avx512_bf16_supported", "_is_amx_tile_supported")
    return any(getattr(torch.cpu, name, lambda: False)() for name in checks)


def precision_flags(device: str | None = None) -> dict[str, bool]:
    """``{"bf16": ..., "fp16": ...}`` for ``device`` (default: ``detect_device()``), ready for
    ``TrainingArguments(**precision_flags())``: at most one of the two is True."""
    device = device or detect_device()
    if device == "cuda":
        import torch

        bf16 = torch.cuda.is_bf16_supported()
        return {"bf16": bf16, "fp16": not bf16}
    if device == "cpu":
        return {"bf16": fast_bf16_cpu(), "fp16": False}
    return {"bf16": False, "fp16": False}


def autocast_dtype(device: str | None = None) -> Any:
    """The dtype for ``torch.autocast`` on ``device`` by the same rule: ``torch.bfloat16``,
    ``torch.float16``, or None where the model should stay in float32."""
    import torch

    flags = precision_flags(device)
    return torch.bfloat16 if flags["bf16"] else torch.float16 if flags["fp16"] else None
