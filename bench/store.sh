#!/usr/bin/env bash
# Benchmarks the parcel store (issue 17): a store of BENCH_PARCELS parcels (default 1,000,000)
# with 8 history entries each, built with `store import` of generated pushes; then the queries
# people run on it, the size on disk, and `listen` with and without the store.
#
#   bash bench/store.sh                         # the full run (about 10 minutes, ~3 GB in target/)
#   BENCH_PARCELS=100000 bash bench/store.sh    # smaller
#
# Prints a Markdown section for BENCHMARKS.md. Needs python3, GNU time and wrk (only loopback).
set -euo pipefail
cd "$(dirname "$0")/.."

PARCELS=${BENCH_PARCELS:-1000000}
DURATION=${BENCH_DURATION:-10s}
ROUNDS=${BENCH_ROUNDS:-3}
TARGET=${CARGO_TARGET_DIR:-target}
OUT=$TARGET/bench/store
KJ=${BENCH_KIRIMINAJA:-$TARGET/release/kiriminaja}
say() { printf '\n== %s\n' "$*" >&2; }

[ -x "$KJ" ] || cargo build --release --locked --bin kiriminaja >&2
rm -rf "$OUT"
mkdir -p "$OUT/home"
out_abs=$(cd "$OUT" && pwd)
export HOME="$out_abs/home"
unset KIRIMINAJA_BASE_URL KIRIMINAJA_PROFILE KIRIMINAJA_CONFIG
export KIRIMINAJA_STORE="$out_abs/parcels.db"
export KIRIMINAJA_API_KEY=bench-key-0123456789

# Milliseconds of one run of a command (its output discarded).
ms() { local t0 t1; t0=$(date +%s%N); "$@" >/dev/null; t1=$(date +%s%N); echo $(( (t1 - t0) / 1000000 )); }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
timed() { for _ in $(seq "$ROUNDS"); do ms "$@"; done | median; }
peak_mb() { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1 | awk '{ printf "%.1f", $1 / 1024 }'; }

say "generating the pushes of $PARCELS parcels × 8 entries"
python3 bench/gen-store-pushes.py "$PARCELS" > "$OUT/pushes.jsonl"
EVENTS=$(wc -l < "$OUT/pushes.jsonl")
BYTES=$(wc -c < "$OUT/pushes.jsonl")

say "store import ($EVENTS events)"
t0=$(date +%s%N)
/usr/bin/time -f '%M' -o "$OUT/import.rss" "$KJ" store import "$OUT/pushes.jsonl" > "$OUT/import.out"
t1=$(date +%s%N)
IMPORT_MS=$(( (t1 - t0) / 1000000 ))
IMPORT_RATE=$(( EVENTS * 1000 / IMPORT_MS ))
IMPORT_RSS=$(awk '{ printf "%.1f", $1 / 1024 }' "$OUT/import.rss")
cat "$OUT/import.out" >&2

say "again (nothing new)"
REIMPORT_MS=$(ms "$KJ" store import "$OUT/pushes.jsonl")

SIZE=$(stat -c %s "$KIRIMINAJA_STORE")
PER_PARCEL=$(( SIZE / PARCELS ))

say "queries"
STUCK=$("$KJ" parcels --stuck 3d --json | wc -l)
STUCK_JSON_MS=$(timed "$KJ" parcels --stuck 3d --json)
STUCK_TABLE_MS=$(timed "$KJ" parcels --stuck 3d)
SUMMARY_MS=$(timed "$KJ" parcels --limit 0)
OPEN_SUMMARY_MS=$(timed "$KJ" parcels --open --limit 0)
SUMMARY_LINE=$("$KJ" parcels --limit 0 | head -1)

say "parcels --json, every parcel (peak RSS)"
ALL_RSS=$(peak_mb "$KJ" parcels --json)
TENTH_RSS=$(peak_mb "$KJ" parcels --json --limit $(( PARCELS / 10 )))
t0=$(date +%s%N); "$KJ" parcels --json | wc -l > "$OUT/all.count"; t1=$(date +%s%N)
ALL_MS=$(( (t1 - t0) / 1000000 ))

