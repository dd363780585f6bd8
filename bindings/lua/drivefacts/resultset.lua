--- Result sets: what `db:search` and `query:run` return.
--
-- A result set is an array of hits (so `#rs`, `rs[i]` and `ipairs(rs)` work
-- as on any sequence) with methods from its metatable.  Each hit is
--
--    hit.id       fact id
--    hit.fact     the fact object (keeps its db alive)
--    hit.matches  array of {s =, e =, text =, groups =} (1-based, inclusive
--                 byte spans; unset groups are false); empty for facts that
--                 were selected without a regex
-- @module drivefacts.resultset

local check = require "drivefacts.check"
local formatters = require "drivefacts.formatters"

local resultset = {}

local ResultSet = {__name = "drivefacts.resultset"}
local methods = {}
ResultSet.__index = methods

--- Wrap an array of hits (each with `id`, `fact`, `matches`) as a result set.
-- The array becomes the result set; it is not copied.
-- @tparam table hits
-- @return the result set
function resultset.new(hits)
    return setmetatable(hits, ResultSet)
end

-- hit -> the function that makes its fact (and holds its db).  An
-- ephemeron: the db stays alive as long as the hit does.
local fact_makers = setmetatable({}, {__mode = "k"})

-- Most hits of a large search are counted or filtered by id and never show
-- their fact, so the fact object is made on first read, not up front.
local Hit = {__name = "drivefacts.hit"}

function Hit.__index(hit, key)
    if key == "fact" then
        local f = fact_makers[hit](hit.id)
        rawset(hit, "fact", f)
        return f
    end
end

--- Make a result set from the hits of `drivefacts.core.search`; each hit's
-- `fact` is made when first read.
-- @tparam table hits as returned by `core.search`
-- @tparam function make_fact `make_fact(id)` gives the fact object; called
--   from the hit's `__index`
-- @return the result set
function resultset.from_search(hits, make_fact)
    for _, hit in ipairs(hits) do
        fact_makers[hit] = make_fact
        setmetatable(hit, Hit)
    end
    return resultset.new(hits)
end

-- Every method checks its self, as luaL_checkudata does for C methods: a
-- method called on another value (rs.ids(x), a copied function) names it.
local function check_self(value)
    if getmetatable(value) ~= ResultSet then
        check.type_error("drivefacts.resultset", value, 1)
    end
end

--- Whether a value is a result set.
-- @param value any value
-- @treturn boolean
function resultset.is_resultset(value)
    return getmetatable(value) == ResultSet
end

--- The ids of the facts in the result set, in result order.
-- @treturn {integer,...}
function methods:ids()
    check_self(self)
    local ids = {}
    for i, hit in ipairs(self) do
        ids[i] = hit.id
    end
    return ids
end

--- The total number of matches over all hits (`#rs` is the number of facts).
-- @treturn integer
function methods:count()
    check_self(self)
    local total = 0
    for _, hit in ipairs(self) do
        total = total + #hit.matches
    end
    return total
end

--- Iterate over the hits: `for hit in rs:each() do ... end`.
-- @treturn function iterator yielding one hit per call
function methods:each()
    check_self(self)
    local i = 0
    return function()
        i = i + 1
        return self[i]
    end
end

--- Format the result set with a registered formatter.
-- @tparam string name formatter name ("plain", "markdown", "json", "csv", "html" or registered)
-- @tparam[opt] table opts formatter options, e.g. {highlight = true}
-- @treturn string
function methods:format(name, opts)
    check_self(self)
    local text = formatters.format(self, name, opts, 1)
    return text
end

function ResultSet.__tostring(rs)
    local facts, matches = #rs, rs:count()
    return ("drivefacts.resultset: %d %s, %d %s"):format(
        facts, facts == 1 and "fact" or "facts", matches, matches == 1 and "match" or "matches")
end

check.export(methods)

return resultset
