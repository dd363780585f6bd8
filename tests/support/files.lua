-- Files for specs: shell quoting, whole-file read/write, temporary files and
-- directories, and their removal.  Every temporary path is recorded;
-- `teardown(files.cleanup)` in a spec removes them all.

local M = {}

-- `s` as one single-quoted word for sh.
function M.shell_quote(s)
    return "'" .. tostring(s):gsub("'", [['\'']]) .. "'"
end

-- The whole contents of the file at `path` (binary).
function M.slurp(path)
    local f = assert(io.open(path, "rb"))
    local s = f:read("*a")
    f:close()
    return s
end

-- Replace the file at `path` with the bytes `s`.
function M.spit(path, s)
    local f = assert(io.open(path, "wb"))
    assert(f:write(s))
    assert(f:close())
end

local temp_paths = {}

-- A new temporary file, holding `contents` when given; removed by cleanup().
function M.tempfile(contents)
    local path = os.tmpname()
    temp_paths[#temp_paths + 1] = path
    if contents then M.spit(path, contents) end
    return path
end

-- A new empty temporary directory; removed (with its contents) by cleanup().
function M.tempdir()
    local path = M.tempfile()
    os.remove(path)
    assert(os.execute("mkdir " .. M.shell_quote(path)))
    return path
end

-- Remove every temporary file and directory made so far, newest first.
function M.cleanup()
    for i = #temp_paths, 1, -1 do
        os.execute("rm -rf " .. M.shell_quote(temp_paths[i]))
        temp_paths[i] = nil
    end
end

return M
