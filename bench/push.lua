-- wrk script for bench/listen.sh: POSTs a complete finished_packages push, as KiriminAja sends
-- it, and counts the answers by status (wrk's own summary does not say how many were 200).
local body = io.open(os.getenv("BENCH_PAYLOAD")):read("a")
wrk.method = "POST"
wrk.body = body
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
wrk.headers["User-Agent"] = "KiriminAja-Push-Services"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("KIRIMINAJA_API_KEY")

local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  ok = 0
  other = 0
end

function response(status, headers, body)
  if status == 200 then ok = ok + 1 else other = other + 1 end
end

function done(summary, latency, requests)
  local total_ok, total_other = 0, 0
  for _, thread in ipairs(threads) do
    total_ok = total_ok + thread:get("ok")
    total_other = total_other + thread:get("other")
  end
  io.write(string.format("answers_200 %d\nanswers_other %d\n", total_ok, total_other))
  io.write(string.format("p50_ms %.2f\np99_ms %.2f\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
  io.write(string.format("errors_connect %d\nerrors_read %d\nerrors_timeout %d\n",
    summary.errors.connect, summary.errors.read, summary.errors.timeout))
end
