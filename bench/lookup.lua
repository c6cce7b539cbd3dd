-- wrk script: the CSP wizard's DUNS lookup (POST /csp/enroll/company, mode=lookup) with a new
-- company name each time, so that every request misses the cache and reaches the DUNS service.
-- BENCH_COOKIE and BENCH_CSRF come from bench/lookup (a signed-in global admin of an enrolled
-- US company with a CSP draft).
local cookie = os.getenv("BENCH_COOKIE")
local csrf = os.getenv("BENCH_CSRF")
-- BENCH_DELAY_MS: a pause between a connection's lookups (a partner reads the answer before the
-- next search); 0 = back to back.
local pause = tonumber(os.getenv("BENCH_DELAY_MS") or "0")
local thread_id = 0

function setup(thread)
  thread_id = thread_id + 1
  thread:set("tid", thread_id)
end

function init(args)
  math.randomseed(os.time() * 100 + (tid or 0))
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Cookie"] = cookie
end

function request()
  local body = "csrf=" .. csrf .. "&mode=lookup&country=US&company_name=Bench+Company+" ..
    math.random(1, 2000000000)
  return wrk.format(nil, "/csp/enroll/company", nil, body)
end

function delay()
  return pause
end
