#!/usr/bin/env bash
# Opens HTML reports in headless Chromium at 1400 and 800 px and checks that no two texts of a chart
# (axis ticks, build labels and their dates) overlap on screen. Prints one line per report and width;
# exits 1 when any overlap is found, 2 when Chromium is missing. With --fit first, a page wider than
# the window (a horizontal scroll bar) is counted as an overlap too.
#   Scripts/check-report-layout.sh [--fit] report.html [more.html …]
set -euo pipefail
fit=false
if [ "${1:-}" = "--fit" ]; then fit=true; shift; fi
browser="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
[ -n "$browser" ] || { echo "check-report-layout: no chromium on PATH (apt-get install chromium)" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
probe='<script>
addEventListener("load", () => {
  const found = [];
  for (const svg of document.querySelectorAll("svg")) {
    const boxes = [...svg.querySelectorAll("text")].map(t => [t, t.getBoundingClientRect()])
      .filter(([, r]) => r.width > 0 && r.height > 0);
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
      const [a, r] = boxes[i], [b, s] = boxes[j];
      if (a.contains(b) || b.contains(a)) continue;
      const dx = Math.min(r.right, s.right) - Math.max(r.left, s.left);
      const dy = Math.min(r.bottom, s.bottom) - Math.max(r.top, s.top);
      if (dx > 0.5 && dy > 0.5) found.push(a.textContent + " / " + b.textContent);
    }
  }
  const wide = document.documentElement.scrollWidth - innerWidth;
  if (FIT && wide > 0) found.push("the page is " + wide + "px wider than the window");
  const out = document.createElement("pre");
  out.id = "layout-result";
  out.textContent = "OVERLAPS " + found.length + (found.length ? ": " + found.slice(0, 5).join("; ") : "");
  document.body.append(out);
});
</script>'
status=0
for report in "$@"; do
  page="$work/$(basename "$report")"
  line="${probe//$'\n'/ }"
  line="${line//FIT/$fit}"
  sed "s#</body>#${line//&/\\&}</body>#" "$report" > "$page"
  for width in 1400 800; do
    result="$(timeout 120 "$browser" --headless=new --no-sandbox --disable-gpu --allow-file-access-from-files \
      --window-size="$width,2600" --virtual-time-budget=3000 --dump-dom "file://$page" 2>/dev/null \
      | grep -o 'id="layout-result">OVERLAPS [^<]*' | sed 's/.*>//' || echo "OVERLAPS ? (no result)")"
    echo "$(basename "$report") at ${width}px: $result"
    [[ "$result" == "OVERLAPS 0" ]] || status=1
  done
done
exit "$status"
