#!/usr/bin/env bash
# The main job: export every document in source/ into outputs/ (installs what it needs).
# Extra arguments go to `kickback-export build`, e.g. `bash scripts/export.sh --format pdf`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh runtime
exec kickback-export build "$@"
