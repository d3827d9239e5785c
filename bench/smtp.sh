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
if [ ! -x "$SMTP_SOURCE" ] || [ ! -x /usr/bin/time ]; then
  echo "installing postfix (for smtp-source and smtp-sink) and time" >&2
  $( [ "$(id -u)" = 0 ] || echo sudo ) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postfix time >/dev/null
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

# CPU time (clock ticks) and context switches of a process, and the machine's idle time, so the
# figures show where time goes: a server that sleeps and is woken for every reply pays for it.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
switches() { cat /proc/"$1"/task/*/status | awk '/ctxt_switches/ {n += $2} END {print n}'; }
idle_ticks() { awk '/^cpu / {print $5 + $6, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9}' /proc/stat; }
run() {  # name port server-pid -> seconds, server CPU ms/msg, server switches/msg, smtp-source CPU ms/msg, idle %
  local start end cpu0 cpu1 ctx0 ctx1 idle0 idle1 hz
  hz=$(getconf CLK_TCK)
  cpu0=$(cpu_ticks "$3"); ctx0=$(switches "$3"); idle0=$(idle_ticks)
  start=$(date +%s.%N)
  /usr/bin/time -f "%U %S" -o "$WORK/$1.source.time" \
    "$SMTP_SOURCE" -s "$SESSIONS" -m "$MESSAGES" -l 4096 -f sender@example.jp -t rcpt@example.jp "127.0.0.1:$2" >/dev/null 2>"$WORK/$1.source.err"
  end=$(date +%s.%N)
  cpu1=$(cpu_ticks "$3"); ctx1=$(switches "$3"); idle1=$(idle_ticks)
  python3 -c "
idle0, total0 = map(int, '$idle0'.split()); idle1, total1 = map(int, '$idle1'.split())
user, system = map(float, open('$WORK/$1.source.time').read().split()[-2:])
n = $MESSAGES
print($end - $start, 1000 * ($cpu1 - $cpu0) / $hz / n, ($ctx1 - $ctx0) / n, 1000 * (user + system) / n, 100 * (idle1 - idle0) / (total1 - total0))"
}
RESULTS="$WORK/results.txt"
: >"$RESULTS"
for round in $(seq "$ROUNDS"); do
  K_PORT=$(port)
  "$KENSHU" mail --smtp-port "$K_PORT" --http-port 0 --data "$WORK/kenshu-$round" --max-messages $((MESSAGES + 10)) >"$WORK/kenshu-$round.log" 2>&1 &
  K_PID=$!
  wait_port "$K_PORT"
  T_K=$(run kenshu "$K_PORT" "$K_PID")
  RSS_K=$(awk '/VmHWM/ {print int($2/1024)}' /proc/$K_PID/status)
  kill "$K_PID"; wait "$K_PID" 2>/dev/null || true; K_PID=
  STORED_K=$(find "$WORK/kenshu-$round/mail/new" "$WORK/kenshu-$round/mail/cur" -type f | wc -l)
  T_S=$(run smtp-sink "$S_PORT" "$S_PID")
  echo "kenshu $T_K $RSS_K $STORED_K" >>"$RESULTS"
  echo "smtp-sink $T_S" >>"$RESULTS"
  if [ "$round" = 1 ]; then
    T_A=$(run aiosmtpd "$A_PORT" "$A_PID")
    STORED_A=$(find "$WORK/aiosmtpd-maildir/new" "$WORK/aiosmtpd-maildir/cur" -type f | wc -l)
    echo "aiosmtpd $T_A $STORED_A" >>"$RESULTS"
  fi
done
python3 - "$MESSAGES" "$SESSIONS" "$RESULTS" "$(cut -d' ' -f1 /proc/loadavg)" <<'PY'
import statistics, sys
n, sessions, load = int(sys.argv[1]), int(sys.argv[2]), sys.argv[4]
rows = [line.split() for line in open(sys.argv[3])]

def run(r):  # seconds, server CPU ms/msg, server switches/msg, smtp-source CPU ms/msg, idle %
    seconds, cpu, switches, source, idle = map(float, r[1:6])
    return {"rate": n / seconds, "cpu": cpu, "switches": switches, "source": source, "idle": idle}

def where(r):
    return (f"server {r['cpu']:.3f} ms CPU and {r['switches']:.1f} context switches per msg, "
            f"smtp-source {r['source']:.3f} ms CPU per msg, machine idle {r['idle']:.0f}%")

kenshu = [dict(run(r), rss=int(r[6]), stored=int(r[7])) for r in rows if r[0] == "kenshu"]
sink = [run(r) for r in rows if r[0] == "smtp-sink"]
aiosmtpd = [dict(run(r), stored=int(r[6])) for r in rows if r[0] == "aiosmtpd"]
print(f"smtp-source: {n} messages of 4 KiB, {sessions} sessions at a time, one connection per message; load average {load}")
for i, (k, s) in enumerate(zip(kenshu, sink), 1):
    print(f"round {i}: kenshu {k['rate']:6.0f} msgs/s (stored {k['stored']}/{n}, lost {n - k['stored']}, peak RSS {k['rss']} MiB), "
          f"smtp-sink {s['rate']:6.0f} msgs/s -> {k['rate'] / s['rate']:.2f}x")
    print(f"  kenshu:    {where(k)}")
    print(f"  smtp-sink: {where(s)}")
rk, rs = statistics.median(k["rate"] for k in kenshu), statistics.median(s["rate"] for s in sink)
a = aiosmtpd[0]
print(f"kenshu sink (Maildir, durable): median {rk:6.0f} msgs/s, lost {sum(n - k['stored'] for k in kenshu)} in all rounds, peak RSS {max(k['rss'] for k in kenshu)} MiB")
print(f"aiosmtpd + Maildir:             {a['rate']:6.0f} msgs/s, stored {a['stored']}/{n}; {where(a)}")
print(f"postfix smtp-sink (discards):   median {rs:6.0f} msgs/s")
print(f"ratios: kenshu/aiosmtpd {rk / a['rate']:.2f}x (target >= 5), kenshu/smtp-sink {rk / rs:.2f}x (target >= 0.5)")
PY
