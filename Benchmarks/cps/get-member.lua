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

-- PACE_MS and PACE_JITTER_MS: the waits between a connection's requests,
-- defined once for every paced benchmark, next to this folder.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "../lib/pace.lua")
