#!/usr/bin/env bash
# Writes about SIZE_MB megabytes (default 100) of mixed KiriminAja push events to stdout, one JSON
# object per line: every method of ../shared/api/push-events.md and README.md, short and complete
# forms, WIB and ISO 8601 UTC times, payment status codes as strings and numbers, the legacy instant
# event with a single `data` object. Deterministic: the same size gives the same bytes.
#
#   bash bench/gen-events.sh 100 > target/bench/events.jsonl
set -euo pipefail
size_mb=${1:-100}
exec awk -v target="$((size_mb * 1000000))" '
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
function payment(i, code) {
    code = (i % 4 == 0) ? "\"9\"" : (i % 4 == 1) ? "0" : (i % 4 == 2) ? "\"0\"" : "9"
    return "{\"payment_id\":" q("PID-" (1737442837 + i)) ",\"amount\":" (11000 + (i % 50) * 500) \
        ",\"status_code\":" code ",\"qr_content\":null,\"pay_time\":null}"
}
function package(i, status, service, type) {
    return "{\"awb\":" awb(i) ",\"order_id\":" oid(i) ",\"service\":" q(service) ",\"service_type\":" q(type) \
        ",\"status\":" status ",\"live_tracking_url\":" (type == "instant" ? q("https://gojek.example/t/" i) : "null") \
        ",\"poly_line\":null,\"origin\":" party(i, 0) ",\"destination\":" party(i, 1) \
        ",\"driver\":{\"name\":" (type == "instant" ? q(drivers[i % 4]) : "null") ",\"phone\":null,\"image\":null}}"
}
function complete(method, i, status, service, type, shipped, finished) {
    return "{\"method\":" q(method) ",\"data\":[{\"order_id\":" oid(i) ",\"awb\":" awb(i) ",\"date\":" iso(i) \
        ",\"shipped_at\":" shipped ",\"finished_at\":" finished ",\"returned_at\":null,\"rejected_at\":null,\"reason\":null}]" \
        ",\"payment\":" payment(i) ",\"packages\":[" package(i, status, service, type) "]}"
}
function short(method, i, fields,   n, k, out) {
    n = 1 + i % 3
    out = "{\"method\":" q(method) ",\"data\":["
    for (k = 0; k < n; k++) {
        out = out (k ? "," : "") "{\"order_id\":" oid(i + k) fields "}"
    }
    return out "]}"
}
function event(i, k) {
    k = i % 12
    if (k == 0) return short("processed_packages", i, ",\"awb\":" awb(i) ",\"sorting_code\":\"JOG-JOG1000-JKT2010\"")
    if (k == 1) return complete("processed_packages", i, 105, services[i % 5], "regular", "null", "null")
    if (k == 2) return short("shipped_packages", i, ",\"shipped_at\":" wib(i))
    if (k == 3) return complete("shipped_packages", i, 100, services[i % 5], "regular", iso(i), "null")
    if (k == 4) return short("canceled_packages", i, ",\"date\":" wib(i) ",\"canceled_at\":" wib(i) ",\"reason\":\"3pl rejection\"")
    if (k == 5) return short("finished_packages", i, ",\"finished_at\":" wib(i))
    if (k == 6) return short("returned_packages", i, ",\"returned_at\":" (i % 5 ? wib(i) : "null"))
    if (k == 7) return short("return_finished_packages", i, ",\"date\":" wib(i))
    if (k == 8) return short("validated_packages", i, ",\"shipping_cost\":" (i % 2 ? (9000 + i % 20 * 1000) : q(9000 + i % 20 * 1000)))
    if (k == 9) return short("rejected_packages", i, ",\"rejected_at\":" wib(i) ",\"reason\":\"alamat tidak lengkap\"")
    if (k == 10) return "{\"method\":\"update_instant_packages\",\"data\":{\"order_id\":" oid(i) ",\"awb\":" q("GK-11-" (3186222 + i)) \
        ",\"status\":" q(instant[i % 7]) ",\"date\":" wib(i) ",\"driver\":{\"name\":" q(drivers[i % 4]) ",\"phone\":\"081229917190\"}}}"
    return complete(i % 2 ? "shipped_packages" : "finished_packages", i, instant_codes[i % 3], i % 2 ? "gosend" : "grab_express", "instant", iso(i), i % 2 ? "null" : iso(i + 1))
}
BEGIN {
    split("JP JNE SCP ANT", p, " "); for (k = 0; k < 4; k++) prefix[k] = p[k + 1]
    split("jne jnt sicepat anteraja idexpress", s, " "); for (k = 0; k < 5; k++) services[k] = s[k + 1]
    split("picked_up sent no_driver delivered cancel return returned", s, " "); for (k = 0; k < 7; k++) instant[k] = s[k + 1]
    split("106 300 200", s, " "); for (k = 0; k < 3; k++) instant_codes[k] = s[k + 1]
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
