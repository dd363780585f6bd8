--- Fact objects: one table per fact, made once and cached by its db.
--
-- A fact is a plain table with the fields of the contract
--
--    fact.id        1-based id in its db
--    fact.text      the fact's text (trimmed, as loaded)
--    fact.line      1-based line of the source where the fact starts
--    fact.tags      list of tag names
--    fact.entities  list of entities the fact mentions
--    fact.db        the db it belongs to (keeps the db, hence the corpus, alive)
--
-- and `tostring(fact)` gives "id: text".
-- @module drivefacts.fact

local fact = {}

local Fact = {__name = "drivefacts.fact"}
Fact.__index = Fact

function Fact.__tostring(f)
    return ("%d: %s"):format(f.id, f.text)
end

-- The one place where facts get their tags and entities.  The index issue
-- (word / entity / tag index in the C core) fills these in; until it lands
-- every fact has none, and `query:mentions` / `query:tagged` match nothing.
-- Entities may be names or tables {name =, aliases = {...}}; tags may be
-- names or tables {name =}: the query module accepts both shapes.
local function annotations(db, corpus, id) -- luacheck: ignore 212 (unused until the index lands)
    return {}, {}
end

--- Make the fact object for one id.
-- @param db the db the fact belongs to
-- @param corpus its `drivefacts.core` corpus
-- @tparam integer id fact id, 1..#corpus
-- @treturn table the fact
function fact.new(db, corpus, id)
    local tags, entities = annotations(db, corpus, id)
    return setmetatable({
        id = id,
        text = corpus:text(id),
        line = corpus:line(id),
        tags = tags,
        entities = entities,
        db = db,
    }, Fact)
end

--- Whether a value is a fact object.
-- @param value any value
-- @treturn boolean
function fact.is_fact(value)
    return getmetatable(value) == Fact
end

return fact
