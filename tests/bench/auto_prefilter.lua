-- In-process half of tests/bench/auto-prefilter.sh: a db opened with the
-- default prefilter policy, and one with `prefilter = false`, answer the
-- same questions in the same order, once each (the order is the point: the
-- default db builds its prefilter on the second question that has literals).
--
--   lua5.4 tests/bench/auto_prefilter.lua CORPUS PATTERN...
--
-- Output, tab-separated: "load POLICY SECONDS", then per question
-- "query POLICY N FACTS SECONDS PREFILTER_BYTES"; os.clock() CPU seconds.

local df = require "drivefacts"

local path = arg[1]
if path == nil or arg[2] == nil then
    io.stderr:write("usage: auto_prefilter.lua CORPUS PATTERN...\n")
    os.exit(2)
end

local function emit(...)
    io.write(table.concat({...}, "\t"), "\n")
end

for _, policy in ipairs({"default", "false"}) do
    local opts = {format = "lines"}
    if policy == "false" then opts.prefilter = false end
    local t0 = os.clock()
    local db, err = df.open(path, opts)
    if db == nil then
        io.stderr:write("auto_prefilter.lua: ", err, "\n")
        os.exit(2)
    end
    emit("load", policy, ("%.6f"):format(os.clock() - t0))
    for n = 2, #arg do
        t0 = os.clock()
        local facts = db:count(arg[n])
        emit("query", policy, n - 1, facts, ("%.6f"):format(os.clock() - t0), db:prefilter_memory())
    end
    db:close()
    collectgarbage()
end
