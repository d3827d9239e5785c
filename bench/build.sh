#!/usr/bin/env bash
# Build benchmark: Kenshu against Hugo on the same synthetic site (N jobs -> N detail pages
# + N/20 list pages), both measured in this run. Prints medians, the ratio and peak RSS;
# then the shipped Content's full build and the dev server's save-to-reload time.
# Usage: bench/build.sh [JOBS=10000] [RUNS=5]
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${1:-10000}
RUNS=${2:-5}
WORK="$(pwd)/bench/work"
command -v hugo >/dev/null || { echo "hugo is missing: apt-get install hugo" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time is missing: apt-get install time" >&2; exit 1; }
# KENSHU=path/to/kenshu skips the release build (e.g. to measure a binary built earlier).
if [ -z "${KENSHU:-}" ]; then
  swift build -c release --product kenshu >"${TMPDIR:-/tmp}/kenshu-swift-build.log" 2>&1 || { cat "${TMPDIR:-/tmp}/kenshu-swift-build.log" >&2; exit 1; }
  KENSHU=$(swift build -c release --show-bin-path)/kenshu
fi

rm -rf "$WORK" && mkdir -p "$WORK"
python3 bench/synthetic_site.py "$WORK" "$JOBS"

measure() {  # name, command... -> prints "seconds kib" per run, appends to $WORK/name.txt
  local name=$1; shift
  : > "$WORK/$name.txt"
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %M" -o "$WORK/time.txt" "$@" >/dev/null 2>"$WORK/$name.err" || { cat "$WORK/$name.err" >&2; exit 1; }
    cat "$WORK/time.txt" >> "$WORK/$name.txt"
  done
}
# Warm the page cache and check both builds work before timing.
"$KENSHU" build --content "$WORK/Content" --output "$WORK/kenshu-out" >/dev/null
hugo --quiet -s "$WORK/hugo" -d "$WORK/hugo-out" >/dev/null
measure kenshu "$KENSHU" build --content "$WORK/Content" --output "$WORK/kenshu-out"
measure hugo hugo --quiet -s "$WORK/hugo" -d "$WORK/hugo-out"

kenshu_pages=$(find "$WORK/kenshu-out" -name '*.html' | wc -l)
hugo_pages=$(find "$WORK/hugo-out" -name '*.html' | wc -l)
python3 - "$WORK" "$JOBS" "$kenshu_pages" "$hugo_pages" <<'PY'
import statistics, sys
work, jobs, kp, hp = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
def load(name):
    rows = [tuple(map(float, l.split())) for l in open(f"{work}/{name}.txt") if l.strip()]
    return statistics.median(r[0] for r in rows), max(r[1] for r in rows) / 1024, [r[0] for r in rows]
k, h = load("kenshu"), load("hugo")
print(f"synthetic site: {jobs} jobs; kenshu wrote {kp} html files, hugo {hp}")
print(f"kenshu build: median {k[0]:.2f} s (runs {k[2]}), peak RSS {k[1]:.0f} MiB")
print(f"hugo build:   median {h[0]:.2f} s (runs {h[2]}), peak RSS {h[1]:.0f} MiB")
print(f"ratio kenshu/hugo: wall {k[0]/h[0]:.2f}x, peak RSS {k[1]/h[1]:.2f}x  (target: <= 1.0x both)")
PY

# The shipped Content: a full build.
measure shipped "$KENSHU" build --content Content --output "$WORK/shipped-out"
python3 -c "
import statistics; rows=[list(map(float,l.split())) for l in open('$WORK/shipped.txt')]
print(f'shipped Content full build: median {statistics.median(r[0] for r in rows)*1000:.0f} ms, peak RSS {max(r[1] for r in rows)/1024:.0f} MiB')"

# The dev server: save one Markdown file, time until the reload event arrives.
cp -r Content "$WORK/serve-content"
PORT=18089
"$KENSHU" serve --content "$WORK/serve-content" --output "$WORK/serve-out" --port $PORT >"$WORK/serve.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
python3 bench/reload_latency.py "$WORK/serve-content/pages/login.md" $PORT "${RUNS}"
