-- Small helpers on strings for specs: literal Lua patterns, counting
-- occurrences, splitting into lines, membership in a list.

local M = {}

-- A Lua pattern matching `s` literally.
function M.lit(s)
    return (s:gsub("%p", "%%%0"))
end

-- How many times `needle` occurs in `text` (plain, without overlaps).
function M.count(text, needle)
    local n, pos = 0, 1
    while true do
        local s, e = text:find(needle, pos, true)
        if not s then return n end
        n, pos = n + 1, e + 1
    end
end

-- The lines of `text`, each ended by "\n" (an unterminated tail is dropped).
function M.lines(text)
    local lines = {}
    for line in text:gmatch("([^\n]*)\n") do lines[#lines + 1] = line end
    return lines
end

-- Whether `value` is an element of the sequence `list`.
function M.contains(list, value)
    for _, item in ipairs(list) do
        if item == value then return true end
    end
    return false
end

return M
