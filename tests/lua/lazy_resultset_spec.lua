-- The result set of a search keeps its hits in C and makes a hit's table
-- only when a script reads it: the same hits, the same output, and none
-- made by #rs, rs:ids(), rs:count(), the formatters or sorting.

local core = require "drivefacts.core"
local compat = require "drivefacts.compat"
local df = require "drivefacts"
local resultset = require "drivefacts.resultset"
local files = require "support.files"

local db = df.open()

-- Patterns with groups (named, unset), empty matches, several matches per
-- fact, UTF-8, alternations, none at all.
local PATTERNS = {
    "Gosling", "Refn", "(?<first>Ryan|Carey) (\\w+)", "(Hugh) Jackman|(Albert) Brooks", "x*", "\\b",
    "(?i)the\\s+(\\w+)", "[^\\x00-\\x7f]+", "$", "(a)|b", "Söderström", "no such text anywhere",
    "(?m)^\\d+", "(?<y>19\\d\\d|20[01]\\d)",
}

-- A hit as plain data: what a script can see of it.
local function plain_hit(hit)
    local matches = {}
    for j, m in ipairs(hit.matches) do
        matches[j] = {s = m.s, e = m.e, text = m.text, groups = m.groups}
    end
    return {id = hit.id, text = hit.fact.text, matches = matches}
end

-- The hits of a result set as plain data, read through ipairs.
local function plain_hits(rs)
    local hits = {}
    for i, hit in ipairs(rs) do hits[i] = plain_hit(hit) end
    return hits
end

-- The hits that core.search makes, every one a table at once: the eager
-- form a result set had before it kept its hits in C.
local embedded = core.load_embedded()

local function eager_hits(pattern, opts)
    local c = embedded
    local hits = core.search(c, core.regex(pattern), opts)
    for _, hit in ipairs(hits) do hit.text = c:text(hit.id) end
    return hits
end

-- A result set of the same hits, each one already a table.
local function eager_copy(rs)
    local hits = {}
    for i, hit in ipairs(rs) do hits[i] = hit end
    return resultset.new(hits)
end

-- How many hits of a result set are tables so far (all of them when the
-- Lua cannot make them lazily).
local function made(rs)
    local store, hits = resultset.store(rs)
    if store == nil then return #rs end
    local n = 0
    for _ in pairs(hits) do n = n + 1 end
    return n
end

local it_lazy = compat.lazy_sequences and it or pending

