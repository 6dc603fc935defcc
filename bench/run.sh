#!/usr/bin/env bash
# Benchmarks kiriminaja against what a user would use instead (curl + jq, xargs -P + curl, jq),
# side by side on the repo's fake API server, and writes the figures to BENCHMARKS.md.
# What each step measures and how to read it: bench/README.md.
#
#   bash bench/run.sh              # everything (a few minutes on 2 cores, after the build)
#   BENCH_QUICK=1 bash bench/run.sh  # a fast smoke run; writes target/bench/BENCHMARKS.quick.md
#
# Only loopback traffic: every request goes to a fake server on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."

QUICK=${BENCH_QUICK:-0}
TARGET=${CARGO_TARGET_DIR:-target}
OUT=$TARGET/bench
mkdir -p "$OUT"
if [ "$QUICK" = 1 ]; then
    REPORT=$OUT/BENCHMARKS.quick.md
    EVENTS_MB=10 RUNS_FAST=10 RUNS_BATCH=1 RUNS_EVENTS=1 RUNS_JQ=5 POLLS=5
else
    REPORT=BENCHMARKS.md
    EVENTS_MB=100 RUNS_FAST=50 RUNS_BATCH=3 RUNS_EVENTS=5 RUNS_JQ=10 POLLS=20
fi
IDS_N=1000
LATENCY_MS=50
KEY=dev-key

say() { printf '\n== %s\n' "$*" >&2; }

# --- tools -------------------------------------------------------------------------------------
missing=()
command -v hyperfine >/dev/null || missing+=(hyperfine)
command -v jq >/dev/null || missing+=(jq)
command -v curl >/dev/null || missing+=(curl)
{ [ -x /usr/bin/time ] && /usr/bin/time -f %M true >/dev/null 2>&1; } || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
    echo "bench: missing tools: ${missing[*]}" >&2
    echo "bench: on Debian/Ubuntu: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
fi
command -v cargo >/dev/null || { echo "bench: cargo is needed (https://rustup.rs)" >&2; exit 1; }
TIME=/usr/bin/time

# --- build ---------------------------------------------------------------------------------------
say "building (release)"
cargo build --release --locked --bin kiriminaja --example fake-api >&2
KJ=${BENCH_KIRIMINAJA:-$TARGET/release/kiriminaja}
FAKE=$TARGET/release/examples/fake-api

RUSTC_VERSION=$(rustc --version)

# No config file, key or ~/.curlrc from the developer's own setup.
out_abs=$(cd "$OUT" && pwd)
export XDG_CONFIG_HOME="$out_abs/config" HOME="$out_abs/home"
mkdir -p "$XDG_CONFIG_HOME" "$HOME"
unset KIRIMINAJA_BASE_URL KIRIMINAJA_PROFILE KIRIMINAJA_CONFIG
export KIRIMINAJA_API_KEY=$KEY

has_command() {
    "$KJ" --help | awk '/^Commands:/ { on = 1; next } on && /^[^ ]/ { on = 0 } on { print $1 }' |
        grep -qx "$1"
}

# --- fake servers --------------------------------------------------------------------------------
PIDS=()
cleanup() {
    for pid in ${PIDS[@]+"${PIDS[@]}"}; do
        kill "$pid" 2>/dev/null || true
    done
}
trap cleanup EXIT

# start_server NAME ARGS...: starts a fake server on a free port and sets URL.
start_server() {
    local name=$1
    shift
    "$FAKE" --port 0 --key "$KEY" "$@" >"$OUT/server-$name.out" 2>"$OUT/server-$name.err" &
    PIDS+=($!)
    URL=
    for _ in $(seq 200); do
        # The background shell creates the file: it may not be there yet (seen on a loaded machine).
        URL=$(sed -n 's/^listening on //p' "$OUT/server-$name.out" 2>/dev/null || true)
        [ -n "$URL" ] && break
        sleep 0.05
    done
    [ -n "$URL" ] || { echo "bench: fake server $name did not start" >&2; exit 1; }
    SERVER_CMDS+=("$FAKE --port 0 --key $KEY $*")
}
SERVER_CMDS=()
requests() { curl -s "$1/__fake/stats" | jq .requests; }

