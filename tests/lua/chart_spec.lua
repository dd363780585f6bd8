-- Charts: facts counted by group (df.chart), and the overview of the
-- default report, whose numbers are read back from the SVG and Markdown
-- and compared with what the API counts another way.

local df = require "drivefacts"
local chart = require "drivefacts.chart"
local charts = require "support.charts"
local files = require "support.files"
local formats = require "support.formats"

local db = df.open()
local check_overview, rows_of, span_of = charts.check_overview, charts.rows_of, charts.span_of
local facts_in_span, top = charts.facts_in_span, charts.top
local length_of, years_of = charts.length_of, charts.years_of

-- Groups of chart.count as rows {label =, count =}.
local function group_rows(groups)
    local rows = {}
    for i, g in ipairs(groups) do rows[i] = {label = g.label, count = g.count} end
    return rows
end

teardown(files.cleanup)

describe("chart.count", function()
    it("counts a whole db's lengths and years as it counts its facts one by one", function()
        local list = {}
        for _, f in db:facts() do list[#list + 1] = f end
        for _, group_by in ipairs{"length", "year"} do
            assert.are.same(chart.count(list, group_by), chart.count(db, group_by))
        end
        local odd = assert(df.from_string("1998 and 1999\n\n1999\n\nno year\n\n\226\128\148 1\n\n2100 1850", {}))
        list = {}
        for _, f in odd:facts() do list[#list + 1] = f end
        for _, group_by in ipairs{"length", "year"} do
            assert.are.same(chart.count(list, group_by), chart.count(odd, group_by))
        end
        local empty = assert(df.from_string("", {}))
        assert.are.same(chart.count({}, "year"), chart.count(empty, "year"))
    end)

    it("counts facts per tag and per entity as the index does", function()
        assert.are.same(top(db:tags(), 10), group_rows(chart.count(db, "tag")))
        local entities = chart.count(db, "entity", {top = 1000})
        assert.are.equal(#top(db:entities(), 1000), #entities)
        for i, row in ipairs(top(db:entities(), 1000)) do
            assert.are.same(row, {label = entities[i].label, count = entities[i].count})
        end
    end)

    it("makes the same groups from the index's counts", function()
        for _, case in ipairs{{"tag", db:tags()}, {"entity", db:entities()}} do
            local counted, given = chart.count(db, case[1]), chart.from_counts(case[2], case[1])
            assert.are.same(group_rows(counted), group_rows(given))
            assert.are.same({counted.groups, counted.noun, counted.title}, {given.groups, given.noun, given.title})
        end
    end)

    it("counts a query's facts as its result set's", function()
        local q = db:query():match("night", "i")
        assert.are.same(group_rows(chart.count(q:run(), "entity")), group_rows(chart.count(q, "entity")))
    end)

    it("counts a result set's facts, and says what it leaves out", function()
        local rs = db:search("car", "i")
        local groups = chart.count(rs, "tag", {top = 3})
        assert.are.equal(3, #groups)
        assert.are.equal(#rs, groups.facts)
        local expected, without = {}, 0
        for _, hit in ipairs(rs) do
            if #hit.fact.tags == 0 then without = without + 1 end
            for _, tag in ipairs(hit.fact.tags) do expected[tag] = (expected[tag] or 0) + 1 end
        end
        local distinct = 0
        for _ in pairs(expected) do distinct = distinct + 1 end
        assert.are.equal(without, groups.without)
        assert.are.equal(distinct, groups.groups)
        for _, g in ipairs(groups) do assert.are.equal(expected[g.label], g.count) end
        assert.are.equal(("top 3 of %d tags"):format(distinct), chart.note(groups))
    end)

    it("counts entity kinds once per fact", function()
        local kind_of = {}
        for _, e in ipairs(db:entities()) do kind_of[e.name] = e.kind end
        local expected = {}
        for _, f in db:facts() do
            local seen = {}
            for _, name in ipairs(f.entities) do
                local kind = kind_of[name]
                if not seen[kind] then seen[kind], expected[kind] = true, (expected[kind] or 0) + 1 end
            end
        end
        local groups = chart.count(db, "kind", {top = 100})
        assert.is_true(#groups > 1)
        for _, g in ipairs(groups) do assert.are.equal(expected[g.label], g.count, g.label) end
    end)

    it("puts years and lengths in round spans, each fact once per span", function()
        for _, case in ipairs{{"year", years_of}, {"length", length_of}} do
            local groups, values = chart.count(db, case[1]), charts.values(db, case[2])
            assert.is_true(#groups >= 2 and #groups <= 13, case[1])
            local previous
            for _, g in ipairs(groups) do
                local low = span_of(g.label)
                assert.is_true(previous == nil or low > previous, g.label)
                previous = low
                assert.are.equal(facts_in_span(values, g.label), g.count, case[1] .. " " .. g.label)
            end
        end
        local lengths, sum = chart.count(db, "length"), 0
        for _, g in ipairs(lengths) do sum = sum + g.count end
        assert.are.equal(#db, sum)
        assert.truthy(lengths[#lengths].label:find("+$"))
    end)

    it("groups by a function's keys and by a field", function()
        local d = assert(df.from_string("a b\n\nb c\n\nd\n"))
        local groups = chart.count(d, function(f)
            local words = {}
            for w in f.text:gmatch("%a") do words[#words + 1] = w end
            return words
        end)
        assert.are.same({{label = "b", count = 2}, {label = "a", count = 1}, {label = "c", count = 1},
            {label = "d", count = 1}}, {groups[1], groups[2], groups[3], groups[4]})
        -- Facts with fields (as JSON Lines and CSV files give them).
        local facts = {{fields = {author = "Ann", year = 1999, spoiler = false}}, {fields = {author = "Bo"}},
            {fields = {author = {"Ann", "Bo"}, spoiler = true}}, {fields = {}}, {}}
        for _, by in ipairs{"field:author", {field = "author"}} do
            groups = chart.count(facts, by)
            assert.are.same({{label = "Ann", count = 2}, {label = "Bo", count = 2}}, {groups[1], groups[2]})
            assert.are.equal(2, groups.without)
            assert.are.equal("author", groups.noun)
        end
        assert.are.same({label = "1999", count = 1}, chart.count(facts, "field:year")[1])
        local spoiler = chart.count(facts, "field:spoiler")
        assert.are.same({{label = "false", count = 1}, {label = "true", count = 1}}, {spoiler[1], spoiler[2]})
        assert.are.equal(3, spoiler.without)
    end)

    it("names sources relative to the directory they share", function()
        local dir = files.tempdir()
        assert(os.execute("mkdir " .. dir .. "/sub"))
        files.spit(dir .. "/a.txt", "one\n\ntwo\n\nthree\n")
        files.spit(dir .. "/sub/b.txt", "four\n")
        local d = assert(df.open(dir))
        local groups = chart.count(d, "source")
        assert.are.same({{label = "a.txt", key = dir .. "/a.txt", count = 3},
            {label = "sub/b.txt", key = dir .. "/sub/b.txt", count = 1}}, {groups[1], groups[2]})
        assert.are.equal(dir .. "/", groups.directory)
    end)

    it("is df.chart", function()
        assert.are.equal(chart.count, df.chart.count)
        assert.are.equal(chart.svg, df.chart.svg)
    end)

    it("refuses what it cannot group by", function()
        assert.has_error(function() chart.count(db, "colour") end,
            "bad argument #2 to 'count' (group_by: unknown group 'colour'; known: tag, entity, kind, "
            .. "source, year, length, field:NAME)")
        assert.has_error(function() chart.count(db, {field = 3}) end,
            "bad argument #2 to 'count' (group_by: {field = NAME} needs a field name)")
        assert.has_error(function() chart.count(db, 42) end,
            "bad argument #2 to 'count' (group_by: string, {field = NAME} or function expected, got number)")
        assert.has_error(function() chart.count(db, "tag", {top = 0}) end,
            "bad argument #3 to 'count' (top: positive integer expected, got 0)")
        assert.has_error(function() chart.count(42, "tag") end)
        assert.has_error(function() chart.svg(chart.count(db, "tag"), {}) end)
    end)
end)

describe("chart.svg, chart.markdown and chart.text", function()
    local groups = chart.count(db, "tag", {top = 4})

    it("draw every group with its label and count as text", function()
        local svg = chart.svg(groups, {title = "Facts <per> tag"})
        local page = '<figure class="chart">\n<figcaption>x</figcaption>\n' .. svg .. "\n</figure>"
        formats.check_html(page)
        local figure = charts.svg_figures(page)[1]
        assert.are.equal(#groups, #figure.rows)
        for i, g in ipairs(groups) do
            assert.are.same({label = g.label, full = g.label, count = g.count}, figure.rows[i])
            assert.truthy(figure.aria:find(("%s: %d"):format(g.label, g.count), 1, true))
        end
        assert.truthy(figure.aria:find("^Facts <per> tag %(top 4 of %d+ tags%)%. "))
        assert.are.equal(figure.aria, figure.title)
        assert.is_nil(svg:find("https?://[^\"]", 1) and svg:find("href", 1, true))
    end)

    it("shorten long labels, keeping the whole one in the row's title", function()
        local long = ("\195\169"):rep(40)
        local svg = chart.svg({{label = long, count = 2}, noun = "x", groups = 1}, {title = "T"})
        local row = charts.svg_figures('<figure class="chart">\n<figcaption>T</figcaption>\n' .. svg
            .. "\n</figure>")[1].rows[1]
        assert.are.equal(long, row.full)
        assert.are.equal(("\195\169"):rep(21) .. "\226\128\166", row.label)
    end)

    it("write a Markdown table and plain lines", function()
        local md = chart.markdown(groups)
        local t = charts.markdown_tables("\n**T**\n\n" .. md .. "\n")[1]
        assert.are.same({"Tag", "Facts"}, t.header)
        for i, g in ipairs(groups) do assert.are.same({label = g.label, count = g.count}, t.rows[i]) end
        local text = chart.text(groups)
        local i = 0
        for label, count, bar in text:gmatch("  (%S+) +(%d+) (#*)\n") do
            i = i + 1
            assert.are.same({groups[i].label, groups[i].count}, {label, tonumber(count)})
            assert.is_true(#bar >= 1 and #bar <= 30)
        end
        assert.are.equal(#groups, i)
    end)
end)

describe("the default report's overview", function()
    it("charts the embedded corpus as the API counts it", function()
        local figures = check_overview(db, df.report{db = db, format = "html"},
            df.report{db = db, format = "markdown"})
        local captions = {}
        for i, f in ipairs(figures) do captions[i] = f.caption end
        assert.are.same({"Facts per tag (top 10 of 16 tags)", "Facts per entity (top 10 of 130 entities)",
            "Facts by length in characters", "Facts by the years they name", "Near-duplicate pairs by kind"},
            captions)
    end)

    it("charts a directory per source, and leaves out what a corpus lacks", function()
        local dir = files.tempdir()
        files.spit(dir .. "/one", "Rain in 1999.\n\nRain in 1999.\n\nSnow.\n")
        files.spit(dir .. "/two", "Sun in 2001 and 2002.\n")
        local d = assert(df.open(dir))
        local figures = check_overview(d, df.report{db = d, format = "html"}, df.report{db = d, format = "markdown"})
        assert.are.same({{label = "one", count = 3}, {label = "two", count = 1}},
            rows_of(charts.find(figures, "Facts per source")))
        assert.are.same({{label = "1999", count = 2}, {label = "2000", count = 0}, {label = "2001", count = 1},
            {label = "2002", count = 1}}, rows_of(charts.find(figures, "Facts by the years")))
        local text = df.report{db = d, format = "plain"}
        assert.truthy(text:find("\nFacts per source:\n  one  3 #+\n  two  1 #+\n"))
    end)

    it("is left out of custom reports and of JSON and CSV", function()
        for _, format in ipairs{"json", "csv"} do
            assert.is_nil(df.report{db = db, format = format}:find("Facts per tag", 1, true))
        end
        local page = df.report{db = db, sections = {{title = "Car", query = "car"}}}
        assert.are.equal(0, #charts.svg_figures(page))
    end)
end)

describe("a chart section of a custom report", function()
    local night = db:search("night", "i")

    it("draws the section's facts counted by group, in every format for people", function()
        local spec = {db = db, title = "Night", sections = {
            {title = "Night by tag", query = "night", flags = "i", chart = "bar", group_by = "tag", top = 3},
            {title = "Cars", query = "car"}}}
        local expected = chart.count(night, "tag", {top = 3})
        local page = df.report(spec)
        formats.check_html(page)
        local figures = charts.svg_figures(page)
        assert.are.equal(1, #figures)
        assert.are.equal(("Facts per tag (top 3 of %d tags)"):format(expected.groups), figures[1].caption)
        assert.are.same(group_rows(expected), rows_of(figures[1]))
        assert.truthy(page:find(('<h2>Night by tag</h2>\n<p class="counts">%d facts, %d matches</p>\n<figure'):format(
            #night, night:count()), 1, true))
        spec.format = "markdown"
        local text = df.report(spec)
        assert.are.same(rows_of(figures[1]), charts.markdown_tables(text)[1].rows)
        assert.truthy(text:find("\n## Night by tag\n\n", 1, true))
        spec.format = "plain"
        text = df.report(spec)
        assert.truthy(text:find("\nNight by tag: " .. #night .. " facts, " .. night:count() .. " matches\n%-+\n"
            .. "Facts per tag %(top 3 of %d+ tags%):\n  " .. expected[1].label .. " +" .. expected[1].count .. " #+\n"))
    end)

    it("counts every fact without a query, and is titled by what it counts without a title", function()
        local page = df.report{db = db, sections = {{chart = "bar", group_by = "kind"}}}
        assert.truthy(page:find("<h2>Facts per entity kind</h2>\n<p class=\"counts\">" .. #db .. " facts</p>", 1, true))
        local figure = charts.svg_figures(page)[1]
        for i, g in ipairs(chart.count(db, "kind")) do
            assert.are.same({label = g.label, full = g.label, count = g.count}, figure.rows[i])
        end
    end)

    it("takes any group: a field, a function", function()
        local page = df.report{db = db, sections = {
            {title = "By author", chart = "bar", group_by = {field = "author"}},
            {title = "Long or short", chart = "bar", group_by = function(f) return #f.text > 200 and "long" or "short" end}}}
        local figures = charts.svg_figures(page)
        assert.are.same({}, figures[1].rows) -- the embedded facts have no fields
        assert.truthy(figures[1].aria:find("none", 1, true))
        local long = #db:query():where(function(f) return #f.text > 200 end):run()
        assert.are.same({{label = "short", count = #db - long}, {label = "long", count = long}}, rows_of(figures[2]))
    end)

    it("holds its facts in JSON and CSV, and frames a text chart for a registered formatter", function()
        local sections = {{title = "Night by tag", query = "night", flags = "i", chart = "bar", group_by = "tag"}}
        local lines = 0
        for _ in df.report{db = db, format = "json", sections = sections}:gmatch("[^\n]+") do lines = lines + 1 end
        assert.are.equal(#night, lines)
        df.register_formatter("ids", function(rs) return table.concat(rs:ids(), " ") .. "\n" end)
        local text = df.report{db = db, title = "Ids", format = "ids", sections = sections}
        df.formatters.ids = nil
        assert.truthy(text:find("\nFacts per tag (top 10 of ", 1, true))
        assert.is_nil(text:find(table.concat(night:ids(), " "), 1, true))
    end)

    it("goes with the overview when asked", function()
        local page = df.report{db = db, overview = true, sections = {{chart = "bar", group_by = "source"}}}
        assert.truthy(page:find('<p class="overview">', 1, true))
        assert.are.equal(6, #charts.svg_figures(page))
        assert.is_nil(df.report{db = db, overview = false}:find('<p class="overview">', 1, true))
    end)

    it("refuses a bad chart, group or top, naming the section", function()
        local cases = {
            {{title = "a", chart = "pie", group_by = "tag"}, [[sections[1].chart: "bar" expected, got 'pie']]},
            {{title = "a", chart = true, group_by = "tag"}, [[sections[1].chart: "bar" expected, got boolean]]},
            {{title = "a", chart = "bar", group_by = "nope"}, "sections[1].group_by: unknown group 'nope'; known: "},
            {{title = "a", chart = "bar"}, "sections[1].group_by: string, {field = NAME} or function expected, got nil"},
            {{title = "a", chart = "bar", group_by = "tag", top = 0}, "sections[1].top: positive integer expected, got 0"},
            {{title = "a", chart = "bar", group_by = "tag", top = "5"}, "sections[1].top: positive integer expected, got string"},
            {{title = "a", query = "x", group_by = "tag"}, [[sections[1]: group_by and top go with chart = "bar"]]},
            {{query = "x"}, "sections[1].title: string expected, got nil"},
        }
        for _, case in ipairs(cases) do
            local ok, err = pcall(df.report, {db = db, sections = {case[1]}})
            assert.is_false(ok)
            assert.truthy(err:find("bad argument #1 to 'report' (" .. case[2], 1, true), err)
        end
        local ok, err = pcall(df.report, {db = db, overview = "yes"})
        assert.is_false(ok)
        assert.truthy(err:find("overview: boolean expected, got string", 1, true))
    end)
end)
