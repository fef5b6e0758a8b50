#!/usr/bin/env bash
# The course at the floors of its direct dependencies (every `>=` in pyproject.toml, as printed by
# scripts/floors.py), in a third venv, .venv-lowest, on our torch 2.13.0 CPU build. It runs what
# depends on those versions: the unit tests (Trainer training and resuming in test_training.py,
# the capstone's data steps in test_capstone.py, every exercise's checks), every quiz `verify`
# snippet, and lesson 03 under nbval: datasets from files, map, filter, class labels and splits in
# plain code, at datasets' floor. (Lesson 08, which adds a 2-epoch Trainer run to the same calls,
# ran here until 2026-11-30: 275 s of .ci/run for what test_training.py proves already.) The
# browser tests and the other lessons are left to the main suite, which runs every lesson once.
#   bash scripts/test_lowest_versions.sh            the suite
#   bash scripts/test_lowest_versions.sh -k quiz    any pytest arguments
# HFCOURSE_PHASE=setup or test: as in scripts/test_colab_versions.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
export HFCOURSE_VENV=${HFCOURSE_LOWEST_VENV:-.venv-lowest}
mkdir -p build
python3 scripts/floors.py > build/lowest-versions.txt
# Every pip call in setup.sh obeys these versions.
export PIP_CONSTRAINT="$PWD/build/lowest-versions.txt"
[ "${HFCOURSE_PHASE:-}" = test ] || bash scripts/setup.sh test
[ "${HFCOURSE_PHASE:-}" != setup ] || exit 0
py="$HFCOURSE_VENV/bin/python"
"$py" scripts/floors.py --check   # a silent upgrade must not pass for a run at the floors
export HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1
# Of lesson 09's launch tests, the floors run the two-process training script (accelerate 1.3's
# prepare, gather and save); the launcher-flag and Trainer-loss launches are left to the main suite, where lesson 09 asserts them
# (the Trainer loss scaling is still checked here on one process, under gradient accumulation).
# The files that test the course's own text and files, not library calls, run in the main suite only.
exec "$py" -m pytest tests --ignore=tests/browser $(bash scripts/version_free_tests.sh) \
    lessons/03_training_data.ipynb \
    --deselect tests/test_loop.py::test_cpu_flag_starts_one_process_and_multi_gpu_two \
    --deselect tests/test_loop.py::test_trainer_under_two_processes_reports_double_loss_until_told \
    "$@"
