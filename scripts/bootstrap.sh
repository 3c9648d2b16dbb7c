# Sourced by export.sh and test.sh: install what is missing (Debian packages, the
# virtualenv with the package), quickly doing nothing when all is already there.
# Usage: source scripts/bootstrap.sh [runtime|test]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${KICKBACK_VENV:-$ROOT/.venv}"
PROFILE="${1:-runtime}"

RUNTIME_APT=(espeak-ng lame fonts-dejavu-core liblouis20 liblouis-data)
TEST_APT=(default-jre-headless poppler-utils qpdf zbar-tools chromium)

say() { printf '[setup] %s\n' "$*" >&2; }

need_apt=()
want=("${RUNTIME_APT[@]}")
[ "$PROFILE" = test ] && want+=("${TEST_APT[@]}")
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || need_apt+=("$pkg")
done
if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then need_apt+=(python3-venv); fi
if [ "$PROFILE" = test ] && ! command -v npm >/dev/null 2>&1; then need_apt+=(nodejs npm); fi

if [ "${#need_apt[@]}" -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
      say "missing Debian packages: ${need_apt[*]} (run as root: apt-get install ${need_apt[*]})"
      exit 1
    fi
  fi
  say "installing Debian packages: ${need_apt[*]}"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${need_apt[@]}" >/dev/null
fi

stamp="$VENV/.kickback-installed"
want_stamp="$(cat "$ROOT/pyproject.toml" | sha256sum | cut -d' ' -f1)-$PROFILE"
if [ ! -x "$VENV/bin/python" ]; then
  say "creating virtualenv $VENV"
  python3 -m venv "$VENV"
fi
test_stamp="${want_stamp%-*}-test"  # the test install includes the runtime one
if [ ! -f "$stamp" ] || ! grep -qx -e "$want_stamp" -e "$test_stamp" "$stamp"; then
  say "installing kickback-export into the virtualenv"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip \
    >/dev/null 2> >(grep -v '^WARNING: Location' >&2)
  extra=""
  [ "$PROFILE" = test ] && extra="[test]"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e "$ROOT$extra" \
    2> >(grep -v '^WARNING: Location' >&2)
  echo "$want_stamp" > "$stamp"
fi
export PATH="$VENV/bin:$PATH"
