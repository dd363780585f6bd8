-- Type into the live filter of a report open in headless Chromium, key by
-- key, as a reader would, and say what the page then shows.  Chromium is
-- driven through the DevTools protocol over the pipes of
-- --remote-debugging-pipe (messages are JSON, each ended by a NUL byte):
-- no WebSocket client, nothing beyond lua-cjson.
--
-- Usage: lua type_in_filter.lua TO_BROWSER FROM_BROWSER URL QUERY...
--   TO_BROWSER, FROM_BROWSER: FIFOs that Chromium reads as its fd 3 and
--   writes as its fd 4; each QUERY (ASCII) is typed into the empty box.
-- Prints a line per QUERY once typed: the count under the box, a tab, and
-- the number of facts shown; then erases it.  Last, the count under the
-- empty box.

local cjson = require "cjson"

local to_path, from_path, url = arg[1], arg[2], arg[3]
assert(arg[4], "usage: lua type_in_filter.lua TO_BROWSER FROM_BROWSER URL QUERY...")

-- In the order the shell that started Chromium opens them (fd 3, then 4).
local to_browser = assert(io.open(to_path, "w"))
local from_browser = assert(io.open(from_path, "r"))

local last_id = 0

local function receive()
    local bytes = {}
    while true do
        local c = from_browser:read(1)
        if c == nil then error("the browser closed the pipe") end
        if c == "\0" then return cjson.decode(table.concat(bytes)) end
        bytes[#bytes + 1] = c
    end
end

-- Send a command and wait for its answer, skipping events on the way.
local function call(method, params, session)
    last_id = last_id + 1
    to_browser:write(cjson.encode({id = last_id, method = method, params = params or {},
        sessionId = session}), "\0")
    to_browser:flush()
    while true do
        local message = receive()
        if message.id == last_id then
            if message.error then error(method .. ": " .. tostring(message.error.message)) end
            return message.result
        end
    end
end

local target = call("Target.createTarget", {url = url}).targetId
local session = call("Target.attachToTarget", {targetId = target, flatten = true}).sessionId

local function evaluate(expression)
    local result = call("Runtime.evaluate", {expression = expression, returnByValue = true}, session)
    if result.exceptionDetails then error("page: " .. tostring(result.exceptionDetails.text)) end
    return result.result.value
end

-- The box exists once the page has loaded and its script has run.
local tries = 0
while evaluate("document.readyState === 'complete' && !!document.getElementById('filter')") ~= true do
    tries = tries + 1
    if tries > 100 then error("no filter box in the page after 10 s") end
    os.execute("sleep 0.1")
end

-- A key pressed and released: a character typed, or Backspace (known to
-- the editor by its virtual key code).
local function press(key, typed, code)
    call("Input.dispatchKeyEvent", {type = "keyDown", key = key, text = typed,
        windowsVirtualKeyCode = code}, session)
    call("Input.dispatchKeyEvent", {type = "keyUp", key = key, windowsVirtualKeyCode = code}, session)
end

local COUNT = "document.getElementById('filter-count').textContent"
local SHOWN = "document.querySelectorAll('ol.drivefacts-results > li:not([hidden])').length"

evaluate("document.getElementById('filter').focus()")
for i = 4, #arg do
    for c in arg[i]:gmatch(".") do press(c, c) end
    print(("%s\t%d"):format(evaluate(COUNT), evaluate(SHOWN)))
    for _ = 1, #arg[i] do press("Backspace", nil, 8) end
end
print(evaluate(COUNT))
call("Browser.close")
