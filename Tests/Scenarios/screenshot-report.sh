#!/usr/bin/env bash
# Renders an HTML report to a PNG with headless Chromium, as a 1280-wide browser window sees it.
#
#   Tests/Scenarios/screenshot-report.sh HTML PNG [WIDTH,HEIGHT]
#
# Installs Debian's `chromium` with apt-get when no Chromium is on PATH (needs root). Prints one line:
# where the PNG went, or why there is none (exit status non-zero).
set -uo pipefail

fail() {
  echo "screenshot-report: $*"
  exit 1
}

{ [ $# -ge 2 ] && [ $# -le 3 ]; } || fail "usage: screenshot-report.sh HTML PNG [WIDTH,HEIGHT]"
html=$1
png=$2
size=${3:-1280,2000}
[[ $size =~ ^[0-9]+,[0-9]+$ ]] || fail "size must be WIDTH,HEIGHT, not $size"
[ -f "$html" ] || fail "no HTML file at $html"
html=$(cd "$(dirname "$html")" && pwd)/$(basename "$html")
mkdir -p "$(dirname "$png")" 2>/dev/null || fail "cannot create the folder of $png"
png=$(cd "$(dirname "$png")" && pwd)/$(basename "$png")

find_browser() {
  for name in chromium chromium-browser google-chrome; do
    if command -v "$name" >/dev/null 2>&1; then
      command -v "$name"
      return 0
    fi
  done
  return 1
}

log=$(mktemp -t screenshot-report.XXXXXX)
profile=$(mktemp -d -t screenshot-profile.XXXXXX)
trap 'rm -rf "$profile"' EXIT

if ! browser=$(find_browser); then
  [ "$(id -u)" -eq 0 ] || fail "chromium is not installed and installing it needs root"
  command -v apt-get >/dev/null 2>&1 || fail "chromium is not installed and there is no apt-get to install it"
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >"$log" 2>&1; then
    fail "could not install chromium with apt-get (log: $log)"
  fi
  browser=$(find_browser) || fail "apt-get installed chromium but no chromium is on PATH (log: $log)"
fi

rm -f "$png"
timeout 180 "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$profile" \
  --screenshot="$png" --window-size="$size" "file://$html" >"$log" 2>&1
status=$?
if [ ! -s "$png" ]; then
  fail "$(basename "$browser") wrote no screenshot (exit $status; log: $log)"
fi
rm -f "$log"
echo "wrote $png ($(wc -c <"$png") bytes, window $size) from $html"
