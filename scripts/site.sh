#!/usr/bin/env bash
# Quick start 1: installs what is missing, then builds the bundled catalog (content/) into public/.
#   usage: scripts/site.sh [tilbud build options, e.g. --today 2026-11-27 --base-url https://…]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
swift build -c release --product tilbud
exec .build/release/tilbud build "$@"
