#!/usr/bin/env bash
# Builds the parser fuzzer (libFuzzer + AddressSanitizer) and runs it for SECONDS (default 120)
# with one worker, seeded with the project's fixtures and ../shared/corpus. Further arguments go to
# libFuzzer (e.g. -fork=1 -ignore_crashes=1 to go on after a crash). What it finds goes to
# Fuzz/Parser/.build/run/crashes; the corpus it grows is kept in Fuzz/Parser/.build/run/corpus.
#   Fuzz/run-parser.sh [SECONDS] [LIBFUZZER-FLAGS...]
set -euo pipefail
export SWIFT_BACKTRACE=${SWIFT_BACKTRACE:-enable=no}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
seconds=${1:-120}
shift || true
package="$here/Parser"
scratch="$package/.build"

swift build --package-path "$package" --scratch-path "$scratch" -c release \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
binary="$scratch/release/ParserFuzzer"

run="$scratch/run"
mkdir -p "$run/seeds" "$run/corpus" "$run/crashes"
for file in "$root"/Tests/BuildLogTests/Fixtures/*.log "$root"/Tests/BuildLogTests/Fixtures/*.json* \
  "$root"/Tests/BuildLogTests/Fixtures/fuzz/* "$root"/../shared/corpus/*.log; do
  [ -f "$file" ] || continue
  # Seeds are the logs' first 8 KiB and a slice from their middle: whole logs make each run slow.
  name=$(basename "$file")
  head -c 8192 "$file" >"$run/seeds/$name.head"
  size=$(stat -c %s "$file")
  if [ "$size" -gt 16384 ]; then
    dd if="$file" of="$run/seeds/$name.middle" bs=64K iflag=skip_bytes,count_bytes skip=$((size / 2)) count=8192 \
      status=none
  fi
done

echo "fuzzing the parser for ${seconds}s; log: $run/fuzz.log"
"$binary" "$run/corpus" "$run/seeds" -dict="$here/parser.dict" -max_total_time="$seconds" -max_len=8192 \
  -timeout=30 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$run/crashes/" "$@" 2>&1 | tee "$run/fuzz.log"
