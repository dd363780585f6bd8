--- Charts: facts counted by group, drawn as an inline SVG bar chart, a
-- Markdown table or plain text.
--
--    local chart = require "drivefacts.chart"   -- also df.chart
--    local groups = chart.count(db:search("night", "i"), "tag", {top = 10})
--    print(chart.text(groups, {title = "Night facts per tag"}))
--    local svg = chart.svg(groups, {title = "Night facts per tag"})
--
-- The report uses it for the overview of the default report and for
-- sections with a `chart` field (see `drivefacts.report`); a formatter
-- registered with `df.register_formatter` can use it the same way.
--
-- Groups (`group_by`):
--
-- * `"tag"`, `"entity"`, `"source"`: a fact counts once under each of its
--   tags, each entity it mentions, its source;
-- * `"kind"`: once under each kind of entity it mentions;
-- * `"year"`: once under each year it names, in year order; years are put
--   in spans (decades, centuries) when there are too many for a chart, and
--   the spans between are shown, empty or not;
-- * `"length"`: its length in characters, in spans of equal width in
--   length order; the last span is open ("500+") so that a few very long
--   facts do not squeeze the rest;
-- * `"field:NAME"` or `{field = "NAME"}`: once under the value of its field
--   NAME (`fact.fields.NAME`; each item of a list value);
-- * a function `fn(fact)`: once under each key it returns (a string or
--   number, a list of them, or nil for none).
--
-- A chart is bounded whatever the corpus: it draws at most `top` groups
-- (the largest; default 10) and says how many it leaves out.
-- @module drivefacts.chart

local check = require "drivefacts.check"
local db_module = require "drivefacts.db"
local escape = require "drivefacts.escape"
local query = require "drivefacts.query"

local chart = {}

--- The groups most charts draw, largest first.
chart.TOP = 10

-- The most bars a chart of ordered spans (years, lengths) draws.
local MAX_SPANS = 12

-- Widths of spans, "round" numbers a reader takes in at a glance.
local ROUND = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000}

