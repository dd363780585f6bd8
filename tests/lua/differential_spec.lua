-- drivefacts.core against two references: lrexlib's rex_pcre2 (the same
-- engine behind another binding) and Lua's own string library (for patterns
-- that mean the same in both syntaxes), over every fact of the embedded
-- corpus and a list of edge strings.
--
-- One known difference is left out of the comparison with lrexlib and
-- asserted on its own: after an empty match lrexlib steps one byte, which on
-- non-ASCII text fails (PCRE2_ERROR_BADUTFOFFSET) or splits a character;
-- drivefacts steps one UTF-8 character.

local core = require "drivefacts.core"
local rex = require "rex_pcre2"

local REX_FLAGS = rex.flags().UTF + rex.flags().UCP  -- two bits: + is |, on every Lua

-- All results of a call, with their count.
local pack = require("drivefacts.compat").pack

local function is_ascii(s)
    return not s:find("[\128-\255]")
end

local EDGE_STRINGS = {
    "", "a", "b", "x", "xax", "xxx", "aaa", "abc", "ab ab", "a b  c", " ", "\n", "a\nb\n", "\n\n",
    "a\0b", "\0", "one=1, two=2", "a1b22c333", "The Driver drives.", "  spaces  ", "tab\tsep",
    "end.", "x=", "=y", "Hello World", "UPPER lower Mixed", "2011-09-16", "$5.00 (approx)",
    ("ab"):rep(40), ("x"):rep(50) .. "a",
    "Söderström", "naïve café", "日本語のテキスト", "😀x😀", "Ελληνικά ΑΒΓ αβγ", "Straße",
    "İstanbul", "ﬁne", "e\204\129t\195\169", "Ryan Gosling · Carey Mulligan", "€100", "a\194\160b",
}

-- Patterns, with `empty = true` when they can match the empty string.
local PATTERNS = {
    -- literals
    {"Gosling"}, {"Ryan Gosling"}, {"é"}, {"ö"}, {"a"}, {"ab"}, {"\\."}, {"\\$5"}, {"\\(2011\\)"},
    -- classes
    {"[aeiou]"}, {"[A-Z]\\w*"}, {"\\d+"}, {"\\d{4}"}, {"\\s+"}, {"\\w+"}, {"[^\\x00-\\x7F]+"},
    {"\\p{Lu}"}, {"\\p{L}+"}, {"[[:punct:]]"}, {"."}, {"(?s)."}, {"\\X"},
    -- alternations
    {"Gosling|Mulligan|Refn"}, {"cat|car|ca"}, {"a|ab|abc"}, {"Driver|Drive"},
    -- captures
    {"(\\w+) (\\w+)"}, {"(\\d)(\\d)?"}, {"(a)|(b)"}, {"((a)b)?c"}, {"(\\w+)=(\\w*)"},
    {"(?:(x)|(y))+"},
    -- named captures
    {"(?<first>[A-Z]\\w+) (?<last>[A-Z]\\w+)"}, {"(?<year>\\d{4})"}, {"(?<a>a)|(?<b>b)"},
    -- inline options
    {"(?i)drive"}, {"(?m)^\\w+"}, {"(?m)\\w+$"}, {"(?i)straSSe"}, {"(?x) a \\s b # comment"},
    -- lookaround and anchors
    {"(?<=Ryan )\\w+"}, {"\\w+(?= Gosling)"}, {"^\\w+"}, {"\\w+$"},
    -- patterns that can match the empty string
    {"x*", empty = true}, {"\\b", empty = true}, {"", empty = true}, {"a*?", empty = true},
    {"(?=o)", empty = true}, {"$", empty = true}, {"^", empty = true}, {"\\B", empty = true},
    {"(x)?", empty = true}, {"o*", empty = true}, {"(?<n>\\d*)", empty = true},
    {"(?m)^", empty = true}, {"(?m)$", empty = true}, {"\\s*", empty = true},
}

