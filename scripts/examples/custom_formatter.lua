--- A custom formatter: a keyword-in-context (KWIC) concordance.
--
-- Usage: lua5.4 scripts/examples/custom_formatter.lua [PATTERN [FLAGS]]
--
-- Registers a formatter named "kwic" that prints one line per match, the
-- match in brackets between a fixed number of characters of context on
-- each side, so the matches line up in a column.  Context is cut by UTF-8
-- character, never inside one, and line breaks in a fact become spaces.
-- Once registered, "kwic" works wherever a formatter name does:
-- rs:format, df.format and df.report.

local df = require "drivefacts"

-- Text of at most `n` characters, padded with spaces to `n` on the `side`
-- ("left" pads on the left) so that columns line up.
local function fit(text, n, side)
    local chars = {}  -- UTF-8 characters: a lead byte and its continuations
    for c in text:gmatch("[^\128-\191][\128-\191]*") do chars[#chars + 1] = c end
    local len = #chars
    if len > n then
        if side == "left" then
            text = table.concat(chars, "", len - n + 1, len)
        else
            text = table.concat(chars, "", 1, n)
        end
        len = n
    end
    local pad = (" "):rep(n - len)
    return side == "left" and pad .. text or text .. pad
end

--- Format a result set as a concordance.
-- @param rs result set
-- @tparam table opts `width`: characters of context on each side (default 30)
-- @treturn string
local function kwic(rs, opts)
    local width = opts.width or 30
    local lines = {}
    for hit in rs:each() do
        for _, m in ipairs(hit.matches) do
            if m.e >= m.s then -- an empty match has nothing to show
                local left = hit.fact.text:sub(1, m.s - 1):gsub("%s+", " ")
                local right = hit.fact.text:sub(m.e + 1):gsub("%s+", " ")
                lines[#lines + 1] = ("%4d  %s [%s] %s"):format(
                    hit.id, fit(left, width, "left"), m.text, fit(right, width, "right"))
            end
        end
    end
    return table.concat(lines, "\n") .. (#lines > 0 and "\n" or "")
end

df.register_formatter("kwic", kwic)

local pattern, flags = arg[1] or [[\bdriv\w*]], arg[2] or "i"
local db = df.open()
local rs = db:search(pattern, flags)
print(("%d matches of /%s/%s in %d facts"):format(rs:count(), pattern, flags, #rs))
io.write(rs:format("kwic", {width = 28}))