# --- helpers -------------------------------------------------------------------------------------
CMDS=()
# hb NAME HYPERFINE-ARGS... -- runs hyperfine, keeps its JSON and Markdown exports.
hb() {
    local name=$1
    shift
    hyperfine --style basic --export-json "$OUT/$name.json" --export-markdown "$OUT/$name.md" "$@" >&2
}
# median NAME INDEX: the median of a hyperfine result, in seconds.
median() { jq -r ".results[$2].median" "$OUT/$1.json"; }
# cpu NAME INDEX: mean CPU time (user + system) of a command, less disturbed than wall time by
# other load on a shared machine.
cpu() { jq -r ".results[$2] | .user + .system" "$OUT/$1.json"; }
calc() { awk "BEGIN { printf \"%.${2:-2}f\", $1 }"; }
yes_if() { if awk "BEGIN { exit !($1) }"; then echo "met"; else echo "**not met**"; fi; }
# peak_kb RUNS COMMAND...: median peak RSS (KB) of RUNS runs, output discarded.
peak_kb() {
    local runs=$1
    shift
    local i
    for i in $(seq "$runs"); do
        "$TIME" -f %M -o "$OUT/peak.tmp" "$@" >/dev/null 2>"$OUT/peak.err" || {
            echo "bench: failed: $* (see $OUT/peak.err)" >&2
            return 1
        }
        cat "$OUT/peak.tmp"
    done | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
mb() { calc "$1 / 1024" 1; }

ROWS=()
row() { ROWS+=("| $1 | $2 | $3 | $4 | $5 | $6 | $7 |"); }

# --- step 1: one track vs curl | jq -------------------------------------------------------------
say "1. one track --json vs curl | jq -c ."
start_server plain
URL1=$URL
ID1=OID-BENCH-1
C1_KJ="$KJ --base-url $URL1 track $ID1 --json"
C1_CURL="curl -s -X POST -H 'Authorization: Bearer $KEY' -H 'Content-Type: application/json' -H 'Accept: application/json' -d '{\"order_id\":\"$ID1\"}' $URL1/api/mitra/tracking | jq -c ."
hb step1 --warmup 5 --runs "$RUNS_FAST" -n "kiriminaja track --json" "$C1_KJ" -n "curl | jq -c ." "$C1_CURL"
CMDS+=("1" "$C1_KJ" "$C1_CURL")
t1=$(median step1 0) t1c=$(median step1 1)
row 1 "one \`track --json\`, no added latency" "$(calc "$t1 * 1000" 1) ms" "$(calc "$t1c * 1000" 1) ms (curl \| jq)" \
    "$(calc "$t1 / $t1c") × the time" "≤ 1.00 ×" "$(yes_if "$t1 <= $t1c")"

# --- step 2: 1,000 ids at 50 ms latency ---------------------------------------------------------
say "2. $IDS_N ids, ${LATENCY_MS} ms latency: track --file vs xargs -P + curl"
start_server latency --latency "${LATENCY_MS}ms"
URL2=$URL
IDS=$OUT/ids.txt
seq -f 'OID-B%05g' 1 "$IDS_N" >"$IDS"
lines=$("$KJ" --base-url "$URL2" track --file "$IDS" --json --concurrency 32 | wc -l)
[ "$lines" = "$IDS_N" ] || { echo "bench: track printed $lines lines for $IDS_N ids" >&2; exit 1; }
for c in 8 32; do
    c_kj="$KJ --base-url $URL2 track --file $IDS --json --concurrency $c"
    c_xargs="xargs -P $c -I{} curl -s -X POST -H 'Authorization: Bearer $KEY' -H 'Content-Type: application/json' -H 'Accept: application/json' -d '{\"order_id\":\"{}\"}' $URL2/api/mitra/tracking < $IDS"
    hb "step2-c$c" --warmup 1 --runs "$RUNS_BATCH" -n "kiriminaja -c $c" "$c_kj" -n "xargs -P $c curl" "$c_xargs"
    CMDS+=("2 (concurrency $c)" "$c_kj" "$c_xargs")
    t=$(median "step2-c$c" 0) tx=$(median "step2-c$c" 1)
    ideal=$(calc "$IDS_N * $LATENCY_MS / 1000 / $c" 4)
    row "2" "$IDS_N ids, ${LATENCY_MS} ms latency, concurrency $c" "$(calc "$t" 2) s" \
        "$(calc "$tx" 2) s (xargs -P $c curl); ideal $(calc "$ideal" 2) s" \
        "$(calc "$t / $ideal") × ideal, $(calc "$t / $tx") × xargs" "≤ 1.10 × ideal, < xargs" \
        "$(yes_if "$t <= 1.10 * $ideal && $t < $tx")"
done

# Not a target: the same batch when 10% of answers are 429/503 that the tool retries (curl does not
# retry, so there is no baseline). Shows how retries hold up a batch.
start_server faults --fault 429 --fault 503 --fault-rate 0.1 --retry-after 0
URL2F=$URL
c_faults="$KJ --base-url $URL2F track --file $IDS --json --concurrency 32"
hb step2-faults --runs 1 -n "kiriminaja -c 32, 10% faults" "$c_faults"
CMDS+=("2 (10% of answers 429 or 503, retried)" "$c_faults")
tf=$(median step2-faults 0)
row "2" "same, no latency, 10% of answers 429/503 (retried)" "$(calc "$tf" 2) s" "–" "–" "(none)" "–"

# --- step 2b: --jq vs --json | jq ----------------------------------------------------------------
# The cost of the built-in filter against piping into jq, on the README's TSV recipe, over the
# same 1,000 ids with no added latency (so the filtering is what differs), and plain --json as the
# floor. Both outputs must be the same bytes.
say "2b. track --file --jq vs track --file --json | jq -r"
JQ_EXPR='[.query, (.status.category // "error"), (.histories[0].text // .error.message)] | @tsv'
C2B_JSON="$KJ --base-url $URL1 track --file $IDS --json --concurrency 32"
C2B_JQ="$KJ --base-url $URL1 track --file $IDS --concurrency 32 --jq '$JQ_EXPR'"
C2B_PIPE="$C2B_JSON | jq -r '$JQ_EXPR'"
sh -c "$C2B_JQ" >"$OUT/step2b-jq.tsv" 2>/dev/null || true
sh -c "$C2B_PIPE" >"$OUT/step2b-pipe.tsv" 2>/dev/null || true
cmp -s "$OUT/step2b-jq.tsv" "$OUT/step2b-pipe.tsv" ||
    { echo "bench: --jq and --json | jq -r differ (see $OUT/step2b-*.tsv)" >&2; exit 1; }
hb step2b --warmup 2 --runs "$RUNS_JQ" -i -n "kiriminaja --jq" "$C2B_JQ" \
    -n "kiriminaja --json | jq -r" "$C2B_PIPE" -n "kiriminaja --json" "$C2B_JSON"
CMDS+=("2b (--jq against jq; -i: the batch exits 3 when an id is not found)" "$C2B_JQ" "$C2B_PIPE" "$C2B_JSON")
t2j=$(median step2b 0) t2p=$(median step2b 1) t2n=$(median step2b 2)
row "2b" "$IDS_N ids, no latency: \`track --file --jq\` (TSV recipe)" \
    "$(calc "$t2j * 1000" 0) ms (\`--json\` alone: $(calc "$t2n * 1000" 0) ms)" \
    "$(calc "$t2p * 1000" 0) ms (\`--json \| jq -r\`)" "$(calc "$t2j / $t2p") × the time" "≤ 1.00 ×" \
    "$(yes_if "$t2j <= $t2p")"

# --- step 3: decode-event vs jq -c . -------------------------------------------------------------
# Three mixes (bench/gen-events.sh): short events only, complete events only, and a realistic mix.
# Each is measured in one hyperfine run: decode-event --json, decode-event (human), jq -c .
say "3. decode-event vs jq -c . on ~${EVENTS_MB} MB of events, three mixes"
for mix in short complete mixed; do
    EVENTS=$OUT/events-$mix-${EVENTS_MB}mb.jsonl
    [ -s "$EVENTS" ] || bash bench/gen-events.sh "$EVENTS_MB" "$mix" >"$EVENTS"
    size=$(stat -c %s "$EVENTS")
    size_mb=$(calc "$size / 1000000" 1)
    C3_JQ="jq -c . $EVENTS"
    C3_KJ="$KJ decode-event $EVENTS --json"
    C3_KH="$KJ decode-event $EVENTS"
    if has_command decode-event; then
        hb "step3-$mix" --warmup 1 --runs "$RUNS_EVENTS" -n "kiriminaja decode-event --json" "$C3_KJ" \
            -n "kiriminaja decode-event (human)" "$C3_KH" -n "jq -c ." "$C3_JQ"
        CMDS+=("3 ($mix mix: bash bench/gen-events.sh $EVENTS_MB $mix > $EVENTS)" "$C3_KJ" "$C3_KH" "$C3_JQ")
        t3=$(median "step3-$mix" 0) t3h=$(median "step3-$mix" 1) t3j=$(median "step3-$mix" 2)
        c3=$(cpu "step3-$mix" 0) c3h=$(cpu "step3-$mix" 1) c3j=$(cpu "step3-$mix" 2)
        m3=$(peak_kb 1 $C3_KJ) m3h=$(peak_kb 1 $C3_KH) m3j=$(peak_kb 1 $C3_JQ)
        row 3 "\`decode-event --json\`, $mix mix, ${size_mb} MB JSON Lines" "$(calc "$size / 1000000 / $t3" 0) MB/s, peak $(mb "$m3") MB" \
            "$(calc "$size / 1000000 / $t3j" 0) MB/s, peak $(mb "$m3j") MB (jq -c .)" \
            "$(calc "$t3j / $t3") × the throughput (CPU time: $(calc "$c3j / $c3") ×)" "≥ 5 ×, ≤ 20 MB" "$(yes_if "$t3j / $t3 >= 5 && $m3 <= 20 * 1024")"
        row 3 "\`decode-event\` (human), $mix mix" "$(calc "$size / 1000000 / $t3h" 0) MB/s, peak $(mb "$m3h") MB" \
            "(same jq run)" "$(calc "$t3j / $t3h") × the throughput (CPU time: $(calc "$c3j / $c3h") ×)" "≥ 3 ×, ≤ 20 MB" "$(yes_if "$t3j / $t3h >= 3 && $m3h <= 20 * 1024")"
    else
        echo "skipped: command not available (decode-event); measuring jq alone" >&2
        hb "step3-$mix" --warmup 1 --runs "$RUNS_EVENTS" -n "jq -c ." "$C3_JQ"
        CMDS+=("3 ($mix mix: bash bench/gen-events.sh $EVENTS_MB $mix > $EVENTS; decode-event skipped)" "$C3_JQ")
        t3j=$(median "step3-$mix" 0)
        m3j=$(peak_kb 1 $C3_JQ)
        row 3 "\`decode-event --json\`, $mix mix, ${size_mb} MB JSON Lines" "skipped: command not available" \
            "$(calc "$size / 1000000 / $t3j" 0) MB/s, peak $(mb "$m3j") MB (jq -c .)" "–" \
            "≥ 5 × ($(calc "5 * $size / 1000000 / $t3j" 0) MB/s), ≤ 20 MB" "skipped"
    fi
done
# Flat memory: the same command on a file a tenth the size peaks at about the same.
if has_command decode-event; then
    SMALL=$OUT/events-mixed-small.jsonl
    head -c "$((EVENTS_MB * 100000))" "$OUT/events-mixed-${EVENTS_MB}mb.jsonl" | sed '$d' >"$SMALL"
    m_small=$(peak_kb 1 "$KJ" decode-event "$SMALL" --json)
    m_big=$(peak_kb 1 "$KJ" decode-event "$OUT/events-mixed-${EVENTS_MB}mb.jsonl" --json)
    CMDS+=("3 (flat memory: the mixed file, and its first tenth)" "$KJ decode-event $SMALL --json")
    row 3 "peak RSS, \`decode-event --json\`, mixed, a tenth of the input and all of it" "$(mb "$m_small") MB and $(mb "$m_big") MB" "–" \
        "+$(calc "($m_big - $m_small) / 1024" 1) MB" "flat" "$(yes_if "$m_big <= 1.10 * $m_small + 1024")"
fi

# --- step 3b: unknown keys in linear time ---------------------------------------------------------
# One push whose order holds N keys we do not know (kept in `extra`, with their order): ten times
# the keys must cost about ten times the time, not a hundred (as it did before a fix). Speed is
# shown here, not by a timed assertion in the tests.
if has_command decode-event; then
    for n in 8000 80000; do
        f=$OUT/unknown-$n.json
        [ -s "$f" ] || awk -v n="$n" 'BEGIN {
            printf "{\"method\":\"finished_packages\",\"data\":[{"
            for (i = 0; i < n; i++) printf "\"k%d\":%d,", i, i
            printf "\"order_id\":\"BIG\",\"finished_at\":\"2025-01-11 16:00:00\"}]}\n" }' >"$f"
    done
    C3B_S="$KJ decode-event $OUT/unknown-8000.json --json"
    C3B_L="$KJ decode-event $OUT/unknown-80000.json --json"
    hb step3b --warmup 1 --runs 10 -n "8,000 unknown keys" "$C3B_S" -n "80,000 unknown keys" "$C3B_L"
    CMDS+=("3b (one push with N unknown keys, written by the awk in bench/run.sh)" "$C3B_S" "$C3B_L")
    t3s=$(median step3b 0) t3l=$(median step3b 1)
    row 3b "\`decode-event --json\`, one push with 8,000 and with 80,000 unknown keys" \
        "$(calc "$t3s * 1000" 1) ms and $(calc "$t3l * 1000" 1) ms" "–" \
        "$(calc "$t3l / $t3s" 1) × the time for 10 × the keys" "≤ 15 × (linear)" "$(yes_if "$t3l / $t3s <= 15")"
