-- Pacing for wrk: with PACE_MS each connection waits that long between
-- requests (latency at a load the server sustains, not the time slices it
-- shares with wrk); with PACE_JITTER_MS as well each wait is drawn uniformly
-- from PACE_MS +/- the jitter. wrk's timers have millisecond resolution, so
-- connections that all wait exactly PACE_MS fall into step and send together
-- (BENCHMARKS.md, CPS, "In step or independent"). The scripts that set these
-- validate them first (scripts/lib/pacing.sh).
--
-- Used on its own (`wrk -s Benchmarks/lib/pace.lua`) or loaded by another
-- script with dofile. wrk gives each thread a Lua state of its own: seeded
-- here, so that threads do not draw the same waits.
local pace = tonumber(os.getenv("PACE_MS") or "")
local jitter = tonumber(os.getenv("PACE_JITTER_MS") or "") or 0

math.randomseed(os.time() + math.floor(os.clock() * 1000000))

if pace and jitter > 0 then
  function delay() return math.random(pace - jitter, pace + jitter) end
elseif pace then
  function delay() return pace end
end
