#!/usr/bin/env bash
# Install the accessibility checkers the tests run in Debian's Chromium: Ace by DAISY
# (EPUB) and axe-core through puppeteer-core (web pages, scripts/axe-check.js).
# Idempotent and non-interactive: safe to call from every test set-up; it only does
# work for what is missing.
#
#   scripts/setup-ace.sh        # as root on Debian (or with sudo available)
#
# Result: .tools/ace/node_modules/.bin/ace-puppeteer, run with
# PUPPETEER_EXECUTABLE_PATH=/usr/bin/chromium (Debian's Chromium; Ace passes --no-sandbox),
# and .tools/axe/node_modules/{@axe-core/puppeteer,puppeteer-core}.
set -euo pipefail

ACE_VERSION="${ACE_VERSION:-1.4.6}"
AXE_VERSION="${AXE_VERSION:-4.13.0}"
PUPPETEER_CORE_VERSION="${PUPPETEER_CORE_VERSION:-24.43.1}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ACE_DIR="$ROOT/.tools/ace"
ACE_BIN="$ACE_DIR/node_modules/.bin/ace-puppeteer"
AXE_DIR="$ROOT/.tools/axe"

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi
}

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ "${#missing[@]}" -gt 0 ]; then
    echo "setup-ace: installing ${missing[*]} with apt-get" >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" </dev/null
fi

node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 20 ]; then
    echo "setup-ace: warning: Ace $ACE_VERSION wants Node.js >= 20, found $(node --version)" >&2
fi

installed=""
if [ -x "$ACE_BIN" ] && [ -f "$ACE_DIR/node_modules/@daisy/ace/package.json" ]; then
    installed="$(node -p "require('$ACE_DIR/node_modules/@daisy/ace/package.json').version")"
fi
if [ "$installed" != "$ACE_VERSION" ]; then
    echo "setup-ace: installing @daisy/ace@$ACE_VERSION into $ACE_DIR" >&2
    mkdir -p "$ACE_DIR"
    # Chromium comes from Debian; skip the browsers the npm packages would download.
    ELECTRON_SKIP_BINARY_DOWNLOAD=1 PUPPETEER_SKIP_DOWNLOAD=1 \
        npm install --prefix "$ACE_DIR" --no-audit --no-fund --loglevel=error \
        "@daisy/ace@$ACE_VERSION" </dev/null
fi

version_of() {  # the installed version of an npm package under $1, or nothing
    local manifest="$1/node_modules/$2/package.json"
    [ -f "$manifest" ] && node -p "require('$manifest').version" || true
}
if [ "$(version_of "$AXE_DIR" @axe-core/puppeteer)" != "$AXE_VERSION" ] ||
   [ "$(version_of "$AXE_DIR" puppeteer-core)" != "$PUPPETEER_CORE_VERSION" ]; then
    echo "setup-ace: installing @axe-core/puppeteer@$AXE_VERSION into $AXE_DIR" >&2
    mkdir -p "$AXE_DIR"
    PUPPETEER_SKIP_DOWNLOAD=1 \
        npm install --prefix "$AXE_DIR" --no-audit --no-fund --loglevel=error \
        "@axe-core/puppeteer@$AXE_VERSION" "puppeteer-core@$PUPPETEER_CORE_VERSION" </dev/null
fi

test -x "$ACE_BIN"
test -f "$AXE_DIR/node_modules/@axe-core/puppeteer/package.json"
echo "setup-ace: ready: $ACE_BIN (Ace $ACE_VERSION), axe $AXE_VERSION in $AXE_DIR," \
    "$(chromium --version 2>/dev/null || echo chromium)" >&2
