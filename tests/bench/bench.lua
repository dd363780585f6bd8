-- In-process Lua timings for tests/bench/bench.sh.
--
--   lua5.4 tests/bench/bench.lua CORPUS RUNS METHODS NAME FLAGS PATTERN [NAME FLAGS PATTERN ...]
--
-- METHODS is a comma-separated list of:
--   search   drivefacts: df.open(CORPUS, {format = "lines"}) once, then
--            #db:search(PATTERN, FLAGS) (the public API: builds the result set)
--   psearch  the same as search with df.open(CORPUS, {format = "lines",
--            prefilter = true}): the trigram prefilter built at load (the
--            load record includes its build)
--   count    drivefacts.core.count(corpus, regex, {first = true}) on a core
--            corpus loaded once: the cheapest path from Lua, no hit tables
--   rex      a loop over the facts (the file's lines, read into a table once)
--            with lrexlib's rex_pcre2, compiled with UTF and UCP like drivefacts
--   find     the same loop with string.find, for the queries that Lua
--            patterns can express exactly on this corpus (see FIND below)
--   rs       result sets against their peer, db:count of the same query,
--            on df.open(CORPUS, {format = "lines", prefilter = false}) (both
--            scan every fact): db:count, db:search (the result set, no hit
--            made), rs:format("plain") (one string) and rs:write to
--            /dev/null in "plain" (in blocks)
-- Output, one tab-separated record per line:
--   load    METHOD  SECONDS           (search, count: the one load, for information)
--   result  METHOD  NAME  FACTS  SECONDS    (minimum over RUNS of the query alone)
--   result  METHOD  NAME  -      unsupported
--   rs      NAME  FACTS  COUNT_S  SEARCH_S  FORMAT_S  WRITE_S  BYTES  (rs method)
-- SECONDS are os.clock() CPU seconds: this process is single-threaded and the
-- work is CPU-bound, so they equal wall-clock time within noise.
-- Errors go to stderr with exit status 2.

local corpus_path, runs, methods = arg[1], tonumber(arg[2]), arg[3]
if not (corpus_path and runs and methods) or (#arg - 3) % 3 ~= 0 then
    io.stderr:write("usage: bench.lua CORPUS RUNS METHODS NAME FLAGS PATTERN ...\n")
    os.exit(2)
end

local queries = {}
for i = 4, #arg, 3 do
    queries[#queries + 1] = {name = arg[i], flags = arg[i + 1], pattern = arg[i + 2]}
end

local function die(fmt, ...)
    io.stderr:write("bench.lua: ", fmt:format(...), "\n")
    os.exit(2)
end

local function emit(...)
    io.write(table.concat({...}, "\t"), "\n")
    io.flush()
end

-- Minimum time of `runs` calls of fn; fn returns the count, which must be
-- the same every time.
local function time_min(fn)
    local best, count = math.huge, nil
    for _ = 1, runs do
        collectgarbage()
        collectgarbage()
        local t0 = os.clock()
        local n = fn()
        local t = os.clock() - t0
        if count ~= nil and n ~= count then
            die("count changed between runs: %s then %s", count, n)
        end
        count = n
        if t < best then best = t end
    end
    return count, best
end

-- string.find equivalents, by query name: {flags, pattern, test}; used only
-- when the query has exactly that flags and pattern.  "Word characters" for \b and -w
-- are [%w_] plus every byte >= 0x80: PCRE2 with UCP counts letters, digits
-- and the underscore of any script, and the only non-ASCII characters in
-- the generated corpus are letters (é, ö).  Exact on that corpus, not in
-- general.
local W = "%w_\128-\255"
local find = string.find
local FIND = {
    literal = {"", "Gosling", function(s) return find(s, "Gosling", 1, true) end},
    ["word-i"] = {"iw", "drive", function(s)
        return find(s, "%f[" .. W .. "][dD][rR][iI][vV][eE]%f[^" .. W .. "]")
    end},
    alternation = {"", "Mulligan|Cranston|Brooks|Perlman", function(s)
        return find(s, "Mulligan", 1, true) or find(s, "Cranston", 1, true)
            or find(s, "Brooks", 1, true) or find(s, "Perlman", 1, true)
    end},
    class = {"", "\\b[A-Z][a-z]+ [A-Z][a-z]+\\b", function(s)
        return find(s, "%f[" .. W .. "][A-Z][a-z]+ [A-Z][a-z]+%f[^" .. W .. "]")
    end},
    ["rare-literal"] = {"", "Zyxquorvant", function(s) return find(s, "Zyxquorvant", 1, true) end},
    ["rare-regex"] = {"", "QX-\\d{4}-ZZ", function(s) return find(s, "QX%-%d%d%d%d%-ZZ") end},
    anchored = {"", "^Ryan Gosling", function(s) return find(s, "^Ryan Gosling") end},
}

-- The facts as Lua strings, for the loops: one per non-blank line, trimmed,
-- as format = "lines" makes them.
local lines
local function facts_as_strings()
    if lines == nil then
        lines = {}
        local n = 0
        for line in io.lines(corpus_path) do
            if find(line, "^%s") or find(line, "%s$") then
                line = line:match("^%s*(.-)%s*$")
            end
            if line ~= "" then
                n = n + 1
                lines[n] = line
            end
        end
    end
    return lines
end

local function loop_count(test)
    local facts = facts_as_strings()
    return function()
        local n = 0
        for i = 1, #facts do
            if test(facts[i]) then n = n + 1 end
        end
        return n
    end
end

local run = {}

local function db_search(method, prefilter)
    local ok, df = pcall(require, "drivefacts")
    if not ok then die("cannot load the drivefacts module: %s", df) end
    local t0 = os.clock()
    local db, message = df.open(corpus_path, {format = "lines", prefilter = prefilter})
    if db == nil then die("%s", message) end
    emit("load", method, ("%.6f"):format(os.clock() - t0))
    for _, q in ipairs(queries) do
        local count, t = time_min(function() return #db:search(q.pattern, q.flags) end)
        emit("result", method, q.name, count, ("%.6f"):format(t))
    end
    db:close()
end

function run.search() db_search("search", nil) end
function run.psearch() db_search("psearch", true) end

function run.count()
    local ok, core = pcall(require, "drivefacts.core")
    if not ok then die("cannot load drivefacts.core: %s", core) end
    if not (core.load_file and core.regex and core.count) then
        for _, q in ipairs(queries) do emit("result", "count", q.name, "-", "unsupported") end
        return
    end
    local t0 = os.clock()
    local corpus, message = core.load_file(corpus_path, "lines")
    if corpus == nil then die("%s", message) end
    emit("load", "count", ("%.6f"):format(os.clock() - t0))
    for _, q in ipairs(queries) do
        local re = core.regex(q.pattern, q.flags)
        local count, t = time_min(function() return (core.count(corpus, re, {first = true})) end)
        emit("result", "count", q.name, count, ("%.6f"):format(t))
    end
    corpus:close()
end

function run.rex()
    local ok, rex = pcall(require, "rex_pcre2")
    if not ok then die("cannot load rex_pcre2 (Debian: lua-rex-pcre2): %s", rex) end
    local f = rex.flags()
    for _, q in ipairs(queries) do
        local cf = f.UTF | f.UCP
        if q.flags:find("i", 1, true) then cf = cf | f.CASELESS end
        local pattern = q.pattern
        -- What PCRE2_EXTRA_MATCH_WORD does for drivefacts' "w".
        if q.flags:find("w", 1, true) then pattern = "\\b(?:" .. pattern .. ")\\b" end
        if q.flags:find("[^iw]") then die("rex: flags '%s' not supported here", q.flags) end
        local re = rex.new(pattern, cf)
        local count, t = time_min(loop_count(function(s) return re:find(s) end))
        emit("result", "rex", q.name, count, ("%.6f"):format(t))
    end
end

function run.find()
    for _, q in ipairs(queries) do
        local entry = FIND[q.name]
        local test = entry and entry[1] == q.flags and entry[2] == q.pattern and entry[3]
        if not test then
            emit("result", "find", q.name, "-", "unsupported")
        else
            local count, t = time_min(loop_count(test))
            emit("result", "find", q.name, count, ("%.6f"):format(t))
        end
    end
end

-- Seconds of one call of fn (the minimum over runs), for steps whose
-- result is not a count.
local function time_once(fn)
    local _, t = time_min(function() fn() return 0 end)
    return t
end

function run.rs()
    local ok, df = pcall(require, "drivefacts")
    if not ok then die("cannot load the drivefacts module: %s", df) end
    local db, message = df.open(corpus_path, {format = "lines", prefilter = false})
    if db == nil then die("%s", message) end
    local null = assert(io.open("/dev/null", "wb"))
    for _, q in ipairs(queries) do
        local facts, count_s = time_min(function() return (db:count(q.pattern, q.flags)) end)
        local hits, search_s = time_min(function() return #db:search(q.pattern, q.flags) end)
        if hits ~= facts then die("%s: db:search found %d facts, db:count %d", q.name, hits, facts) end
        local rs = db:search(q.pattern, q.flags)
        local bytes = #rs:format("plain")
        local format_s = time_once(function() return rs:format("plain") end)
        local write_s = time_once(function() assert(rs:write(null, "plain")) end)
        emit("rs", q.name, facts, ("%.6f"):format(count_s), ("%.6f"):format(search_s),
            ("%.6f"):format(format_s), ("%.6f"):format(write_s), bytes)
    end
    null:close()
    db:close()
end

for method in methods:gmatch("[^,]+") do
    if run[method] == nil then die("unknown method '%s'", method) end
    run[method]()
    collectgarbage()
end
