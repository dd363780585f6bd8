--- Turning what the user passed as a pattern into a compiled regex.
--
-- `df.regex`, `db:search`, `query:match` and report sections all accept a
-- pattern; this module is the one place that checks it, so they all fail
-- alike and name the function the user called.
-- @module drivefacts.regex

local core = require "drivefacts.core"
local check = require "drivefacts.check"

local regex = {}

-- Flag letters the core understands.  Checked here rather than in C so that
-- the message lists them the same way for every function taking flags.
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
-- @tparam[opt] string flags flag letters
-- @tparam[opt] table limits match and depth limits, as for `df.regex`
-- @return a `drivefacts.core` regex; or nil, what is wrong (PCRE2's reason
--   with "offset N", or the unknown flag) and which argument is wrong:
--   "pattern" or "flags"
function regex.try_compile(pattern, flags, limits)
    local problem = flags and regex.flag_problem(flags)
    if problem then return nil, problem, "flags" end
    local re, reason = core.regex(pattern, flags, limits)
    if re == nil then return nil, reason, "pattern" end
    return re
end

--- Compile a pattern, checking the arguments.
-- A bad pattern raises "bad argument #pos to 'fname' (PCRE2's reason at
-- offset N)", naming the function the user called.
-- @tparam string pattern PCRE2 pattern
-- @tparam[opt] string flags letters of "imsxFw"
-- @tparam integer pos argument number of the pattern (flags follow it)
-- @tparam[opt] table limits match and depth limits, as for `df.regex`
-- @return a `drivefacts.core` regex
function regex.compile(pattern, flags, pos, limits)
    check.type(pattern, "string", pos)
    check.opt_type(flags, "string", pos + 1)
    local re, reason, culprit = regex.try_compile(pattern, flags, limits)
    if re == nil then
        check.arg_error(culprit == "flags" and pos + 1 or pos, reason)
    end
    return re
end

--- Accept a pattern string (compiled with `flags`) or an already compiled regex.
-- Flags given with a compiled regex are an error: they could not be honoured.
-- @param pattern_or_regex string or `drivefacts.core` regex
-- @tparam[opt] string flags letters of "imsxFw", only with a string
-- @tparam integer pos argument number of the pattern
-- @return a `drivefacts.core` regex
function regex.coerce(pattern_or_regex, flags, pos)
    if core.is_regex(pattern_or_regex) then
        if flags ~= nil then
            check.arg_error(pos + 1, "flags given with a compiled regex")
        end
        return pattern_or_regex
    elseif type(pattern_or_regex) ~= "string" then
        check.type_error("string or regex", pattern_or_regex, pos)
    end
    return regex.compile(pattern_or_regex, flags, pos)
end

--- Whether a value is a compiled regex.
-- @param value any value
-- @treturn boolean
regex.is_regex = core.is_regex

return regex
