--- drivefacts: regex queries over a corpus of short facts.
--
--    local df = require "drivefacts"
--    local db = df.open()                          -- the embedded corpus (profile "drive")
--    for hit in db:search("car"):each() do print(hit.id, hit.fact.text) end
--    print(db:query():match("night", "i"):sort_by("length"):limit(3):run():format("plain"))
--
-- This module is the public face; the work is done by its siblings:
-- `db` (facts and search), `query` (the query builder), `resultset`,
-- `formatters`, `chart` and `report`, over the C module `drivefacts.core`.
-- @module drivefacts

local core = require "drivefacts.core"
local check = require "drivefacts.check"
local compat = require "drivefacts.compat"
local fields = require "drivefacts.fields"
local formatters = require "drivefacts.formatters"
local profile = require "drivefacts.profile"
local regex = require "drivefacts.regex"

-- Modules loaded on first use: require "drivefacts" then takes 1.8 ms
-- instead of 2.9, and a script that never uses them, such as the CLI's
-- search -c (a rare query on 100 MB: 23 ms), keeps the difference.
local function lazy(name)
    return setmetatable({}, {__index = function(_, key) return require(name)[key] end})
end
local db, report, resultset = lazy "drivefacts.db", lazy "drivefacts.report", lazy "drivefacts.resultset"

local df = {}

--- The library version, a semantic version string ("MAJOR.MINOR.PATCH").
df.version = core.version

local FORMATS = {"paragraphs", "lines", "fortune", "jsonl", "csv", "tsv"}

--- JSON null, as a field's value (`fact.fields.x == df.null`); distinct from
-- nil, which is an absent field.  See `db:fields()`.
df.null = fields.null

-- The options shared by `open`, `from_string` and `count_file`: format,
-- the field holding the text of records, the byte limit the core enforces
-- for files, and the prefilter (a db's).
local function load_options(opts, pos)
    check.opt_type(opts, "table", pos)
    opts = opts or {}
    local format = check.opt_type(opts.format, "string", pos)
    if format then
        check.choice(format, FORMATS, pos, "format")
    end
    check.opt_type(opts.text_field, "string", pos)
    check.opt_type(opts.prefilter, "boolean", pos)
    return opts
end

-- A path or a list of paths, as a list.
local function check_paths(path, pos)
    if type(path) == "string" then return {path} end
    if type(path) ~= "table" then
        check.type_error("string or table", path, pos)
    end
    for i, p in ipairs(path) do
        if type(p) ~= "string" then
            check.arg_error(pos, ("path %d: string expected, got %s"):format(i, check.typename(p)))
        end
    end
    return path
end

-- The knowledge options of `open` and `from_string`: the profile (by name;
-- `default` when none is given, false for none) and the files that add to
-- it.  Returns the profile (or nil).
local function knowledge_options(opts, default, pos)
    local name = opts.profile
    if name == nil then name = default end
    if name ~= false then check.opt_type(name, "string", pos) end
    check.opt_type(opts.entities, "string", pos)
    check.opt_type(opts.tags, "string", pos)
    if not name then return nil end
    local p = profile.get(name)
    if p == nil then
        check.choice(name, profile.names, pos, "profile")
    end
    return p
end

-- A db of a loaded corpus, with the knowledge of its profile and files,
-- and its prefilter policy (opts.prefilter); nil and a message when a
-- file of entities or tags cannot be used.
local function new_db(corpus, opts, p)
    local ok, err = profile.apply(corpus, p, opts.entities, opts.tags)
    if not ok then
        corpus:close()
        return nil, err
    end
    if opts.prefilter then
        corpus:build_prefilter()
    elseif opts.prefilter == false then
        corpus:auto_prefilter(false)
    end
    return db.new(corpus, p)
end

--- The names of the profiles the library knows (see `open`).
df.profiles = profile.names

--- Open a corpus.
-- @param[opt] source a fact file, a directory or a list of these; an open
--   file (`io.stdin`, a pipe), read from where it stands to its end and
--   left open; nil for the embedded corpus.  A directory is read
--   recursively, entries in byte order of their names, leaving out hidden
--   entries (names starting with '.'), strfile's index files (*.dat),
--   symbolic links and files that are not text (a NUL byte in their first
--   8 KiB).  Fact ids run over all the files in load order; each fact has
--   its `source` and `line`.
-- @tparam[opt] table opts `format`: "paragraphs" (default: facts separated by
--   blank lines), "lines" (one fact per non-blank line), "fortune" (facts
--   separated by "%" lines), or records with fields: "jsonl" (one JSON
--   object per line), "csv" or "tsv" (a header row, RFC 4180 quoting);
--   `text_field`: the field of a record holding the fact's text (default
--   "text"), the others go to `fact.fields`; `max_bytes`: refuse more input (default 1 GiB),
--   checked while reading, so endless input stops there; `name`: names an
--   open file in messages (default "<stdin>" for io.stdin, else "<stream>").
--   All ignored for the embedded corpus.  `prefilter`: true builds the
--   trigram prefilter at load, false never builds it unasked; by default
--   the db builds it by itself on the second search or count over every
--   fact whose pattern has literals, when the corpus holds at least 1 MiB
--   of text (see `db:build_prefilter()`).  Knowledge:
--   `profile`, the name of a profile whose entities, tag rules and report
--   sections the db gets (default: "drive" for the embedded corpus, none
--   otherwise; false: none); `entities` and `tags`, files of entities and
--   of tag rules (the formats of core/data/entities.txt and tags.txt),
--   added to the profile's.
-- @return a db, or nil and a message naming the file (and for invalid
--   UTF-8, the line and byte) when a file cannot be loaded
function df.open(source, opts)
    local is_file = io.type(source) == "file"
    local paths
    if io.type(source) == "closed file" then
        check.arg_error(1, "attempt to use a closed file")
    elseif source ~= nil and not is_file then
        if type(source) ~= "string" and type(source) ~= "table" then
            check.type_error("string, table or file", source, 1)
        end
        paths = check_paths(source, 1)
    end
    opts = load_options(opts, 2)
    local p = knowledge_options(opts, source == nil and "drive" or nil, 2)
    if source == nil then
        return new_db(core.load_embedded(), opts, p)
    end
    local max_bytes = opts.max_bytes and check.integer(opts.max_bytes, 1, 2)
    local corpus, message
    if is_file then
        check.opt_type(opts.name, "string", 2)
        local name = opts.name or (source == io.stdin and "<stdin>" or "<stream>")
        corpus, message = core.load_stream(source, opts.format, max_bytes, name, opts.text_field)
    else
        corpus, message = core.load_paths(paths, opts.format, max_bytes, opts.text_field)
    end
    if corpus == nil then return nil, message end
    return new_db(corpus, opts, p)