describe("a search's result set", function()
    for _, pattern in ipairs(PATTERNS) do
        it("has the hits core.search makes for " .. pattern, function()
            local rs = db:search(pattern)
            local expected = eager_hits(pattern)
            assert.are.equal(#expected, #rs)
            assert.are.same(expected, plain_hits(rs))
            local ids, count = {}, 0
            for i, hit in ipairs(expected) do ids[i], count = hit.id, count + #hit.matches end
            assert.are.same(ids, rs:ids())
            assert.are.equal(count, rs:count())
        end)
    end

    it("has the same hits through rs[i], rs:each() and ipairs", function()
        local rs = db:search("(?i)drive")
        local by_each = {}
        for hit in rs:each() do by_each[#by_each + 1] = hit end
        for i, hit in ipairs(rs) do
            assert.are.equal(hit, rs[i])
            assert.are.equal(hit, by_each[i])
        end
        assert.is_nil(rs[0])
        assert.is_nil(rs[#rs + 1])
        assert.is_nil(rs[1.5])
        assert.is_nil(rs["1"])
    end)

    it("honours limit and the ids of a query", function()
        assert.are.same(eager_hits("the", {limit = 5}), plain_hits(db:search("the", nil, {limit = 5})))
        assert.are.equal(0, #db:search("the", nil, {limit = 0}))
        local rs = db:query():where(function(f) return f.id % 2 == 0 end):match("Gosling"):run()
        for _, hit in ipairs(rs) do
            assert.are.equal(0, hit.id % 2)
            assert.truthy(hit.fact.text:find("Gosling", 1, true))
        end
    end)

    it_lazy("makes no hit for #rs, rs:ids(), rs:count(), tostring or a formatter", function()
        local rs = db:search("(?<first>Ryan|Carey) (\\w+)")
        assert.is_true(#rs > 10)
        rs:ids()
        rs:count()
        tostring(rs)
        for _, name in ipairs({"plain", "markdown", "json", "csv", "html"}) do
            rs:format(name)
            rs:format(name, {highlight = true, sources = true})
        end
        assert.are.equal(0, made(rs))
        local hit = rs[3]
        assert.are.equal(1, made(rs))
        assert.are.equal(hit, rs[3]) -- made once
    end)

    it_lazy("makes no hit when a query sorts it by id or length or limits it", function()
        local q = db:query():match("the")
        for _, rs in ipairs({q:sort_by("length"):run(), q:sort_by("id"):run(), q:limit(7):run(),
                             q:sort_by("length"):limit(3):run()}) do
            assert.are.equal(0, made(rs))
        end
    end)

    it("sorts by length and id as a comparator on the hits would", function()
        for _, pattern in ipairs({"the", "Gosling", "x*", "no such text anywhere"}) do
            local q = db:query():match(pattern)
            local by_length = q:sort_by("length"):run()
            local by_function = q:sort_by(function(a, b) return #a.fact.text < #b.fact.text end):run()
            assert.are.same(plain_hits(by_function), plain_hits(by_length))
            assert.are.same(plain_hits(q:run()), plain_hits(q:sort_by("id"):run()))
            assert.are.same(compat.move(plain_hits(by_length), 1, math.min(4, #by_length), 1, {}),
                plain_hits(q:sort_by("length"):limit(4):run()))
        end
    end)

    it("formats as the same hits made into tables do", function()
        -- a db of two sources, with control characters, long lines, a BOM
        local several = assert(df.open({
            files.tempfile("Ryan Gosling \27[1m drives\n\nthe\tend of Söderström\194\133\n\n\n"),
            files.tempfile("\239\187\191x * the Refn 1984 <b>&</b>\n  indented \"quoted\", comma\n\n" ..
                ("the "):rep(300) .. "\n"),
        }, {format = "paragraphs"}))
        local option_sets = {{}, {highlight = true}, {color = true}, {highlight = false}, {sources = true},
            {section = "S, 1", header = false}, {standalone = true, title = "T <&>"}}
        for _, target in ipairs({db, several}) do
            for _, pattern in ipairs(PATTERNS) do
                for _, name in ipairs({"plain", "markdown", "json", "csv", "html"}) do
                    for _, opts in ipairs(option_sets) do
                        local lazy = target:search(pattern)
                        local eager = eager_copy(target:search(pattern))
                        assert.are.equal(eager:format(name, opts), lazy:format(name, opts))
                    end
                end
            end
        end
    end)

    it("formats the hits a script changed as it changed them", function()
        local rs = db:search("Gosling")
        rs[2].matches = {}
        local eager = eager_copy(db:search("Gosling"))
        eager[2].matches = {}
        assert.are.equal(eager:format("json"), rs:format("json"))
        assert.are.equal(eager:format("plain", {color = true}), rs:format("plain", {color = true}))
        assert.are.equal(eager:count(), rs:count())
    end)

    it("is a sequence a script may change", function()
        local rs = db:search("Gosling")
        local n, first, last = #rs, rs[1], rs[#rs]
        rs[#rs + 1] = first
        assert.are.equal(n + 1, #rs)
        assert.are.equal(first, rs[#rs])
        assert.are.equal(first, table.remove(rs))
        assert.are.equal(n, #rs)
        assert.are.equal(last, table.remove(rs))
        assert.are.equal(n - 1, #rs)
        table.insert(rs, 1, last)
        assert.are.equal(last, rs[1])
        assert.are.equal(first, rs[2])
        local seen = 0
        for _ in pairs(rs) do seen = seen + 1 end
        assert.are.equal(#rs, seen)
    end)

    teardown(files.cleanup)

    it("keeps its db alive, and refuses to make hits once the db is closed", function()
        local rs = df.open():search("Gosling") -- nothing else holds the db
        collectgarbage()
        collectgarbage()
        assert.truthy(rs:format("plain"):find("Gosling", 1, true))
        assert.truthy(rs[2].fact.text:find("Gosling", 1, true))
        local other = df.open()
        local unread = other:search("Gosling")
        local read = unread[1]
        other:close()
        assert.are.equal(read, unread[1])
        if compat.lazy_sequences then
            assert.error_matches(function() return unread[2] end, "attempt to use a closed db")
        end
    end)
end)
