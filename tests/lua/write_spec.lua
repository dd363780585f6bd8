-- Writing to file handles: rs:write(file, name, opts) and df.report(spec,
-- file) write what rs:format and df.report return, in blocks, and report a
-- failing handle as io functions do.

local df = require "drivefacts"
local files = require "support.files"
local formatters = require "drivefacts.formatters"
local sink = require "drivefacts.sink"

local db = df.open()

local FORMATS = {"plain", "markdown", "json", "csv", "html"}
local OPTION_SETS = {{}, {highlight = true}, {color = true}, {sources = true},
    {section = "S", header = false}, {standalone = true, title = "T"},
    {highlight = false, sources = true, standalone = true, title = "<&'\">"}}

-- What `write(file)` wrote to a new temporary file, and what it returned.
local function written_by(write)
    local path = files.tempfile()
    local file = assert(io.open(path, "wb"))
    local ok, message, code = write(file)
    file:close()
    return files.slurp(path), ok, message, code
end

-- A file-like object that records its writes, failing from the `fail_at`th.
local function recorder(fail_at)
    local self = {writes = {}}
    function self:write(s) -- luacheck: ignore 212
        if fail_at and #self.writes + 1 >= fail_at then return nil, "No space left on device", 28 end
        self.writes[#self.writes + 1] = s
        return self
    end
    function self:flush() return self end -- luacheck: ignore 212
    return self
end

describe("rs:write", function()
    teardown(files.cleanup)

    it("writes what rs:format returns, for every formatter and option", function()
        for _, rs in ipairs({db:search("Gosling"), db:search("(?<w>\\w+)ing"), db:search("no such thing"),
                             db:query():match("Refn"):sort_by("length"):run(), db:query():run(),
                             -- kept in C without a regex: mentions as matches, a tag's facts
                             db:mentions("Gosling"), require("drivefacts.db").tag_facts(db, "music")}) do
            for _, name in ipairs(FORMATS) do
                for _, opts in ipairs(OPTION_SETS) do
                    local text, ok = written_by(function(file) return rs:write(file, name, opts) end)
                    assert.are.equal(true, ok)
                    assert.are.equal(rs:format(name, opts), text)
                end
            end
        end
    end)

    it("writes facts with controls, quotes, commas and line breaks, from several files, as rs:format", function()
        local several = assert(df.open({
            files.tempfile("Ryan Gosling \27[1m drives\n\nthe\tend, of \"Söderström\"\194\133\n\n\n"
                .. "_a_ [b](c) #d \\ 'e' ~f~ |g| `h` \vthe\f x\n\n"),
            files.tempfile("\239\187\191x * the 1984 <b>&</b>\n  indented \"quoted\", comma\r\n\r\n"
                .. ("the "):rep(30000) .. "\n\n\127the end\n"),
        }, {format = "paragraphs"}))
        for _, pattern in ipairs({"the", "x*", "(?<q>\"\\w+\")|,", "no such text", "\\s*\\v\\S*\\s*|[_#`]"}) do
            local rs = several:search(pattern)
            for _, name in ipairs(FORMATS) do
                for _, opts in ipairs(OPTION_SETS) do
                    local text = written_by(function(file) return rs:write(file, name, opts) end)
                    assert.are.equal(rs:format(name, opts), text)
                end
            end
        end
    end)

    it("writes a formatter of one's own, and the built-ins a name was given back", function()
        df.register_formatter("ids", function(rs) return table.concat(rs:ids(), " ") end)
        local rs = db:search("Gosling")
        assert.are.equal(table.concat(rs:ids(), " "), (written_by(function(file) return rs:write(file, "ids") end)))
        local plain = df.formatters.plain
        df.register_formatter("plain", function() return "mine\n" end)
        assert.are.equal("mine\n", (written_by(function(file) return rs:write(file, "plain") end)))
        df.register_formatter("plain", plain)
        assert.are.equal(rs:format("plain"), (written_by(function(file) return rs:write(file, "plain") end)))
        df.formatters.ids = nil
    end)

    it("returns nil, the message and the error number of a handle that fails", function()
        local full = io.open("/dev/full", "wb")
        if full == nil then return pending("no /dev/full") end
        local ok, message, code = db:search("Gosling"):write(full, "plain")
        assert.is_nil(ok)
        assert.matches("No space left on device", message)
        assert.are.equal(28, code)
        full:close()
    end)

    it("writes the hits a script changed as it changed them", function()
        local rs = db:search("Gosling")
        rs[1].matches = {}
        local eager = {}
        for i, hit in ipairs(rs) do eager[i] = hit end
        for _, name in ipairs({"json", "csv"}) do
            assert.are.equal(df.format(setmetatable(eager, getmetatable(rs)), name),
                (written_by(function(file) return rs:write(file, name) end)))
        end
    end)

    it("raises once its db is closed", function()
        local other = df.open()
        local rs = other:search("Gosling")
        other:close()
        for _, name in ipairs(FORMATS) do
            assert.error_matches(function() written_by(function(file) return rs:write(file, name) end) end,
                "attempt to use a closed db")
        end
    end)

    it("raises for bad arguments, naming them", function()
        local rs = db:search("Gosling")
        assert.has_error(function() rs:write("out.txt", "plain") end,
            "bad argument #1 to 'write' (file expected, got string)")
        local path = files.tempfile()
        local closed = assert(io.open(path, "wb"))
        closed:close()
        assert.has_error(function() rs:write(closed, "plain") end,
            "bad argument #1 to 'write' (attempt to use a closed file)")
        local file = assert(io.open(path, "wb"))
        assert.error_matches(function() rs:write(file, "nope") end,
            "bad argument #2 to 'write' %(unknown formatter 'nope'")
        assert.has_error(function() rs:write(file, "plain", 1) end,
            "bad argument #3 to 'write' (table expected, got number)")
        df.register_formatter("broken", function() return 42 end)
        assert.has_error(function() rs:write(file, "broken") end,
            "formatter 'broken' returned number, expected a string")
        df.formatters.broken = nil
        file:close()
    end)
end)

describe("a sink", function()
    -- A writer putting `n` lines of 100 bytes, counting them in `put_count`.
    local put_count
    local function lines_writer(n)
        return function(put)
            for i = 1, n do
                put_count = i
                put(("%99d"):format(i), "\n")
            end
        end
    end

    it("writes to a file in blocks of about 64 KiB, never the whole at once", function()
        local file = recorder()
        put_count = 0
        assert.is_true(sink.to_file(file, lines_writer(5000)))
        assert.is_true(#file.writes >= 7)
        for _, block in ipairs(file.writes) do assert.is_true(#block <= 65536 + 100) end
        assert.are.equal(sink.to_string(lines_writer(5000)), table.concat(file.writes))
    end)

    it("stops the writer at the first failed write", function()
        local file = recorder(2)
        put_count = 0
        assert.are.same({nil, "No space left on device", 28}, {sink.to_file(file, lines_writer(100000))})
        assert.is_true(put_count < 2000)
    end)

    it("lets the writer's errors through", function()
        assert.has_error(function()
            sink.to_file(recorder(), function(put) put("x") error("mine", 0) end)
        end, "mine")
    end)

    it("gets the built-in formatters' output in pieces", function()
        local pieces = 0
        formatters.put(db:search("the"), "plain", {}, function(...) pieces = pieces + select("#", ...) end)
        assert.is_true(pieces > #db:search("the"))
    end)
end)

describe("df.report with a file", function()
    teardown(files.cleanup)

    it("writes what df.report returns, for every format", function()
        for _, format in ipairs(FORMATS) do
            for _, spec in ipairs({{db = db, format = format},
                                   {db = db, format = format, sections = {{title = "Cars", query = "car"}}}}) do
                local text, ok = written_by(function(file) return df.report(spec, file) end)
                assert.are.equal(true, ok)
                assert.are.equal(df.report(spec), text)
            end
        end
    end)

    it("returns nil, the message and the error number of a handle that fails", function()
        local full = io.open("/dev/full", "wb")
        if full == nil then return pending("no /dev/full") end
        local ok, message, code = df.report({db = db, format = "markdown"}, full)
        assert.is_nil(ok)
        assert.matches("No space left on device", message)
        assert.are.equal(28, code)
        full:close()
    end)

    it("raises for a bad file, naming argument #2, after checking the spec", function()
        assert.has_error(function() df.report({db = db}, "out.html") end,
            "bad argument #2 to 'report' (file expected, got string)")
        assert.error_matches(function() df.report({db = 1}, io.stdout) end, "bad argument #1 to 'report'")
    end)
end)
