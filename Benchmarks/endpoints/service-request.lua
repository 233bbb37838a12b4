-- POST /v1/service-requests for the large customer's devices in turn
-- (SC00000000 ... DEVICES-1), with the large dealer's KEY.
local key = os.getenv("KEY")
local devices = tonumber(os.getenv("DEVICES"))
local n = 0

function request()
  n = n + 1
  local body = string.format('{"device_serial":"SC%08d","category":"fault","description":"paper jam, tray 2","source":"portal"}', n % devices)
  return wrk.format("POST", "/v1/service-requests",
    { ["Authorization"] = "Bearer " .. key, ["Content-Type"] = "application/json" }, body)
end

function response(status, headers, body)
  if status ~= 201 then io.stderr:write("service request: status " .. status .. " " .. body:sub(1, 200) .. "\n") end
end
