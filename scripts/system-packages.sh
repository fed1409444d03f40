#!/usr/bin/env bash
# Debian packages redaktion uses besides Python packages; installs the missing ones as root.
#   system-packages.sh build  fonts for the PDF (Arabic, Persian, Chinese, Tigrinya, symbols …):
#                             without them the PDF still works for German; so a hint, never a failure
#   system-packages.sh test   the fonts plus Chromium (browser tests) and poppler-utils (pdftotext):
#                             the test suite needs all of them, so missing ones are an error
set -uo pipefail
mode="${1:-test}"
missing=()
# The same files redaktion.util.fonts uses (scripts/redaktion/util/fonts.py).
[ -f /usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf ] || missing+=(fonts-noto-core)
[ -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] || missing+=(fonts-noto-cjk)
if [ "$mode" = test ]; then
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

fail() {
  if [ "$mode" = test ]; then
    echo "Für die Tests fehlen Debian-Pakete: ${missing[*]}" >&2
    echo "Bitte installieren: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "Hinweis: Schriften für weitere Sprachen fehlen (${missing[*]}). Das PDF entsteht trotzdem;" >&2
  echo "Texte in z. B. Arabisch, Chinesisch oder Tigrinya meldet „redaktion check“ aber als nicht darstellbar." >&2
  echo "Installieren mit: sudo apt-get install -y ${missing[*]}" >&2
  exit 0
}

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  fail
fi
echo "Installiere Debian-Pakete: ${missing[*]}"
if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; }; then
  fail
fi
