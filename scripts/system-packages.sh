#!/usr/bin/env bash
# Debian packages the test suite needs: Chromium for browser tests, poppler-utils for pdftotext.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "Für die Tests fehlen Debian-Pakete: ${missing[*]}" >&2
  echo "Bitte installieren: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installiere Debian-Pakete: ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
