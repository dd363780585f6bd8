-- Assertions shared by specs: the message of a raised error, and the CLI's
-- error convention (status 2, nothing on stdout, one line on stderr
-- starting "drivefacts: ").

local assert = require "luassert"  -- busted's own assert, as specs see it

local M = {}

-- The message of the error `f(...)` raises, without a leading
-- "file.lua:line: ".  Call the function under test as a statement inside
-- `f` (not as a tail call), so that the message names it as a user's call
-- would.
function M.error_of(f, ...)
    local ok, err = pcall(f, ...)
    assert(not ok, "expected an error")
    assert.are.equal("string", type(err))
    return (err:gsub("^[^:\n]*%.lua:%d+: ", ""))
end

-- An error as the CLI's conventions want it: status 2, nothing on stdout,
-- one line "drivefacts: ...\n" on stderr; `pattern`, when given, matches
-- somewhere in stderr.
function M.cli_error(out, err, status, pattern)
    assert.are.equal(2, status, err)
    assert.are.equal("", out)
    assert.matches("^drivefacts: [^\n]+\n$", err)
    if pattern then assert.matches(pattern, err) end
end

-- The same, with stderr exactly "drivefacts: MESSAGE\n" (MESSAGE a Lua
-- pattern, anchored at both ends).
function M.cli_error_message(out, err, status, message_pattern)
    M.cli_error(out, err, status)
    assert.matches("^drivefacts: " .. message_pattern .. "\n$", err)
end

return M
