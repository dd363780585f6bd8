--- Highlighting matches inside a fact's text.
--
-- Matches are byte spans that may overlap, touch, or be empty (a regex such
-- as `x*` matches the empty string).  Formatters want disjoint pieces of text,
-- each either plain or highlighted, that never cut a UTF-8 character in two:
-- this module computes those pieces once for every formatter.
-- @module drivefacts.highlight

local highlight = {}

local function is_continuation_byte(text, i)
    local b = text:byte(i)
    return b ~= nil and b >= 0x80 and b <= 0xBF
end

-- The highlighted ranges of a text into the flat array `into` (s1, e1,
-- s2, e2...): the union of the non-empty spans `span(key, j)` for j =
-- 1..count, clamped to the text, widened to whole UTF-8 characters, sorted
-- and disjoint, with touching ranges merged.  Returns their number.  The
-- spans of a search come sorted, so the insertion sort is one pass.
local function flat_ranges(text, count, span, key, into)
    local n, len = 0, #text
    for j = 1, count do
        local s, e = span(key, j)
        if s < 1 then s = 1 end
        if e > len then e = len end
        if s <= e then -- empty matches have nothing to show
            while is_continuation_byte(text, s) and s > 1 do s = s - 1 end
            while is_continuation_byte(text, e + 1) do e = e + 1 end
            local p = n
            while p > 0 and (into[2 * p - 1] > s or (into[2 * p - 1] == s and into[2 * p] > e)) do
                into[2 * p + 1], into[2 * p + 2] = into[2 * p - 1], into[2 * p]
                p = p - 1
            end
            into[2 * p + 1], into[2 * p + 2] = s, e
            n = n + 1
        end
    end
    local merged = 0
    for q = 1, n do
        local s, e = into[2 * q - 1], into[2 * q]
        if merged > 0 and s <= into[2 * merged] + 1 then
            if e > into[2 * merged] then into[2 * merged] = e end
        else
            merged = merged + 1
            into[2 * merged - 1], into[2 * merged] = s, e
        end
    end
    return merged
end

local function match_span(matches, j)
    local m = matches[j]
    return m.s, m.e
end

--- The highlighted ranges of a text: the union of the non-empty match
-- spans, clamped to the text, widened to whole UTF-8 characters, sorted and
-- disjoint, with touching ranges merged (so "**ab**" never becomes "**a****b**").
-- @tparam string text the fact text
-- @tparam table matches array of {s =, e =} (1-based, inclusive)
-- @treturn table array of {s, e} pairs
function highlight.ranges(text, matches)
    local flat, ranges = {}, {}
    for q = 1, flat_ranges(text, matches and #matches or 0, match_span, matches, flat) do
        ranges[q] = {flat[2 * q - 1], flat[2 * q]}
    end
    return ranges
end

--- Render a text whose matches are given one by one, with tables the
-- caller gives and keeps, so that rendering many texts makes none: the
-- formatters' way.
-- @tparam string text the fact text
-- @tparam integer count the number of matches
-- @tparam function span `span(key, j)` gives match j's s and e (1-based, inclusive)
-- @param key passed to `span`
-- @tparam function plain as for `render`
-- @tparam function mark as for `render`
-- @tparam table scratch an empty table to use, and to pass again next time
-- @treturn string
function highlight.render_spans(text, count, span, key, plain, mark, scratch)
    local ranges = scratch.ranges or {}
    local out = scratch.out or {}
    scratch.ranges, scratch.out = ranges, out
    local n = count > 0 and flat_ranges(text, count, span, key, ranges) or 0
    if n == 0 then return plain(text) end
    local k, pos = 0, 1
    for q = 1, n do
        local s, e = ranges[2 * q - 1], ranges[2 * q]
        if s > pos then
            k = k + 1
            out[k] = plain(text:sub(pos, s - 1))
        end
        k = k + 1
        out[k] = mark(text:sub(s, e))
        pos = e + 1
    end
    if pos <= #text then
        k = k + 1
        out[k] = plain(text:sub(pos))
    end
    return table.concat(out, "", 1, k)
end

--- Render a text with its matches highlighted.
-- @tparam string text the fact text
-- @tparam table matches array of {s =, e =}; nil or empty: nothing highlighted
-- @tparam function plain called with each stretch of text outside the
--   matches, returns its rendering (e.g. an escaping function)
-- @tparam function mark called with each highlighted stretch, returns its rendering
-- @treturn string
function highlight.render(text, matches, plain, mark)
    return highlight.render_spans(text, matches and #matches or 0, match_span, matches, plain, mark, {})
end

return highlight
