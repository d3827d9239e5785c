#!/usr/bin/env bash
# Study benchmark (issue #15), the part that exists today: the report. A generated log of
# PARTICIPANTS (40) participants × the 6 tasks of Content/studies/chapter3.yaml (bench/study_log.py)
# is imported into a fresh data directory with a release `kenshu study import`, then
# `kenshu study report` builds the HTML report ROUNDS (5) times; prints the median and the
# slowest, against the issue's target of under 1 s. Figures only, nothing is asserted.
# The recording-cost and ingest parts of the issue's benchmark come with the server's recording.
# Usage: [PARTICIPANTS=40] [ROUNDS=5] bench/study.sh; KENSHU=path skips the build.
set -euo pipefail
cd "$(dirname "$0")/.."
PARTICIPANTS=${PARTICIPANTS:-40}
ROUNDS=${ROUNDS:-5}
WORK="$(pwd)/bench/work/study"
if [ -z "${KENSHU:-}" ]; then
  swift build -c release --product kenshu >"${TMPDIR:-/tmp}/kenshu-swift-build.log" 2>&1 || { cat "${TMPDIR:-/tmp}/kenshu-swift-build.log" >&2; exit 1; }
  KENSHU=$(swift build -c release --show-bin-path)/kenshu
fi
rm -rf "$WORK" && mkdir -p "$WORK"
python3 bench/study_log.py "$PARTICIPANTS" > "$WORK/events.json"
"$KENSHU" study import --data "$WORK/data" "$WORK/events.json"
times=()
for round in $(seq "$ROUNDS"); do
  start=$(date +%s.%N)
  "$KENSHU" study report --data "$WORK/data" --output "$WORK/report.html" >/dev/null
  end=$(date +%s.%N)
  times+=("$(echo "$end - $start" | bc)")
done
python3 - "$WORK/report.html" "${times[@]}" <<'PY'
import os, statistics, sys
path, times = sys.argv[1], [float(t) for t in sys.argv[2:]]
print(f"report of {os.environ.get('PARTICIPANTS', '40')} participants x 6 tasks: median {statistics.median(times):.3f} s, "
      f"slowest {max(times):.3f} s over {len(times)} runs (whole process: start, SQLite read, classify, render; target < 1 s); "
      f"{os.path.getsize(path) / 1024:.0f} KiB of HTML")
PY
