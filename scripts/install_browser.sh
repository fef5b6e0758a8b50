#!/usr/bin/env bash
# The browser tests' tools (tests/browser):
# - Chromium: Debian's package, because Playwright's own `playwright install` downloads a browser
#   from a CDN that our machines can't reach. Installed only where it is missing and we are root
#   with apt-get; otherwise this says what to do (without Chromium the browser tests are skipped,
#   or fail under HFCOURSE_REQUIRE_BROWSER=1).
# - axe-core, the accessibility audit, from npm into build/axe/ (git-ignored), pinned.
set -euo pipefail
AXE_VERSION=4.14.1
ROOT="$(cd "$(dirname "$0")/.." && pwd)"

if [ -n "${HFCOURSE_CHROMIUM:-}" ] || command -v chromium >/dev/null || command -v chromium-browser >/dev/null; then
  :
elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Chromium for the browser tests (apt-get install -y chromium) ..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
else
  echo "Note: no Chromium found, so the browser tests will be skipped." \
       "Install it (Debian/Ubuntu: sudo apt-get install -y chromium) or set HFCOURSE_CHROMIUM." >&2
fi

AXE="$ROOT/build/axe/node_modules/axe-core"
if [ -n "${HFCOURSE_AXE:-}" ] || grep -qs "\"version\": \"$AXE_VERSION\"" "$AXE/package.json"; then
  exit 0
fi
if ! command -v npm >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing npm for axe-core (apt-get install -y npm) ..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null
fi
if command -v npm >/dev/null; then
  echo "Installing axe-core $AXE_VERSION for the accessibility audit (npm, into build/axe) ..."
  mkdir -p "$ROOT/build/axe"
  npm install --prefix "$ROOT/build/axe" --no-audit --no-fund --silent "axe-core@$AXE_VERSION"
else
  echo "Note: no npm found, so the accessibility audit will be skipped. Install Node.js and npm" \
       "(Debian/Ubuntu: sudo apt-get install -y npm) or set HFCOURSE_AXE to axe.min.js." >&2
fi
