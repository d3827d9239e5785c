-- wrk script for bench/http.sh: POSTs the login form as a browser would after GET /v2/login.html.
-- COOKIE is the Cookie header to send (kenshu_csrf=…), TOKEN the form's hidden csrf_token value.
--   COOKIE='kenshu_csrf=…' TOKEN='…' wrk -t2 -c64 -d10s --latency -s bench/login.lua http://127.0.0.1:8080/v2/login.html
local cookie = os.getenv("COOKIE")
local token = os.getenv("TOKEN")
if cookie == nil or cookie == "" or token == nil or token == "" then
  error("bench/login.lua needs the environment variables COOKIE and TOKEN")
end

-- The token goes into an x-www-form-urlencoded body: escape everything but unreserved characters.
local function urlencode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

wrk.method = "POST"
wrk.path = "/v2/login.html"
wrk.body = "email=asu.yuki%40example.jp&password=Hello%23Work2021&csrf_token=" .. urlencode(token)
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = cookie

-- Count the response statuses over all threads (303 = signed in, 200 = the form again with a
-- message, 403 = CSRF refused) and print them after the run as `statuses: 303=…`.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      total[status] = (total[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(total) do table.insert(parts, status .. "=" .. count) end
  table.sort(parts)
  io.write("statuses: " .. table.concat(parts, " ") .. "\n")
end
