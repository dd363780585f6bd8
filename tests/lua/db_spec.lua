-- df.version, df.open, df.from_string, db objects, facts and df.regex.

local df = require "drivefacts"
local compat = require "drivefacts.compat"
local files = require "support.files"
local versions = require "support.versions"

describe("df.version", function()
    it("is the semantic version of the library", function()
        assert.are.equal(versions.header_version(), df.version)
        assert.truthy(df.version:match("^%d+%.%d+%.%d+$"))
    end)
end)

describe("df.open()", function()
    local db = df.open()

    it("opens the embedded Drive (2011) corpus of 122 facts", function()
        assert.are.equal(122, #db)
        assert.truthy(tostring(db):match("^drivefacts%.db: .+ %(122 facts%)$"))
    end)

    it("gives facts with the contract's fields", function()
        local fact = db[1]
        assert.are.equal(1, fact.id)
        assert.truthy(fact.text:find("Ryan Gosling restored the 1973 Chevy Malibu", 1, true))
        assert.are.equal(1, fact.line)
        assert.are.same({"cast-trivia", "cars", "characters"}, fact.tags)
        assert.are.same({"Ryan Gosling", "Chevrolet Malibu"}, fact.entities)
        assert.are.same({1973}, fact.years)
        assert.are.same({}, fact.films)
        assert.are.equal(db, fact.db)
        assert.are.equal("1: " .. fact.text, tostring(fact))
    end)

    it("makes each fact once: db[i] and db:fact(i) are the same table", function()
        for i = 1, #db do
            assert.are.equal(db[i], db:fact(i))
            assert.are.equal(i, db[i].id)
        end
    end)

    it("numbers source lines: facts start on increasing lines", function()
        for i = 2, #db do
            assert.is_true(db[i].line > db[i - 1].line)
        end
    end)

    it("has trimmed, non-empty fact texts", function()
        for _, fact in db:facts() do
            assert.truthy(fact.text:match("^%S"))
            assert.truthy(fact.text:match("%S$"))
        end
    end)

    it("iterates with db:facts() in id order", function()
        local seen = {}
        for id, fact in db:facts() do
            assert.are.equal(db[id], fact)
            seen[#seen + 1] = id
        end
        assert.are.equal(122, #seen)
        assert.are.equal(1, seen[1])
        assert.are.equal(122, seen[122])
    end)

    it("answers nil outside 1..#db when indexed, like a table", function()
        assert.is_nil(db[0])
        assert.is_nil(db[123])
        assert.is_nil(db[-1])
        assert.is_nil(db.no_such_method)
        assert.are.equal(db[2], db[2.0])
    end)

    it("raises from db:fact for a bad id", function()
        assert.has_error(function() db:fact(0) end, "bad argument #1 to 'fact' (fact id out of range (1..122))")
        assert.has_error(function() db:fact(123) end, "bad argument #1 to 'fact' (fact id out of range (1..122))")
        assert.has_error(function() db:fact("1") end, "bad argument #1 to 'fact' (number expected, got string)")
        assert.has_error(function() db:fact(1.5) end,
            "bad argument #1 to 'fact' (number has no integer representation)")
    end)

    it("is read-only", function()
        assert.error_matches(function() db[1] = "x" end, "read%-only")
    end)

    it("keeps its corpus alive while a fact is held", function()
        local fact = df.open()[7]
        collectgarbage()
        collectgarbage()
        assert.are.equal(fact.text, fact.db[7].text)
        assert.are.equal(122, #fact.db)
    end)

    it("remakes collected facts with the same content", function()
        local text = db[9].text
        collectgarbage()
        collectgarbage()
        assert.are.equal(text, db[9].text)
    end)
end)

describe("df.open(path, opts)", function()
    local file = files.tempfile
    teardown(files.cleanup)

    it("splits paragraphs by default", function()
        local path = file("first fact\nstill first\n\n\nsecond fact\n")
        local db = assert(df.open(path))
        assert.are.equal(2, #db)
        assert.are.equal("first fact\nstill first", db[1].text)
        assert.are.equal(1, db[1].line)
        assert.are.equal("second fact", db[2].text)
        assert.are.equal(5, db[2].line)
        assert.truthy(tostring(db):find(path, 1, true))
    end)

    it("reads one fact per line with format = 'lines'", function()
        local db = assert(df.open(file("a\n\nb\nc\n"), {format = "lines"}))
        assert.are.equal(3, #db)
        assert.are.same({"a", "b", "c"}, {db[1].text, db[2].text, db[3].text})
        assert.are.same({1, 3, 4}, {db[1].line, db[2].line, db[3].line})
    end)

    it("reads fortune files with format = 'fortune'", function()
        local db = assert(df.open(file("one\n%\ntwo\nlines\n%\nthree\n"), {format = "fortune"}))
        assert.are.equal(3, #db)
        assert.are.equal("two\nlines", db[2].text)
    end)

    it("returns nil and a message naming the file when it cannot be read", function()
        local missing = os.tmpname()
        os.remove(missing)
        local db, message = df.open(missing)
        assert.is_nil(db)
        assert.is_string(message)
        assert.truthy(message:find(missing, 1, true))
    end)

    it("returns nil and a message naming file and line for invalid UTF-8", function()
        local path = file("good fact\n\nbad \255 byte\n")
        local db, message = df.open(path)
        assert.is_nil(db)
        assert.truthy(message:find(path, 1, true))
        assert.truthy(message:find("%f[%d]3%f[%D]")) -- the line
    end)

    it("raises for wrong argument types, naming the argument", function()
        assert.has_error(function() df.open(42) end,
            "bad argument #1 to 'open' (string, table or file expected, got number)")
        assert.has_error(function() df.open("x", "lines") end,
            "bad argument #2 to 'open' (table expected, got string)")
        assert.error_matches(function() df.open("x", {format = "xml"}) end,
            "bad argument #2 to 'open' %(unknown format 'xml'; expected one of: paragraphs, lines, fortune, jsonl, csv, tsv%)")
        assert.error_matches(function() df.open("x", {format = 1}) end,
            "bad argument #2 to 'open' %(string expected, got number%)")
    end)
end)

describe("df.open(file, opts)", function()
    teardown(files.cleanup)

    it("reads an open file from where it stands to its end, and leaves it open", function()
        local f = io.popen("printf 'one\\n\\ntwo\\n'")
        local db = assert(df.open(f))
        assert.are.same({"one", "two"}, {db[1].text, db[2].text})
        assert.are.equal("drivefacts.db: <stream> (2 facts)", tostring(db))
        assert.are.equal(nil, f:read(1))
        f:close()
        f = assert(io.open(files.tempfile("skipped\nkept\n%\nnext\n")))
        assert.are.equal("skipped", f:read("*l"))  -- what the handle read is not seen again
        db = assert(df.open(f, {format = "fortune", name = "mine"}))
        assert.are.same({"kept", "next"}, {db[1].text, db[2].text})
        assert.are.equal("drivefacts.db: mine (2 facts)", tostring(db))
        f:close()
    end)

    it("stops endless input at max_bytes, with the name in the message", function()
        local f = io.popen("yes 'a fact'")
        local db, message = df.open(f, {max_bytes = 4096, name = "yes"})
        f:close()
        assert.is_nil(db)
        assert.are.equal("yes: more than the limit of 4096 bytes", message)
    end)

    it("refuses a closed file", function()
        local f = io.tmpfile()
        f:close()
        assert.has_error(function() df.open(f) end, "bad argument #1 to 'open' (attempt to use a closed file)")
    end)
end)

describe("df.bounded", function()
    it("passes arguments and results through, and restores the caller's hook", function()
        local f = df.bounded(function(a, b) return a + b, "x" end, 1000)
        assert.are.same({3, "x"}, {f(1, 2)})
        local calls = 0
        local function hook() calls = calls + 1 end
        debug.sethook(hook, "", 1000000)
        f(1, 2)
        local h, mask, count = debug.gethook()
        debug.sethook()
        assert.are.same({hook, "", 1000000}, {h, mask, count})
    end)

    it("stops a callback past its instruction limit, and lets its errors through", function()
        local loop = df.bounded(function() while true do end end, 10000)
        assert.error_matches(loop, "instruction limit exceeded %(10000%)$")
        assert.is_nil(debug.gethook())
        assert.has_error(df.bounded(function() error("own", 0) end, 1000), "own")
        assert.has_error(function() df.bounded(print, 0) end,
            "bad argument #2 to 'bounded' (integer >= 1 expected, got 0)")
    end)
end)

describe("db:scan and db:search with a limit", function()
    local db = df.open()

    it("calls back with each matching id in order, keeping nothing", function()
        local ids = {}
        assert.are.equal(#db:search("e"), db:scan("e", function(id) ids[#ids + 1] = id end))
        assert.are.same(db:search("e"):ids(), ids)
        ids = {}
        assert.are.equal(3, db:scan(df.regex("gosling", "i"), function(id) ids[#ids + 1] = id end,
            {limit = 3}))
        assert.are.same({compat.unpack(db:search("gosling", "i"):ids(), 1, 3)}, ids)
    end)

    it("stops at once when the callback raises", function()
        local calls = 0
        assert.has_error(function()
            db:scan("e", function() calls = calls + 1; error("enough", 0) end)
        end, "enough")
        assert.are.equal(1, calls)
    end)

    it("search stops after limit facts", function()
        local all = db:search("e")
        local first = db:search("e", nil, {limit = 5})
        assert.are.equal(5, #first)
        for i = 1, 5 do assert.are.same(all[i].matches, first[i].matches) end
        assert.are.equal(0, #db:search("e", nil, {limit = 0}))
        assert.has_error(function() db:search("e", nil, {limit = -1}) end,
            "bad argument #3 to 'search' (limit: non-negative integer expected, got -1)")
        assert.has_error(function() db:scan("e", 42) end,
            "bad argument #2 to 'scan' (function expected, got number)")
    end)
end)

describe("df.write_file", function()
    teardown(files.cleanup)

    it("replaces a file, and creates a new one", function()
        local dir = files.tempdir()
        assert.are.equal(true, df.write_file(dir .. "/new.txt", "new\n"))
        assert.are.equal("new\n", files.slurp(dir .. "/new.txt"))
        assert.are.equal(true, df.write_file(dir .. "/new.txt", "newer\n"))
        assert.are.equal("newer\n", files.slurp(dir .. "/new.txt"))
    end)

    it("replaces the file a symbolic link leads to, keeping the link", function()
        local dir = files.tempdir()
        files.spit(dir .. "/real.txt", "old\n")
        assert(os.execute(("ln -s real.txt %s/link.txt"):format(files.shell_quote(dir))))
        assert.are.equal(true, df.write_file(dir .. "/link.txt", "new\n"))
        assert.are.equal("new\n", files.slurp(dir .. "/real.txt"))
        local p = assert(io.popen(("readlink %s/link.txt"):format(files.shell_quote(dir))))
        assert.are.equal("real.txt\n", p:read("*a"))
        p:close()
    end)

    it("returns nil and a message naming the file when it cannot write", function()
        local ok, message = df.write_file("/nonexistent/dir/x.txt", "text")
        assert.is_nil(ok)
        assert.matches("^/nonexistent/dir/x%.txt: No such file or directory$",
            message)
        ok, message = df.write_file("/dev/full", "text")
        assert.is_nil(ok)
        assert.matches("^/dev/full: No space left on device$", message)
    end)

    it("raises for wrong argument types", function()
        assert.has_error(function() df.write_file(1, "x") end,
            "bad argument #1 to 'write_file' (string expected, got number)")
        assert.has_error(function() df.write_file("x") end,
            "bad argument #2 to 'write_file' (string expected, got nil)")
    end)
end)

describe("df.from_string", function()
    it("loads facts from memory", function()
        local db = assert(df.from_string("alpha\n\nbeta\n\ngamma"))
        assert.are.equal(3, #db)
        assert.are.equal("beta", db[2].text)
    end)

    it("takes a format and a name", function()
        local db = assert(df.from_string("x\ny\n", {format = "lines", name = "inline facts"}))
        assert.are.equal(2, #db)
        assert.truthy(tostring(db):find("inline facts", 1, true))
    end)

    it("returns nil and a message for invalid UTF-8", function()
        local db, message = df.from_string("ok\n\n\192\128 overlong", {name = "bad.txt"})
        assert.is_nil(db)
        assert.truthy(message:find("bad.txt", 1, true))
    end)

    it("gives an empty db for empty text", function()
        local db = assert(df.from_string(""))
        assert.are.equal(0, #db)
        assert.is_nil(db[1])
        assert.are.equal(0, #db:search("x"))
    end)

    it("raises for wrong argument types", function()
        assert.has_error(function() df.from_string() end,
            "bad argument #1 to 'from_string' (string expected, got nil)")
        assert.has_error(function() df.from_string("x", {name = 3}) end,
            "bad argument #2 to 'from_string' (string expected, got number)")
    end)
end)

describe("db:close()", function()
    it("makes later uses raise, and may be repeated", function()
        local db = df.open()
        local kept = db[3]
        db:close()
        db:close()
        assert.are.equal("drivefacts.db (closed)", tostring(db))
        assert.error_matches(function() return #db end, "closed db")
        assert.error_matches(function() return db[1] end, "closed db")
        assert.error_matches(function() db:search("a") end, "closed db")
        assert.error_matches(function() db:query() end, "closed db")
        assert.truthy(kept.text:find("Gosling", 1, true)) -- facts made before keep their text
    end)

    it("makes a result set's write raise before it writes a byte", function()
        local db = df.open()
        local rs = db:search("Gosling")
        db:close()
        for _, name in ipairs({"plain", "markdown", "html", "json", "csv"}) do
            local f = io.tmpfile()
            assert.error_matches(function() rs:write(f, name) end, "closed db")
            f:seek("set")
            assert.are.equal("", f:read("*a"))
            f:close()
        end
    end)

    local it_close = versions.has_close and it or pending
    it_close("runs at the end of a <close> variable's scope", function()
        local escaped, n = versions.through_close_scope(df.open())
        assert.are.equal(122, n)
        assert.error_matches(function() return #escaped end, "closed db")
    end)
end)

describe("df.regex", function()
    it("compiles a PCRE2 pattern with flags", function()
        local re = df.regex([[\bgos\w+]], "i")
        assert.are.same({6, 12}, {re:find("Ryan Gosling")})
        assert.is_true(re:test("GOSLING"))
        assert.are.equal("Gosling", re:match("Ryan Gosling"))
    end)

    it("raises for wrong arguments, naming them", function()
        assert.has_error(function() df.regex(1) end, "bad argument #1 to 'regex' (string expected, got number)")
        assert.has_error(function() df.regex("a", 1) end, "bad argument #2 to 'regex' (string expected, got number)")
        assert.error_matches(function() df.regex("a", "iq") end, "bad argument #2 to 'regex' %(unknown flag 'q'")
    end)

    it("raises PCRE2's reason and the offset for a bad pattern", function()
        assert.error_matches(function() df.regex("(unclosed") end, "^bad argument #1 to 'regex' %(.+offset %d+")
        assert.error_matches(function() df.regex("a{2,1}") end, "^bad argument #1 to 'regex' %(.+offset %d+")
    end)

    it("raises at the caller's line", function()
        local ok, message = pcall(function() df.regex(false) end)
        assert.is_false(ok)
        assert.truthy(message:match("db_spec%.lua:%d+: bad argument #1 to 'regex'"))
    end)
end)

describe("db:count", function()
    local df = require "drivefacts"
    local db = df.open()

    it("agrees with db:search on facts and matches", function()
        for _, case in ipairs{{"Gosling"}, {"drive", "iw"}, {"(2011)", "F"}, {"x*"}, {"^The"}} do
            local rs = db:search(case[1], case[2])
            local facts, matches = db:count(case[1], case[2])
            assert.equal(#rs, facts)
            assert.equal(rs:count(), matches)
        end
    end)

    it("takes a compiled regex and names its arguments in errors", function()
        assert.equal(#db:search("Refn"), (db:count(df.regex("Refn"))))
        assert.has_error(function() db:count(42) end,
            "bad argument #1 to 'count' (string or regex expected, got number)")
    end)
end)

describe("df.count_file", function()
    local df = require "drivefacts"
    local files = require "support.files"
    local text = "Ryan Gosling drives.\r\nA second line.\r\n\r\n  drive\n%\nGosling, again: Gosling\n\n"
    local path = files.tempfile(text:rep(50))

    it("counts what db:count counts after df.open, in every format", function()
        for _, format in ipairs{"paragraphs", "lines", "fortune"} do
            local db = assert(df.open(path, {format = format}))
            for _, case in ipairs{{"Gosling"}, {"drive", "iw"}, {"s.\nA"}, {"^Ryan"}, {"x*"}, {"%", "F"}} do
                local want = {db:count(case[1], case[2])}
                for _, mmap in ipairs{false, true} do
                    assert.same(want, {df.count_file(path, case[1], case[2], {format = format, mmap = mmap})},
                        format .. " /" .. case[1] .. "/" .. (mmap and " mapped" or ""))
                end
            end
            assert.same({db:count(df.regex("gosling", "i"))},
                {df.count_file(path, df.regex("gosling", "i"), nil, {format = format})})
        end
        assert.same({100, 150}, {df.count_file(path, "Gosling", nil, {format = "lines"})})
        assert.same({100, 100}, {df.count_file(path, "Gosling", nil, {format = "lines", first = true})})
    end)

    it("names its arguments in errors", function()
        assert.has_error(function() df.count_file(nil, "x") end,
            "bad argument #1 to 'count_file' (string or table expected, got nil)")
        assert.has_error(function() df.count_file(path, 42) end,
            "bad argument #2 to 'count_file' (string or regex expected, got number)")
        assert.has_error(function() df.count_file(path, df.regex("x"), "i") end,
            "bad argument #3 to 'count_file' (flags given with a compiled regex)")
        assert.has_error(function() df.count_file(path, "x", "q") end)
        assert.has_error(function() df.count_file(path, "x", nil, {format = "xml"}) end)
        assert.has_error(function() df.count_file(path, "x", nil, "lines") end,
            "bad argument #4 to 'count_file' (table expected, got string)")
        assert.has_error(function() df.count_file(path, "x", nil, {first = 1}) end)
        assert.has_error(function() df.count_file(path, "x", nil, {mmap = "yes"}) end,
            "bad argument #4 to 'count_file' (boolean expected, got string)")
        assert.has_error(function() df.count_file(path, "x", nil, {prefilter = true}) end,
            "bad argument #4 to 'count_file' (a prefilter belongs to a db, not to a count)")
    end)
end)

describe("a db of several sources", function()
    local files = require "support.files"
    local dir = files.tempdir()
    assert(os.execute("mkdir " .. files.shell_quote(dir .. "/sub")))
    files.spit(dir .. "/b", "bee one\n\nbee two\n")
    files.spit(dir .. "/sub/a", "ant\n")
    files.spit(dir .. "/.hidden", "hidden bee\n")
    files.spit(dir .. "/b.dat", "index bee\n")
    files.spit(dir .. "/binary", "bee\0binary\n")
    local single = files.tempfile("single bee\n")

    it("loads a directory recursively in name order, skipping what is not a fact file", function()
        local db = assert(df.open(dir))
        assert.are.same({dir .. "/b", dir .. "/sub/a"}, db:sources())
        assert.are.equal(3, #db)
        assert.are.same({"bee one", 1, dir .. "/b"}, {db[1].text, db[1].line, db[1].source})
        assert.are.same({"bee two", 3, dir .. "/b"}, {db[2].text, db[2].line, db[2].source})
        assert.are.same({"ant", 1, dir .. "/sub/a"}, {db[3].text, db[3].line, db[3].source})
    end)

    it("loads a list, ids over all sources in load order", function()
        local db = assert(df.open({single, dir}))
        assert.are.same({single, dir .. "/b", dir .. "/sub/a"}, db:sources())
        assert.are.same({1, 2, 3}, db:search("bee|single"):ids())
        assert.are.equal(single, db[1].source)
        assert.are.same({db:count("bee")}, {df.count_file({single, dir}, "bee")})
        assert.are.same({2, 2}, {df.count_file(dir, "bee")})
        assert.matches("\n4 facts %(%d+ bytes%) from 3 sources; 0 entities, 0 tags%.\n",
            df.report{db = db, format = "plain"})
        assert.matches("\n3 facts %(%d+ bytes%) from 2 sources %(" .. dir:gsub("%p", "%%%0") .. "%);",
            df.report{db = assert(df.open(dir)), format = "plain"})
    end)

    it("a single file has itself as its one source", function()
        local db = assert(df.open(single))
        assert.are.same({single}, db:sources())
        assert.are.equal(single, db[1].source)
        assert.are.same({"<embedded>"}, df.open():sources())
    end)

    it("names the file of an error; refuses paths that are not strings", function()
        files.spit(dir .. "/sub/bad", "ok\n\n\255\n")
        local db, err = df.open({single, dir})
        assert.is_nil(db)
        assert.truthy(err:find(dir .. "/sub/bad:3:", 1, true), err)
        local facts, count_err = df.count_file(dir, "x")
        assert.is_nil(facts)
        assert.truthy(count_err:find(dir .. "/sub/bad:3:", 1, true), count_err)
        os.remove(dir .. "/sub/bad")
        assert.has_error(function() df.open({single, 3}) end,
            "bad argument #1 to 'open' (path 2: string expected, got number)")
        assert.has_error(function() df.open(true) end,
            "bad argument #1 to 'open' (string, table or file expected, got boolean)")
    end)
end)
