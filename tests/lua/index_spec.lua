-- The knowledge index through the Lua API: db:entities, db:mentions,
-- db:tags, db:duplicates, fact.tags / .entities / .years / .films, and
-- what users add (entities, entity files, regex and Lua tagging rules).

local df = require "drivefacts"
local files = require "support.files"
local strings = require "support.strings"
local versions = require "support.versions"

local tempfile, contains = files.tempfile, strings.contains
teardown(files.cleanup)

-- The canonical names of the entities a result set's facts mention, and the
-- texts of its matches (the mentions), for the first hit.
local function mention_texts(hit)
    local texts = {}
    for i, m in ipairs(hit.matches) do texts[i] = m.text end
    return texts
end

describe("db:mentions", function()
    local db = df.open()

    it("resolves aliases and misspellings to one entity", function()
        local mulligan = db:mentions("Carey Mulligan"):ids()
        assert.is_true(#mulligan >= 5)
        assert.are.same(mulligan, db:mentions("Carry Muligan"):ids())
        assert.are.same(mulligan, db:mentions("  carey mulligan "):ids())
        local amini = db:mentions("Hossein Amini"):ids()
        assert.is_true(#amini > 0)
        assert.are.same(amini, db:mentions("hussain amini"):ids())
        assert.are.same(db:mentions("Nicolas Winding Refn"):ids(), db:mentions("Refn"):ids())
        assert.are.same(db:mentions("Kavinsky"):ids(), db:mentions("Vincent Belorgey"):ids())
        assert.are.same(db:mentions("Mat Newman"):ids(), db:mentions("Matt Newman"):ids())
    end)

    it("finds the facts that spell a name either way, with the mentions as matches", function()
        local texts = {}
        for _, hit in ipairs(db:mentions("Carey Mulligan")) do
            assert.are.equal(db[hit.id], hit.fact)
            for _, m in ipairs(hit.matches) do
                assert.are.equal(m.text, hit.fact.text:sub(m.s, m.e))
                texts[m.text] = true
            end
            assert.is_true(contains(hit.fact.entities, "Carey Mulligan"))
        end
        assert.is_true(texts["Carey Mulligan"])
        assert.is_true(texts["Carry Muligan"] or texts["Mulligan"] or false)
    end)

    it("is leftmost-longest: a full name is one mention, never also its parts", function()
        for _, hit in ipairs(db:mentions("Refn")) do
            for _, m in ipairs(hit.matches) do
                if m.text == "Refn" then
                    -- a lone "Refn", not the end of "Nicolas Winding Refn"
                    assert.is_nil(hit.fact.text:sub(1, m.s - 1):find("Winding%s+$"))
                end
            end
            local n = 0
            for _, name in ipairs(hit.fact.entities) do
                if name == "Nicolas Winding Refn" then n = n + 1 end
            end
            assert.are.equal(1, n)
        end
        local small = assert(df.from_string("Nicolas Winding Refn directed it. Later Refn said so.",
            {profile = "drive"}))
        assert.are.same({"Nicolas Winding Refn", "Refn"}, mention_texts(small:mentions("NWR")[1]))
        assert.are.same({"Nicolas Winding Refn"}, small[1].entities)
    end)

    it("handles names beyond ASCII, caselessly", function()
        local ids = db:mentions("Jonatan Söderström"):ids()
        assert.are.equal(1, #ids)
        assert.are.same(ids, db:mentions("SÖDERSTRÖM"):ids())
        assert.are.same(ids, db:mentions("jonatan soderstrom"):ids())
        assert.is_true(contains(db[ids[1]].entities, "Jonatan Söderström"))
        local noe = db:mentions("Gaspar Noé")
        assert.are.equal(1, #noe)
        assert.are.same({"Gaspar Noé"}, mention_texts(noe[1]))
        assert.are.same(noe:ids(), db:mentions("gaspar noe"):ids())
    end)

    it("gives an empty result set for a name no entity has", function()
        local rs = db:mentions("Nobody At All")
        assert.are.equal(0, #rs)
        assert.are.same({}, rs:ids())
        assert.are.same({}, db:mentions(""):ids())
        assert.are.same({}, db:query():mentions("Nobody At All"):run():ids())
    end)

    it("resolves through the query builder too", function()
        assert.are.same(db:mentions("Carey Mulligan"):ids(), db:query():mentions("Carry Muligan"):run():ids())
        local rs = db:query():match("Drive", "w"):mentions("Refn"):run()
        assert.is_true(#rs > 0)
        for _, hit in ipairs(rs) do
            local texts = mention_texts(hit)
            assert.is_true(contains(texts, "Drive"))
            for i = 2, #hit.matches do assert.is_true(hit.matches[i - 1].s <= hit.matches[i].s) end
        end
    end)
end)

describe("db:entities", function()
    local db = df.open()

    it("lists name, kind, aliases and counts", function()
        local entities = db:entities()
        assert.is_true(#entities >= 100)
        local kinds = {}
        for _, kind in ipairs{"person", "character", "film", "song", "band", "car", "place", "company"} do
            kinds[kind] = true
        end
        local by_name = {}
        for _, e in ipairs(entities) do
            assert.are.equal("string", type(e.name))
            assert.is_true(kinds[e.kind])
            assert.are.equal("table", type(e.aliases))
            assert.is_true(versions.is_integer(e.count) and e.count >= 0)
            assert.is_true(e.mentions >= e.count)
            by_name[e.name] = e
        end
        local mulligan = by_name["Carey Mulligan"]
        assert.are.equal("person", mulligan.kind)
        assert.is_true(contains(mulligan.aliases, "Carry Muligan"))
        assert.are.equal(#db:mentions("Carey Mulligan"), mulligan.count)
        assert.are.equal("film", by_name["Drive"].kind)
    end)
end)

describe("fact.tags, fact.entities, fact.years, fact.films", function()
    local db = df.open()

    it("tag every embedded fact", function()
        for id, fact in db:facts() do
            assert.is_true(#fact.tags > 0, "fact " .. id .. " has no tag")
        end
    end)

    it("agree with db:tags and query:tagged", function()
        for _, tag in ipairs(db:tags()) do
            local rs = db:query():tagged(tag.name):run()
            assert.are.equal(tag.count, #rs, tag.name)
            for _, hit in ipairs(rs) do assert.is_true(contains(hit.fact.tags, tag.name)) end
        end
        assert.is_true(#db:query():tagged("music"):run() > 0)
    end)

    it("give years and film references", function()
        assert.are.same({1973}, db[1].years)
        local found
        for _, fact in db:facts() do
            for _, film in ipairs(fact.films) do
                local escaped = strings.lit(film.title)
                assert.are.equal(film.title, fact.text:match("(" .. escaped .. ")%s*%(%d%d%d%d%)"))
                assert.is_true(contains(fact.years, film.year))
                if film.title == "Taxi Driver" then found = film end
            end
        end
        assert.are.same({title = "Taxi Driver", year = 1976, film = "Taxi Driver"}, found)
    end)
end)

describe("db:add_entity and db:add_entities_file", function()
    it("make new names findable, and facts see them", function()
        local db = df.open()
        local fact = db[1]
        assert.are.same({}, db:mentions("restored the"):ids())
        assert.is_false(contains(fact.entities, "Restoration"))
        db:add_entity{name = "Restoration", kind = "company", aliases = {"restored the"}}
        assert.are.same({1}, db:mentions("RESTORED THE"):ids())
        assert.is_true(contains(fact.entities, "Restoration"))
        assert.are.equal(fact, db[1])
    end)

    it("add aliases to a known entity", function()
        local db = df.open()
        local before = #db:mentions("Ryan Gosling")
        db:add_entity{name = "Ryan Gosling", kind = "person", aliases = {"R. G."}}
        assert.are.same(db:mentions("Ryan Gosling"):ids(), db:mentions("r. g."):ids())
        assert.are.equal(before, #db:mentions("Ryan Gosling"))
    end)

    it("work on a user's corpus, with names beyond ASCII", function()
        local db = assert(df.from_string("Ångström met Zoë.\n\nzoë left.\n\nNobody here."))
        db:add_entity{name = "Zoë", kind = "character"}
        db:add_entity{name = "Anders Ångström", kind = "person", aliases = {"Ångström"}}
        assert.are.same({1, 2}, db:mentions("ZOË"):ids())
        assert.are.same({"Zoë", "Anders Ångström"}, db[1].entities) -- in the order of definition
    end)

    it("load a file, or return nil and a message", function()
        local db = assert(df.from_string("The Blue Parrot opened.\n\nNothing."))
        local path = tempfile("# mine\nplace: The Blue Parrot = Blue Parrot\n")
        assert.is_true(db:add_entities_file(path))
        os.remove(path)
        assert.are.same({1}, db:mentions("blue parrot"):ids())
        local bad = tempfile("per son: Someone\n")
        local ok, message = db:add_entities_file(bad)
        os.remove(bad)
        assert.is_nil(ok)
        assert.truthy(message:find(bad, 1, true))
        assert.truthy(message:find(":1:", 1, true))
        assert.truthy(message:find("per son", 1, true))
        local missing = path .. ".missing"
        ok, message = db:add_entities_file(missing)
        assert.is_nil(ok)
        assert.truthy(message:find(missing, 1, true))
    end)

    it("name the bad argument", function()
        local db = df.open()
        assert.has_error(function() db:add_entity("x") end,
            "bad argument #1 to 'add_entity' (table expected, got string)")
        assert.has_error(function() db:add_entity{kind = "person"} end,
            "bad argument #1 to 'add_entity' (name: string expected, got nil)")
        assert.has_error(function() db:add_entity{name = "X", kind = "per son"} end,
            "bad argument #1 to 'add_entity' (bad kind 'per son' (1 to 64 of A-Z a-z 0-9 - _))")
        assert.has_error(function() db:add_entity{name = "X", kind = "person", aliases = "Y"} end,
            "bad argument #1 to 'add_entity' (aliases: table expected, got string)")
        assert.has_error(function() db:add_entity{name = "X", kind = "person", aliases = {"Y", 2}} end,
            "bad argument #1 to 'add_entity' (aliases[2]: string expected, got number)")
        assert.error_matches(function() db:add_entity{name = "", kind = "person"} end,
            "^bad argument #1 to 'add_entity' %(name '': ")
        assert.has_error(function() db:add_entities_file(1) end,
            "bad argument #1 to 'add_entities_file' (string expected, got number)")
        assert.has_error(function() db:mentions(1) end,
            "bad argument #1 to 'mentions' (string expected, got number)")
    end)
    it("refuses names and aliases holding a NUL byte", function()
        local db = df.open()
        assert.has_error(function() db:add_entity{name = "Bad\0Name", kind = "person"} end,
            "bad argument #1 to 'add_entity' (name: a name cannot hold a NUL byte)")
        assert.has_error(function() db:add_entity{name = "Good", kind = "person", aliases = {"ok", "b\0d"}} end,
            "bad argument #1 to 'add_entity' (aliases[2]: a name cannot hold a NUL byte)")
        for _, e in ipairs(db:entities()) do assert.are_not.equal("Bad", e.name) end
    end)
end)

describe("db:add_tag_rule", function()
    it("adds regex rules that facts and db:tags see", function()
        local db = df.open()
        local fact = db[1]
        db:add_tag_rule{tag = "chevy", pattern = "chevy|malibu", flags = "i"}
        assert.is_true(contains(fact.tags, "chevy"))
        local tags = db:tags()
        assert.are.same({name = "chevy", count = #db:search("chevy|malibu", "i")}, tags[#tags])
        assert.are.same(db:search("chevy|malibu", "i"):ids(), db:query():tagged("CHEVY"):run():ids())
    end)

    it("adds Lua function rules, evaluated with the fact", function()
        local db = df.open()
        local seen = {}
        db:add_tag_rule{tag = "long", where = function(fact)
            seen[fact.id] = true
            return #fact.text > 600
        end}
        local expected = db:query():where(function(f) return #f.text > 600 end):run():ids()
        assert.is_true(#expected > 0)
        assert.are.same(expected, db:query():tagged("long"):run():ids())
        assert.is_true(seen[1])
        local tags = db:tags()
        assert.are.same({name = "long", count = #expected}, tags[#tags])
        -- a Lua rule may add to a tag of the data; a fact never lists a tag twice
        db:add_tag_rule{tag = "music", where = function() return true end}
        for _, fact in db:facts() do
            local n = 0
            for _, name in ipairs(fact.tags) do if name == "music" then n = n + 1 end end
            assert.are.equal(1, n)
        end
        for _, tag in ipairs(db:tags()) do
            if tag.name == "music" then assert.are.equal(#db, tag.count) end
        end
    end)

    it("reports a Lua rule that raises once, naming it, and drops it: the db stays usable", function()
        local db = assert(df.from_string("one\n\ntwo"))
        db:add_tag_rule{tag = "fine", where = function() return true end}
        local calls = 0
        db:add_tag_rule{tag = "flaky", where = function(fact)
            calls = calls + 1
            if fact.id == 2 then error("rule failed", 0) end
            return true
        end}
        assert.are.same({"fine", "flaky"}, db[1].tags)
        assert.has_error(function() return db[2].tags end,
            "tag rule 'flaky' raised an error and is dropped: rule failed")
        assert.are.same({"fine"}, db[2].tags)
        assert.are.same({"fine"}, db[1].tags) -- computed again, without the rule
        local counts = {}
        for _, tag in ipairs(db:tags()) do counts[tag.name] = tag.count end
        assert.are.same({2, nil}, {counts.fine, counts.flaky})
        assert.are.equal(2, calls)
        assert.are.equal(2, #db:query():tagged("fine"):run())
    end)

    it("bounds a Lua rule that loops with df.bounded", function()
        local db = assert(df.from_string("one\n\ntwo"))
        db:add_tag_rule{tag = "loops", where = df.bounded(function() while true do end end, 100000)}
        local ok, err = pcall(function() return db[1].tags end)
        assert.is_false(ok)
        assert.matches("^tag rule 'loops' raised an error and is dropped: .*instruction limit exceeded %(100000%)$", err)
        assert.are.same({}, db[1].tags)
        for _, tag in ipairs(db:tags()) do assert.are_not.equal("loops", tag.name) end
    end)

    it("refuses a regex rule that hits the match limit, naming it; the db stays usable #slow", function()
        local db = assert(df.from_string(("a"):rep(40) .. "b\n\nfine fact\n"))
        assert.has_error(function() db:add_tag_rule{tag = "runaway", pattern = "(a+)+$"} end,
            "bad argument #1 to 'add_tag_rule' (tag 'runaway': fact 1: match limit exceeded (10000000); "
            .. "the rule is not added)")
        assert.are.same({}, db[1].tags)
        db:add_tag_rule{tag = "fine", pattern = "fine"}
        local counts = {}
        for _, tag in ipairs(db:tags()) do counts[tag.name] = tag.count end
        assert.are.same({1, nil}, {counts.fine, counts.runaway})
    end)

    it("names the bad argument", function()
        local db = df.open()
        assert.has_error(function() db:add_tag_rule() end,
            "bad argument #1 to 'add_tag_rule' (table expected, got nil)")
        assert.has_error(function() db:add_tag_rule{pattern = "x"} end,
            "bad argument #1 to 'add_tag_rule' (tag: string expected, got nil)")
        assert.has_error(function() db:add_tag_rule{tag = "x"} end,
            "bad argument #1 to 'add_tag_rule' (pattern: string expected, got nil)")
        assert.has_error(function() db:add_tag_rule{tag = "x", where = 1} end,
            "bad argument #1 to 'add_tag_rule' (where: function expected, got number)")
        assert.has_error(function() db:add_tag_rule{tag = "x", pattern = "y", where = print} end,
            "bad argument #1 to 'add_tag_rule' (pattern and where: give one of them)")
        assert.error_matches(function() db:add_tag_rule{tag = "bad tag", pattern = "x"} end,
            "^bad argument #1 to 'add_tag_rule' %(bad tag name 'bad tag'")
        assert.error_matches(function() db:add_tag_rule{tag = "bad tag", where = print} end,
            "^bad argument #1 to 'add_tag_rule' %(tag: bad tag name 'bad tag'")
        assert.error_matches(function() db:add_tag_rule{tag = "x", pattern = "("} end,
            "^bad argument #1 to 'add_tag_rule' %(missing closing parenthesis at offset 1%)")
        assert.error_matches(function() db:add_tag_rule{tag = "x", pattern = "y", flags = "q"} end,
            "^bad argument #1 to 'add_tag_rule' %(.*'q'")
    end)
end)

describe("db:duplicates", function()
    local db = df.open()
    local KNOWN = {"40~99", "25~98", "47~96", "48~94", "61~84", "65~97"}

    it("finds the known pairs of the embedded corpus, and few others", function()
        local found = {}
        local pairs_ = db:duplicates{}
        for _, p in ipairs(pairs_) do
            assert.is_true(p.a < p.b)
            assert.is_true(p.score >= 0.5 and p.score <= 1)
            assert.is_true(p.kind == "identical" or p.kind == "contained" or p.kind == "similar")
            found[p.a .. "~" .. p.b] = p
        end
        for _, pair in ipairs(KNOWN) do
            assert.is_not_nil(found[pair], pair)
        end
        assert.is_true(#pairs_ <= #KNOWN + 3, #pairs_ .. " pairs")
        assert.are.equal("identical", found["40~99"].kind)
        assert.are.equal(1, found["40~99"].score)
        for i = 2, #pairs_ do assert.is_true(pairs_[i - 1].score >= pairs_[i].score) end
        assert.are.same(pairs_, db:duplicates())
    end)

    it("takes a threshold from 0 to 1", function()
        local strict, loose = db:duplicates{threshold = 1}, db:duplicates{threshold = 0.3}
        assert.is_true(#strict >= 1 and #strict < #loose)
        for _, p in ipairs(loose) do assert.is_true(p.score >= 0.3) end
        assert.is_true(#db:duplicates{threshold = 0} >= #loose)
        assert.has_error(function() db:duplicates{threshold = 1.5} end,
            "bad argument #1 to 'duplicates' (threshold: 1.5 is not from 0 to 1)")
        assert.has_error(function() db:duplicates{threshold = "high"} end,
            "bad argument #1 to 'duplicates' (threshold: number expected, got string)")
        assert.has_error(function() db:duplicates(0.5) end,
            "bad argument #1 to 'duplicates' (table expected, got number)")
    end)

    it("takes a limit: the best pairs only", function()
        local all = db:duplicates{threshold = 0.3}
        local best = db:duplicates{threshold = 0.3, limit = 2}
        assert.are.same({all[1], all[2]}, best)
        assert.are.same({}, db:duplicates{limit = 0})
        assert.are.same(all, db:duplicates{threshold = 0.3, limit = #all + 10})
        assert.has_error(function() db:duplicates{limit = -1} end,
            "bad argument #1 to 'duplicates' (limit: non-negative integer expected, got -1)")
        assert.has_error(function() db:duplicates{limit = 1.5} end,
            "bad argument #1 to 'duplicates' (limit: non-negative integer expected, got 1.5)")
    end)

    it("finds every copy of a fact, however many, each with the first", function()
        local copies = df.from_string(("Same words here.\n\n"):rep(300) .. "other words\n")
        local pairs_ = copies:duplicates{}
        assert.are.equal(299, #pairs_)
        for i, p in ipairs(pairs_) do
            assert.are.same({1, i + 1, 1, "identical"}, {p.a, p.b, p.score, p.kind})
        end
    end)
end)

describe("db:each_duplicate", function()
    local db = df.open()

    it("gives the pairs of db:duplicates, in the same order, one at a time", function()
        for _, opts in ipairs{{}, {threshold = 0.3}, {threshold = 0}, {threshold = 0.3, limit = 2},
                              {limit = 0}, {threshold = 1}} do
            local got = {}
            for pair in db:each_duplicate(opts) do got[#got + 1] = pair end
            assert.are.same(db:duplicates(opts), got)
        end
        local got = {}
        for pair in db:each_duplicate() do got[#got + 1] = pair end
        assert.are.same(db:duplicates(), got)
    end)

    it("returns nil after the last pair, and again after that", function()
        local next_pair, n = db:each_duplicate{threshold = 0.3}, 0
        while next_pair() do n = n + 1 end
        assert.are.equal(#db:duplicates{threshold = 0.3}, n)
        assert.is_nil(next_pair())
        assert.is_nil(next_pair())
    end)

    it("can be left early, and outlives its db", function()
        local copies = df.from_string(("Same words here.\n\n"):rep(300))
        local next_pair = copies:each_duplicate{limit = 5}
        local first = next_pair()
        assert.are.same({1, 2, 1, "identical"}, {first.a, first.b, first.score, first.kind})
        copies:close()
        copies = nil -- luacheck: ignore 311
        collectgarbage()
        assert.are.equal(3, next_pair().b)
        for pair in df.from_string(("Same words here.\n\n"):rep(300)):each_duplicate() do
            if pair.b > 10 then break end
        end
        collectgarbage()
    end)

    it("checks its options as db:duplicates does", function()
        assert.has_error(function() db:each_duplicate{threshold = 1.5} end,
            "bad argument #1 to 'each_duplicate' (threshold: 1.5 is not from 0 to 1)")
        assert.has_error(function() db:each_duplicate{limit = -1} end,
            "bad argument #1 to 'each_duplicate' (limit: non-negative integer expected, got -1)")
        assert.has_error(function() db:each_duplicate(0.5) end,
            "bad argument #1 to 'each_duplicate' (table expected, got number)")
    end)
end)

describe("db:index_memory", function()
    it("reports the bytes the index holds", function()
        local db = df.open()
        local bytes = db:index_memory()
        assert.is_true(versions.is_integer(bytes) and bytes > 0)
    end)

    it("and every index method refuses a closed db", function()
        local db = df.open()
        db:close()
        for _, call in ipairs{
            function() db:index_memory() end, function() db:entities() end,
            function() db:mentions("Refn") end, function() db:tags() end,
            function() db:duplicates() end, function() db:each_duplicate() end,
            function() db:add_entity{name = "X", kind = "person"} end,
        } do
            assert.has_error(call, "attempt to use a closed db")
        end
    end)
end)

-- What stats and the report read from the index and the corpus in one C
-- pass, against the same read fact by fact.
describe("the db's counts without a fact object per fact", function()
    local db_module = require "drivefacts.db"

    local function fact_by_fact(db)
        local t = {bytes = 0, words = 0}
        local longest, shortest
        for id, f in db:facts() do
            t.bytes = t.bytes + #f.text
            for _ in f.text:gmatch("%S+") do t.words = t.words + 1 end
            if not longest or #f.text > longest then t.longest, longest = id, #f.text end
            if not shortest or #f.text < shortest then t.shortest, shortest = id, #f.text end
        end
        return t
    end

    it("text_stats: bytes, words, the first longest and shortest fact", function()
        local db = df.open()
        assert.are.same(fact_by_fact(db), db_module.text_stats(db))
        assert.are.equal(db_module.text_stats(db).bytes, db_module.bytes(db))
        local odd = assert(df.from_string("a  b\tc\n\n\226\128\148 x\n\nab\n\nyz\n\n\11v\12w\r", {}))
        assert.are.same(fact_by_fact(odd), db_module.text_stats(odd))
        assert.are.same({bytes = 0, words = 0}, db_module.text_stats(assert(df.from_string("", {}))))
    end)

    it("text_stats: words of every length and mix of white space", function()
        -- The count reads eight bytes at a time: runs that start and end
        -- anywhere in those eight, and bytes beyond ASCII that are not space.
        local pieces = {" ", "\t", "\v", "\f", "  ", "a", "bc", "\195\169", "\194\160", "x"}
        local lines = {}
        math.randomseed(11)
        for n = 1, 500 do
            local parts = {"w"}
            for _ = 1, math.random(0, 30) do parts[#parts + 1] = pieces[math.random(#pieces)] end
            parts[#parts + 1] = "z"
            lines[n] = table.concat(parts)
        end
        local db = assert(df.from_string(table.concat(lines, "\n") .. "\n", {format = "lines"}))
        local n = 0
        for _ in db:facts() do n = n + 1 end
        assert.are.equal(500, n)
        assert.are.same(fact_by_fact(db), db_module.text_stats(db))
    end)

    it("tag_facts: the facts query:tagged keeps, any case; nil with Lua tagging rules", function()
        local db = df.open()
        for _, tag in ipairs(db:tags()) do
            local ids = db:query():tagged(tag.name):run():ids()
            assert.are.same(ids, db_module.tag_facts(db, tag.name):ids())
            assert.are.same(ids, db_module.tag_facts(db, tag.name:upper()):ids())
        end
        assert.are.equal(0, #db_module.tag_facts(db, "no-such-tag"))
        db:add_tag_rule{tag = "short", where = function(f) return #f.text < 80 end}
        assert.is_nil(db_module.tag_facts(db, "music"))
    end)

    it("tag_facts: hits without matches, read, sorted, cut and written as any", function()
        local db = df.open()
        local rs = db_module.tag_facts(db, "music")
        local eager = db_module.facts_of(db, rs:ids())
        assert.is_true(#rs > 2)
        assert.are.equal(0, rs:count())
        assert.are.same({}, rs[2].matches)
        assert.are.equal(db[rs[2].id].text, rs[2].fact.text)
        for _, format in ipairs{"plain", "markdown", "json", "csv", "html"} do
            assert.are.equal(eager:format(format), rs:format(format))
        end
    end)

    it("entity_facts: the facts that name any of the entities", function()
        local db = df.open()
        local entities = db:entities()
        local wanted = {1, 3, #entities}
        local names = {}
        for _, i in ipairs(wanted) do names[entities[i].name] = true end
        local expected = db:query():where(function(f)
            for _, name in ipairs(f.entities) do
                if names[name] then return true end
            end
            return false
        end):run():ids()
        assert.is_true(#expected > 0)
        assert.are.same(expected, db_module.entity_facts(db, wanted):ids())
        assert.are.equal(0, #db_module.entity_facts(db, {}))
        assert.has_error(function() db_module.entity_facts(db, {#entities + 1}) end)
    end)
end)
