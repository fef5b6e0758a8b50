#!/usr/bin/env bash
# Sets up the course (see setup.sh) and opens JupyterLab at lesson 00.
#   bash scripts/course.sh                 set up and open the course in your browser
#   bash scripts/course.sh --no-browser    the same, but print the URL instead (remote or headless)
#   bash scripts/course.sh --dry-run       set up, then only print the JupyterLab command
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# setup.sh has just fetched and verified the assets, so start skips that step.
exec "${HFCOURSE_VENV:-.venv}/bin/hfcourse" start --no-prefetch "$@"
