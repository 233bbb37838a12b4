-- GET /v1/cps/members/{id} for a random seeded member, with the admin key.
-- IDS (a file of member ids, one a line) and KEY come from the environment.
local ids = {}
local key = os.getenv("KEY")
local pace = tonumber(os.getenv("PACE_MS") or "")

function init(args)
  for line in io.lines(os.getenv("IDS")) do ids[#ids + 1] = line end
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end

function request()
  local path = "/v1/cps/members/" .. ids[math.random(#ids)]
  return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. key })
end

function response(status, headers, body)
  if status ~= 200 then
    io.stderr:write("unexpected status " .. status .. "\n")
  end
end

-- With PACE_MS, each connection waits that long between requests: latency at
-- a load the server sustains, not the time slices it shares with wrk.
if pace then
  function delay() return pace end
end
