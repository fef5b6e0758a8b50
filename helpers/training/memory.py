"""Where the memory of a training step goes, counted tensor by tensor.

Training holds four kinds of tensors at its peak, just before the optimizer step:

* the **weights** of the model (all of them, trained or frozen);
* one **gradient** for every trained weight;
* the **optimizer state**: AdamW keeps two running averages per trained weight;
* the **activations** that the forward pass saved for the backward pass (and, under mixed
  precision, the low-precision copies of the weights that it made).

``training_memory(model, batch, optimizer)`` runs one real training step on ``batch`` and adds
up the bytes of each kind: the activations through PyTorch's saved-tensor hooks, the rest from the
tensors themselves. It counts the same way on a CPU and a GPU, and it gives the same figure every
time, unlike the memory a process reports, which also holds freed memory that the allocator kept.
What it leaves out: temporary tensors that live and die inside one layer, and the framework's own
buffers. On a GPU, ``torch.cuda.max_memory_allocated()`` measures those too.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class StepMemory:
    """Megabytes (10^6 bytes) of each kind of tensor in one training step."""

    weights: float
    gradients: float
    optimizer_state: float
    activations: float

    @property
    def total(self) -> float:
        return self.weights + self.gradients + self.optimizer_state + self.activations

    def as_dict(self) -> dict[str, float]:
        return {"weights": round(self.weights, 1), "gradients": round(self.gradients, 1),
                "optimizer state": round(self.optimizer_state, 1),
                "activations": round(self.activations, 1), "total": round(self.total, 1)}


def _storage_key(tensor: Any) -> tuple[int, int]:
    storage = tensor.untyped_storage()
    return storage.data_ptr(), storage.nbytes()


def training_memory(model: Any, batch: dict[str, Any], optimizer: Any, autocast_dtype: Any = None) -> StepMemory:
    """Run one training step of ``model`` on ``batch`` (a dict with ``labels``) and count its memory.

    ``autocast_dtype`` (e.g. ``torch.bfloat16``) runs the forward pass under mixed precision, as
    Trainer does with ``bf16=True``. The step really updates the model: use a copy you can spare.
    """
    import torch

    params = list(model.parameters())
    param_keys = {_storage_key(p) for p in params}
    saved: dict[tuple[int, int], int] = {}

    def pack(tensor: Any) -> Any:
        key = _storage_key(tensor)
        if key not in param_keys:  # a weight saved for backward is counted with the weights
            saved[key] = key[1]
        return tensor

    model.train()
    device_type = next(iter(params)).device.type
    cast = (torch.autocast(device_type, dtype=autocast_dtype) if autocast_dtype is not None
            else nullcontext())
    with torch.autograd.graph.saved_tensors_hooks(pack, lambda tensor: tensor), cast:
        loss = model(**batch).loss
    loss.backward()
    optimizer.step()
    gradients = sum(p.grad.numel() * p.grad.element_size() for p in params if p.grad is not None)
    state = sum(t.numel() * t.element_size() for s in optimizer.state.values()
                for t in s.values() if torch.is_tensor(t) and t.dim() > 0)
    optimizer.zero_grad()
    weights = sum(p.numel() * p.element_size() for p in params)
    return StepMemory(weights / 1e6, gradients / 1e6, state / 1e6, sum(saved.values()) / 1e6)
