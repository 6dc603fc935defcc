#!/usr/bin/env bash
# Writes about SIZE_MB megabytes (default 100) of KiriminAja push events to stdout, one JSON object
# per line, in one of three mixes (default `mixed`):
#
# - `short`: short events only (only `data`), every express method in turn, as most accounts get
#   them;
# - `complete`: complete events only (`data`, `payment`, `packages`), every express method, one in
#   four an instant delivery;
# - `mixed`: a realistic mix: every method in both forms, instant variants (express names with
#   `service_type` instant, and the legacy `update_instant_packages` object with its driver,
#   service, prices and times), drifted types (numbers as strings and strings as numbers, `""` and
#   `null` for missing, keys the docs do not list).
#
# Times are WIB in short events and ISO 8601 UTC in complete ones, as the provider sends them.
# Deterministic: the same size and mix give the same bytes.
#
#   bash bench/gen-events.sh 100 short > target/bench/events-short-100mb.jsonl
set -euo pipefail
size_mb=${1:-100}
mix=${2:-mixed}
case $mix in
    short | complete | mixed) ;;
    *)
        echo "usage: gen-events.sh [SIZE_MB] [short|complete|mixed]" >&2
        exit 2
        ;;
esac
exec awk -v target="$((size_mb * 1000000))" -v mix="$mix" '
function q(s) { return "\"" s "\"" }
function wib(i) {
    return sprintf("\"2025-%02d-%02d %02d:%02d:%02d\"", 1 + int(i / 1000) % 12, 1 + i % 28, i % 24, (i * 7) % 60, (i * 13) % 60)
}
function iso(i) {
    return sprintf("\"2025-%02d-%02dT%02d:%02d:%02d.%06dZ\"", 1 + int(i / 1000) % 12, 1 + i % 28, i % 24, (i * 7) % 60, (i * 13) % 60, (i * 37) % 1000000)
}
function oid(i) { return sprintf("\"OID-%010d\"", (i * 7919) % 10000000000) }
function awb(i) { return sprintf("\"%s%012d\"", prefix[i % 4], (i * 104729) % 1000000000000) }
function party(i, who) {
    return "{\"name\":" q(names[(i + who) % 6]) ",\"address\":" q(streets[(i + who) % 5] " No." (1 + (i * 3 + who) % 120) ", " cities[(i + who) % 5]) \
        ",\"phone\":" q(sprintf("0812%08d", (i * 7 + who) % 100000000)) \
        ",\"latitude\":" (who ? "null" : sprintf("%.7f", -7.8 + (i % 1000) / 10000)) \
        ",\"longitude\":" (who ? "null" : sprintf("%.6f", 110.35 + (i % 997) / 10000)) "}"
}
function payment(i, drift,   code, amount) {
    code = (i % 4 == 0) ? "\"9\"" : (i % 4 == 1) ? "0" : (i % 4 == 2) ? "\"0\"" : "9"
    amount = 11000 + (i % 50) * 500
    return "{\"payment_id\":" q("PID-" (1737442837 + i)) ",\"amount\":" (drift ? q(amount) : amount) \
        ",\"status_code\":" code ",\"qr_content\":null,\"pay_time\":" (code ~ /0/ ? iso(i) : "null") \
        (drift ? ",\"payment_method\":\"qris\",\"admin_fee\":\"1500\"" : "") "}"
}
function package(i, status, service, type, drift) {
    return "{\"awb\":" awb(i) ",\"order_id\":" oid(i) ",\"service\":" q(service) ",\"service_type\":" q(type) \
        ",\"status\":" (drift ? q(status) : status) (drift ? ",\"insurance\":0,\"cod\":{\"amount\":\"25000\",\"fee\":1000}" : "") ",\"live_tracking_url\":" (type == "instant" ? q("https://gojek.example/t/" i) : "null") \
        ",\"poly_line\":null,\"origin\":" party(i, 0) ",\"destination\":" party(i, 1) \
        ",\"driver\":{\"name\":" (type == "instant" ? q(drivers[i % 4]) : "null") ",\"phone\":null,\"image\":null}}"
}
function complete(method, i, status, service, type, shipped, finished, drift) {
    return "{\"method\":" q(method) ",\"data\":[{\"order_id\":" (drift ? (i * 7919) % 10000000000 : oid(i)) ",\"awb\":" awb(i) \
        ",\"date\":" iso(i) ",\"shipped_at\":" shipped ",\"finished_at\":" finished \
        ",\"returned_at\":" (drift ? "\"\"" : "null") ",\"rejected_at\":null,\"reason\":null" \
        (drift ? ",\"weight\":\"1000\",\"cod_amount\":25000" : "") "}]" \
        ",\"payment\":" payment(i, drift) ",\"packages\":[" package(i, status, service, type, drift) "]}"
}
# The complete form of an express method: its own time set, its package status code.
function complete_of(m, i, drift,   instant) {
    instant = (i % 4 == 3)
    if (instant)
        return complete(m, i, instant_codes[i % 3], i % 2 ? "gosend" : "grab_express", "instant", iso(i), m == "finished_packages" ? iso(i + 1) : "null", drift)
    return complete(m, i, codes[m], services[i % 5], "regular", m == "processed_packages" || m == "validated_packages" ? "null" : iso(i), m == "finished_packages" ? iso(i + 1) : "null", drift)
}
# The short form of an express method, as in the provider docs.
function short_of(m, i) {
    if (m == "processed_packages") return short(m, i, ",\"awb\":" awb(i) ",\"sorting_code\":\"JOG-JOG1000-JKT2010\"")
    if (m == "shipped_packages") return short(m, i, ",\"shipped_at\":" wib(i))
    if (m == "canceled_packages") return short(m, i, ",\"date\":" wib(i) ",\"canceled_at\":" wib(i) ",\"reason\":\"3pl rejection\"")
    if (m == "finished_packages") return short(m, i, ",\"finished_at\":" wib(i))
    if (m == "returned_packages") return short(m, i, ",\"returned_at\":" (i % 5 ? wib(i) : "null"))
    if (m == "return_finished_packages") return short(m, i, ",\"date\":" wib(i))
    if (m == "validated_packages") return short(m, i, ",\"shipping_cost\":" (i % 2 ? (9000 + i % 20 * 1000) : q(9000 + i % 20 * 1000)))
    return short(m, i, ",\"rejected_at\":" wib(i) ",\"reason\":\"alamat tidak lengkap\"")
}
# The legacy instant event: one `data` object, with what the provider never documented.
function legacy(i, full) {
    return "{\"method\":\"update_instant_packages\",\"data\":{\"order_id\":" oid(i) ",\"awb\":" q("GK-11-" (3186222 + i)) \
        ",\"status\":" q(instant[i % 7]) (full ? ",\"service\":\"gosend\",\"service_type\":\"instant\",\"shipping_cost\":" (15000 + i % 30 * 500) \
        ",\"price\":\"" (30500 + i % 9 * 1000) "\",\"updated_at\":" iso(i) : ",\"date\":" wib(i)) \
        ",\"driver\":{\"name\":" q(drivers[i % 4]) ",\"phone\":\"081229917190\"}}}"
}
function short(method, i, fields,   n, k, out) {
    n = 1 + i % 3
    out = "{\"method\":" q(method) ",\"data\":["
    for (k = 0; k < n; k++) {
        out = out (k ? "," : "") "{\"order_id\":" oid(i + k) fields "}"
    }
    return out "]}"
}
function event(i,   k) {
    if (mix == "short") return short_of(express[i % 8], int(i / 8) + i)
    if (mix == "complete") return complete_of(express[i % 8], int(i / 8) + i, 0)
    # mixed: 8 short, 8 complete (every 4th drifted), the legacy object in two shapes, and the
    # instant variants of the express names.
    k = i % 20
    if (k < 8) return short_of(express[k], i)
    if (k < 16) return complete_of(express[k - 8], i, i % 4 == 1)
    if (k == 16) return legacy(i, 0)
    if (k == 17) return legacy(i, 1)
    return complete(k == 18 ? "shipped_packages" : "finished_packages", i, instant_codes[i % 3], k == 18 ? "gosend" : "grab_express", "instant", iso(i), k == 18 ? "null" : iso(i + 1), 0)
}
BEGIN {
    split("JP JNE SCP ANT", p, " "); for (k = 0; k < 4; k++) prefix[k] = p[k + 1]
    split("jne jnt sicepat anteraja idexpress", s, " "); for (k = 0; k < 5; k++) services[k] = s[k + 1]
    split("picked_up sent no_driver delivered cancel return returned", s, " "); for (k = 0; k < 7; k++) instant[k] = s[k + 1]
    split("106 300 200", s, " "); for (k = 0; k < 3; k++) instant_codes[k] = s[k + 1]
    split("processed_packages shipped_packages canceled_packages finished_packages returned_packages return_finished_packages validated_packages rejected_packages", s, " ")
    for (k = 0; k < 8; k++) express[k] = s[k + 1]
    split("101 100 300 200 402 402 101 301", s, " "); for (k = 0; k < 8; k++) codes[express[k]] = s[k + 1]
    split("Okka|Zainal Arifin|Toko Sinar Jaya|Siti Rahmawati|Batik Larasati|Budi Santoso", s, "|"); for (k = 0; k < 6; k++) names[k] = s[k + 1]
    split("Jl. Kaliurang|Jl. Malioboro|Jl. Sudirman|Jl. Diponegoro|Jl. Gajah Mada", s, "|"); for (k = 0; k < 5; k++) streets[k] = s[k + 1]
    split("Kota Yogyakarta|Kabupaten Sleman|Kota Surabaya|Kota Bandung|Kota Malang", s, "|"); for (k = 0; k < 5; k++) cities[k] = s[k + 1]
    split("Agus Joko Wahyu Dedi", s, " "); for (k = 0; k < 4; k++) drivers[k] = s[k + 1]
    bytes = 0
    for (i = 0; bytes < target; i++) {
        line = event(i)
        print line
        bytes += length(line) + 1
    }
}'
