--- Standalone HTML pages: the shell around formatted results and reports.
--
-- Pages are self-contained (inline CSS, SVG and script, no scripts, fonts
-- or images from elsewhere) so a report can be mailed or opened offline,
-- carry a Content-Security-Policy that holds them to that, and a viewport
-- meta element so they read well on phones.
-- @module drivefacts.html

local escape = require "drivefacts.escape"

local html = {}

-- Light and dark colours from the reader's preference; system fonts only.
local STYLE = [[
:root { color-scheme: light dark; --fg: #1b1b1b; --bg: #fdfdfc; --muted: #5f5f5f; --mark: #ffe066; --rule: #ddd;
        --bar: #4f7fbf; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e8e6e3; --bg: #181a1b; --muted: #a8a29a; --mark: #8a6d00; --rule: #3a3e41; --bar: #6f9fdc; }
}
body { margin: 0 auto; max-width: 46rem; padding: 1rem 1.25rem 3rem; color: var(--fg); background: var(--bg);
       font: 1rem/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; overflow-wrap: break-word; }
h1 { font-size: 1.6rem; line-height: 1.25; }
h2 { font-size: 1.25rem; margin-top: 2.2rem; border-bottom: 1px solid var(--rule); padding-bottom: .2rem; }
a { color: inherit; }
mark { background: var(--mark); color: inherit; border-radius: .15em; padding: 0 .08em; }
.counts { color: var(--muted); font-size: .95rem; }
ol.drivefacts-results { padding-left: 3.2em; }
ol.drivefacts-results li { margin: .45rem 0; }
ol.drivefacts-results li::marker { color: var(--muted); font-variant-numeric: tabular-nums; }
.source { color: var(--muted); font-size: .9rem; }
dl.fields { margin: .2rem 0 0; font-size: .9rem; color: var(--muted); }
dl.fields dt, dl.fields dd { display: inline; margin: 0; }
dl.fields dt::after { content: ": "; }
dl.fields dd::after { content: "; "; }
dl.fields dd:last-child::after { content: ""; }
pre.fact { margin: 0; white-space: pre-wrap; font: .92rem/1.4 ui-monospace, "DejaVu Sans Mono", monospace; }
nav ol { padding-left: 1.4em; }
figure.chart { margin: 1.4rem 0; break-inside: avoid; }
figure.chart figcaption { font-weight: 600; margin-bottom: .3rem; }
svg.chart { display: block; width: 100%; max-width: 28rem; height: auto; }
svg.chart .bar { fill: var(--bar); }
.filter { position: sticky; top: 0; background: var(--bg); padding: .5rem 0; border-bottom: 1px solid var(--rule); }
.filter input { font: inherit; width: 100%; max-width: 24rem; box-sizing: border-box; padding: .25rem .4rem; }
.filter p { margin: .25rem 0 0; color: var(--muted); font-size: .9rem; }
@media print { .filter { display: none; } }
]]

-- What a page may load and run: nothing from anywhere (no network, even
-- if text slipped through unescaped), its own <style>, and its own script
-- when it has one, known by its hash.
local function content_security_policy(script)
    local policy = "default-src 'none'; style-src 'unsafe-inline'"
    if script then policy = policy .. "; script-src " .. script.csp_hash end
    return policy
end

--- The text of a standalone page before and after its body, so that a
-- long body can be written between them piece by piece.
-- @tparam string title page title, plain text (escaped here)
-- @tparam[opt] table script as for `page`
-- @treturn string the page up to the body
-- @treturn string the page after it, ending in a newline
function html.page_parts(title, script)
    local head = table.concat({
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        ('<meta http-equiv="Content-Security-Policy" content="%s">'):format(
            escape.html(content_security_policy(script))),
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>" .. escape.html(title) .. "</title>",
        "<style>",
        STYLE .. "</style>",
        "</head>",
        "<body>",
        "",
    }, "\n")
    return head, (script and ("<script>" .. script.script .. "</script>\n") or "") .. "</body>\n</html>\n"
end

--- Wrap an HTML body in a complete, standalone page.
-- @tparam string title page title, plain text (escaped here)
-- @tparam string body HTML for inside `<body>`
-- @tparam[opt] table script a script for the end of the body, `{script =
--   the code, csp_hash = "'sha256-...'"}` (as `drivefacts.live_filter`)
-- @treturn string the page, ending in a newline
function html.page(title, body, script)
    local head, tail = html.page_parts(title, script)
    return head .. body .. tail
end

return html
