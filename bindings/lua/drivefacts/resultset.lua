--- Result sets: what `db:search` and `query:run` return.
--
-- A result set is a sequence of hits (so `#rs`, `rs[i]` and `ipairs(rs)` work
-- as on any sequence) with methods from its metatable.  Each hit is
--
--    hit.id       fact id
--    hit.fact     the fact object (keeps its db alive)
--    hit.matches  array of {s =, e =, text =, groups =} (1-based, inclusive
--                 byte spans; unset groups are false); empty for facts that
--                 were selected without a regex
--
-- The result set of a search keeps its hits in C arrays (ids and spans) and
-- makes a hit's table when a script first reads it (`rs[i]`, `ipairs`,
-- `rs:each()`), then keeps it: `#rs`, `rs:ids()`, `rs:count()`, `rs:format`,
-- `rs:write` and a query's sorting by id or length make none.  Its hits
-- read their text from the db, which the result set keeps alive: after
-- `db:close()`, reading a hit not read before raises "attempt to use a
-- closed db".  Assigning into such a result set (`rs[#rs + 1] = hit`,
-- `table.insert`, `table.remove`) first makes every hit, then acts on a
-- plain sequence.  Lua 5.1 and LuaJIT, whose `#` and `ipairs` do not ask a
-- table's metatable, get every hit made up front.
-- @module drivefacts.resultset

local check = require "drivefacts.check"
local compat = require "drivefacts.compat"

local resultset = {}

local ResultSet = {__name = "drivefacts.resultset"}
local methods = {}

-- A result set whose hits are not all made -> {store = the C hits
-- (core.hits), make_fact = function(id) giving a fact, made = {[i] = hit}}.
-- Weak keys: the state lives as long as its result set.
local lazy = setmetatable({}, {__mode = "k"})

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

local function with_fact(hit, make_fact)
    fact_makers[hit] = make_fact
    return setmetatable(hit, Hit)
end

--- Make a result set from the hits of `drivefacts.core.search`; each hit's
-- `fact` is made when first read.
-- @tparam table hits as returned by `core.search`
-- @tparam function make_fact `make_fact(id)` gives the fact object; called
--   from the hit's `__index`
-- @return the result set
function resultset.from_search(hits, make_fact)
    for _, hit in ipairs(hits) do with_fact(hit, make_fact) end
    return resultset.new(hits)
end

-- Hit i of a lazy result set's state, made now if it was not yet.
local function hit_of(st, i)
    local hit = st.made[i]
    if hit == nil then
        hit = with_fact(st.store:hit(i), st.make_fact)
        st.made[i] = hit
    end
    return hit
end

--- Make a result set from the hits of `drivefacts.core.hits`, each hit's
-- table made when first read (see the module description).
-- @param store hits userdata as returned by `core.hits`
-- @tparam function make_fact as for `from_search`
-- @return the result set
function resultset.from_hits(store, make_fact)
    local st = {store = store, make_fact = make_fact, made = {}}
    if not compat.lazy_sequences then
        local hits = {}
        for i = 1, #store do hits[i] = hit_of(st, i) end
        return resultset.new(hits)
    end
    local rs = setmetatable({}, ResultSet)
    lazy[rs] = st
    return rs
end

-- The sequence of a lazy result set, every hit made, stored in the table
-- itself: from now on it is a plain result set.
local function make_all(rs)
    local st = lazy[rs]
    if st == nil then return end
    for i = 1, #st.store do rawset(rs, i, hit_of(st, i)) end
    lazy[rs] = nil
end

function ResultSet.__index(rs, key)
    local method = methods[key]
    if method ~= nil then return method end
    local st = lazy[rs]
    if st ~= nil and type(key) == "number" and key >= 1 and key <= #st.store and key % 1 == 0 then
        return hit_of(st, key)
    end
end

function ResultSet.__newindex(rs, key, value)
    make_all(rs)
    rawset(rs, key, value)
end

function ResultSet.__len(rs)
    local st = lazy[rs]
    if st ~= nil then return #st.store end
    return compat.rawlen(rs)
end

local function next_hit(rs, i)
    local hit = rs[i + 1]
    if hit ~= nil then return i + 1, hit end
end

-- Lua 5.2's ipairs asks __ipairs, not __index.
function ResultSet.__ipairs(rs)
    return next_hit, rs, 0
end

function ResultSet.__pairs(rs)
    make_all(rs)
    return next, rs, nil
end

--- (For `drivefacts.formatters` and the query builder.)  The hits of a
-- result set not made yet, as `core.hits` keeps them, and the hits made so
-- far ({[i] = hit}); nil for a result set whose hits are all tables.
-- @param rs result set
-- @return hits userdata or nil
-- @treturn table
-- @treturn function the result set's `make_fact`
function resultset.store(rs)
    local st = lazy[rs]
    if st ~= nil then return st.store, st.made, st.make_fact end
end

--- (For the query builder.)  A result set of the same db whose hits are
-- `store`'s (a `core.hits` userdata made from `rs`'s, by `hits:sorted` or
-- `hits:head`).
-- @param rs a result set with a store
-- @param store hits userdata
-- @return the result set
function resultset.with_store(rs, store)
    return resultset.from_hits(store, lazy[rs].make_fact)
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
    local st = lazy[self]
    if st ~= nil then
        local ids = st.store:ids()
        for i, hit in pairs(st.made) do ids[i] = hit.id end
        return ids
    end
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
    local st = lazy[self]
    if st ~= nil then
        -- a script may have changed the matches of the hits it read
        local total = st.store:count()
        for i, hit in pairs(st.made) do total = total + #hit.matches - st.store:matches(i) end
        return total
    end
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
    -- required here: the formatters read result sets (resultset.store)
    local text = require("drivefacts.formatters").format(self, name, opts, 1)
    return text
end

--- Write the result set formatted to a file handle, in blocks of about
-- 64 KiB, then flush it: a large result is never one string (unless the
-- formatter is one of your own, which returns one).  A write error stops
-- the writing and is returned as io functions return one.
-- @param file an open io file handle (`io.stdout`, `io.open(path, "wb")`)
-- @tparam string name formatter name, as for `rs:format`
-- @tparam[opt] table opts formatter options
-- @return true, or nil, the message and the error number
--   (`assert(rs:write(io.stdout, "plain"))` raises on a full disk)
function methods:write(file, name, opts)
    check_self(self)
    -- required here: the formatters read result sets (resultset.store)
    local ok, message, code = require("drivefacts.formatters").write(self, file, name, opts, 1)
    return ok, message, code
end

function ResultSet.__tostring(rs)
    local facts, matches = #rs, rs:count()
    return ("drivefacts.resultset: %d %s, %d %s"):format(
        facts, facts == 1 and "fact" or "facts", matches, matches == 1 and "match" or "matches")
end

check.export(methods)

return resultset
