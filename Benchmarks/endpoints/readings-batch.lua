-- POST /v1/meter-readings: batches of 1 000 readings, one for each of the
-- estate's first 1 000 devices (SC00000000...), every batch one minute after
-- the previous, from 2026-01-15 (after every seeded reading), with all six
-- counters at one value that grows with the batch number (above every seeded
-- counter, never below a neighbour). KEY from the
-- environment (an admin key: the devices belong to several dealers).
local key = os.getenv("KEY")
local devices = tonumber(os.getenv("BATCH_DEVICES") or "1000")
local n = 0

local function body(batch)
  local minutes = batch
  local at = string.format("2026-01-%02dT%02d:%02d:00Z", math.floor(15 + minutes / 1440), math.floor(minutes / 60) % 24, minutes % 60)
  local counter = 10000000 + batch * 1000
  local parts = {}
  for i = 0, devices - 1 do
    parts[#parts + 1] = string.format(
      '{"device_serial":"SC%08d","read_at":"%s","bw_a4":%d,"bw_a3":%d,"colour_a4":%d,"colour_a3":%d,"banner_bw":%d,"banner_colour":%d,"source":"dms"}',
      i, at, counter, counter, counter, counter, counter, counter)
  end
  return '{"readings":[' .. table.concat(parts, ",") .. ']}'
end

function request()
  n = n + 1
  return wrk.format("POST", "/v1/meter-readings",
    { ["Authorization"] = "Bearer " .. key, ["Content-Type"] = "application/json" }, body(n))
end

function response(status, headers, body)
  if status ~= 200 and status ~= 201 then io.stderr:write("readings batch: status " .. status .. " " .. body:sub(1, 200) .. "\n") end
end
