#!/usr/bin/env bash
# SMTP benchmark: postfix's smtp-source sends MESSAGES messages of 4 KiB over SESSIONS sessions,
# in one run, to Kenshu's sink, to aiosmtpd storing to a Maildir, and to postfix's smtp-sink
# (which throws mail away: the ceiling). Prints msgs/s, ratios, Kenshu's peak RSS and the
# count stored against the count sent.
# Usage: bench/smtp.sh [MESSAGES=20000] [SESSIONS=20]
set -euo pipefail
cd "$(dirname "$0")/.."
MESSAGES=${1:-20000}
SESSIONS=${2:-20}
WORK="$(pwd)/bench/work/smtp"
SMTP_SOURCE=/usr/sbin/smtp-source
SMTP_SINK=/usr/sbin/smtp-sink
if [ ! -x "$SMTP_SOURCE" ]; then
  echo "installing postfix (for smtp-source and smtp-sink)" >&2
  $( [ "$(id -u)" = 0 ] || echo sudo ) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postfix >/dev/null
fi
# The previous run's files (about 40,000) are set aside now and deleted only after this run's
# measurements, then a run waits until a minute has passed since the last deletion: on ext4
# without a journal the kernel will not reuse an inode freed in the last 60 s (300 s while its
# inode table block is still dirty, hence the sync), so creating files right after a mass delete
# makes every new inode scan past the freed ones, slowing whichever server writes first.
TRASH="$WORK.old.$$"
CLEANED_AT="$WORK.cleaned-at"
[ -d "$WORK" ] && mv "$WORK" "$TRASH"
K_PID= A_PID= S_PID=
cleanup() {
  kill $K_PID $A_PID $S_PID 2>/dev/null || true
  if compgen -G "$WORK.old.*" >/dev/null; then rm -rf "$WORK".old.*; sync; date +%s >"$CLEANED_AT"; fi
}
trap cleanup EXIT
if [ -f "$CLEANED_AT" ]; then
  WAIT=$(( $(cat "$CLEANED_AT") + 65 - $(date +%s) ))
  if [ "$WAIT" -gt 0 ]; then echo "waiting ${WAIT}s: files deleted in the last minute slow inode allocation (see bench/smtp.sh)" >&2; sleep "$WAIT"; fi
fi
mkdir -p "$WORK"
python3 -m venv "$WORK/venv" && "$WORK/venv/bin/pip" install -q aiosmtpd
# KENSHU=path/to/kenshu skips the release build (e.g. to measure a binary built earlier).
if [ -z "${KENSHU:-}" ]; then
  swift build -c release --product kenshu >"${TMPDIR:-/tmp}/kenshu-swift-build.log" 2>&1 || { cat "${TMPDIR:-/tmp}/kenshu-swift-build.log" >&2; exit 1; }
  KENSHU=$(swift build -c release --show-bin-path)/kenshu
fi

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 never opened" >&2; exit 1; }

K_PORT=$(port); A_PORT=$(port); S_PORT=$(port)
"$KENSHU" mail --smtp-port "$K_PORT" --data "$WORK/kenshu" --max-messages $((MESSAGES + 10)) >"$WORK/kenshu.log" 2>&1 &
K_PID=$!
mkdir -p "$WORK/aiosmtpd-maildir/tmp" "$WORK/aiosmtpd-maildir/new" "$WORK/aiosmtpd-maildir/cur"
"$WORK/venv/bin/python" -m aiosmtpd -n -l "127.0.0.1:$A_PORT" -c aiosmtpd.handlers.Mailbox "$WORK/aiosmtpd-maildir" >"$WORK/aiosmtpd.log" 2>&1 &
A_PID=$!
"$SMTP_SINK" $( [ "$(id -u)" = 0 ] && echo "-u nobody" ) "127.0.0.1:$S_PORT" 1000 >"$WORK/smtp-sink.log" 2>&1 &
S_PID=$!
wait_port "$K_PORT"; wait_port "$A_PORT"; wait_port "$S_PORT"

run() {  # name port -> seconds
  local start end
  start=$(date +%s.%N)
  "$SMTP_SOURCE" -s "$SESSIONS" -m "$MESSAGES" -l 4096 -f sender@example.jp -t rcpt@example.jp "127.0.0.1:$2" >/dev/null 2>"$WORK/$1.source.err"
  end=$(date +%s.%N)
  python3 -c "print($end - $start)"
}
T_K=$(run kenshu "$K_PORT")
T_A=$(run aiosmtpd "$A_PORT")
T_S=$(run smtp-sink "$S_PORT")
RSS_K=$(awk '/VmHWM/ {print int($2/1024)}' /proc/$K_PID/status)
STORED_K=$(find "$WORK/kenshu/mail/new" "$WORK/kenshu/mail/cur" -type f | wc -l)
STORED_A=$(find "$WORK/aiosmtpd-maildir/new" "$WORK/aiosmtpd-maildir/cur" -type f | wc -l)
python3 - "$MESSAGES" "$SESSIONS" "$T_K" "$T_A" "$T_S" "$RSS_K" "$STORED_K" "$STORED_A" <<'PY'
import sys
n, sessions = int(sys.argv[1]), int(sys.argv[2])
tk, ta, ts = map(float, sys.argv[3:6])
rss, stored_k, stored_a = int(sys.argv[6]), int(sys.argv[7]), int(sys.argv[8])
rk, ra, rs = n / tk, n / ta, n / ts
print(f"smtp-source: {n} messages of 4 KiB over {sessions} sessions")
print(f"kenshu sink (Maildir, fsync): {rk:8.0f} msgs/s  ({tk:.2f} s), stored {stored_k}/{n}, lost {n - stored_k}, peak RSS {rss} MiB")
print(f"aiosmtpd + Maildir:           {ra:8.0f} msgs/s  ({ta:.2f} s), stored {stored_a}/{n}")
print(f"postfix smtp-sink (discards): {rs:8.0f} msgs/s  ({ts:.2f} s)")
print(f"ratios: kenshu/aiosmtpd {rk/ra:.2f}x (target >= 5), kenshu/smtp-sink {rk/rs:.2f}x (target >= 0.5)")
PY
