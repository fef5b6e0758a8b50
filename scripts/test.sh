#!/usr/bin/env bash
# Sets up the course with its test extra (see setup.sh) and Chromium (install_browser.sh), then
# runs the whole suite offline: unit tests, quiz-bank and exercise checks, nbval over every lesson
# notebook (each in a fresh kernel), and the browser tests (tests/browser: every lesson's quiz and
# exercise checks drawn in JupyterLab in headless Chromium, the lesson 00 quiz clicked, a
# keyboard-only walk and the axe-core audit; screenshots go to test-artifacts/).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
bash scripts/install_browser.sh
export HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1
exec "${HFCOURSE_VENV:-.venv}/bin/python" -m pytest "$@"
