-- drivefacts.core, the C module: every function, every error path.

local core = require "drivefacts.core"
local files = require "support.files"
local assertions = require "support.assertions"
local versions = require "support.versions"

-- The message of the error `f` raises, without the "file:line: " of the
-- caller.  Call the function under test as a statement inside `f` (not as a
-- tail call), so that the message names it as a user's call would.
local error_of = assertions.error_of

-- All results of a call, with their count.
local pack = require("drivefacts.compat").pack

local temp_file = files.tempfile
teardown(files.cleanup)

local function collect(iterator)
    local all = {}
    for a, b in iterator do
        all[#all + 1] = b == nil and a or {a, b}
    end
    return all
end

describe("drivefacts.core", function()
    it("has the library's version", function()
        assert.are.equal(versions.header_version(), core.version)
    end)

    it("exports exactly the contract's functions", function()
        local names = {}
        for name in pairs(core) do
            names[#names + 1] = name
        end
        table.sort(names)
        assert.are.same({"count", "count_file", "expand_paths", "file_size", "flag_letters", "flush_output",
                         "hits", "is_regex", "isatty", "load_embedded", "load_file", "load_paths", "load_stream",
                         "load_string", "max_corpus_bytes", "profile", "profiles", "proxy", "regex", "search",
                         "search_file", "version", "write_file"}, names)
    end)

    it("knows the flag letters as the core writes them", function()
        assert.are.equal("imsxFw", core.flag_letters)
        for i = 1, #core.flag_letters do
            local letter = core.flag_letters:sub(i, i)
            assert.are.equal(letter, core.regex("a", letter):flags())
        end
    end)
end)

describe("core.load_embedded()", function()
    local c = core.load_embedded()

    it("holds the 122 facts of Drive (2011)", function()
        assert.are.equal(122, #c)
        assert.are.equal("<embedded>", c:name())
        assert.are.equal("drivefacts.corpus: <embedded> (122 facts)", tostring(c))
    end)

    it("gives each fact's text and source line", function()
        assert.truthy(c:text(1):find("^In preparation for his role, Ryan Gosling"))
        assert.are.equal(1, c:line(1))
        assert.are.equal(3, c:line(2))
        local bytes = 0
        for id = 1, #c do
            local text = c:text(id)
            assert.truthy(#text > 0)
            assert.falsy(text:find("^%s") or text:find("%s$"), "trimmed")
            bytes = bytes + #text
        end
        assert.are.equal(bytes, c:bytes())
    end)

    it("accepts ids 1..#c only", function()
        for _, id in ipairs({0, -1, 123, versions.MAXINTEGER, versions.MININTEGER}) do
            assert.are.equal("bad argument #1 to 'text' (fact id out of range)",
                             error_of(function() c:text(id) end))
            assert.are.equal("bad argument #1 to 'line' (fact id out of range)",
                             error_of(function() c:line(id) end))
        end
        assert.are.equal("bad argument #1 to 'text' (number expected, got string)",
                         error_of(function() c:text("one") end))
        assert.are.equal("bad argument #1 to 'text' (number has no integer representation)",
                         error_of(function() c:text(1.5) end))
        assert.are.equal(c:text(2), c:text(2.0))
    end)

    it("checks that methods are called on a corpus", function()
        assert.are.equal("bad argument #1 to 'name' (drivefacts.corpus expected, got table)",
                         error_of(function() c.name({}) end))
        local impostor = setmetatable({}, {__index = {bytes = c.bytes}})
        assert.are.equal("calling 'bytes' on bad self (drivefacts.corpus expected, got table)",
                         error_of(function() impostor:bytes() end))
    end)

    it("makes a new corpus on each call", function()
        local other = core.load_embedded()
        assert.are_not.equal(c, other)
        other:close()
        assert.are.equal(122, #c)
    end)
end)

describe("a closed corpus", function()
    local function uses(c)
        return {
            function() local _ = #c end,
            function() c:text(1) end,
            function() c:line(1) end,
            function() c:name() end,
            function() c:bytes() end,
            function() c:close() end,
            function() core.search(c, core.regex("a")) end,
            function() core.count(c, core.regex("a")) end,
        }
    end

    it("raises on any use after c:close()", function()
        local c = core.load_embedded()
        c:close()
        for _, use in ipairs(uses(c)) do
            assert.are.equal("attempt to use a closed corpus", error_of(use))
        end
        assert.are.equal("drivefacts.corpus (closed)", tostring(c))
    end)

    local it_close = versions.has_close and it or pending
    it_close("is closed by a to-be-closed variable", function()
        local outer, n = versions.through_close_scope(core.load_embedded())
        assert.are.equal(122, n)
        for _, use in ipairs(uses(outer)) do
            assert.are.equal("attempt to use a closed corpus", error_of(use))
        end
    end)

    it("can be finalized and closed any number of times by the metamethods", function()
        local c = core.load_string("a")
        local mt = getmetatable(c)
        mt.__close(c)
        mt.__gc(c)
        mt.__gc(c)
        assert.are.equal("attempt to use a closed corpus", error_of(function() c:name() end))
        c = nil
        collectgarbage()
        collectgarbage()
    end)
end)

describe("core.load_string()", function()
    it("splits paragraphs by default", function()
        local c = core.load_string("  one\nstill one  \n\n\n two \n")
        assert.are.equal(2, #c)
        assert.are.equal("one\nstill one", c:text(1))
        assert.are.equal("two", c:text(2))
        assert.are.same({1, 5}, {c:line(1), c:line(2)})
        assert.are.equal("<buffer>", c:name())
        assert.are.equal(#"one\nstill one" + #"two", c:bytes())
    end)

    it("reads the lines and fortune formats", function()
        local lines = core.load_string("a\nb\n\n c\n", "lines")
        assert.are.same({"a", "b", "c"}, {lines:text(1), lines:text(2), lines:text(3)})
        assert.are.equal(3, #lines)
        local fortune = core.load_string("first\nfact\n%\nsecond\n%\n", "fortune")
        assert.are.equal(2, #fortune)
        assert.are.equal("first\nfact", fortune:text(1))
        assert.are.equal(3, #core.load_string("a\n\nb\n\nc", "paragraphs"))
    end)

    it("names the buffer in messages and tostring", function()
        local c = core.load_string("x", nil, "facts.txt")
        assert.are.equal("facts.txt", c:name())
        assert.are.equal("drivefacts.corpus: facts.txt (1 facts)", tostring(c))
    end)

    it("keeps zero bytes, folds CRLF and skips a BOM", function()
        local c = core.load_string("\239\187\191a\0b\r\nc\r\n\r\nd")
        assert.are.equal(2, #c)
        assert.are.equal("a\0b\nc", c:text(1))
        assert.are.equal("d", c:text(2))
    end)

    it("makes an empty corpus of blank text", function()
        assert.are.equal(0, #core.load_string(""))
        assert.are.equal(0, #core.load_string(" \n\n\t\n"))
        assert.are.equal("bad argument #1 to 'text' (fact id out of range)",
                         error_of(function() core.load_string(""):text(1) end))
    end)

    it("returns nil and a message naming the line of invalid UTF-8", function()
        local c, message = core.load_string("fine\n\nstill fine\nbad \255 here", nil, "t.txt")
        assert.is_nil(c)
        assert.truthy(message:find("t.txt:4:", 1, true), message)
        assert.truthy(message:find("invalid UTF-8", 1, true), message)
        assert.are.equal(2, select("#", core.load_string("\195")))
    end)

    it("checks its arguments", function()
        assert.are.equal("bad argument #1 to 'load_string' (string expected, got no value)",
                         error_of(function() core.load_string() end))
        assert.are.equal("bad argument #2 to 'load_string' (invalid option 'words')",
                         error_of(function() core.load_string("a", "words") end))
        assert.are.equal("bad argument #2 to 'load_string' (string expected, got table)",
                         error_of(function() core.load_string("a", {}) end))
        assert.are.equal("bad argument #3 to 'load_string' (string expected, got table)",
                         error_of(function() core.load_string("a", "lines", {}) end))
    end)
end)

describe("corpus:text_stats()", function()
    -- Words are counted in C a vector at a time: facts of every length up
    -- to a few vectors, of every kind of white space and of bytes next to
    -- it, against Lua's own "%S+".
    it("counts words as Lua's %S+ does", function()
        local pieces = {"a", "b", " ", "\t", "\n", "\v", "\f", "\r", "\b", "\14", "\0", "\195\169",
                        "  ", "xyz"}
        -- A small generator, exact in every Lua's numbers (5.1's doubles too).
        local seed, facts = 7, {}
        local function next_piece()
            seed = (seed * 75 + 74) % 65537
            return pieces[seed % #pieces + 1]
        end
        for n = 1, 90 do
            local fact = {"w"}
            for _ = 1, n do fact[#fact + 1] = next_piece() end
            fact[#fact + 1] = "z"
            facts[#facts + 1] = table.concat(fact)
        end
        local c = assert(core.load_string(table.concat(facts, "\n%\n"), "fortune"))
        local words, bytes = 0, 0
        for i = 1, #c do
            for _ in c:text(i):gmatch("%S+") do words = words + 1 end
            bytes = bytes + #c:text(i)
        end
        local stats = c:text_stats()
        assert.are.equal(90, #c)
        assert.are.equal(bytes, stats.bytes)
        assert.are.equal(words, stats.words)
    end)
end)

describe("core.load_file()", function()
    local path
    after_each(function()
        if path then os.remove(path) end
        path = nil
    end)

    it("loads a file in each format", function()
        path = temp_file("one\ntwo\n\nthree\n")
        local c = assert(core.load_file(path))
        assert.are.equal(2, #c)
        assert.are.equal(path, c:name())
        assert.are.equal(3, #assert(core.load_file(path, "lines")))
        assert.are.equal(1, #assert(core.load_file(path, "fortune")))
        assert.are.equal("three", core.load_file(path, "lines", 100):text(3))
    end)

    it("returns nil and a message for a missing file or a directory", function()
        local c, message = core.load_file("/nonexistent/facts.txt")
        assert.is_nil(c)
        assert.truthy(message:find("/nonexistent/facts.txt", 1, true), message)
        c, message = core.load_file("/")
        assert.is_nil(c)
        assert.truthy(message:find("directory", 1, true), message)
    end)

    it("returns nil and a message naming file, line and byte of invalid UTF-8", function()
        path = temp_file("good\n\nbad \192\175\n")
        local c, message = core.load_file(path)
        assert.is_nil(c)
        assert.truthy(message:find(path .. ":3:", 1, true), message)
        assert.truthy(message:find("invalid UTF-8 at byte offset", 1, true), message)
    end)

    it("refuses a file larger than max_bytes", function()
        path = temp_file(("x"):rep(100))
        local c, message = core.load_file(path, "lines", 99)
        assert.is_nil(c)
        assert.truthy(message:find("limit", 1, true), message)
        assert.are.equal(1, #assert(core.load_file(path, "lines", 100)))
        assert.are.equal(1, #assert(core.load_file(path, "lines", 0)), "0: the default")
    end)

    it("checks its arguments", function()
        assert.are.equal("bad argument #1 to 'load_file' (string expected, got nil)",
                         error_of(function() core.load_file(nil) end))
        assert.are.equal("bad argument #2 to 'load_file' (invalid option 'xml')",
                         error_of(function() core.load_file("x", "xml") end))
        assert.are.equal("bad argument #3 to 'load_file' (size must be non-negative)",
                         error_of(function() core.load_file("x", "lines", -1) end))
        assert.are.equal("bad argument #3 to 'load_file' (number expected, got string)",
                         error_of(function() core.load_file("x", "lines", "big") end))
    end)
end)

describe("core.regex()", function()
    it("compiles a pattern with flags", function()
        local re = core.regex("(?<word>dr\\w+) (\\d+)?", "wi")
        assert.are.equal("(?<word>dr\\w+) (\\d+)?", re:pattern())
        assert.are.equal("iw", re:flags())
        assert.are.equal(2, re:group_count())
        assert.are.same({word = 1}, re:names())
        assert.are.equal("drivefacts.regex: /(?<word>dr\\w+) (\\d+)?/iw", tostring(re))
        assert.are.equal("", core.regex("a"):flags())
        assert.are.equal("imsxw", core.regex("a", "wxsmi"):flags())
        assert.are.equal("F", core.regex("a", "F"):flags())
        assert.are.same({}, core.regex("(a)"):names())
    end)

    it("tells regexes from other values", function()
        assert.is_true(core.is_regex(core.regex("a")))
        for _, v in ipairs({"a", 1, {}, core.load_string("a"), print, true}) do
            assert.is_false(core.is_regex(v))
        end
        assert.is_false(core.is_regex(nil))
        assert.is_false(core.is_regex())
    end)

    it("takes fixed strings and whole words", function()
        assert.are.equal(3, core.regex("a.c", "F"):find("xxa.c"))
        assert.is_nil(core.regex("a.c", "F"):find("abc"))
        assert.is_nil(core.regex("car", "w"):find("cars"))
        assert.are.equal(5, core.regex("car", "w"):find("the car"))
        assert.are.equal(1, core.regex("ÉTÉ", "i"):find("été"))
    end)

    it("keeps a pattern holding zero bytes", function()
        local re = core.regex("a\0b")
        assert.are.equal("a\0b", re:pattern())
        assert.are.same({2, 4}, {re:find("xa\0b")})
    end)

    it("returns fail, PCRE2's reason and the offset for a bad pattern", function()
        assert.are.same({nil, "missing closing parenthesis at offset 3", 3}, {core.regex("(ab")})
        for _, pattern in ipairs({"a{2,1}", "[z-a]", "(?<n>a)(?<n>b)", "\\", "a**", "(?P<1>x)"}) do
            local re, reason, offset = core.regex(pattern)
            assert.is_nil(re)
            assert.are.equal(("at offset %d"):format(offset), reason:match("at offset %d+$"), reason)
        end
    end)

    it("returns fail for invalid UTF-8 in the pattern", function()
        local re, reason, offset = core.regex("ab\255")
        assert.is_nil(re)
        assert.truthy(reason:find("^invalid UTF%-8.* offset 2"), reason)
        assert.are.equal(2, offset)
    end)

    it("raises for an unknown flag, naming it", function()
        local message = error_of(function() core.regex("a", "iq") end)
        assert.truthy(message:find("^bad argument #2 to 'regex' %(unknown flag 'q'"), message)
        assert.are.equal("bad argument #2 to 'regex' (flags contain a zero byte)",
                         error_of(function() core.regex("a", "i\0") end))
    end)

    it("checks the types of its arguments", function()
        assert.are.equal("bad argument #1 to 'regex' (string expected, got table)",
                         error_of(function() core.regex({}) end))
        assert.are.equal("bad argument #1 to 'regex' (string expected, got no value)",
                         error_of(function() core.regex() end))
        assert.are.equal("bad argument #2 to 'regex' (string expected, got table)",
                         error_of(function() core.regex("a", {}) end))
        assert.are.equal("bad argument #1 to 'find' (drivefacts.regex expected, got string)",
                         error_of(function() core.regex("a").find("abc") end))
        local impostor = setmetatable({}, {__index = {find = core.regex("a").find}})
        assert.are.equal("calling 'find' on bad self (drivefacts.regex expected, got table)",
                         error_of(function() impostor:find("abc") end))
    end)

    it("raises on any use once finalized", function()
        local re = core.regex("a")
        local mt = getmetatable(re)
        local iterator = re:gmatch("aaa")
        mt.__gc(re)
        mt.__gc(re)
        assert.are.equal("drivefacts.regex (finalized)", tostring(re))
        for _, use in ipairs({
            function() re:find("a") end, function() re:gsub("a", "b") end,
            function() re:pattern() end, function() iterator() end,
            function() core.search(core.load_string("a"), re) end,
        }) do
            assert.are.equal("attempt to use a finalized regex", error_of(use))
        end
    end)

    it("raises if a replacement finalizes the regex it runs", function()
        local re = core.regex("a")
        assert.are.equal("attempt to use a finalized regex", error_of(function()
            re:gsub("aaa", function() getmetatable(re).__gc(re) end)
        end))
    end)
end)

describe("re:find() and re:match()", function()
    it("return positions and captures like string.find and string.match", function()
        local re = core.regex("(l)(l)")
        assert.are.same({3, 4, "l", "l"}, {re:find("hello")})
        assert.are.same({"l", "l"}, {re:match("hello")})
        assert.are.same({5, 5}, {core.regex("o"):find("hello")})
        assert.are.equal("ell", core.regex("e.l"):match("hello"))
        assert.are.same({n = 1}, pack(core.regex("z"):find("hello")))
        assert.are.same({n = 1}, pack(core.regex("z"):match("hello")))
        assert.are.same({2, 5, "2024"}, {core.regex("(?<year>\\d+)"):find("x2024y")})
    end)

    it("give false for a group that did not take part", function()
        assert.are.same({2, 2, false}, {core.regex("(x)?b"):find("abc")})
        assert.are.same({false, "b"}, {core.regex("(x)?(b)"):match("abc")})
        assert.are.same({"", n = 1}, pack(core.regex("()"):match("abc")))
    end)

    it("clamp init exactly as string.find does", function()
        local subject = "hello world"
        -- the reference: Lua 5.4's string.find (5.1 and LuaJIT clamp init
        -- past the end of the subject)
        for _, pattern in ipairs(versions.string_lib_is_54 and {"o", "", "l+", "world", "h"} or {}) do
            local re = core.regex(pattern)
            for init = -15, 15 do
                assert.are.same(pack(subject:find(pattern, init)), pack(re:find(subject, init)),
                                ("find(%q, %d)"):format(pattern, init))
                assert.are.same(pack(subject:match(pattern, init)), pack(re:match(subject, init)),
                                ("match(%q, %d)"):format(pattern, init))
            end
            for _, init in ipairs({versions.MININTEGER, versions.MAXINTEGER}) do
                assert.are.same(pack(subject:find(pattern, init)), pack(re:find(subject, init)))
            end
        end
        assert.are.same({1, 0}, {core.regex(""):find("")})
        assert.is_nil(core.regex(""):find("", 2))
    end)

    it("see the whole subject from init: lookbehind, \\b and ^", function()
        assert.are.same({4, 4}, {core.regex("(?<=a)b"):find("abab", 3)})
        assert.is_nil(core.regex("^b"):find("ab", 2))
        assert.is_nil(core.regex("\\bb"):find("ab", 2))
    end)

    it("count positions in bytes over UTF-8 text", function()
        assert.are.same({2, 3}, {core.regex("ö"):find("Söderström")})
        assert.are.same({10, 11}, {core.regex("ö"):find("Söderström", 4)})
        assert.are.same({10, 11}, {core.regex("ö"):find("Söderström", -4)})
        assert.are.same({10, 11}, {core.regex("ö"):find("Söderström", -3)})
        assert.are.equal("ö", core.regex(".", "i"):match("Söderström", 2))
    end)

    it("refuse an init inside a UTF-8 character", function()
        assert.are.equal("bad argument #2 to 'find' (initial position is a continuation byte)",
                         error_of(function() core.regex("d"):find("Söderström", 3) end))
        assert.are.equal("bad argument #2 to 'match' (initial position is a continuation byte)",
                         error_of(function() core.regex("d"):match("Söderström", -2) end))
    end)

    it("refuse a subject that is not UTF-8, naming the byte", function()
        assert.are.equal("bad argument #1 to 'find' (invalid UTF-8 at position 2)",
                         error_of(function() core.regex("a"):find("a\255b") end))
        assert.are.equal("bad argument #1 to 'match' (invalid UTF-8 at position 1)",
                         error_of(function() core.regex("a"):match("\195") end))
        assert.are.equal("bad argument #1 to 'test' (invalid UTF-8 at position 3)",
                         error_of(function() core.regex("a"):test("ab\237\160\128") end))
    end)

    it("check their arguments", function()
        local re = core.regex("a")
        assert.are.equal("bad argument #1 to 'find' (string expected, got no value)",
                         error_of(function() re:find() end))
        assert.are.equal("bad argument #2 to 'find' (number expected, got string)",
                         error_of(function() re:find("a", "x") end))
        assert.are.equal("bad argument #2 to 'match' (number has no integer representation)",
                         error_of(function() re:match("a", 1.5) end))
        assert.are.same({2, 2}, {core.regex("2"):find(123)})
    end)

    it("match subjects holding zero bytes", function()
        assert.are.same({3, 3}, {core.regex("b"):find("a\0b")})
        assert.are.equal("a\0b", core.regex("a.b", "s"):match("a\0b"))
    end)
end)

describe("re:test()", function()
    it("tells whether there is a match from init", function()
        local re = core.regex("wor")
        assert.is_true(re:test("hello world"))
        assert.is_true(re:test("hello world", 7))
        assert.is_false(re:test("hello world", 8))
        assert.is_true(re:test("hello world", -5))
        assert.is_false(re:test("hello world", 100))
        assert.is_true(core.regex(""):test("", 1))
        assert.is_false(core.regex(""):test("", 2))
    end)
end)

describe("re:gmatch()", function()
    it("iterates captures or whole matches", function()
        assert.are.same({"one", "two", "three"}, collect(core.regex("\\w+"):gmatch("one two three")))
        assert.are.same({{"a", "1"}, {"b", "2"}}, collect(core.regex("(\\w)=(\\d)"):gmatch("a=1, b=2")))
        assert.are.same({}, collect(core.regex("z"):gmatch("abc")))
    end)

    it("follows Lua 5.4's rule for empty matches", function()
        assert.are.same({"x", "x"}, collect(core.regex("x*"):gmatch("xax")))
        if versions.string_lib_is_54 then
            local lua = {}
            for m in ("xax"):gmatch("x*") do lua[#lua + 1] = m end
            assert.are.same(lua, collect(core.regex("x*"):gmatch("xax")))
        end
        assert.are.same({"", "", "", ""}, collect(core.regex(""):gmatch("abc")))
    end)

    it("steps one UTF-8 character past an empty match", function()
        local all = collect(core.regex("x*"):gmatch("Söderström"))
        assert.are.equal(11, #all)
        for _, m in ipairs(all) do assert.are.equal("", m) end
        -- as string.gmatch over ASCII: "" before S, "o", "" before each of d e r s t r, "o", ...
        local ascii = {"", "ö", "", "", "", "", "", "ö", ""}  -- Lua 5.4's gmatch
        if versions.string_lib_is_54 then
            ascii = {}
            for m in ("Soderstrom"):gmatch("o*") do ascii[#ascii + 1] = m:gsub("o", "ö") end
        end
        assert.are.equal(9, #ascii)
        assert.are.same(ascii, collect(core.regex("ö*"):gmatch("Söderström")))
        local starts = {}
        local re = core.regex("()")
        for _ in re:gmatch("añb") do starts[#starts + 1] = true end
        assert.are.equal(4, #starts)
    end)

    it("starts at init", function()
        assert.are.same({"b", "c"}, collect(core.regex("\\w"):gmatch("abc", 2)))
        assert.are.same({"c"}, collect(core.regex("\\w"):gmatch("abc", -1)))
        assert.are.same({}, collect(core.regex("\\w"):gmatch("abc", 10)))
        assert.are.same({""}, collect(core.regex(""):gmatch("abc", 4)))
        assert.are.same({}, collect(core.regex(""):gmatch("abc", 5)))
        assert.are.equal("bad argument #2 to 'gmatch' (initial position is a continuation byte)",
                         error_of(function() core.regex("x"):gmatch("ñ", 2) end))
    end)

    it("keeps its regex and subject alive", function()
        local iterator = core.regex("\\d+"):gmatch(("1 22 333 "):rep(3):sub(1, -2))
        collectgarbage()
        collectgarbage()
        local all = {}
        for m in iterator do
            collectgarbage()
            all[#all + 1] = m
        end
        assert.are.same({"1", "22", "333", "1", "22", "333", "1", "22", "333"}, all)
        assert.is_nil(iterator())
        assert.is_nil(iterator())
    end)

    it("runs across coroutines", function()
        local iterator = core.regex("\\w+"):gmatch("a b c")
        local co = coroutine.wrap(function()
            coroutine.yield(iterator())
            coroutine.yield(iterator())
        end)
        assert.are.equal("a", co())
        assert.are.equal("b", co())
        assert.are.equal("c", iterator())
    end)

    it("refuses a subject that is not UTF-8 when made", function()
        assert.are.equal("bad argument #1 to 'gmatch' (invalid UTF-8 at position 4)",
                         error_of(function() core.regex("a"):gmatch("abc\128") end))
    end)
end)

describe("re:gsub()", function()
    it("expands %0..%9 and %% in a string replacement", function()
        local re = core.regex("(\\w+)=(\\w+)")
        assert.are.same({"b=a, d=c", 2, 2}, {re:gsub("a=b, c=d", "%2=%1")})
        assert.are.same({"<a=b>%", 1, 1}, {re:gsub("a=b", "<%0>%%")})
        assert.are.same({"[x]a[x]", 2, 2}, {core.regex("x"):gsub("xax", "[%1]")})
        assert.are.same({"-", 1, 1}, {core.regex("(x)?b"):gsub("b", "%1-")})
        assert.are.same({"a5c", 1, 1}, {core.regex("b"):gsub("abc", 5)})
    end)

    it("raises for a bad replacement string", function()
        local re = core.regex("(b)")
        assert.are.equal("invalid use of '%' in replacement string",
                         error_of(function() re:gsub("abc", "%x") end))
        assert.are.equal("invalid use of '%' in replacement string",
                         error_of(function() re:gsub("abc", "b%") end))
        assert.are.equal("invalid capture index %2 in replacement string",
                         error_of(function() re:gsub("abc", "%2") end))
        assert.are.equal("invalid capture index %2 in replacement string",
                         error_of(function() core.regex("b"):gsub("abc", "%2") end))
    end)

    it("looks replacements up in a table", function()
        local t = {a = "1", b = false, c = 3}
        assert.are.same({"1b3d", 4, 2}, {core.regex("\\w"):gsub("abcd", t)})
        assert.are.same({"[A]c", 1, 1}, {core.regex("(a)b"):gsub("abc", {a = "[A]"})})
        assert.are.same({"abc", 1, 0}, {core.regex("(x)?b"):gsub("abc", {[false] = nil})})
        assert.are.equal("invalid replacement value (a table)",
                         error_of(function() core.regex("a"):gsub("a", {a = {}}) end))
    end)

    it("calls a replacement function with the captures", function()
        local seen = {}
        local result, n = core.regex("(\\w)(\\d)?"):gsub("a1b", function(letter, digit)
            seen[#seen + 1] = {letter, digit}
            if letter == "b" then return nil end
            return letter:upper() .. tostring(digit)
        end)
        assert.are.same({"A1b", 2}, {result, n})
        assert.are.same({{"a", "1"}, {"b", false}}, seen)
        assert.are.same({"<ab>", 1, 1}, {core.regex("ab"):gsub("ab", function(m) return "<" .. m .. ">" end)})
        assert.are.same({"x2y", 1, 1}, {core.regex("1"):gsub("x1y", function() return 2 end)})
        assert.are.same({"abc", 1, 0}, {core.regex("b"):gsub("abc", function() return false end)})
        assert.are.equal("invalid replacement value (a boolean)",
                         error_of(function() core.regex("a"):gsub("a", function() return true end) end))
        assert.are.equal("boom", error_of(function()
            core.regex("a"):gsub("a", function() error("boom", 0) end)
        end))
    end)

    it("stops after n replacements", function()
        local re = core.regex("o")
        assert.are.same({"f0o bar", 1, 1}, {re:gsub("foo bar", "0", 1)})
        assert.are.same({"f00 bar", 2, 2}, {re:gsub("foo bar", "0", 2)})
        assert.are.same({"foo bar", 0, 0}, {re:gsub("foo bar", "0", 0)})
        assert.are.same({"foo bar", 0, 0}, {re:gsub("foo bar", "0", -1)})
        assert.are.same({"f00 bar", 2, 2}, {re:gsub("foo bar", "0", versions.MAXINTEGER)})
    end)

    it("follows Lua 5.4's rule for empty matches", function()
        assert.are.same({"-a-", 2, 2}, {core.regex("x*"):gsub("xax", "-")})
        if versions.string_lib_is_54 then
            local expected, n = ("xax"):gsub("x*", "-")
            assert.are.same({expected, n, n}, {core.regex("x*"):gsub("xax", "-")})
        end
        assert.are.same({"-a-b-c-", 4, 4}, {core.regex(""):gsub("abc", "-")})
        assert.are.same({"-S-ö-", 3, 3}, {core.regex("x*"):gsub("Sö", "-")})
        assert.are.same({"-S-ö-d-", 4, 4}, {core.regex("x*"):gsub("Söd", "-")})
    end)

    it("may use its own regex inside the replacement", function()
        local re = core.regex("\\w+")
        local result = re:gsub("ab cd", function(word)
            return (re:gsub(word, function(w) return w:upper() end))
        end)
        assert.are.equal("AB CD", result)
        local lookups = setmetatable({}, {__index = function(_, k) return re:match(k .. " x") .. "!" end})
        assert.are.equal("ab! cd!", (re:gsub("ab cd", lookups)))
    end)

    it("checks its arguments", function()
        local re = core.regex("a")
        assert.are.equal("bad argument #2 to 'gsub' (string/function/table expected, got boolean)",
                         error_of(function() re:gsub("a", true) end))
        assert.are.equal("bad argument #2 to 'gsub' (string/function/table expected, got no value)",
                         error_of(function() re:gsub("a") end))
        assert.are.equal("bad argument #3 to 'gsub' (number or function expected, got string)",
                         error_of(function() re:gsub("a", "b", "x") end))
        assert.are.equal("bad argument #1 to 'gsub' (invalid UTF-8 at position 1)",
                         error_of(function() re:gsub("\255", "b") end))
    end)
end)

describe("many capture groups", function()
    -- More groups than fit on the C stack: their offsets live in a userdata.
    local pattern = ("(a)"):rep(40)
    local subject = ("a"):rep(40)

    it("are all returned", function()
        local re = core.regex(pattern)
        assert.are.equal(40, re:group_count())
        local found = pack(re:find(subject))
        assert.are.equal(42, found.n)
        assert.are.equal(40, pack(re:match(subject)).n)
        assert.are.equal(("a"):rep(9), (re:gsub(subject, "%1%2%3%4%5%6%7%8%9")))
        for captures in re:gmatch(subject .. subject) do
            assert.are.equal("a", captures)
        end
        local hits = core.search(core.load_string(subject), re)
        assert.are.equal(40, #hits[1].matches[1].groups)
    end)
end)

describe("match and depth limits", function()
    local re = core.regex("(a+)+$")
    local subject = ("a"):rep(40) .. "b"

    it("turn catastrophic backtracking into an error", function()
        for _, use in ipairs({
            function() re:find(subject) end,
            function() re:match(subject) end,
            function() re:test(subject) end,
            function() re:gsub(subject, "x") end,
            function() for _ in re:gmatch(subject) do end end,
        }) do
            local message = error_of(use)
            assert.truthy(message:find("match limit exceeded", 1, true), message)
        end
    end)

    it("name the fact in a search", function()
        local c = core.load_string("fine\n\n" .. subject)
        for _, opts in ipairs({{}, {ids = {2}}, {first = true}}) do
            local message = error_of(function() core.search(c, re, opts) end)
            assert.truthy(message:find("match limit exceeded", 1, true), message)
            assert.truthy(message:find("fact 2", 1, true), message)
            message = error_of(function() core.count(c, re, opts) end)
            assert.truthy(message:find("match limit exceeded", 1, true), message)
        end
    end)

    it("turn exhausted backtracking memory into an error", function()
        -- each repetition of the group leaves a backtracking point
        local deep = core.regex("(a|b)*c")
        local message = error_of(function() deep:find(("ab"):rep(1000000)) end)
        assert.truthy(message:find("depth limit exceeded", 1, true), message)
    end)

    it("leave the regex usable", function()
        assert.are.same({1, 41, ("a"):rep(41)}, {re:find(("a"):rep(41))})
    end)
end)

describe("core.search()", function()
    local c = core.load_embedded()

    it("returns hits in id order with 1-based inclusive spans", function()
        local re = core.regex("(?<first>Ryan|Carey) (\\w+)")
        local hits = core.search(c, re)
        assert.truthy(#hits > 10)
        local last = 0
        for _, hit in ipairs(hits) do
            assert.truthy(hit.id > last)
            last = hit.id
            local text = c:text(hit.id)
            for _, m in ipairs(hit.matches) do
                assert.are.equal(m.text, text:sub(m.s, m.e))
                assert.are.equal(m.groups[1], m.groups.first)
                assert.are.equal(m.text, m.groups[1] .. " " .. m.groups[2])
            end
        end
        assert.are.same({id = 1, matches = {
            {s = 30, e = 41, text = "Ryan Gosling", groups = {"Ryan", "Gosling", first = "Ryan"}},
        }}, hits[1])
    end)

    it("agrees with re:gmatch over every fact, empty matches included", function()
        for _, pattern in ipairs({"Gosling", "\\b", "x*", "(?i)the\\s+(\\w+)", "[^\\x00-\\x7f]", "$", "(a)|b"}) do
            local re = core.regex(pattern)
            local expected, facts, matches = {}, 0, 0
            for id = 1, #c do
                local texts = {}
                for m in re:gmatch(c:text(id)) do texts[#texts + 1] = m end
                if #texts > 0 then
                    expected[#expected + 1] = {id = id, texts = texts}
                    facts = facts + 1
                    matches = matches + #texts
                end
            end
            local hits = core.search(c, re)
            assert.are.equal(#expected, #hits, pattern)
            for i, hit in ipairs(hits) do
                assert.are.equal(expected[i].id, hit.id)
                local texts = {}
                for j, m in ipairs(hit.matches) do
                    if re:group_count() > 0 then texts[j] = m.groups[1] else texts[j] = m.text end
                    assert.are.equal(m.text, c:text(hit.id):sub(m.s, m.e))
                end
                assert.are.same(expected[i].texts, texts, pattern)
            end
            assert.are.same({facts, matches}, {core.count(c, re)}, pattern)
            local all = {}
            for id = 1, #c do all[id] = id end
            assert.are.same(hits, core.search(c, re, {ids = all}), pattern)
            assert.are.same({facts, matches}, {core.count(c, re, {ids = all})}, pattern)
        end
    end)

    it("reports an empty match with e = s - 1", function()
        local hits = core.search(c, core.regex("^"))
        assert.are.equal(122, #hits)
        assert.are.same({{s = 1, e = 0, text = "", groups = {}}}, hits[1].matches)
    end)

    it("gives unset groups as false", function()
        local hits = core.search(core.load_string("b"), core.regex("(?<x>a)?(b)"))
        assert.are.same({false, "b", x = false}, hits[1].matches[1].groups)
    end)

    it("gives a duplicate name the group that is set", function()
        local re = core.regex("(?J)(?<n>a)|(?<n>b)")
        local corpus = core.load_string("a\n\nb")
        local hits = core.search(corpus, re)
        assert.are.same({"a", false, n = "a"}, hits[1].matches[1].groups)
        assert.are.same({false, "b", n = "b"}, hits[2].matches[1].groups)
    end)

    it("keeps one match per fact with first", function()
        local re = core.regex("Gosling")
        local all = core.search(c, re)
        local first = core.search(c, re, {first = true})
        assert.are.equal(#all, #first)
        for i, hit in ipairs(first) do
            assert.are.equal(all[i].id, hit.id)
            assert.are.same({all[i].matches[1]}, hit.matches)
        end
        local facts = core.count(c, re)
        assert.are.same({facts, facts}, {core.count(c, re, {first = true})})
    end)

    it("searches only the given ids, in their order", function()
        local re = core.regex("Gosling")
        local hits = core.search(c, re, {ids = {3, 2, 122, 1, 3}})
        local ids = {}
        for i, hit in ipairs(hits) do ids[i] = hit.id end
        assert.are.same({3, 2, 1, 3}, ids)
        assert.are.same(hits[1], hits[4])
        assert.are.same({}, core.search(c, re, {ids = {}}))
        assert.are.same({2, 2}, {core.count(c, re, {ids = {3, 122, 3}})})
        assert.are.same({2, 2}, {core.count(c, re, {ids = {2, 3}, first = true})})
    end)

    it("stops after limit hits", function()
        local re = core.regex("Gosling")
        local all = core.search(c, re)
        for _, first in ipairs({false, true}) do
            local some = core.search(c, re, {limit = 2, first = first})
            assert.are.equal(2, #some)
            assert.are.same({all[1].id, all[2].id}, {some[1].id, some[2].id})
            assert.are.same(all[2].matches[first and 1 or #all[2].matches],
                            some[2].matches[first and 1 or #some[2].matches])
            assert.are.same({}, core.search(c, re, {limit = 0, first = first}))
            assert.are.equal(#all, #core.search(c, re, {limit = 1000, first = first}))
            local by_ids = core.search(c, re, {ids = {all[2].id, all[1].id}, limit = 1, first = first})
            assert.are.equal(1, #by_ids)
            assert.are.equal(all[2].id, by_ids[1].id)
        end
    end)

    it("checks its arguments and options", function()
        local re = core.regex("a")
        local cases = {
            {function() core.search(re, c) end,
             "bad argument #1 to 'search' (drivefacts.corpus expected, got drivefacts.regex)"},
            {function() core.search(c, "a") end,
             "bad argument #2 to 'search' (drivefacts.regex expected, got string)"},
            {function() core.search(c, re, "first") end,
             "bad argument #3 to 'search' (table expected, got string)"},
            {function() core.search(c, re, {limit = "two"}) end,
             "bad argument #3 to 'search' (field 'limit' is not an integer)"},
            {function() core.search(c, re, {limit = 1.5}) end,
             "bad argument #3 to 'search' (field 'limit' is not an integer)"},
            {function() core.search(c, re, {limit = -1}) end,
             "bad argument #3 to 'search' (field 'limit' is negative)"},
            {function() core.search(c, re, {ids = 3}) end,
             "bad argument #3 to 'search' (field 'ids' is not a table)"},
            {function() core.search(c, re, {ids = {1, 0}}) end,
             "bad argument #3 to 'search' (ids[2]: fact id out of range)"},
            {function() core.search(c, re, {ids = {123}}) end,
             "bad argument #3 to 'search' (ids[1]: fact id out of range)"},
            {function() core.search(c, re, {ids = {1, "x"}}) end,
             "bad argument #3 to 'search' (ids[2]: not an integer)"},
            {function() core.count(c, re, {ids = {2.5}}) end,
             "bad argument #3 to 'count' (ids[1]: not an integer)"},
            {function() core.count(c) end,
             "bad argument #2 to 'count' (drivefacts.regex expected, got no value)"},
        }
        for _, case in ipairs(cases) do
            assert.are.equal(case[2], error_of(case[1]))
        end
        assert.are.same(core.search(c, re), core.search(c, re, nil))
        assert.are.same(core.search(c, re), core.search(c, re, {}))
    end)
end)

describe("core.count()", function()
    local c = core.load_embedded()

    it("counts facts and matches", function()
        local re = core.regex("Gosling")
        local hits = core.search(c, re)
        local matches = 0
        for _, hit in ipairs(hits) do matches = matches + #hit.matches end
        assert.are.same({#hits, matches}, {core.count(c, re)})
        assert.are.same({0, 0}, {core.count(c, core.regex("zzzz"))})
        assert.are.same({0, 0}, {core.count(core.load_string(""), re)})
        assert.are.same({122, 122}, {core.count(c, core.regex("^"))})
    end)
end)

describe("core.search_file()", function()
    local df = require "drivefacts"
    local formatters = require "drivefacts.formatters"
    local slurp = files.slurp

    -- What core.search_file writes to a file, as a string.
    local function streamed(path, re, opts)
        local out_path = temp_file()
        local out = assert(io.open(out_path, "wb"))
        local hits, facts = core.search_file(path, re, out, opts)
        out:close()
        return slurp(out_path), hits, facts
    end

    -- Facts that exercise every escape: quotes, commas, CRLF, controls, C1,
    -- DEL, a BOM, continuation lines, blank lines inside a fortune cookie,
    -- Markdown's and HTML's metacharacters, a vertical tab and a form feed
    -- at a match's edge.
    local TEXT = "\239\187\191Ryan \"Gosling\", drives\n  and drives\r\n\r\n"
        .. "tab\there \1 \127 \194\133 Caf\195\169 / \\ Gosling\n\n"
        .. "%\nGosling\n\n  Gosling again\n%\nno match\n\n\n"
        .. "a\nGosling\nb\n\n"
        .. "\11Gosling\12 *Gos_ling* [l](u) <i>&amp;</i> 'q' # ~ | ` \\* \226\128\168 drives\n"
        -- Escapes found 16 bytes at a time: one on each side of a boundary.
        .. "Gosling " .. ("x"):rep(7) .. "\"" .. ("y"):rep(16) .. "\1" .. ("z"):rep(14) .. "\194\133"
        .. ("w"):rep(17) .. "\127" .. ("v"):rep(31) .. "\t\n"

    -- A file name with the metacharacters too, for the sources.
    local function hostile_path()
        local path = files.tempdir() .. "/a_b*[c]<d&'e\">#\\f \195\169.txt"
        files.spit(path, TEXT)
        return path
    end

    -- Markdown and HTML, matches marked or not, sources named or not, as
    -- the Lua formatters write them: an HTML page's head is the header,
    -- written with the first hit, its tail left to the caller.
    local function same_markup(path, re, format, rs)
        for _, style in ipairs({"markdown", "html"}) do
            for _, highlight in ipairs({false, true}) do
                for _, sources in ipairs({false, true}) do
                    local opts = {highlight = highlight, sources = sources, standalone = true, title = "<&'\">"}
                    local head, tail = formatters.html_frame(opts)
                    local got, hits = streamed(path, re, {format = format, style = style, highlight = highlight,
                        sources = sources, header = style == "html" and head or nil})
                    if style == "html" then got = (hits > 0 and got or head) .. tail end
                    assert.are.equal(df.format(rs, style, opts), got,
                        ("%s highlight=%s sources=%s"):format(style, tostring(highlight), tostring(sources)))
                end
            end
        end
    end

    for _, format in ipairs({"paragraphs", "lines", "fortune"}) do
        for _, pattern in ipairs({"Gosling", "\\w*", "(?i)DRIVES?", "zzz", "\\s", "\\n", "s\\b|\\bt|é",
                                  "(?=Gos)|ling|Gos", "[*_<>&'\"#\\\\`|~\\[\\]]+", "\\s*\\v\\S*\\s*"}) do
            it(("writes the formatters' bytes (%s, /%s/)"):format(format, pattern), function()
                local path = hostile_path()
                local re = core.regex(pattern)
                local db = df.open(path, {format = format})
                local rs = db:search(re)
                for _, style in ipairs({"plain", "json", "csv"}) do
                    local want = df.format(rs, style, {header = false})
                    local got, hits, facts = streamed(path, re, {format = format, style = style})
                    assert.are.equal(want, got)
                    assert.are.same({#rs, #db}, {hits, facts})
                end
                same_markup(path, re, format, rs)
                -- Ids run on from first_id, sources named, colour; -l and -m.
                local want = df.format(rs, "plain", {sources = true})
                local got = streamed(path, re, {format = format, style = "plain", sources = true})
                assert.are.equal(want, got)
                for _, sources in ipairs({false, true}) do
                    want = df.format(rs, "plain", {sources = sources, color = true})
                    got = streamed(path, re, {format = format, style = "plain", sources = sources, highlight = true})
                    assert.are.equal(want, got)
                end
                local ids = {}
                for i, hit in ipairs(rs) do ids[i] = (hit.id + 10) .. "\n" end
                assert.are.equal(table.concat(ids),
                    (streamed(path, re, {format = format, style = "ids", first_id = 10})))
                if #rs > 1 then
                    local first, hits = streamed(path, re, {format = format, style = "ids", limit = 1})
                    assert.are.same({rs[1].id .. "\n", 1}, {first, hits})
                end
            end)
        end
    end

    it("gives fail and the load's message for a bad file, an error for a bad option", function()
        local re = core.regex("x")
        local path = temp_file("x\n\n\255\n")
        local out, message = core.search_file(path, re, io.stdout, {})
        assert.is_nil(out)
        assert.truthy(message:find(path, 1, true))
        assert.truthy(message:find("UTF-8", 1, true))
        -- The message names the argument and the option, never a stack slot.
        local bad = {
            [{style = "xml"}] = "option 'style': invalid option 'xml'",
            [{style = 1}] = "option 'style': string expected, got number",
            [{format = "xml"}] = "option 'format': invalid option 'xml'",
            [{limit = -1}] = "option 'limit': out of range",
            [{limit = "many"}] = "option 'limit': integer expected, got string",
            [{first_id = 0.5}] = "option 'first_id': integer expected, got number",
            [{header = true}] = "option 'header': string expected, got boolean",
        }
        for opts, problem in pairs(bad) do
            assert.are.equal("bad argument #4 to 'search_file' (" .. problem .. ")",
                error_of(function() core.search_file(path, re, io.stdout, opts) end))
        end
        for opts, problem in pairs({[{format = "xml"}] = "option 'format': invalid option 'xml'",
                                    [{max_bytes = -1}] = "option 'max_bytes': out of range",
                                    [{text_field = {}}] = "option 'text_field': string expected, got table"}) do
            assert.are.equal("bad argument #3 to 'count_file' (" .. problem .. ")",
                error_of(function() core.count_file(path, re, opts) end))
        end
    end)
end)

describe("regex limits", function()
  local df = require "drivefacts"
  local catastrophic = ("a"):rep(26) .. "b"

  it("a small match limit turns a runaway match into an error naming the limit", function()
    local re = df.regex("(a+)+$", nil, {match_limit = 1000})
    local ok, err = pcall(re.find, re, catastrophic)
    assert.is_false(ok)
    assert.matches("match limit exceeded %(1000%)", err)
    -- the regex stays usable after the error
    assert.same({1, 3, "aaa"}, {re:find("aaa")})
  end)

  it("the default limits still finish a harmless match", function()
    local re = df.regex("(a+)+$", nil, {match_limit = 1000})
    assert.is_true(re:test("aaaa"))
  end)

  it("rejects limits that are not positive integers, naming the field", function()
    assert.has_error(function() df.regex("a", nil, {match_limit = 0}) end)
    local ok, err = pcall(df.regex, "a", nil, {depth_limit = "deep"})
    assert.is_false(ok)
    assert.matches("depth_limit must be an integer", err)
    ok, err = pcall(df.regex, "a", nil, 5)
    assert.is_false(ok)
    assert.matches("bad argument #3 to 'regex' %(table expected, got number%)", err)
  end)
end)
