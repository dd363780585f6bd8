--- The query builder: `db:query():match(...):where(...):sort_by(...):limit(...):run()`.
--
-- A query is a list of steps run in order, each taking the hits the
-- previous step left (initially every fact, in id order) and returning the
-- ones to keep, so steps compose: a `where` after a `match` sees only facts
-- that matched; a `match` after a `where` searches only facts that survived.
--
-- Queries are immutable: each builder method returns a new query, so a
-- partial query can be shared and extended in different ways, and `run`
-- can be called any number of times.
--
-- `mentions` asks the db's index, which knows aliases and misspellings;
-- `tagged` looks at `fact.tags`.
-- @module drivefacts.query

local check = require "drivefacts.check"
local compat = require "drivefacts.compat"
local fields = require "drivefacts.fields"
local regex = require "drivefacts.regex"
local resultset = require "drivefacts.resultset"

local query = {}

local Query = {__name = "drivefacts.query"}
local methods = {}
Query.__index = methods

--- Make an empty query over a db.
-- @param db the db
-- @tparam function search `search(regex [, opts])` → hits with facts, as
--   `core.search` takes `opts` (the db provides it, so a query never sees the corpus)
-- @return the query
function query.new(db, search)
    return setmetatable({db = db, search = search, steps = {}}, Query)
end

--- Whether a value is a query.
-- @param value any value
-- @treturn boolean
function query.is_query(value)
    return getmetatable(value) == Query
end

