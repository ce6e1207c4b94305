-- wrk script of bench/load.sh: machine submissions (POST /api/submissions, multipart) with a
-- provider's API token. Every upload is a different file (a unique record reference per upload),
-- so every accepted upload must add exactly one submission to the hub: bench/load.sh counts them
-- afterwards (between the accepted and the sent uploads: those under way when wrk stops finish). The template (MOSY_UPLOAD_TEMPLATE) holds `@ID@` where the unique part goes.
local threads = {}
local counter_base = 0
function setup(thread)
  counter_base = counter_base + 1
  thread:set("base", counter_base)
  table.insert(threads, thread)
end
function init(args)
  counter = 0
  ok, bad = 0, 0
  local f = assert(io.open(os.getenv("MOSY_UPLOAD_TEMPLATE"), "rb"))
  template = f:read("*a")
  f:close()
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("MOSY_TOKEN")
  wrk.headers["Content-Type"] = "multipart/form-data; boundary=mosyloadboundary"
end
function request()
  counter = counter + 1
  local id = string.format("%d-%d-%d", base, counter, os.time())
  local file = string.gsub(template, "@ID@", id)
  local body = "--mosyloadboundary\r\n" ..
    'Content-Disposition: form-data; name="file"; filename="load.csv"\r\n' ..
    "Content-Type: text/csv\r\n\r\n" .. file .. "\r\n--mosyloadboundary--\r\n"
  return wrk.format("POST", "/api/submissions", nil, body)
end
function response(status, headers, body)
  if status >= 200 and status < 300 then ok = ok + 1 else bad = bad + 1 end
end
function done(summary, latency, requests)
  local o, b, s = 0, 0, 0
  for _, t in ipairs(threads) do
    o = o + t:get("ok")
    b = b + t:get("bad")
    s = s + t:get("counter")
  end
  -- Uploads still running when wrk stops are finished by the server but not answered to wrk.
  io.write(string.format("uploads: %d accepted, %d failed, %d sent\n", o, b, s))
  io.write(string.format("uploads: p50 %.0f ms, p99 %.0f ms\n", latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