local SUBJECTS = {}
do
    local c = core.load_embedded()
    for id = 1, #c do SUBJECTS[#SUBJECTS + 1] = c:text(id) end
    for _, s in ipairs(EDGE_STRINGS) do SUBJECTS[#SUBJECTS + 1] = s end
end

-- Replacements for gsub, each valid in both libraries.
local function upper_first(first, ...)
    if first == false then return false end
    if select("#", ...) > 0 and first == "a" then return nil end
    return "<" .. tostring(first):upper() .. ">"
end

local REPLACEMENTS = {
    "<%0>", "[%1]", "%%", "", upper_first,
    setmetatable({}, {__index = function(_, key)
        if type(key) == "string" and #key % 2 == 0 then return "#" .. #key end
    end}),
}

-- Control functions for gsub's last argument (lrexlib's), each a function
-- of its arguments only, so that both libraries see the same calls.
local CONTROLS = {
    function(from) return from % 2 == 1 end,                       -- odd starts only
    function(_, to) if to >= 10 then return true, 0 end end,        -- the first past 10, then stop
    function(_, to, rep) return rep and rep .. "!", to > 20 and 2 or nil end,
    function() return nil, true end,                                 -- all but the first
    function(from, _, rep) return from .. ":" .. tostring(rep) end,  -- what rep is
    function(from) if from > 5 then return {}, false end end,       -- a true non-string: rep
}

