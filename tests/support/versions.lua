-- What the Lua running the specs has, for the few specs that depend on it:
-- `<close>` variables (Lua 5.4) and integers (Lua 5.3 on).  The specs run
-- on Lua 5.1 to 5.4 and LuaJIT (README, "Lua versions").

local M = {}

-- Whether this Lua compiles `<close>` variables.
M.has_close = (loadstring or load)("local x <close> = nil") ~= nil

-- `value` bound to a `<close>` variable and its scope left: returns the
-- value as it is afterwards, and its length (#) inside the scope.  Lua 5.4
-- syntax, compiled from text so that the specs load on every Lua; only for
-- specs that run where has_close.
function M.through_close_scope(value)
    local scope = assert((loadstring or load)("local v <close> = ...; return v, #v"))
    return scope(value)
end

-- The version the public header declares: the one source of the version.
function M.header_version()
    local root = os.getenv("DRIVEFACTS_SOURCE_DIR") or "."
    local f = assert(io.open(root .. "/core/include/drivefacts.h"))
    local header = f:read("*a")
    f:close()
    local numbers = {}
    for _, part in ipairs({"MAJOR", "MINOR", "PATCH"}) do
        numbers[#numbers + 1] = assert(header:match("#define DF_VERSION_" .. part .. " (%d+)"))
    end
    return table.concat(numbers, ".")
end

-- Whether this Lua's string library is the reference for the regex
-- methods' rules (empty matches, init): that of Lua 5.4.
M.string_lib_is_54 = _VERSION == "Lua 5.4"

-- The largest and smallest integers (2^53 where numbers are doubles only).
M.MAXINTEGER = math.maxinteger or 2 ^ 53
M.MININTEGER = math.mininteger or -2 ^ 53

-- Whether a value is an integer: of the integer subtype where there is
-- one, a number with an integral value elsewhere.
function M.is_integer(x)
    if math.type then return math.type(x) == "integer" end
    return type(x) == "number" and x == math.floor(x)
end

-- The status of a shell command as a boolean (os.execute returns a
-- number on Lua 5.1).
function M.execute(command)
    local ok = os.execute(command)
    return ok == true or ok == 0
end

return M
