-- Lua misuse must never crash the process, and whatever was in use stays
-- usable afterwards: closed and collected dbs, finalized regexes, wrong
-- argument types, errors thrown from user callbacks, re-entrancy and
-- coroutines.  Run under valgrind too (tests/valgrind/).

local df = require "drivefacts"
local assertions = require "support.assertions"
local versions = require "support.versions"
local compat = require "drivefacts.compat"

-- The message of the error `f` raises, without a leading "file:line: ".
-- Call the function under test as a statement inside `f` (not as a tail
-- call), so that the message names it as a user's call would.
local error_of = assertions.error_of

local function full_gc()
    collectgarbage("collect")
    collectgarbage("collect")
end

local TEXT = "banana split\n\nalpha beta\n\ngamma delta"

-- The checks that a db still answers after something went wrong.
local function assert_db_usable(db)
    assert.are.equal(3, #db)
    assert.are.same({1, 2, 3}, db:search("a"):ids())
    assert.are.same({1, 2}, db:query():match("ba|be"):run():ids())
    assert.are.equal("alpha beta", db[2].text)
end

------------------------------------------------------------------ closed dbs

describe("a closed db", function()
    local METHODS = {
        fact = {1}, facts = {}, search = {"a"}, count = {"a"}, query = {},
        entities = {}, mentions = {"Ryan Gosling"}, tags = {}, duplicates = {}, each_duplicate = {},
        add_entity = {{name = "X", kind = "car"}}, add_entities_file = {"/nonexistent"},
        add_tag_rule = {{tag = "x", pattern = "a"}}, index_memory = {},
    }
    for name, args in pairs(METHODS) do
        it("raises 'attempt to use a closed db' from db:" .. name, function()
            local db = assert(df.from_string(TEXT))
            db:close()
            assert.are.equal("attempt to use a closed db",
                error_of(function() db[name](db, compat.unpack(args)) end))
        end)
    end

    it("raises from #db and db[i]; tostring and close still work", function()
        local db = assert(df.from_string(TEXT))
        db:close()
        assert.are.equal("attempt to use a closed db", error_of(function() return #db end))
        assert.are.equal("attempt to use a closed db", error_of(function() return db[1] end))
        assert.are.equal("drivefacts.db (closed)", tostring(db))
        db:close()  -- twice is harmless
        assert.is_nil(db.no_such_method)
        assert.are.equal("a db is read-only", error_of(function() db.x = 1 end))
    end)

    local it_close = versions.has_close and it or pending
    it_close("closes through a to-be-closed variable", function()
        local outer, n = versions.through_close_scope(assert(df.from_string(TEXT)))
        assert.are.equal(3, n)
        assert.are.equal("drivefacts.db (closed)", tostring(outer))
    end)

    it("leaves facts made before readable (text, id, line)", function()
        local db = assert(df.from_string(TEXT))
        local f = db[2]
        local tags_before = db[3].tags  -- computed before the close
        db:close()
        full_gc()
        assert.are.equal("alpha beta", f.text)
        assert.are.equal(2, f.id)
        assert.are.equal(3, f.line)
        assert.are.equal("2: alpha beta", tostring(f))
        assert.are.equal("table", type(tags_before))
        -- annotations not yet computed need the db: a clean error
        assert.matches("attempt to use a closed db$", error_of(function() return f.tags end))
    end)

    it("makes queries and result sets made before fail cleanly", function()
        local db = assert(df.from_string(TEXT))
        local q = db:query():match("a")
        local rs = db:search("a")
        db:close()
        assert.matches("attempt to use a closed db$", error_of(function() q:run() end))
        assert.are.equal(3, #rs)
        assert.are.equal(9, rs:count())
        assert.are.same({1, 2, 3}, rs:ids())
        assert.matches("attempt to use a closed db$", error_of(function() return rs[1].fact end))
        assert.matches("attempt to use a closed db$", error_of(function() rs:format("plain") end))
    end)

    it("raises errors that name no file inside the library", function()
        -- The position in front of the message must be the caller's (or
        -- none), never drivefacts/fact.lua's or drivefacts/resultset.lua's.
        local db = assert(df.from_string(TEXT))
        local f, rs, re = db[1], db:search("a"), df.regex("a")
        getmetatable(re).__gc(re)
        db:close()
        for what, fn in pairs{["fact.tags"] = function() return f.tags end,
                              ["hit.fact"] = function() return rs[1].fact end} do
            local ok, err = pcall(fn)
            assert.is_false(ok)
            assert.is_nil(err:find("drivefacts/", 1, true), what .. ": " .. err)
        end
        local ok, err = pcall(function() assert(df.from_string(TEXT)):search(re) end)
        assert.is_false(ok)
        assert.is_nil(err:find("drivefacts/", 1, true), "search(finalized regex): " .. err)
    end)

    it("does not affect another db over the same text", function()
        local a, b = assert(df.from_string(TEXT)), assert(df.from_string(TEXT))
        a:close()
        assert_db_usable(b)
    end)
end)

------------------------------------------------------------------ collected dbs

describe("a db that is collected", function()
    it("while a gmatch iterator over one of its facts is alive", function()
        local it
        do
            local db = assert(df.from_string(TEXT))
            it = df.regex("a"):gmatch(db[1].text)
        end
        full_gc()
        local n = 0
        for _ in it do n = n + 1 end
        assert.are.equal(3, n)
        assert.is_nil(it())
    end)

    it("while a result set is alive (the result set keeps it)", function()
        local rs
        do
            local db = assert(df.from_string(TEXT))
            rs = db:search("a")
        end
        full_gc()
        assert.are.equal(3, #rs)
        assert.are.equal("alpha beta", rs[2].fact.text)
        assert.are.equal("1: banana split\n2: alpha beta\n3: gamma delta\n", rs:format("plain"))
        full_gc()
        assert.are.equal(3, #rs[3].fact.db)
    end)

    it("while only a fact is alive (the fact keeps it)", function()
        local f
        do f = assert(df.from_string(TEXT))[3] end
        full_gc()
        assert.are.equal("gamma delta", f.text)
        assert.are.equal("table", type(f.tags))
        assert.are.equal(3, #f.db)
    end)

    it("many times over, with searches in between", function()
        for _ = 1, 50 do
            local db = assert(df.from_string(TEXT))
            assert.are.equal(3, #db:search("a"))
            local it = df.regex("[aeiou]"):gmatch(db[2].text)
            db = nil  -- luacheck: ignore 311
            collectgarbage("step", 100)
            assert.are.equal("a", it())
        end
        full_gc()
    end)
end)

------------------------------------------------------------------ wrong types

describe("a wrong argument type", function()
    local db = assert(df.from_string(TEXT))
    local re = df.regex("a")
    local rs = db:search("a")
    local WRONG = {
        {value = {}, name = "table"},
        {value = print, name = "function"},
        {value = true, name = "boolean"},
        {value = re, name = "drivefacts.regex", strings_only = true},
        {value = db, name = "drivefacts.db"},
    }
    -- Each call, the function it names and the argument number, and what
    -- it expects; `nil_ok`: nil is a valid value for this argument.
    local CALLS = {
        {"open", 1, "string, table or file", function(v) df.open(v) end, nil_ok = true, table_ok = true},
        {"open", 2, "table", function(v) df.open("x", v) end, nil_ok = true, table_ok = true},
        {"from_string", 1, "string", function(v) df.from_string(v) end},
        {"from_string", 2, "table", function(v) df.from_string("x", v) end, nil_ok = true, table_ok = true},
        {"regex", 1, "string", function(v) df.regex(v) end},
        {"regex", 2, "string", function(v) df.regex("a", v) end, nil_ok = true},
        {"search", 1, "string or regex", function(v) db:search(v) end, regex_ok = true},
        {"search", 2, "string", function(v) db:search("a", v) end, nil_ok = true},
        {"count", 1, "string or regex", function(v) db:count(v) end, regex_ok = true},
        {"fact", 1, "number", function(v) db:fact(v) end},
        {"mentions", 1, "string", function(v) db:mentions(v) end},
        {"add_entity", 1, "table", function(v) db:add_entity(v) end, table_ok = true},
        {"add_tag_rule", 1, "table", function(v) db:add_tag_rule(v) end, table_ok = true},
        {"add_entities_file", 1, "string", function(v) db:add_entities_file(v) end},
        {"match", 1, "string or regex", function(v) db:query():match(v) end, regex_ok = true},
        {"where", 1, "function", function(v) db:query():where(v) end, function_ok = true},
        {"tagged", 1, "string", function(v) db:query():tagged(v) end},
        {"limit", 1, "number", function(v) db:query():limit(v) end},
        {"find", 1, "string", function(v) re:find(v) end},
        {"match", 1, "string", function(v) re:match(v) end},
        {"gmatch", 1, "string", function(v) re:gmatch(v) end},
        {"test", 1, "string", function(v) re:test(v) end},
        {"gsub", 1, "string", function(v) re:gsub(v, "x") end},
        {"find", 2, "number", function(v) re:find("a", v) end, nil_ok = true},
        {"gsub", 3, "number or function", function(v) re:gsub("a", "x", v) end, nil_ok = true,
         function_ok = true},
        {"match", 3, "boolean", function(v) re:match("a", 1, v) end, nil_ok = true, boolean_ok = true},
        {"gmatch", 3, "boolean", function(v) re:gmatch("a", 1, v) end, nil_ok = true, boolean_ok = true},
        {"exec", 1, "string", function(v) re:exec(v) end},
        {"exec", 2, "number", function(v) re:exec("a", v) end, nil_ok = true},
        {"tfind", 1, "string", function(v) re:tfind(v) end},
        {"tfind", 2, "number", function(v) re:tfind("a", v) end, nil_ok = true},
        {"split", 1, "string", function(v) re:split(v) end},
        {"count", 1, "string", function(v) re:count(v) end},
        {"format", 1, "string", function(v) rs:format(v) end},
        {"register_formatter", 1, "string", function(v) df.register_formatter(v, print) end},
        {"register_formatter", 2, "function", function(v) df.register_formatter("x", v) end,
         function_ok = true},
        {"report", 1, "table", function(v) df.report(v) end, table_ok = true},
    }
    for _, call in ipairs(CALLS) do
        local fname, pos, expected, f = call[1], call[2], call[3], call[4]
        it(("%s: argument #%d wants a %s"):format(fname, pos, expected), function()
            for _, wrong in ipairs(WRONG) do
                local skip = ((wrong.name == "table" or wrong.name == "drivefacts.db") and call.table_ok)
                    or (wrong.name == "function" and call.function_ok)
                    or (wrong.name == "drivefacts.regex" and call.regex_ok)
                    or (wrong.name == "boolean" and call.boolean_ok)
                    or (wrong.strings_only and expected ~= "string")
                if not skip then
                    local message = error_of(f, wrong.value)
                    assert.matches(("^bad argument #%d to '%s' %%("):format(pos, fname), message)
                    assert.truthy(message:find(wrong.name, 1, true), message)
                end
            end
            if not call.nil_ok then
                local message = error_of(f, nil)
                assert.matches(("^bad argument #%d to '%s' %%(.*nil"):format(pos, fname), message)
            end
        end)
    end

    it("gsub's replacement: string, table or function", function()
        assert.are.equal("bad argument #2 to 'gsub' (string/function/table expected, got boolean)",
            error_of(function() re:gsub("a", true) end))
        assert.are.equal("invalid replacement value (a table)",
            error_of(function() re:gsub("banana", function() return {} end) end))
        assert.are.equal("invalid capture index %2 in replacement string",
            error_of(function() re:gsub("banana", "%2") end))
        assert.are.equal("invalid use of '%' in replacement string",
            error_of(function() re:gsub("banana", "%") end))
    end)

    it("a method called on the wrong object", function()
        assert.are.equal("bad argument #1 to 'find' (drivefacts.regex expected, got drivefacts.db)",
            error_of(function() re.find(db, "a") end))
        assert.are.equal("bad argument #1 to 'find' (drivefacts.regex expected, got nil)",
            error_of(function() re.find(nil, "a") end))
        assert.are.equal("calling a db method on a value that is not a db",
            error_of(function() db.search(re, "a") end))
        assert.are.equal("calling a db method on a value that is not a db",
            error_of(function() db.search({}, "a") end))
        assert.are.equal("bad argument #1 to 'format' (result set expected, got table)",
            error_of(function() df.format({}, "plain") end))
        local rs = db:search("a")
        local expected = "bad argument #1 to '%s' (drivefacts.resultset expected, got %s)"
        assert.are.equal(expected:format("ids", "table"), error_of(function() rs.ids({}) end))
        assert.are.equal(expected:format("count", "nil"), error_of(function() rs.count() end))
        assert.are.equal(expected:format("each", "drivefacts.db"), error_of(function() rs.each(db) end))
        assert.are.equal(expected:format("format", "table"), error_of(function() rs.format({}, "plain") end))
    end)

    it("leaves everything usable", function()
        assert_db_usable(db)
        assert.are.equal("bxnxnx", (re:gsub("banana", "x")))
    end)
end)

------------------------------------------------------------------ callbacks

describe("an error thrown from a user callback", function()
    it("in a query's where: propagates; the db still answers", function()
        local db = assert(df.from_string(TEXT))
        assert.are.equal("boom where", error_of(function()
            db:query():where(function() error("boom where", 0) end):run()
        end))
        local value = {}
        local ok, err = pcall(function() db:query():where(function() error(value) end):run() end)
        assert.is_false(ok)
        assert.are.equal(value, err)  -- error objects pass through untouched
        assert_db_usable(db)
    end)

    it("in a gsub replacement function or table: propagates; the regex still works", function()
        local re = df.regex("a")
        assert.are.equal("boom gsub", error_of(function()
            re:gsub("banana", function() error("boom gsub", 0) end)
        end))
        assert.are.equal("boom index", error_of(function()
            re:gsub("banana", setmetatable({}, {__index = function() error("boom index", 0) end}))
        end))
        assert.are.same({"bonono", 3, 3}, {re:gsub("banana", "o")})
        assert.are.same({2, 2}, {re:find("banana")})
    end)

    it("in a registered formatter: propagates; formatting still works", function()
        local db = assert(df.from_string(TEXT))
        df.register_formatter("misuse_boom", function() error("boom fmt", 0) end)
        df.register_formatter("misuse_number", function() return 42 end)
        local rs = db:search("alpha")
        assert.are.equal("boom fmt", error_of(function() rs:format("misuse_boom") end))
        assert.are.equal("boom fmt", error_of(function() df.format(rs, "misuse_boom") end))
        assert.are.equal("formatter 'misuse_number' returned number, expected a string",
            error_of(function() rs:format("misuse_number") end))
        assert.are.equal("2: alpha beta\n", rs:format("plain"))
        assert_db_usable(db)
    end)

    it("in a Lua tag rule: reported once, naming the rule, which is dropped; the db still answers", function()
        local db = assert(df.from_string(TEXT))
        db:add_tag_rule{tag = "boom", where = function(f)
            if f.id == 2 then error("boom rule", 0) end
            return true
        end}
        assert.are.same({"boom"}, db[1].tags)
        assert.are.equal("tag rule 'boom' raised an error and is dropped: boom rule",
            error_of(function() return db[2].tags end))
        assert.are.same({}, db[2].tags)  -- again: the rule is gone
        assert.are.same({}, db[1].tags)
        for _, tag in ipairs(db:tags()) do assert.are_not.equal("boom", tag.name) end
        assert.are.equal(0, #db:query():tagged("boom"):run())
        assert_db_usable(db)
    end)

    it("in a where that closes its own db: a clean error", function()
        local db = assert(df.from_string(TEXT))
        local ok, err = pcall(function()
            return db:query():where(function(f) db:close(); return f.text:find("a") end):run()
        end)
        -- either the query finishes with what it had or it raises; no crash
        if not ok then assert.matches("closed db", err) end
        assert.are.equal("drivefacts.db (closed)", tostring(db))
    end)
end)

------------------------------------------------------------------ re-entrancy

describe("re-entrancy", function()
    it("a gsub replacement function that calls the same regex's gsub", function()
        local re = df.regex("a")
        assert.are.same({"bx[a]xnx[a]xnx[a]x", 3, 3},
            {re:gsub("banana", function() return (re:gsub("xax", "[%0]")) end)})
        local depth = 0
        local function nest(m)
            depth = depth + 1
            if depth < 50 then re:gsub("aaa", nest) end
            return m:upper()
        end
        assert.are.same({"bAnAnA", 3, 3}, {re:gsub("banana", nest)})
    end)

    it("a gmatch loop that uses the same regex inside", function()
        local re = df.regex("(a)(n)?")
        local seen = {}
        for a, n in re:gmatch("banana") do
            seen[#seen + 1] = a .. tostring(n) .. "/" .. select(2, re:find("xxan"))
        end
        assert.are.same({"an/4", "an/4", "afalse/4"}, seen)
    end)

    it("a where that runs db:search", function()
        local db = assert(df.from_string(TEXT))
        local rs = db:query():where(function(f) return #db:search("beta") == 1 and f.id < 3 end):run()
        assert.are.same({1, 2}, rs:ids())
    end)

    it("a replacement function that finalizes its own regex: a clean error", function()
        local re = df.regex("a")
        assert.are.equal("attempt to use a finalized regex", error_of(function()
            re:gsub("banana", function() getmetatable(re).__gc(re); return "x" end)
        end))
    end)
end)

------------------------------------------------------------------ iterators, __gc

describe("iterators and finalizers", function()
    it("a gmatch iterator after exhaustion returns nothing, repeatedly", function()
        local it = df.regex("a"):gmatch("aa")
        assert.are.equal("a", it())
        assert.are.equal("a", it())
        for _ = 1, 5 do assert.is_nil(it()) end
        local empty = df.regex("x*"):gmatch("")
        assert.are.equal("", empty())
        for _ = 1, 5 do assert.is_nil(empty()) end
    end)

    it("a regex finalized by hand raises on every use, and can be finalized twice", function()
        local re = df.regex("(b)")
        local gc = getmetatable(re).__gc
        local it = re:gmatch("abcb")
        assert.are.equal("b", it())
        gc(re)
        assert.are.equal("drivefacts.regex (finalized)", tostring(re))
        for name, args in pairs{find = {"abc"}, match = {"abc"}, gsub = {"abc", "x"}, test = {"abc"},
                                gmatch = {"abc"}, pattern = {}, flags = {}, group_count = {}, names = {},
                                exec = {"abc"}, tfind = {"abc"}, split = {"abc"}, count = {"abc"}} do
            assert.are.equal("attempt to use a finalized regex",
                error_of(function() re[name](re, compat.unpack(args)) end), name)
        end
        assert.are.equal("attempt to use a finalized regex", error_of(function() it() end))
        local db = assert(df.from_string(TEXT))
        assert.matches("attempt to use a finalized regex$", error_of(function() db:search(re) end))
        gc(re)  -- again: harmless
        full_gc()
        assert_db_usable(db)
    end)

    it("__gc of a corpus-backed object called by hand: close semantics", function()
        local db = assert(df.from_string(TEXT))
        local f = db[1]
        db:close()
        full_gc()
        assert.are.equal("banana split", f.text)
    end)
end)

------------------------------------------------------------------ coroutines

describe("coroutines", function()
    it("yielding from a gsub replacement: 'attempt to yield across a C-call boundary'", function()
        local re = df.regex("a")
        local co = coroutine.create(function()
            return re:gsub("banana", function() coroutine.yield(1); return "o" end)
        end)
        local ok, err = coroutine.resume(co)
        assert.is_false(ok)
        assert.matches("attempt to yield across .*C%-call boundary", err)  -- 5.1: "metamethod/C-call"
        assert.are.equal("dead", coroutine.status(co))
        assert.are.same({"bonono", 3, 3}, {re:gsub("banana", "o")})
    end)

    it("yielding between gmatch steps works", function()
        local re = df.regex("a.")
        local co = coroutine.wrap(function()
            for m in re:gmatch("banana!") do coroutine.yield(m) end
            return "done"
        end)
        assert.are.same({"an", "an", "a!", "done"}, {co(), co(), co(), co()})
    end)

    it("yielding from a where callback (a Lua function) suspends the query", function()
        local db = assert(df.from_string(TEXT))
        local co = coroutine.wrap(function()
            return db:query():where(function(f) coroutine.yield(f.id); return f.id ~= 2 end):run():ids()
        end)
        assert.are.same({1, 2, 3}, {co(), co(), co()})
        assert.are.same({1, 3}, co())
    end)

    it("a coroutine abandoned mid-search is collected without harm", function()
        local db = assert(df.from_string(TEXT))
        local co = coroutine.create(function()
            for m in df.regex("a"):gmatch(db[1].text) do coroutine.yield(m) end
        end)
        assert.is_true((coroutine.resume(co)))
        co = nil  -- luacheck: ignore 311
        full_gc()
        assert_db_usable(db)
    end)

    it("a search inside a coroutine hitting the match limit: a clean error", function()
        local co = coroutine.create(function()
            return df.regex("(a+)+$"):test(("a"):rep(30) .. "b")
        end)
        local ok, err = coroutine.resume(co)
        assert.is_false(ok)
        assert.matches("match limit exceeded", err)
    end)
end)