end

--- Make a db from text in memory.
-- @tparam string text the facts
-- @tparam[opt] table opts `format`, `text_field`, `prefilter`, `profile` (default none),
--   `entities` and `tags` as for `open`; `name`: names the text in error
--   messages and `tostring(db)`
-- @return a db, or nil and a message (invalid UTF-8, a file of entities or
--   tags that cannot be used)
function df.from_string(text, opts)
    check.type(text, "string", 1)
    opts = load_options(opts, 2)
    check.opt_type(opts.name, "string", 2)
    local p = knowledge_options(opts, nil, 2)
    local corpus, message = core.load_string(text, opts.format, opts.name, opts.text_field)
    if corpus == nil then return nil, message end
    return new_db(corpus, opts, p)
end

--- Count the facts of a file that match, without loading it: what
-- `df.open(path, opts):count(pattern, flags)` returns, but the file is read,
-- checked and searched a piece at a time, so memory stays small at any size
-- and a large file is counted several times sooner.
-- @param path a fact file, a directory or a list of these, as for `open`
--   (each file is counted alone, in turn)
-- @param pattern a pattern string or a compiled regex (`df.regex`)
-- @tparam[opt] string flags letters of "imsxFw"; only with a pattern string
-- @tparam[opt] table opts `format`, `text_field` and `max_bytes` as for
--   `open` (a file of records is loaded, then counted: its texts are not
--   spans of the file);
--   `first = true`: stop at the first match in each fact (sooner, when the
--   number of matches is not wanted); `mmap = true`: map the file instead
--   of reading it, which saves a copy but, as with any mapped file, kills
--   the process with SIGBUS if another one truncates the file meanwhile
-- @treturn integer the number of facts that match (nil when the file cannot
--   be read, then a message as `open` gives)
-- @treturn integer the number of matches (with `first`, of facts again)
function df.count_file(path, pattern, flags, opts)
    local paths = check_paths(path, 1)
    local re = regex.coerce(pattern, flags, 2)
    opts = load_options(opts, 4)
    if opts.prefilter ~= nil then
        check.arg_error(4, "a prefilter belongs to a db, not to a count")
    end
    if opts.profile ~= nil or opts.entities ~= nil or opts.tags ~= nil then
        check.arg_error(4, "a profile, entities and tags belong to a db, not to a count")
    end
    local max_bytes = opts.max_bytes and check.integer(opts.max_bytes, 1, 4)
    check.opt_type(opts.first, "boolean", 4)
    check.opt_type(opts.mmap, "boolean", 4)
    local files, message = core.expand_paths(paths)
    if files == nil then return nil, message end
    -- A file at a time, each streamed: a directory's files are counted as
    -- they would load, without holding any of them.
    local facts, matches = 0, 0
    local count_opts = {format = opts.format, max_bytes = max_bytes, first = opts.first, mmap = opts.mmap,
                        text_field = opts.text_field}
    for _, file in ipairs(files) do
        local f, m = core.count_file(file, re, count_opts)
        if f == nil then return nil, m end
        facts, matches = facts + f, matches + m
    end
    return facts, matches
end

