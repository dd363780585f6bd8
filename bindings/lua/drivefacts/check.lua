--- Argument checking shared by every public function of `drivefacts`.
--
-- Messages follow lauxlib (`luaL_argerror`, `luaL_typeerror`) so that an error
-- raised here reads like one raised by the C module or the standard library:
--
--     bad argument #1 to 'open' (string expected, got number)
--
-- As lauxlib does, the function named and the position blamed come from the
-- call stack, so no caller passes a function name or a stack level: the
-- function the user called is the outermost frame of this library (its Lua
-- files, with any C function between them such as `pcall` or `table.sort`,
-- and Lua 5.1's tail-call frames);
-- the message names it as its caller did (`lua_getinfo` "n") and the error
-- is raised at that caller's position.  A function the stack cannot name
-- (called from C, or by a tail call) is named as its module exports it, as
-- lauxlib looks in `package.loaded`.
--
-- Argument numbers of methods do not count `self`, as lauxlib does for calls
-- made with the colon syntax.
-- @module drivefacts.check

local compat = require "drivefacts.compat"

local check = {}

local getinfo = debug.getinfo

-- Every Lua file of the library sits beside this one.
local LIBRARY_DIR = getinfo(1, "S").source:match("^@(.*[/\\])") or ""

local function is_library(info)
    return info.source:sub(1, #LIBRARY_DIR + 1) == "@" .. LIBRARY_DIR
end

-- function -> the name its module exports it under (see `check.export`).
local exported = setmetatable({}, {__mode = "k"})

--- Record the names of a table's functions, for messages about calls the
-- stack cannot name.
-- @tparam table functions name -> function, e.g. a module or a method table
-- @treturn table functions
function check.export(functions)
    for name, fn in pairs(functions) do
        if type(fn) == "function" then exported[fn] = name end
    end
    return functions
end

-- The level of the library function the user called, as `getinfo` counts
-- in the caller of this function (a raiser below, itself called by the
-- library): the outermost library frame before the first Lua frame of
-- someone else's.
local function entry_level()
    local entry, level = 3, 4 -- levels seen from here; 3 is the raiser's caller
    while true do
        local info = getinfo(level, "S")
        if info == nil then break end
        if info.what == "Lua" or info.what == "main" then -- not C, nor 5.1's "tail"
            if not is_library(info) then break end
            entry = level
        end
        level = level + 1
    end
    return entry - 1
end

-- Raise `message` at the position of the call of the function at `level`
-- (seen from the caller of `raise`).
local function raise(message, level)
    error(message, level + 2)
end

--- Raise a runtime error (not about an argument), blaming the user's call.
-- @tparam string message
function check.error(message)
    raise(message, entry_level())
end

--- Raise "bad argument #pos to 'fname' (message)", naming the function the
-- user called.
-- @tparam integer pos argument number
-- @tparam string message what is wrong with the argument
function check.arg_error(pos, message)
    local level = entry_level()
    local info = getinfo(level, "nf")
    local fname = info.name or exported[info.func] or "?"
    raise(("bad argument #%d to '%s' (%s)"):format(pos, fname, message), level)
end

--- The name of a value's type as messages show it: the `__name` of its
-- metatable when it has one (as `luaL_typeerror` does), else `type(v)`.
-- @param value any value
-- @treturn string e.g. "number", "drivefacts.db", "drivefacts.regex"
function check.typename(value)
    local mt = getmetatable(value)
    if type(mt) == "table" and type(mt.__name) == "string" then
        return mt.__name
    end
    return type(value)
end

--- Raise the standard "X expected, got Y" argument error.
-- @tparam string expected what was expected, e.g. "string" or "string or regex"
-- @param value the argument received
-- @tparam integer pos argument number
function check.type_error(expected, value, pos)
    check.arg_error(pos, ("%s expected, got %s"):format(expected, check.typename(value)))
end

--- Check that an argument has a given Lua type.
-- @param value the argument
-- @tparam string expected a result of `type`, e.g. "string", "table", "function"
-- @tparam integer pos argument number
-- @return value
function check.type(value, expected, pos)
    if type(value) ~= expected then
        check.type_error(expected, value, pos)
    end
    return value
end

--- Like `check.type`, but nil is accepted too.
-- @param value the argument
-- @tparam string expected a result of `type`
-- @tparam integer pos argument number
-- @return value
function check.opt_type(value, expected, pos)
    if value ~= nil and type(value) ~= expected then
        check.type_error(expected, value, pos)
    end
    return value
end

--- Check that an argument is an integer (a float with an integral value is
-- converted, as `luaL_checkinteger` does) no smaller than `min`.
-- @param value the argument
-- @tparam integer min smallest accepted value
-- @tparam integer pos argument number
-- @treturn integer
function check.integer(value, min, pos)
    if type(value) ~= "number" then
        check.type_error("number", value, pos)
    end
    local n = compat.tointeger(value)
    if n == nil then
        check.arg_error(pos, "number has no integer representation")
    elseif n < min then
        check.arg_error(pos, ("integer >= %d expected, got %d"):format(min, n))
    end
    return n
end

--- Check that a string argument is one of a fixed set of choices.
-- @tparam string value the argument (already checked to be a string)
-- @tparam {string,...} choices accepted values
-- @tparam integer pos argument number
-- @tparam[opt="value"] string what what the value is, for the message ("format", "sort key")
-- @treturn string value
function check.choice(value, choices, pos, what)
    for _, choice in ipairs(choices) do
        if value == choice then return value end
    end
    check.arg_error(pos, ("unknown %s '%s'; expected one of: %s"):format(
        what or "value", value, table.concat(choices, ", ")))
end

return check
