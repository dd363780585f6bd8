-- Bad input, table-driven: every row is a file's bytes or a pattern and the
-- exact outcome expected from the library (df.open, df.from_string,
-- df.regex, db:search) and from the CLI (scripts/drivefacts: exit 2 and one
-- line "drivefacts: ..." on stderr, nothing on stdout).
--
-- Tests named #slow (huge inputs) are left out of the valgrind run
-- (tests/valgrind/); tests named #cli spawn the CLI.
--
-- The tests run as root, so an "unreadable file" cannot be made with
-- permissions (root reads a mode-000 file); the ENOTDIR, directory and
-- dangling-symlink rows stand in for it.

local df = require "drivefacts"

local files = require "support.files"
local cli = require "support.cli"
local strings = require "support.strings"
local assertions = require "support.assertions"
local versions = require "support.versions"
local compat = require "drivefacts.compat"

local CLI = os.getenv("DRIVEFACTS_CLI") or (cli.ROOT .. "/scripts/drivefacts")

------------------------------------------------------------------ helpers

local shell_quote, tempfile, tempdir = files.shell_quote, files.tempfile, files.tempdir
local lit = strings.lit
local error_of = assertions.error_of

-- The CLI's error convention: status 2, nothing on stdout, exactly
-- "drivefacts: MESSAGE\n" on stderr (MESSAGE a Lua pattern, anchored).
local assert_cli_error = assertions.cli_error_message

teardown(files.cleanup)

--- Run the CLI (as cli_spec.lua does: stdout, stderr and status apart), in
-- the interpreter running busted, colour off.  opts.stdin: text for
-- standard input.  Returns stdout, stderr, status.
local run = cli.runner{command = {cli.interpreter(), CLI}, env = {NO_COLOR = "1", TERM = "dumb"}}

local function timed(label, f)
    local t0 = os.clock()
    local results = compat.pack(f())
    print(("      [%s: %.3f s CPU]"):format(label, os.clock() - t0))
    return compat.unpack(results, 1, results.n)
end

------------------------------------------------------------------ files

-- Files that must be refused: the bytes, and the line, the 0-based offset
-- of the first bad byte, and PCRE2's reason.
local BAD_FILES = {
    {name = "a lone continuation byte", bytes = "ok\n\128bad\n",
     line = 2, offset = 3, reason = "unexpected continuation byte"},
    {name = "a bad lead byte 0xFF", bytes = "a\nb\255c\n",
     line = 2, offset = 3, reason = "invalid lead byte"},
    {name = "a sequence truncated at the end of the file", bytes = "abc\n\226\130",
     line = 2, offset = 4, reason = "truncated sequence"},
    {name = "a sequence truncated mid-file", bytes = "abc\n\226\130x\nmore\n",
     line = 2, offset = 4, reason = "truncated sequence"},
    {name = "an overlong 2-byte NUL (C0 80)", bytes = "x\192\128\n",
     line = 1, offset = 1, reason = "overlong encoding"},
    {name = "an overlong 3-byte NUL (E0 80 80)", bytes = "x\224\128\128\n",
     line = 1, offset = 1, reason = "overlong encoding"},
    {name = "a surrogate U+D800 (ED A0 80)", bytes = "x\237\160\128\n",
     line = 1, offset = 1, reason = "surrogate code point"},
    {name = "a code point above U+10FFFF (F4 90 80 80)", bytes = "x\244\144\128\128\n",
     line = 1, offset = 1, reason = "code point above U+10FFFF"},
    {name = "a bad byte after a BOM (the BOM counts)", bytes = "\239\187\191ok\n\255\n",
     line = 2, offset = 6, reason = "invalid lead byte"},
    {name = "a bad byte in the third paragraph", bytes = "one\n\ntwo\n\nthree \192\175\n",
     line = 5, offset = 16, reason = "overlong encoding"},
}

local function bad_file_message(name, row)
    return ("%s:%d: invalid UTF-8 at byte offset %d: %s"):format(name, row.line,
        row.offset, row.reason)
end

