#!/usr/bin/env bash
# The test suite on Google Colab's library versions (transformers 5.15.0, datasets 4.0.0,
# ipywidgets 7.7.1, ...: scripts/colab-versions.txt) in a second venv, .venv-colab, on our CPU
# torch build. Colab's Python (3.13) and CUDA torch are not reproduced; its libraries are.
# Its browser tests (the lesson 00 quiz, the HTML fallback) run in classic Notebook 6.5 there:
# JupyterLab 4 can't draw ipywidgets 7.
#   bash scripts/test_colab_versions.sh            unit tests, notebooks (nbval), browser tests
#   bash scripts/test_colab_versions.sh -k quiz    any pytest arguments
set -euo pipefail
cd "$(dirname "$0")/.."
export HFCOURSE_VENV=${HFCOURSE_COLAB_VENV:-.venv-colab}
# Every pip call in setup.sh obeys these versions.
export PIP_CONSTRAINT="$PWD/scripts/colab-versions.txt"
bash scripts/setup.sh test
bash scripts/install_browser.sh
py="$HFCOURSE_VENV/bin/python"
# Prove the venv holds exactly Colab's versions, so a silent upgrade can't pass for a Colab run.
"$py" - <<'PY'
from importlib.metadata import version
pins = [l.split("#")[0].strip() for l in open("scripts/colab-versions.txt")]  # name==version
pins = [p for p in pins if p]
wrong = [f"{n}: {version(n)} (pinned: {v})" for n, v in (p.split("==") for p in pins)
         if version(n) != v]
if wrong:
    raise SystemExit("not the versions in scripts/colab-versions.txt: " + "; ".join(wrong))
print("Colab's versions:", ", ".join(f"{n} {version(n)}" for n in
      ("torch", "transformers", "datasets", "ipywidgets", "huggingface-hub", "notebook")))
PY
export HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1
# Here every lesson runs with the exercises' solutions filled in (tests/test_exercise_notebooks.py:
# each committed cell, each placeholder's "not attempted", each solution's success). That is a
# superset of nbval over the committed lessons, which the main suite runs, so only tests/ is
# collected (pytest --ignore does not drop a folder named in testpaths).
export HFCOURSE_SOLUTION_NOTEBOOKS=1
# Lesson 09 runs here with its launches on two processes (accelerate 1.14), so the launch tests of
# tests/test_loop.py, which the main suite runs, are left out; its loop-against-Trainer tests stay.
exec "$py" -m pytest tests \
    --deselect tests/test_loop.py::test_two_processes_train_different_batches_and_save_a_working_model \
    --deselect tests/test_loop.py::test_cpu_flag_starts_one_process_and_multi_gpu_two \
    --deselect tests/test_loop.py::test_trainer_under_two_processes_reports_double_loss_until_told \
    "$@"   # tests/ only: lessons/ (nbval) is the main suite's part
