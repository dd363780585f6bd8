--- The fields of records (JSON Lines, CSV, TSV) as Lua values: reading
-- them from the core, comparing them, and writing them in each format.
--
-- A field's value is a string, a number (an integer stays an integer where
-- Lua has them), a boolean, `df.null` for JSON null, or a table for a JSON
-- array or object (its nulls `df.null` too).  A field the record lacks is
-- absent: nil in `fact.fields`.
-- @module drivefacts.fields

local escape = require "drivefacts.escape"

-- lua-cjson decodes the arrays and objects of fields (the core keeps them as
-- compact JSON text): loaded when the first one is read.
local cjson

local fields = {}

--- JSON null: one value, distinct from every other and from nil (an absent
-- field); `tostring(df.null)` is "null".
fields.null = setmetatable({}, {
    __name = "drivefacts.null",
    __tostring = function() return "null" end,
    __newindex = function() error("df.null is read-only", 2) end,
})

local null = fields.null

-- A decoded value with cjson's null replaced by ours everywhere in it, and
-- its integral numbers as integers where Lua has them (cjson decodes every
-- number as a float).
local function our_nulls(value)
    if value == cjson.null then return null end
    if type(value) == "number" then return math.tointeger and math.tointeger(value) or value end
    if type(value) == "table" then
        for k, v in pairs(value) do value[k] = our_nulls(v) end
    end
    return value
end

--- Decode the compact JSON text of an array or an object (from the core).
-- @tparam string text
-- @treturn table
function fields.decode(text)
    cjson = cjson or require "cjson"
    return our_nulls(cjson.decode(text))
end

-- A float's text that reads back the same, with a '.' or an exponent where
-- Lua tells floats from integers.
local function number_text(n)
    if math.type and math.type(n) == "integer" then return ("%d"):format(n) end
    if n ~= n or n == math.huge or n == -math.huge then return tostring(n) end
    local text = ("%.15g"):format(n)
    if tonumber(text) ~= n then text = ("%.17g"):format(n) end
    if math.type and not text:find("[.eEn]") then text = text .. ".0" end
    return text
end

--- A value as text for people and CSV cells: strings as they are, numbers
-- as Lua writes them back exactly, booleans and null as JSON writes them,
-- arrays and objects as compact JSON.
-- @param value a field's value
-- @treturn string
function fields.text(value)
    local t = type(value)
    if t == "string" then return value end
    if t == "number" then return number_text(value) end
    if t == "boolean" then return tostring(value) end
    if value == null then return "null" end
    return fields.json(value)
end

local function by_text(a, b)
    return tostring(a) < tostring(b)
end

--- A value as compact JSON text.  A table is an array when its keys are
-- 1..n (n > 0), else an object with its keys in sorted order (so that
-- output is the same from run to run; the order the record gave is not
-- kept); an empty table is `{}`.
-- @param value a field's value
-- @treturn string
function fields.json(value)
    local t = type(value)
    if t == "string" then return escape.json(value) end
    if t == "number" then return number_text(value) end
    if t == "boolean" then return tostring(value) end
    if value == null then return "null" end
    local keys, n = {}, #value
    for k in pairs(value) do keys[#keys + 1] = k end
    local parts = {}
    if n > 0 and #keys == n then
        for i = 1, n do parts[i] = fields.json(value[i]) end
        return "[" .. table.concat(parts, ",") .. "]"
    end
    table.sort(keys, by_text)
    for i, k in ipairs(keys) do
        parts[i] = escape.json(tostring(k)) .. ":" .. fields.json(value[k])
    end
    return "{" .. table.concat(parts, ",") .. "}"
end

--- Whether a field's value is what `query:field(name, wanted)` asks for.
-- A string matches a string equal to it, and the text of a number, a
-- boolean or null as `fields.text` gives it; as numbers, when either side is
-- a number and the other reads as one ("1984" and 1984, "1e3" and 1000);
-- a boolean its boolean; `df.null` null.  An absent field matches nothing.
-- @param value the field's value (nil when absent)
-- @param wanted a string, number, boolean or `df.null`
-- @treturn boolean
function fields.equal(value, wanted)
    if value == nil then return false end
    if type(value) == "number" or type(wanted) == "number" then
        return tonumber(value) == tonumber(wanted) and tonumber(value) ~= nil
    end
    if type(wanted) == "string" then
        return (value == null or type(value) ~= "table") and fields.text(value) == wanted
    end
    return value == wanted
end

return fields
