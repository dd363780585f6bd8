-- Readers of the charts a report draws, as a person or a program sees
-- them: the bars of each SVG figure of an HTML page (label and count as
-- drawn text, and as the row's <title>), and the tables of a Markdown
-- document.  Each raises on a chart whose parts disagree.

local assert = require "luassert"
local formats = require "support.formats"

local M = {}

local ENTITIES = {amp = "&", lt = "<", gt = ">", quot = '"', ["#39"] = "'"}

local function unescape(s)
    return (s:gsub("&(#?%w+);", ENTITIES))
end

local function strip_tags(s)
    return unescape(s:gsub("<[^>]*>", ""))
end

--- The figures of an HTML page: `{ {caption =, aria =, title =, rows =
-- { {label =, full =, count =}... }}... }` in page order; `label` is the
-- drawn label, `full` the row title's.
function M.svg_figures(page)
    local figures = {}
    for fig_caption, svg in page:gmatch('<figure class="chart">\n<figcaption>(.-)</figcaption>\n(<svg.-</svg>)\n</figure>') do
        local figure = {caption = strip_tags(fig_caption), rows = {}}
        figure.aria = unescape(assert(svg:match('aria%-label="([^"]*)"'), "chart without aria-label"))
        figure.title = unescape(assert(svg:match("^<svg[^>]*>\n<title>(.-)</title>"), "chart without title"))
        for row in svg:gmatch('<g class="row">(.-)</g>') do
            local full, count = row:match("^<title>(.*): (%d+)</title>")
            local label = row:match('<text class="label"[^>]*>(.-)</text>')
            local value = row:match('<text class="value"[^>]*>(%d+)</text>')
            assert(full and label and value, "malformed row: " .. row)
            assert(count == value, ("row %s: title says %s, text %s"):format(full, count, value))
            figure.rows[#figure.rows + 1] = {label = unescape(label), full = unescape(full),
                                             count = tonumber(value)}
        end
        figures[#figures + 1] = figure
    end
    return figures
end

--- The tables of a Markdown document under a bold caption:
-- `{ {caption =, header = {group, unit}, rows = { {label =, count =}... }}... }`.
function M.markdown_tables(text)
    local tables, pos = {}, 1
    while true do
        local md_caption, head, after = text:match(
            "\n%*%*([^\n]-)%*%*\n\n(| [^\n]* |)\n| %-%-%- | %-%-%-: |\n()", pos)
        if not md_caption then return tables end
        local t = {caption = md_caption:gsub("\\(.)", "%1"), rows = {}}
        t.header = {head:match("^| (.-) | (.-) |$")}
        pos = after
        while true do
            local label, count, next_line = text:match("^| (.-) | (%d+) |\n()", pos)
            if not label then break end
            t.rows[#t.rows + 1] = {label = label:gsub("\\(.)", "%1"), count = tonumber(count)}
            pos = next_line
        end
        tables[#tables + 1] = t
    end
end

--- The figure (or table) whose caption starts with `prefix`, or nil.
function M.find(figures, prefix)
    for _, figure in ipairs(figures) do
        if figure.caption:sub(1, #prefix) == prefix then return figure end
    end
end

-- Tags or entities (`{name =, count =}`, from the index), as a chart of the
-- top n draws them: largest first, ties by name, none empty.
function M.top(list, n)
    local rows = {}
    for _, item in ipairs(list) do
        if item.count > 0 then rows[#rows + 1] = {label = item.name, count = item.count} end
    end
    table.sort(rows, function(x, y)
        if x.count ~= y.count then return x.count > y.count end
        return x.label < y.label
    end)
    for i = #rows, n + 1, -1 do rows[i] = nil end
    return rows
end

-- A figure's or table's rows as {label =, count =}, labels whole.
function M.rows_of(figure)
    local rows = {}
    for i, row in ipairs(figure.rows) do rows[i] = {label = row.full, count = row.count} end
    return rows
end

-- The bounds of a span's label: "a–b", "a+" or "a".
function M.span_of(label)
    local low, high = label:match("^(%d+)\226\128\147(%d+)$")
    if low then return tonumber(low), tonumber(high) end
    low = label:match("^(%d+)%+$") or label:match("^(%d+)$")
    assert(low, "not a span: " .. label)
    return tonumber(low), label:find("+", 1, true) and math.huge or tonumber(low)
end

-- values_of(fact) (a list) for every fact of db d, in id order.
function M.values(d, values_of)
    local all = {}
    for id, f in d:facts() do all[id] = values_of(f) end
    return all
end

-- How many of the lists of values (from M.values) hold one in a span.
function M.facts_in_span(values, label)
    local low, high = M.span_of(label)
    local n = 0
    for _, list in ipairs(values) do
        for _, v in ipairs(list) do
            if v >= low and v <= high then n = n + 1 break end
        end
    end
    return n
end

-- A fact's length in characters, its years: each a list of values.
function M.length_of(f) return {utf8 and utf8.len(f.text) or #f.text:gsub("[\128-\191]", "")} end
function M.years_of(f) return f.years end

local function duplicates_by_kind(d)
    local by_kind = {}
    for _, pair in ipairs(d:duplicates()) do by_kind[pair.kind] = (by_kind[pair.kind] or 0) + 1 end
    return by_kind
end

-- The overview charts of a default report against the API's counts.
function M.check_overview(d, page, markdown)
    local figures = M.svg_figures(page)
    formats.check_html(page)
    local tables = M.markdown_tables(markdown)
    assert.are.equal(#figures, #tables)
    for i, figure in ipairs(figures) do
        assert.are.equal(figure.caption, tables[i].caption)
        assert.are.same(M.rows_of(figure), tables[i].rows)
        for _, row in ipairs(figure.rows) do
            assert.truthy(figure.aria:find(("%s: %d"):format(row.full, row.count), 1, true))
        end
    end
    local tags, entities = M.top(d:tags(), 10), M.top(d:entities(), 10)
    if #tags > 0 then assert.are.same(tags, M.rows_of(M.find(figures, "Facts per tag"))) end
    if #entities > 0 then assert.are.same(entities, M.rows_of(M.find(figures, "Facts per entity"))) end
    assert.are.equal(#tags > 0, M.find(figures, "Facts per tag") ~= nil)
    assert.are.equal(#entities > 0, M.find(figures, "Facts per entity") ~= nil)
    local sum, lengths = 0, M.values(d, M.length_of)
    for _, row in ipairs(M.find(figures, "Facts by length").rows) do
        assert.are.equal(M.facts_in_span(lengths, row.label), row.count, row.label)
        sum = sum + row.count
    end
    assert.are.equal(#d, sum)
    local years, years_figure, any_year = M.values(d, M.years_of), M.find(figures, "Facts by the years"), false
    for _, list in ipairs(years) do any_year = any_year or #list > 0 end
    assert.are.equal(any_year, years_figure ~= nil)
    for _, row in ipairs(years_figure and years_figure.rows or {}) do
        assert.are.equal(M.facts_in_span(years, row.label), row.count, row.label)
    end
    local by_kind, pairs_figure = duplicates_by_kind(d), M.find(figures, "Near-duplicate pairs")
    for _, row in ipairs(pairs_figure and pairs_figure.rows or {}) do
        assert.are.equal(by_kind[row.label], row.count)
        by_kind[row.label] = nil
    end
    assert.is_nil(next(by_kind))
    return figures
end

return M
