-- Records with fields: df.open with format "jsonl", "csv" or "tsv",
-- fact.fields, db:fields(), query:field, the formatters and reports.

local df = require "drivefacts"
local cjson = require "cjson"
local formats = require "support.formats"

local ROOT = os.getenv("DRIVEFACTS_SOURCE_DIR") or "."
local DATA = ROOT .. "/tests/data/"

-- Whether x is an integer where Lua has integers (any number before 5.3).
local function is_integer(x)
    return type(x) == "number" and (math.type == nil or math.type(x) == "integer")
end

describe("JSON Lines", function()
    local db = assert(df.open(DATA .. "quotes.jsonl", {format = "jsonl"}))

    it("makes a fact of each record, its text from the field 'text'", function()
        assert.are.equal(4, #db)  -- a blank line skipped, a record of blank text dropped
        assert.are.equal("Talk is cheap. Show me the code.", db[1].text)
        assert.are.equal("Line one\nLine two", db[3].text)
        assert.are.same({1, 3, 4, 6}, {db[1].line, db[2].line, db[3].line, db[4].line})
    end)

    it("lists the fields in order of first appearance", function()
        assert.are.same({"author", "year", "rating", "spoiler", "origin", "tags", "lang", "meta"},
                        db:fields())
    end)

    it("keeps JSON types: strings, numbers, booleans, null, arrays and objects", function()
        local fields = db[1].fields
        assert.are.equal("Linus Torvalds", fields.author)
        assert.are.equal(2000, fields.year)
        assert.is_true(is_integer(fields.year))
        assert.are.equal(4.5, fields.rating)
        assert.are.equal(false, fields.spoiler)
        assert.are.equal(df.null, fields.origin)
        assert.are.same({"programming", "quotes"}, fields.tags)
        assert.are.same({form = "couplet", lines = 2}, db[3].fields.meta)
        assert.is_true(is_integer(db[3].fields.meta.lines))
        assert.are.equal("de", db[2].fields.lang)
    end)

    it("leaves absent fields nil, apart from null", function()
        assert.is_nil(db[1].fields.lang)
        assert.is_nil(db[2].fields.origin)
        assert.are_not.equal(nil, db[1].fields.origin)
        assert.are.equal("null", tostring(df.null))
    end)

    it("takes the text from the field text_field names", function()
        local by_author = assert(df.open(DATA .. "quotes.jsonl", {format = "jsonl", text_field = "author"}))
        assert.are.equal(5, #by_author)
        assert.are.equal("Linus Torvalds", by_author[1].text)
        assert.are.equal("Talk is cheap. Show me the code.", by_author[1].fields.text)
    end)

    it("reads records from a string, nulls inside arrays as df.null", function()
        local s = assert(df.from_string('{"text":"a","list":[1,null,"x"]}\n', {format = "jsonl"}))
        assert.are.equal(df.null, s[1].fields.list[2])
        assert.are.equal(3, #s[1].fields.list)
    end)

    it("reads records from an open file", function()
        local f = assert(io.open(DATA .. "quotes.jsonl", "rb"))
        local s = assert(df.open(f, {format = "jsonl", text_field = "author", name = "q"}))
        f:close()
        assert.are.equal(5, #s)
        assert.are.equal("Poet", s[3].text)
        local bad = assert(io.open(DATA .. "bad/missing-text.jsonl", "rb"))
        local db2, message = df.open(bad, {format = "jsonl", name = "q"})
        bad:close()
        assert.is_nil(db2)
        assert.are.equal("q:2: no field 'text'", message)
    end)

    it("joins the fields of several files", function()
        local both = assert(df.open({DATA .. "more.jsonl", DATA .. "quotes.jsonl"}, {format = "jsonl"}))
        assert.are.equal(5, #both)
        assert.are.equal("author", both:fields()[1])
        assert.are.equal("page", both:fields()[2])
        assert.are.equal(12, both[1].fields.page)
        assert.is_nil(both[2].fields.page)
        assert.are.equal(DATA .. "quotes.jsonl", both[2].source)
    end)

    it("counts matches in the texts, not in the raw lines", function()
        local facts = df.count_file(DATA .. "quotes.jsonl", "author|text", nil, {format = "jsonl"})
        assert.are.equal(0, facts)
        assert.are.equal(db:count("e"), (df.count_file(DATA .. "quotes.jsonl", "e", nil, {format = "jsonl"})))
    end)
end)

describe("CSV and TSV", function()
    it("reads RFC 4180 quoting: commas, doubled quotes, line breaks, Unicode", function()
        local db = assert(df.open(DATA .. "quotes.csv", {format = "csv"}))
        assert.are.equal(3, #db)
        assert.are.equal('Hello, "world"', db[1].text)
        assert.are.equal("Two\nlines", db[2].text)
        assert.are.equal("Ünïcödé ✓ text", db[3].text)
        assert.are.same({"id", "author", "year"}, db:fields())
        assert.are.same({id = "3", author = "Zoë", year = "2020"}, db[3].fields)
        assert.are.equal("", db[2].fields.year)
        assert.are.same({2, 3, 5}, {db[1].line, db[2].line, db[3].line})
    end)

    it("reads tab-separated values", function()
        local db = assert(df.open(DATA .. "quotes.tsv", {format = "tsv"}))
        assert.are.equal('quoted\ttab, and "quote"', db[2].text)
        assert.are.equal("Bob", db[2].fields.author)
    end)

    it("gives no facts for an empty file or a header alone", function()
        assert.are.equal(0, #assert(df.from_string("", {format = "csv"})))
        local header = assert(df.from_string("text,author\n", {format = "csv"}))
        assert.are.equal(0, #header)
        assert.are.same({"author"}, header:fields())
    end)
end)

describe("bad records", function()
    for _, case in ipairs{
        {"bad-json.jsonl", "jsonl", "bad-json.jsonl:2: invalid JSON at column 19: string or '}' expected near '}'"},
        {"not-object.jsonl", "jsonl", "not-object.jsonl:2: an array, not a JSON object"},
        {"missing-text.jsonl", "jsonl", "missing-text.jsonl:2: no field 'text'"},
        {"text-not-string.jsonl", "jsonl", "text-not-string.jsonl:3: field 'text' is a number, not a string"},
        {"invalid-utf8.jsonl", "jsonl", "invalid-utf8.jsonl:2: invalid UTF-8 at byte offset 29: invalid lead byte"},
        {"nul-text.jsonl", "jsonl", "nul-text.jsonl:2: a string holds \\u0000 (NUL) at column 28"},
        {"wrong-columns.csv", "csv", "wrong-columns.csv:3: 3 fields where the header has 2"},
        {"unterminated.csv", "csv", "unterminated.csv:3: a quoted field is not closed before the end"},
        {"stray-quote.csv", "csv", "stray-quote.csv:3: a quote inside an unquoted field, or text after a closing quote"},
        {"no-text-column.csv", "csv", "no-text-column.csv:1: no column named 'text' in the header"},
    } do
        it(case[1], function()
            local db, message = df.open(DATA .. "bad/" .. case[1], {format = case[2]})
            assert.is_nil(db)
            assert.are.equal(DATA .. "bad/" .. case[3], message)
        end)
    end

    it("are refused by count_file too", function()
        local facts, message = df.count_file(DATA .. "bad/missing-text.jsonl", "x", nil, {format = "jsonl"})
        assert.is_nil(facts)
        assert.are.equal(DATA .. "bad/missing-text.jsonl:2: no field 'text'", message)
    end)

    it("a text_field that is not a string is an argument error", function()
        assert.has_error(function() df.open(DATA .. "quotes.jsonl", {format = "jsonl", text_field = 1}) end)
    end)
end)

describe("text formats", function()
    it("have no fields", function()
        local db = df.open()
        assert.are.same({}, db:fields())
        assert.are.same({}, db[1].fields)
    end)
end)

describe("query:field", function()
    local db = assert(df.open(DATA .. "quotes.jsonl", {format = "jsonl"}))
    local csv = assert(df.open(DATA .. "quotes.csv", {format = "csv"}))

    local function ids(q) return q:run():ids() end

    it("matches strings, and numbers, booleans and null by their text", function()
        assert.are.same({4}, ids(db:query():field("author", "Edsger W. Dijkstra")))
        assert.are.same({2}, ids(db:query():field("year", "1999")))
        assert.are.same({4}, ids(db:query():field("spoiler", "true")))
        assert.are.same({1}, ids(db:query():field("origin", "null")))
    end)

    it("matches numbers as numbers, strings that read as them too", function()
        assert.are.same({1}, ids(db:query():field("year", 2000)))
        assert.are.same({1}, ids(db:query():field("year", "2000.0")))
        assert.are.same({1}, ids(csv:query():field("year", 1984)))
    end)

    it("matches booleans and df.null by value", function()
        assert.are.same({1}, ids(db:query():field("spoiler", false)))
        assert.are.same({1}, ids(db:query():field("origin", df.null)))
    end)

    it("never keeps a fact without the field, but a function sees it as nil", function()
        assert.are.same({}, ids(db:query():field("lang", "null")))
        assert.are.same({1, 3}, ids(db:query():field("year", function(y) return y == nil or y > 1999 end)))
    end)

    it("composes with match and where", function()
        assert.are.same({4}, ids(db:query():match("i"):field("spoiler", true)))
        assert.are.same({}, ids(db:query():field("spoiler", true):where(function(f) return f.id ~= 4 end)))
    end)

    it("checks its arguments", function()
        assert.has_error(function() db:query():field("", "x") end,
            "bad argument #1 to 'field' (empty string)")
        assert.has_error(function() db:query():field("x", {}) end,
            "bad argument #2 to 'field' (string, number, boolean, df.null or function expected, got table)")
    end)
end)

describe("formatters show the fields", function()
    local db = assert(df.open(DATA .. "quotes.jsonl", {format = "jsonl"}))
    local rs = db:query():run()

    it("json: an object 'fields' with the JSON types", function()
        local lines = {}
        for line in rs:format("json"):gmatch("[^\n]+") do lines[#lines + 1] = cjson.decode(line) end
        assert.are.equal(4, #lines)
        assert.are.equal(2000, lines[1].fields.year)
        assert.are.equal(false, lines[1].fields.spoiler)
        assert.are.equal(cjson.null, lines[1].fields.origin)
        assert.are.same({"programming", "quotes"}, lines[1].fields.tags)
        assert.are.same({form = "couplet", lines = 2}, lines[3].fields.meta)
        assert.is_nil(lines[2].fields.origin)
        assert.truthy(rs:format("json"):find('"meta":{"form":"couplet","lines":2}', 1, true))
    end)

    it("csv: one column per field, empty where absent", function()
        local records = formats.parse_csv(rs:format("csv"), {crlf = true})
        assert.are.same({"id", "text", "matches", "author", "year", "rating", "spoiler", "origin",
                         "tags", "lang", "meta"}, records[1])
        assert.are.same({"1", "Talk is cheap. Show me the code.", "0", "Linus Torvalds", "2000", "4.5",
                         "false", "null", '["programming","quotes"]', "", ""}, records[2])
        assert.are.equal("de", records[3][10])
    end)

    it("csv: a field named like a fixed column is fields.NAME", function()
        local csv = assert(df.open(DATA .. "quotes.csv", {format = "csv"}))
        local records = formats.parse_csv(csv:query():run():format("csv"), {crlf = true})
        assert.are.same({"id", "text", "matches", "fields.id", "author", "year"}, records[1])
    end)

    it("markdown and plain: beside the text", function()
        assert.truthy(rs:format("markdown"):find("- 2: Ein Zitat", 1, true))
        assert.truthy(rs:format("markdown"):find("(author: Anonymous; year: 1999; lang: de)", 1, true))
        assert.truthy(rs:format("plain"):find("\n   (author: Poet; meta: {\"form\":\"couplet\",\"lines\":2})\n", 1, true))
    end)

    it("html: a <dl> after the text, escaped", function()
        local s = assert(df.from_string('{"text":"t","who":"<b>&</b>"}', {format = "jsonl"}))
        local html = s:query():run():format("html")
        assert.truthy(html:find('<dl class="fields"><dt>who</dt><dd>&lt;b&gt;&amp;&lt;/b&gt;</dd></dl>', 1, true))
        formats.check_html(s:query():run():format("html", {standalone = true}))
    end)

    it("control characters in a field are shown visibly", function()
        local s = assert(df.from_string('{"text":"t","esc":"a\\u001bb"}', {format = "jsonl"}))
        assert.is_nil(s:query():run():format("csv"):find("\27", 1, true))
        assert.is_nil(s:query():run():format("plain"):find("\27", 1, true))
    end)
end)

describe("reports", function()
    it("keep in every section only the facts `where` keeps", function()
        local db = assert(df.open(DATA .. "quotes.jsonl", {format = "jsonl"}))
        local text = df.report{db = db, format = "json",
                               where = function(f) return f.fields.author == "Poet" end}
        for line in text:gmatch("[^\n]+") do
            assert.are.equal(3, cjson.decode(line).id)
        end
        assert.has_error(function() df.report{db = db, where = 1} end)
    end)
end)
