#!/usr/bin/env bash
# Installs the Debian packages Tilbud needs to build (idempotent; quiet when all is there).
#   usage: scripts/deps.sh [extra-package ...]
set -euo pipefail
want=(libcmark-gfm-dev libcmark-gfm-extensions-dev libxml2-dev libyaml-dev libqrencode-dev pkg-config "$@")
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
