#!/usr/bin/env bash
# HTTP benchmark: wrk against `kenshu serve` and against nginx serving the same Output/ folder,
# both measured in this run on this machine. For a plain static page and a stylesheet it
# prints req/s, p99 latency and the kenshu/nginx ratios (target: kenshu >= 0.7x nginx's req/s
# and p99 < 10 ms), then kenshu's peak RSS. Each pair is measured ROUNDS times, alternating
# kenshu and nginx, and the medians are compared: on a shared machine one run of each says
# more about the neighbours than about the servers. The load average before and after is
# printed for the same reason. The last section measures the login POST.
# Usage: bench/http.sh [DURATION=10s] [CONNECTIONS=64] [THREADS=2] [ROUNDS=3]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-10s}
CONNECTIONS=${2:-64}
THREADS=${3:-2}
ROUNDS=${4:-3}
WORK="$(pwd)/bench/work/http"
# A page served as built: no form, no sign-in. (Job detail pages are MyPage screens: without a
# session the served flows redirect them to the login page.)
PAGE=/v2/index.html
ASSET=/assets/kenshu.css
SUDO=$( [ "$(id -u)" = 0 ] || echo sudo )
fail() { echo "bench/http.sh: $*" >&2; exit 1; }

# wrk and nginx from Debian, when missing (`apt-get update` only then).
missing=""
command -v wrk >/dev/null || missing="$missing wrk"
[ -x /usr/sbin/nginx ] || missing="$missing nginx"
if [ -n "$missing" ]; then
  echo "apt-get install:$missing" >&2
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
command -v wrk >/dev/null || fail "wrk is missing after apt-get install"
NGINX=/usr/sbin/nginx
[ -x "$NGINX" ] || fail "nginx is missing after apt-get install"
[ -f /etc/nginx/mime.types ] || fail "/etc/nginx/mime.types is missing (Debian's nginx-common ships it)"

# KENSHU=path/to/kenshu skips the release build (e.g. to measure a binary built earlier).
if [ -z "${KENSHU:-}" ]; then
  swift build -c release --product kenshu >"${TMPDIR:-/tmp}/kenshu-swift-build.log" 2>&1 || { cat "${TMPDIR:-/tmp}/kenshu-swift-build.log" >&2; exit 1; }
  KENSHU=$(swift build -c release --show-bin-path)/kenshu
fi
[ -x "$KENSHU" ] || fail "$KENSHU is not an executable"

rm -rf "$WORK" && mkdir -p "$WORK/nginx-temp"
# A private copy of Content/: kenshu builds it into $WORK/Output (the repository's Output/ is left
# alone, and edits to Content/ during the run trigger no rebuild); nginx serves that same folder.
cp -r Content "$WORK/Content"
DATA=$(mktemp -d "${TMPDIR:-/tmp}/kenshu-http-data.XXXXXX")

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
K_PORT=$(port); N_PORT=$(port)
[ "$K_PORT" != "$N_PORT" ] || N_PORT=$(port)
K_PID=""; N_PID=""
cleanup() {
  for pid in $K_PID $N_PID; do kill "$pid" 2>/dev/null || true; done
  for pid in $K_PID $N_PID; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$DATA"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$KENSHU" serve --content "$WORK/Content" --output "$WORK/Output" --port "$K_PORT" --smtp-port 0 --data "$DATA" \
  >"$WORK/kenshu.log" 2>&1 &
K_PID=$!

# nginx in the foreground (no daemon), pid, logs and temp files under $WORK. As root the workers
# run as the invoking user, so they read exactly what kenshu reads.
cat >"$WORK/nginx.conf" <<EOF
$( [ "$(id -u)" = 0 ] && echo "user $(id -un) $(id -gn);" )
daemon off;
worker_processes auto;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 1024; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    charset utf-8;
    access_log off;
    sendfile on;
    keepalive_requests 1000000;
    client_body_temp_path $WORK/nginx-temp/body;
    proxy_temp_path $WORK/nginx-temp/proxy;
    fastcgi_temp_path $WORK/nginx-temp/fastcgi;
    uwsgi_temp_path $WORK/nginx-temp/uwsgi;
    scgi_temp_path $WORK/nginx-temp/scgi;
    server {
        listen 127.0.0.1:$N_PORT;
        root $WORK/Output;
        index index.html;
    }
}
EOF
"$NGINX" -t -q -p "$WORK" -e "$WORK/nginx-error.log" -c "$WORK/nginx.conf" 2>"$WORK/nginx-test.log" \
  || { cat "$WORK/nginx-test.log" >&2; fail "nginx rejected $WORK/nginx.conf"; }