--- Compile a regex (PCRE2 syntax, always UTF and UCP).
-- The regex has `find match gmatch gsub test`, which behave like the
-- string library's functions of the same names, and lrexlib's `exec tfind
-- split count dfa_exec` (see the `regex` type of `drivefacts.regex`).
-- @tparam string pattern
-- @tparam[opt] string flags letters: i caseless, m multiline, s dotall,
--   x extended, F literal, w whole word
-- @tparam[opt] table limits `match_limit` and `depth_limit` (positive
--   integers; defaults 10,000,000 and 1,000,000): a match that needs more
--   raises "match limit exceeded" / "depth limit exceeded" instead of
--   running away on catastrophic backtracking.  The depth limit binds
--   PCRE2's interpreter; JIT-compiled code (the usual case) has an 8 MiB
--   stack in its place, whose overflow is also "depth limit exceeded".
-- @return a compiled regex; a bad pattern raises an error with PCRE2's
--   reason and "offset N"
function df.regex(pattern, flags, limits)
    check.opt_type(limits, "table", 3)
    local re = regex.compile(pattern, flags, 1, limits)
    return re
end

--- The formatter registry: name → `function(rs, opts) return string end`.
-- Built-ins: plain, markdown, json, csv, html (see `drivefacts.formatters`).
df.formatters = formatters.registry

--- Format a result set; the same as `rs:format(name, opts)`.
-- @param rs result set
-- @tparam string name formatter name
-- @tparam[opt] table opts formatter options
-- @treturn string
function df.format(rs, name, opts)
    if not resultset.is_resultset(rs) then
        check.type_error("result set", rs, 1)
    end
    local text = formatters.format(rs, name, opts, 2)
    return text
end

--- Add or replace a formatter, usable by name in `rs:format`, `df.format`
-- and `df.report`.
-- @tparam string name
-- @tparam function fn `function(rs, opts) return string end`
function df.register_formatter(name, fn)
    formatters.register(name, fn)
end

--- Bound a Lua callback (a tag rule's `where`, a query's `where`, a
-- formatter) by a number of Lua VM instructions per call: past the limit the
-- call raises "instruction limit exceeded (N)", so a rule that loops fails
-- like any other instead of hanging.  Counted with `debug.sethook` (the
-- caller's own hook is put back after each call); time spent inside one C
-- function (a huge `string.rep`) is not counted.  Under LuaJIT the callback
-- runs interpreted; a function it calls that was compiled elsewhere is not
-- counted while it runs compiled.
-- @tparam function fn the callback
-- @tparam integer max_instructions at least 1
-- @treturn function the bounded callback, taking and returning what `fn` does
function df.bounded(fn, max_instructions)
    check.type(fn, "function", 1)
    max_instructions = check.integer(max_instructions, 1, 2)
    -- LuaJIT's compiled traces run no count hooks: the callback (and the
    -- functions it defines) stays interpreted, so that its loops are counted.
    if jit then jit.off(fn, true) end
    local message = ("instruction limit exceeded (%d)"):format(max_instructions)
    local bounded, run
    -- The count may run out in this wrapper's own bookkeeping, around the
    -- call: only the callback (and what it calls) is stopped.
    local function exceeded()
        local running = debug.getinfo(2, "f").func
        if running ~= run and running ~= bounded then error(message, 2) end
    end
    function run(hook, mask, count, ...)
        debug.sethook(exceeded, "", max_instructions)
        local result = compat.pack(pcall(fn, ...))
        debug.sethook(hook, mask, count)
        return result
    end
    function bounded(...)
        local hook, mask, count = debug.gethook()
        local ok, result = pcall(run, hook, mask, count, ...)
        if not ok then  -- the hook itself failed (out of memory)
            debug.sethook(hook, mask, count)
            error(result, 0)
        end
        if not result[1] then error(result[2], 0) end
        return compat.unpack(result, 2, result.n)
    end
    return bounded
end

--- Write text to a named file whole or not at all: into a temporary file
-- beside it, flushed to disk, then renamed over it (keeping its
-- permissions).  On any failure (full disk, file size limit, no permission)
-- the old file is untouched and the temporary one removed.  A path that is
-- not a regular file ("/dev/stdout", a FIFO) is written in place.
-- @tparam string path
-- @tparam string text
-- @return true, or nil and a message naming the file and the reason
function df.write_file(path, text)
    check.type(path, "string", 1)
    check.type(text, "string", 2)
    return core.write_file(path, text)
end

--- Charts: facts counted by tag, entity, kind, source, year, length or
-- field, drawn as SVG, a Markdown table or text (see `drivefacts.chart`),
-- for reports and for formatters of one's own.
df.chart = lazy "drivefacts.chart"

--- Build a whole document from several queries (see `drivefacts.report`).
-- With a file handle, write it there in blocks of about 64 KiB (a large
-- report is never one string), then flush it.
-- @tparam table spec `{db =, title =, format =, sections = {{title =, query =}, ...}}`
-- @param[opt] file an open io file handle
-- @return the document as a string; with `file`, true, or nil, the
--   message and the error number of a write error, as io functions give them
function df.report(spec, file)
    if file ~= nil then
        local ok, message, code = report.write(spec, file) -- not a tail call: errors name 'report'
        return ok, message, code
    end
    local text = report.build(spec)
    return text
end

return check.export(df)
