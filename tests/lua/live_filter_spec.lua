-- The live filter of HTML reports: its script inline, allowed by its hash
-- in the page's Content-Security-Policy and nothing else allowed.  (Its
-- behaviour in a browser: tests/cli/html_report_browser.sh.)

local df = require "drivefacts"
local live_filter = require "drivefacts.live_filter"
local files = require "support.files"
local strings = require "support.strings"

local db = df.open()

teardown(files.cleanup)

local BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

-- Hex digits as base64, without bit operations (Lua 5.1).
local function hex_to_base64(hex)
    local bytes = {}
    for pair in hex:gmatch("%x%x") do bytes[#bytes + 1] = tonumber(pair, 16) end
    local out = {}
    for i = 1, #bytes, 3 do
        local a, b, c = bytes[i], bytes[i + 1] or 0, bytes[i + 2] or 0
        local n = a * 65536 + b * 256 + c
        local digits = {math.floor(n / 262144), math.floor(n / 4096) % 64, math.floor(n / 64) % 64, n % 64}
        local keep = bytes[i + 2] and 4 or bytes[i + 1] and 3 or 2
        for j = 1, 4 do
            out[#out + 1] = j <= keep and BASE64:sub(digits[j] + 1, digits[j] + 1) or "="
        end
    end
    return table.concat(out)
end

-- SHA-256 of a string, by coreutils' sha256sum, as a CSP source.
local function csp_hash(text)
    local path = files.tempfile(text)
    local p = assert(io.popen("sha256sum " .. files.shell_quote(path)))
    local hex = p:read("*a"):match("^(%x+)")
    p:close()
    return "'sha256-" .. hex_to_base64(hex) .. "'"
end

describe("the live filter", function()
    it("is allowed by its hash, and nothing else runs or loads", function()
        assert.are.equal("'sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0='", csp_hash("abc"))
        assert.are.equal(live_filter.csp_hash, csp_hash(live_filter.script))
        local page = df.report{db = db}
        assert.truthy(page:find('<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; '
            .. "style-src &#39;unsafe-inline&#39;; script-src " .. live_filter.csp_hash:gsub("'", "&#39;")
            .. '">', 1, true))
        assert.are.equal(1, strings.count(page, "<script"))
        assert.truthy(page:find("<script>" .. live_filter.script .. "</script>\n</body>", 1, true))
        assert.is_nil(live_filter.script:find("</", 1, true))
    end)

    it("is on report pages only; other pages may run no script", function()
        local page = db:search("car"):format("html", {standalone = true})
        assert.is_nil(page:find("<script", 1, true))
        assert.truthy(page:find('content="default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;">',
            1, true))
        for _, format in ipairs{"markdown", "plain"} do
            assert.is_nil(df.report{db = db, format = format}:find("filter", 1, true))
        end
    end)

    it("is given a list of facts to filter and a place for the box", function()
        local page = df.report{db = db, max_facts = 3}
        assert.truthy(page:find('<ol class="drivefacts-results">', 1, true))
        assert.truthy(page:find("<nav ", 1, true))
        assert.truthy(live_filter.script:find('"ol.drivefacts-results > li"', 1, true))
    end)
end)
