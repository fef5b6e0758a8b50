#!/usr/bin/env bash
# Sets up the course (see setup.sh) and opens JupyterLab at lesson 00.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec "${HFCOURSE_VENV:-.venv}/bin/hfcourse" start "$@"
