#!/usr/bin/env bash
# Sets up the course in .venv: torch first, then the course, then its model and data.
#   bash scripts/setup.sh         the course
#   bash scripts/setup.sh test    the course and its tests (pytest, nbval)
# Torch comes first so that pip never pulls a multi-GB CUDA build on a machine without a GPU.
# HFCOURSE_TORCH overrides what is installed for torch (default: torch==2.13.0); an existing
# torch in the venv is kept.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${HFCOURSE_VENV:-.venv}
extra=${1:-}
[ -x "$venv/bin/python" ] || "${PYTHON:-python3}" -m venv "$venv"
py="$venv/bin/python"
"$py" -m pip install -q --upgrade pip
if ! "$py" -c "import torch" 2>/dev/null; then
  # shellcheck disable=SC2086  # HFCOURSE_TORCH may hold several words on purpose
  "$py" -m pip install -q ${HFCOURSE_TORCH:-torch==2.13.0}
fi
"$py" -m pip install -q -e ".${extra:+[$extra]}"
"$venv/bin/hfcourse" prefetch
