-- db:search and result sets: #rs, rs[i], rs:ids(), rs:count(), rs:each().

local df = require "drivefacts"

local db = df.open()

-- What db:search should find for a literal pattern, computed with the
-- string library: the ids of facts containing it and the number of
-- (non-overlapping) occurrences.
local function plain_find(needle, fold)
    local ids, count = {}, 0
    for id, fact in db:facts() do
        local text = fold and fact.text:lower() or fact.text
        local pos, found = 1, false
        while true do
            local s, e = text:find(needle, pos, true)
            if not s then break end
            found, count, pos = true, count + 1, e + 1
        end
        if found then ids[#ids + 1] = id end
    end
    return ids, count
end

describe("db:search", function()
    it("finds the Gosling facts, in id order", function()
        local rs = db:search("Gosling")
        local ids, count = plain_find("Gosling")
        assert.are.same(ids, rs:ids())
        assert.are.equal(#ids, #rs)
        assert.are.equal(count, rs:count())
        assert.are.same({1, 2, 3, 4}, {rs[1].id, rs[2].id, rs[3].id, rs[4].id})
    end)

    for _, literal in ipairs({"Refn", "Mulligan", "the", "film", "Los Angeles", "(2011)", "Söderström", "'s"}) do
        it("agrees with a string.find loop for the literal " .. literal, function()
            local rs = db:search(literal, "F")
            local ids, count = plain_find(literal)
            assert.are.same(ids, rs:ids())
            assert.are.equal(count, rs:count())
        end)
    end

    it("searches caselessly with flag i", function()
        local ids, count = plain_find("drive", true)
        local rs = db:search("drive", "i")
        assert.are.same(ids, rs:ids())
        assert.are.equal(count, rs:count())
    end)

    it("gives every hit its fact and 1-based inclusive spans", function()
        for hit in db:search([[\bRefn\b]]):each() do
            assert.are.equal(db[hit.id], hit.fact)
            assert.is_true(#hit.matches >= 1)
            for _, m in ipairs(hit.matches) do
                assert.are.equal("Refn", m.text)
                assert.are.equal(m.text, hit.fact.text:sub(m.s, m.e))
                assert.are.equal(m.e, m.s + 3)
            end
        end
    end)

    it("gives numbered and named groups, false for unset ones", function()
        local rs = db:search([[(?<first>Ryan|Carey) (Gosling|Mulligan)|(Hugh) Jackman]])
        local seen_unset = false
        for hit in rs:each() do
            for _, m in ipairs(hit.matches) do
                if m.groups[3] then
                    assert.are.equal("Hugh", m.groups[3])
                    assert.is_false(m.groups[1])
                    assert.is_false(m.groups.first)
                    seen_unset = true
                else
                    assert.are.equal(m.groups[1], m.groups.first)
                    assert.are.equal(m.groups[1] .. " " .. m.groups[2], m.text)
                    assert.is_false(m.groups[3])
                end
            end
        end
        assert.is_true(seen_unset)
    end)

    it("accepts a compiled regex", function()
        local re = df.regex("gosling", "i")
        assert.are.same(db:search("gosling", "i"):ids(), db:search(re):ids())
    end)

    it("refuses flags together with a compiled regex", function()
        assert.has_error(function() db:search(df.regex("a"), "i") end,
            "bad argument #2 to 'search' (flags given with a compiled regex)")
    end)

    it("raises for wrong arguments, naming them", function()
        assert.has_error(function() db:search(42) end,
            "bad argument #1 to 'search' (string or regex expected, got number)")
        assert.has_error(function() db:search("a", {}) end,
            "bad argument #2 to 'search' (string expected, got table)")
        assert.error_matches(function() db:search("a", "z") end, "bad argument #2 to 'search' %(unknown flag 'z'")
        assert.error_matches(function() db:search("a(") end, "^bad argument #1 to 'search' %(.+offset %d+")
    end)

    it("follows Lua's rules for empty matches", function()
        local small = assert(df.from_string("Söderström\n\nxax"))
        local rs = small:search("x*")
        assert.are.equal(2, #rs)
        assert.are.equal(11, #rs[1].matches) -- one per character boundary, never inside a character
        -- as ("xax"):gsub("x*", "-") == "-a-", 2: no empty match right after a match
        assert.are.same({{1, 1, "x"}, {3, 3, "x"}},
            (function()
                local spans = {}
                for i, m in ipairs(rs[2].matches) do spans[i] = {m.s, m.e, m.text} end
                return spans
            end)())
    end)

    it("raises when the match limit is exceeded", function()
        local small = assert(df.from_string(("a"):rep(32) .. "c"))
        assert.error_matches(function() small:search("(?:a|a)+$") end, "match limit exceeded")
    end)
end)

describe("a result set", function()
    local rs = db:search("Mulligan")

    it("is a sequence of hits", function()
        local n = 0
        for i, hit in ipairs(rs) do
            n = i
            assert.are.equal(rs[i], hit)
        end
        assert.are.equal(#rs, n)
    end)

    it("iterates its hits with rs:each()", function()
        local seen = {}
        for hit in rs:each() do seen[#seen + 1] = hit end
        assert.are.equal(#rs, #seen)
        for i = 1, #rs do assert.are.equal(rs[i], seen[i]) end
    end)

    it("lists ids and counts matches", function()
        local ids = rs:ids()
        local total = 0
        for i, hit in ipairs(rs) do
            assert.are.equal(hit.id, ids[i])
            total = total + #hit.matches
        end
        assert.are.equal(total, rs:count())
        assert.is_true(rs:count() >= #rs)
    end)

    it("describes itself", function()
        assert.are.equal(("drivefacts.resultset: %d facts, %d matches"):format(#rs, rs:count()), tostring(rs))
    end)

    it("can be empty", function()
        local none = db:search("no such text anywhere")
        assert.are.equal(0, #none)
        assert.are.equal(0, none:count())
        assert.are.same({}, none:ids())
        assert.is_nil(none:each()())
        assert.are.equal("drivefacts.resultset: 0 facts, 0 matches", tostring(none))
    end)

    it("formats itself by formatter name", function()
        assert.are.equal(df.format(rs, "plain"), rs:format("plain"))
        assert.error_matches(function() rs:format("nope") end,
            "bad argument #1 to 'format' %(unknown formatter 'nope'; known: csv, html, json, markdown, plain")
        assert.has_error(function() rs:format("plain", 1) end,
            "bad argument #2 to 'format' (table expected, got number)")
    end)
end)

describe("hits of a search", function()
    local df = require "drivefacts"

    it("make their fact on first read, and keep their db alive until then", function()
        local rs = df.open():search("Gosling")    -- nothing else holds the db
        collectgarbage()
        collectgarbage()
        local hit = rs[1]
        assert.is_nil(rawget(hit, "fact"))
        assert.equal(hit.id, hit.fact.id)
        assert.truthy(hit.fact.text:find("Gosling", 1, true))
        assert.equal(hit.fact, rawget(hit, "fact"))   -- made once
        assert.equal(hit.fact, hit.fact.db[hit.id])    -- the db's own fact object
    end)
end)
