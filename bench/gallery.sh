#!/usr/bin/env bash
# The served gallery against the same gallery opened from disk (issue 11): medians of alternating
# rounds in one headless Chromium (Playwright from .venv, Debian's /usr/bin/chromium).
# Usage: bench/gallery.sh [ROUNDS=5]; KENSHU=path/to/kenshu skips the release build.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-5}
WORK="$(pwd)/bench/work/gallery"
[ -x .venv/bin/python ] || { echo ".venv is missing: make test-deps" >&2; exit 1; }
if [ -z "${KENSHU:-}" ]; then
  swift build -c release --product kenshu >"${TMPDIR:-/tmp}/kenshu-swift-build.log" 2>&1 || { cat "${TMPDIR:-/tmp}/kenshu-swift-build.log" >&2; exit 1; }
  KENSHU=$(swift build -c release --show-bin-path)/kenshu
fi
rm -rf "$WORK" && mkdir -p "$WORK"
cp -r Content "$WORK/Content"
PORT=18093
"$KENSHU" serve --content "$WORK/Content" --output "$WORK/Output" --port $PORT --smtp-port 0 --data "$WORK/data" >"$WORK/serve.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 300); do curl -fs "http://127.0.0.1:$PORT/v2/login.html" >/dev/null && break; sleep 0.1; done
.venv/bin/python bench/gallery_load.py "$WORK/Output" "http://127.0.0.1:$PORT" "$ROUNDS"