"$NGINX" -p "$WORK" -e "$WORK/nginx-error.log" -c "$WORK/nginx.conf" >"$WORK/nginx.log" 2>&1 &
N_PID=$!

K_URL="http://127.0.0.1:$K_PORT"; N_URL="http://127.0.0.1:$N_PORT"
wait_for() {  # name pid url: until the URL answers 200 (kenshu builds the site first)
  for _ in $(seq 600); do
    kill -0 "$2" 2>/dev/null || { cat "$WORK/$1.log" "$WORK/$1-error.log" 2>/dev/null >&2; fail "$1 exited before serving"; }
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$3" || true)" = 200 ] && return 0
    sleep 0.1
  done
  cat "$WORK/$1.log" >&2; fail "$1 did not answer 200 at $3 within 60 s"
}
wait_for kenshu "$K_PID" "$K_URL$PAGE"
wait_for nginx "$N_PID" "$N_URL$PAGE"
[ -f "$WORK/Output$PAGE" ] || fail "$PAGE is not in the built site"

# Both must send the same bytes (kenshu's HTML adds only its live-reload script tag).
for path in "$PAGE" "$ASSET"; do
  curl -sf "$K_URL$path" -o "$WORK/kenshu.body" || fail "kenshu: GET $path failed"
  curl -sf "$N_URL$path" -o "$WORK/nginx.body" || fail "nginx: GET $path failed"
  sed 's#<script src="/_kenshu/live.js"></script>##' "$WORK/kenshu.body" | cmp -s - "$WORK/nginx.body" \
    || fail "kenshu and nginx send different bytes for $path (is it a page the served flows render per request?)"
done

bench() {  # name url [wrk args...] -> $WORK/name.wrk
  local name=$1 url=$2; shift 2
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@" "$url" >"$WORK/$name.wrk" 2>&1 \
    || { cat "$WORK/$name.wrk" >&2; fail "wrk failed against $url"; }
}
# Warm both up (first connections, page cache, lazily built state), then measure alternately.
wrk -t"$THREADS" -c"$CONNECTIONS" -d2s "$K_URL$PAGE" >/dev/null
wrk -t"$THREADS" -c"$CONNECTIONS" -d2s "$N_URL$PAGE" >/dev/null
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
for round in $(seq "$ROUNDS"); do
  bench "kenshu-page-$round" "$K_URL$PAGE"
  bench "nginx-page-$round" "$N_URL$PAGE"
  bench "kenshu-asset-$round" "$K_URL$ASSET"
  bench "nginx-asset-$round" "$N_URL$ASSET"
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
RSS_K=$(awk '/^VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$K_PID/status")

python3 - "$WORK" "$PAGE" "$ASSET" "$RSS_K" "$("$NGINX" -v 2>&1 | sed 's#.*/##')" "$THREADS" "$CONNECTIONS" "$DURATION" \
  "$ROUNDS" "$LOAD_BEFORE" "$LOAD_AFTER" <<'PY'
import os, re, statistics, sys
work, page, asset, rss, nginx_version, threads, connections, duration, rounds, load_before, load_after = sys.argv[1:12]
rounds = int(rounds)
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}
def load_rounds(name):
    runs = [load(f"{name}-{r}") for r in range(1, rounds + 1)]
    errors = "; ".join(sorted({e for _, _, e in runs if e}))
    return statistics.median(r for r, _, _ in runs), statistics.median(p for _, p, _ in runs), errors, runs
