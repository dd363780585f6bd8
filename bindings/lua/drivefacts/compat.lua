--- The few library functions of Lua 5.3 and 5.4 that the rest of the
-- library uses and Lua 5.1, 5.2 and LuaJIT lack, in one place, so that the
-- other modules read as plain Lua of any version.
-- @module drivefacts.compat

local compat = {}

--- `table.unpack` (`unpack` before 5.2).
compat.unpack = table.unpack or unpack

--- `table.pack`: the arguments in a table, with their number in `n`.
-- @return table
function compat.pack(...)
    return {n = select("#", ...), ...}
end

--- `table.move(a1, f, e, t [, a2])`: a1[f..e] copied to a2[t..].
-- @treturn table a2
compat.move = table.move or function(a1, f, e, t, a2)
    a2 = a2 or a1
    if e >= f then
        if t > e or t <= f or a1 ~= a2 then
            for i = 0, e - f do a2[t + i] = a1[f + i] end
        else
            for i = e - f, 0, -1 do a2[t + i] = a1[f + i] end
        end
    end
    return a2
end

-- Integers up to 2^53 are exact in a double, the only number of Lua 5.1
-- and 5.2 (and LuaJIT).
local MAX_EXACT = 2 ^ 53

--- `math.tointeger`: the integer equal to a number, or nil.  Without an
-- integer type (5.1, 5.2, LuaJIT), a number with an integral value that a
-- double holds exactly counts as one.
-- @param x any value
-- @treturn ?integer
compat.tointeger = math.tointeger or function(x)
    if type(x) == "number" and x == math.floor(x) and x >= -MAX_EXACT and x <= MAX_EXACT then
        return x
    end
end

--- `utf8.len`: the number of characters of a UTF-8 string (of its lead
-- bytes, without the utf8 library of 5.3).
-- @tparam string s
-- @treturn ?integer nil for invalid UTF-8 where the utf8 library can tell
function compat.utf8_len(s)
    if utf8 then return utf8.len(s) end
    return (select(2, s:gsub("[^\128-\191]", "")))
end

--- `xpcall(f, handler, ...)`, which passes the arguments on to `f` (the
-- xpcall of Lua 5.1 takes none).
-- @return as `xpcall`
compat.xpcall = xpcall
if not select(2, xpcall(function(x) return x end, tostring, true)) then
    function compat.xpcall(f, handler, ...)
        local args = compat.pack(...)
        return xpcall(function() return f(compat.unpack(args, 1, args.n)) end, handler)
    end
end

--- `rawlen` (absent from Lua 5.1 and LuaJIT, whose `#` on a table is raw).
compat.rawlen = rawlen or function(t) return #t end

--- Whether a table can be a sequence whose elements come from its
-- metatable: `#` asks `__len` (5.2 on) and `ipairs` asks `__index` (5.3 on)
-- or `__ipairs` (5.2).  Not under Lua 5.1 and LuaJIT.
compat.lazy_sequences = (function()
    local mt = {__len = function() return 1 end, __index = function(_, i) return i == 1 or nil end}
    function mt.__ipairs(t)
        return function(_, i) if i < 1 then return i + 1, true end end, t, 0
    end
    local t, n = setmetatable({}, mt), 0
    for _ in ipairs(t) do n = n + 1 end
    return #t == 1 and n == 1
end)()

return compat
