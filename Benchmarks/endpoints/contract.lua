-- POST /v1/contracts: one-device contracts for the large customer's devices
-- in turn (SC00000000 ... DEVICES-1), each device a year after its previous
-- one from 2027 on (the seeded contracts end in 2026), so none overlaps.
-- KEY is the large dealer's, CUSTOMER the large customer.
local key = os.getenv("KEY")
local customer = os.getenv("CUSTOMER")
local devices = tonumber(os.getenv("DEVICES"))
local n = -1

function request()
  n = n + 1
  local year = math.floor(2027 + n / devices)
  local body = string.format(
    '{"customer_id":"%s","device_serials":["SC%08d"],"tier":"plus","starts_on":"%d-01-01","ends_on":"%d-12-31",' ..
    '"prepaid":{"amount_minor":1200000,"currency":"NOK"},"implementation_package":"%s","options":[],"banner_agreed":false}',
    customer, n % devices, year, year, os.getenv("PACKAGE"))
  return wrk.format("POST", "/v1/contracts",
    { ["Authorization"] = "Bearer " .. key, ["Content-Type"] = "application/json" }, body)
end

function response(status, headers, body)
  if status ~= 201 then io.stderr:write("contract: status " .. status .. " " .. body:sub(1, 200) .. "\n") end
end
