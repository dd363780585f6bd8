-- Checkers of what the formatters and the CLI write: an RFC 4180 CSV
-- parser, a result set's CSV checked against it, a strict HTML
-- well-formedness check, and a balance check of one HTML element.  Each
-- fails (raises) on malformed input.

local assert = require "luassert"

local M = {}

--- Parse RFC 4180 CSV into a list of records, each a list of fields.
-- Quoted fields may hold commas, quotes (doubled) and line breaks.  Records
-- end in CRLF or LF; with opts.crlf, only CRLF is accepted.  The last record
-- must be ended too.
function M.parse_csv(s, opts)
    local crlf_only = opts and opts.crlf
    local records, record, i = {}, {}, 1
    while i <= #s do
        local field
        if s:sub(i, i) == '"' then
            local parts = {}
            i = i + 1
            while true do
                local q = s:find('"', i, true)
                assert(q, "unterminated quoted field")
                parts[#parts + 1] = s:sub(i, q - 1)
                if s:sub(q + 1, q + 1) == '"' then
                    parts[#parts + 1] = '"'
                    i = q + 2
                else
                    i = q + 1
                    break
                end
            end
            field = table.concat(parts)
        else
            local stop = s:find("[,\r\n]", i) or #s + 1
            field = s:sub(i, stop - 1)
            assert(not field:find('"', 1, true), "quote inside an unquoted field")
            i = stop
        end
        record[#record + 1] = field
        local c = s:sub(i, i)
        if c == "," then
            i = i + 1
        else
            if crlf_only then
                assert(s:sub(i, i + 1) == "\r\n", "record not ended by CRLF at byte " .. i)
                i = i + 2
            elseif c == "\r" then
                assert(s:sub(i + 1, i + 1) == "\n", "CR without LF")
                i = i + 2
            elseif c == "\n" then
                i = i + 1
            else
                assert(c == "", "junk after a field")
            end
            records[#records + 1] = record
            record = {}
        end
    end
    assert(s == "" or s:sub(-1) == "\n", "last record has no line break")
    return records
end

--- Check that csv (parsed as parse_csv does, with opts) is result set rs
-- written as CSV: a header row, then id, text and match count per hit.
function M.expect_csv_of(rs, csv, opts)
    local records = M.parse_csv(csv, opts)
    assert.are.same({"id", "text", "matches"}, records[1])
    assert.are.equal(#rs + 1, #records)
    for i, hit in ipairs(rs) do
        assert.are.same({tostring(hit.id), hit.fact.text, tostring(#hit.matches)}, records[i + 1])
    end
end

-- A strict well-formedness check for the HTML the formatters write: every
-- non-void element closed, in order; attributes quoted; text holds no raw
-- "<" or stray "&".  Returns the list of element names seen.
local VOID = {area = true, base = true, br = true, col = true, embed = true, hr = true, img = true,
              input = true, link = true, meta = true, source = true, track = true, wbr = true}
local RAW_TEXT = {style = true, script = true}

function M.check_html(s)
    local stack, seen, i = {}, {}, 1
    local function text_ok(text, where)
        assert(not text:find("<"), "raw '<' in text near " .. where)
        for entity in text:gmatch("&([^;%s]*);?") do
            assert(entity:match("^%a+$") or entity:match("^#%d+$") or entity:match("^#x%x+$"),
                "bad character reference '&" .. entity .. "' near " .. where)
        end
    end
    while true do
        local lt = s:find("<", i, true)
        text_ok(s:sub(i, (lt or #s + 1) - 1), ("byte %d"):format(i))
        if not lt then break end
        if s:sub(lt, lt + 3) == "<!--" then
            i = assert(s:find("-->", lt + 4, true), "unterminated comment") + 3
        elseif s:sub(lt, lt + 1) == "<!" then
            assert(s:sub(lt, lt + 14):lower() == "<!doctype html>", "unexpected declaration")
            i = lt + 15
        else
            local closing, name, pos = s:match("^<(/?)([%a][%w-]*)()", lt)
            assert(name, ("malformed tag at byte %d"):format(lt))
            name = name:lower()
            -- attributes: name, name="v", name='v'
            while true do
                pos = s:match("^%s*()", pos)
                local c = s:sub(pos, pos)
                if c == ">" then pos = pos + 1 break end
                if c == "/" and s:sub(pos + 1, pos + 1) == ">" then
                    assert(VOID[name], "self-closing non-void element <" .. name .. "/>")
                    pos = pos + 2
                    break
                end
                assert(closing == "", "attributes on a closing tag </" .. name .. ">")
                local attr, after = s:match("^([%a_:][%w_:.-]*)()", pos)
                assert(attr, ("bad attribute in <%s> at byte %d"):format(name, pos))
                pos = after
                if s:sub(pos, pos) == "=" then
                    local value, after_value = s:match('^="([^"]*)"()', pos)
                    if not value then value, after_value = s:match("^='([^']*)'()", pos) end
                    assert(value, ("unquoted value of %s in <%s>"):format(attr, name))
                    text_ok(value, "attribute " .. attr)
                    pos = after_value
                end
            end
            if closing == "/" then
                assert(not VOID[name], "closing tag for void element " .. name)
                local open = table.remove(stack)
                assert(open == name, ("</%s> closes <%s>"):format(name, tostring(open)))
            elseif not VOID[name] then
                stack[#stack + 1] = name
                seen[#seen + 1] = name
                if RAW_TEXT[name] then
                    local close = s:find("</" .. name .. "%s*>", pos)
                    assert(close, "unclosed <" .. name .. ">")
                    pos = close
                end
            end
            i = pos
        end
    end
    assert(#stack == 0, "unclosed elements: " .. table.concat(stack, ", "))
    return seen
end

-- Whether every <tag> in `html` is closed by a </tag> before the next one
-- opens (no nesting, none left open).
function M.tags_balanced(html, tag)
    local depth = 0
    for slash in html:gmatch("<(/?)" .. tag .. "[ >]") do
        depth = depth + (slash == "" and 1 or -1)
        if depth < 0 or depth > 1 then return false end
    end
    return depth == 0
end

return M