-- A copy of `q` with one more step.
local function with_step(q, step)
    local steps = compat.move(q.steps, 1, #q.steps, 1, {})
    steps[#steps + 1] = step
    return setmetatable({db = q.db, search = q.search, steps = steps}, Query)
end

-- Steps receive nil for "every fact, in id order", which a first `match`
-- can pass straight to the core instead of listing every id.
local function every_fact(db)
    local hits = {}
    for id, f in db:facts() do
        hits[id] = {id = id, fact = f, matches = {}}
    end
    return hits
end

local function filter(hits, keep)
    local kept = {}
    for _, hit in ipairs(hits) do
        if keep(hit) then kept[#kept + 1] = hit end
    end
    return kept
end

-- Stable sort: `before(a, b)` orders hits; ties keep their current order.
local function stable_sort(hits, before)
    local position = {}
    for i, hit in ipairs(hits) do position[hit] = i end
    table.sort(hits, function(a, b)
        if before(a, b) then return true end
        if before(b, a) then return false end
        return position[a] < position[b]
    end)
    return hits
end

-- Matches of two `match` steps over one fact, in text order.
local function merge_matches(earlier, later)
    if #earlier == 0 then return later end
    local all = compat.move(later, 1, #later, #earlier + 1, compat.move(earlier, 1, #earlier, 1, {}))
    return stable_sort(all, function(a, b) return a.s < b.s or (a.s == b.s and a.e < b.e) end)
end

--- Keep facts the regex matches, adding its matches to each hit.
-- @param pattern pattern string or compiled regex
-- @tparam[opt] string flags letters of "imsxFw" (only with a pattern string)
-- @return a new query
function methods:match(pattern, flags)
    local re = regex.coerce(pattern, flags, 1)
    return with_step(self, function(hits)
        if hits == nil then
            return self.search(re)
        end
        if #hits == 0 then return hits end
        local ids = {}
        for i, hit in ipairs(hits) do ids[i] = hit.id end
        local found = {}
        for _, hit in ipairs(self.search(re, {ids = ids})) do
            found[hit.id] = hit.matches
        end
        local kept = {}
        for _, hit in ipairs(hits) do
            local matches = found[hit.id]
            if matches then
                kept[#kept + 1] = {id = hit.id, fact = hit.fact, matches = merge_matches(hit.matches, matches)}
            end
        end
        return kept
    end)
end

--- Keep facts for which `predicate(fact, hit)` returns a true value.
-- Errors raised by the predicate propagate unchanged.
-- @tparam function predicate called with the fact and its hit (for `hit.matches`)
-- @return a new query
function methods:where(predicate)
    check.type(predicate, "function", 1)
    return with_step(self, function(hits)
        return filter(hits or every_fact(self.db), function(hit) return predicate(hit.fact, hit) end)
    end)
end

local function non_empty_string(value)
    check.type(value, "string", 1)
    if value == "" then check.arg_error(1, "empty string") end
    return value
end

--- Keep facts that mention an entity, found by any of its names, aliases
-- or known misspellings, ignoring case (as `db:mentions`), adding the
-- mentions to each hit's matches.
-- @tparam string name entity name or alias
-- @return a new query
function methods:mentions(name)
    non_empty_string(name)
    return with_step(self, function(hits)
        local found = self.db:mentions(name)
        if hits == nil then return found end
        local mentions = {}
        for _, hit in ipairs(found) do mentions[hit.id] = hit.matches end
        local kept = {}
        for _, hit in ipairs(hits) do
            if mentions[hit.id] then
                kept[#kept + 1] = {id = hit.id, fact = hit.fact,
                                   matches = merge_matches(hit.matches, mentions[hit.id])}
            end
        end
        return kept
    end)
end

--- Keep facts with a tag (in `fact.tags`), ignoring case (tag names are
-- ASCII).
-- @tparam string tag tag name
-- @return a new query
function methods:tagged(tag)
    local wanted = non_empty_string(tag):lower()
    return with_step(self, function(hits)
        return filter(hits or every_fact(self.db), function(hit)
            for _, name in ipairs(hit.fact.tags) do
                if name:lower() == wanted then return true end
            end
            return false
        end)
    end)
end

--- Keep facts whose field `name` (in `fact.fields`, from JSON Lines, CSV
-- or TSV records) is `value`: a string matches a string equal to it and the
-- text of a number, boolean or null ("1984", "true", "null"); a number, a
-- field equal to it as a number ("1984" too); a boolean, that boolean;
-- `df.null`, null.  A function is called as `value(field_value, fact)` for
-- every fact, absent fields too (nil), and keeps the fact when it returns a
-- true value.  A fact without the field is never kept by a value.
-- @tparam string name field name
-- @param value string, number, boolean, `df.null` or function
-- @return a new query
function methods:field(name, value)
    non_empty_string(name)
    local keep
    if type(value) == "function" then
        keep = function(f) return value(f.fields[name], f) end
    elseif type(value) == "string" or type(value) == "number" or type(value) == "boolean"
        or value == fields.null then
        keep = function(f) return fields.equal(f.fields[name], value) end
    else
        check.type_error("string, number, boolean, df.null or function", value, 2)
    end
    return with_step(self, function(hits)
        return filter(hits or every_fact(self.db), function(hit) return keep(hit.fact) end)
    end)
end

-- Orders for `sort_by` with a key name; ties keep the current order.
local SORT_KEYS = {
    id = function(a, b) return a.id < b.id end,
    length = function(a, b) return #a.fact.text < #b.fact.text end,
}
local SORT_KEY_NAMES = {"id", "length"}

--- Sort the hits: by a key ("id", or "length" for ascending text length in
-- bytes) or with a comparator `before(hit_a, hit_b)` as for `table.sort`.
-- The sort is stable: hits the order does not separate keep their order.
-- @param key "id", "length" or a function
-- @return a new query
function methods:sort_by(key)
    local before
    if type(key) == "function" then
        before = key
    elseif type(key) == "string" then
        before = SORT_KEYS[check.choice(key, SORT_KEY_NAMES, 1, "sort key")]
    else
        check.type_error("string or function", key, 1)
    end
    local name = type(key) == "string" and key or nil
    return with_step(self, function(hits)
        -- The hits of a search, kept in C, are sorted there by id or length.
        local store, made = nil, nil
        if hits ~= nil then store, made = resultset.store(hits) end
        if name and store and next(made) == nil then
            return resultset.with_store(hits, store:sorted(name))
        end
        local all = {}
        for i, hit in ipairs(hits or every_fact(self.db)) do all[i] = hit end
        return stable_sort(all, before)
    end)
end

--- Keep at most the first `n` hits.
-- @tparam integer n a non-negative integer
-- @return a new query
function methods:limit(n)
    n = check.integer(n, 0, 1)
    return with_step(self, function(hits)
        local store, made = nil, nil
        if hits ~= nil then store, made = resultset.store(hits) end
        if store and next(made) == nil then
            return resultset.with_store(hits, store:head(n))
        end
        hits = hits or every_fact(self.db)
        return compat.move(hits, 1, math.min(n, #hits), 1, {})
    end)
end

--- Run the query.
-- @return a result set (hits of facts no `match` step saw have `matches = {}`)
function methods:run()
    local hits = nil
    for _, step in ipairs(self.steps) do
        hits = step(hits)
    end
    return resultset.new(hits or every_fact(self.db))
end

function Query.__tostring(q)
    return ("drivefacts.query: %d %s"):format(#q.steps, #q.steps == 1 and "step" or "steps")
end

check.export(methods)

return query
