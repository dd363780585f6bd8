--- Formatters: turning a result set into text.
--
-- A formatter is `function(rs, opts) return string end`.  The registry is the
-- table `df.formatters`; the built-ins are below.  Each is written once, as
-- a writer that hands its output piece by piece to a sink, so that
-- `rs:write(file, name)` writes it in blocks and `rs:format(name)` joins it:
-- the same bytes, never the whole text at once in a file's case.  Over the
-- result set of a search they read ids, texts and spans from its C arrays,
-- making no table per hit.
--
-- * `plain`: `id: text` per hit; the lines after a fact's first are
--   indented by the width of "id: ", so that a line starting "N:" is always
--   the start of fact N.  `opts.highlight` or `opts.color` wraps matches in
--   ANSI bold red.
-- * `markdown`: a list, one `- id: text` item per hit; `opts.highlight`
--   makes matches `**bold**`.  Text is escaped for CommonMark.
-- * `json`: JSON Lines, one object per hit:
--   `{"id":12,"text":"...","matches":[{"s":1,"e":7,"text":"..."}]}`
--   (1-based inclusive byte spans; `matches` is `[]` when empty).  With
--   `opts.section` (a string) each object starts with a `"section"` field.
-- * `csv`: RFC 4180, header `id,text,matches` where `matches` is the number
--   of matches in the fact; records end in CRLF, as the RFC specifies (the
--   last one too).  `opts.section` adds a leading `section` column,
--   `opts.header = false` leaves out the header row.
-- * `html`: an `<ol>` whose items are numbered by fact id, text escaped,
--   matches in `<mark>` unless `opts.highlight == false` (marking is on by
--   default: it is what HTML output is for); a fact of several lines is a
--   `<pre class="fact">`, which keeps its line breaks and spacing (ASCII art
--   stays aligned).  `opts.standalone` gives a whole page (`opts.title`
--   names it).
--
-- Facts with fields (records of JSON Lines, CSV, TSV: `db:fields()`) show
-- them, in the db's order, leaving out those a fact lacks: plain on an
-- indented line under the text, `(author: Ann; year: 1984)`; markdown the
-- same after the text; JSON an object `"fields":{"author":"Ann","year":1984}`
-- after "text" (JSON types kept, null as null); CSV one column per field
-- after `matches`, headed by its name (`fields.NAME` where the name is
-- one of the fixed columns), empty where absent; HTML a `<dl class="fields">`
-- after the text.  Values as `drivefacts.fields` writes them.
--
-- When the facts come from more than one source (a db of several files, or
-- `opts.sources = true`), every format names each fact's source and line, as
-- grep names the file with several: plain `id: source:line: text`,
-- markdown `- id (source:line): text`, JSON fields "source" and "line",
-- CSV columns `source,line` after `id`, HTML a `<span class="source">`.
--
-- No control character but newline and tab reaches any of them raw: plain,
-- Markdown, CSV and HTML show them visibly (`escape.visible`), JSON escapes
-- them.
--
-- Highlighting merges overlapping and adjacent matches, skips empty ones
-- and never cuts a UTF-8 character (see `drivefacts.highlight`).
-- @module drivefacts.formatters

local check = require "drivefacts.check"
local escape = require "drivefacts.escape"
local fields = require "drivefacts.fields"
local highlight = require "drivefacts.highlight"
local html = require "drivefacts.html"
local resultset = require "drivefacts.resultset"
local sink = require "drivefacts.sink"

local formatters = {}

--- The registry, name → function; exposed as `df.formatters`.
local registry = {}
formatters.registry = registry

-- The built-in writers, name -> function(r, opts, put) (see `reader`).
local writers = {}

local ANSI_MATCH = "\27[1;31m" -- bold red, as grep --color
local ANSI_RESET = "\27[0m"
local CSV_EOL = "\r\n"

local visible = escape.visible

-- An option, also when a built-in is called directly without opts.
local function field(opts, name)
    if opts == nil then return nil end
    return opts[name]
end

