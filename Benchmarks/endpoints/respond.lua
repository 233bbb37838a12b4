-- POST /v1/service-requests/{id}/events {type: respond} once for each
-- still-unanswered seeded request listed in IDS (one id a line), admin KEY.
local key = os.getenv("KEY")
local ids = {}
local n = 0

function init(args)
  for line in io.lines(os.getenv("IDS")) do ids[#ids + 1] = line end
end

function request()
  n = n + 1
  local id = ids[(n - 1) % #ids + 1]
  return wrk.format("POST", "/v1/service-requests/" .. id .. "/events",
    { ["Authorization"] = "Bearer " .. key, ["Content-Type"] = "application/json" }, '{"type":"respond"}')
end

function response(status, headers, body)
  if status ~= 200 then io.stderr:write("respond: status " .. status .. " " .. body:sub(1, 200) .. "\n") end
end
