#!/usr/bin/env bash
# The whole test suite, with lint and type checks (installs what it needs).
# Extra arguments go to pytest, e.g. `bash scripts/test.sh -k pdf`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh test
[ -f scripts/setup-ace.sh ] && bash scripts/setup-ace.sh
ruff check src tests benchmarks
mypy
set +e
python -m pytest "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: failing on purpose" >&2
  exit 1
fi
exit "$status"
