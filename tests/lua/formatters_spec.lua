-- Formatters: plain, markdown, json, csv, html; highlighting; the registry.

local cjson = require "cjson"
local df = require "drivefacts"
local formats = require "support.formats"
local strings = require "support.strings"

local lines_of, count = strings.lines, strings.count
local tags_balanced = formats.tags_balanced

local db = df.open()

local ANSI_ON, ANSI_OFF = "\27[1;31m", "\27[0m"

-- A one-fact result set whose matches the test chooses.
local function with_matches(text, spans)
    local small = assert(df.from_string(text))
    local rs = small:query():run()
    local matches = {}
    for i, span in ipairs(spans) do
        matches[i] = {s = span[1], e = span[2], text = text:sub(span[1], span[2]), groups = {}}
    end
    rs[1].matches = matches
    return rs
end

-- RFC 4180, each record ending in CRLF.
local function parse_csv(text)
    return formats.parse_csv(text, {crlf = true})
end

describe("the plain formatter", function()
    local rs = db:search("Gosling")

    it("writes one 'id: text' line per hit", function()
        local lines = lines_of(rs:format("plain"))
        assert.are.equal(#rs, #lines)
        for i, hit in ipairs(rs) do
            assert.are.equal(hit.id .. ": " .. hit.fact.text, lines[i])
        end
        assert.is_nil(rs:format("plain"):find("\27", 1, true))
    end)

    it("highlights matches in ANSI bold red with highlight or color", function()
        local text = rs:format("plain", {highlight = true})
        assert.are.equal(rs:count(), count(text, ANSI_ON .. "Gosling" .. ANSI_OFF))
        assert.are.equal(text, rs:format("plain", {color = true}))
    end)

    it("writes nothing for an empty result set", function()
        assert.are.equal("", db:search("no such thing"):format("plain"))
    end)

    it("is the registered function itself", function()
        assert.are.equal(df.formatters.plain(rs, {}), rs:format("plain"))
    end)
end)

describe("highlighting", function()
    -- Plain output with the ANSI sequences shown as brackets.
    local function marked(rs)
        local text = rs:format("plain", {highlight = true})
        return (text:gsub("\27%[1;31m", "["):gsub("\27%[0m", "]"))
    end

    it("merges overlapping and adjacent matches and skips empty ones", function()
        local spans = {{1, 3}, {2, 4}, {5, 5}, {7, 8}, {10, 9}}
        assert.are.equal("1: [abcde]f[gh]ij\n", marked(with_matches("abcdefghij", spans)))
        assert.are.equal("1: [abc]\n", marked(with_matches("abc", {{1, 3}, {2, 2}, {1, 0}})))
    end)

    it("never cuts a UTF-8 character", function()
        -- "ö" is bytes 2..3 of "Söderström"; a span that ends or starts inside it is widened
        assert.are.equal("1: S[ö]derström\n", marked(with_matches("Söderström", {{3, 3}})))
        assert.are.equal("1: [Sö]derström\n", marked(with_matches("Söderström", {{1, 2}})))
        local rs = db:search("ö")
        assert.is_true(#rs > 0)
        assert.is_not_nil(rs:format("plain", {highlight = true}):find(ANSI_ON .. "ö" .. ANSI_OFF, 1, true))
    end)

    it("marks the matches of several match steps", function()
        local rs = db:query():match("Gos"):match("sling"):limit(1):run()
        assert.are.equal(count(rs[1].fact.text, "Gosling"), count(marked(rs), "[Gosling]"))
    end)

    it("clamps spans to the text", function()
        assert.are.equal("1: ab[c]\n", marked(with_matches("abc", {{3, 9}})))
    end)
end)

describe("the markdown formatter", function()
    it("writes a list item per hit", function()
        local rs = db:search("Mulligan")
        local lines = lines_of(rs:format("markdown"))
        assert.are.equal(#rs, #lines)
        for i, hit in ipairs(rs) do
            assert.truthy(lines[i]:find("^%- " .. hit.id .. ": "))
        end
        assert.is_nil(rs:format("markdown"):find("**", 1, true))
    end)

    it("makes matches bold with highlight", function()
        local rs = db:search("Mulligan")
        assert.are.equal(rs:count(), count(rs:format("markdown", {highlight = true}), "**Mulligan**"))
    end)

    it("escapes Markdown syntax and keeps a fact on one line", function()
        local rs = with_matches("a *b* _c_ [d](e) <f> `g` \\ & #h\n# heading\n1. item", {{3, 5}})
        local text = rs:format("markdown", {highlight = true})
        assert.are.equal(
            "- 1: a **\\*b\\*** \\_c\\_ \\[d\\](e) \\<f\\> \\`g\\` \\\\ \\& \\#h \\# heading 1. item\n", text)
    end)

    it("keeps whitespace out of the bold markers", function()
        assert.are.equal("- 1: a **b** c\n", with_matches("a b c", {{2, 4}}):format("markdown", {highlight = true}))
        assert.are.equal("- 1: a\t**b** c\n", with_matches("a\tb\nc", {{2, 4}}):format("markdown", {highlight = true}))
        assert.are.equal("- 1: a \tc\n", with_matches("a \tc", {{2, 3}}):format("markdown", {highlight = true}))
    end)

    -- A vertical tab or form feed shows as its control picture, which is
    -- no space: it goes inside the markers, never raw.
    it("shows a control at a match's edge visibly, inside the markers", function()
        assert.are.equal("- 1: a **\226\144\139b\226\144\140** c\n",
            with_matches("a \vb\f c", {{2, 6}}):format("markdown", {highlight = true}))
    end)
end)

describe("the json formatter", function()
    it("writes one object per hit that decodes back to the hit", function()
        local rs = db:search([[\bRefn\b]])
        local lines = lines_of(rs:format("json"))
        assert.are.equal(#rs, #lines)
        for i, hit in ipairs(rs) do
            local object = cjson.decode(lines[i])
            assert.are.equal(hit.id, object.id)
            assert.are.equal(hit.fact.text, object.text)
            assert.are.equal(#hit.matches, #object.matches)
            for j, m in ipairs(hit.matches) do
                assert.are.same({s = m.s, e = m.e, text = m.text}, object.matches[j])
            end
        end
    end)

    it("writes the keys in a fixed order", function()
        local line = lines_of(db:search("Hugh Jackman"):format("json"))[1]
        assert.truthy(line:match('^{"id":%d+,"text":".*","matches":%[{"s":%d+,"e":%d+,"text":"Hugh Jackman"}%]}$'))
    end)

    it("writes an empty matches list as [] and slashes unescaped", function()
        local rs = with_matches([[a/b "quoted" \/ tab	é]], {})
        local line = rs:format("json")
        assert.truthy(line:find('"matches":[]', 1, true))
        assert.truthy(line:find("a/b", 1, true))
        local object = cjson.decode(line)
        assert.are.equal([[a/b "quoted" \/ tab	é]], object.text)
        assert.are.equal(0, #object.matches)
    end)

    it("adds a leading section field when asked", function()
        local line = lines_of(db:search("Hugh"):format("json", {section = "Cast"}))[1]
        assert.truthy(line:find('^{"section":"Cast","id":'))
        assert.are.equal("Cast", cjson.decode(line).section)
    end)

    it("writes nothing for an empty result set", function()
        assert.are.equal("", db:search("no such thing"):format("json"))
    end)
end)

describe("the csv formatter", function()
    it("round-trips through an RFC 4180 parser", function()
        local rs = db:search("the", "i")
        formats.expect_csv_of(rs, rs:format("csv"), {crlf = true})
    end)

    it("quotes fields with quotes, commas and line breaks", function()
        local small = assert(df.from_string('plain\n\nsays "hi", twice\nand more\n\ncomma, only'))
        local rs = small:query():run()
        -- a hit of our own for a carriage return, which loading would not keep;
        -- it is shown visibly (U+240D), as every control character
        rs[4] = {id = 4, fact = {id = 4, text = "carriage\rreturn"}, matches = {}}
        local text = rs:format("csv")
        assert.are.equal('id,text,matches\r\n1,plain,0\r\n2,"says ""hi"", twice\nand more",0\r\n'
            .. '3,"comma, only",0\r\n4,carriage\226\144\141return,0\r\n', text)
        local records = parse_csv(text)
        for i = 1, 3 do assert.are.equal(rs[i].fact.text, records[i + 1][2]) end
        assert.are.equal("carriage\226\144\141return", records[5][2])
    end)

    it("ends every record, the last one too, with CRLF", function()
        local text = db:search("Gosling"):format("csv")
        assert.truthy(text:find("\r\n$"))
        assert.are.equal(#db:search("Gosling") + 1, count(text, "\r\n"))
    end)

    it("adds a section column and leaves out the header when asked", function()
        local rs = db:search("Hugh")
        local records = parse_csv(rs:format("csv", {section = "Cast, main", header = false}))
        assert.are.equal(#rs, #records)
        for i, record in ipairs(records) do
            assert.are.same({"Cast, main", tostring(rs[i].id), rs[i].fact.text, tostring(#rs[i].matches)}, record)
        end
        local header = parse_csv(db:search("Hugh"):format("csv", {section = "x"}))[1]
        assert.are.same({"section", "id", "text", "matches"}, header)
    end)

    it("writes only the header for an empty result set", function()
        assert.are.equal("id,text,matches\r\n", db:search("no such thing"):format("csv"))
    end)
end)

describe("the html formatter", function()
    it("lists hits by id with every match in a closed <mark>", function()
        local rs = db:search("Gosling|Refn")
        local html = rs:format("html")
        assert.truthy(html:find('^<ol class="drivefacts%-results">\n'))
        assert.are.equal(#rs, count(html, "<li value="))
        assert.is_true(tags_balanced(html, "mark"))
        assert.are.equal(count(html, "<mark>"), count(html, "</mark>"))
        assert.is_true(count(html, "<mark>") > 0)
        for hit in rs:each() do
            assert.truthy(html:find('<li value="' .. hit.id .. '">', 1, true))
        end
    end)

    it("leaves matches unmarked with highlight = false", function()
        local rs = db:search("Gosling")
        assert.is_nil(rs:format("html", {highlight = false}):find("<mark>", 1, true))
    end)

    it("escapes the text: no character of a fact is taken for markup", function()
        local nasty = [[<script>alert("x")</script> & 'quotes' <b>]]
        local html = with_matches(nasty, {{2, 7}}):format("html")
        assert.is_nil(html:find("<script", 1, true))
        assert.is_nil(html:find("<b>", 1, true))
        local escaped = "&lt;<mark>script</mark>&gt;alert(&quot;x&quot;)&lt;/script&gt;"
            .. " &amp; &#39;quotes&#39; &lt;b&gt;"
        assert.truthy(html:find(escaped, 1, true))
    end)

    it("leaves no raw '<' from the corpus: every tag is one of its own", function()
        local html = db:query():match("a"):run():format("html")
        for tag in html:gmatch("<(/?[%w!]*)") do
            assert.truthy(({ol = 1, ["/ol"] = 1, li = 1, ["/li"] = 1, mark = 1, ["/mark"] = 1})[tag], tag)
        end
        assert.is_true(tags_balanced(html, "mark"))
    end)

    it("makes a standalone page with a doctype, viewport and no external resources", function()
        local page = db:search("Gosling"):format("html", {standalone = true, title = "Gosling & co"})
        assert.truthy(page:find("^<!DOCTYPE html>\n"))
        assert.truthy(page:find('<meta charset="utf-8">', 1, true))
        assert.truthy(page:find('<meta name="viewport" content="width=device-width, initial-scale=1">', 1, true))
        assert.truthy(page:find("<title>Gosling &amp; co</title>", 1, true))
        assert.truthy(page:find("<style>", 1, true))
        assert.truthy(page:find("</html>\n$"))
        assert.is_nil(page:find("src=", 1, true))
        assert.is_nil(page:find("<link", 1, true))
        assert.is_nil(page:find("https?://"))
        assert.is_nil(page:find("@import", 1, true))
    end)
end)

describe("the formatter registry", function()
    after_each(function()
        df.formatters.count_only = nil
        df.formatters.broken = nil
    end)

    it("holds the built-ins", function()
        for _, name in ipairs({"plain", "markdown", "json", "csv", "html"}) do
            assert.is_function(df.formatters[name])
        end
    end)

    it("registers a formatter usable by rs:format and df.format", function()
        df.register_formatter("count_only", function(rs, opts)
            return ("%s%d/%d"):format(opts.prefix or "", #rs, rs:count())
        end)
        local rs = db:search("Gosling")
        assert.are.equal(("%d/%d"):format(#rs, rs:count()), rs:format("count_only"))
        assert.are.equal(("n=%d/%d"):format(#rs, rs:count()), df.format(rs, "count_only", {prefix = "n="}))
    end)

    it("validates what is registered", function()
        assert.has_error(function() df.register_formatter(1, print) end,
            "bad argument #1 to 'register_formatter' (string expected, got number)")
        assert.has_error(function() df.register_formatter("", print) end,
            "bad argument #1 to 'register_formatter' (formatter name is empty)")
        assert.has_error(function() df.register_formatter("x", "fn") end,
            "bad argument #2 to 'register_formatter' (function expected, got string)")
    end)

    it("raises for unknown names, listing the known ones", function()
        assert.has_error(function() df.format(db:search("a"), "yaml") end,
            "bad argument #2 to 'format' (unknown formatter 'yaml'; known: csv, html, json, markdown, plain)")
        assert.has_error(function() df.format("not a result set", "plain") end,
            "bad argument #1 to 'format' (result set expected, got string)")
    end)

    it("raises when a formatter returns something else than a string", function()
        df.register_formatter("broken", function() return 42 end)
        assert.has_error(function() db:search("a"):format("broken") end,
            "formatter 'broken' returned number, expected a string")
    end)
end)

describe("multi-line facts and control characters", function()
    -- A poem, ASCII art (leading spaces, a line that reads like a fact
    -- start) and a fact with ESC, CR, NUL, DEL and a C1 control.
    local TEXT = "Roses are red,\n  violets are blue.\n%\n"
        .. "/\\_/\\\n  ( o.o )\n3: 1 to screw it in\n\n   > ^ <\n%\n"
        .. "bold \27[1mtext\27[0m\rover\0written\127 and \194\133 next\n"
    local fortunes = assert(df.from_string(TEXT, {format = "fortune"}))
    local rs = fortunes:search("red|o\\.o|text")
    local CONTROLS = "[%z\1-\8\11-\31\127]"

    it("plain: a line starting with 'N:' is always the start of fact N", function()
        for _, opts in ipairs{{}, {highlight = true}} do
            local out = rs:format("plain", opts)
            local starts = {}
            for line in out:gmatch("[^\n]+") do
                local id = line:match("^(%d+):")
                if id then starts[#starts + 1] = tonumber(id) end
                assert.truthy(id or line:match("^ "), line)
            end
            assert.are.same({1, 2, 3}, starts)
            assert.truthy(out:find("\n     ( o.o )\n   3: 1 to screw it in\n\n      > ^ <\n", 1, true)
                or opts.highlight)
        end
    end)

    it("plain, markdown, csv and html show control characters visibly", function()
        for _, name in ipairs{"plain", "markdown", "csv", "html"} do
            local out = rs:format(name, {highlight = true})
            if name == "plain" then out = out:gsub("\27%[1;31m", ""):gsub("\27%[0m", "") end
            if name == "csv" then out = out:gsub("\r\n", "\n") end  -- RFC 4180's record ends
            assert.is_nil(out:find(CONTROLS), name)
            assert.truthy(out:find("\226\144\155", 1, true), name)         -- ESC as U+241B
            assert.truthy(out:find("\226\144\141over", 1, true), name)    -- CR as U+240D
            assert.truthy(out:find("\226\144\128written\226\144\161", 1, true), name) -- NUL, DEL
            assert.truthy(out:find("<U+0085>", 1, true) or out:find("&lt;U+0085&gt;", 1, true)
                or out:find("\\<U+0085\\>", 1, true), name)
        end
        -- JSON escapes them: the text decodes to the fact's own.
        local line = rs:format("json"):match("[^\n]*\n[^\n]*\n([^\n]*)")
        assert.are.equal(fortunes[3].text, cjson.decode(line).text)
    end)

    it("html keeps line breaks and spacing in a <pre> of the fact", function()
        local out = rs:format("html", {standalone = true})
        assert.truthy(out:find('<li value="2"><pre class="fact">/\\_/\\\n  ( <mark>o.o</mark> )\n'
            .. "3: 1 to screw it in\n\n   &gt; ^ &lt;</pre></li>", 1, true))
        assert.truthy(out:find("pre.fact {", 1, true))
        -- A one-line fact stays inline.
        local one = fortunes:search("bold"):format("html")
        assert.is_nil(one:find("<pre", 1, true))
    end)
end)

describe("lua-cjson", function()
    it("is loaded only when JSON is written", function()
        -- A child interpreter in which cjson cannot load: everything but JSON works.
        local files, cli = require "support.files", require "support.cli"
        local script = os.tmpname()
        files.spit(script, [[
            package.preload.cjson = function() error("no cjson here", 0) end
            local df = require "drivefacts"
            local rs = df.open():search("Gosling")
            io.write(#rs:format("plain") > 0 and "plain " or "", rs:format("csv"):sub(1, 15), " ")
            io.write(select(2, pcall(rs.format, rs, "json")))
        ]])
        local pipe = assert(io.popen(files.shell_quote(cli.interpreter()) .. " " .. files.shell_quote(script)))
        local output = pipe:read("*a")
        pipe:close()
        os.remove(script)
        assert.are.equal("plain id,text,matches no cjson here", output)
    end)
end)
