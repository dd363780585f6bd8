-- The part of the regex API that comes from lrexlib: re:exec, re:tfind,
-- re:split, re:count, re:dfa_exec, gsub's control function and third result, and named
-- groups in tables (re:match and re:gmatch with `astable`).  Every path,
-- every error; differential_spec compares them all with rex_pcre2, and
-- lrexlib_sets_spec runs lrexlib's own cases.

local core = require "drivefacts.core"
local assertions = require "support.assertions"
local versions = require "support.versions"

local error_of = assertions.error_of

-- All results of a call, with their count.
local pack = require("drivefacts.compat").pack

-- Every iteration of an iterator, each as a list of its results.
local function rows(iterator)
    local all = {}
    while true do
        local row = pack(iterator())
        if row.n == 0 or row[1] == nil then return all end
        row.n = nil
        all[#all + 1] = row
    end
end

describe("re:exec()", function()
    it("gives start, end and the groups' 1-based inclusive spans", function()
        local re = core.regex("(\\w+)=(\\d*)")
        assert.are.same({3, 7, {3, 5, 7, 7}}, {re:exec("  key=1 x")})
        assert.are.same({3, 6, {3, 5, 7, 6}}, {re:exec("  key= x")})  -- an empty group: e = s - 1
        assert.are.same({1, 1, {}}, {core.regex("a"):exec("a")})
    end)

    it("gives false, false for an unset group and a named group's text by name", function()
        local re = core.regex("(?<key>a)|(?<other>b)")
        assert.are.same({1, 1, {false, false, 1, 1, key = false, other = "b"}}, {re:exec("b")})
    end)

    it("starts at init, counted from the end when negative, like find", function()
        local re = core.regex("(a)")
        assert.are.same({3, 3, {3, 3}}, {re:exec("aba", 2)})
        assert.are.same({3, 3, {3, 3}}, {re:exec("aba", -1)})
        assert.are.same({1, 1, {1, 1}}, {re:exec("aba", -10)})
        assert.is_nil(re:exec("aba", 4))
        assert.is_nil(re:exec("aba", 100))
        assert.is_nil(core.regex("x"):exec("aba"))
        assert.are.same({4, 3, {}}, {core.regex("$"):exec("aba", 4)})
    end)

    it("counts bytes in UTF-8 text and refuses to start inside a character", function()
        assert.are.same({2, 3, {2, 3}}, {core.regex("(ö)"):exec("Söd")})
        assert.are.equal("bad argument #2 to 'exec' (initial position is a continuation byte)",
                         error_of(function() core.regex("d"):exec("Söd", 3) end))
    end)

    it("checks its arguments", function()
        local re = core.regex("a")
        assert.are.equal("bad argument #1 to 'exec' (string expected, got table)",
                         error_of(function() re:exec({}) end))
        assert.are.equal("bad argument #1 to 'exec' (invalid UTF-8 at position 2)",
                         error_of(function() re:exec("a\255") end))
        assert.are.equal("bad argument #2 to 'exec' (number expected, got table)",
                         error_of(function() re:exec("a", {}) end))
        assert.are.equal("bad argument #2 to 'exec' (number has no integer representation)",
                         error_of(function() re:exec("a", 1.5) end))
        assert.matches("drivefacts.regex expected, got string",
                       error_of(function() re.exec("a", "a") end))
    end)
end)

describe("re:tfind()", function()
    it("gives start, end and a table of the captures, named ones by name too", function()
        local re = core.regex("(?<first>\\w+) (\\w+)(!)?")
        assert.are.same({1, 12, {"Ryan", "Gosling", false, first = "Ryan"}}, {re:tfind("Ryan Gosling")})
        assert.are.same({1, 1, {}}, {core.regex("a"):tfind("a")})
        assert.is_nil(re:tfind("nothing"))
    end)

    it("starts at init like find", function()
        local re = core.regex("(\\d)")
        assert.are.same({4, 4, {"2"}}, {re:tfind("1a 2", 2)})
        assert.are.same({4, 4, {"2"}}, {re:tfind("1a 2", -1)})
        assert.is_nil(re:tfind("1a 2", 5))
    end)

    it("under (?J), gives a shared name the first of its groups that is set", function()
        local re = core.regex("(?J)(?<n>a)|(?<n>b)|(?<n>c)")
        assert.are.same({"a", false, false, n = "a"}, select(3, re:tfind("a")))
        assert.are.same({false, "b", false, n = "b"}, select(3, re:tfind("b")))
        assert.are.same({false, false, "c", n = "c"}, select(3, re:tfind("c")))
        local _, _, captures = core.regex("(?J)(?<n>a)?(?<n>b)(?<m>b)"):tfind("bb")
        assert.are.same({false, "b", "b", n = "b", m = "b"}, captures)
    end)

    it("checks its arguments", function()
        local re = core.regex("a")
        assert.are.equal("bad argument #1 to 'tfind' (string expected, got no value)",
                         error_of(function() re:tfind() end))
        assert.are.equal("bad argument #1 to 'tfind' (invalid UTF-8 at position 1)",
                         error_of(function() re:tfind("\195") end))
        assert.are.equal("bad argument #2 to 'tfind' (number expected, got boolean)",
                         error_of(function() re:tfind("a", true) end))
        assert.are.equal("bad argument #2 to 'tfind' (initial position is a continuation byte)",
                         error_of(function() re:tfind("é", 2) end))
    end)
end)

describe("re:match() and re:gmatch() with astable", function()
    it("give what match gives, in a table, named groups by name too", function()
        local re = core.regex("(?<key>\\w+)=(?<value>\\w*)")
        assert.are.same({"a", "1", key = "a", value = "1"}, re:match("a=1 b=", 1, true))
        assert.are.same({"b", "", key = "b", value = ""}, re:match("a=1 b=", 2, true))
        assert.are.same({"a=1"}, core.regex("\\w=\\w"):match("a=1", nil, true))  -- the whole match
        assert.is_nil(re:match("none", 1, true))
        assert.are.same({{{"a", "1", key = "a", value = "1"}}, {{"b", "", key = "b", value = ""}}},
                        rows(re:gmatch("a=1 b=", nil, true)))
        assert.are.same({{{"a"}}, {{"b"}}}, rows(core.regex("\\w"):gmatch("a b", 1, true)))
    end)

    it("give the plain form with astable false or nil", function()
        local re = core.regex("(?<key>\\w+)=")
        assert.are.equal("a", re:match("a=", 1, false))
        assert.are.same({{"a"}}, rows(re:gmatch("a=", 1, nil)))
    end)

    it("follow one rule with tfind and result-set hits", function()
        local re = core.regex("(?J)(?<n>x)?(?<n>y)(?<z>q)?")
        local hit = core.search(core.load_string("y"), re)[1].matches[1]
        local expected = {false, "y", false, n = "y", z = false}
        assert.are.same(expected, hit.groups)
        assert.are.same(expected, select(3, re:tfind("y")))
        assert.are.same(expected, re:match("y", 1, true))
        assert.are.same({{expected}}, rows(re:gmatch("y", 1, true)))
    end)

    it("check astable", function()
        local re = core.regex("a")
        assert.are.equal("bad argument #3 to 'match' (boolean expected, got number)",
                         error_of(function() re:match("a", 1, 1) end))
        assert.are.equal("bad argument #3 to 'gmatch' (boolean expected, got string)",
                         error_of(function() re:gmatch("a", 1, "table") end))
    end)
end)

describe("re:split()", function()
    it("gives the text between matches, each with the match's captures", function()
        assert.are.same({{"a", ","}, {"b", ","}, {""}}, rows(core.regex(","):split("a,b,")))
        assert.are.same({{"k", "=", false}, {"v"}}, rows(core.regex("(=)|(;)"):split("k=v")))
        assert.are.same({{""}}, rows(core.regex(","):split("")))
        assert.are.same({{"abc"}}, rows(core.regex(","):split("abc")))
    end)

    it("follows Lua 5.4's rule for empty matches, a character at a time", function()
        assert.are.same({{"", ""}, {"a", ""}, {"b", ";"}, {"d", ""}, {"e", ""}, {""}},
                        rows(core.regex(";*"):split("ab;de")))
        assert.are.same({{"", ""}, {"ö", ""}, {"é", ""}, {""}}, rows(core.regex("x*"):split("öé")))
    end)

    it("returns nothing after the last piece, however often called", function()
        local it = core.regex(","):split("a,b")
        assert.are.same({"a", ","}, {it()})
        assert.are.same({"b"}, {it()})
        for _ = 1, 3 do assert.are.equal(0, select("#", it())) end
    end)

    it("keeps its subject and regex alive", function()
        local it = core.regex("(-)"):split(("x-"):rep(3) .. "y")
        collectgarbage()
        collectgarbage()
        assert.are.same({{"x", "-"}, {"x", "-"}, {"x", "-"}, {"y"}}, rows(it))
    end)

    it("may yield between steps, and run in another coroutine", function()
        local it = core.regex(" "):split("a b c")
        local co = coroutine.wrap(function()
            for piece in it do coroutine.yield(piece) end
            return "done"
        end)
        assert.are.same({"a", "b", "c", "done"}, {co(), co(), co(), co()})
    end)

    it("checks its arguments, and the regex at each step", function()
        local re = core.regex("a")
        assert.are.equal("bad argument #1 to 'split' (string expected, got nil)",
                         error_of(function() re:split(nil) end))
        assert.are.equal("bad argument #1 to 'split' (invalid UTF-8 at position 3)",
                         error_of(function() re:split("ab\226\130") end))
        local it = re:split("bab")
        getmetatable(re).__gc(re)
        assert.are.equal("attempt to use a finalized regex", error_of(function() it() end))
    end)

    it("raises on the match limit", function()
        local it = core.regex("(a+)+$"):split(("a"):rep(40) .. "b")
        assert.truthy(error_of(it):find("match limit exceeded", 1, true))
    end)
end)

describe("re:count()", function()
    it("counts the matches gmatch gives", function()
        assert.are.equal(2, core.regex("x*"):count("xax"))
        assert.are.equal(11, core.regex("x*"):count("Söderström"))
        assert.are.equal(0, core.regex("z"):count("abc"))
        assert.are.equal(1, core.regex(""):count(""))
        local n = 0
        for _ in core.regex("\\w+"):gmatch("one two, three") do n = n + 1 end
        assert.are.equal(n, core.regex("\\w+"):count("one two, three"))
    end)

    it("checks its arguments and raises on the match limit", function()
        assert.are.equal("bad argument #1 to 'count' (string expected, got boolean)",
                         error_of(function() core.regex("a"):count(true) end))
        assert.are.equal("bad argument #1 to 'count' (invalid UTF-8 at position 1)",
                         error_of(function() core.regex("a"):count("\128") end))
        assert.truthy(error_of(function() core.regex("(a+)+$"):count(("a"):rep(40) .. "b") end)
            :find("match limit exceeded", 1, true))
    end)
end)

describe("re:gsub()'s third result", function()
    it("counts the substitutions: matches whose replacement was not nil or false", function()
        local re = core.regex("\\w")
        assert.are.same({"1b3d", 4, 2}, {re:gsub("abcd", {a = "1", c = 3})})
        assert.are.same({"abcd", 4, 0}, {re:gsub("abcd", function() end)})
        assert.are.same({"-b-d", 4, 2}, {re:gsub("abcd", function(c) return c:find("[ac]") and "-" end)})
        assert.are.same({"abcd", 4, 4}, {re:gsub("abcd", "%0")})
        assert.are.same({"abcd", 0, 0}, {core.regex("z"):gsub("abcd", "x")})
    end)
end)

describe("re:gsub()'s control function", function()
    local re = core.regex("(\\w)\\w")

    it("is called with start, end and the replacement after each match", function()
        local calls = {}
        local function control(...)
            calls[#calls + 1] = pack(...)
        end
        assert.are.same({"abcde", 2, 0}, {re:gsub("abcde", "<%1>", control)})
        assert.are.same({{n = 3, 1, 2, "<a>"}, {n = 3, 3, 4, "<c>"}}, calls)
        calls = {}
        re:gsub("abcd", {a = 7}, control)  -- a table's value, as text; nil keeps the match
        assert.are.same({{n = 3, 1, 2, "7"}, {n = 3, 3, 4, nil}}, calls)
        calls = {}
        re:gsub("abcd", function(c) if c ~= "c" then return c:upper() end return false end, control)
        assert.are.same({{n = 3, 1, 2, "A"}, {n = 3, 3, 4, false}}, calls)
    end)

    it("decides each match with its first result", function()
        assert.are.same({"abcd", 2, 0}, {re:gsub("abcd", "-", function() return nil end)})
        assert.are.same({"--", 2, 2}, {re:gsub("abcd", "-", function() return true end)})
        assert.are.same({"=12=", 2, 2}, {re:gsub("abcd", "-", function(s) return s == 1 and "=1" or 2 .. "=" end)})
        assert.are.same({"-cd", 2, 1}, {re:gsub("abcd", "-", function(s) return s == 1 end)})
        -- true, with a replacement that keeps the match: kept, not counted
        assert.are.same({"abcd", 2, 0}, {re:gsub("abcd", function() end, function() return true end)})
        -- another true value is lrexlib's "yes" too
        assert.are.same({"--", 2, 2}, {re:gsub("abcd", "-", function() return {} end)})
    end)

    it("decides what follows with its second result", function()
        local calls = 0
        local function counted(first, second)
            return function() calls = calls + 1; return first, second end
        end
        assert.are.same({"-cdef", 1, 1}, {re:gsub("abcdef", "-", counted(true, 0))})
        assert.are.same({"ab--", 3, 2}, {re:gsub("abcdef", "-", counted(nil, true))})
        assert.are.same({"ab-ef", 2, 1}, {re:gsub("abcdef", "-", counted(nil, 1))})
        assert.are.same({"abcdef", 1, 0}, {re:gsub("abcdef", "-", counted(nil, -5))})
        assert.are.same({"ab--", 3, 2}, {re:gsub("abcdef", "-", counted(nil, versions.MAXINTEGER))})
        assert.are.same({"ab--", 3, 2}, {re:gsub("abcdef", "-", counted(nil, 2.0))})
        assert.are.same({"ab--", 3, 2}, {re:gsub("abcdef", "-", counted(nil, "0"))})  -- no coercion
        assert.are.equal(7, calls)  -- once each: none after a limit or "all the rest"
    end)

    it("follows Lua 5.4's rule for empty matches", function()
        local starts = {}
        local result = pack(core.regex("x*"):gsub("xax", "-", function(s, e)
            starts[#starts + 1] = s .. ":" .. e
            return true
        end))
        assert.are.same({n = 3, "-a-", 2, 2}, result)
        assert.are.same({"1:1", "3:3"}, starts)
    end)

    it("raises what it raises, and leaves the regex usable", function()
        assert.are.equal("boom", error_of(function()
            re:gsub("abcd", "-", function() error("boom", 0) end)
        end))
        local object = setmetatable({}, {__tostring = function() return "object" end})
        local ok, err = pcall(re.gsub, re, "abcd", "-", function() error(object) end)
        assert.is_false(ok)
        assert.are.equal(object, err)
        assert.are.same({"--", 2, 2}, {re:gsub("abcd", "-")})
    end)

    it("refuses a count that is not an integer", function()
        assert.are.equal("invalid count from the control function (a number with no integer representation)",
            error_of(function() re:gsub("abcd", "-", function() return true, 1.5 end) end))
        assert.are.equal("invalid count from the control function (a number with no integer representation)",
            error_of(function() re:gsub("abcd", "-", function() return true, 0 / 0 end) end))
    end)

    it("raises for an invalid replacement before calling it", function()
        local called = false
        assert.are.equal("invalid replacement value (a table)", error_of(function()
            re:gsub("abcd", function() return {} end, function() called = true end)
        end))
        assert.are.equal("invalid capture index %2 in replacement string", error_of(function()
            re:gsub("abcd", "%2", function() called = true end)
        end))
        assert.is_false(called)
    end)

    it("may use the same regex, but not finalize it or yield", function()
        assert.are.same({"<a><c>", 2, 2}, {re:gsub("abcd", "-", function(s)
            return "<" .. re:match("abcd", s) .. ">", re:count("abcd") == 2 and nil
        end)})
        assert.are.equal("attempt to use a finalized regex", error_of(function()
            local doomed = core.regex("a")
            doomed:gsub("aaa", "b", function() getmetatable(doomed).__gc(doomed); return true end)
        end))
        local co = coroutine.create(function()
            return re:gsub("abcd", "-", function() coroutine.yield() end)
        end)
        local ok, err = coroutine.resume(co)
        assert.is_false(ok)
        assert.matches("attempt to yield across .*C%-call boundary", err)  -- 5.1: "metamethod/C-call"
    end)
end)

describe("re:dfa_exec()", function()
    it("gives the start and every match's end there, longest first, and their count", function()
        assert.are.same({2, {4, 3, 2}, 3}, {core.regex("(*NO_AUTO_POSSESS)a+"):dfa_exec("xaaa")})
        assert.are.same({2, {4}, 1}, {core.regex("a+"):dfa_exec("xaaa")})  -- a+ is possessive
        assert.are.same({1, {2, 1, 0}, 3}, {core.regex("\\w*?"):dfa_exec("ab!")})
        assert.are.same({2, {4, 3}, 2}, {core.regex("é|ée"):dfa_exec("xée")})
        assert.is_nil(core.regex("z"):dfa_exec("abc"))
    end)

    it("keeps every match, however many", function()
        local start, ends, count = core.regex("(*NO_AUTO_POSSESS).+"):dfa_exec(("a"):rep(500))
        assert.are.same({1, 500, 500, 1}, {start, count, ends[1], ends[500]})
    end)

    it("starts at init like find", function()
        local re = core.regex("b+")
        assert.are.same({4, {4}, 1}, {re:dfa_exec("abab", 3)})
        assert.are.same({4, {4}, 1}, {re:dfa_exec("abab", -1)})
        assert.is_nil(re:dfa_exec("abab", 5))
        assert.are.equal("bad argument #2 to 'dfa_exec' (initial position is a continuation byte)",
                         error_of(function() re:dfa_exec("öb", 2) end))
    end)

    it("keeps the regex's flags", function()
        assert.are.same({5, {7}, 1}, {core.regex("a.c", "Fw"):dfa_exec("abc a.c")})
        assert.are.same({1, {3}, 1}, {core.regex("ABC", "i"):dfa_exec("abc")})
    end)

    it("raises for what the DFA matcher cannot run, and at the match limit", function()
        assert.matches("^the DFA matcher cannot run this pattern: .*not supported for DFA matching",
                       error_of(function() core.regex("(a)\\1"):dfa_exec("aa") end))
        local limited = core.regex("a(?=b)", nil, {match_limit = 1})
        assert.are.equal("match limit exceeded (1)", error_of(function() limited:dfa_exec("aab") end))
        assert.are.same({2, {2}, 1}, {core.regex("a(?=b)"):dfa_exec("aab")})
    end)

    it("checks its arguments", function()
        local re = core.regex("a")
        assert.are.equal("bad argument #1 to 'dfa_exec' (string expected, got table)",
                         error_of(function() re:dfa_exec({}) end))
        assert.are.equal("bad argument #1 to 'dfa_exec' (invalid UTF-8 at position 2)",
                         error_of(function() re:dfa_exec("a\192\128") end))
        assert.are.equal("bad argument #2 to 'dfa_exec' (number expected, got string)",
                         error_of(function() re:dfa_exec("a", "x") end))
        getmetatable(re).__gc(re)
        assert.are.equal("attempt to use a finalized regex", error_of(function() re:dfa_exec("a") end))
    end)
end)

describe("many capture groups", function()
    -- more than a MatchState holds on the C stack
    local re = core.regex(("(a)"):rep(39) .. "(?<last>a)")
    local subject = ("a"):rep(40)

    it("come back whole from exec, tfind, split and the table forms", function()
        local _, _, offsets = re:exec(subject)
        assert.are.equal(80, #offsets)
        assert.are.same({40, 40}, {offsets[79], offsets[80]})
        assert.are.equal("a", offsets.last)
        local _, _, captures = re:tfind(subject)
        assert.are.equal(40, #captures)
        assert.are.equal("a", captures.last)
        assert.are.equal(40, #re:match(subject, 1, true))
        assert.are.equal(41, #rows(re:split(subject .. "b" .. subject))[1])
        assert.are.equal(2, re:count(subject .. subject))
    end)
end)
