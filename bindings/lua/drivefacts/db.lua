--- The db object: a loaded corpus with fact objects, search and queries.
--
--    #db                 number of facts
--    db[i], db:fact(i)   fact object i (db[i] is nil outside 1..#db, like a
--                        table; db:fact(i) raises an argument error)
--    db:facts()          iterator: for id, fact in db:facts() do ... end
--    db:search(p [, f [, opts]])  result set of the facts a pattern or
--                        regex matches (opts.limit: the first facts only)
--    db:scan(p, fn [, opts])  fn(id) for each matching fact, as found
--    db:query()          an empty query builder
--    db:entities()       the entities the index knows, with their counts
--    db:mentions(name)   result set of the facts mentioning an entity
--    db:tags()           the tags and how many facts carry each
--    db:duplicates{threshold = t}  near-duplicate pairs of facts
--    db:each_duplicate{...}        the same, one at a time
--    db:add_entity{...}, db:add_entities_file(path), db:add_tag_rule{...}
--                        teach the index; facts' tags and entities follow
--    db:profile()        the name of the db's profile, or nil
--    db:sources()        the files the facts came from, in load order
--    db:fields()         the names of the fields of records (JSON Lines,
--                        CSV, TSV), in order of first appearance
--    db:index_memory()   bytes the index holds
--    db:build_prefilter()  build the trigram prefilter: searches and counts
--                        then visit only facts that hold the pattern's
--                        literals (same results); returns db
--    db:prefilter_memory() bytes the prefilter holds (0 before it is built)
--    db:close()          release the corpus now rather than at collection;
--                        also run by `local db <close> = df.open()`
--    tostring(db)        "drivefacts.db: NAME (N facts)"
--
-- Using a closed db raises "attempt to use a closed db", as io does for files.
-- @module drivefacts.db

local core = require "drivefacts.core"
local check = require "drivefacts.check"
local compat = require "drivefacts.compat"
local fact = require "drivefacts.fact"
local fields = require "drivefacts.fields"
local query = require "drivefacts.query"
local regex = require "drivefacts.regex"
local resultset = require "drivefacts.resultset"

local db_module = {}

local Db = {__name = "drivefacts.db"}
local methods = {}

-- Per-db state, out of reach of users.  A db is an empty userdata (not a
-- table: Lua 5.1 and LuaJIT ignore __len on tables), so that every key
-- reaches __index.  Weak keys: the state lives as long as its db.
--   corpus  the drivefacts.core corpus, nil once closed
--   facts   id -> fact, weak values: a fact lives while someone holds it,
--           and holding it keeps the db alive through fact.db
--   tag_functions  the Lua tagging rules, {tag =, where = function(fact)}...
--   annotator      fact.new's annotator for this db
local state = setmetatable({}, {__mode = "k"})

local function open_state(db)
    local st = state[db]
    if st == nil then
        check.error("calling a db method on a value that is not a db")
    elseif st.corpus == nil then
        check.error("attempt to use a closed db")
    end
    return st
end

local function fact_of(db, st, id)
    local f = st.facts[id]
    if f == nil then
        f = fact.new(db, st.corpus, id, st.annotator, st.read_fields)
        st.facts[id] = f
    end
    return f
end

-- A hit's fact, made on its first read (reader -> Hit.__index -> here).
local function hit_fact_maker(db)
    return function(id)
        return fact_of(db, open_state(db), id)
    end
end

--- A result set of the facts `ids` (valid ids), in that order, without
-- matches; each fact made when first read, so that a section chosen by
-- length or by duplicates costs nothing per fact of the corpus.
-- @param db the db
-- @tparam {integer,...} ids
-- @return result set
function db_module.facts_of(db, ids)
    open_state(db)
    local hits = {}
    for i, id in ipairs(ids) do hits[i] = {id = id, matches = {}} end
    return resultset.from_search(hits, hit_fact_maker(db))
end

--- The ids of the `n` longest facts (in bytes), longest first, the lower
-- id first among equals.
-- @param db the db
-- @tparam integer n
-- @treturn {integer,...}
function db_module.longest(db, n)
    return open_state(db).corpus:longest(n)
