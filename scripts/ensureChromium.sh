#!/usr/bin/env bash
# Runs before `npm test`: the browser tests drive Debian's Chromium (or the one CHROMIUM_PATH names).
# On a fresh Debian machine as root it installs the package; elsewhere it says what to do.
set -euo pipefail

chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$chromium" ]; then
  exit 0
fi
if [ -n "${CHROMIUM_PATH:-}" ]; then
  echo "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable: point it at a Chromium or Chrome binary." >&2
  exit 1
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's chromium for the browser tests (once)..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  echo "Installed: $(/usr/bin/chromium --version 2>/dev/null || echo chromium)"
  exit 0
fi
echo "The browser tests need Chromium at /usr/bin/chromium. Install it (Debian/Ubuntu: sudo apt-get install chromium)," >&2
echo "or set CHROMIUM_PATH to a Chromium or Chrome binary, then run npm test again." >&2
exit 1