-- The hits of a result set as the writers read them, hit i by hit i: from
-- the hit's table where there is one, else from the C arrays of a search
-- (`resultset.store`), making no table:
--   r.n                  the number of hits
--   r.id(i), r.text(i)   the fact id and text
--   r.matches(i)         the number of matches
--   r.span(i, j)         match j's s, e and, from a hit's table, its text
--   r.location(i)        the fact's source and line
--   r.fact(i)            the fact object (made when needed: fields, sources)
local function reader(rs)
    local store, made, make_fact = resultset.store(rs)
    local r = {n = #rs}
    local function hit(i)
        if store == nil then return rs[i] end
        return made[i]
    end
    function r.id(i)
        local h = hit(i)
        if h then return h.id end
        return store:id(i)
    end
    function r.text(i)
        local h = hit(i)
        if h then return h.fact.text end
        return store:text(i)
    end
    function r.matches(i)
        local h = hit(i)
        if h then return #h.matches end
        return store:matches(i)
    end
    function r.span(i, j)
        local h = hit(i)
        if h then
            local m = h.matches[j]
            return m.s, m.e, m.text
        end
        return store:span(i, j)
    end
    function r.location(i)
        local h = hit(i)
        if h then return tostring(h.fact.source), h.fact.line or 0 end
        return store:location(i)
    end
    function r.fact(i)
        local h = hit(i)
        if h then return h.fact end
        return make_fact(store:id(i))
    end
    return r
end

-- Whether output names each fact's source: opts.sources when given, else
-- when the facts' db holds more than one source.
local function with_sources(r, opts)
    local asked = field(opts, "sources")
    if asked ~= nil then return asked end
    local first = r.n > 0 and r.fact(1)
    local db = type(first) == "table" and first.db or nil
    return db ~= nil and #db:sources() > 1
end

-- The field names of the facts' db ({} for facts of another format, or
-- hits without a db).
local function field_names(r)
    local first = r.n > 0 and r.fact(1)
    local db = type(first) == "table" and first.db or nil
    if db == nil then return {} end
    return db:fields()
end

