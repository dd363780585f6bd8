--- A custom filter: facts that mention a year before the film came out.
--
-- Usage: lua5.4 scripts/examples/custom_filter.lua [YEAR [CORPUS]]
--
-- Shows the query builder's steps composing: `match` finds four-digit
-- years, then a `where` written in Lua looks at the matched text itself
-- (the hit is the predicate's second argument) and keeps only facts with a
-- year before YEAR (default 2011).  Queries are immutable, so the same base
-- query is run once whole and once sorted and cut to the five shortest.

local df = require "drivefacts"

local before = tonumber(arg[1] or "2011")
if before == nil or before ~= math.floor(before) then
    io.stderr:write("custom_filter: YEAR must be an integer, got ", arg[1], "\n")
    os.exit(2)
end

local db, message = df.open(arg[2])
if db == nil then
    io.stderr:write("custom_filter: ", message, "\n")
    os.exit(2)
end

local function mentions_year_before(year)
    return function(_, hit)
        for _, m in ipairs(hit.matches) do
            if tonumber(m.text) < year then return true end
        end
        return false
    end
end

local earlier = db:query()
    :match([[\b(?:19|20)\d\d\b]])
    :where(mentions_year_before(before))

local all = earlier:run()
local shortest = earlier:sort_by("length"):limit(5):run()

print(("%d of %d facts mention a year before %d; the %d shortest:"):format(#all, #db, before, #shortest))
io.write(shortest:format("plain"))
