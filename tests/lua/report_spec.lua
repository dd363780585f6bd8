-- df.report: several queries as one document, in every format.

local cjson = require "cjson"
local compat = require "drivefacts.compat"
local df = require "drivefacts"
local report = require "drivefacts.report"
local files = require "support.files"
local strings = require "support.strings"

local count, lit = strings.count, strings.lit

local db = df.open()

-- "N facts, M matches"; "N facts" alone for a section with facts but no
-- matches (chosen without a regex).
local function counts_text(rs)
    local facts = ("%d %s"):format(#rs, #rs == 1 and "fact" or "facts")
    if rs:count() == 0 and #rs > 0 then
        return facts
    end
    return ("%s, %d %s"):format(facts, rs:count(), rs:count() == 1 and "match" or "matches")
end

-- One section of each kind of query the report accepts.
local function sections()
    return {
        {title = "Gosling", query = "Gosling"},
        {title = "Music & songs", query = "music|song", flags = "i"},
        {title = "Refn", query = df.regex([[\bRefn\b]])},
        {title = "Shortest <3>", query = db:query():sort_by("length"):limit(3)},
        {title = "Kavinsky", query = function(d) return d:search("Kavinsky") end},
        {title = "Nothing", query = "no such text"},
    }
end

local expected = {
    db:search("Gosling"),
    db:search("music|song", "i"),
    db:search([[\bRefn\b]]),
    db:query():sort_by("length"):limit(3):run(),
    db:search("Kavinsky"),
    db:search("no such text"),
}

describe("an html report", function()
    local page = df.report{db = db, title = "Drive <facts> & more", format = "html", sections = sections()}

    it("is a standalone page with an escaped title", function()
        assert.truthy(page:find("^<!DOCTYPE html>\n"))
        assert.truthy(page:find('<meta name="viewport"', 1, true))
        assert.truthy(page:find("<title>Drive &lt;facts&gt; &amp; more</title>", 1, true))
        assert.truthy(page:find("<h1>Drive &lt;facts&gt; &amp; more</h1>", 1, true))
        assert.is_nil(page:find("https?://"))
    end)

    it("has a table of contents linking to every section, with counts", function()
        local s = sections()
        for i, rs in ipairs(expected) do
            local title = s[i].title:gsub("&", "&amp;"):gsub("<", "&lt;"):gsub(">", "&gt;")
            assert.truthy(page:find(('<a href="#section-%d">%s</a> <span class="counts">(%s)</span>'):format(
                i, title, counts_text(rs)), 1, true))
            assert.truthy(page:find(('<section id="section-%d">\n<h2>%s</h2>\n<p class="counts">%s</p>'):format(
                i, title, counts_text(rs)), 1, true))
        end
    end)

    it("shows each section's results, matches marked", function()
        local total_facts, total_matches = 0, 0
        for _, rs in ipairs(expected) do
            total_facts, total_matches = total_facts + #rs, total_matches + rs:count()
        end
        assert.are.equal(total_facts, count(page, "<li value="))
        assert.are.equal(total_matches, count(page, "<mark>"))
        assert.are.equal(count(page, "<mark>"), count(page, "</mark>"))
    end)
end)

describe("a markdown report", function()
    local text = df.report{db = db, title = "Drive *facts*", format = "markdown", sections = sections()}

    it("has the title, a contents list with counts and a heading per section", function()
        assert.truthy(text:find("^# Drive \\%*facts\\%*\n"))
        for i, rs in ipairs(expected) do
            local title = sections()[i].title:gsub("[&<>]", "\\%0")
            assert.truthy(text:find(("\n- %s: %s\n"):format(title, counts_text(rs)), 1, true))
            assert.truthy(text:find(("\n## %s\n\n%s\n\n"):format(title, counts_text(rs)), 1, true))
        end
    end)

    it("highlights matches", function()
        assert.are.equal(expected[1]:count(), count(text, "**Gosling**"))
    end)
end)

describe("a json report", function()
    it("is JSON Lines with a section field on every hit", function()
        local text = df.report{db = db, format = "json", sections = sections()}
        local lines = {}
        for line in text:gmatch("[^\n]+") do lines[#lines + 1] = cjson.decode(line) end
        local i = 0
        for n, rs in ipairs(expected) do
            for hit in rs:each() do
                i = i + 1
                assert.are.equal(sections()[n].title, lines[i].section)
                assert.are.equal(hit.id, lines[i].id)
                assert.are.equal(#hit.matches, #lines[i].matches)
            end
        end
        assert.are.equal(i, #lines)
    end)
end)

describe("a csv report", function()
    it("is one table with a section column and one header", function()
        local text = df.report{db = db, format = "csv", sections = sections()}
        assert.truthy(text:find("^section,id,text,matches\r\n"))
        assert.are.equal(1, count(text, "section,id,text,matches"))
        local total = 0
        for _, rs in ipairs(expected) do total = total + #rs end
        -- no fact of the embedded corpus holds a CR, so CRLF ends records only
        for _, fact in db:facts() do assert.is_nil(fact.text:find("\r", 1, true)) end
        assert.are.equal(total + 1, count(text, "\r\n"))
        assert.truthy(text:find('\r\nMusic & songs,%d+,'))
    end)
end)

describe("a plain report", function()
    local text = df.report{db = db, title = "Drive", format = "plain", sections = sections()}

    it("underlines the title and the section headings, with counts", function()
        assert.truthy(text:find("^Drive\n=====\n"))
        local heading = "Gosling: " .. counts_text(expected[1])
        assert.truthy(text:find("\n" .. heading .. "\n" .. ("-"):rep(#heading) .. "\n", 1, true))
    end)

    it("has no ANSI sequences unless asked for color", function()
        assert.is_nil(text:find("\27", 1, true))
        local colored = df.report{db = db, format = "plain", color = true, sections = sections()}
        assert.are.equal(expected[1]:count() + expected[2]:count() + expected[3]:count() + expected[5]:count(),
            count(colored, "\27[1;31m"))
    end)
end)

describe("a report in a registered format", function()
    after_each(function() df.formatters.ids = nil end)

    it("frames the formatter's output like plain text", function()
        df.register_formatter("ids", function(rs) return table.concat(rs:ids(), " ") .. "\n" end)
        local text = df.report{db = db, title = "Ids", format = "ids", sections = sections()}
        assert.truthy(text:find("^Ids\n===\n"))
        assert.truthy(text:find("\n" .. table.concat(expected[1]:ids(), " ") .. "\n", 1, true))
    end)
end)

describe("the default report", function()
    it("has one section per default section, titled by the profile", function()
        local page = df.report{db = db}
        local defaults = report.default_sections(db)
        assert.truthy(page:find("^<!DOCTYPE html>"))
        assert.truthy(page:find("<h1>Drive (2011): facts report</h1>", 1, true))
        assert.truthy(page:find('<p class="overview">122 facts (', 1, true))
        for i, section in ipairs(defaults) do
            assert.truthy(page:find(('<a href="#section-%d">%s</a>'):format(i, section.title), 1, true))
        end
        assert.are.equal(#defaults, count(page, "<section "))
    end)

    it("has the profile's sections, then one per entity kind and tag, the longest, the near-duplicates", function()
        local titles = {}
        for i, section in ipairs(report.default_sections(db)) do titles[i] = section.title end
        local profile_titles = {"Ryan Gosling", "Carey Mulligan", "Nicolas Winding Refn", "Bryan Cranston",
            "Albert Brooks"}
        assert.are.same(profile_titles, {compat.unpack(titles, 1, #profile_titles)})
        assert.are.same({"Longest facts", "Near-duplicates"}, {titles[#titles - 1], titles[#titles]})
        local listed = " " .. table.concat(titles, " | ") .. " "
        for _, title in ipairs{"People", "Characters", "Films", "Songs", "Cars", "Places"} do
            assert.truthy(listed:find(" " .. title .. " ", 1, true), title)
        end
        for _, tag in ipairs(db:tags()) do
            assert.truthy(listed:find(" Tag: " .. tag.name .. " ", 1, true), tag.name)
        end
        local people = db:query():where(function(f) return #f.entities > 0 end):run()
        assert.is_true(#people > 0)
    end)

    it("searches near-duplicates as `duplicates` says, by default up to DUPLICATES_MAX_FACTS facts", function()
        local function parts(page)
            return page:find("**Near-duplicate pairs by kind**", 1, true) ~= nil,
                page:find("\n## Near-duplicates\n", 1, true) ~= nil,
                page:find("Near%-duplicates not searched: more than %d+ facts%.") ~= nil
        end
        local function last_title(sections) return sections[#sections].title end
        assert.are.equal(100000, report.DUPLICATES_MAX_FACTS)
        assert.are.same({true, true, false}, {parts(df.report{db = db, format = "markdown"})})
        assert.are.same({false, false, false},
            {parts(df.report{db = db, format = "markdown", duplicates = false})})
        assert.are.equal("Longest facts", last_title(report.default_sections(db, false)))
        assert.are.equal("Near-duplicates", last_title(report.default_sections(db, true)))
        local limit = report.DUPLICATES_MAX_FACTS
        report.DUPLICATES_MAX_FACTS = #db - 1
        local ok, err = pcall(function()
            local page = df.report{db = db, format = "markdown"}
            assert.are.same({false, false, true}, {parts(page)})
            assert.truthy(page:find(("more than %d facts."):format(#db - 1), 1, true))
            assert.are.equal("Longest facts", last_title(report.default_sections(db)))
            assert.are.same({true, true, false},
                {parts(df.report{db = db, format = "markdown", duplicates = true})})
        end)
        report.DUPLICATES_MAX_FACTS = limit
        assert(ok, err)
        assert.has_error(function() df.report{db = db, duplicates = "yes"} end,
            "bad argument #1 to 'report' (duplicates: boolean expected, got string)")
        assert.has_error(function() report.default_sections(db, 1) end,
            "bad argument #2 to 'default_sections' (boolean expected, got number)")
    end)

    it("lists the longest facts, longest first, the lower id first among equals", function()
        local texts = {"ccc", "a", "bbbbb", "dd", "eeeee", "ffff", "g", "hhhhh", "iii"}
        local small = assert(df.from_string(table.concat(texts, "\n"), {format = "lines"}))
        local section
        for _, s in ipairs(report.default_sections(small)) do
            if s.title == "Longest facts" then section = s end
        end
        local rs = section.query(small)
        assert.are.same({3, 5, 8, 6, 1}, rs:ids())
        assert.are.equal("bbbbb", rs[1].fact.text)
        assert.are.same({}, rs[1].matches)
        -- The same as sorting every fact, on the embedded corpus.
        local all = {}
        for id, f in db:facts() do all[id] = {id = id, len = #f.text} end
        table.sort(all, function(x, y) return x.len > y.len or (x.len == y.len and x.id < y.id) end)
        local want = {}
        for i = 1, 5 do want[i] = all[i].id end
        for _, s in ipairs(report.default_sections(db)) do
            if s.title == "Longest facts" then assert.are.same(want, s.query(db):ids()) end
        end
    end)

    it("is titled by the file name for a file", function()
        local path = files.tempfile("a fact\n")
        local text = df.report{db = assert(df.open(path)), format = "plain", sections = {}}
        os.remove(path)
        assert.are.equal(1, select(2, text:gsub("^Facts report: " .. lit(path) .. "\n", "")))
    end)

    it("finds something for every default section", function()
        local text = df.report{db = db, format = "markdown"}
        for _, section in ipairs(report.default_sections(db)) do
            local facts = text:match("\n%- " .. lit(section.title) .. ": (%d+) facts?")
            assert.is_true(tonumber(facts) > 0, section.title)
        end
    end)
end)

describe("df.report errors", function()
    it("need a table with a db", function()
        assert.has_error(function() df.report() end, "bad argument #1 to 'report' (table expected, got nil)")
        assert.has_error(function() df.report{} end,
            "bad argument #1 to 'report' (db: drivefacts.db expected, got nil)")
        assert.has_error(function() df.report{db = db, title = 3} end,
            "bad argument #1 to 'report' (title: string expected, got number)")
    end)

    it("name unknown formats, listing the known ones", function()
        assert.error_matches(function() df.report{db = db, format = "pdf"} end,
            "bad argument #1 to 'report' %(unknown formatter 'pdf'; known: csv, html, json, markdown, plain")
    end)

    it("name the section that is wrong", function()
        assert.has_error(function() df.report{db = db, sections = {{title = "x", query = "x"}, "y"}} end,
            "bad argument #1 to 'report' (sections[2]: table expected, got string)")
        assert.has_error(function() df.report{db = db, sections = {{query = "x"}}} end,
            "bad argument #1 to 'report' (sections[1].title: string expected, got nil)")
        assert.has_error(function() df.report{db = db, sections = {{title = "x", query = 5}}} end,
            "bad argument #1 to 'report' (sections[1].query: pattern, regex, query or function expected, got number)")
        assert.error_matches(function() df.report{db = db, sections = {{title = "x", query = "("}}} end,
            "bad argument #1 to 'report' %(sections%[1%]%.query: .*offset %d+")
        assert.error_matches(function() df.report{db = db, sections = {{title = "x", query = "a", flags = "y"}}} end,
            "sections%[1%]%.flags: unknown flag 'y'")
        assert.error_matches(function()
            df.report{db = db, sections = {{title = "x", query = df.regex("a"), flags = "i"}}}
        end, "sections%[1%]%.flags: nil")
        assert.has_error(function()
            df.report{db = db, sections = {{title = "x", query = function() return {} end}}}
        end, "sections[1].query returned table, expected a result set")
    end)

    it("let errors from a section's function through", function()
        assert.error_matches(function()
            df.report{db = db, sections = {{title = "x", query = function() error("section failed") end}}}
        end, "section failed")
    end)
end)
