-- wrk script of bench/load.sh: report requests through the JSON API (POST /api/reports) with an
-- analyst's session cookie and CSRF header, cycling over a fixed set of report specs ("repeated
-- report specs"). Counts answers by status; any non-2xx is an error of the run.
local specs = {
  '{"kind":"simple","measure":"persons","dim1":"sex","period":"2024","format":"json"}',
  '{"kind":"simple","measure":"persons","dim1":"sex","dim2":"age_group","period":"2024","format":"json"}',
  '{"kind":"simple","measure":"registrations","dim1":"exploitation_group","period":"2023","format":"json"}',
  '{"kind":"simple","measure":"persons","dim1":"citizenship_group","dim2":"sex","format":"json"}',
  '{"kind":"simple","measure":"persons","dim1":"provider_type","period":"2024-Q2","format":"csv"}',
  '{"kind":"total","period":"2024","format":"json"}',
  '{"kind":"time_frame","measure":"persons","granularity":"quarter","format":"json"}',
  '{"kind":"time_frame","measure":"registrations","dim1":"sex","granularity":"year","format":"csv"}',
  '{"kind":"geo","measure":"persons","level":"district","period":"2024","format":"json"}',
  '{"kind":"key_indicators","period":"2024","format":"json"}',
  '{"kind":"simple","measure":"persons","dim1":"sex","period":"2024","audience":"public","format":"json"}',
  '{"kind":"data_quality","period":"2024","format":"json"}',
}
local threads = {}
function setup(thread)
  table.insert(threads, thread)
end
function init(args)
  counter = 0
  ok, bad = 0, 0
  wrk.headers["Cookie"] = os.getenv("MOSY_COOKIE")
  wrk.headers["X-CSRF-Token"] = os.getenv("MOSY_CSRF")
  wrk.headers["Content-Type"] = "application/json"
end
function request()
  counter = counter + 1
  return wrk.format("POST", "/api/reports", nil, specs[(counter % #specs) + 1])
end
function response(status, headers, body)
  if status >= 200 and status < 300 then ok = ok + 1 else bad = bad + 1 end
end
function done(summary, latency, requests)
  local o, b = 0, 0
  for _, t in ipairs(threads) do
    o = o + t:get("ok")
    b = b + t:get("bad")
  end
  io.write(string.format("reports: %d ok, %d failed, %d socket errors\n", o, b,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout))
  io.write(string.format("reports: %.1f requests/s, p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