say "listen with and without the store ($DURATION each, $ROUNDS rounds, alternating)"
PID=
stop_server() { if [ -n "$PID" ]; then kill -TERM "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; PID=; fi; }
trap stop_server EXIT
listen_run() { # name, extra args...
    local name=$1; shift
    rm -f "$OUT/$name.jsonl" "$OUT/$name.err" "$OUT/$name.db"*
    KIRIMINAJA_STORE="$out_abs/$name.db" "$KJ" listen --addr 127.0.0.1:0 --log "$OUT/$name.jsonl" "$@" \
        >/dev/null 2>"$OUT/$name.err" &
    PID=$!
    local addr=
    for _ in $(seq 100); do
        addr=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$OUT/$name.err" 2>/dev/null | head -1 || true)
        [ -n "$addr" ] && break
        sleep 0.1
    done
    wrk -t2 -c64 -d"$DURATION" --latency -s bench/push-distinct.lua "$addr/hook" > "$OUT/$name.wrk"
    stop_server
    awk '/^Requests\/sec/ { rps = $2 } /^p99_ms/ { p99 = $2 } /^p50_ms/ { p50 = $2 }
         END { printf "%d %s %s\n", rps, p50, p99 }' "$OUT/$name.wrk"
}
: > "$OUT/listen.rows"
for round in $(seq "$ROUNDS"); do
    echo "without $(listen_run without --no-store)" >> "$OUT/listen.rows"
    echo "with $(listen_run with)" >> "$OUT/listen.rows"
    # The store caught up with the log by the time listen stopped.
    fed=$(KIRIMINAJA_STORE="$out_abs/with.db" "$KJ" store stats --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["parcels"])')
    logged=$(wc -l < "$OUT/with.jsonl")
    echo "round $round: $logged events logged, $fed parcels in the store" >&2
done
# The Python receiver with group commit (bench/baseline_group_receiver.py), same load.
for round in $(seq "$ROUNDS"); do
    rm -f "$OUT/python.jsonl" "$OUT/python.out"
    python3 bench/baseline_group_receiver.py 0 "$OUT/python.jsonl" > "$OUT/python.out" 2>&1 &
    PID=$!
    addr=
    for _ in $(seq 100); do
        addr=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$OUT/python.out" 2>/dev/null | head -1 || true)
        [ -n "$addr" ] && break
        sleep 0.1
    done
    wrk -t2 -c64 -d"$DURATION" --latency -s bench/push-distinct.lua "$addr/hook" > "$OUT/python.wrk"
    stop_server
    echo "python $(awk '/^Requests\/sec/ { rps = $2 } /^p99_ms/ { p99 = $2 } /^p50_ms/ { p50 = $2 }
         END { printf "%d %s %s\n", rps, p50, p99 }' "$OUT/python.wrk")" >> "$OUT/listen.rows"
done
cat "$OUT/listen.rows" >&2
row() { grep "^$1 " "$OUT/listen.rows" | awk -v f="$2" '{ print $f }' | median; }
W_RPS=$(row without 2); W_P50=$(row without 3); W_P99=$(row without 4)
S_RPS=$(row with 2); S_P50=$(row with 3); S_P99=$(row with 4)
P_RPS=$(row python 2); P_P50=$(row python 3); P_P99=$(row python 4)

cat <<SECTION
Measured $(date -u +%Y-%m-%d) on $(nproc) cores ($(uname -sr)), load average before: $(cut -d' ' -f1-3 /proc/loadavg).
Store: $PARCELS parcels × 8 history entries, $EVENTS generated pushes ($((BYTES / 1000000)) MB of JSON Lines,
\`bench/gen-store-pushes.py\`), 30% open, about $STUCK of them stuck for 10 days. Times are medians of $ROUNDS runs.

| measure | result | target | |
|---|---|---|---|
| \`store import\` of $EVENTS pushes into an empty store | $IMPORT_RATE events/s ($((IMPORT_MS / 1000)) s; peak RSS $IMPORT_RSS MB) | ≥ 50,000 events/s | $( [ "$IMPORT_RATE" -ge 50000 ] && echo met || echo "not met" ) |
| the same import again (nothing new) | $((REIMPORT_MS / 1000)) s | – | – |
| \`parcels --stuck 3d --json\` ($STUCK matches) | $STUCK_JSON_MS ms | ≤ 100 ms | $( [ "$STUCK_JSON_MS" -le 100 ] && echo met || echo "not met" ) |
| \`parcels --stuck 3d\` (summary and table) | $STUCK_TABLE_MS ms | – | – |
| summary line of all parcels (\`parcels --limit 0\`: "$SUMMARY_LINE") | $SUMMARY_MS ms | ≤ 300 ms | $( [ "$SUMMARY_MS" -le 300 ] && echo met || echo "not met" ) |
| summary line of open parcels (\`parcels --open --limit 0\`) | $OPEN_SUMMARY_MS ms | – | – |
| \`parcels --json\` of every parcel | peak RSS $ALL_RSS MB ($TENTH_RSS MB for a tenth); $((ALL_MS / 1000)) s | ≤ 50 MB, flat | $(awk -v a="$ALL_RSS" 'BEGIN { print (a <= 50 ? "met" : "not met") }') |
| size on disk | $((SIZE / 1000000)) MB, $PER_PARCEL bytes per parcel | – | – |
| \`listen\` without the store (\`--no-store\`) | $W_RPS events/s, p50 $W_P50 ms, p99 $W_P99 ms | – | – |
| \`listen\` feeding the store | $S_RPS events/s, p50 $S_P50 ms, p99 $S_P99 ms | ≥ 90% of the throughput, p99 no worse | $(awk -v a="$S_RPS" -v b="$W_RPS" -v p="$S_P99" -v q="$W_P99" 'BEGIN { print (a >= 0.9 * b && p <= q * 1.1 ? "met" : "not met") }') |
| Python receiver with group commit (\`bench/baseline_group_receiver.py\`) | $P_RPS events/s, p50 $P_P50 ms, p99 $P_P99 ms | – | listen with the store: $(awk -v a="$S_RPS" -v b="$P_RPS" 'BEGIN { printf "%.1f", a / b }') × |
SECTION
