-- wrk script for bench/store.sh: POSTs shipped_packages pushes, each about another order, so a
-- store fed by `listen` does real work per event; counts the answers by status.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["User-Agent"] = "KiriminAja-Push-Services"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("KIRIMINAJA_API_KEY")

local threads = {}
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  ok = 0
  other = 0
  n = 0
end

function request()
  n = n + 1
  local body = string.format(
    '{"method":"shipped_packages","data":[{"order_id":"OID-%d-%d","shipped_at":"2025-01-01 10:00:00"}]}',
    id, n)
  return wrk.format(nil, nil, nil, body)
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
end
