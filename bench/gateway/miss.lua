-- miss.lua: every request carries a different ID token, so that the Cognito authorizer
-- verifies each one (signature, claims, app client) instead of answering from its cache.
--
--   wrk -t2 -c32 -d10s -s miss.lua URL -- TOKENS_FILE [FIRST] [COUNT] [THREADS]
--
-- The run uses lines FIRST .. FIRST+COUNT-1 of TOKENS_FILE (default: line 1 and every line);
-- THREADS must be wrk's -t (default 1). Thread k of the run takes every THREADS-th line of
-- that range starting at its k-th, so no two threads send the same token, and each thread
-- sends its tokens in turn. Only when a thread has sent all of its tokens does it start over;
-- done() reports how many requests repeated a token that way (repeats=N) next to the RESULT
-- line, and the run should be sized (COUNT >= requests/s x duration) so that it stays 0.
-- Give each run of the same server its own FIRST..COUNT range: a token sent in an earlier
-- run may still be in the cache.
--
-- done() prints the same RESULT line as hit.lua, then
--   TOKENS distinct=N repeats=N available=N

local threads = {}
local counter = 0

function setup(thread)
   thread:set("tid", counter)
   counter = counter + 1
   table.insert(threads, thread)
end

-- Thread state (each wrk thread has its own Lua state).
local reqs = {}
local idx = 0
sent = 0
available = 0

function init(args)
   local file = args[1]
   if not file then
      error("miss.lua: usage: wrk ... -s miss.lua URL -- TOKENS_FILE [FIRST] [COUNT] [THREADS]")
   end
   local first = tonumber(args[2] or "1")
   local count = tonumber(args[3] or "0")
   local nthreads = tonumber(args[4] or "1")
   local last = count > 0 and first + count - 1 or math.huge
   local n = 0
   for tok in io.lines(file) do
      n = n + 1
      if n > last then
         break
      end
      if n >= first and (n - first) % nthreads == tid then
         wrk.headers["Authorization"] = tok
         reqs[#reqs + 1] = wrk.format()
      end
   end
   wrk.headers["Authorization"] = nil
   available = #reqs
   if available == 0 then
      error("miss.lua: thread " .. tid .. " got no tokens from " .. file)
   end
end

function request()
   idx = idx + 1
   if idx > available then
      idx = 1
   end
   sent = sent + 1
   return reqs[idx]
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      "RESULT requests=%d duration_us=%d rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d non2xx=%d socket_errors=%d\n",
      summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
      e.status, e.connect + e.read + e.write + e.timeout))
   local distinct, repeats, avail = 0, 0, 0
   for _, t in ipairs(threads) do
      local s, a = t:get("sent"), t:get("available")
      distinct = distinct + math.min(s, a)
      repeats = repeats + math.max(0, s - a)
      avail = avail + a
   end
   io.write(string.format("TOKENS distinct=%d repeats=%d available=%d\n", distinct, repeats, avail))
end
