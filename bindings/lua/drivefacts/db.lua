--- The db object: a loaded corpus with fact objects, search and queries.
--
--    #db                 number of facts
--    db[i], db:fact(i)   fact object i (db[i] is nil outside 1..#db, like a
--                        table; db:fact(i) raises an argument error)
--    db:facts()          iterator: for id, fact in db:facts() do ... end
--    db:search(p [, f])  result set of the facts a pattern or regex matches
--    db:query()          an empty query builder
--    db:close()          release the corpus now rather than at collection;
--                        also run by `local db <close> = df.open()`
--    tostring(db)        "drivefacts.db: NAME (N facts)"
--
-- Using a closed db raises "attempt to use a closed db", as io does for files.
-- @module drivefacts.db

local core = require "drivefacts.core"
local check = require "drivefacts.check"
local fact = require "drivefacts.fact"
local query = require "drivefacts.query"
local regex = require "drivefacts.regex"
local resultset = require "drivefacts.resultset"

local db_module = {}

local Db = {__name = "drivefacts.db"}
local methods = {}

-- Per-db state, out of reach of users (a db is an empty table, so that any
-- integer key reaches __index).  Weak keys: the state lives as long as its db.
--   corpus  the drivefacts.core corpus, nil once closed
--   facts   id -> fact, weak values: a fact lives while someone holds it,
--           and holding it keeps the db alive through fact.db
local state = setmetatable({}, {__mode = "k"})

local function open_state(db, level)
    local st = state[db]
    if st == nil then
        error("calling a db method on a value that is not a db", level + 1)
    elseif st.corpus == nil then
        error("attempt to use a closed db", level + 1)
    end
    return st
end

local function fact_of(db, st, id)
    local f = st.facts[id]
    if f == nil then
        f = fact.new(db, st.corpus, id)
        st.facts[id] = f
    end
    return f
end

--- Wrap a `drivefacts.core` corpus as a db.
-- @param corpus corpus userdata
-- @return the db
function db_module.new(corpus)
    local db = setmetatable({}, Db)
    state[db] = {corpus = corpus, facts = setmetatable({}, {__mode = "v"})}
    return db
end

--- Whether a value is a db.
-- @param value any value
-- @treturn boolean
function db_module.is_db(value)
    return getmetatable(value) == Db and state[value] ~= nil
end

--- The corpus name (the file name, or the name given to `from_string`).
-- @param db an open db
-- @treturn string
function db_module.name(db)
    return open_state(db, 2).corpus:name()
end

--- Fact object `id`.
-- @tparam integer id 1..#db
-- @return the fact
function methods:fact(id)
    local st = open_state(self, 2)
    id = check.integer(id, math.mininteger, 1, "fact")
    if id < 1 or id > #st.corpus then
        check.arg_error(1, "fact", ("fact id out of range (1..%d)"):format(#st.corpus))
    end
    return fact_of(self, st, id)
end

local function next_fact(db, id)
    id = id + 1
    if id <= #db then
        return id, db:fact(id)
    end
end

--- Iterate over all facts in id order: `for id, fact in db:facts() do ... end`.
-- @treturn function iterator yielding id, fact
function methods:facts()
    open_state(self, 2)
    return next_fact, self, 0
end

-- Hits of core.search, each given its fact object.
local function search_hits(db, re, opts)
    local st = open_state(db, 3)
    return resultset.from_search(db, core.search(st.corpus, re, opts))
end

--- Search every fact, in id order.
-- @param pattern a pattern string or a compiled regex (`df.regex`)
-- @tparam[opt] string flags letters of "imsxFw"; only with a pattern string
-- @return result set
function methods:search(pattern, flags)
    open_state(self, 2)
    local re = regex.coerce(pattern, flags, "search", 1)
    local rs = search_hits(self, re)
    return rs
end

--- Count without building a result set: the cheap way to ask "how many".
-- @param pattern a pattern string or a compiled regex (`df.regex`)
-- @tparam[opt] string flags letters of "imsxFw"; only with a pattern string
-- @treturn integer the number of facts that match
-- @treturn integer the number of matches
function methods:count(pattern, flags)
    local st = open_state(self, 2)
    local re = regex.coerce(pattern, flags, "count", 1)
    local facts, matches = core.count(st.corpus, re)
    return facts, matches
end

--- Start a query over this db.
-- @return an empty query (see `drivefacts.query`)
function methods:query()
    open_state(self, 2)
    return query.new(self, function(re, opts) return search_hits(self, re, opts) end)
end

--- Release the corpus.  Later uses of the db raise an error; closing twice
-- is harmless.  Facts already made keep their text.
function methods:close()
    local st = state[self]
    if st and st.corpus then
        st.corpus:close()
        st.corpus = nil
    end
end

function Db.__index(db, key)
    local method = methods[key]
    if method ~= nil then return method end
    local id = math.type(key) == "float" and math.tointeger(key) or key
    if math.type(id) == "integer" then
        local st = open_state(db, 2)
        if id >= 1 and id <= #st.corpus then
            return fact_of(db, st, id)
        end
    end
    return nil
end

function Db.__len(db)
    return #open_state(db, 2).corpus
end

function Db.__tostring(db)
    local st = state[db]
    if st == nil or st.corpus == nil then
        return "drivefacts.db (closed)"
    end
    local n = #st.corpus
    return ("drivefacts.db: %s (%d %s)"):format(st.corpus:name(), n, n == 1 and "fact" or "facts")
end

Db.__close = methods.close

-- Assigning into a db would shadow facts or methods; refuse it.
function Db.__newindex()
    error("a db is read-only", 2)
end

return db_module
