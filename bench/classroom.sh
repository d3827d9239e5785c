#!/usr/bin/env bash
# Classroom benchmark (issue #14): a release `kenshu serve` with a fresh data dir; the trainer
# creates PARTICIPANTS (40) participants through /trainer/class; then all of them at once log in →
# type 5 wrong passwords (lock) → request a reset → read the 認証キー in their own /mailbox →
# complete the reset → log in, ROUNDS (3) times (全員を初期状態に戻す and the mail cleared between
# rounds), while another thread GETs /v2/index.html (static) and /v2/login.html (live) throughout.
# bench/classroom_load.py prints per-step p50/p95/p99, errors, mails in the right mailbox, page-GET
# latency, and the server's peak RSS and CPU seconds. Figures only, nothing is asserted.
#
# The login's cost is the password hash (PBKDF2-SHA256, 600,000 iterations by default).
# ITERATIONS=N passes --password-hash-iterations N when this kenshu has that option; otherwise the
# cost in use is printed (read from the stored hashes).
# Usage: [ITERATIONS=N] [PARTICIPANTS=40] [ROUNDS=3] bench/classroom.sh; KENSHU=path skips the build.
set -euo pipefail
cd "$(dirname "$0")/.."
PARTICIPANTS=${PARTICIPANTS:-40}
ROUNDS=${ROUNDS:-3}
WORK="$(pwd)/bench/work/classroom"
PYTHON=${PYTHON:-.venv/bin/python}
fail() { echo "bench/classroom.sh: $*" >&2; exit 1; }
[ -x "$PYTHON" ] || fail ".venv is missing: make test-deps (or PYTHON=path/to/python with playwright-free stdlib)"
command -v zbarimg >/dev/null || fail "zbarimg is missing (zbar-tools): the cards' QR codes are read with it"

if [ -z "${KENSHU:-}" ]; then
  swift build -c release --product kenshu >"${TMPDIR:-/tmp}/kenshu-swift-build.log" 2>&1 || { cat "${TMPDIR:-/tmp}/kenshu-swift-build.log" >&2; exit 1; }
  KENSHU=$(swift build -c release --show-bin-path)/kenshu
fi
[ -x "$KENSHU" ] || fail "$KENSHU is not an executable"

COST_ARGS=()
if "$KENSHU" serve --help 2>&1 | grep -q -- '--password-hash-iterations'; then
  if [ -n "${ITERATIONS:-}" ]; then COST_ARGS=(--password-hash-iterations "$ITERATIONS"); fi
  echo "password hash cost: ${ITERATIONS:-default} (kenshu serve --password-hash-iterations)"
else
  [ -z "${ITERATIONS:-}" ] || echo "ITERATIONS=$ITERATIONS ignored: this kenshu serve has no --password-hash-iterations"
  echo "password hash cost: the built-in default (no --password-hash-iterations option in this kenshu)"
fi

rm -rf "$WORK" && mkdir -p "$WORK"
cp -r Content "$WORK/Content"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$KENSHU" serve --content "$WORK/Content" --output "$WORK/Output" --port "$PORT" --smtp-port 0 --data "$WORK/data" \
  --reset-state "${COST_ARGS[@]}" >"$WORK/serve.log" 2>&1 &
SERVER=$!
cleanup() { kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; }
trap cleanup EXIT
trap 'exit 130' INT TERM
for _ in $(seq 600); do
  curl -fs "http://127.0.0.1:$PORT/v2/login.html" >/dev/null && break
  kill -0 "$SERVER" 2>/dev/null || { cat "$WORK/serve.log" >&2; fail "kenshu serve exited"; }
  sleep 0.1
done
curl -fs "http://127.0.0.1:$PORT/v2/login.html" >/dev/null || { tail -20 "$WORK/serve.log" >&2; fail "kenshu serve did not answer"; }

echo "kenshu: $KENSHU (pid $SERVER), $PARTICIPANTS participants, $ROUNDS rounds, $(nproc) cores"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$PYTHON" bench/classroom_load.py "http://127.0.0.1:$PORT" "$SERVER" "$WORK/data" "$PARTICIPANTS" "$ROUNDS"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
if grep -qiE ' (error|critical) ' "$WORK/serve.log"; then
  echo "server log errors:"; grep -iE ' (error|critical) ' "$WORK/serve.log" | head -10
fi
