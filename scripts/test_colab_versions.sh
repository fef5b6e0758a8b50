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
# What this suite proves, and what it leaves to the main suite (README, "Test suites"):
# - the unit tests on Colab's versions: Trainer training, evaluation, saving and resuming
#   (test_training.py), the hand loop against Trainer (test_loop.py), peft and trl (test_lora.py,
#   test_llm.py), serving, every quiz `verify` snippet (test_quiz.py), and every exercise's
#   solution, known mistakes and accepted/rejected alternatives, run from their YAML
#   (test_exercises.py);
# - lesson 00 whole in classic Notebook (the browser tests below); lesson 03's datasets calls run
#   whole at datasets 4.0, Colab's version and the floor, in the lowest-versions suite. (Lessons 02
#   and 03 ran here with their solutions until 2026-11-30: 173 s of the longer extra suite, for
#   calls that test_exercises.py runs from the YAML; HFCOURSE_SOLUTION_NOTEBOOKS=02_tokenization
#   runs one again.)
# - the browser tests in classic Notebook 6.5 with ipywidgets 7.7.1.
# The other lessons run once, in the main suite, under nbval: running them here again would prove
# the same cells a second time for 20 minutes. The launch tests of lesson 09 that start two
# processes are left to the main suite, where lesson 09 runs and asserts them (the lowest-versions
# suite runs the training script).
# The files that test the course's own text and files, not library calls, run in the main suite only.
# So do the two browser tests of the class report: the report is a static HTML page that
# helpers/classroom/classpage.py writes (its figures are PNG files), and test_classroom.py builds it here on
# Colab's versions; drawing and auditing that page in Chromium proves nothing more (48 s here).
exec "$py" -m pytest tests $(bash scripts/version_free_tests.sh) \
    --deselect tests/browser/test_class_report_in_browser.py::test_class_report_renders_with_plots_and_no_network \
    --deselect tests/browser/test_accessibility.py::test_class_report_passes_the_audit_in_light_and_dark \
    --deselect tests/test_loop.py::test_two_processes_train_different_batches_and_save_a_working_model \
    --deselect tests/test_loop.py::test_cpu_flag_starts_one_process_and_multi_gpu_two \
    --deselect tests/test_loop.py::test_trainer_under_two_processes_reports_double_loss_until_told \
    "$@"   # tests/ only: lessons/ (nbval) is the main suite's part