-- Files that load: the bytes and the facts (lines format unless `format`).
local GOOD_FILES = {
    {name = "NUL bytes inside facts (kept)", bytes = "a\0b\n\0\n", facts = {"a\0b", "\0"}},
    {name = "an empty file", bytes = "", facts = {}},
    {name = "a whitespace-only file", bytes = " \n\t\n  \r\n\n", facts = {}},
    {name = "a BOM-only file", bytes = "\239\187\191", facts = {}},
    {name = "a BOM, CRLF lines", bytes = "\239\187\191one\r\ntwo\r\n", facts = {"one", "two"}},
    {name = "NUL bytes in paragraphs", bytes = "x\0\ny\n\n\0z\n", format = "paragraphs",
     facts = {"x\0\ny", "\0z"}},
}

describe("a file with invalid UTF-8", function()
    for _, row in ipairs(BAD_FILES) do
        describe(row.name, function()
            for _, format in ipairs{"lines", "paragraphs", "fortune"} do
                it("is refused by df.open (" .. format .. ") naming file, line and byte", function()
                    local path = tempfile(row.bytes)
                    local db, message = df.open(path, {format = format})
                    assert.is_nil(db)
                    assert.are.equal(bad_file_message(path, row), message)
                end)

                it("is refused by df.count_file (" .. format .. ") with the same message", function()
                    local path = tempfile(row.bytes)
                    local facts, message = df.count_file(path, "x", nil, {format = format})
                    assert.is_nil(facts)
                    assert.are.equal(bad_file_message(path, row), message)
                end)
            end

            it("is refused by df.from_string, naming the text, line and byte", function()
                local db, message = df.from_string(row.bytes, {format = "lines", name = "bad.txt"})
                assert.is_nil(db)
                assert.are.equal(bad_file_message("bad.txt", row), message)
                db, message = df.from_string(row.bytes)
                assert.is_nil(db)
                assert.are.equal(bad_file_message("<buffer>", row), message)
            end)

            it("makes the CLI exit 2 with the message #cli", function()
                local path = tempfile(row.bytes)
                for _, args in ipairs{{"search", "x"}, {"search", "-c", "x"}} do
                    local out, err, status = run{"--corpus", path, "--corpus-format", "lines", compat.unpack(args)}
                    assert_cli_error(out, err, status, lit(bad_file_message(path, row)))
                end
            end)
        end)
    end

    it("is reported at the byte offset the loader names, the position re:find names", function()
        -- The loader speaks of 0-based byte offsets (as the C API's
        -- err.offset), the regex methods of 1-based positions (as
        -- string.find); different words, so one number means one thing.
        for _, row in ipairs(BAD_FILES) do
            local _, load_message = df.from_string(row.bytes)
            local load_offset = tonumber(load_message:match("at byte offset (%d+)"))
            local find_message = error_of(function() df.regex("x"):find(row.bytes) end)
            local find_position = tonumber(find_message:match("at position (%d+)"))
            assert.are.equal(row.offset, load_offset, load_message)
            assert.are.equal(find_position, load_offset + 1,
                ("%s: from_string says %q, re:find says %q"):format(row.name, load_message, find_message))
        end
    end)
end)

