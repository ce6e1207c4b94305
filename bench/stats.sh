#!/usr/bin/env bash
# Statistics engine benchmark (issue 4): N synthetic victim registrations (default 10 million) in
# the in-memory engine; a 3-dimension cross-tab with one filter (registrations and persons by sex ×
# age group × form of exploitation, country of exploitation = PT, year 2024), median of 11 runs;
# memory per record; the EU key-indicator release for one year. DuckDB runs the equivalent GROUP BY on the same records in the same run.
#
#   bench/stats.sh [N]          (default 10000000; BENCH_DIR=/tmp/mosy-bench)
set -euo pipefail
N=${1:-10000000}
cd "$(dirname "$0")/.."
work=${BENCH_DIR:-/tmp/mosy-bench}
mkdir -p "$work"
csv="$work/stats-$N.csv"
cargo bench -q -p reports --bench engine -- "$N" "$csv" | tee "$work/stats.json"
if python3 -c "import duckdb" 2>/dev/null; then
  python3 ../shared/tools/duckdb_reference.py query "$csv" --runs 11 --sql \
    "SELECT sex, age_group, main_exploitation, count(*) AS n FROM t WHERE country_of_exploitation = 'PT' AND registration_date BETWEEN DATE '2024-01-01' AND DATE '2024-12-31' AND status <> 'NOT_CONFIRMED' GROUP BY ALL" \
    | tee "$work/duckdb.json"
  python3 - "$work/stats.json" "$work/duckdb.json" <<'PY'
import json, sys
ours = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
ref = json.loads(open(sys.argv[2]).read())
q = next(o for o in ours if o["op"] == "crosstab_3d_filter")
print(f"cross-tab: mosy {q['median_s']*1000:.1f} ms, DuckDB {ref['median_s']*1000:.1f} ms, ratio {q['median_s']/ref['median_s']:.2f}")
PY
else
  echo "duckdb not installed (pip install duckdb): no reference figure"
fi