-- The fact's present fields in the db's order, each through
-- `render(name, value)`: a list, empty when it has none.
local function each_field(fact, names, render)
    local parts = {}
    if #names == 0 then return parts end
    local values = fact.fields
    for _, name in ipairs(names) do
        local value = values[name]
        if value ~= nil then parts[#parts + 1] = render(name, value) end
    end
    return parts
end

-- "name: value; ..." of a fact's present fields, each part through `show`;
-- nil when it has none.
local function fields_line(fact, names, show)
    local parts = each_field(fact, names, function(name, value)
        return show(name) .. ": " .. show(fields.text(value))
    end)
    if #parts == 0 then return nil end
    return table.concat(parts, "; ")
end

-- Whether writer `name` highlights matches with `opts`: plain on
-- `highlight` or `color`, Markdown on `highlight`, HTML unless `highlight`
-- is false.
local function highlighted(name, opts)
    if name == "html" then return field(opts, "highlight") ~= false end
    return (field(opts, "highlight") or (name == "plain" and field(opts, "color"))) and true or false
end

-- "source:line" of hit i.
local function location(r, i)
    local source, line = r.location(i)
    return ("%s:%d"):format(source, line)
end

-- Hit i's text with its matches rendered by `mark` when `marked`, the rest
-- by `plain` (see `highlight.render_spans`).
local function rendered(r, i, text, marked, plain, mark, scratch)
    return highlight.render_spans(text, marked and r.matches(i) or 0, r.span, i, plain, mark, scratch)
end

local function ansi_match(s)
    return ANSI_MATCH .. visible(s) .. ANSI_RESET
end

local function one_line_visible(s)
    return visible((s:gsub("\n", " ")))
end

--- Plain text: `id: text` per line.
-- @param rs result set
-- @tparam[opt] table opts `highlight` or `color`: ANSI highlighting of matches
-- @treturn string
function writers.plain(r, opts, put)
    local colored = highlighted("plain", opts)
    local sources = with_sources(r, opts)
    local names = field_names(r)
    local scratch = {}
    for i = 1, r.n do
        local text = rendered(r, i, r.text(i), colored, visible, ansi_match, scratch)
        local values = #names > 0 and fields_line(r.fact(i), names, one_line_visible)
        if values then text = text .. "\n(" .. values .. ")" end
        local head = ("%d: "):format(r.id(i))
        -- Continuation lines indented (blank ones left empty).
        if text:find("\n", 1, true) then
            text = text:gsub("\n([^\n])", "\n" .. (" "):rep(#head) .. "%1")
        end
        if sources then text = visible(location(r, i)) .. ": " .. text end
        put(head, text, "\n")
    end
end

local function markdown_text(s)
    return escape.markdown(visible(s))
end

-- `**` only opens emphasis before a non-space, so whitespace at either end
-- of a match goes outside the markers: the whitespace that stays so in the
-- output (a line break becomes a space; other controls show as pictures).
local function markdown_bold(s)
    local lead, body, trail = s:match("^([ \t\n]*)(.-)([ \t\n]*)$")
    if body == "" then return markdown_text(s) end
    return markdown_text(lead) .. "**" .. markdown_text(body) .. "**" .. markdown_text(trail)
end

--- Markdown: a bullet list, `- id: text` per hit.
-- @param rs result set
-- @tparam[opt] table opts `highlight`: matches in `**bold**`
-- @treturn string
function writers.markdown(r, opts, put)
    local marked = highlighted("markdown", opts)
    local sources = with_sources(r, opts)
    local names = field_names(r)
    local scratch = {}
    for i = 1, r.n do
        local text = rendered(r, i, r.text(i), marked, markdown_text, markdown_bold, scratch)
        local where = sources and (" (" .. markdown_text(location(r, i)) .. ")") or ""
        local values = #names > 0 and fields_line(r.fact(i), names, markdown_text)
        if values then text = text .. " (" .. values .. ")" end
        put(("- %d%s: "):format(r.id(i), where), text, "\n")
    end
end

-- Objects are assembled by hand, with cjson escaping the strings: the cjson
-- 2.1 in Debian cannot tell an empty array from an empty object (no
-- `empty_array`, no `array_mt`), and fixed key order makes lines diffable.
-- Match j of hit i, whose fact's text is `text`.
local function json_match(r, i, j, text)
    local s, e, matched = r.span(i, j)
    return ('{"s":%d,"e":%d,"text":%s}'):format(s, e, escape.json(matched or text:sub(s, e)))
end

-- `"fields":{...},` of a fact's present fields, "" when its db has none.
local function json_fields(fact, names)
    if #names == 0 then return "" end
    local members = each_field(fact, names, function(name, value)
        return escape.json(name) .. ":" .. fields.json(value)
    end)
    return '"fields":{' .. table.concat(members, ",") .. "},"
end

--- JSON Lines: one object per hit.
-- @param rs result set
-- @tparam[opt] table opts `section`: a string added as a leading "section" field
-- @treturn string
function writers.json(r, opts, put)
    local section = field(opts, "section")
    local prefix = section and ('"section":%s,'):format(escape.json(tostring(section))) or ""
    local sources = with_sources(r, opts)
    local names = field_names(r)
    for i = 1, r.n do
        local text = r.text(i)
        local where = ""
        if sources then
            local source, line = r.location(i)
            where = ('"source":%s,"line":%d,'):format(escape.json(source), line)
        end
        put(('{%s"id":%d,%s"text":'):format(prefix, r.id(i), where), escape.json(text), ",",
            #names > 0 and json_fields(r.fact(i), names) or "", '"matches":[')
        for j = 1, r.matches(i) do
            put(j > 1 and "," or "", json_match(r, i, j, text))
        end
        put("]}\n")
    end
end

-- The CSV header row: a section column, id, source and line, text,
-- matches, the fields (`fields.NAME` where a name is one of the columns).
local function csv_header(sources, section, names)
    local fixed = {section = section ~= nil, id = true, source = sources, line = sources,
                   text = true, matches = true}
    local headers = {}
    for i, name in ipairs(names) do
        headers[i] = "," .. escape.csv(visible(fixed[name] and "fields." .. name or name))
    end
    return (section and "section," or "") .. (sources and "id,source,line," or "id,")
        .. "text,matches" .. table.concat(headers) .. CSV_EOL
end

--- CSV (RFC 4180): header `id,text,matches`, CRLF after every record.
-- @param rs result set
-- @tparam[opt] table opts `section`: leading section column; `header = false`: no header row
-- @treturn string
function writers.csv(r, opts, put)
    local section = field(opts, "section")
    local lead = section and escape.csv(tostring(section)) .. "," or ""
    local sources = with_sources(r, opts)
    local names = field_names(r)
    if field(opts, "header") ~= false then put(csv_header(sources, section, names)) end
    for i = 1, r.n do
        local where = ""
        if sources then
            local source, line = r.location(i)
            where = ("%s,%d,"):format(escape.csv(visible(source)), line)
        end
        local cells = ""
        if #names > 0 then
            local values, parts = r.fact(i).fields, {}
            for k, name in ipairs(names) do
                local value = values[name]
                parts[k] = "," .. (value ~= nil and escape.csv(visible(fields.text(value))) or "")
            end
            cells = table.concat(parts)
        end
        put(("%s%d,%s"):format(lead, r.id(i), where), escape.csv(visible(r.text(i))),
            (",%d"):format(r.matches(i)), cells, CSV_EOL)
    end
end

local function html_text(s)
    return escape.html(visible(s))
end

local function html_mark(s)
    return "<mark>" .. html_text(s) .. "</mark>"
end

-- A fact's present fields as a <dl>, "" when it has none.
local function html_fields(fact, names)
    local items = each_field(fact, names, function(name, value)
        return "<dt>" .. html_text(name) .. "</dt><dd>" .. html_text(fields.text(value)) .. "</dd>"
    end)
    if #items == 0 then return "" end
    return '<dl class="fields">' .. table.concat(items) .. "</dl>"
end

--- The text of HTML output before its items and after them, the page's
-- head and tail around the list when `opts.standalone`: what a writer
-- that streams the items writes first and last.
-- @tparam table opts as for the html formatter
-- @treturn string
-- @treturn string
function formatters.html_frame(opts)
    local head, tail = "", ""
    if field(opts, "standalone") then
        head, tail = html.page_parts(field(opts, "title") or "drivefacts results")
    end
    return head .. '<ol class="drivefacts-results">\n', "</ol>\n" .. tail
end

--- HTML: an ordered list numbered by fact id, matches in `<mark>`.
-- @param rs result set
-- @tparam[opt] table opts `standalone`: a whole page; `title`: its title;
--   `highlight = false`: no `<mark>`
-- @treturn string
function writers.html(r, opts, put)
    local marked = highlighted("html", opts)
    local sources = with_sources(r, opts)
    local names = field_names(r)
    local head, tail = formatters.html_frame(opts)
    put(head)
    local scratch = {}
    for i = 1, r.n do
        local fact_text = r.text(i)
        local text = rendered(r, i, fact_text, marked, html_text, html_mark, scratch)
        if fact_text:find("\n", 1, true) then
            text = '<pre class="fact">' .. text .. "</pre>"
        end
        if sources then
            text = '<span class="source">' .. html_text(location(r, i)) .. "</span> " .. text
        end
        if #names > 0 then text = text .. html_fields(r.fact(i), names) end
        put(('<li value="%d">'):format(r.id(i)), text, "</li>\n")
    end
    put(tail)
end

-- The registry's first functions, name -> function: while a name still
-- has its built-in, output can go out piece by piece.
local builtins = {}

for name, writer in pairs(writers) do
    builtins[name] = function(rs, opts)
        return sink.to_string(function(put) writer(reader(rs), opts, put) end)
    end
    registry[name] = builtins[name]
end

--- The names of the registered formatters, sorted.
-- @treturn {string,...}
function formatters.names()
    local names = {}
    for name, fn in pairs(registry) do
        if type(fn) == "function" then names[#names + 1] = name end
    end
    table.sort(names)
    return names
end

--- Look up a formatter by name, raising an argument error that lists the
-- known ones when there is none.
-- @tparam string name
-- @tparam integer pos argument number of the name
-- @treturn function
function formatters.get(name, pos)
    check.type(name, "string", pos)
    local fn = registry[name]
    if type(fn) ~= "function" then
        check.arg_error(pos, ("unknown formatter '%s'; known: %s"):format(
            name, table.concat(formatters.names(), ", ")))
    end
    return fn
end

-- What formatter `fn` (registered as `name`) returns, checked.
local function formatted(fn, name, rs, opts)
    local text = fn(rs, opts)
    if type(text) ~= "string" then
        check.error(("formatter '%s' returned %s, expected a string"):format(name, check.typename(text)))
    end
    return text
end

--- Format a result set with a named formatter, checking what it returns.
-- @param rs result set
-- @tparam string name formatter name
-- @tparam[opt] table opts formatter options
-- @tparam integer pos argument number of the name (opts follow it)
-- @treturn string
function formatters.format(rs, name, opts, pos)
    local fn = formatters.get(name, pos)
    check.opt_type(opts, "table", pos + 1)
    return formatted(fn, name, rs, opts or {})
end

--- Put a result set formatted by a registered formatter through `put`
-- (see `drivefacts.sink`): piece by piece while the name has its
-- built-in, else the formatter's string whole.
-- @param rs result set
-- @tparam string name a registered formatter's name
-- @tparam table opts formatter options
-- @tparam function put
function formatters.put(rs, name, opts, put)
    local fn = registry[name]
    if fn == builtins[name] then
        writers[name](reader(rs), opts, put)
    else
        put(formatted(fn, name, rs, opts))
    end
end

-- The C arrays of a result set that `hits:write` (the writer of the
-- streamed search) writes in format `name` with `opts` byte for byte as
-- the writers here do: a search's, no hit of which a script made (and may
-- have changed), in a built-in format without a section (JSON's and CSV's
-- leading field) or CSV's header left out, of facts without fields.  Else
-- nil.
local C_WRITABLE = {plain = true, markdown = true, json = true, csv = true, html = true}

local function c_writable(rs, name, opts)
    local store, made = resultset.store(rs)
    if store == nil or next(made) ~= nil or not C_WRITABLE[name] or registry[name] ~= builtins[name]
        or opts.section ~= nil or opts.header == false or #field_names(reader(rs)) > 0 then
        return nil
    end
    return store
end

--- Check an io file handle argument.
-- @param file the value
-- @tparam integer pos its argument number
-- @return the file
function formatters.check_file(file, pos)
    local kind = io.type(file)
    if kind == "closed file" then
        check.arg_error(pos, "attempt to use a closed file")
    elseif kind ~= "file" then
        check.type_error("file", file, pos)
    end
    return file
end

--- Write a result set formatted by a named formatter to a file handle, in
-- blocks (`drivefacts.sink.to_file`), then flush it.
-- @param rs result set
-- @param file an io file handle
-- @tparam string name formatter name
-- @tparam[opt] table opts formatter options
-- @tparam integer pos argument number of the file (name and opts follow)
-- @return true, or nil, message and error number on a write error
function formatters.write(rs, file, name, opts, pos)
    formatters.check_file(file, pos)
    formatters.get(name, pos + 1)
    check.opt_type(opts, "table", pos + 2)
    opts = opts or {}
    local store = c_writable(rs, name, opts)
    if store then
        local sources = with_sources(reader(rs), opts) and true or false
        local header, footer
        if name == "csv" then
            header = csv_header(sources, nil, {})
        elseif name == "html" then
            header, footer = formatters.html_frame(opts)
        end
        return store:write(file, {style = name, sources = sources,
            highlight = highlighted(name, opts), header = header, footer = footer})
    end
    return sink.to_file(file, function(put) formatters.put(rs, name, opts, put) end)
end

--- Register (or replace) a formatter.
-- @tparam string name non-empty name
-- @tparam function fn `function(rs, opts) return string end`
function formatters.register(name, fn)
    check.type(name, "string", 1)
    if name == "" then
        check.arg_error(1, "formatter name is empty")
    end
    check.type(fn, "function", 2)
    registry[name] = fn
end

return formatters
