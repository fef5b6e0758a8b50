#!/usr/bin/env bash
# The test suite on Google Colab's library versions (transformers 5.15.0, datasets 4.0.0,
# ipywidgets 7.7.1, ...: scripts/colab-versions.txt) in a second venv, .venv-colab, on our CPU
# torch build. Colab's Python (3.13) and CUDA torch are not reproduced; its libraries are.
# Its browser tests (the lesson 00 quiz, the HTML fallback) run in classic Notebook 6.5 there:
# JupyterLab 4 can't draw ipywidgets 7.
#   bash scripts/test_colab_versions.sh            unit tests, notebooks (nbval), browser tests
#   bash scripts/test_colab_versions.sh -k quiz    any pytest arguments
# HFCOURSE_PHASE=setup stops after the venv is ready; HFCOURSE_PHASE=test skips setting it up
# (.ci/run sets up the two extra suites one after the other, then tests them side by side).
set -euo pipefail
cd "$(dirname "$0")/.."
export HFCOURSE_VENV=${HFCOURSE_COLAB_VENV:-.venv-colab}
# Every pip call in setup.sh obeys these versions.
export PIP_CONSTRAINT="$PWD/scripts/colab-versions.txt"
py="$HFCOURSE_VENV/bin/python"
if [ "${HFCOURSE_PHASE:-}" != test ]; then
  bash scripts/setup.sh test
  bash scripts/install_browser.sh
fi
[ "${HFCOURSE_PHASE:-}" != setup ] || exit 0
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
# To shorten .ci/run (its goal: under 50 minutes), three lessons that train for minutes are left
# to the main suite; what they call still runs on Colab's versions in this suite's unit tests:
# - 04 (Trainer: training, evaluation, saving, resuming): tests/test_training.py, and its exercises'
#   solutions and known mistakes in tests/test_exercises.py;
# - 08 (datasets from files, stratified splits, Trainer, pipeline): tests/test_capstone.py,
#   test_training.py and test_serve.py, and lessons 02, 03 and 05 here; the lowest-versions suite runs
#   the whole lesson at the floors, below Colab's versions (its datasets floor is Colab's 4.0);
# - 09 (the loop by hand against Trainer): tests/test_loop.py, except its three launch tests, which
#   the main suite runs (and the lowest-versions suite its two-process training script).
# Lessons 10 and 11 (peft, and trl 0.29 under Colab's datasets 4.0) run here in full.
exec "$py" -m pytest tests \
    --deselect "tests/test_exercise_notebooks.py::test_lesson_runs_and_every_solution_passes[04_fine_tuning.ipynb]" \
    --deselect "tests/test_exercise_notebooks.py::test_lesson_runs_and_every_solution_passes[08_capstone.ipynb]" \
    --deselect "tests/test_exercise_notebooks.py::test_lesson_runs_and_every_solution_passes[09_training_loop.ipynb]" \
    --deselect tests/test_loop.py::test_two_processes_train_different_batches_and_save_a_working_model \
    --deselect tests/test_loop.py::test_cpu_flag_starts_one_process_and_multi_gpu_two \
    --deselect tests/test_loop.py::test_trainer_under_two_processes_reports_double_loss_until_told \
    "$@"   # tests/ only: lessons/ (nbval) is the main suite's part
