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

--- The highlighted ranges of a text: the union of the non-empty match
-- spans, clamped to the text, widened to whole UTF-8 characters, sorted and
-- disjoint, with touching ranges merged (so "**ab**" never becomes "**a****b**").
-- @tparam string text the fact text
-- @tparam table matches array of {s =, e =} (1-based, inclusive)
-- @treturn table array of {s, e} pairs
function highlight.ranges(text, matches)
    local spans = {}
    for _, m in ipairs(matches or {}) do
        local s, e = math.max(m.s, 1), math.min(m.e, #text)
        if s <= e then -- empty matches have nothing to show
            while is_continuation_byte(text, s) and s > 1 do s = s - 1 end
            while is_continuation_byte(text, e + 1) do e = e + 1 end
            spans[#spans + 1] = {s, e}
        end
    end
    table.sort(spans, function(a, b) return a[1] < b[1] or (a[1] == b[1] and a[2] < b[2]) end)
    local merged = {}
    for _, span in ipairs(spans) do
        local last = merged[#merged]
        if last and span[1] <= last[2] + 1 then
            last[2] = math.max(last[2], span[2])
        else
            merged[#merged + 1] = {span[1], span[2]}
        end
    end
    return merged
end

--- Render a text with its matches highlighted.
-- @tparam string text the fact text
-- @tparam table matches array of {s =, e =}; nil or empty: nothing highlighted
-- @tparam function plain called with each stretch of text outside the
--   matches, returns its rendering (e.g. an escaping function)
-- @tparam function mark called with each highlighted stretch, returns its rendering
-- @treturn string
function highlight.render(text, matches, plain, mark)
    local out, pos = {}, 1
    for _, range in ipairs(highlight.ranges(text, matches)) do
        if range[1] > pos then
            out[#out + 1] = plain(text:sub(pos, range[1] - 1))
        end
        out[#out + 1] = mark(text:sub(range[1], range[2]))
        pos = range[2] + 1
    end
    if pos <= #text then
        out[#out + 1] = plain(text:sub(pos))
    end
    return table.concat(out)
end

return highlight
