#!/usr/bin/env bash
# Sets up the course (see setup.sh), copies the lessons into your work folder (work/, see
# helpers/workcopy.py) and opens JupyterLab there at lesson 00. Ctrl+C stops it.
#   bash scripts/course.sh                 set up and open the course in your browser
#   bash scripts/course.sh --no-browser    the same, but print lesson 00's address instead (remote or headless)
#   bash scripts/course.sh --dry-run       set up, then only say what start would copy and run
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# setup.sh has just fetched and verified the assets, so start skips that step.
exec "${HFCOURSE_VENV:-.venv}/bin/hfcourse" start --no-prefetch "$@"
