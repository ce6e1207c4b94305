#!/usr/bin/env bash
# Import benchmark (issue 3): N synthetic victim records in a police-style export (Portuguese
# headers and values, `;`, dd/mm/yyyy) through `mosy import --profile`: reading, personal-data
# guard on every cell, mapping profile, model validation and the SQLite store (one transaction),
# then person re-clustering. Reports wall time, records/s and peak RSS per run (median of RUNS),
# DuckDB's CSV load of the same file, measured in the same run, as a reference, and where the time
# of one more run goes (from the import's debug events).
#
#   bench/import.sh [N]          (default 1000000; RUNS=3; BENCH_DIR=/tmp/mosy-bench)
set -euo pipefail
N=${1:-1000000}
RUNS=${RUNS:-3}
cd "$(dirname "$0")/.."
root=$(pwd)
work=${BENCH_DIR:-/tmp/mosy-bench}
mkdir -p "$work"
cargo build --release -q -p mosy
cargo build --release -q -p app --example police_export
target="${CARGO_TARGET_DIR:-$root/target}"
mosy="$target/release/mosy"

if [ ! -f "$work/police-$N.csv" ]; then
  "$target/release/examples/police_export" "$N" 42 "$work/police-$N.csv"
fi
"$mosy" synth --victims 10 -o "$work/register" >/dev/null

times=(); rates=(); rss=()
for i in $(seq 1 "$RUNS"); do
  rm -rf "$work/hub"
  "$mosy" provider load "$work/register/providers.csv" --data-dir "$work/hub" >/dev/null
  /usr/bin/time -f "%e %M" -o "$work/time.txt" \
    "$mosy" import --provider PT-PJ --profile bench/pt_police_bench.toml --data-dir "$work/hub" "$work/police-$N.csv" \
    >"$work/import.log"
  read -r secs kb <"$work/time.txt"
  times+=("$secs"); rss+=("$kb")
  rates+=("$(python3 -c "print(round($N / $secs))")")
  echo "run $i: ${secs} s, $(python3 -c "print(round($N / $secs))") records/s, peak RSS $((kb / 1024)) MiB"
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
m_time=$(median "${times[@]}"); m_rss=$(median "${rss[@]}")
echo "mosy import: median ${m_time} s, $(python3 -c "print(round($N / $m_time))") records/s, peak RSS $((m_rss / 1024)) MiB (N=$N, runs=$RUNS)"
tail -n 1 "$work/import.log"

# Where the time goes: one more run with debug events, timed between them.
rm -rf "$work/hub"
"$mosy" provider load "$work/register/providers.csv" --data-dir "$work/hub" >/dev/null
MOSY_LOG=app=debug,store=debug NO_COLOR=1 \
  "$mosy" import --provider PT-PJ --profile bench/pt_police_bench.toml --data-dir "$work/hub" "$work/police-$N.csv" \
  2>"$work/phases.log" >/dev/null
python3 - "$work/phases.log" <<'PY'
import re, sys, datetime
marks = [("files hashed", "until the files' hash is in (hashed alongside)"),
         ("file streamed", "read + guard + map + validate + store"),
         ("link columns read", "persons: read back other registrations"), ("registrations clustered", "persons: cluster"),
         ("persons replaced", "persons: write"), ("import committed", "commit (WAL checkpoint)")]
times = []
for line in open(sys.argv[1], encoding="utf-8"):
    line = re.sub(r"\x1b\[[0-9;]*m", "", line)
    m = re.match(r"(\S+Z)\s", line)
    if m:
        t = datetime.datetime.fromisoformat(m.group(1).replace("Z", "+00:00"))
        times.append((t, line))
start = times[0][0] if times else None
prev = start
for key, label in marks:
    hit = next((t for t, l in times if key in l), None)
    if hit is None or prev is None:
        continue
    print(f"  {label:<42} {(hit - prev).total_seconds():6.2f} s")
    prev = hit
PY

ref="$root/../shared/tools/duckdb_reference.py"
if [ -f "$ref" ] && python3 -c "import duckdb" 2>/dev/null; then
  json=$(python3 "$ref" load "$work/police-$N.csv" --runs "$RUNS")
  echo "duckdb reference: $json"
  d=$(python3 -c "import json,sys; print(json.loads(sys.argv[1])['median_s'])" "$json")
  echo "ratio mosy/duckdb (median wall time): $(python3 -c "print(round($m_time / $d, 2))")"
else
  echo "duckdb reference skipped (pip install duckdb; needs ../shared/tools/duckdb_reference.py)"
fi
