#!/usr/bin/env bash
# `watch` of BENCH_WATCHED parcels (default 100) for BENCH_SECONDS (default 600) while `listen`
# feeds the store a push for every parcel every BENCH_PUSH_EVERY seconds (default 30), against
# the same watch with no pushes: the tracking requests each made (the fake server counts them).
#
#   bash bench/watch-pushes.sh
#   BENCH_SECONDS=120 BENCH_INTERVAL=20s BENCH_PUSH_EVERY=10 bash bench/watch-pushes.sh
#
# Only loopback traffic. Prints two Markdown table rows.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${BENCH_WATCHED:-100}
SECONDS_RUN=${BENCH_SECONDS:-600}
INTERVAL=${BENCH_INTERVAL:-1m}
PUSH_EVERY=${BENCH_PUSH_EVERY:-30}
TARGET=${CARGO_TARGET_DIR:-target}
KJ=${BENCH_KIRIMINAJA:-$TARGET/release/kiriminaja}
FAKE=${BENCH_FAKE_API:-$TARGET/debug/examples/fake-api}
OUT=$TARGET/bench/watch-pushes
rm -rf "$OUT"; mkdir -p "$OUT/home"
out_abs=$(cd "$OUT" && pwd)
export HOME="$out_abs/home" KIRIMINAJA_API_KEY=bench-key-0123456789
unset KIRIMINAJA_BASE_URL KIRIMINAJA_PROFILE KIRIMINAJA_CONFIG

PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

"$FAKE" --port 0 --key "$KIRIMINAJA_API_KEY" > "$OUT/fake.out" 2>/dev/null &
PIDS+=($!)
for _ in $(seq 100); do URL=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$OUT/fake.out" | head -1 || true); [ -n "$URL" ] && break; sleep 0.1; done
seq -f "OID-W%04g" 1 "$N" > "$OUT/ids.txt"
requests() { curl -s "$URL/__fake/stats" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d.get("requests", d.get("total", 0)))'; }

run_watch() { # name, store
    local before after
    before=$(requests)
    KIRIMINAJA_STORE="$2" KIRIMINAJA_BASE_URL=$URL timeout $((SECONDS_RUN + 30)) \
        "$KJ" watch --file "$OUT/ids.txt" --interval "$INTERVAL" --timeout "${SECONDS_RUN}s" --json \
        > "$OUT/$1.jsonl" 2> "$OUT/$1.err" || true
    after=$(requests)
    echo $(( after - before ))
}

# With pushes: listen feeds the store; a pusher sends one shipped_packages per parcel every
# PUSH_EVERY seconds.
KIRIMINAJA_STORE="$out_abs/pushed.db" "$KJ" listen --addr 127.0.0.1:0 --log "$OUT/events.jsonl" \
    >/dev/null 2>"$OUT/listen.err" &
PIDS+=($!)
for _ in $(seq 100); do ADDR=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$OUT/listen.err" | head -1 || true); [ -n "$ADDR" ] && break; sleep 0.1; done
(
    end=$(( $(date +%s) + SECONDS_RUN ))
    sleep 5
    while [ "$(date +%s)" -lt "$end" ]; do
        at=$(TZ=Asia/Jakarta date '+%Y-%m-%d %H:%M:%S')
        while read -r id; do
            curl -s -o /dev/null -H "Authorization: Bearer $KIRIMINAJA_API_KEY" \
                -H 'Content-Type: application/json' \
                --data "{\"method\":\"shipped_packages\",\"data\":[{\"order_id\":\"$id\",\"shipped_at\":\"$at\"}]}" \
                "$ADDR/hook"
        done < "$OUT/ids.txt"
        sleep "$PUSH_EVERY"
    done
) &
PIDS+=($!)
WITH=$(run_watch pushed "$out_abs/pushed.db")
WITHOUT=$(run_watch unpushed "$out_abs/unpushed.db")
PUSHED_LINES=$(grep -c '"type":"event"' "$OUT/pushed.jsonl" || true)
echo "| \`watch\` of $N parcels for ${SECONDS_RUN} s (--interval $INTERVAL), a push per parcel every ${PUSH_EVERY} s | $WITH requests ($PUSHED_LINES event lines) |"
echo "| the same watch, no pushes | $WITHOUT requests |"