local function round_width(span, spans)
    for _, width in ipairs(ROUND) do
        if span / width <= spans then return width end
    end
    local width = ROUND[#ROUND]
    while span / width > spans do width = width * 10 end
    return width
end

-- UTF-8 characters of a valid UTF-8 string.
local function characters(s)
    return (select(2, s:gsub("[^\128-\191]", "")))
end

-- The first n characters of s, or its last n with `from_end`.
local function take_characters(s, n, from_end)
    local chars = {}
    for c in s:gmatch("[^\128-\191][\128-\191]*") do chars[#chars + 1] = c end
    if from_end then
        return table.concat(chars, "", #chars - n + 1, #chars)
    end
    return table.concat(chars, "", 1, n)
end

-- Every fact of what was given: a db, a query (run here), a result set
-- (hits with .fact) or a list of facts.
local function facts_of(source, pos)
    local list = {}
    if db_module.is_db(source) then
        for _, f in source:facts() do list[#list + 1] = f end
        return list, source
    elseif query.is_query(source) then
        source = source:run()
    end
    check.type(source, "table", pos)
    for i, item in ipairs(source) do
        list[i] = item.fact or item
    end
    return list, list[1] and list[1].db
end

local function add_key(keys, key)
    if key ~= nil then keys[#keys + 1] = key end
end

-- A field's value as keys: each item of a list, else the value.
local function value_keys(value)
    local keys = {}
    if type(value) == "table" then
        for _, item in ipairs(value) do add_key(keys, item) end
    else
        add_key(keys, value)
    end
    return keys
end

local function field_keys(name)
    return function(f)
        local fields, value = f.fields, nil
        if type(fields) == "table" then value = fields[name] end
        return value_keys(value)
    end
end

-- What each group_by names: keys(fact) and how the groups are ordered;
-- nil and a message for a group_by that names nothing.  `db` is that of
-- the facts (for the kinds of entities).
local function grouping(group_by, db)
    if type(group_by) == "function" then
        return {keys = function(f) return value_keys(group_by(f)) end, noun = "group"}
    elseif type(group_by) == "table" then
        if type(group_by.field) ~= "string" or group_by.field == "" then
            return nil, "group_by: {field = NAME} needs a field name"
        end
        return {keys = field_keys(group_by.field), noun = group_by.field}
    elseif type(group_by) ~= "string" then
        return nil, "group_by: string, {field = NAME} or function expected, got " .. check.typename(group_by)
    end
    local field = group_by:match("^field:(.+)$")
    if field then return {keys = field_keys(field), noun = field} end
    if group_by == "tag" then
        return {keys = function(f) return f.tags end, noun = "tag"}
    elseif group_by == "entity" then
        return {keys = function(f) return f.entities end, noun = "entity"}
    elseif group_by == "source" then
        return {keys = function(f) return {f.source} end, noun = "source", cut_start = true,
                relative = true}
    elseif group_by == "year" then
        return {keys = function(f) return f.years end, noun = "year", numeric = true,
                title = "Facts by the years they name"}
    elseif group_by == "length" then
        return {keys = function(f) return {characters(f.text)} end, noun = "length", numeric = true,
                open_top = true, title = "Facts by length in characters"}
    elseif group_by == "kind" then
        local kind_of = {}
        for _, entity in ipairs(db and db:entities() or {}) do kind_of[entity.name] = entity.kind end
        return {noun = "kind", title = "Facts per entity kind", keys = function(f)
            local kinds, seen = {}, {}
            for _, name in ipairs(f.entities) do
                local kind = kind_of[name]
                if kind and not seen[kind] then seen[kind], kinds[#kinds + 1] = true, kind end
            end
            return kinds
        end}
    end
    return nil, ("group_by: unknown group '%s'; known: %s"):format(
        group_by, "tag, entity, kind, source, year, length, field:NAME")
end

-- The smallest value that at least a fraction p of the counted facts
-- reach (values ascending, counts[value] facts each).
local function percentile(values, counts, p)
    local total = 0
    for _, value in ipairs(values) do total = total + counts[value] end
    local seen = 0
    for _, value in ipairs(values) do
        seen = seen + counts[value]
        if seen >= p * total then return value end
    end
    return values[#values]
end

-- The spans of one round width that numeric keys fall in (counts[value]:
-- the facts with that value); `open_top`: a last span "N+" from the 95th
-- percentile up.  Returns the groups (with count 0) and the function that
-- gives a value's group number.
local function spans(counts, how)
    local values = {}
    for value in pairs(counts) do values[#values + 1] = value end
    table.sort(values)
    if #values == 0 then return {}, nil end
    local low, high = values[1], values[#values]
    if how.open_top then
        high = percentile(values, counts, 0.95)
    end
    local width = round_width(high - low + 1, MAX_SPANS)
    local first = math.floor(low / width) * width
    local last = math.floor(high / width) * width
    local groups = {}
    for start = first, last, width do
        local label = width == 1 and tostring(start) or ("%d\226\128\147%d"):format(start, start + width - 1)
        groups[#groups + 1] = {label = label, count = 0, low = start, high = start + width - 1}
    end
    if how.open_top and values[#values] > groups[#groups].high then
        local start = groups[#groups].high + 1
        groups[#groups + 1] = {label = ("%d+"):format(start), count = 0, low = start, high = math.huge}
    end
    return groups, function(value)
        return math.min(#groups, math.floor((value - first) / width) + 1)
    end, first, width
end

-- A fact's keys, each once, as strings (numbers for numeric groups);
-- keys that are neither are left out.
local function fact_keys(how, f)
    local keys, seen = {}, {}
    for _, key in ipairs(how.keys(f) or {}) do
        if how.numeric then
            key = tonumber(key)
        elseif type(key) == "number" or type(key) == "boolean" then
            key = tostring(key)
        end
        if (type(key) == "string" or type(key) == "number") and not seen[key] then
            seen[key], keys[#keys + 1] = true, key
        end
    end
    return keys
end

-- Labels of paths made relative to the directory all the paths (`keys`)
-- share, if any: "de/zitate" reads better than the path to it.  Each
-- group keeps the whole path as `key`.  Returns the directory, or nil.
local function relative_labels(groups, keys)
    local directory = keys[1] and keys[1]:match("^(.*/)") or nil
    for _, key in ipairs(keys) do
        while directory and key:sub(1, #directory) ~= directory do
            directory = directory:sub(1, -2):match("^(.*/)")
        end
    end
    if directory == nil then return nil end
    for _, g in ipairs(groups) do
        g.key, g.label = g.label, g.label:sub(#directory + 1)
    end
    return directory
end

-- The lengths or years of every fact of a db, as the loop of
-- `chart.try_count` counts them, from counts made in C without a fact
-- object per fact.
local function db_spans(db, group_by)
    local how = grouping(group_by, db)
    local counts, without = db_module.numeric_counts(db, group_by)
    local groups, _, first, width = spans(counts, how)
    if #groups > 0 then
        for i, count in ipairs(db_module.numeric_counts(db, group_by, first, width, #groups)) do
            groups[i].count = count
        end
    end
    groups.facts, groups.without, groups.groups = #db, without, #groups
    groups.noun, groups.title = how.noun, how.title
    return groups
end

--- Count facts by group.
-- @param facts a db (all its facts), a query (run here), a result set or
--   a list of facts
-- @param group_by `"tag"`, `"entity"`, `"kind"`, `"source"`, `"year"`,
--   `"length"`, `"field:NAME"`, `{field = NAME}` or `function(fact)` (see the
--   module description)
-- @tparam[opt] table opts `top`: draw at most this many groups, the
--   largest (default `chart.TOP`; spans of years and lengths are all kept)
-- @treturn table the groups, `{ {label =, count =}... }`, largest first
--   (in order for years and lengths), with fields `facts` (the facts
--   counted), `without` (those in no group), `groups` (how many groups
--   there were before `top`), `noun` (what a group is: "tag"...), `title`
--   (what the chart shows: "Facts per tag", "Facts by length in
--   characters") and
--   `cut_start` (labels are long paths, best shortened at their start);
--   for sources, `directory`: the directory all sources share, left out of
--   the labels (each group keeps the whole path as `key`)
function chart.count(facts, group_by, opts)
    check.opt_type(opts, "table", 3)
    local groups, reason = chart.try_count(facts, group_by, opts)
    if groups == nil then check.arg_error(reason:match("^top:") and 3 or 2, reason) end
    return groups
end

--- `chart.count` for callers who name the faulty part themselves (the
-- report names the section): the groups, or nil and a message that starts
-- with the option at fault ("group_by: ...", "top: ...").
-- @param facts as for `chart.count`
-- @param group_by as for `chart.count`
-- @tparam[opt] table opts as for `chart.count`
-- @param[opt] db the facts' db, when it cannot be told from them (no facts)
-- @treturn ?table groups
-- @treturn ?string the message
function chart.try_count(facts, group_by, opts, db)
    local top = opts and opts.top or chart.TOP
    if type(top) ~= "number" or top < 1 or top ~= math.floor(top) then
        return nil, "top: positive integer expected, got " .. tostring(top)
    end
    if db_module.is_db(facts) and (group_by == "length" or group_by == "year") then
        return db_spans(facts, group_by)
    end
    local list, facts_db = facts_of(facts, 1)
    local how, reason = grouping(group_by, db or facts_db)
    if how == nil then return nil, reason end
    local counts, order, without, keys_of = {}, {}, 0, {}
    for i, f in ipairs(list) do
        local keys = fact_keys(how, f)
        if #keys == 0 then without = without + 1 end
        for _, key in ipairs(keys) do
            if counts[key] == nil then counts[key], order[#order + 1] = 0, key end
            counts[key] = counts[key] + 1
        end
        if how.numeric then keys_of[i] = keys end
    end
    local groups
    if how.numeric then
        -- Each fact once per span, however many of its values fall in it.
        local index
        groups, index = spans(counts, how)
        for _, keys in ipairs(keys_of) do
            local seen = {}
            for _, key in ipairs(keys) do
                local i = index(key)
                if not seen[i] then seen[i], groups[i].count = true, groups[i].count + 1 end
            end
        end
    else
        groups = {}
        for i, key in ipairs(order) do groups[i] = {label = key, count = counts[key]} end
        table.sort(groups, function(x, y)
            if x.count ~= y.count then return x.count > y.count end
            return x.label < y.label
        end)
        for i = #groups, top + 1, -1 do groups[i] = nil end
    end
    groups.facts, groups.without, groups.groups = #list, without, #order
    groups.noun, groups.cut_start = how.noun, how.cut_start
    groups.title = how.title or ("Facts per " .. how.noun)
    if how.numeric then groups.groups = #groups end
    if how.relative then groups.directory = relative_labels(groups, order) end
    return groups
end

--- Groups from counts already made, such as `db:tags()` and
-- `db:entities()` give (`{ {name =, count =}... }`), without reading a
-- fact: the `top` largest (default `chart.TOP`) of those counting any.
-- @tparam table counts `{ {name =, count =}... }`
-- @tparam string noun what a group is ("tag")
-- @tparam[opt] table opts `top`
-- @treturn table groups as `chart.count` gives them (`facts` and
--   `without` unknown: nil)
function chart.from_counts(counts, noun, opts)
    check.type(counts, "table", 1)
    check.type(noun, "string", 2)
    check.opt_type(opts, "table", 3)
    local top = opts and opts.top or chart.TOP
    local groups = {}
    for _, item in ipairs(counts) do
        if item.count > 0 then groups[#groups + 1] = {label = item.name, count = item.count} end
    end
    table.sort(groups, function(x, y)
        if x.count ~= y.count then return x.count > y.count end
        return x.label < y.label
    end)
    local total = #groups
    for i = #groups, top + 1, -1 do groups[i] = nil end
    groups.groups, groups.noun, groups.title = total, noun, "Facts per " .. noun
    return groups
end

-- The longest label a chart draws in full, in characters.
local MAX_LABEL = 22

local function short_label(label, cut_start)
    label = escape.visible(label)
    if characters(label) <= MAX_LABEL then return label end
    if cut_start then
        return "\226\128\166" .. take_characters(label, MAX_LABEL - 1, true)
    end
    return take_characters(label, MAX_LABEL - 1) .. "\226\128\166"
end

local function plural(n, noun)
    return ("%d %s"):format(n, n == 1 and noun or noun .. "s")
end

local function noun_plural(noun)
    if noun:match("[^aeiou]y$") then return noun:sub(1, -2) .. "ies" end
    return noun .. "s"
end

--- What a chart leaves out, in words, or nil: "top 10 of 57 tags".
-- @tparam table groups from `chart.count`
-- @treturn ?string
function chart.note(groups)
    if groups.groups > #groups then
        return ("top %d of %d %s"):format(#groups, groups.groups, noun_plural(groups.noun or "group"))
    end
end

-- The title of a chart in words, with every number, for those who do not
-- see it: screen readers (aria-label) and text browsers.
local function summary(groups, title)
    local items = {}
    for i, g in ipairs(groups) do items[i] = ("%s: %d"):format(escape.visible(g.label), g.count) end
    local note = chart.note(groups)
    return ("%s%s. %s."):format(title, note and (" (" .. note .. ")") or "",
        #items > 0 and table.concat(items, "; ") or "none")
end

-- Layout of a bar chart, in SVG user units (the page scales them).
local WIDTH, ROW, BAR, PAD, CHAR = 360, 22, 15, 6, 7.8

--- An SVG bar chart: one row per group, its label, a bar and the count.
-- The SVG stands alone (no script, font or style from elsewhere; colours
-- as attributes that a page's CSS may override through the classes
-- `bar`, `label` and `value`), scales to its container, and carries its
-- numbers as text: every row has its label and count as `<text>` and a
-- `<title>`, the whole chart an `aria-label` and `<title>` listing them.
-- @tparam table groups from `chart.count`
-- @tparam table opts `title`: what the chart shows ("Facts per tag"),
--   required; `class`: more classes for the `<svg>` element
-- @treturn string the `<svg>` element
function chart.svg(groups, opts)
    check.type(groups, "table", 1)
    check.type(opts, "table", 2)
    local title = check.type(opts.title, "string", 2)
    local labels, longest = {}, 1
    for i, g in ipairs(groups) do
        labels[i] = short_label(g.label, groups.cut_start)
        longest = math.max(longest, characters(labels[i]))
    end
    local most = 1
    for _, g in ipairs(groups) do most = math.max(most, g.count) end
    local label_width = math.floor(longest * CHAR + PAD * 2)
    local value_width = #tostring(most) * CHAR + PAD * 2
    local bar_space = WIDTH - label_width - value_width
    local height = math.max(1, #groups) * ROW + PAD
    local name = escape.html(summary(groups, title))
    local out = {
        ('<svg xmlns="http://www.w3.org/2000/svg" class="chart%s" role="img" viewBox="0 0 %d %d" '
            .. 'width="%d" height="%d" aria-label="%s" font-family="system-ui, sans-serif" '
            .. 'font-size="13">\n'):format(
            opts.class and (" " .. escape.html(opts.class)) or "", WIDTH, height, WIDTH, height, name),
        "<title>" .. name .. "</title>\n",
    }
    for i, g in ipairs(groups) do
        local y = PAD + (i - 1) * ROW
        local bar = g.count > 0 and math.max(1, math.floor(bar_space * g.count / most + 0.5)) or 0
        out[#out + 1] = ('<g class="row"><title>%s: %d</title>'
            .. '<text class="label" x="%d" y="%d" text-anchor="end" fill="currentColor">%s</text>'
            .. '<rect class="bar" x="%d" y="%d" width="%d" height="%d" fill="#4f7fbf"></rect>'
            .. '<text class="value" x="%d" y="%d" fill="currentColor">%d</text></g>\n'):format(
            escape.html(escape.visible(g.label)), g.count,
            label_width - PAD, y + BAR - 3, escape.html(labels[i]),
            label_width, y, bar, BAR,
            label_width + bar + PAD / 2, y + BAR - 3, g.count)
    end
    out[#out + 1] = "</svg>"
    return table.concat(out)
end

local function heading(noun)
    return (noun:gsub("^%l", string.upper))
end

--- A Markdown table of the groups: a header row, then one row per group.
-- @tparam table groups from `chart.count`
-- @tparam[opt] table opts `unit`: the column of counts ("Facts")
-- @treturn string the table, each row ending in a newline
function chart.markdown(groups, opts)
    check.type(groups, "table", 1)
    check.opt_type(opts, "table", 2)
    local unit = opts and opts.unit or "Facts"
    local cell = function(s) return escape.markdown(escape.visible(s)) end
    local out = {("| %s | %s |\n| --- | ---: |\n"):format(cell(heading(groups.noun or "group")), cell(unit))}
    for _, g in ipairs(groups) do
        out[#out + 1] = ("| %s | %d |\n"):format(cell(g.label), g.count)
    end
    return table.concat(out)
end

-- The widest bar of a text chart, in characters.
local TEXT_BAR = 30

--- Plain text: one line per group, its label, its count and a bar of `#`.
-- @tparam table groups from `chart.count`
-- @treturn string the lines, each ending in a newline
function chart.text(groups)
    check.type(groups, "table", 1)
    local labels, longest, most = {}, 0, 1
    for i, g in ipairs(groups) do
        labels[i] = short_label(g.label, groups.cut_start)
        longest = math.max(longest, characters(labels[i]))
        most = math.max(most, g.count)
    end
    local digits = #tostring(most)
    local out = {}
    for i, g in ipairs(groups) do
        local bar = g.count > 0 and math.max(1, math.floor(TEXT_BAR * g.count / most + 0.5)) or 0
        out[i] = ("  %s%s  %" .. digits .. "d %s\n"):format(labels[i],
            (" "):rep(longest - characters(labels[i])), g.count, ("#"):rep(bar))
    end
    return table.concat(out)
end

return check.export(chart)
