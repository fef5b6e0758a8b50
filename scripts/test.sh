#!/usr/bin/env bash
# Sets up the course with its test extra (see setup.sh), then runs the whole suite offline:
# unit tests, quiz-bank checks, and nbval over every lesson notebook, each in a fresh kernel.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
export HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1
exec "${HFCOURSE_VENV:-.venv}/bin/python" -m pytest "$@"