end

--- The facts' bytes, words (runs of non-space, as `"%S+"` counts them)
-- and the ids of the first longest and first shortest fact in bytes
-- (nil without facts), counted in C without a fact object per fact.
-- @param db the db
-- @treturn table `{bytes =, words =, longest =, shortest =}`
function db_module.text_stats(db)
    return open_state(db).corpus:text_stats()
end

--- The bytes of the facts' text.
-- @param db the db
-- @treturn integer
function db_module.bytes(db)
    return open_state(db).corpus:bytes()
end

--- A result set of the facts `db:query():tagged(name)` keeps, ascending,
-- without matches, from the index alone and kept in C (a hit made when
-- read); nil when Lua tagging rules (which the index does not know) may
-- tag facts too.
-- @param db the db
-- @tparam string name tag name, ignoring case
-- @return ?result set
function db_module.tag_facts(db, name)
    local st = open_state(db)
    if #st.tag_functions > 0 then return nil end
    return resultset.from_hits(st.corpus:tag_facts(name), hit_fact_maker(db))
end

--- A result set of the facts that mention any of the entities `list`
-- numbers (positions in `db:entities()`), ascending, without matches,
-- kept in C as `tag_facts`'s.
-- @param db the db
-- @tparam {integer,...} list
-- @return result set
function db_module.entity_facts(db, list)
    return resultset.from_hits(open_state(db).corpus:entity_facts(list), hit_fact_maker(db))
end

