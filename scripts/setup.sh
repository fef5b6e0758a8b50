#!/usr/bin/env bash
# Sets up the course in .venv: torch first, then the course, then its model and data.
#   bash scripts/setup.sh         the course
#   bash scripts/setup.sh test    the course and its tests (pytest, nbval)
# Torch comes first, and on Linux without an NVIDIA GPU from PyTorch's CPU index, so that pip
# never pulls the multi-GB CUDA build where no GPU can use it (scripts/torch_choice.py decides;
# it falls back to the usual index when the CPU index cannot be reached). HFCOURSE_TORCH
# overrides what is installed for torch; an existing torch in the venv is kept. One line then
# says which build is installed and how large it is.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${HFCOURSE_VENV:-.venv}
extra=${1:-}
[ -x "$venv/bin/python" ] || "${PYTHON:-python3}" -m venv "$venv"
py="$venv/bin/python"
"$py" -m pip install -q --upgrade pip
if ! "$py" -c "import torch" 2>/dev/null; then
  # Which build, from where: scripts/torch_choice.py (its table covers each platform).
  choice=$("$py" scripts/torch_choice.py --why)
  mapfile -t torch_args < <("$py" scripts/torch_choice.py)
  echo "torch: $choice"
  if ! "$py" -m pip install -q "${torch_args[@]}"; then
    [[ " ${torch_args[*]} " == *" --index-url "* ]] || exit 1
    echo "torch: the install from PyTorch's CPU index failed; trying the usual index instead."
    "$py" -m pip install -q torch==2.13.0
  fi
fi
"$py" - <<'PY'
# Read from the installed files, without importing torch (numpy may not be installed yet).
from importlib import metadata
dists = [d for d in metadata.distributions()
         if d.metadata["Name"].lower() in ("torch", "triton") or d.metadata["Name"].lower().startswith("nvidia-")]
size = sum(f.size or 0 for d in dists for f in (d.files or []))
cuda = [d for d in dists if d.metadata["Name"].lower().startswith("nvidia-")]
build = f"CUDA build, with {len(cuda)} NVIDIA packages" if cuda else "CPU build"
print(f"torch {metadata.version('torch')}: {build}, {size / 1e9:.1f} GB on disk")
PY
# The course and its libraries: with uv where it installs (here it took 8 s where pip took
# 136 s), else with pip. Torch is already in the venv, so neither touches it. A constraints file
# in PIP_CONSTRAINT (the Colab and lowest-versions suites) binds both.
if "$py" -m pip install -q uv 2>/dev/null; then
  "$venv/bin/uv" pip install -q --python "$py" ${PIP_CONSTRAINT:+--constraint "$PIP_CONSTRAINT"} \
    -e ".${extra:+[$extra]}"
else
  "$py" -m pip install -q -e ".${extra:+[$extra]}"
fi
"$venv/bin/hfcourse" prefetch
