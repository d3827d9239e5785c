#!/usr/bin/env bash
# The handbook benchmark (issue 12): the whole material (every step × 2 layouts × 2 editions:
# PNG + HTML + PDF) from a cold start, against the same pictures taken by a Playwright (Python)
# script on the same Chromium, alternating, in this run; then a one-procedure rebuild (--only 3.3).
# Prints wall times (medians), the ratio, Kenshu's peak RSS and the time to write the four decks.
# Usage: bench/handbook.sh [ROUNDS=3]; KENSHU=path/to/kenshu skips the release build.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
WORK="$(pwd)/bench/work/handbook"
[ -x .venv/bin/python ] || { echo ".venv is missing: make test-deps" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time is missing: apt-get install time" >&2; exit 1; }
if [ -z "${KENSHU:-}" ]; then
  swift build -c release --product kenshu >"${TMPDIR:-/tmp}/kenshu-swift-build.log" 2>&1 || { cat "${TMPDIR:-/tmp}/kenshu-swift-build.log" >&2; exit 1; }
  KENSHU=$(swift build -c release --show-bin-path)/kenshu
fi
rm -rf "$WORK" && mkdir -p "$WORK"
"$KENSHU" build --output "$WORK/site" >/dev/null
"$KENSHU" handbook --output "$WORK/warm" >/dev/null   # warms the page cache; gives the peer its list of shots

: > "$WORK/kenshu.txt"; : > "$WORK/peer.txt"; : > "$WORK/only.txt"; : > "$WORK/only-nopdf.txt"
for round in $(seq "$ROUNDS"); do
  rm -rf "$WORK/kenshu-out" "$WORK/peer-out"
  /usr/bin/time -f "%e %M" -o "$WORK/t" "$KENSHU" handbook --output "$WORK/kenshu-out" >"$WORK/kenshu.log"
  cat "$WORK/t" >> "$WORK/kenshu.txt"
  /usr/bin/time -f "%e %M" -o "$WORK/t" .venv/bin/python bench/handbook_playwright.py "$WORK/warm/manifest.json" "$WORK/site" "$WORK/peer-out" >"$WORK/peer.log"
  cat "$WORK/t" >> "$WORK/peer.txt"
  /usr/bin/time -f "%e %M" -o "$WORK/t" "$KENSHU" handbook --output "$WORK/kenshu-out" --only 3.3 >/dev/null
  cat "$WORK/t" >> "$WORK/only.txt"
  /usr/bin/time -f "%e %M" -o "$WORK/t" "$KENSHU" handbook --output "$WORK/kenshu-out" --only 3.3 --no-pdf >/dev/null
  cat "$WORK/t" >> "$WORK/only-nopdf.txt"
done
# The decks (issue 16): written from the manifest once the pictures exist; kenshu prints the time.
"$KENSHU" handbook --output "$WORK/kenshu-out" --pptx | grep '^decks:' > "$WORK/decks.txt"
pictures=$(find "$WORK/kenshu-out" -name '*.png' -not -path '*/plain/*' | wc -l)
peer_pictures=$(cat "$WORK/peer.log")
python3 - "$WORK" "$pictures" "$peer_pictures" <<'PY'
import statistics, sys
work, pictures, peer_pictures = sys.argv[1], sys.argv[2], sys.argv[3]
def rows(name): return [tuple(map(float, l.split())) for l in open(f"{work}/{name}.txt") if l.strip()]
k, p, o, n = rows("kenshu"), rows("peer"), rows("only"), rows("only-nopdf")
km, pm, om, nm = (statistics.median(r[0] for r in x) for x in (k, p, o, n))
print(f"kenshu handbook (all: {pictures} PNG + HTML + 2 PDF): median {km:.2f} s (rounds {[r[0] for r in k]}), peak RSS {max(r[1] for r in k)/1024:.0f} MiB")
print(f"playwright script ({peer_pictures} PNG only):           median {pm:.2f} s (rounds {[r[0] for r in p]})")
print(f"ratio kenshu/playwright: {km/pm:.2f}x  (target: <= 0.5x)")
print(f"kenshu handbook --only 3.3 (pictures, pages and both PDFs again): median {om:.2f} s (rounds {[r[0] for r in o]})")
print(f"kenshu handbook --only 3.3 --no-pdf: median {nm:.2f} s (rounds {[r[0] for r in n]})  (target: < 3 s)")
print(open(f"{work}/decks.txt").read().strip() + "  (target: < 1 s for the four decks)")
PY
