--- Escaping text for each output format.
-- @module drivefacts.escape

-- lua-cjson is loaded by the first escape.json: a script that never writes
-- JSON runs without it.
local cjson

local escape = {}

local HTML_ENTITIES = {
    ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;", ['"'] = "&quot;", ["'"] = "&#39;",
}

-- Control characters shown visibly: C0 controls and DEL as their Unicode
-- control pictures (ESC becomes U+241B), C1 controls (U+0080..U+009F) as
-- "<U+0085>".  A raw ESC would drive the reader's terminal, a raw CR
-- overwrite a line.
local function control_picture(c)
    local b = c:byte()
    if b == 0x7F then return "\226\144\161" end  -- U+2421
    return string.char(0xE2, 0x90, 0x80 + b)       -- U+2400 + b
end

local function c1_name(c)
    return ("<U+%04X>"):format(c:byte(2))
end

--- Show every control character of a text visibly, except newline and tab
-- (which every output format shows as what they are).
-- @tparam string s valid UTF-8
-- @treturn string
function escape.visible(s)
    -- Nearly every text has none: finding is cheaper than a copy.
    if not s:find("[%z\1-\8\11-\31\127]") and not s:find("\194[\128-\159]") then return s end
    return (s:gsub("[%z\1-\8\11-\31\127]", control_picture):gsub("\194[\128-\159]", c1_name))
end

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
