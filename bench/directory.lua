-- wrk script: the public directory's search (GET /partners) with the country, keywords and
-- facets changing at every request, drawn from the sets below (bench/directory measures each
-- kind cold, the match lists built as requests come, then warm). bench/directory sets:
--   BENCH_MODE       country | keyword | facets | deep
--   BENCH_COUNTRIES  ISO codes, space-separated
--   BENCH_WORDS      keywords, URL-encoded, space-separated (keyword and facets modes)
--   BENCH_FACETS     "solution_area=X&industry=Y" pairs, space-separated (facets mode)
--   BENCH_PAGE       the page asked for (deep mode)
local function split(s)
  local t = {}
  for w in string.gmatch(s or "", "%S+") do
    t[#t + 1] = w
  end
  return t
end

local mode = os.getenv("BENCH_MODE") or "country"
local countries = split(os.getenv("BENCH_COUNTRIES"))
local words = split(os.getenv("BENCH_WORDS"))
local facets = split(os.getenv("BENCH_FACETS"))
local page = os.getenv("BENCH_PAGE") or "50"
local thread_id = 0

function setup(thread)
  thread_id = thread_id + 1
  thread:set("tid", thread_id)
end

-- A small linear congruential generator per thread: the same sequence at each run.
local state = 1

function init(args)
  state = 7919 * (tid or 1)
end

local function draw(n)
  state = (state * 1103515245 + 12345) % 2147483648
  return math.floor(state / 65536) % n + 1
end

function request()
  local path = "/partners?country=" .. countries[draw(#countries)]
  if mode == "keyword" or mode == "facets" then
    path = path .. "&q=" .. words[draw(#words)]
  end
  if mode == "facets" then
    path = path .. "&" .. facets[draw(#facets)]
  end
  if mode == "deep" then
    path = path .. "&page=" .. page
  end
  return wrk.format(nil, path)
end