def load(name):
    text = open(f"{work}/{name}.wrk").read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    value, unit = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", text, re.M).groups()
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    errors = re.search(r"Socket errors:.*", text)
    if bad:
        sys.exit(f"bench/http.sh: {name}: {bad.group(1)} responses were not 2xx/3xx\n{text}")
    return rps, float(value) * UNITS[unit], errors.group(0) if errors else ""
print(f"wrk -t{threads} -c{connections} -d{duration} --latency, {rounds} rounds alternating kenshu and nginx on this machine "
      f"({os.cpu_count()} cores; load average {load_before} before, {load_after} after)")
print(f"kenshu serve vs nginx {nginx_version} (worker_processes auto, sendfile on, access_log off), same folder bench/work/http/Output")
ok = True
for label, path in (("page", page), ("asset", asset)):
    size = os.path.getsize(f"{work}/Output{path}")
    (kr, kp, ke, kruns), (nr, np_, ne, nruns) = load_rounds(f"kenshu-{label}"), load_rounds(f"nginx-{label}")
    each = lambda runs: ", ".join(f"{r:.0f}" for r, _, _ in runs)
    print(f"GET {path} ({size} bytes on disk); medians of {rounds} runs")
    print(f"  kenshu: {kr:9.0f} req/s  p99 {kp:6.2f} ms  (req/s per run: {each(kruns)}) {ke}".rstrip())
    print(f"  nginx:  {nr:9.0f} req/s  p99 {np_:6.2f} ms  (req/s per run: {each(nruns)}) {ne}".rstrip())
    print(f"  ratio kenshu/nginx: req/s {kr / nr:.2f}x (target >= 0.7), p99 {kp / np_:.2f}x; kenshu p99 {kp:.2f} ms (target < 10 ms)")
    ok = ok and kr / nr >= 0.7 and kp < 10
print(f"kenshu peak RSS (VmHWM after the runs): {rss} MiB")
print("targets: " + ("met" if ok else "NOT met"))
PY

# Login POST rate
# The login form POSTs to /v2/login.html with the kenshu_csrf cookie and the page's hidden
# csrf_token. GET the page once for both, then let bench/login.lua POST the seeded seeker's
# credentials (it prints the response statuses). Skipped when the page has no csrf_token input
# (the served flows are off).
curl -sf -c "$WORK/login.cookies" "$K_URL/v2/login.html" -o "$WORK/login.html" || fail "kenshu: GET /v2/login.html failed"
TOKEN=$(python3 - "$WORK/login.html" <<'PY'
import sys
from html.parser import HTMLParser
class Token(HTMLParser):
    value = ""
    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("name") == "csrf_token" and not self.value:
            self.value = attrs.get("value") or ""
parser = Token()
parser.feed(open(sys.argv[1], encoding="utf-8").read())
print(parser.value)
PY
)
if [ -z "$TOKEN" ]; then
  echo "login POST rate: skipped (/v2/login.html has no csrf_token input: are the served flows off? see $WORK/kenshu.log)"
else
  CSRF=$(awk -F'\t' '$6 == "kenshu_csrf" { print $7 }' "$WORK/login.cookies")
  [ -n "$CSRF" ] || fail "GET /v2/login.html has a csrf_token input but set no kenshu_csrf cookie"
  COOKIE="kenshu_csrf=$CSRF" TOKEN="$TOKEN" bench kenshu-login "$K_URL/v2/login.html" -s bench/login.lua
  python3 - "$WORK/kenshu-login.wrk" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
value, unit = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", text, re.M).groups()
p99 = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
errors = re.search(r"Socket errors:.*", text)
statuses = re.search(r"^statuses: (.*)$", text, re.M)
print(f"POST /v2/login.html (login form, CSRF cookie + token)")
print(f"  kenshu: {rps:9.0f} req/s  p99 {p99:6.2f} ms  responses: {statuses.group(1) if statuses else '?'}"
      + (f"  {bad.group(1)} non-2xx/3xx" if bad else "") + (f"  {errors.group(0)}" if errors else ""))
PY
fi