-- All the iterations of an iterator (gmatch, split), each packed.
local function each(iterator)
    local all = {}
    while true do
        local captures = pack(iterator())
        if captures[1] == nil then return all end
        all[#all + 1] = captures
    end
end

-- The first two results only: Lua's gsub gives no third.
local function two(a, b)
    return {a, b}
end

-- What re:dfa_exec(s, init) must give: lrexlib's, with room for every
-- match (one per end: #s + 1 pairs) where lrexlib keeps 50 by default, a
-- workspace as large as ours may grow to (lrexlib's default is too small
-- for some of these patterns), and
-- nil from past the end, where lrexlib raises as find does not.  (A regex
-- of its own: after a dfa_exec with an ovecsize, lrexlib's find on the
-- same object goes wrong.)
local function dfa(theirs, s, init)
    if init and init > #s + 1 then return pack(nil) end
    return pack(theirs:dfa_exec(s, init, nil, 2 * (#s + 2), 100000))
end

-- What re:match(s, init, true) must give, from lrexlib's tfind: its
-- captures table, or {whole match} when the regex has no groups.
local function match_table(theirs, ngroups, s, init)
    local start, stop, captures = theirs:tfind(s, init)
    if start == nil or ngroups > 0 then return captures end
    return {s:sub(start, stop)}
end

-- What re:gmatch(s, 1, true) must give: the plain gmatch's captures, with
-- the named groups also under their names.
local function gmatch_tables(re, s)
    local tables = {}
    for i, captures in ipairs(each(re:gmatch(s))) do
        captures.n = nil
        for name, group in pairs(re:names()) do captures[name] = captures[group] end
        tables[i] = pack(captures)
    end
    return tables
end

local function deep_equal(a, b)
    if type(a) ~= "table" or type(b) ~= "table" then return a == b end
    for k, v in pairs(a) do
        if not deep_equal(v, b[k]) then return false end
    end
    for k in pairs(b) do
        if a[k] == nil then return false end
    end
    return true
end

-- assert.are.same, minus the cost of busted's machinery and of formatting
-- the message (subjects are long) on the hundreds of thousands of calls
-- that pass.
local function check(expected, actual, fname, pattern, subject, extra)
    if not deep_equal(expected, actual) then
        assert.are.same(expected, actual,
                        ("%s /%s/ on %q%s"):format(fname, pattern, subject, extra or ""))
    end
end

-- Initial positions to try: all of them in short ASCII subjects; a sample
-- of character boundaries in the rest.
local function inits_of(s)
    local inits = {}
    if #s <= 80 and is_ascii(s) then
        for init = -3, #s + 2 do inits[#inits + 1] = init end
    else
        local i, last = 0, 1
        for p in s:gmatch("()[^\128-\191]") do  -- the start of each character
            i = i + 1
            if i % 97 == 1 then inits[#inits + 1] = p end
            last = p
        end
        inits[#inits + 1] = last - #s - 1  -- the last character, from the end
        inits[#inits + 1] = #s + 1
        inits[#inits + 1] = #s + 2
    end
    return inits
end

describe("drivefacts.core against rex_pcre2", function()
    for _, case in ipairs(PATTERNS) do
        local pattern = case[1]

        it(("agrees on /%s/"):format(pattern), function()
            local ours = core.regex(pattern)
            local theirs = rex.new(pattern, REX_FLAGS)
            local ngroups = ours:group_count()
            local theirs_dfa = rex.new(pattern, REX_FLAGS)
            for _, s in ipairs(SUBJECTS) do
                check(pack(theirs:find(s)), pack(ours:find(s)), "find", pattern, s)
                check(pack(theirs:match(s)), pack(ours:match(s)), "match", pattern, s)
                check(theirs:find(s) ~= nil, ours:test(s), "test", pattern, s)
                check(pack(theirs:exec(s)), pack(ours:exec(s)), "exec", pattern, s)
                check(pack(theirs:tfind(s)), pack(ours:tfind(s)), "tfind", pattern, s)
                check(dfa(theirs_dfa, s), pack(ours:dfa_exec(s)), "dfa_exec", pattern, s)
                for _, init in ipairs(inits_of(s)) do
                    local from = " from " .. init
                    check(pack(theirs:find(s, init)), pack(ours:find(s, init)), "find", pattern, s, from)
                    check(pack(theirs:match(s, init)), pack(ours:match(s, init)), "match", pattern, s, from)
                    check(pack(theirs:exec(s, init)), pack(ours:exec(s, init)), "exec", pattern, s, from)
                    check(pack(theirs:tfind(s, init)), pack(ours:tfind(s, init)), "tfind", pattern, s, from)
                    check(dfa(theirs_dfa, s, init), pack(ours:dfa_exec(s, init)), "dfa_exec", pattern, s, from)
                    check(match_table(theirs, ngroups, s, init), ours:match(s, init, true),
                          "match (table)", pattern, s, from)
                end
                if not case.empty or is_ascii(s) then
                    check(each(rex.gmatch(s, theirs)), each(ours:gmatch(s)), "gmatch", pattern, s)
                    check(gmatch_tables(ours, s), each(ours:gmatch(s, 1, true)), "gmatch (table)", pattern, s)
                    check(each(rex.split(s, theirs)), each(ours:split(s)), "split", pattern, s)
                    check(rex.count(s, theirs), ours:count(s), "count", pattern, s)
                    for r, repl in ipairs(REPLACEMENTS) do
                        check(pack(rex.gsub(s, theirs, repl)), pack(ours:gsub(s, repl)),
                              "gsub", pattern, s, " with replacement " .. r)
                        -- (on short subjects: they hold every case, and cost less)
                        for c, control in ipairs(#s <= 80 and CONTROLS or {}) do
                            check(pack(rex.gsub(s, theirs, repl, control)), pack(ours:gsub(s, repl, control)),
                                  "gsub", pattern, s, (" with replacement %d, control %d"):format(r, c))
                        end
                    end
                    check(pack(rex.gsub(s, theirs, "<%0>", 2)), pack(ours:gsub(s, "<%0>", 2)),
                          "gsub", pattern, s, " n = 2")
                end
            end
        end)
    end

    it("differs, as intended, after an empty match in non-ASCII text", function()
        -- lrexlib steps one byte and trips over the rest of the character...
        assert.is_false(pcall(rex.gsub, "Söderström", "x*", "-", nil, REX_FLAGS))
        assert.is_false(pcall(function() for _ in rex.gmatch("é", "\\b", REX_FLAGS) do end end))
        -- ...drivefacts steps one character, between every two of which x* matches.
        local n = 0
        for m in core.regex("x*"):gmatch("Söderström") do
            assert.are.equal("", m)
            n = n + 1
        end
        assert.are.equal(11, n)
        assert.are.same({"-S-ö-d-e-r-s-t-r-ö-m-", 11, 11}, {core.regex("x*"):gsub("Söderström", "-")})
        assert.are.same({"-é-", 2, 2}, {core.regex("\\b"):gsub("é", "-")})
        assert.are.same({"日-本-語", 2, 2}, {core.regex("\\B"):gsub("日本語", "-")})
        assert.are.same({"[]😀[x]😀[]", 3, 3}, {core.regex("x*"):gsub("😀x😀", "[%0]")})
    end)
end)

-- Pairs of a PCRE2 pattern and a Lua pattern that mean the same on the
-- subjects they are tried on: ASCII classes only, so that a Lua pattern's
-- bytes and PCRE2's characters agree even in UTF-8 text.  Empty-matching
-- pairs are tried on ASCII subjects only (Lua steps one byte past an empty
-- match), anchored ones without init and gmatch (Lua anchors ^ at init, and
-- gmatch takes it literally).
local LUA_PAIRS = {
    {"x*", "x*", empty = true}, {"o*", "o*", empty = true}, {"", "", empty = true},
    {"[0-9]+", "%d+"}, {"[aeiou]", "[aeiou]"}, {"[A-Za-z]+", "%a+"},
    {"([A-Za-z]+) ([A-Za-z]+)", "(%a+) (%a+)"}, {"[0-9]*", "%d*", empty = true},
    {"Gosling", "Gosling"}, {"\\.", "%."}, {"[^ ]+", "[^ ]+"}, {"a.c", "a.c", ascii = true},
    {"^The", "^The", anchored = true}, {"s$", "s$"}, {"([0-9])([0-9])", "(%d)(%d)"},
    {"[ \\t\\n\\r\\f\\x0b]+", "%s+"}, {"[A-Z][a-z]*", "%u%l*"}, {"[a-z]*?x", "%l-x"},
}

-- The reference is Lua 5.4's string library, whose rules drivefacts follows
-- on every Lua: before 5.3 an empty match right after a match counts, and
-- before 5.4 gmatch takes no init.
local it_54 = _VERSION == "Lua 5.4" and it or pending

describe("drivefacts.core against Lua's string library", function()
    for _, pair in ipairs(LUA_PAIRS) do
        local pcre, lua = pair[1], pair[2]

        it_54(("agrees on /%s/ and %q"):format(pcre, lua), function()
            local re = core.regex(pcre)
            for _, s in ipairs(SUBJECTS) do
                local ascii = is_ascii(s)
                if ascii or not (pair.empty or pair.ascii) then
                    check(pack(s:find(lua)), pack(re:find(s)), "find", pcre, s)
                    check(pack(s:match(lua)), pack(re:match(s)), "match", pcre, s)
                    for _, repl in ipairs({"<%0>", "%1-", upper_first}) do
                        check(two(s:gsub(lua, repl)), two(re:gsub(s, repl)), "gsub", pcre, s)
                        check(two(s:gsub(lua, repl, 1)), two(re:gsub(s, repl, 1)), "gsub", pcre, s, " n = 1")
                    end
                    if not pair.anchored then  -- in gmatch, Lua's ^ is no anchor
                        check(each(s:gmatch(lua)), each(re:gmatch(s)), "gmatch", pcre, s)
                        for _, init in ipairs(ascii and inits_of(s) or {}) do
                            local from = " from " .. init
                            check(pack(s:find(lua, init)), pack(re:find(s, init)), "find", pcre, s, from)
                            check(each(s:gmatch(lua, init)), each(re:gmatch(s, init)), "gmatch", pcre, s, from)
                        end
                    end
                end
            end
        end)
    end

    it("follows the design's example", function()
        assert.are.same({"-a-", 2, 2}, {core.regex("x*"):gsub("xax", "-")})
    end)

    it_54("agrees on the design's example", function()
        assert.are.same(two(("xax"):gsub("x*", "-")), two(core.regex("x*"):gsub("xax", "-")))
    end)
end)
