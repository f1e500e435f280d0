-- One person's visit to the public event page, for wrk (Debian's `wrk`; bench/rush.py --processes).
--
--   wrk -t USERS -c USERS -d SECONDS -s bench/journey.lua URL -- /e/<id> PREFIX LOG
--
-- One connection per wrk thread, so each thread is one simultaneous user and its state is that
-- user's: page, form, answer, then the next person on a new connection (the answer asks for
-- `Connection: close`), as bench/rush.py's own visitors do. What is sent is what a browser
-- sends: GET the page with the browser's key cookie (a key of the form the server makes: the
-- page then sets none, so the only cookie HAProxy's answer sets is its `planner_server`, kept
-- and sent back: wrk keeps one header of a name), POST the form (form_key = that key, name,
-- email, organization, the site's Origin), and GET the 303's Location with the answer cookie.
-- Each answer must say this person's result in the page's words; anything else is a failure.
-- At the end every thread's people go to LOG, one a line: name, email, status, place, or
-- "failed" and why; bench/rush.py checks them against the database.

local path, prefix, origin
local step, n = "page", 0  -- id: set by setup() in each thread's globals
local key, server, answer_cookie, location, name, email
results = {}  -- global: done() reads each thread's with thread:get

function setup(thread)
  threads = threads or {}
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  path, prefix, log_path = args[1], args[2], args[3]  -- log_path global: done() asks a thread for it
  origin = wrk.scheme .. "://" .. wrk.host .. ":" .. wrk.port
end

local function cookie_header()
  local parts = { "planner_browser=" .. key }
  if server then table.insert(parts, "planner_server=" .. server) end
  if answer_cookie then table.insert(parts, "planner_answer=" .. answer_cookie) end
  return table.concat(parts, "; ")
end

local function urlencode(text)
  return (text:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local function next_person()
  n = n + 1
  local tag = string.format("%03d%06d", id, n)
  key = "wrk" .. prefix .. "k" .. tag .. "browserkey"  -- [A-Za-z0-9], 20-100 long, as the server's
  name = prefix .. " Guest " .. tag
  email = prefix:lower() .. "-guest-" .. tag .. "@example.org"
  server, answer_cookie, location = nil, nil, nil
end

function request()
  if step == "page" then
    next_person()
    return wrk.format("GET", path, { ["Cookie"] = cookie_header() })
  elseif step == "form" then
    local body = "form_key=" .. key .. "&name=" .. urlencode(name) .. "&email=" .. urlencode(email)
      .. "&organization=" .. urlencode("Coalition member " .. (n % 17))
    return wrk.format("POST", path, {
      ["Cookie"] = cookie_header(), ["Origin"] = origin,
      ["Content-Type"] = "application/x-www-form-urlencoded" }, body)
  else
    return wrk.format("GET", location, { ["Cookie"] = cookie_header(), ["Connection"] = "close" })
  end
end

local function fail(why)
  table.insert(results, name .. "\t" .. email .. "\tfailed\t" .. why:gsub("[\t\n]", " "):sub(1, 300))
  step = "page"
end

local function cookie_value(headers, wanted)
  for header, value in pairs(headers) do
    if header:lower() == "set-cookie" then
      local found = value:match("^" .. wanted .. "=([^;]*)")
      if found then return found end
    end
  end
end

local function header_value(headers, wanted)
  for header, value in pairs(headers) do
    if header:lower() == wanted then return value end
  end
end

local function escaped(text)
  return (text:gsub("%p", "%%%0"))
end

function response(status, headers, body)
  if step == "page" then
    if status ~= 200 or not body:find('id="register-form"', 1, true) then
      return fail("page: HTTP " .. status)
    end
    server = cookie_value(headers, "planner_server")
    step = "form"
  elseif step == "form" then
    answer_cookie = cookie_value(headers, "planner_answer")
    local to = header_value(headers, "location")
    if status ~= 303 or not answer_cookie or not to then
      return fail("form: HTTP " .. status .. " " .. body:sub(1, 200))
    end
    location = to:gsub("#.*$", "")
    step = "answer"
  else
    if status ~= 200 then return fail("answer: HTTP " .. status) end
    if body:find("You're registered, " .. name .. "!</strong>", 1, true) then
      table.insert(results, name .. "\t" .. email .. "\tconfirmed\t")
    else
      local place = body:match("You're on the waiting list, " .. escaped(name) .. "</strong> — place ([%d,]+)%.")
      if not place then return fail("answer: no result for " .. name) end
      table.insert(results, name .. "\t" .. email .. "\twaitlisted\t" .. place:gsub(",", ""))
    end
    step = "page"
  end
end

function done(summary, latency, requests)
  local out = assert(io.open(threads[1]:get("log_path"), "w"))
  for _, thread in ipairs(threads) do
    for _, line in ipairs(thread:get("results")) do
      out:write(line, "\n")
    end
  end
  out:close()
end