fi

# --- step 4: peak memory ---------------------------------------------------------------------------
say "4. peak memory"
m_one=$(peak_kb 5 $C1_KJ)
CMDS+=("4 (peak RSS: $TIME -f %M COMMAND)" "$C1_KJ")
row 4 "peak RSS, one \`track\`" "$(mb "$m_one") MB" "–" "–" "< 15 MB" "$(yes_if "$m_one < 15 * 1024")"
c_batch="$KJ --base-url $URL2 track --file $IDS --json --concurrency 32"
m_batch=$(peak_kb "$RUNS_BATCH" $c_batch)
CMDS+=("$c_batch")
row 4 "peak RSS, $IDS_N-id batch (concurrency 32)" "$(mb "$m_batch") MB" "–" "–" "(none)" "–"

if has_command watch; then
    start_server watch --finish-after "$POLLS"
    URL4=$URL
    C4_WATCH="$KJ --base-url $URL4 watch --file $IDS --interval 1s --json --timeout 10m"
    CMDS+=("4 (watch; server delivers every id at its ${POLLS}th answer)" "$C4_WATCH")
    # Sample the watcher's RSS twice a second, with the polls done so far (requests / ids).
    $TIME -f %M -o "$OUT/watch.peak" $C4_WATCH >"$OUT/watch.jsonl" 2>"$OUT/watch.err" &
    tpid=$!
    wpid=
    for _ in $(seq 100); do
        wpid=$(cat "/proc/$tpid/task/$tpid/children" 2>/dev/null | awk '{ print $1 }')
        [ -n "$wpid" ] && break
        sleep 0.02
    done
    : >"$OUT/watch.samples"
    deadline=$((SECONDS + POLLS * 5 + 60))
    while kill -0 "$tpid" 2>/dev/null; do
        rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$wpid/status" 2>/dev/null || true)
        [ -n "$rss" ] && echo "$(requests "$URL4") $rss" >>"$OUT/watch.samples"
        if [ "$SECONDS" -gt "$deadline" ]; then
            echo "bench: watch still running after $((POLLS * 5 + 60)) s, stopping it" >&2
            kill "$wpid" 2>/dev/null || true
        fi
        sleep 0.5
    done
    watch_status=0
    wait "$tpid" || watch_status=$?
    m_watch=$(tail -1 "$OUT/watch.peak")
    polls=$(calc "$(requests "$URL4") / $IDS_N" 1)
    # RSS once two polls are done, and the highest after that.
    read -r rss_early rss_late < <(awk -v n="$IDS_N" '$1 >= 2 * n { if (!e) e = $2; if ($2 > m) m = $2 } END { print e + 0, m + 0 }' "$OUT/watch.samples")
    growth=$(calc "($rss_late - $rss_early) / 1024" 1)
    row 4 "peak RSS, \`watch\` of $IDS_N ids, $polls polls at 1 s (exit $watch_status)" "$(mb "$m_watch") MB; $(mb "$rss_early") MB after poll 2, at most $(mb "$rss_late") MB after" \
        "–" "+$growth MB from poll 2 on" "< 60 MB and flat" \
        "$(yes_if "$m_watch < 60 * 1024 && $rss_late <= 1.10 * $rss_early && $watch_status == 0")"
