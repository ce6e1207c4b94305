#!/usr/bin/env bash
# Load test (issue 5): CLIENTS concurrent clients for DURATION against `mosy serve` on a hub with N
# victim registrations (SQLite): CLIENTS-UPLOADERS clients ask for reports through the JSON API
# (a fixed set of 12 report specs, repeated), UPLOADERS clients upload submissions with an API
# token, each a different file. Reports requests/s and p50/p99 latency (wrk, from Debian), and
# counts the submissions in the hub afterwards: every accepted upload must have added exactly one.
#
#   bench/load.sh [N]      (default 1000000; DURATION=60s CLIENTS=50 UPLOADERS=2 BENCH_DIR=/tmp/mosy-load)
set -euo pipefail
N=${1:-1000000}
DURATION=${DURATION:-60s}
CLIENTS=${CLIENTS:-50}
UPLOADERS=${UPLOADERS:-2}
PORT=${PORT:-18080}
cd "$(dirname "$0")/.."
root=$(pwd)
target=${CARGO_TARGET_DIR:-$root/target}
work=${BENCH_DIR:-/tmp/mosy-load}
mkdir -p "$work"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
cargo build --release -q -p mosy
mosy="$target/release/mosy"

# The hub with N registrations is made once and copied for every run.
if [ ! -f "$work/hub-$N/mosy.sqlite" ]; then
  "$mosy" demo --victims "$N" --data-dir "$work/hub-$N" >/dev/null
fi
rm -rf "$work/run" && mkdir -p "$work/run"
cp "$work/hub-$N/mosy.sqlite" "$work/run/mosy.sqlite"
hub="$work/run"
password="load-test-passphrase-$RANDOM$RANDOM"
echo "$password" | "$mosy" user add loadanalyst --role analyst --data-dir "$hub" >/dev/null
echo "$password" | "$mosy" user add loadngo --role provider_user --provider PT-NGO-AKTO --data-dir "$hub" >/dev/null
token=$("$mosy" token issue loadngo --label load-test --days 1 --data-dir "$hub" | sed -n 2p)

# An upload template: 5 victims of PT-NGO-AKTO in 2026-Q3 in the model's own columns; `@ID@` is
# replaced per upload by the wrk script.
"$mosy" synth --victims 200 --seed 3 -o "$work/register" >/dev/null
python3 - "$work/register/victims.csv" "$work/upload-template.csv" <<'PY'
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if r["status_date"]][:5]
out = []
for n, r in enumerate(rows, 1):
    r.update(record_ref=f"V-LOAD-@ID@-{n}", provider_id="PT-NGO-AKTO", registration_date=f"2026-07-0{n}",
             status_date=f"2026-08-0{n}", updated_at=f"2026-08-0{n}T10:00:00Z", linked_record_refs="", case_refs="")
    out.append(r)
w = csv.DictWriter(open(sys.argv[2], "w", newline=""), fieldnames=list(out[0]), lineterminator="\n")
w.writeheader(); w.writerows(out)
PY

"$mosy" serve --bind "127.0.0.1:$PORT" --data-dir "$hub" >"$work/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
base="http://127.0.0.1:$PORT"
for _ in $(seq 1 100); do curl -fs "$base/api/openapi.json" >/dev/null && break; sleep 0.2; done

# Log in as the analyst (login form with its CSRF token), then read the API's CSRF token.
jar="$work/cookies.txt"; rm -f "$jar"
login_csrf=$(curl -fs -c "$jar" "$base/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
curl -fs -b "$jar" -c "$jar" -o /dev/null --data-urlencode "username=loadanalyst" \
  --data-urlencode "password=$password" --data-urlencode "csrf=$login_csrf" "$base/login"
api_csrf=$(curl -fs -b "$jar" "$base/api/me" | python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf"])')
cookie=$(sed 's/^#HttpOnly_//' "$jar" | awk '!/^#/ && NF >= 7 {printf "%s%s=%s", sep, $6, $7; sep="; "}')
before=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from submission').fetchone()[0])" "$hub/mosy.sqlite")

# Warm-up: the first request builds the statistics engine.
curl -fs -o /dev/null -b "$jar" -H "X-CSRF-Token: $api_csrf" -H 'Content-Type: application/json' \
  -d '{"kind":"simple","measure":"persons","dim1":"sex","format":"json"}' "$base/api/reports"

echo "load: $CLIENTS clients ($((CLIENTS - UPLOADERS)) reports, $UPLOADERS uploads) for $DURATION, hub of $N registrations"
MOSY_COOKIE="$cookie" MOSY_CSRF="$api_csrf" \
  wrk -t1 -c$((CLIENTS - UPLOADERS)) -d"$DURATION" --timeout 10s --latency -s bench/load_reports.lua "$base" \
  >"$work/wrk-reports.txt" 2>&1 &
reports=$!
MOSY_TOKEN="$token" MOSY_UPLOAD_TEMPLATE="$work/upload-template.csv" \
  wrk -t1 -c"$UPLOADERS" -d"$DURATION" --timeout 30s -s bench/load_uploads.lua "$base" \
  >"$work/wrk-uploads.txt" 2>&1 &
uploads=$!
wait $reports $uploads
# Uploads under way when wrk stopped are finished by the server: wait until the hub is idle.
sleep 2
for _ in $(seq 1 120); do
  busy=$(ps -o %cpu= -p "$server" | awk '{print ($1 > 5)}')
  [ "$busy" = 0 ] && break
  sleep 1
done
kill $server; wait $server 2>/dev/null || true
trap - EXIT

grep -E "^(reports|uploads):" "$work/wrk-reports.txt" "$work/wrk-uploads.txt" | sed 's/^[^:]*://'
after=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from submission').fetchone()[0])" "$hub/mosy.sqlite")
accepted=$(sed -n 's/^uploads: \([0-9]*\) accepted.*/\1/p' "$work/wrk-uploads.txt")
sent=$(sed -n 's/^uploads: .* \([0-9]*\) sent.*/\1/p' "$work/wrk-uploads.txt")
added=$((after - before))
echo "submissions: $before before, $after after: $added added for $accepted accepted of $sent sent uploads"
# None lost (every accepted upload is there) and none duplicated (no more than were sent).
if [ "$added" -lt "$accepted" ] || [ "$added" -gt "$sent" ]; then echo "LOST OR DUPLICATED SUBMISSIONS" >&2; exit 1; fi
"$mosy" audit verify --data-dir "$hub"
