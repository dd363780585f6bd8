-- The trigram prefilter from Lua: c:build_prefilter(), db:build_prefilter()
-- and df.open(..., {prefilter = true}).  Searches and counts must give the
-- same results with it as without, over the embedded corpus and a generated
-- one (tests/bench/gen-corpus when the build has it, else facts made here).

local df = require "drivefacts"
local core = require "drivefacts.core"
local versions = require "support.versions"

local PATTERNS = {
    {"Gosling"}, {"gosling", "i"}, {"drive", "iw"}, {"Mulligan|Cranston|Brooks|Perlman"},
    {"\\b[A-Z][a-z]+ [A-Z][a-z]+\\b"}, {"Zyxquorvant"}, {"QX-\\d{4}-ZZ"}, {"qx-\\d{4}-zz", "i"},
    {"^Ryan Gosling"}, {"colou?r"}, {"(Ryan|Carey) (Gosling|Mulligan)"}, {"Kavinsky", "i"},
    {"Söderström"}, {"söderström", "i"}, {""}, {"x*"}, {"(?i)GOSLING"}, {"Gosling(?= )"},
    {"(\\w+) \\1"}, {"Drive (2011)", "F"}, {"night ?call", "i"}, {"19[0-9][0-9]"},
    {"Zyx.*vant"}, {"é"}, {"(?<first>Ryan) (?<last>\\w+)"}, {"film|"}, {"Qwzzyx"},
}

-- Patterns that match nearly everywhere: compared on the embedded corpus
-- only, as deep comparisons of their hits on a bigger one take long.
local EVERYWHERE = {[""] = true, ["x*"] = true, ["\\b[A-Z][a-z]+ [A-Z][a-z]+\\b"] = true,
    ["film|"] = true, ["(?<first>Ryan) (?<last>\\w+)"] = true}

