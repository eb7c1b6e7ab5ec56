-- Counts responses whose status is not 200, per thread, and prints the total when wrk is done.
-- wrk itself counts redirects as successes, so an expired session (302 to the login page)
-- would otherwise look like a fast page.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  not_ok = 0
end

function response(status, headers, body)
  if status ~= 200 then
    not_ok = not_ok + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("not_ok")
  end
  io.write(string.format("non-200 responses: %d\n", total))
end