else
    echo "skipped: command not available (watch)" >&2
    row 4 "peak RSS, \`watch\` of $IDS_N ids, $POLLS polls at 1 s" "skipped: command not available" "–" "–" "< 60 MB and flat" "skipped"
fi

# --- step 5: start-up and size -----------------------------------------------------------------------
say "5. start-up and binary size"
hb step5 -N --warmup 20 --runs $((RUNS_FAST * 4)) -n "kiriminaja --version" "$KJ --version" -n "curl --version" "curl --version"
CMDS+=("5 (hyperfine -N, no shell)" "$KJ --version" "curl --version")
t5=$(median step5 0) t5c=$(median step5 1)
row 5 "start-up: \`--version\`" "$(calc "$t5 * 1000" 2) ms" "$(calc "$t5c * 1000" 2) ms (curl --version)" \
    "$(calc "$t5 / $t5c") × the time" "≤ 1.00 ×" "$(yes_if "$t5 <= $t5c")"
bin=$(stat -c %s "$KJ")
row 5 "release binary size (stripped, LTO)" "$(calc "$bin / 1048576" 1) MiB" "–" "–" "< 10 MB" "$(yes_if "$bin < 10 * 1000 * 1000")"

# --- report ----------------------------------------------------------------------------------------
table() {
    echo "| step | measure | kiriminaja | alternative | ratio | target | |"
    echo "|---|---|---|---|---|---|---|"
    printf '%s\n' "${ROWS[@]}"
}
machine() {
    local cpu mem os
    cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
    mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
    os=$(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME")
    echo "- CPU: ${cpu:-unknown}, $(nproc) cores available; memory $mem"
    echo "- OS: ${os:-unknown}, Linux $(uname -r); load average before the run: $LOAD"
    echo "- $("$KJ" --version) (release profile: LTO, 1 codegen unit, stripped), $RUSTC_VERSION"
    echo "- $(hyperfine --version), $(jq --version), $(curl --version | head -1 | cut -d' ' -f1-2), GNU time $(dpkg-query -W -f '${Version}' time 2>/dev/null || echo '(version unknown)'), $(bash --version | head -1 | cut -d' ' -f1-4)"
}
commands() {
    echo "Fake servers (each prints the port it picked):"
    echo
    echo '```sh'
    printf '%s\n' "${SERVER_CMDS[@]}"
    echo '```'
    echo
    echo "Measured with \`KIRIMINAJA_API_KEY=$KEY\` in the environment; hyperfine runs each command"
    echo "through \`sh -c\` (its shell start-up subtracted) unless marked -N."
    local item open=0
    for item in "${CMDS[@]}"; do
        case $item in
            [0-9]*)
                [ "$open" = 1 ] && echo '```'
                printf '\n- step %s:\n\n```sh\n' "$item"
                open=1
                ;;
            *) printf '%s\n' "$item" ;;
        esac
    done
    [ "$open" = 1 ] && echo '```'
    return 0
}
LOAD=${LOAD:-$(cut -d' ' -f1-3 /proc/loadavg)}

