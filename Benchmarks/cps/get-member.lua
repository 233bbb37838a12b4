-- GET /v1/cps/members/{id} for a random seeded member, with the admin key.
-- IDS (a file of member ids, one a line) and KEY come from the environment.
--
-- Every request is formatted once, in init(), and request() only picks one
-- at random: formatting a request per call (wrk.format builds it from a Lua
-- table) cost wrk about 12 us of CPU a request more, on the same two cores
-- the daemon runs on, which the paced p99 then counted as the daemon's. wrk's
-- own guidance is the same: generate requests in init, cycle through them.
-- No response() either: defining one makes wrk hand every response's headers
-- and body to Lua; wrk counts non-2xx answers itself, and bench-cps.sh fails
-- on any.
local requests = {}
local pace = tonumber(os.getenv("PACE_MS") or "")
local jitter = tonumber(os.getenv("PACE_JITTER_MS") or "") or 0

function init(args)
  local headers = { ["Authorization"] = "Bearer " .. os.getenv("KEY") }
  for id in io.lines(os.getenv("IDS")) do
    requests[#requests + 1] = wrk.format("GET", "/v1/cps/members/" .. id, headers)
  end
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end

function request()
  return requests[math.random(#requests)]
end

-- With PACE_MS, each connection waits that long between requests: latency at
-- a load the server sustains, not the time slices it shares with wrk. With
-- PACE_JITTER_MS as well, each wait is drawn uniformly from PACE_MS +/- the
-- jitter: wrk's timers have millisecond resolution, so connections that all
-- wait exactly PACE_MS fall into step and send together (BENCHMARKS.md, CPS).
if pace and jitter > 0 then
  function delay() return math.random(pace - jitter, pace + jitter) end
elseif pace then
  function delay() return pace end
end