-- A generated corpus file: gen-corpus from the build tree, or facts made
-- here from the embedded ones with rare tokens planted.
local function generated_path()
    local build = os.getenv("DRIVEFACTS_BUILD_DIR")
    local source = os.getenv("DRIVEFACTS_SOURCE_DIR") or "."
    local path = os.tmpname()
    local gen = build and (build .. "/tests/bench/gen-corpus")
    if gen and io.open(gen, "r") then
        local cmd = ("%q -s 7 -f %q -m %q 256K %q"):format(gen, source .. "/core/data/drive-2011.txt",
            path .. ".manifest", path)
        if versions.execute(cmd) then
            os.remove(path .. ".manifest")
            return path
        end
    end
    local db = df.open()
    local out = assert(io.open(path, "w"))
    local plants = {" Zyxquorvant", " Zyxquorvan", " QX-1234-ZZ", " qx-1234-zz", " QX-123-ZZ",
        " \226\132\170avinsky", " Kavin\197\191ky", " colour"}
    for i = 1, 1500 do
        local text = db[(i * 37) % #db + 1].text:gsub("\n", " ")
        if i % 9 == 0 then text = text .. plants[i % #plants + 1] end
        out:write(text, "\n")
    end
    out:close()
    return path
end

-- A result set as a comparable list of {id, s, e, text, groups...}.
local function flatten(rs)
    local out = {}
    for i = 1, #rs do
        for _, m in ipairs(rs[i].matches) do
            out[#out + 1] = {rs[i].id, m.s, m.e, m.text, m.groups}
        end
    end
    return out
end

local function hits_of(list)
    local out = {}
    for i, hit in ipairs(list) do
        local ms = {}
        for j, m in ipairs(hit.matches) do ms[j] = {m.s, m.e, m.text, m.groups} end
        out[i] = {hit.id, ms}
    end
    return out
end

local function same_everywhere(plain, pre, light)
    for _, p in ipairs(PATTERNS) do
        if not (light and EVERYWHERE[p[1]]) then
            local re = core.regex(p[1], p[2])
            for _, opts in ipairs({{}, {first = true}, {limit = 3}, {first = true, limit = 2}}) do
                assert.same(hits_of(core.search(plain, re, opts)),
                    hits_of(core.search(pre, re, opts)), p[1])
            end
            for _, opts in ipairs({{}, {first = true}}) do
                local f1, m1 = core.count(plain, re, opts)
                local f2, m2 = core.count(pre, re, opts)
                assert.are.equal(f1, f2, p[1])
                assert.are.equal(m1, m2, p[1])
            end
        end
    end
end

describe("the prefilter in drivefacts.core", function()
    it("is built on demand and reports its memory", function()
        local c = core.load_embedded()
        assert.are.equal(0, c:prefilter_memory())
        c:build_prefilter()
        local bytes = c:prefilter_memory()
        assert.is_true(bytes > 0)
        c:build_prefilter()  -- a second call keeps the first prefilter
        assert.are.equal(bytes, c:prefilter_memory())
        c:close()
        assert.has_error(function() c:build_prefilter() end, "attempt to use a closed corpus")
        assert.has_error(function() c:prefilter_memory() end, "attempt to use a closed corpus")
    end)

    it("gives the same hits over the embedded corpus", function()
        local plain, pre = core.load_embedded(), core.load_embedded()
        pre:build_prefilter()
        same_everywhere(plain, pre)
    end)

    it("gives the same hits over a generated corpus", function()
        local path = generated_path()
        local plain = assert(core.load_file(path, "lines"))
        local pre = assert(core.load_file(path, "lines"))
        os.remove(path)
        pre:build_prefilter()
        assert.is_true(pre:prefilter_memory() <= pre:bytes())
        same_everywhere(plain, pre, true)
        assert.is_true(core.count(pre, core.regex("Gosling")) > 0)
    end)

    it("still honours opts.ids", function()
        local c = core.load_embedded()
        c:build_prefilter()
        local rs = core.search(c, core.regex("Gosling"), {ids = {3, 2, 1, 3}})
        local plain = core.search(core.load_embedded(), core.regex("Gosling"), {ids = {3, 2, 1, 3}})
        assert.same(hits_of(plain), hits_of(rs))
    end)
end)

describe("the prefilter in drivefacts", function()
    it("is an option of open and from_string, and a db method", function()
        local a = df.open(nil, {prefilter = true})
        assert.is_true(a:prefilter_memory() > 0)
        local b = df.open()
        assert.are.equal(0, b:prefilter_memory())
        assert.are.equal(b, b:build_prefilter())
        assert.is_true(b:prefilter_memory() > 0)
        local c = df.from_string("one fact\n\nZyxquorvant here", {prefilter = true})
        assert.are.equal(1, #c:search("Zyxquorvant"))
        assert.has_error(function() df.open(nil, {prefilter = "yes"}) end)
        a:close()
        assert.has_error(function() a:build_prefilter() end, "attempt to use a closed db")
    end)

    it("leaves db:search and db:count unchanged", function()
        local path = generated_path()
        local plain = assert(df.open(path, {format = "lines"}))
        local pre = assert(df.open(path, {format = "lines", prefilter = true}))
        os.remove(path)
        for _, p in ipairs(PATTERNS) do
            if not EVERYWHERE[p[1]] then
                assert.same(flatten(plain:search(p[1], p[2])), flatten(pre:search(p[1], p[2])), p[1])
                assert.same({plain:count(p[1], p[2])}, {pre:count(p[1], p[2])}, p[1])
                local q1 = plain:query():match(p[1], p[2]):limit(5):run()
                local q2 = pre:query():match(p[1], p[2]):limit(5):run()
                assert.same(q1:ids(), q2:ids(), p[1])
            end
        end
    end)
end)

-- A lines file of at least `bytes` bytes: the embedded facts over and
-- over, "Zyxquorvant" planted in every 1000th line.
local function big_path(bytes)
    local db, facts = df.open(), {}
    for id = 1, #db do facts[id] = (db[id].text:gsub("\n", " ")) end
    local path = os.tmpname()
    local out = assert(io.open(path, "w"))
    local written, line = 0, 0
    while written < bytes do
        line = line + 1
        local text = facts[line % #facts + 1]
        if line % 1000 == 0 then text = text .. " Zyxquorvant" end
        out:write(text, "\n")
        written = written + #text + 1
    end
    out:close()
    return path
end

describe("the prefilter a db builds by itself", function()
    local path
    setup(function() path = big_path(1100 * 1024) end)
    teardown(function() os.remove(path) end)

    it("comes with the second scan a prefilter could narrow, on 1 MiB or more", function()
        local db = assert(df.open(path, {format = "lines"}))
        local ref = assert(df.open(path, {format = "lines", prefilter = false}))
        for _ = 1, 3 do db:count("\\w+") end  -- no literal: nothing to narrow
        assert.are.equal(0, db:prefilter_memory())
        assert.same({ref:count("Zyxquorvant")}, {db:count("Zyxquorvant")})
        assert.are.equal(0, db:prefilter_memory())  -- a first question may be the only one
        -- a comment and an inline option do not hide the literal
        local second = db:search("(?i)zyxq(?#planted)uorvant")
        assert.is_true(db:prefilter_memory() > 0)
        assert.same(flatten(ref:search("(?i)zyxq(?#planted)uorvant")), flatten(second))
        assert.is_true(#second > 0)
        for _, p in ipairs(PATTERNS) do
            if not EVERYWHERE[p[1]] then
                assert.same({ref:count(p[1], p[2])}, {db:count(p[1], p[2])}, p[1])
            end
        end
        assert.are.equal(0, ref:prefilter_memory())  -- prefilter = false: never unasked
        assert.are.equal(ref, ref:build_prefilter())  -- but when asked
        assert.is_true(ref:prefilter_memory() > 0)
    end)

    it("is not built for a small corpus, nor for searches of chosen facts", function()
        local small = df.open()
        for _ = 1, 3 do small:count("Gosling") end
        assert.are.equal(0, small:prefilter_memory())
        local c = assert(core.load_file(path, "lines"))
        for _ = 1, 3 do core.count(c, core.regex("Zyxquorvant"), {ids = {1, 2, 3}}) end
        assert.are.equal(0, c:prefilter_memory())
        c:auto_prefilter(false)
        for _ = 1, 2 do core.count(c, core.regex("Zyxquorvant")) end
        assert.are.equal(0, c:prefilter_memory())
        assert.has_error(function() c:auto_prefilter("no") end,
            "bad argument #1 to 'auto_prefilter' (boolean expected, got string)")
    end)

    it("searches nothing when no fact holds a literal", function()
        -- Catastrophic backtracking in fact 1 that only a scan of every
        -- fact reaches: "xyzzy e" is in no fact, so no fact is searched.
        local text = ("were "):rep(24) .. "\n\nanother fact"
        local pattern = "(?:\\w+\\s?)+xyzzy e"
        assert.has_error(function() df.from_string(text, {prefilter = false}):count(pattern) end)
        local db = df.from_string(text, {prefilter = true})
        assert.same({0, 0}, {db:count(pattern)})
        assert.are.equal(0, #db:search(pattern))
    end)
end)
