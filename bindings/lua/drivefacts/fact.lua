--- Fact objects: one table per fact, made once and cached by its db.
--
-- A fact is a plain table with the fields of the contract
--
--    fact.id        1-based id in its db
--    fact.text      the fact's text (trimmed, as loaded)
--    fact.source    the file the fact came from (as found under a directory
--                   or as named; the corpus name for the embedded corpus or
--                   a string)
--    fact.line      1-based line of the source where the fact starts
--    fact.tags      list of tag names
--    fact.entities  list of the names of the entities the fact mentions
--    fact.years     list of the years it names, ascending
--    fact.films     list of its film references "Title (YYYY)":
--                   {title =, year =, film = name of the film entity or nil}
--    fact.fields    the fields of its record (JSON Lines, CSV, TSV), name →
--                   value: strings, numbers, booleans, `df.null`, tables for
--                   JSON arrays and objects; absent fields are nil; {} for
--                   a fact of another format (see `drivefacts.fields`)
--    fact.db        the db it belongs to (keeps the db, hence the corpus, alive)
--
-- and `tostring(fact)` gives "id: text".  Tags, entities, years and films
-- come from the db's index, and fields from its corpus, computed when first
-- read.
-- @module drivefacts.fact

local fact = {}

local Fact = {__name = "drivefacts.fact"}

function Fact.__tostring(f)
    return ("%d: %s"):format(f.id, f.text)
end

-- The fields the index gives a fact, computed when one is first read.
local ANNOTATIONS = {"tags", "entities", "years", "films"}
local IS_ANNOTATION = {tags = true, entities = true, years = true, films = true}

-- fact -> the annotator its db gave `fact.new`.  Weak keys: a fact's
-- annotator lives as long as the fact.
local annotators = setmetatable({}, {__mode = "k"})
-- fact -> the function its db gave `fact.new` to read its fields.
local field_readers = setmetatable({}, {__mode = "k"})

local function contains(list, value)
    for _, item in ipairs(list) do
        if item == value then return true end
    end
    return false
end

-- The one place where facts get their tags, entities, years and films: the
-- db's annotator gives the index's lists, the db's Lua tagging rules
-- {tag =, where = function(fact)} and the function that drops a rule.  The
-- fields are set before the rules run, so a rule may read them (and sees
-- the index's tags).  A rule that raises is dropped from its db, so that it
-- fails once, not on every later read: the error names it, and the fields
-- are left unset, to be computed again (without it) when next read.
local function annotations(f)
    local tags, entities, years, films, rules, drop = annotators[f](f)
    rawset(f, "tags", tags)
    rawset(f, "entities", entities)
    rawset(f, "years", years)
    rawset(f, "films", films)
    for _, rule in ipairs(rules) do
        if not contains(tags, rule.tag) then
            local ok, result = pcall(rule.where, f)
            if not ok then
                fact.forget(f)
                drop(rule)
                error(("tag rule '%s' raised an error and is dropped: %s"):format(
                    rule.tag, tostring(result)), 0)
            end
            if result then tags[#tags + 1] = rule.tag end
        end
    end
end

function Fact.__index(f, key)
    if IS_ANNOTATION[key] then
        annotations(f)
        return rawget(f, key)
    elseif key == "fields" then
        local values = field_readers[f](f)
        rawset(f, "fields", values)
        return values
    end
    return Fact[key]
end

--- Make the fact object for one id.
-- @param db the db the fact belongs to
-- @param corpus its `drivefacts.core` corpus
-- @tparam integer id fact id, 1..#corpus
-- @tparam function annotator `annotator(fact)` → tags, entities, years,
--   films, Lua tagging rules, and a function that drops a rule from the db;
--   called when one of those fields is first read
-- @tparam function read_fields `read_fields(fact)` → the table of `fact.fields`,
--   called when it is first read
-- @treturn table the fact
function fact.new(db, corpus, id, annotator, read_fields)
    local f = setmetatable({
        id = id,
        text = corpus:text(id),
        line = corpus:line(id),
        source = corpus:source(id),
        db = db,
    }, Fact)
    annotators[f] = annotator
    field_readers[f] = read_fields
    return f
end

--- Drop a fact's tags, entities, years and films, to be computed again
-- when next read (after its db learnt new entities or tagging rules).
-- @param f a fact
function fact.forget(f)
    for _, key in ipairs(ANNOTATIONS) do
        rawset(f, key, nil)
    end
end

--- Whether a value is a fact object.
-- @param value any value
-- @treturn boolean
function fact.is_fact(value)
    return getmetatable(value) == Fact
end

return fact
