-- The query builder: db:query():match():where():mentions():tagged():sort_by():limit():run().

local df = require "drivefacts"
local compat = require "drivefacts.compat"

local db = df.open()

local function ids_where(keep)
    local ids = {}
    for id, fact in db:facts() do
        if keep(fact) then ids[#ids + 1] = id end
    end
    return ids
end

describe("an empty query", function()
    it("returns every fact in id order, without matches", function()
        local rs = db:query():run()
        assert.are.equal(#db, #rs)
        for i, hit in ipairs(rs) do
            assert.are.equal(i, hit.id)
            assert.are.equal(db[i], hit.fact)
            assert.are.same({}, hit.matches)
        end
        assert.are.equal(0, rs:count())
    end)

    it("describes itself", function()
        assert.are.equal("drivefacts.query: 0 steps", tostring(db:query()))
        assert.are.equal("drivefacts.query: 2 steps", tostring(db:query():match("a"):limit(1)))
    end)
end)

describe("query:match", function()
    it("gives what db:search gives", function()
        local rs, expected = db:query():match("car", "i"):run(), db:search("car", "i")
        assert.are.same(expected:ids(), rs:ids())
        assert.are.equal(expected:count(), rs:count())
        assert.are.same(expected[1].matches, rs[1].matches)
    end)

    it("accepts a compiled regex, not with flags", function()
        local re = df.regex("gosling", "i")
        assert.are.same(db:search(re):ids(), db:query():match(re):run():ids())
        assert.has_error(function() db:query():match(re, "i") end,
            "bad argument #2 to 'match' (flags given with a compiled regex)")
    end)

    it("searches only the surviving facts after a where", function()
        local calls = 0
        local short = function(fact) calls = calls + 1; return #fact.text < 150 end
        local rs = db:query():where(short):match("Gosling"):run()
        assert.are.equal(#db, calls)
        assert.are.same(ids_where(function(f) return #f.text < 150 and f.text:find("Gosling", 1, true) end), rs:ids())
        for hit in rs:each() do
            assert.is_true(#hit.matches > 0)
        end
    end)

    it("intersects two matches and merges their matches in text order", function()
        local rs = db:query():match("Gosling"):match("Mulligan"):run()
        assert.are.same(ids_where(function(f)
            return f.text:find("Gosling", 1, true) and f.text:find("Mulligan", 1, true)
        end), rs:ids())
        for hit in rs:each() do
            local gosling, mulligan = 0, 0
            for j, m in ipairs(hit.matches) do
                if j > 1 then assert.is_true(m.s > hit.matches[j - 1].s) end
                if m.text == "Gosling" then gosling = gosling + 1 else mulligan = mulligan + 1 end
            end
            assert.is_true(gosling > 0 and mulligan > 0)
        end
    end)

    it("raises for wrong arguments", function()
        assert.has_error(function() db:query():match(1) end,
            "bad argument #1 to 'match' (string or regex expected, got number)")
        assert.error_matches(function() db:query():match("x", "Q") end, "bad argument #2 to 'match' %(unknown flag 'Q'")
        assert.error_matches(function() db:query():match("[") end, "^bad argument #1 to 'match' %(.+offset %d+")
    end)
end)

describe("query:where", function()
    it("after a match sees only matching facts, and their hits", function()
        local seen = {}
        local rs = db:query():match("Refn"):where(function(fact, hit)
            assert.truthy(fact.text:find("Refn", 1, true))
            assert.are.equal(fact, hit.fact)
            seen[#seen + 1] = fact.id
            return #hit.matches >= 3
        end):run()
        assert.are.same(db:search("Refn"):ids(), seen)
        for hit in rs:each() do assert.is_true(#hit.matches >= 3) end
        assert.is_true(#rs > 0)
    end)

    it("leaves matches empty when no match step ran", function()
        local rs = db:query():where(function(fact) return fact.text:find("Kavinsky", 1, true) end):run()
        assert.is_true(#rs > 0)
        for hit in rs:each() do assert.are.same({}, hit.matches) end
    end)

    it("lets errors from the predicate through with the user's message", function()
        local q = db:query():where(function(fact)
            if fact.id == 3 then error("no third fact, please") end
            return true
        end)
        assert.error_matches(function() q:run() end, "no third fact, please")
        assert.has_error(function()
            db:query():where(function() error({code = 7}) end):run()
        end, {code = 7})
    end)

    it("needs a function", function()
        assert.has_error(function() db:query():where("id > 3") end,
            "bad argument #1 to 'where' (function expected, got string)")
    end)
end)

describe("query:sort_by", function()
    -- Lengths 3 3 2 3 1 (ids 1..5): ties on purpose.
    local small = assert(df.from_string("aaa\n\nbbb\n\ncc\n\nddd\n\ne"))

    it("sorts by ascending length, ties in id order", function()
        assert.are.same({5, 3, 1, 2, 4}, small:query():sort_by("length"):run():ids())
    end)

    it("is stable: ties keep the order of an earlier sort", function()
        local by_id_desc = function(a, b) return a.id > b.id end
        assert.are.same({5, 3, 4, 2, 1}, small:query():sort_by(by_id_desc):sort_by("length"):run():ids())
    end)

    it("orders the whole corpus by length, ties by id", function()
        local rs = db:query():sort_by("length"):run()
        assert.are.equal(#db, #rs)
        for i = 2, #rs do
            local a, b = rs[i - 1], rs[i]
            assert.is_true(#a.fact.text < #b.fact.text or (#a.fact.text == #b.fact.text and a.id < b.id))
        end
    end)

    it("sorts by id and with a comparator on hits", function()
        local by_matches = function(a, b) return #a.matches > #b.matches end
        local rs = db:query():match("Refn"):sort_by(by_matches):run()
        for i = 2, #rs do
            local a, b = rs[i - 1], rs[i]
            assert.is_true(#a.matches > #b.matches or (#a.matches == #b.matches and a.id < b.id))
        end
        assert.are.same(db:search("Refn"):ids(), db:query():match("Refn"):sort_by(by_matches):sort_by("id"):run():ids())
    end)

    it("refuses unknown keys, listing the known ones", function()
        assert.has_error(function() db:query():sort_by("size") end,
            "bad argument #1 to 'sort_by' (unknown sort key 'size'; expected one of: id, length)")
        assert.has_error(function() db:query():sort_by(1) end,
            "bad argument #1 to 'sort_by' (string or function expected, got number)")
    end)
end)

describe("query:limit", function()
    it("keeps the first n hits", function()
        local all = db:search("Gosling")
        assert.are.same({all[1].id, all[2].id, all[3].id}, db:query():match("Gosling"):limit(3):run():ids())
        assert.are.equal(0, #db:query():limit(0):run())
        assert.are.equal(#all, #db:query():match("Gosling"):limit(1000):run())
    end)

    it("applies after a sort: the five shortest facts", function()
        local five = db:query():sort_by("length"):limit(5):run()
        assert.are.same({compat.unpack(db:query():sort_by("length"):run():ids(), 1, 5)}, five:ids())
    end)

    it("needs a non-negative integer", function()
        assert.has_error(function() db:query():limit(-1) end,
            "bad argument #1 to 'limit' (integer >= 0 expected, got -1)")
        assert.has_error(function() db:query():limit(2.5) end,
            "bad argument #1 to 'limit' (number has no integer representation)")
        assert.has_error(function() db:query():limit("2") end,
            "bad argument #1 to 'limit' (number expected, got string)")
    end)
end)

describe("queries", function()
    it("are immutable: extending one leaves it as it was", function()
        local base = db:query():match("Gosling")
        local limited = base:limit(2)
        assert.are.equal(2, #limited:run())
        assert.are.equal(#db:search("Gosling"), #base:run())
    end)

    it("give the same result each run", function()
        local q = db:query():match("film", "i"):sort_by("length"):limit(7)
        assert.are.same(q:run():ids(), q:run():ids())
    end)

    it("compose all steps in order", function()
        local rs = db:query()
            :match([[\b(19|20)\d\d\b]])
            :where(function(fact) return fact.text:find("Refn", 1, true) ~= nil end)
            :sort_by("length")
            :limit(4)
            :run()
        assert.is_true(#rs > 0 and #rs <= 4)
        for i, hit in ipairs(rs) do
            assert.truthy(hit.fact.text:find("Refn", 1, true))
            assert.truthy(hit.matches[1].text:match("^%d%d%d%d$"))
            if i > 1 then assert.is_true(#rs[i - 1].fact.text <= #hit.fact.text) end
        end
    end)
end)

-- The index's side (aliases, misspellings, tags of the data) is in
-- index_spec.lua; here, how the steps compose with the others.
describe("query:mentions and query:tagged", function()
    it("keep the facts db:mentions finds, by any name, alias or misspelling", function()
        local ids = db:mentions("Carey Mulligan"):ids()
        assert.is_true(#ids > 0)
        assert.are.same(ids, db:query():mentions("Carey Mulligan"):run():ids())
        assert.are.same(ids, db:query():mentions("carry muligan"):run():ids())
        assert.are.same({}, db:query():mentions("Nobody At All"):run():ids())
    end)

    it("filter what earlier steps kept, and keep their matches", function()
        local rs = db:query():match("Drive"):mentions("Refn"):run()
        assert.is_true(#rs > 0)
        for _, hit in ipairs(rs) do
            assert.is_true(#hit.matches > 0)
            assert.truthy(hit.fact.text:find("Drive", 1, true))
        end
        local both = db:query():tagged("music"):mentions("Kavinsky"):run()
        assert.is_true(#both > 0)
        for _, hit in ipairs(both) do
            assert.truthy(table.concat(hit.fact.tags, " "):find("music", 1, true))
        end
    end)

    it("compare tags caselessly, reading fact.tags", function()
        local small = assert(df.from_string("one\n\ntwo\n\nthree\n\nfour"))
        local one, three = small[1], small[3]
        one.tags, three.tags = {"music"}, {"Cars"}
        assert.are.same({1}, small:query():tagged("Music"):run():ids())
        assert.are.same({3}, small:query():tagged("cars"):run():ids())
        assert.are.same({}, small:query():tagged("car"):run():ids())
    end)

    it("need a non-empty name", function()
        assert.has_error(function() db:query():mentions(1) end,
            "bad argument #1 to 'mentions' (string expected, got number)")
        assert.has_error(function() db:query():tagged("") end, "bad argument #1 to 'tagged' (empty string)")
    end)
end)
