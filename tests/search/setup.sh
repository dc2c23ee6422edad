#!/usr/bin/env bash
# Installs what the browser search tests need; idempotent and quiet when all is there.
#   Debian: chromium, chromium-driver.  PyPI: selenium, pytest.
#   axe-core 4.10 (axe.min.js) from the axe-selenium-python 3.0.0 wheel, cached in .cache/axe/.
#   Optional (only for scripts/bench-search.sh): pagefind-bin, with BENCH=1.
set -euo pipefail
cd "$(dirname "$0")/../.."

need_apt=()
for p in chromium chromium-driver; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need_apt+=("$p")
done
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${need_apt[*]}" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

need_pip=()
python3 -c 'import selenium' 2>/dev/null || need_pip+=("selenium")
python3 -c 'import pytest' 2>/dev/null || need_pip+=("pytest")
if [ "${BENCH:-0}" = 1 ]; then
  python3 -c 'import pagefind_bin' 2>/dev/null || need_pip+=("pagefind-bin")
fi
if [ ${#need_pip[@]} -gt 0 ]; then
  echo "Installing Python packages: ${need_pip[*]}" >&2
  python3 -m pip install -q "${need_pip[@]}"
fi

axe=.cache/axe/axe.min.js
if [ ! -s "$axe" ]; then
  mkdir -p .cache/axe
  # The folder ignores itself, whatever the repository's .gitignore says.
  [ -f .cache/.gitignore ] || printf '*\n' > .cache/.gitignore
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  python3 -m pip download -q --no-deps --python-version 3.12 --only-binary=:all: axe-selenium-python==3.0.0 -d "$tmp"
  whl="$(ls "$tmp"/*.whl | head -n 1)"
  python3 - "$whl" "$axe" <<'PY'
import sys, zipfile
whl, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(whl) as z:
    names = [n for n in z.namelist() if n.endswith("axe.min.js")]
    if not names:
        sys.exit("axe.min.js not found in " + whl)
    with open(out, "wb") as f:
        f.write(z.read(names[0]))
PY
  echo "axe-core cached at $axe ($(head -c 200 "$axe" | grep -o 'axe v[0-9.]*' || true))" >&2
fi
