#!/usr/bin/env bash
# Chromium for the browser tests (tests/browser). Debian's package, because Playwright's own
# `playwright install` downloads a browser from a CDN that our machines can't reach.
# Installs only where it is missing and we are root with apt-get; otherwise says what to do
# (without Chromium the browser tests are skipped, or fail under HFCOURSE_REQUIRE_BROWSER=1).
set -euo pipefail
if [ -n "${HFCOURSE_CHROMIUM:-}" ] || command -v chromium >/dev/null || command -v chromium-browser >/dev/null; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Chromium for the browser tests (apt-get install -y chromium) ..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
else
  echo "Note: no Chromium found, so the browser tests will be skipped." \
       "Install it (Debian/Ubuntu: sudo apt-get install -y chromium) or set HFCOURSE_CHROMIUM." >&2
fi
