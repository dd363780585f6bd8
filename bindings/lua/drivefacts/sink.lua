--- Sinks: where formatters and reports put their output, piece by piece.
--
-- A writer is `function(put)` that calls `put(s1, s2, ...)` with strings, in
-- order.  `to_string` joins what it puts; `to_file` writes it to a file
-- handle in blocks of about 64 KiB (never the whole output as one string)
-- and stops the writer at the first write error, reported as io functions
-- report one.
-- @module drivefacts.sink

local sink = {}

-- Bytes gathered before a write to the file.
local BLOCK = 65536

-- Raised through the writer to stop it after a write error; never seen
-- outside this module.
local STOPPED = setmetatable({}, {__tostring = function() return "drivefacts.sink: stopped" end})

--- What a writer puts, joined.
-- @tparam function writer `writer(put)`
-- @treturn string
function sink.to_string(writer)
    local pieces, n = {}, 0
    writer(function(...)
        for k = 1, select("#", ...) do
            n = n + 1
            pieces[n] = select(k, ...)
        end
    end)
    return table.concat(pieces, "", 1, n)
end

--- Write what a writer puts to a file handle, in blocks, then flush it.
-- Errors the writer raises propagate; a write error stops it.
-- @param file an open io file handle
-- @tparam function writer `writer(put)`
-- @return true, or nil, the message and the error number, as `file:write`
--   gives them (at the first failed write or flush)
function sink.to_file(file, writer)
    local pieces, n, size = {}, 0, 0
    local message, code
    local function flush()
        if n == 0 then return end
        local ok, why, number = file:write(table.concat(pieces, "", 1, n))
        for k = 1, n do pieces[k] = nil end
        n, size = 0, 0
        if not ok then
            message, code = why, number
            error(STOPPED, 0)
        end
    end
    local ok, err = pcall(writer, function(...)
        for k = 1, select("#", ...) do
            local s = select(k, ...)
            n, size = n + 1, size + #s
            pieces[n] = s
        end
        if size >= BLOCK then flush() end
    end)
    if ok then ok, err = pcall(flush) end
    if not ok then
        if err ~= STOPPED then error(err, 0) end
        return nil, message, code
    end
    local flushed, why, number = file:flush()
    if not flushed then return nil, why, number end
    return true
end

return sink
