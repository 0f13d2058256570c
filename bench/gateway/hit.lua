-- hit.lua: every request carries the same Authorization header, so that after the first
-- request of each connection the Cognito authorizer answers from its cache.
--
--   wrk -t2 -c32 -d10s -s hit.lua URL -- TOKENS_FILE [LINE]
--   wrk -t2 -c32 -d10s -s hit.lua URL -- HEADERS_FILE headers
--
-- The token is line LINE (default 1) of TOKENS_FILE. In headers mode every line of
-- HEADERS_FILE is a "Name: value" header to send (the AWS_IAM run's SigV4 headers, from
-- bench/gateway/iam sign). Without arguments no header is added: the script then only adds
-- the RESULT line, for the baseline, open and Lambda runs.
--
-- done() prints one line run.sh parses:
--   RESULT requests=N duration_us=N rps=F p50_us=N p90_us=N p99_us=N max_us=N non2xx=N socket_errors=N

function init(args)
   if args[2] == "headers" then
      for l in io.lines(args[1]) do
         local name, value = l:match("^([^:]+): (.*)$")
         if name then
            wrk.headers[name] = value
         end
      end
      if not wrk.headers["Authorization"] then
         error("hit.lua: " .. args[1] .. " has no Authorization header")
      end
      return
   end
   local file, line = args[1], tonumber(args[2] or "1")
   if file then
      local n = 0
      for tok in io.lines(file) do
         n = n + 1
         if n == line then
            wrk.headers["Authorization"] = tok
            break
         end
      end
      if not wrk.headers["Authorization"] then
         error("hit.lua: " .. file .. " has no line " .. line)
      end
   end
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      "RESULT requests=%d duration_us=%d rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d non2xx=%d socket_errors=%d\n",
      summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
      e.status, e.connect + e.read + e.write + e.timeout))
end
