#!/usr/bin/env bash
# SMTP benchmark: postfix's smtp-source sends MESSAGES messages of 4 KiB over SESSIONS sessions,
# in one run, to Kenshu's sink, to aiosmtpd storing to a Maildir, and to postfix's smtp-sink
# (which throws mail away: the ceiling). Prints msgs/s per round and the medians, ratios,
# Kenshu's peak RSS and the count stored against the count sent. ROUNDS=3 by default.
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

# Kenshu and smtp-sink alternate for ROUNDS rounds (each Kenshu round a fresh process and
# Maildir, so no round prunes) and the medians are compared: this machine's speed drifts by tens
# of percent from minute to minute, and a single pair of runs can land on either side of it.
# aiosmtpd (about a minute per run) runs once, after the first round.
ROUNDS=${ROUNDS:-3}
A_PORT=$(port); S_PORT=$(port)
mkdir -p "$WORK/aiosmtpd-maildir/tmp" "$WORK/aiosmtpd-maildir/new" "$WORK/aiosmtpd-maildir/cur"
"$WORK/venv/bin/python" -m aiosmtpd -n -l "127.0.0.1:$A_PORT" -c aiosmtpd.handlers.Mailbox "$WORK/aiosmtpd-maildir" >"$WORK/aiosmtpd.log" 2>&1 &
A_PID=$!
"$SMTP_SINK" $( [ "$(id -u)" = 0 ] && echo "-u nobody" ) "127.0.0.1:$S_PORT" 1000 >"$WORK/smtp-sink.log" 2>&1 &
S_PID=$!
wait_port "$A_PORT"; wait_port "$S_PORT"

run() {  # name port -> seconds
  local start end
  start=$(date +%s.%N)
  "$SMTP_SOURCE" -s "$SESSIONS" -m "$MESSAGES" -l 4096 -f sender@example.jp -t rcpt@example.jp "127.0.0.1:$2" >/dev/null 2>"$WORK/$1.source.err"
  end=$(date +%s.%N)
  python3 -c "print($end - $start)"
}
RESULTS="$WORK/results.txt"
: >"$RESULTS"
for round in $(seq "$ROUNDS"); do
  K_PORT=$(port)
  "$KENSHU" mail --smtp-port "$K_PORT" --http-port 0 --data "$WORK/kenshu-$round" --max-messages $((MESSAGES + 10)) >"$WORK/kenshu-$round.log" 2>&1 &
  K_PID=$!
  wait_port "$K_PORT"
  T_K=$(run kenshu "$K_PORT")
  RSS_K=$(awk '/VmHWM/ {print int($2/1024)}' /proc/$K_PID/status)
  kill "$K_PID"; wait "$K_PID" 2>/dev/null || true; K_PID=
  STORED_K=$(find "$WORK/kenshu-$round/mail/new" "$WORK/kenshu-$round/mail/cur" -type f | wc -l)
  T_S=$(run smtp-sink "$S_PORT")
  echo "kenshu $T_K $RSS_K $STORED_K" >>"$RESULTS"
  echo "smtp-sink $T_S" >>"$RESULTS"
  if [ "$round" = 1 ]; then
    T_A=$(run aiosmtpd "$A_PORT")
    STORED_A=$(find "$WORK/aiosmtpd-maildir/new" "$WORK/aiosmtpd-maildir/cur" -type f | wc -l)
    echo "aiosmtpd $T_A $STORED_A" >>"$RESULTS"
  fi
done
python3 - "$MESSAGES" "$SESSIONS" "$RESULTS" "$(cut -d' ' -f1 /proc/loadavg)" <<'PY'
import statistics, sys
n, sessions, load = int(sys.argv[1]), int(sys.argv[2]), sys.argv[4]
rows = [line.split() for line in open(sys.argv[3])]
kenshu = [(n / float(r[1]), int(r[2]), int(r[3])) for r in rows if r[0] == "kenshu"]
sink = [n / float(r[1]) for r in rows if r[0] == "smtp-sink"]
aiosmtpd = [(n / float(r[1]), int(r[2])) for r in rows if r[0] == "aiosmtpd"]
print(f"smtp-source: {n} messages of 4 KiB, {sessions} sessions at a time, one connection per message; load average {load}")
for i, ((k, rss, stored), s) in enumerate(zip(kenshu, sink), 1):
    print(f"round {i}: kenshu {k:6.0f} msgs/s (stored {stored}/{n}, lost {n - stored}, peak RSS {rss} MiB), smtp-sink {s:6.0f} msgs/s -> {k / s:.2f}x")
rk, rs = statistics.median(k for k, _, _ in kenshu), statistics.median(sink)
ra, stored_a = aiosmtpd[0]
print(f"kenshu sink (Maildir, durable): median {rk:6.0f} msgs/s, lost {sum(n - st for _, _, st in kenshu)} in all rounds, peak RSS {max(r for _, r, _ in kenshu)} MiB")
print(f"aiosmtpd + Maildir:             {ra:6.0f} msgs/s, stored {stored_a}/{n}")
print(f"postfix smtp-sink (discards):   median {rs:6.0f} msgs/s")
print(f"ratios: kenshu/aiosmtpd {rk / ra:.2f}x (target >= 5), kenshu/smtp-sink {rk / rs:.2f}x (target >= 0.5)")
PY
