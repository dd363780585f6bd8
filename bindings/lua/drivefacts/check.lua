--- Argument checking shared by every public function of `drivefacts`.
--
-- Messages follow lauxlib (`luaL_argerror`, `luaL_typeerror`) so that an error
-- raised here reads like one raised by the C module or the standard library:
--
--     bad argument #1 to 'open' (string expected, got number)
--
-- Argument numbers of methods do not count `self`, as lauxlib does for calls
-- made with the colon syntax.
--
-- Every function takes an optional `level` with the meaning it has for
-- `error`, seen from the function that calls the checker: the default, 2,
-- blames the caller of that function, i.e. the user's code when the checker
-- is called straight from a public function.
-- @module drivefacts.check

local check = {}

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

--- Raise "bad argument #pos to 'fname' (message)".
-- @tparam integer pos argument number
-- @tparam string fname function name as the user calls it
-- @tparam string message what is wrong with the argument
-- @tparam[opt=2] integer level as for `error`, seen from the caller
function check.arg_error(pos, fname, message, level)
    error(("bad argument #%d to '%s' (%s)"):format(pos, fname, message), (level or 2) + 1)
end

--- Raise the standard "X expected, got Y" argument error.
-- @tparam string expected what was expected, e.g. "string" or "string or regex"
-- @param value the argument received
-- @tparam integer pos argument number
-- @tparam string fname function name
-- @tparam[opt=2] integer level as for `error`, seen from the caller
function check.type_error(expected, value, pos, fname, level)
    check.arg_error(pos, fname, ("%s expected, got %s"):format(expected, check.typename(value)),
        (level or 2) + 1)
end

--- Check that an argument has a given Lua type.
-- @param value the argument
-- @tparam string expected a result of `type`, e.g. "string", "table", "function"
-- @tparam integer pos argument number
-- @tparam string fname function name
-- @tparam[opt=2] integer level as for `error`, seen from the caller
-- @return value
function check.type(value, expected, pos, fname, level)
    if type(value) ~= expected then
        check.type_error(expected, value, pos, fname, (level or 2) + 1)
    end
    return value
end

--- Like `check.type`, but nil is accepted too.
-- @param value the argument
-- @tparam string expected a result of `type`
-- @tparam integer pos argument number
-- @tparam string fname function name
-- @tparam[opt=2] integer level as for `error`, seen from the caller
-- @return value
function check.opt_type(value, expected, pos, fname, level)
    if value ~= nil and type(value) ~= expected then
        check.type_error(expected, value, pos, fname, (level or 2) + 1)
    end
    return value
end

--- Check that an argument is an integer (a float with an integral value is
-- converted, as `luaL_checkinteger` does) no smaller than `min`.
-- @param value the argument
-- @tparam integer min smallest accepted value
-- @tparam integer pos argument number
-- @tparam string fname function name
-- @tparam[opt=2] integer level as for `error`, seen from the caller
-- @treturn integer
function check.integer(value, min, pos, fname, level)
    level = (level or 2) + 1
    if type(value) ~= "number" then
        check.type_error("number", value, pos, fname, level)
    end
    local n = math.tointeger(value)
    if n == nil then
        check.arg_error(pos, fname, "number has no integer representation", level)
    elseif n < min then
        check.arg_error(pos, fname, ("integer >= %d expected, got %d"):format(min, n), level)
    end
    return n
end

--- Check that a string argument is one of a fixed set of choices.
-- @tparam string value the argument (already checked to be a string)
-- @tparam {string,...} choices accepted values
-- @tparam integer pos argument number
-- @tparam string fname function name
-- @tparam[opt="value"] string what what the value is, for the message ("format", "sort key")
-- @tparam[opt=2] integer level as for `error`, seen from the caller
-- @treturn string value
function check.choice(value, choices, pos, fname, what, level)
    for _, choice in ipairs(choices) do
        if value == choice then return value end
    end
    check.arg_error(pos, fname, ("unknown %s '%s'; expected one of: %s"):format(
        what or "value", value, table.concat(choices, ", ")), (level or 2) + 1)
end

return check
