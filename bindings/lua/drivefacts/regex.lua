--- Turning what the user passed as a pattern into a compiled regex.
--
-- `df.regex`, `db:search`, `query:match` and report sections all accept a
-- pattern; this module is the one place that checks it, so they all fail
-- alike and name the function the user called.
-- @module drivefacts.regex

local core = require "drivefacts.core"
local check = require "drivefacts.check"

local regex = {}

-- Flag letters the core understands (see DESIGN.md).  Checked here rather
-- than in C so that the message names the user's function, not 'regex'.
local FLAG_LETTERS <const> = "imsxFw"

--- What is wrong with a flags string, if anything.
-- @tparam string flags
-- @treturn ?string a message, or nil when every letter is a known flag
function regex.flag_problem(flags)
    local bad = flags:match("[^" .. FLAG_LETTERS .. "]")
    if bad then
        return ("unknown flag '%s'; flags are letters of \"%s\""):format(bad, FLAG_LETTERS)
    end
end

--- Compile a pattern, returning failures instead of raising them.
-- @tparam string pattern PCRE2 pattern
-- @tparam[opt] string flags valid flag letters
-- @return a `drivefacts.core` regex, or nil and PCRE2's reason (with "offset N")
function regex.try_compile(pattern, flags, limits)
    local ok, result = pcall(core.regex, pattern, flags, limits)
    if ok then return result end
    -- The C module frames the reason as an argument error of its own
    -- function; the caller reframes it for the function the user called.
    local message = tostring(result)
    return nil, message:match("^bad argument #%d+ to '[^']*' %((.*)%)$") or message
end

--- Compile a pattern, checking the arguments.
-- A bad pattern raises "bad argument #pos to 'fname' (PCRE2's reason at offset N)".
-- @tparam string pattern PCRE2 pattern
-- @tparam[opt] string flags letters of "imsxFw"
-- @tparam string fname function name for messages
-- @tparam integer pos argument number of the pattern (flags follow it)
-- @tparam[opt=2] integer level as for `error`, seen from the caller
-- @tparam[opt] table limits match and depth limits, as for `df.regex`
-- @return a `drivefacts.core` regex
function regex.compile(pattern, flags, fname, pos, level, limits)
    level = (level or 2) + 1
    check.type(pattern, "string", pos, fname, level)
    check.opt_type(flags, "string", pos + 1, fname, level)
    local problem = flags and regex.flag_problem(flags)
    if problem then
        check.arg_error(pos + 1, fname, problem, level)
    end
    local re, reason = regex.try_compile(pattern, flags, limits)
    if re == nil then
        check.arg_error(pos, fname, reason, level)
    end
    return re
end

--- Accept a pattern string (compiled with `flags`) or an already compiled regex.
-- Flags given with a compiled regex are an error: they could not be honoured.
-- @param pattern_or_regex string or `drivefacts.core` regex
-- @tparam[opt] string flags letters of "imsxFw", only with a string
-- @tparam string fname function name for messages
-- @tparam integer pos argument number of the pattern
-- @tparam[opt=2] integer level as for `error`, seen from the caller
-- @return a `drivefacts.core` regex
function regex.coerce(pattern_or_regex, flags, fname, pos, level)
    level = (level or 2) + 1
    if core.is_regex(pattern_or_regex) then
        if flags ~= nil then
            check.arg_error(pos + 1, fname, "flags given with a compiled regex", level)
        end
        return pattern_or_regex
    elseif type(pattern_or_regex) ~= "string" then
        check.type_error("string or regex", pattern_or_regex, pos, fname, level)
    end
    -- Not a tail call: `level` counts this function's frame.
    local compiled = regex.compile(pattern_or_regex, flags, fname, pos, level)
    return compiled
end

--- Whether a value is a compiled regex.
-- @param value any value
-- @treturn boolean
regex.is_regex = core.is_regex

return regex
