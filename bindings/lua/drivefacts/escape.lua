--- Escaping text for each output format.
-- @module drivefacts.escape

-- lua-cjson is loaded by the first escape.json: a script that never writes
-- JSON runs without it.
local cjson

local escape = {}

local HTML_ENTITIES = {
    ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;", ['"'] = "&quot;", ["'"] = "&#39;",
}

--- Escape text for HTML element content and quoted attribute values.
-- @tparam string s
-- @treturn string
function escape.html(s)
    return (s:gsub("[&<>\"']", HTML_ENTITIES))
end

--- Escape text for inline Markdown (CommonMark).
-- Characters that could start emphasis, code, links, HTML or entities get a
-- backslash; line breaks become spaces, because a fact is rendered as one
-- list item or paragraph and a line starting with "#", "-", "1." or ">"
-- would otherwise start a new block (soft line breaks render as spaces anyway).
-- @tparam string s
-- @treturn string
function escape.markdown(s)
    return (s:gsub("\r?\n", " "):gsub("[\\`*_%[%]<>&~|#]", "\\%0"))
end

-- A control byte as plain output shows it: visible, like "\x00".
local function visible(c)
    if c == "\n" or c == "\t" then return c end
    return ("\\x%02x"):format(c:byte())
end

--- Show control bytes in plain text (NUL, ESC, CR, ...) as `\xHH`, so that
-- a fact cannot write invisible bytes or drive the terminal; line breaks
-- and tabs stay as they are.
-- @tparam string s
-- @treturn string
function escape.plain(s)
    return (s:gsub("%c", visible))
end

--- Quote a CSV field when RFC 4180 requires it (it contains a double quote,
-- a comma, CR or LF); quotes inside are doubled.
-- @tparam string s
-- @treturn string
function escape.csv(s)
    if s:find('[",\r\n]') then
        return '"' .. s:gsub('"', '""') .. '"'
    end
    return s
end

-- cjson 2.1 always writes "/" as "\/" (valid JSON, but noisy, and there is
-- no encode_escape_forward_slash option in that version): undo it.  The
-- pattern consumes each escape pair whole, so "\\/" (an escaped backslash
-- followed by a slash) is left alone.
local function unescape_slash(c)
    if c == "/" then return "/" end
    return "\\" .. c
end

--- Encode a Lua string as a JSON string literal (with the quotes).
-- @tparam string s valid UTF-8
-- @treturn string
function escape.json(s)
    cjson = cjson or require "cjson"
    return (cjson.encode(s):gsub("\\(.)", unescape_slash))
end

return escape