describe("a file that loads", function()
    for _, row in ipairs(GOOD_FILES) do
        local format = row.format or "lines"
        describe(row.name, function()
            it("gives its facts through df.open and df.from_string", function()
                local path = tempfile(row.bytes)
                for _, db in ipairs{assert(df.open(path, {format = format})),
                                    assert(df.from_string(row.bytes, {format = format}))} do
                    assert.are.equal(#row.facts, #db)
                    for i, text in ipairs(row.facts) do
                        assert.are.equal(text, db[i].text)
                    end
                    assert.is_nil(db[#row.facts + 1])
                    local rs = db:search(".")
                    assert.are.equal(#row.facts, #rs)
                end
                assert.are.equal(#row.facts, df.count_file(path, ".", nil, {format = format}))
            end)

            it("is searched by the CLI (exit 1 when nothing matches) #cli", function()
                local path = tempfile(row.bytes)
                local out, err, status = run{"--corpus", path, "--corpus-format", format, "search", "-c", "."}
                assert.are.equal("", err)
                assert.are.equal(#row.facts .. "\n", out)
                assert.are.equal(#row.facts > 0 and 0 or 1, status)
            end)
        end)
    end

    it("keeps NUL bytes searchable, in patterns too", function()
        local db = assert(df.from_string("a\0b\n\0\n", {format = "lines"}))
        local rs = db:search("a\0b")
        assert.are.same({1}, rs:ids())
        assert.are.same({1, 3}, {rs[1].matches[1].s, rs[1].matches[1].e})
        assert.are.same({1, 2}, db:search("\\x00"):ids())
        assert.are.equal(3, select(2, df.regex("\0"):find("xy\0")))
    end)
end)

describe("a corpus path that cannot be read", function()
    local dir = tempdir()
    local dangling = tempfile()
    os.remove(dangling)
    assert(os.execute(("ln -s %s %s"):format(shell_quote(dir .. "/no-such-target"), shell_quote(dangling))))
    local regular = tempfile("a fact\n")

    local ROWS = {
        {name = "a nonexistent path", path = dir .. "/missing.txt",
         message = dir .. "/missing.txt: cannot open: No such file or directory"},
        {name = "a path under a regular file (ENOTDIR)", path = regular .. "/x",
         message = regular .. "/x: cannot open: Not a directory"},
        {name = "a dangling symlink", path = dangling,
         message = dangling .. ": cannot open: No such file or directory"},
    }
    for _, row in ipairs(ROWS) do
        it(row.name .. ": df.open returns nil and the message", function()
            local db, message = df.open(row.path)
            assert.is_nil(db)
            assert.are.equal(row.message, message)
        end)

        it(row.name .. ": df.count_file returns nil and the same message", function()
            local facts, message = df.count_file(row.path, "x")
            assert.is_nil(facts)
            assert.are.equal(row.message, message)
        end)

        it(row.name .. ": the CLI exits 2 with the message #cli", function()
            for _, args in ipairs{{"search", "x"}, {"search", "-c", "x"}} do
                local out, err, status = run{"--corpus", row.path, compat.unpack(args)}
                assert_cli_error(out, err, status, lit(row.message))
            end
        end)
    end

    it("a file over max_bytes is refused, naming the limit", function()
        local path = tempfile(("x"):rep(100))
        local db, message = df.open(path, {max_bytes = 99})
        assert.is_nil(db)
        assert.are.equal(path .. ": 100 bytes is more than the limit of 99", message)
        assert.are.equal(1, #assert(df.open(path, {max_bytes = 100})))
        assert.are.same({nil, path .. ": 100 bytes is more than the limit of 99"},
            {df.count_file(path, "x", nil, {max_bytes = 99})})
        assert.are.same({1, 100}, {df.count_file(path, "x", nil, {max_bytes = 100})})
        assert.matches("bad argument #2 to 'open' %(integer >= 1 expected, got 0%)",
            error_of(df.open, path, {max_bytes = 0}))
    end)
end)

------------------------------------------------------------------ big inputs

describe("big inputs", function()
    it("a 30 MB single fact loads, and a token at its end is found #slow", function()
        local n = 30 * 1024 * 1024
        local text = ("abc def "):rep(math.floor(n / 8)) .. "ENDTOKEN"
        local path = tempfile(text .. "\n")
        local db = assert(timed("load 30 MB", function() return df.open(path, {format = "lines"}) end))
        assert.are.equal(1, #db)
        assert.are.equal(#text, #db[1].text)
        local rs = timed("search 30 MB", function() return db:search("ENDTOKEN") end)
        assert.are.same({1}, rs:ids())
        assert.are.same({n + 1, n + 8}, {rs[1].matches[1].s, rs[1].matches[1].e})
        assert.are.same({1, 1}, {db:count("\\bENDTOKEN$")})
        assert.are.same({1, math.floor(n / 8)}, {db:count("def")})

        local out, err, status = run{"--corpus", path, "--corpus-format", "lines", "search", "-c", "ENDTOKEN"}
        assert.are.equal("", err)
        assert.are.equal("1\n", out)
        assert.are.equal(0, status)
    end)

    it("a million one-line facts load and are counted right #slow", function()
        local parts = {}
        for i = 1, 1000000 do
            parts[i] = i % 7 == 0 and ("fact %d seven"):format(i) or ("fact %d"):format(i)
        end
        local text = table.concat(parts, "\n") .. "\n"
        parts = nil
        local path = tempfile(text)
        for _, db in ipairs{timed("from_string 1M", function() return assert(df.from_string(text, {format = "lines"})) end),
                            timed("open 1M", function() return assert(df.open(path, {format = "lines"})) end)} do
            assert.are.equal(1000000, #db)
            assert.are.equal("fact 1000000", db[1000000].text)
            assert.are.equal(1000000, db[1000000].line)
            assert.are.same({142857, 142857}, {timed("count 1M", function() return db:count("seven") end)})
            local rs = timed("search 1M", function() return db:search("seven") end)
            assert.are.equal(142857, #rs)
            assert.are.equal(7, rs[1].id)
            assert.are.equal(999999, rs[#rs].id)
            assert.are.same({1000000}, db:search("^fact 1000000$"):ids())
        end
        local out, err, status = run{"--corpus", path, "--corpus-format", "lines", "search", "-c", "seven"}
        assert.are.equal("", err)
        assert.are.equal("142857\n", out)
        assert.are.equal(0, status)
    end)
end)

------------------------------------------------------------------ patterns

local ALTERNATION_SMALL, ALTERNATION_HUGE
do
    local words = {}
    for i = 1, 50000 do words[i] = "w" .. i .. "z" end
    ALTERNATION_HUGE = table.concat(words, "|")
    ALTERNATION_SMALL = table.concat(words, "|", 1, 2000)
end

-- Patterns that must not compile: the exact reason (a Lua pattern) that
-- df.regex, db:search and the CLI report.  `cli = false`: the pattern is
-- too long for one argv word (Linux's MAX_ARG_STRLEN is 128 KiB).
local BAD_PATTERNS = {
    {name = "10,000 nested groups", pattern = ("("):rep(10000) .. "a" .. (")"):rep(10000),
     reason = "parentheses are too deeply nested at offset %d+"},
    {name = "50,000 alternatives (PCRE2's size limit)", pattern = ALTERNATION_HUGE, cli = false,
     reason = "regular expression is too large at offset %d+"},
    {name = "a lone 0xFF", pattern = "\255",
     reason = "invalid UTF%-8 in pattern at offset 0: invalid lead byte"},
    {name = "0xFF after a character", pattern = "a\255b",
     reason = "invalid UTF%-8 in pattern at offset 1: invalid lead byte"},
    {name = "a truncated sequence", pattern = "ab\226\130",
     reason = "invalid UTF%-8 in pattern at offset 2: truncated sequence"},
    {name = "an overlong form", pattern = "\192\128",
     reason = "invalid UTF%-8 in pattern at offset 0: overlong encoding"},
    {name = "a surrogate", pattern = "ab\237\160\128",
     reason = "invalid UTF%-8 in pattern at offset 2: surrogate code point"},
    {name = "above U+10FFFF", pattern = "\244\144\128\128",
     reason = "invalid UTF%-8 in pattern at offset 0: code point above U%+10FFFF"},
    {name = "a missing parenthesis", pattern = "(ab",
     reason = "missing closing parenthesis at offset 3"},
}

describe("a bad pattern", function()
    local db = df.from_string("one fact\n")
    for _, row in ipairs(BAD_PATTERNS) do
        describe(row.name, function()
            it("raises from df.regex with PCRE2's reason and offset", function()
                assert.matches("^bad argument #1 to 'regex' %(" .. row.reason .. "%)$",
                    error_of(function() df.regex(row.pattern) end))
            end)

            it("raises from db:search and query:match", function()
                assert.matches("^bad argument #1 to 'search' %(" .. row.reason .. "%)$",
                    error_of(function() db:search(row.pattern) end))
                assert.matches("^bad argument #1 to 'match' %(" .. row.reason .. "%)$",
                    error_of(function() db:query():match(row.pattern) end))
                assert.are.equal(1, #db:search("fact"))  -- still usable
            end)

            if row.cli ~= false then
                it("makes the CLI exit 2 #cli", function()
                    local out, err, status = run{"search", row.pattern}
                    assert_cli_error(out, err, status, "bad pattern '.*': " .. row.reason)
                end)
            end
        end)
    end

    it("2,000 alternatives compile and match", function()
        local re = df.regex(ALTERNATION_SMALL)
        assert.are.same({4, 9}, {re:find("xx w1999z yy")})
        local big = assert(df.from_string("a w17z b\n\nnothing\n\nw2000z"))
        assert.are.same({1, 3}, big:search(re):ids())
    end)
end)

describe("catastrophic backtracking", function()
    -- Timed with os.clock and printed, never asserted (no timed assertions).
    local ROWS = {
        {pattern = "(a+)+$", subject = ("a"):rep(30) .. "b", limit = 10000000, fine = "aaa"},
        {pattern = "(x+x+)+y", subject = ("x"):rep(40) .. "zy", limit = 10000000, fine = "xxy"},
        {pattern = "(a+)+$", subject = ("a"):rep(20) .. "b", limit = 1000, fine = "aaa",
         limits = {match_limit = 1000}},
    }
    for _, row in ipairs(ROWS) do
        local label = ("%s on %d bytes (match_limit %d)"):format(row.pattern, #row.subject, row.limit)
        it(label .. ": re:find/test/gsub/gmatch raise 'match limit exceeded'", function()
            local re = df.regex(row.pattern, nil, row.limits)
            local expected = ("^match limit exceeded %%(%d%%)$"):format(row.limit)
            timed(label, function()
                assert.matches(expected, error_of(function() re:find(row.subject) end))
            end)
            assert.matches(expected, error_of(function() re:test(row.subject) end))
            assert.matches(expected, error_of(function() re:gsub(row.subject, "") end))
            assert.matches(expected, error_of(function() for _ in re:gmatch(row.subject) do end end))
            assert.is_true(re:test(row.fine))  -- the regex stays usable
        end)

        if not row.limits then
            it(label .. ": db:search/count name the fact and the limit", function()
                local db = assert(df.from_string("fine\n\n" .. row.subject))
                local expected = ("^<buffer>:3: fact 2: match limit exceeded %%(%d%%)$"):format(row.limit)
                timed(label .. " search", function()
                    assert.matches(expected, error_of(function() db:search(row.pattern) end))
                end)
                assert.matches(expected, error_of(function() db:count(row.pattern) end))
                assert.matches(expected, error_of(function() db:query():match(row.pattern):run() end))
                assert.are.same({1}, db:search("fine"):ids())
            end)

            it(label .. ": df.count_file and the CLI's -c raise it naming the file and fact", function()
                local path = tempfile("fine\n\n" .. row.subject)
                local expected = ("%s:3: fact 2: match limit exceeded (%d)"):format(path, row.limit)
                assert.are.equal(expected, error_of(df.count_file, path, row.pattern))
                local out, err, status = run{"--corpus", path, "search", "-c", row.pattern}
                assert_cli_error(out, err, status, lit(expected))
            end)

            it(label .. ": the CLI exits 2 naming the limit #cli", function()
                local out, err, status = run({"--corpus", "-", "search", row.pattern},
                    {stdin = "fine\n\n" .. row.subject})
                assert_cli_error(out, err, status,
                    ("<stdin>:3: fact 2: match limit exceeded %%(%d%%)"):format(row.limit))
            end)
        end
    end

    it("(x+x+)+y on 40 x's without a y is no match at once (PCRE2 needs a 'y')", function()
        -- PCRE2's "required code unit" check sees no 'y' and never backtracks.
        local re = df.regex("(x+x+)+y")
        assert.is_nil(timed("(x+x+)+y no y", function() return re:find(("x"):rep(40)) end))
    end)

    it("errors of db:search name no file inside the library", function()
        -- The position Lua puts in front of an error must be the caller's
        -- (or none), never drivefacts/db.lua's.
        local db = assert(df.from_string(("a"):rep(30) .. "b"))
        local ok, err = pcall(function() db:search("(a+)+$") end)
        assert.is_false(ok)
        assert.is_nil(err:find("drivefacts/", 1, true), err)
        ok, err = pcall(function() db:count("(a+)+$") end)
        assert.is_false(ok)
        assert.is_nil(err:find("drivefacts/", 1, true), err)
    end)
end)

------------------------------------------------------------------ ids

describe("bad fact ids", function()
    local db = df.open()
    local n = #db
    local range = ("fact id out of range %%(1%%.%%.%d%%)"):format(n)
    local ROWS = {
        {id = 0, message = range},
        {id = -1, message = range},
        {id = n + 1, message = range},
        {id = versions.MAXINTEGER, message = range},
        {id = versions.MININTEGER, message = range},
        {id = 1.5, message = "number has no integer representation"},
        {id = 0 / 0, message = "number has no integer representation"},
        {id = math.huge, message = "number has no integer representation"},
        {id = "abc", message = "number expected, got string"},
        {id = nil, message = "number expected, got nil"},
    }
    for _, row in ipairs(ROWS) do
        it("db:fact(" .. tostring(row.id) .. ") raises; db[id] is nil", function()
            assert.matches("^bad argument #1 to 'fact' %(" .. row.message .. "%)$",
                error_of(function() db:fact(row.id) end))
            if row.id ~= nil and row.id == row.id then
                assert.is_nil(db[row.id])
            end
        end)
    end

    it("db[2.0] is fact 2", function()
        assert.are.equal(2, db[2.0].id)
        assert.are.equal(2, db:fact(2.0).id)
    end)

    for _, id in ipairs{"0", "abc", "999", "1.5", "0x10000", ""} do
        it("CLI show '" .. id .. "' exits 2 #cli", function()
            local out, err, status = run{"show", id}
            assert_cli_error(out, err, status, lit(("no fact with id '%s' (ids run from 1 to %d)"):format(id, n)))
        end)
    end
end)

------------------------------------------------------------------ output paths

describe("an unwritable output path", function()
    local dir = tempdir()
    local regular = tempfile("x")
    local ROWS = {
        {path = "/nonexistent-dir/x.html", message = "/nonexistent-dir/x.html: No such file or directory"},
        {path = regular .. "/x.html", message = regular .. "/x.html: Not a directory"},
        {path = dir, message = dir .. ": Is a directory"},
        {path = "/dev/full", message = "/dev/full: No space left on device"},
    }
    for _, row in ipairs(ROWS) do
        it("report --out " .. row.path .. " exits 2 naming the path #cli", function()
            local out, err, status = run{"report", "--format", "html", "--out", row.path}
            assert_cli_error(out, err, status, lit(row.message))
        end)
    end
end)

------------------------------------------------------------------ user scripts

describe("a failing user script (CLI run)", function()
    it("error(): exit 2, the message and a traceback on stderr #cli", function()
        local script = tempfile("local x = 1\nerror(\"boom from script\")\n")
        local out, err, status = run{"run", script}
        assert.are.equal("", out)
        assert.are.equal(2, status)
        assert.matches("^drivefacts: " .. lit(script) .. ":2: boom from script\nstack traceback:\n", err)
        assert.matches("\n\t" .. lit(script) .. ":2: in main chunk\n", err)
    end)

    it("a syntax error: exit 2, one line naming file and line #cli", function()
        local script = tempfile("local a = 1\nlocal b = = 2\n")
        local out, err, status = run{"run", script}
        assert_cli_error(out, err, status, lit(script .. ":2: unexpected symbol near '='"))
    end)

    it("a library error inside the script: exit 2, the library's message and a traceback #cli", function()
        local script = tempfile("local df = require 'drivefacts'\n\nlocal re = df.regex('(ab')\n")
        local out, err, status = run{"run", script}
        assert.are.equal("", out)
        assert.are.equal(2, status)
        assert.matches("^drivefacts: " .. lit(script)
            .. ":3: bad argument #1 to 'regex' %(missing closing parenthesis at offset 3%)\nstack traceback:\n", err)
    end)

    it("an error object that is a table: exit 2, named, with a traceback #cli", function()
        local script = tempfile("error({code = 1})\n")
        local out, err, status = run{"run", script}
        assert.are.equal("", out)
        assert.are.equal(2, status)
        assert.matches("^drivefacts: %(error object is a table value%)\nstack traceback:\n", err)
    end)

    it("a missing script: exit 2, one line #cli", function()
        local missing = tempdir() .. "/nope.lua"
        local out, err, status = run{"run", missing}
        assert_cli_error(out, err, status, lit("cannot open " .. missing .. ": No such file or directory"))
    end)
end)
