--- Reports: several queries over one db, formatted as one document.
--
--    df.report{
--        db = db,                      -- required
--        title = "Cats",               -- default: the profile's, else "Facts report: FILE NAME"
--        format = "html",              -- any registered formatter; default "html"
--        sections = {                  -- default: report.default_sections(db)
--            {title = "Cats", query = "cats?"},                      -- pattern string
--            {title = "Dogs", query = "dogs?|puppy", flags = "i"},  -- with flags
--            {title = "Owls", query = df.regex[[\bowls?\b]]},        -- compiled regex
--            {title = "Short", query = db:query():sort_by("length"):limit(5)}, -- query, not run
--            {title = "Custom", query = function(db) return db:search("car") end},
--            {title = "Cats by tag", query = "cats?", chart = "bar", group_by = "tag"},
--            {title = "Sources", chart = "bar", group_by = "source", top = 5}, -- all facts
--        },
--        overview = true,              -- default: true for the default sections only
--        highlight = true,             -- default true; plain text: use color = true
--        max_facts = 10,               -- default: all; at most this many facts
--                                      -- per section, then "and M more"
--        duplicates = true,            -- default: when the db has at most
--                                      -- report.DUPLICATES_MAX_FACTS facts;
--                                      -- the near-duplicate chart and section
--        where = function(fact) ... end, -- default: every fact; keeps in every
--                                      -- section only the facts it returns
--                                      -- true for (the CLI's --field)
--    }
--
-- The document, by format:
--
-- * html: a standalone page: title, a table of contents linking to each
--   section with its counts, then per section a heading, the counts and the
--   results (matches in `<mark>`); a filter box narrows the listed facts as
--   one types (`drivefacts.live_filter`; without JavaScript, no box and
--   the whole report).
-- * markdown: `# title`, a contents list with counts, then per section
--   `## heading`, the counts and the result list.
-- * plain and any other registered formatter: the title and each section
--   heading underlined, the counts in the heading, then the formatter's output.
-- A section with `chart = "bar"` draws its facts counted by `group_by`
-- (any group of `drivefacts.chart.count`: "tag", "entity", "kind",
-- "source", "year", "length", "field:NAME", `{field = NAME}` or a function
-- of the fact), the `top` largest groups (default 10), instead of listing
-- them: an SVG bar chart in HTML, a table in Markdown, bars of `#` in plain
-- text and other formats; json and csv hold its facts, like any section's.
-- Without a `query`, a chart counts every fact of the db; without a
-- `title`, it is titled by what it counts ("Facts per tag").
--
-- The overview (the default report's; `overview = true` adds it to any
-- report) is a sentence on the corpus, then charts of its facts per source,
-- tag and entity, by length and year, and of its near-duplicate pairs
-- (`report.overview_charts`). The near-duplicates (that chart and the
-- default sections' best pairs) are searched when `duplicates` says so,
-- by default on a db of at most `report.DUPLICATES_MAX_FACTS` facts: that
-- search grows with the facts and how often they repeat each other, where
-- the rest of a report reads each fact a few times.  A db above the limit
-- gets a report without them, and its overview sentence says so.
--
-- With `max_facts`, each section keeps its counts (of all its facts) but
-- shows its first `max_facts` facts, then a line "and M more facts" (html,
-- markdown, plain); json and csv hold data, not prose, and just stop.
--
-- * json: JSON Lines, one object per hit of every section, each with a
--   leading "section" field holding the section title (the title of the
--   report has no place in JSON Lines and is left out; counts follow from
--   the lines).
-- * csv: one table with a leading `section` column, one header row; the
--   report title is left out.
-- @module drivefacts.report

local chart = require "drivefacts.chart"
local check = require "drivefacts.check"
local compat = require "drivefacts.compat"
local core = require "drivefacts.core"
local db_module = require "drivefacts.db"
local escape = require "drivefacts.escape"
local formatters = require "drivefacts.formatters"
local html = require "drivefacts.html"
local live_filter = require "drivefacts.live_filter"
local query = require "drivefacts.query"
local regex = require "drivefacts.regex"
local resultset = require "drivefacts.resultset"
local sink = require "drivefacts.sink"

local report = {}

-- A section of the facts that mention an entity (by any name or alias).
local function mentioning(title, name)
    return {title = title, query = function(db) return db:query():mentions(name):run() end}
end

-- Titles of entity kinds: the kind in the plural, capitalised ("author"
-- becomes "Authors"), as English spells the common cases.
local IRREGULAR_PLURALS = {person = "people", man = "men", woman = "women", child = "children"}

function report.kind_title(kind)
    local words = kind:gsub("[-_]+", " ")
    local last = words:match("(%a+)$")
    if last and IRREGULAR_PLURALS[last:lower()] then
        words = words:sub(1, #words - #last) .. IRREGULAR_PLURALS[last:lower()]
    elseif words:match("[^aeiouAEIOU]y$") then
        words = words:sub(1, -2) .. "ies"
    elseif words:match("[sxzSXZ]$") or words:match("[cCsS][hH]$") then
        words = words .. "es"
    else
        words = words .. "s"
    end
    return (words:gsub("^%l", string.upper))
end

-- The sections of the db's profile, as `profile.report` lists them.
local function profile_sections(db)
    local p = db_module.profile(db)
    local sections = {}
    for i, s in ipairs(p and p.report.sections or {}) do
        if s.entity then
            sections[i] = mentioning(s.title, s.entity)
        else
            local tag = s.tag
            sections[i] = {title = s.title, query = function(d) return d:query():tagged(tag):run() end}
        end
    end
    return sections
end

-- The most near-duplicate pairs a default report shows.
local DUPLICATE_PAIRS = 5
--- The most facts a db may have for a report to search its near-duplicates
-- unless the spec's `duplicates` says otherwise.
report.DUPLICATES_MAX_FACTS = 100000
-- The longest facts a default report shows.
local LONGEST = 5

-- The facts of the best near-duplicate pairs, pair by pair.
local function duplicates_section(db, duplicates)
    local ids, seen = {}, {}
    -- The best pairs first (given, or asked for): as many as could be
    -- needed when each repeats a fact of the one before.
    for _, pair in ipairs(duplicates or db:duplicates{limit = 2 * DUPLICATE_PAIRS}) do
        for _, id in ipairs{pair.a, pair.b} do
            if not seen[id] then seen[id], ids[#ids + 1] = true, id end
        end
        if #ids >= 2 * DUPLICATE_PAIRS then break end
    end
    return db_module.facts_of(db, ids)
end

-- Whether a report of db searches near-duplicates, as `duplicates` (the
-- spec's field, checked) says; nil: by the size of the db.
local function searches_duplicates(db, duplicates)
    if duplicates == nil then return #db <= report.DUPLICATES_MAX_FACTS end
    return duplicates
end

-- default_sections, given the db's best near-duplicate pairs when the
-- overview has them (it counts them all), else nil (the best are found);
-- without near-duplicates when with_pairs is false.
local function default_sections(db, duplicates, with_pairs)
    local sections = profile_sections(db)
    local entities = db:entities()
    local kind_of, kinds = {}, {}
    for _, entity in ipairs(entities) do
        kind_of[entity.name] = entity.kind
        if entity.count > 0 and not kinds[entity.kind] then
            kinds[entity.kind], kinds[#kinds + 1] = true, entity.kind
        end
    end
    -- A kind's facts are those that name an entity whose name is of that
    -- kind (the last entity of a name decides, as in f.entities), and a
    -- tag's those `query:tagged` keeps: both from the index's lists, not a
    -- fact object per fact per section.
    for _, kind in ipairs(kinds) do
        local members = {}
        for i, entity in ipairs(entities) do
            if kind_of[entity.name] == kind then members[#members + 1] = i end
        end
        sections[#sections + 1] = {title = report.kind_title(kind), query = function(d)
            return db_module.entity_facts(d, members)
        end}
    end
    for _, tag in ipairs(db:tags()) do
        if tag.count > 0 then
            local name = tag.name
            sections[#sections + 1] = {title = "Tag: " .. name, query = function(d)
                return db_module.tag_facts(d, name) or d:query():tagged(name):run()
            end}
        end
    end
    if #db > 0 then
        sections[#sections + 1] = {title = "Longest facts", query = function()
            return db_module.facts_of(db, db_module.longest(db, LONGEST))
        end}
        local pairs_section = with_pairs and duplicates_section(db, duplicates) or {}
        if #pairs_section > 0 then
            sections[#sections + 1] = {title = "Near-duplicates", query = function() return pairs_section end}
        end
    end
    return sections
end

--- The sections of `df.report{db = db}`, those that hold a fact: the
-- profile's own sections (none without a profile); one per entity kind
-- (the facts that mention an entity of that kind, in the order the kinds
-- first appear); one per tag (`query:tagged`); the longest facts; and the
-- facts of the best near-duplicate pairs (searched as a report's
-- `duplicates` field says).
-- @param db the db
-- @tparam[opt] boolean duplicates with the near-duplicates (default: when
--   the db has at most `report.DUPLICATES_MAX_FACTS` facts)
-- @treturn table sections
function report.default_sections(db, duplicates)
    check.opt_type(duplicates, "boolean", 2)
    return default_sections(db, nil, searches_duplicates(db, duplicates))
end

-- The kinds of near-duplicate pairs, in the order `db:duplicates` explains them.
local DUPLICATE_KINDS = {"identical", "contained", "similar"}

-- How many near-duplicate pairs there are of each kind: of `duplicates`,
-- or of all the db's pairs, streamed (no table kept per pair); and the
-- first `keep` pairs (the best), met on the way.
local function count_kinds(db, duplicates, keep)
    local by_kind, best = {}, {}
    local function count(pair)
        by_kind[pair.kind] = (by_kind[pair.kind] or 0) + 1
        if #best < keep then best[#best + 1] = pair end
    end
    if duplicates then
        for _, pair in ipairs(duplicates) do count(pair) end
    else
        for pair in db:each_duplicate() do count(pair) end
    end
    return by_kind, best
end

-- The overview's charts, given the near-duplicate pairs by kind.
local function overview_charts(db, by_kind)
    local figures = {}
    local function add(groups, title, unit)
        local shown = 0
        for _, g in ipairs(groups) do shown = shown + g.count end
        if shown > 0 then
            figures[#figures + 1] = {title = title or groups.title, groups = groups, unit = unit or "Facts"}
        end
    end
    if #db:sources() > 1 then add(chart.count(db, "source")) end
    -- Tags and entities as the index counts them, without a fact object
    -- per fact; lengths and years read each fact.
    add(chart.from_counts(db:tags(), "tag"))
    add(chart.from_counts(db:entities(), "entity"))
    for _, group_by in ipairs{"length", "year"} do add(chart.count(db, group_by)) end
    local kinds = {noun = "kind", groups = 0, facts = #db, without = 0}
    for _, kind in ipairs(DUPLICATE_KINDS) do
        if by_kind[kind] then
            kinds[#kinds + 1] = {label = kind, count = by_kind[kind]}
            kinds.groups = kinds.groups + 1
        end
    end
    add(kinds, "Near-duplicate pairs by kind", "Pairs")
    return figures
end

--- The charts of the default report's overview, those that have something
-- to show: facts per source (with more than one), per tag and per entity
-- (the `chart.TOP` largest), facts by length in characters, by the years
-- they name, and the near-duplicate pairs by kind.
-- @param db the db
-- @tparam[opt] table duplicates `db:duplicates()`, if already found (else
--   they are counted from `db:each_duplicate()`, one at a time)
-- @treturn table `{ {title =, groups = (from chart.count), unit =}... }`
function report.overview_charts(db, duplicates)
    return overview_charts(db, (count_kinds(db, duplicates, 0)))
end

local function plural(n, one, many)
    return ("%d %s"):format(n, n == 1 and one or many)
end

-- A section chosen without a regex (by tag, by entity kind, by length...)
-- has facts but no matches; "0 matches" would only puzzle the reader.
local function counts_text(section)
    local facts = plural(section.facts, "fact", "facts")
    if section.matches == 0 and section.facts > 0 then
        return facts
    end
    return facts .. ", " .. plural(section.matches, "match", "matches")
end

-- What a section summarised by max_facts leaves out.
local function more_text(section)
    return ("and %d more %s"):format(section.more, section.more == 1 and "fact" or "facts")
end

local function underline(text, char)
    return text .. "\n" .. char:rep(compat.utf8_len(text) or #text) .. "\n"
end

-- What a reader of an unknown collection wants first, one sentence: how
-- many facts, from where, and what the db knows of them.
local function overview(db, pairs_skipped)
    local bytes = db_module.bytes(db)
    local name = db_module.name(db)
    local sources = #db:sources()
    if sources > 1 then
        -- "<2 sources>" and such are the core's placeholders, said better here.
        name = name:match("^<.*>$") and ("%d sources"):format(sources)
            or ("%d sources (%s)"):format(sources, name)
    end
    local profile_name = db:profile()
    return ("%s (%s) from %s%s; %s, %s.%s"):format(
        plural(#db, "fact", "facts"), plural(bytes, "byte", "bytes"),
        name, profile_name and (", profile " .. profile_name) or "",
        plural(#db:entities(), "entity", "entities"), plural(#db:tags(), "tag", "tags"),
        pairs_skipped and (" Near-duplicates not searched: more than %d facts."):format(
            report.DUPLICATES_MAX_FACTS) or "")
end

-- Document writers: doc = {title =, overview = nil or a sentence,
-- figures = the overview's charts (`report.overview_charts`), sections =
-- {{title =, rs =, facts =, matches =}, ...}}; each puts the document
-- through `put` (see `drivefacts.sink`), and body(rs, extra_opts) puts
-- one section's results formatted with the report's formatter.
local writers = {}

-- "Facts per tag (top 10 of 29 tags)": a figure's caption, plain text.
local function caption(figure)
    local note = chart.note(figure.groups)
    return figure.title .. (note and (" (" .. note .. ")") or "")
end

local function html_figure(figure)
    local note = chart.note(figure.groups)
    return ('<figure class="chart">\n<figcaption>%s%s</figcaption>\n%s\n</figure>\n'):format(
        escape.html(figure.title),
        note and (' <span class="counts">(' .. escape.html(note) .. ")</span>") or "",
        chart.svg(figure.groups, {title = figure.title}))
end

local function html_figures(figures)
    if #figures == 0 then return "" end
    local out = {'<div class="charts">\n'}
    for _, figure in ipairs(figures) do out[#out + 1] = html_figure(figure) end
    out[#out + 1] = "</div>\n"
    return table.concat(out)
end

local function markdown_figure(figure)
    return ("**%s**\n\n%s"):format(escape.markdown(caption(figure)),
        chart.markdown(figure.groups, {unit = figure.unit}))
end

local function text_figure(figure)
    return caption(figure) .. ":\n" .. chart.text(figure.groups)
end

function writers.html(doc, body, put)
    local head, tail = html.page_parts(doc.title, live_filter)
    put(head, "<h1>", escape.html(doc.title), "</h1>\n",
        doc.overview and ('<p class="overview">' .. escape.html(doc.overview) .. "</p>\n") or "",
        html_figures(doc.figures), '<nav aria-label="Contents">\n<ol>\n')
    for i, section in ipairs(doc.sections) do
        put(('<li><a href="#section-%d">%s</a> <span class="counts">(%s)</span></li>\n'):format(
            i, escape.html(section.title), escape.html(counts_text(section))))
    end
    put("</ol>\n</nav>\n")
    for i, section in ipairs(doc.sections) do
        put(('<section id="section-%d">\n<h2>%s</h2>\n<p class="counts">%s</p>\n'):format(
            i, escape.html(section.title), escape.html(counts_text(section))))
        if section.figure then put(html_figure(section.figure)) else body(section.rs) end
        put(section.more > 0 and ('<p class="more">%s</p>\n'):format(more_text(section)) or "",
            "</section>\n")
    end
    put(tail)
end

function writers.markdown(doc, body, put)
    put("# ", escape.markdown(doc.title), "\n\n")
    if doc.overview then put(escape.markdown(doc.overview), "\n\n") end
    for _, figure in ipairs(doc.figures) do put(markdown_figure(figure), "\n") end
    for _, section in ipairs(doc.sections) do
        put(("- %s: %s\n"):format(escape.markdown(section.title), counts_text(section)))
    end
    for _, section in ipairs(doc.sections) do
        put(("\n## %s\n\n%s\n\n"):format(escape.markdown(section.title), counts_text(section)))
        if section.figure then put(markdown_figure(section.figure)) else body(section.rs) end
        if section.more > 0 then put("\n", more_text(section), "\n") end
    end
end

function writers.json(doc, body)
    for _, section in ipairs(doc.sections) do
        body(section.rs, {section = section.title})
    end
end

function writers.csv(doc, body)
    for i, section in ipairs(doc.sections) do
        body(section.rs, {section = section.title, header = i == 1})
    end
    if #doc.sections == 0 then
        body(resultset.new({}), {section = "", header = true})
    end
end

-- plain, and the framing for formatters the report knows nothing about.
local function text_document(doc, body, put)
    put(underline(doc.title, "="))
    if doc.overview then put("\n", doc.overview, "\n") end
    for _, figure in ipairs(doc.figures) do put("\n", text_figure(figure)) end
    for _, section in ipairs(doc.sections) do
        put("\n", underline(section.title .. ": " .. counts_text(section), "-"))
        if section.figure then put(text_figure(section.figure)) else body(section.rs) end
        if section.more > 0 then put(more_text(section), "\n") end
    end
end

-- The profile's report title; else "Facts report: NAME" for a file (the
-- core names the embedded corpus and unnamed strings with placeholders
-- such as "<embedded>", left out here).
local function default_title(db)
    local p = db_module.profile(db)
    if p and p.report.title then return p.report.title end
    local name = db_module.name(db)
    if name:match("^<.*>$") then return "Facts report" end
    return "Facts report: " .. name
end

-- Errors in the spec are about argument #1 of `df.report`.
local function field_error(path, expected, value)
    check.arg_error(1, ("%s: %s expected, got %s"):format(path, expected, check.typename(value)))
end

-- A pattern string's section: its regex, or an error naming the field.
local function section_regex(section, path)
    if section.flags ~= nil and type(section.flags) ~= "string" then
        field_error(path .. ".flags", "string", section.flags)
    end
    local re, reason, culprit = regex.try_compile(section.query, section.flags)
    if re == nil then
        check.arg_error(1, ("%s.%s: %s"):format(path, culprit == "flags" and "flags" or "query", reason))
    end
    return re
end

-- Run one section's query; `path` names the section in messages.
local function run_section(db, section, path)
    local q = section.query
    if q == nil and section.chart ~= nil then return db:query():run() end
    if section.flags ~= nil and type(q) ~= "string" then
        field_error(path .. ".flags", "nil (flags go with a pattern string)", section.flags)
    end
    if type(q) == "string" then
        return db:search(section_regex(section, path))
    elseif regex.is_regex(q) then
        return db:search(q)
    elseif query.is_query(q) then
        return q:run()
    elseif type(q) == "function" then
        local rs = q(db)
        if not resultset.is_resultset(rs) then
            check.error(("%s.query returned %s, expected a result set"):format(path, check.typename(rs)))
        end
        return rs
    end
    field_error(path .. ".query", "pattern, regex, query or function", q)
end

-- The chart of a section with a `chart` field, or nil.
local function section_figure(db, section, rs, path)
    if section.chart == nil then return nil end
    if section.chart ~= "bar" then
        check.arg_error(1, ('%s.chart: "bar" expected, got %s'):format(path,
            type(section.chart) == "string" and ("'" .. section.chart .. "'") or check.typename(section.chart)))
    end
    if section.top ~= nil and type(section.top) ~= "number" then
        field_error(path .. ".top", "positive integer", section.top)
    end
    local groups, reason = chart.try_count(rs, section.group_by, {top = section.top}, db)
    if groups == nil then check.arg_error(1, path .. "." .. reason) end
    return {title = groups.title, groups = groups, unit = "Facts"}
end

-- The sections of a spec, run: {title =, rs =, facts =, matches =, more
-- =, figure = nil or a chart}...
local function run_sections(db, sections, max_facts, where)
    if type(sections) ~= "table" then field_error("sections", "table", sections) end
    local done = {}
    for i, section in ipairs(sections) do
        local path = ("sections[%d]"):format(i)
        if type(section) ~= "table" then field_error(path, "table", section) end
        -- A chart's title may come from what it counts ("Facts per tag").
        if type(section.title) ~= "string" and not (section.title == nil and section.chart ~= nil) then
            field_error(path .. ".title", "string", section.title)
        end
        if section.chart == nil and (section.group_by ~= nil or section.top ~= nil) then
            check.arg_error(1, path .. ': group_by and top go with chart = "bar"')
        end
        local rs = run_section(db, section, path)
        if where then
            local kept = {}
            for _, hit in ipairs(rs) do
                if where(hit.fact) then kept[#kept + 1] = hit end
            end
            rs = resultset.new(kept)
        end
        -- The counts are of every fact; max_facts bounds what is shown.
        local shown, more = rs, 0
        if max_facts and #rs > max_facts then
            shown = resultset.new(compat.move(rs, 1, max_facts, 1, {}))
            more = #rs - max_facts
        end
        local figure = section_figure(db, section, rs, path)
        done[i] = {title = section.title or figure.title, rs = shown, facts = #rs, matches = rs:count(),
                   more = more, figure = figure}
        -- A chart counts every fact and lists none: nothing more to say.
        if done[i].figure then done[i].more = 0 end
    end
    return done
end

-- The document of a spec, run, as a writer (`drivefacts.sink`).
local function document(spec)
    check.type(spec, "table", 1)
    local db = spec.db
    if not db_module.is_db(db) then field_error("db", "drivefacts.db", db) end
    local title = spec.title
    if title == nil then title = default_title(db) end
    if type(title) ~= "string" then field_error("title", "string", title) end
    local format = spec.format or "html"
    if type(format) ~= "string" then field_error("format", "string", format) end
    formatters.get(format, 1)
    local max_facts = spec.max_facts
    if max_facts ~= nil and (type(max_facts) ~= "number" or compat.tointeger(max_facts) == nil or max_facts < 0) then
        field_error("max_facts", "non-negative integer", max_facts)
    end
    if spec.where ~= nil and type(spec.where) ~= "function" then
        field_error("where", "function", spec.where)
    end
    local with_overview = spec.overview
    if with_overview == nil then with_overview = spec.sections == nil end
    if type(with_overview) ~= "boolean" then field_error("overview", "boolean", with_overview) end
    if spec.duplicates ~= nil and type(spec.duplicates) ~= "boolean" then
        field_error("duplicates", "boolean", spec.duplicates)
    end
    local with_pairs = searches_duplicates(db, spec.duplicates)
    -- The overview counts every pair, one at a time, and keeps the best
    -- for the near-duplicates section; without it, only the best are found.
    local by_kind, best = {}, nil
    if with_overview and with_pairs then by_kind, best = count_kinds(db, nil, 2 * DUPLICATE_PAIRS) end
    local doc = {title = title, figures = {},
                 sections = run_sections(db, spec.sections or default_sections(db, best, with_pairs),
                                           max_facts, spec.where)}
    if with_overview then
        doc.overview = overview(db, not with_pairs and spec.duplicates == nil)
        -- The figures are for people; JSON and CSV hold the facts alone.
        if format ~= "json" and format ~= "csv" then
            doc.figures = overview_charts(db, by_kind)
        end
    end

    local highlight = spec.highlight ~= false
    local body_opts = format == "plain" and {color = spec.color} or {highlight = highlight}
    return function(put)
        local function body(rs, extra)
            local opts = {}
            for k, v in pairs(body_opts) do opts[k] = v end
            for k, v in pairs(extra or {}) do opts[k] = v end
            formatters.put(rs, format, opts, put)
        end
        return (writers[format] or text_document)(doc, body, put)
    end
end

--- Build a report (`df.report`).
-- @tparam table spec see the module description
-- @treturn string the document
function report.build(spec)
    return sink.to_string(document(spec))
end

--- Build a report and write it to a file handle in blocks (`df.report`'s
-- second argument), never as one string, then flush it.
-- @tparam table spec see the module description
-- @param file an open io file handle
-- @return true, or nil, the message and the error number of a write error
function report.write(spec, file)
    local writer = document(spec)
    formatters.check_file(file, 2)
    return sink.to_file(file, writer)
end

return report