--- Facts by length in characters or by the years they name, counted in C:
-- `{[value] = facts}` and the number of facts with no value; with `first,
-- width, n`, the facts per span i = min(n, (value - first) // width + 1),
-- each fact once per span (`drivefacts.chart` makes the spans).
-- @param db the db
-- @tparam string what `"length"` or `"year"`
function db_module.numeric_counts(db, what, first, width, n)
    return open_state(db).corpus:numeric_counts(what, first, width, n)
end

--- Wrap a `drivefacts.core` corpus as a db.
-- @param corpus corpus userdata, with its profile's knowledge already added
-- @param[opt] p its profile (`drivefacts.profile`), or nil
-- @return the db
function db_module.new(corpus, p)
    local db = core.proxy(Db)
    local st = {corpus = corpus, facts = setmetatable({}, {__mode = "v"}), tag_functions = {},
                profile = p}
    -- A Lua tagging rule that raised: out of the rules, and out of every
    -- fact's tags, which were computed with it.
    local function drop_rule(rule)
        for i = #st.tag_functions, 1, -1 do
            if st.tag_functions[i] == rule then table.remove(st.tag_functions, i) end
        end
        for _, other in pairs(st.facts) do fact.forget(other) end
    end
    -- Through f.db, not an upvalue: the state must not hold its db, or
    -- without ephemerons (Lua 5.1, LuaJIT) the db would never be collected.
    function st.annotator(f)
        local tags, entities, years, films = open_state(f.db).corpus:annotate(f.id)
        return tags, entities, years, films, st.tag_functions, drop_rule
    end
    function st.read_fields(f)
        return open_state(f.db).corpus:field_values(f.id, fields.null, fields.decode)
    end
    state[db] = st
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
    return open_state(db).corpus:name()
end

--- The profile of a db (`drivefacts.profile`), or nil.
-- @param db an open db
function db_module.profile(db)
    return open_state(db).profile
end

--- Fact object `id`.
-- @tparam integer id 1..#db
-- @return the fact
function methods:fact(id)
    local st = open_state(self)
    id = check.integer(id, -math.huge, 1)
    if id < 1 or id > #st.corpus then
        check.arg_error(1, ("fact id out of range (1..%d)"):format(#st.corpus))
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
    open_state(self)
    return next_fact, self, 0
end

-- The hits of a search, kept in C and made into tables when read, each
-- given its fact object.
local function search_hits(db, re, opts)
    local st = open_state(db)
    return resultset.from_hits(core.hits(st.corpus, re, opts), hit_fact_maker(db))
end

-- opts.limit of `search` and `scan`, checked: nil or a non-negative integer.
local function limit_of(opts, pos)
    check.opt_type(opts, "table", pos)
    local limit = opts and opts.limit
    if limit ~= nil and (type(limit) ~= "number" or compat.tointeger(limit) == nil or limit < 0) then
        check.arg_error(pos, "limit: non-negative integer expected, got " .. tostring(limit))
    end
    return limit
end

--- Search every fact, in id order.
-- @param pattern a pattern string or a compiled regex (`df.regex`)
-- @tparam[opt] string flags letters of "imsxFw"; only with a pattern string
-- @tparam[opt] table opts `limit`: stop after this many facts (the search
--   stops there: no work, no memory for the rest)
-- @return result set
function methods:search(pattern, flags, opts)
    open_state(self)
    local re = regex.coerce(pattern, flags, 1)
    local limit = limit_of(opts, 3)
    local rs = search_hits(self, re, limit and {limit = limit})
    return rs
end

--- Call `fn(id)` for each fact that matches, in id order, as the search
-- finds it: no result set, no match spans kept, so memory stays small
-- whatever the number of hits, and an error raised by `fn` stops the search
-- at once (a consumer that went away stops the work).
-- @param pattern a pattern string or a compiled regex (`df.regex`)
-- @tparam function fn called with each matching fact's id
-- @tparam[opt] table opts `limit`: stop after this many facts
-- @treturn integer the number of calls made
function methods:scan(pattern, fn, opts)
    local st = open_state(self)
    local re = regex.coerce(pattern, nil, 1)
    check.type(fn, "function", 2)
    local limit = limit_of(opts, 3)
    local calls = 0
    core.search(st.corpus, re, {spans = false, limit = limit, each = function(id)
        calls = calls + 1
        fn(id)
    end})
    return calls
end

--- Count without building a result set: the cheap way to ask "how many".
-- @param pattern a pattern string or a compiled regex (`df.regex`)
-- @tparam[opt] string flags letters of "imsxFw"; only with a pattern string
-- @treturn integer the number of facts that match
-- @treturn integer the number of matches
function methods:count(pattern, flags)
    local st = open_state(self)
    local re = regex.coerce(pattern, flags, 1)
    local facts, matches = core.count(st.corpus, re)
    return facts, matches
end

--- Build the trigram prefilter (once; later calls do nothing).  Searches
-- and counts over the whole db then run the regex only on the facts that
-- hold the literals every match needs: the same results, much sooner for
-- selective patterns.  Memory: see `db:prefilter_memory()`.  A db of at
-- least 1 MiB of text builds it by itself on the second search or count
-- over every fact whose pattern has literals (comments, inline options,
-- `\Q...\E` and lookarounds do not hide them): a first question may be
-- the only one, a second says more will come.  The build costs as much
-- as a few regex searches of every fact (about 2.4 s per 100 MiB) and 0.6
-- times the text in memory; `df.open(path, {prefilter = false})` refuses
-- it, `true` builds it at load.
-- @return the db
function methods:build_prefilter()
    open_state(self).corpus:build_prefilter()
    return self
end

--- Bytes of memory the prefilter holds; 0 before `db:build_prefilter()`.
-- @treturn integer
function methods:prefilter_memory()
    return open_state(self).corpus:prefilter_memory()
end

--- The entities the index knows, in the order of their definitions.
-- @treturn table `{ {name =, kind =, aliases = {...}, count = facts,
--   mentions = mentions}... }`
function methods:entities()
    return open_state(self).corpus:entities()
end

--- The facts that mention an entity, found by any of its names, aliases
-- or known misspellings, ignoring case.
-- @tparam string name a name or alias
-- @return result set in id order whose matches are the mentions of the
--   entity (by whichever name); empty for a name no entity has
function methods:mentions(name)
    local st = open_state(self)
    check.type(name, "string", 1)
    local hits = st.corpus:mentions(name)
    if hits == nil then return resultset.new({}) end
    return resultset.from_hits(hits, hit_fact_maker(self))
end

--- The tags, in the order their rules were first given, with the number
-- of facts carrying each (tags of Lua tagging rules included).
-- @treturn table `{ {name =, count =}... }`
function methods:tags()
    local st = open_state(self)
    local tags = st.corpus:tags()
    if #st.tag_functions == 0 then return tags end
    local by_name = {}
    for _, tag in ipairs(tags) do
        tag.count, by_name[tag.name] = 0, tag
    end
    for _, rule in ipairs(st.tag_functions) do
        if by_name[rule.tag] == nil then
            by_name[rule.tag] = {name = rule.tag, count = 0}
            tags[#tags + 1] = by_name[rule.tag]
        end
    end
    for _, f in self:facts() do
        for _, name in ipairs(f.tags) do
            by_name[name].count = by_name[name].count + 1
        end
    end
    return tags
end

-- The threshold and limit of `duplicates` and `each_duplicate`.
local function duplicate_options(opts)
    check.opt_type(opts, "table", 1)
    local threshold = opts and opts.threshold or 0.5
    if type(threshold) ~= "number" then
        check.arg_error(1, "threshold: number expected, got " .. check.typename(threshold))
    elseif not (threshold >= 0 and threshold <= 1) then
        check.arg_error(1, ("threshold: %s is not from 0 to 1"):format(threshold))
    end
    local limit = opts and opts.limit
    if limit ~= nil and (type(limit) ~= "number" or compat.tointeger(limit) == nil or limit < 0) then
        check.arg_error(1, "limit: non-negative integer expected, got " .. tostring(limit))
    end
    return threshold, limit
end

--- Pairs of near-duplicate facts, best first.  Identical facts (the same
-- words) are always found, however many: each copy is paired with the
-- first fact of its text.  Word pairs found in more than 256 facts are not
-- used to look for similar facts, and each fact keeps its 16 best partners
-- among the longer facts (see the README).  A `limit` is cheaper than
-- cutting the whole list: the search raises its bar as it finds the best.
-- @tparam[opt] table opts `threshold`: the smallest score, 0 to 1 (default
--   0.5); `limit`: at most this many pairs, the best ones
-- @treturn table `{ {a =, b =, score =, kind =, containment =, jaccard =}... }`
--   with a < b, scores in [0, 1] and kind "identical", "contained" or "similar"
-- @see each_duplicate
function methods:duplicates(opts)
    local st = open_state(self)
    return st.corpus:duplicates(duplicate_options(opts))
end

--- The pairs of `duplicates`, in the same order, one at a time: the pairs
-- are held in C (40 bytes each) and each becomes a table only when the
-- loop asks for it, so that a big corpus's pairs can be printed as they
-- come without a table per pair for the whole result.  The pairs are all
-- found before the first is returned (they come best first).
--
--    for pair in db:each_duplicate{threshold = 0.8} do
--        print(pair.a, pair.b, pair.score, pair.kind)
--    end
-- @tparam[opt] table opts as `duplicates`: `threshold`, `limit`
-- @treturn function an iterator: the next pair, a table as in `duplicates`,
--   or nil after the last
function methods:each_duplicate(opts)
    local st = open_state(self)
    return st.corpus:each_duplicate(duplicate_options(opts))
end

-- After the index learnt something, facts compute their fields again.
local function forget_annotations(st)
    for _, f in pairs(st.facts) do
        fact.forget(f)
    end
end

-- A field of the table argument (#1) of the method the user called.
local function field_type(spec, field, expected, optional)
    local value = spec[field]
    if type(value) ~= expected and not (optional and value == nil) then
        check.arg_error(1, ("%s: %s expected, got %s"):format(field, expected, check.typename(value)))
    end
    return value
end

--- Add an entity, or aliases to a known entity of the same kind and name.
-- Names and aliases match caselessly unless written in double quotes.
-- @tparam table spec `{name =, kind =, aliases = {...}}`; kind is any name
--   of 1 to 64 of A-Z a-z 0-9 - _ ("person", "author", "ship")
function methods:add_entity(spec)
    local st = open_state(self)
    check.type(spec, "table", 1)
    local name = field_type(spec, "name", "string")
    local kind = field_type(spec, "kind", "string")
    local aliases = field_type(spec, "aliases", "table", true)
    -- The core takes C strings: a NUL would silently cut a name short.
    if name:find("\0", 1, true) then
        check.arg_error(1, "name: a name cannot hold a NUL byte")
    end
    for i, alias in ipairs(aliases or {}) do
        if type(alias) ~= "string" then
            check.arg_error(1, ("aliases[%d]: string expected, got %s"):format(i, check.typename(alias)))
        elseif alias:find("\0", 1, true) then
            check.arg_error(1, ("aliases[%d]: a name cannot hold a NUL byte"):format(i))
        end
    end
    local added, reason = st.corpus:add_entity(kind, name, aliases)
    if not added then check.arg_error(1, reason) end
    forget_annotations(st)
end

--- Add the entities of a file in the format of the embedded list
-- (`kind: Name = alias, alias`).
-- @tparam string path
-- @return true, or nil and a message naming the file (and the line)
function methods:add_entities_file(path)
    local st = open_state(self)
    check.type(path, "string", 1)
    local ok, err = st.corpus:add_entities_file(path)
    if ok then forget_annotations(st) end
    return ok, err
end

--- Add a tagging rule: facts a regex matches, or facts for which a Lua
-- function returns a true value, get the tag.  A regex rule is tried on
-- every fact first: one that hits a match or depth limit raises an error
-- naming it and is not added.  A `where` function that raises is dropped
-- from the db, and the read of tags that ran it raises once, naming the
-- rule; the db stays usable.  A `where` that might run away can be bounded
-- with `df.bounded`.
-- @tparam table spec `{tag =, pattern =, flags =}` (flags as for `df.regex`)
--   or `{tag =, where = function(fact) ... end}`
function methods:add_tag_rule(spec)
    local st = open_state(self)
    check.type(spec, "table", 1)
    local tag = field_type(spec, "tag", "string")
    if spec.where ~= nil then
        local where = field_type(spec, "where", "function")
        if spec.pattern ~= nil then
            check.arg_error(1, "pattern and where: give one of them")
        end
        -- the core's rule for tag names, for tags the core never sees
        if #tag > 64 or not tag:match("^[%w_-]+$") then
            check.arg_error(1, ("tag: bad tag name '%s' (1 to 64 of A-Z a-z 0-9 - _)"):format(tag))
        end
        st.tag_functions[#st.tag_functions + 1] = {tag = tag, where = where}
    else
        local pattern = field_type(spec, "pattern", "string")
        local flags = field_type(spec, "flags", "string", true)
        local added, reason = st.corpus:add_tag_rule(tag, pattern, flags)
        if not added then check.arg_error(1, reason) end
    end
    forget_annotations(st)
end

--- The files the facts came from, in load order (one name for the
-- embedded corpus or a string).
-- @treturn {string,...}
function methods:sources()
    return open_state(self, 2).corpus:sources()
end

--- The names of the fields of the db's records (JSON Lines, CSV, TSV), in
-- order of first appearance; {} for the other formats.  Each fact's values
-- are in `fact.fields`.
-- @treturn {string,...}
function methods:fields()
    return open_state(self).corpus:fields()
end

--- The name of the profile whose knowledge the db got at open, or nil.
-- @treturn string|nil
function methods:profile()
    local p = open_state(self).profile
    return p and p.name
end

--- Bytes of memory the index holds (built if it was not yet).
-- @treturn integer
function methods:index_memory()
    return open_state(self).corpus:index_memory()
end

--- Start a query over this db.
-- @return an empty query (see `drivefacts.query`)
function methods:query()
    open_state(self)
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
    local id = compat.tointeger(key)
    if id then
        local st = open_state(db)
        if id >= 1 and id <= #st.corpus then
            return fact_of(db, st, id)
        end
    end
    return nil
end

function Db.__len(db)
    return #open_state(db).corpus
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

check.export(methods)

return db_module
