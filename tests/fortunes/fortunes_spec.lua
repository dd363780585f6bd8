-- The fortune format against strfile(1), on data nobody here wrote: every
-- cookie file of the Debian packages fortunes, fortunes-de, fortunes-ru and
-- fortunes-zh (scripts/install-deps installs them).  strfile's .dat file
-- gives the offset of every cookie; drivefacts must find the same cookies,
-- trimmed, in the same order, with two documented differences:
--   * a cookie that is empty or only whitespace is dropped (strfile counts
--     it: the Russian files end in "%\n\n", a last cookie of one newline);
--   * a file with CRLF line ends: strfile sees no separator ("%\r" is not
--     "%") and one cookie, drivefacts tolerates the CR.  Such a file is
--     compared with strfile's reading of it with its CRs removed.
-- FORTUNES_DIR overrides the directory (default: Debian's).

local df = require "drivefacts"
local charts = require "support.charts"
local files = require "support.files"

local DIR = os.getenv("FORTUNES_DIR") or "/usr/share/games/fortunes"
local quote = files.shell_quote

teardown(files.cleanup)

-- The cookie files under DIR: regular files, not strfile's .dat; the .u8
-- names Debian adds are symbolic links to them.
local function cookie_files()
    local p = assert(io.popen("find " .. quote(DIR) .. " -type f ! -name '*.dat' | LC_ALL=C sort"))
    local list = {}
    for path in p:lines() do list[#list + 1] = path end
    p:close()
    return list
end

-- Run strfile once over every file (one shell, not one per file): the
-- .dat of list[i] is DAT/i.dat.  A file with CRs (CRLF line ends) is also
-- given to strfile with its CRs removed, as DAT/i.lf and DAT/i.lf.dat.
local function run_strfile(list, has_cr, dat)
    local script = {"set -e"}
    for i, path in ipairs(list) do
        script[#script + 1] = ("strfile -s %s %s/%d.dat"):format(quote(path), dat, i)
        if has_cr[i] then
            script[#script + 1] = ("tr -d '\\r' < %s > %s/%d.lf && strfile -s %s/%d.lf %s/%d.lf.dat")
                :format(quote(path), dat, i, dat, i, dat, i)
        end
    end
    assert(os.execute("sh -c " .. quote(table.concat(script, "\n"))), "strfile failed")
end

-- The cookies strfile found in `text`, from its .dat file: a header of six
-- 32-bit big-endian words, then numstr + 1 offsets, the last the end of the
-- input.  Each cookie runs from its offset to its first "%" line: an empty
-- cookie ("%" after "%") gets no offset of its own, so the range to the
-- next offset may hold more "%" lines.
local function strfile_cookies(text, dat_path)
    local header = files.slurp(dat_path)
    local _, numstr = string.unpack(">I4I4", header)
    local offsets = {}
    for i = 1, numstr + 1 do
        offsets[i] = string.unpack(">I4", header, 24 + 4 * (i - 1) + 1)
    end
    local cookies = {}
    for i = 1, numstr do
        local cookie = "\n" .. text:sub(offsets[i] + 1, offsets[i + 1])
        local separator = cookie:find("\n%\n", 1, true) or cookie:find("\n%%$")
        cookies[i] = cookie:sub(2, separator)
    end
    return cookies
end

local function trim(s)
    return (s:gsub("^%s+", ""):gsub("%s+$", ""))
end

describe("fortune files as strfile reads them", function()
    local list = cookie_files()

    it("finds the Debian fortunes collection", function()
        -- fortunes (English, with its off-colour part left out), -de, -ru, -zh
        assert.is_true(#list >= 150, ("only %d cookie files under %s"):format(#list, DIR))
    end)

    it("gives every file strfile's cookies, blank ones dropped", function()
        local texts, has_cr = {}, {}
        for i, path in ipairs(list) do
            texts[i] = files.slurp(path)
            has_cr[i] = texts[i]:find("\r", 1, true) ~= nil
        end
        local dat = files.tempdir()
        run_strfile(list, has_cr, dat)
        local compared, blank, crlf, facts = 0, 0, 0, 0
        for i, path in ipairs(list) do
            local text = texts[i]
            local cookies = strfile_cookies(text, ("%s/%d.dat"):format(dat, i))
            if has_cr[i] then
                crlf = crlf + 1
                assert.are.equal(1, #cookies, path .. ": strfile splits a CRLF file")
                text = files.slurp(("%s/%d.lf"):format(dat, i))
                cookies = strfile_cookies(text, ("%s/%d.lf.dat"):format(dat, i))
            end
            local expected = {}
            for _, cookie in ipairs(cookies) do
                local t = trim(cookie)
                if t == "" then blank = blank + 1 else expected[#expected + 1] = t end
            end
            local db = assert(df.open(path, {format = "fortune"}))
            assert.are.equal(#expected, #db, path)
            for id, t in ipairs(expected) do
                if db[id].text ~= t then
                    error(("%s: fact %d differs from strfile's cookie:\n%s\n---\n%s"):format(
                        path, id, db[id].text, t))
                end
            end
            facts = facts + #db
            compared = compared + 1
        end
        assert.are.equal(#list, compared)
        -- The exceptions are real: both occur in the collection.
        assert.is_true(blank > 0 and crlf > 0, ("blank %d, CRLF %d"):format(blank, crlf))
        assert.is_true(facts > 50000, facts .. " facts")
    end)

    it("loads as one db from the directory, the files in name order", function()
        local db = assert(df.open(DIR, {format = "fortune"}))
        local sources, id = db:sources(), 0
        assert.are.same(list, sources)
        for _, path in ipairs(list) do
            local one = assert(df.open(path, {format = "fortune"}))
            for i = 1, #one, math.max(1, math.floor(#one / 3)) do
                assert.are.same({one[i].text, one[i].line, path},
                    {db[id + i].text, db[id + i].line, db[id + i].source})
            end
            id = id + #one
        end
        assert.are.equal(id, #db)
        local re = df.regex("\\blove\\b", "i")
        assert.are.same({db:count(re)}, {df.count_file(DIR, re, nil, {format = "fortune"})})
    end)

    it("counts as df.count_file does, a piece at a time", function()
        local re = df.regex("the", "i")
        for _, path in ipairs(list) do
            local db = assert(df.open(path, {format = "fortune"}))
            assert.are.same({db:count(re)}, {df.count_file(path, re, nil, {format = "fortune"})}, path)
        end
    end)

    -- pcre2grep -u -c counts the lines that match.  Read one fact per line,
    -- each file gives as many matching facts: blank lines are no facts, and
    -- these patterns match no blank line and need none of the spaces that
    -- trimming removes, nor Unicode properties (pcre2grep runs without UCP).
    it("counts the lines pcre2grep -u -c counts, one fact per line", function()
        local patterns = {"love", "(?i)the", "[А-Яа-я]{6,}", "人", "[0-9]{4}"}
        local script = {}
        for _, path in ipairs(list) do
            for _, pattern in ipairs(patterns) do
                script[#script + 1] = ('c=$(pcre2grep -u -c -e %s %s 2>&1); echo "$c"')
                    :format(quote(pattern), quote(path))
            end
        end
        local pipe = assert(io.popen("sh -c " .. quote(table.concat(script, "\n"))))
        local counts = {}
        for line in pipe:lines() do counts[#counts + 1] = line end
        pipe:close()
        assert.are.equal(#list * #patterns, #counts)
        local k, matched = 0, 0
        for _, path in ipairs(list) do
            for _, pattern in ipairs(patterns) do
                k = k + 1
                local want = assert(tonumber(counts[k]), path .. ": pcre2grep said " .. counts[k])
                local got = df.count_file(path, df.regex(pattern), nil, {format = "lines", first = true})
                assert.are.equal(want, got, path .. " /" .. pattern .. "/")
                matched = matched + got
            end
        end
        assert.is_true(matched > 10000, matched .. " matching lines")
    end)

    it("has a default report whose overview charts match the API's counts", function()
        local db = assert(df.open(DIR, {format = "fortune"}))
        local figures = charts.check_overview(db, df.report{db = db, format = "html", max_facts = 3},
            df.report{db = db, format = "markdown", max_facts = 3})
        -- Facts per source, against each file opened on its own.
        local per_file = {}
        for _, path in ipairs(list) do
            per_file[#per_file + 1] = {name = path:sub(#DIR + 2),
                count = #assert(df.open(path, {format = "fortune"}))}
        end
        assert.are.same(charts.top(per_file, 10), charts.rows_of(charts.find(figures, "Facts per source")))
        assert.are.equal(("Facts per source (top 10 of %d sources)"):format(#list),
            charts.find(figures, "Facts per source").caption)
        assert.truthy(charts.find(figures, "Facts by the years"))
        assert.truthy(charts.find(figures, "Near-duplicate pairs"))
    end)
end)