echo
table
generated=$(
    echo "Generated by \`bash bench/run.sh\` on $(date -u +%Y-%m-%d) (\`git describe\`: $(git describe --always --dirty 2>/dev/null || echo unknown)). Medians; ratios are kiriminaja ÷ alternative."
    echo
    echo "### Machine"
    echo
    machine
    echo
    echo "### Results"
    echo
    table
    echo
    echo "### Exact commands"
    echo
    commands
)
begin='<!-- bench:begin (generated by bench/run.sh; edit outside these markers) -->'
end='<!-- bench:end -->'
if [ -f "$REPORT" ] && grep -qF "$begin" "$REPORT"; then
    # Replace what is between the markers; keep the hand-written text around them.
    printf '%s\n' "$generated" >"$OUT/generated.md"
    awk -v begin="$begin" -v end="$end" -v body="$OUT/generated.md" '
        $0 == begin { print; while ((getline line < body) > 0) print line; skip = 1; next }
        $0 == end { skip = 0 }
        !skip { print }' "$REPORT" >"$REPORT.tmp"
    mv "$REPORT.tmp" "$REPORT"
else
    {
        echo "# Benchmarks"
        echo
        echo "How to run and what each step means: [bench/README.md](bench/README.md)."
        echo
        echo "$begin"
        printf '%s\n' "$generated"
        echo "$end"
    } >"$REPORT"
fi
echo
echo "written to $REPORT (raw exports in $OUT/)" >&2
