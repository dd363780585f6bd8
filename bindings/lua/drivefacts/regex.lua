--- Turning what the user passed as a pattern into a compiled regex.
--
-- `df.regex`, `db:search`, `query:match` and report sections all accept a
-- pattern; this module is the one place that checks it, so they all fail
-- alike and name the function the user called.
-- @module drivefacts.regex

local core = require "drivefacts.core"
local check = require "drivefacts.check"

local regex = {}

-- Flag letters the core understands (df_regex_format_flags).  Checked here
-- rather than in C so that the message lists them the same way for every
-- function taking flags.
local FLAG_LETTERS = core.flag_letters

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

--- A compiled regex, as `df.regex` returns it (the methods are the C
-- module's).  Positions are 1-based and inclusive, as in `string.find`;
-- `init` is a start position, negative from the end, as in the string
-- library.  Subjects must be valid UTF-8 ("bad argument #1 ... (invalid
-- UTF-8 at position N)" otherwise), and an `init` inside a character is an
-- error too.  Iterations follow Lua 5.4's rule for empty matches: none right
-- after the previous match, and a step past an empty match moves one
-- character.  A match that exceeds the match or depth limit raises.
-- Captures come as strings, false for a group that took no part; in a
-- table, the named groups are also under their names (under `(?J)`, the
-- first set group of a name), as in a result set's `hit.matches[j].groups`.
-- `find match gmatch gsub test` are the string library's; `exec tfind split
-- count dfa_exec`, gsub's control function and third result are lrexlib's.
-- @type regex

--- The first match: `string.find`'s results.
-- @function regex:find
-- @tparam string s subject
-- @tparam[opt=1] integer init
-- @return start, end and the captures; nil when nothing matches

--- The first match's captures (the whole match when the regex has none).
-- @function regex:match
-- @tparam string s subject
-- @tparam[opt=1] integer init
-- @tparam[opt=false] boolean astable true: one table of them, named groups
--   also under their names
-- @return the captures, or a table of them; nil when nothing matches

--- An iterator over the matches' captures (the whole match when none), as
-- `string.gmatch`.
-- @function regex:gmatch
-- @tparam string s subject
-- @tparam[opt=1] integer init
-- @tparam[opt=false] boolean astable true: each step gives one table, as
--   `regex:match`'s
-- @treturn function

--- Replace the matches, as `string.gsub` (`%0`-`%9` and `%%` in a string;
-- a table looked up with the first capture; a function called with all).
-- @function regex:gsub
-- @tparam string s subject
-- @param repl string, table or function
-- @param[opt] n the most matches to replace, or lrexlib's control function
--   `cf(start, end, rep)`, called after each match with the replacement
--   `rep` (nil or false when `repl` keeps the match).  Its first result
--   decides the match: a string or number replaces it, another true value
--   takes `rep`, nil or false keeps the match.  Its second decides what
--   follows: nil or false asks again at the next match; an integer k allows
--   k more matches, replaced without asking; another true value replaces
--   the rest without asking.
-- @treturn string the result
-- @treturn integer the number of matches
-- @treturn integer the number of substitutions: the matches whose
--   replacement was neither nil nor false

--- Whether the regex matches.
-- @function regex:test
-- @tparam string s subject
-- @tparam[opt=1] integer init
-- @treturn boolean

--- The first match and the spans of its groups (lrexlib's `exec`).
-- @function regex:exec
-- @tparam string s subject
-- @tparam[opt=1] integer init
-- @return start, end, and `{s1, e1, s2, e2, ...}`: each group's span
--   (false, false when unset), with the named groups' text under their
--   names; nil when nothing matches

--- The first match and a table of its captures (lrexlib's `tfind`).
-- @function regex:tfind
-- @tparam string s subject
-- @tparam[opt=1] integer init
-- @return start, end, and `{g1, g2, ..., name = g}` (empty when the regex
--   has no groups); nil when nothing matches

--- An iterator over the pieces of `s` between the matches (lrexlib's
-- `split`): each step gives the text before a match, then the match's
-- captures (or the whole match when there are none); the last step gives
-- the text after the last match alone.
-- @function regex:split
-- @tparam string s subject
-- @treturn function

--- The number of matches `regex:gmatch` would give.
-- @function regex:count
-- @tparam string s subject
-- @treturn integer

--- PCRE2's DFA matcher (lrexlib's `dfa_exec`): every match that starts at
-- the first position where one does, longest first, however many.  Groups
-- take no part, and patterns with back references or conditions on groups
-- raise "the DFA matcher cannot run this pattern".  A quantifier that
-- PCRE2 makes possessive gives one match: start the pattern with
-- `(*NO_AUTO_POSSESS)` for all of them.
-- @function regex:dfa_exec
-- @tparam string s subject
-- @tparam[opt=1] integer init
-- @return start, `{end1, end2, ...}` and their count; nil when nothing
--   matches

--- The pattern the regex was compiled from.
-- @function regex:pattern
-- @treturn string

--- The regex's flag letters, e.g. "iw".
-- @function regex:flags
-- @treturn string

--- The number of capture groups.
-- @function regex:group_count
-- @treturn integer

--- The named groups: `{name = group number}`.
-- @function regex:names
-- @treturn table

return regex
