-- The example scripts in scripts/examples/ run and print what they promise.
-- They run in a child interpreter with this process's LUA_PATH/LUA_CPATH,
-- from the repository root (DRIVEFACTS_SOURCE_DIR when set).

local cjson = require "cjson"
local files = require "support.files"
local cli = require "support.cli"
local compat = require "drivefacts.compat"

local shell_quote = files.shell_quote

-- Run an example; returns its output (stdout and stderr) and exit code.
local function run(name, ...)
    local words = {shell_quote(cli.interpreter()), shell_quote(cli.ROOT .. "/scripts/examples/" .. name)}
    for _, a in ipairs({...}) do words[#words + 1] = shell_quote(a) end
    local pipe = assert(io.popen(table.concat(words, " ") .. " 2>&1; echo \"status $?\""))
    local output = pipe:read("*a")
    pipe:close()
    local text, code = output:match("^(.*)status (%d+)\n$")
    return text, tonumber(code)
end

describe("scripts/examples/custom_filter.lua", function()
    it("lists the shortest facts mentioning a year before 2011", function()
        local output, code = run("custom_filter.lua")
        assert.are.equal(0, code, output)
        local found, total, year, shown =
            output:match("^(%d+) of (%d+) facts mention a year before (%d+); the (%d+) shortest:\n")
        assert.are.equal("122", total)
        assert.are.equal("2011", year)
        assert.is_true(tonumber(found) > 0)
        local lines = 0
        for id, text in output:gmatch("\n(%d+): ([^\n]*)") do
            lines = lines + 1
            local years_before = 0
            for y in text:gmatch("%f[%d]%d%d%d%d%f[%D]") do
                if tonumber(y) < 2011 and (y:sub(1, 2) == "19" or y:sub(1, 2) == "20") then
                    years_before = years_before + 1
                end
            end
            assert.is_true(years_before > 0, id)
        end
        assert.are.equal(tonumber(shown), lines)
        assert.are.equal(5, lines)
    end)

    it("takes the year as an argument and fails cleanly on a bad one", function()
        local output, code = run("custom_filter.lua", "1980")
        assert.are.equal(0, code, output)
        assert.truthy(output:find("mention a year before 1980;", 1, true))
        local bad, bad_code = run("custom_filter.lua", "soon")
        assert.are.equal(2, bad_code)
        assert.truthy(bad:find("YEAR must be an integer", 1, true))
    end)
end)

describe("scripts/examples/custom_formatter.lua", function()
    it("prints a concordance with the matches in one column", function()
        local output, code = run("custom_formatter.lua")
        assert.are.equal(0, code, output)
        local matches, facts = output:match("^(%d+) matches of /.-/i in (%d+) facts\n")
        assert.is_true(tonumber(matches) > 0 and tonumber(facts) > 0)
        local lines, column = 0, nil
        for line in output:gmatch("\n([^\n]+)") do
            lines = lines + 1
            local before = line:match("^(.-)%[[Dd]riv")
            assert.truthy(before, line)
            column = column or compat.utf8_len(before)
            assert.are.equal(column, compat.utf8_len(before), line)
        end
        assert.are.equal(tonumber(matches), lines)
    end)

    it("takes a pattern and flags", function()
        local output, code = run("custom_formatter.lua", "Kavinsky", "")
        assert.are.equal(0, code, output)
        assert.truthy(output:find("[Kavinsky]", 1, true))
    end)
end)

describe("scripts/examples/report.lua", function()
    it("writes a markdown report by default", function()
        local output, code = run("report.lua")
        assert.are.equal(0, code, output)
        assert.truthy(output:find("^# The embedded corpus: nights, cars and music\n"))
        for _, title in ipairs({"Nights", "Cars and driving", "Music", "The five shortest facts",
                                "Facts quoting someone"}) do
            assert.truthy(output:find("\n## " .. title .. "\n", 1, true), title)
        end
        assert.truthy(output:find("\n## The five shortest facts\n\n5 facts\n", 1, true))
        assert.truthy(output:find("**night**", 1, true))
    end)

    it("writes JSON Lines with sections", function()
        local output, code = run("report.lua", "json")
        assert.are.equal(0, code, output)
        local n = 0
        for line in output:gmatch("[^\n]+") do
            local object = cjson.decode(line)
            assert.is_string(object.section)
            n = n + 1
        end
        assert.is_true(n > 0)
    end)

    it("writes an html page to a file", function()
        local path = files.tempfile()
        local output, code = run("report.lua", "html", path)
        assert.are.equal(0, code, output)
        assert.truthy(output:find("wrote the html report %(%d+ bytes%) to "))
        local page = files.slurp(path)
        os.remove(path)
        assert.truthy(page:find("^<!DOCTYPE html>"))
        assert.truthy(page:find('<a href="#section-5">Facts quoting someone</a>', 1, true))
    end)
end)
