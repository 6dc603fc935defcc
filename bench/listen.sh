#!/usr/bin/env bash
# Benchmarks `kiriminaja listen` beside the receiver a user would write themselves
# (bench/baseline_receiver.py: Python http.server, append + fsync per event), with 64 concurrent
# senders on loopback and durable acknowledgement on, then the RSS of `listen` over a long run.
# Writes the figures into BENCHMARKS.md between <!-- listen:begin --> and <!-- listen:end -->.
#
#   bash bench/listen.sh                          # 20 s per receiver, RSS over 1,000,000 events
#   BENCH_DURATION=5s BENCH_EVENTS=100000 bash bench/listen.sh   # shorter
#
# Needs wrk (Debian/Ubuntu: sudo apt-get install -y wrk) and python3. Only loopback traffic.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${BENCH_DURATION:-20s}
EVENTS=${BENCH_EVENTS:-1000000}
CONNECTIONS=64
TARGET=${CARGO_TARGET_DIR:-target}
OUT=$TARGET/bench/listen
REPORT=${BENCH_REPORT:-BENCHMARKS.md}
PAYLOAD=examples/events/finished_packages.complete.json

for tool in wrk python3; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is missing (sudo apt-get install -y $tool)" >&2; exit 1; }
done
say() { printf '\n== %s\n' "$*" >&2; }

say "building (release)"
cargo build --release --locked --bin kiriminaja >&2
KJ=${BENCH_KIRIMINAJA:-$TARGET/release/kiriminaja}

RUSTC_VERSION=$(rustc --version | cut -d' ' -f1-2)
rm -rf "$OUT"
mkdir -p "$OUT/home"
out_abs=$(cd "$OUT" && pwd)
export HOME="$out_abs/home" XDG_CONFIG_HOME="$out_abs/home/.config"
unset KIRIMINAJA_BASE_URL KIRIMINAJA_PROFILE KIRIMINAJA_CONFIG
export KIRIMINAJA_API_KEY=bench-key-0123456789 BENCH_PAYLOAD=$PAYLOAD

LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
PID=
stop_server() { if [ -n "$PID" ]; then kill -TERM "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; PID=; fi; }
trap stop_server EXIT

# Starts a receiver whose first line (on the given stream file) names its address.
start() { # name, file with its startup line, command...
    local name=$1 first=$2; shift 2
    "$@" &
    PID=$!
    for _ in $(seq 100); do
        ADDR=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$first" 2>/dev/null | head -1 || true)
        [ -n "$ADDR" ] && return
        sleep 0.1
    done
    echo "bench: $name did not start" >&2; exit 1
}

# One wrk run against $ADDR; prints "events/s p50 p99 answers_200 other".
load() { # duration, output file
    wrk -t2 -c$CONNECTIONS -d"$1" --latency -s bench/push.lua "$ADDR/webhooks/kiriminaja" > "$2"
    awk '/^Requests\/sec/ { rps = $2 } /^answers_200/ { ok = $2 } /^answers_other/ { other = $2 }
         /^p50_ms/ { p50 = $2 } /^p99_ms/ { p99 = $2 }
         END { printf "%d %s %s %d %d\n", rps, p50, p99, ok, other }' "$2"
}

rss_mb() { awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

rows=()
measure() { # name, log file, startup-line file, command...
    local name=$1 log=$2 first=$3; shift 3
    say "$name: wrk -t2 -c$CONNECTIONS -d$DURATION"
    start "$name" "$first" "$@"
    read -r rps p50 p99 ok other < <(load "$DURATION" "$OUT/$name.wrk.txt")
    local rss; rss=$(rss_mb "$PID")
    stop_server
    local lines; lines=$(wc -l < "$log")
    local lost=$(( ok > lines ? ok - lines : 0 ))
    rows+=("| $name | $rps | $p50 | $p99 | $ok | $other | $lines | $lost | $rss |")
    echo "$name: $rps events/s, p50 $p50 ms, p99 $p99 ms, $ok answered 200, $lines logged" >&2
    RPS_LAST=$rps
}

measure "kiriminaja listen" "$OUT/listen.jsonl" "$OUT/listen.err" \
    sh -c "exec '$KJ' listen --addr 127.0.0.1:0 --log '$OUT/listen.jsonl' >/dev/null 2>'$OUT/listen.err'"
RPS_LISTEN=$RPS_LAST
measure "python http.server + fsync" "$OUT/baseline.jsonl" "$OUT/baseline.out" \
    sh -c "exec python3 bench/baseline_receiver.py 0 '$OUT/baseline.jsonl' >'$OUT/baseline.out' 2>&1"
RPS_BASE=$RPS_LAST

# RSS while the log grows to $EVENTS events, sampled after each 10 s of load.
say "RSS of listen over $EVENTS events"
start "listen" "$OUT/long.err" \
    sh -c "exec '$KJ' listen --addr 127.0.0.1:0 --log '$OUT/long.jsonl' >/dev/null 2>'$OUT/long.err'"
rss_rows=("| 0 | $(rss_mb "$PID") |")
logged=0
while [ "$logged" -lt "$EVENTS" ]; do
    load 10s "$OUT/long.wrk.txt" >/dev/null
    logged=$(wc -l < "$OUT/long.jsonl")
    rss_rows+=("| $logged | $(rss_mb "$PID") |")
    echo "  $logged events logged, RSS $(rss_mb "$PID") MB" >&2
done
stop_server

ratio=$(awk -v a="$RPS_LISTEN" -v b="$RPS_BASE" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "∞" }')
{
    echo "<!-- listen:begin -->"
    echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores ($(uname -sr)), $RUSTC_VERSION, load average before the run: $LOAD."
    echo "Load: \`wrk -t2 -c$CONNECTIONS -d$DURATION --latency -s bench/push.lua URL\` (a $(wc -c < "$PAYLOAD")-byte"
    echo "complete \`finished_packages\` push); each receiver appends and fsyncs every event before its 200."
    echo
    echo "| receiver | events/s | p50 ms | p99 ms | 200 answers | other answers | log lines | lost | RSS MB at end |"
    echo "|---|---|---|---|---|---|---|---|---|"
    printf '%s\n' "${rows[@]}"
    echo
    echo "\`listen\` handles ${ratio}× the baseline's events per second. \"lost\" counts 200 answers"
    echo "without a log line (log lines may exceed 200 answers: wrk stops without reading the last answers)."
    echo
    echo "RSS of \`listen\` while its log grows (sampled after each 10 s of the same load):"
    echo
    echo "| events logged | RSS MB |"
    echo "|---|---|"
    printf '%s\n' "${rss_rows[@]}"
    echo "<!-- listen:end -->"
} > "$OUT/section.md"

if grep -q '<!-- listen:begin -->' "$REPORT"; then
    awk -v section="$OUT/section.md" '
        /<!-- listen:begin -->/ { while ((getline line < section) > 0) print line; skip = 1; next }
        /<!-- listen:end -->/ { skip = 0; next }
        !skip' "$REPORT" > "$OUT/report.md"
    mv "$OUT/report.md" "$REPORT"
else
    { echo; echo "## \`listen\`: receiving pushes"; echo; cat "$OUT/section.md"; } >> "$REPORT"
fi
say "written to $REPORT"
cat "$OUT/section.md"
