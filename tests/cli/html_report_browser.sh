#!/bin/sh
# Render the HTML report of `drivefacts report` in headless Chromium and check
# what a reader would see: every section heading and highlighted matches
# (<mark>) present in the DOM after rendering, the overview's charts drawn
# and labelled (also for a directory of fortune files), the live filter
# narrowing the facts (plain text, a regex, a bad regex) and the whole
# report without JavaScript, and no resource fetched from elsewhere.  Screenshots at desktop and phone width, light
# and dark, are left in the build directory for people to look at.
#
# Usage: html_report_browser.sh BUILD_DIR [LUA]
# LUA (default lua5.4), with lua-cjson, runs type_in_filter.lua.
# Environment: DRIVEFACTS_CLI (the CLI), LUA_PATH and LUA_CPATH (its module).
# Needs the Debian package chromium-headless-shell; without it the test fails.
set -eu

build_dir=${1:?usage: html_report_browser.sh BUILD_DIR [LUA]}
lua=${2:-lua5.4}
here=$(dirname "$0")
cli=${DRIVEFACTS_CLI:?DRIVEFACTS_CLI must name scripts/drivefacts}

fail() {
    echo "html_report_browser: FAIL: $*" >&2
    exit 1
}

browser=$(command -v chromium-headless-shell || true)
[ -n "$browser" ] || fail "chromium-headless-shell not found (Debian package chromium-headless-shell)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

report="$build_dir/report.html"
"$cli" report --format html --out "$report" || fail "drivefacts report exited with status $?"
[ -s "$report" ] || fail "empty report $report"

# Self-contained: no stylesheet, script, image or font from anywhere else
# (the page's one script is inline: <script> without attributes).
if grep -Eiq '<(link|img|iframe)[ >]|<script |url\(|src=|@import' "$report"; then
    fail "the report loads external resources"
fi

run_browser() {
    # A fresh profile per run; no network, no first-run or background work.
    # The sanitizer build preloads ASan for the Lua interpreter: keep it away
    # from the browser, which hangs under it.
    profile=$(mktemp -d "$work/profile.XXXXXX")
    timeout 60 env -u LD_PRELOAD -u ASAN_OPTIONS "$browser" --headless --no-sandbox --disable-gpu --disable-quic \
        --no-first-run --disable-background-networking --disable-component-update \
        --disable-sync --user-data-dir="$profile" "$@" 2>"$work/browser.log"
}

run_browser --dump-dom "file://$report" >"$work/dom.html" ||
    { cat "$work/browser.log" >&2; fail "chromium could not render $report"; }
[ -s "$work/dom.html" ] || { cat "$work/browser.log" >&2; fail "empty DOM dump"; }

# Every section heading of the report must be in the rendered DOM.  The DOM
# serializer writes quotes in text as they are; the report may escape them.
sed -n 's:.*<h2[^>]*>\(.*\)</h2>.*:\1:p' "$report" |
    sed -e 's/&quot;/"/g' -e 's/&#34;/"/g' -e "s/&#39;/'/g" -e "s/&apos;/'/g" >"$work/headings"
sections=$(wc -l <"$work/headings")
[ "$sections" -ge 1 ] || fail "the report has no section headings"
while IFS= read -r heading; do
    grep -Fq ">$heading</h2>" "$work/dom.html" || fail "section '$heading' missing from the rendered DOM"
done <"$work/headings"

grep -q '<h1[ >]' "$work/dom.html" || fail "no title (<h1>) in the rendered DOM"
grep -q '<nav[ >]' "$work/dom.html" || fail "no table of contents (<nav>) in the rendered DOM"
marks=$(grep -o '<mark>' "$work/dom.html" | wc -l)
[ "$marks" -ge 1 ] || fail "no <mark> element in the rendered DOM"

# The overview's charts: every SVG of the page in the rendered DOM, each an
# image with its numbers in an aria-label (the spec lua/chart_spec.lua checks
# the numbers against the API's counts).
check_charts() { # REPORT DOM MINIMUM
    in_page=$(grep -o '<svg ' "$1" | wc -l)
    in_dom=$(grep -o '<svg [^>]*role="img"[^>]*aria-label="[^"]*[0-9][^"]*"' "$2" | wc -l)
    [ "$in_page" -ge "$3" ] || fail "$1: $in_page charts, expected at least $3"
    [ "$in_dom" -eq "$in_page" ] || fail "$1: $in_page charts in the page, $in_dom labelled ones in the DOM"
    grep -q '<text class="value"' "$2" || fail "$1: no chart values drawn as text"
}
check_charts "$report" "$work/dom.html" 4
charts=$in_page

screenshot() { # FILE WIDTH,HEIGHT [BROWSER OPTION...]; the page is $report$fragment
    file=$1 size=$2
    shift 2
    rm -f "$build_dir/$file"
    run_browser --screenshot="$build_dir/$file" --window-size="$size" "$@" "file://$report${fragment-}" \
        >/dev/null ||
        { cat "$work/browser.log" >&2; fail "screenshot $file failed"; }
    [ -s "$build_dir/$file" ] || fail "no screenshot written to $build_dir/$file"
}
screenshot report.png 1200,1600
screenshot report-phone.png 390,844
# The dark colour scheme, as a reader who prefers it gets the page.
screenshot report-phone-dark.png 390,844 --blink-settings=preferredColorScheme=0

# The live filter.  The facts left shown, and the count under the box,
# must be those whose text the query matches, counted here from the page
# itself (one fact per line in this corpus) with grep.
listed=$(grep -c '<li value=' "$report")
matching() { # GREP-ERE -> the number of listed facts it matches, ignoring case
    grep -o '<li value=.*</li>' "$report" | sed 's/<[^>]*>//g' | grep -ciE "$1" || true
}
expect_filtered() { # GREP-ERE
    n=$(matching "$1")
    printf '%s\t%s\n' "$n of $listed listed facts shown" "$n"
}

# Typed, key by key, through the DevTools protocol (type_in_filter.lua):
# a word, a regex, a bad regex, each erased again; erasing the last brings
# every fact back.  The FIFOs are opened inside `timeout`, so that a client
# that never opens them cannot leave the browser waiting.
mkfifo "$work/to-browser" "$work/from-browser"
profile=$(mktemp -d "$work/profile.XXXXXX")
timeout 60 env -u LD_PRELOAD -u ASAN_OPTIONS sh -c 'to=$0 from=$1; shift; exec "$@" 3<"$to" 4>"$from"' \
    "$work/to-browser" "$work/from-browser" "$browser" --headless --no-sandbox --disable-gpu \
    --disable-quic --no-first-run --disable-background-networking --disable-component-update \
    --disable-sync --user-data-dir="$profile" --remote-debugging-pipe 2>"$work/browser.log" &
browser_pid=$!
timeout 60 "$lua" "$here/type_in_filter.lua" "$work/to-browser" "$work/from-browser" \
    "file://$report" night '/\bcars?\b/i' '/(/' >"$work/typed" ||
    { cat "$work/browser.log" >&2; fail "typing into the filter failed"; }
wait "$browser_pid" || true
grep -q 'Content Security Policy' "$work/browser.log" && fail "the page's own script was blocked"
{
    expect_filtered night
    expect_filtered '\bcars?\b'
} >"$work/typed.expected"
n=$(matching night)
[ "$n" -ge 2 ] && [ "$n" -lt "$listed" ] || fail "filter 'night' narrows nothing: $n of $listed"
sed -n 1,2p "$work/typed" | cmp -s - "$work/typed.expected" ||
    fail "typed into the filter: got '$(sed -n 1,2p "$work/typed" | tr '\n\t' '| ')'," \
        "expected '$(tr '\n\t' '| ' <"$work/typed.expected")'"
sed -n 3p "$work/typed" | grep -q "^Not a regex: .*; $listed facts listed	$listed\$" ||
    fail "typed '/(/': no message for a bad regex, or facts hidden: $(sed -n 3p "$work/typed")"
[ "$(sed -n 4p "$work/typed")" = "$listed facts listed" ] ||
    fail "the filter erased: got '$(sed -n 4p "$work/typed")'"

# "#filter=QUERY" in the address opens the page filtered.
run_browser --dump-dom "file://$report#filter=car" >"$work/filter-dom.html" ||
    { cat "$work/browser.log" >&2; fail "chromium could not render $report#filter=car"; }
n=$(matching car)
grep -Fq "<p id=\"filter-count\" role=\"status\">$n of $listed listed facts shown</p>" \
    "$work/filter-dom.html" || fail "#filter=car: the count does not say $n of $listed"
[ "$(grep -o '<li value="[0-9]*">' "$work/filter-dom.html" | wc -l)" -eq "$n" ] ||
    fail "#filter=car: not $n facts shown"
fragment='#filter=night'
screenshot report-filter-phone.png 390,844
fragment=


# Without JavaScript the page is the whole report: no box, nothing hidden.
# Headless Chromium cannot dump or draw a page with JavaScript switched off
# (--blink-settings=scriptEnabled=false leaves both empty), so the page's
# script is kept from running as it would be there: by a copy of the page
# whose Content-Security-Policy allows no script (which also shows that the
# policy is enforced).
nojs="$build_dir/report-nojs.html"
sed "s/script-src &#39;sha256-[^&]*&#39;/script-src \&#39;none\&#39;/" "$report" >"$nojs"
grep -q "script-src &#39;none&#39;" "$nojs" || fail "no script-src in the page's Content-Security-Policy"
run_browser --dump-dom "file://$nojs#filter=car" >"$work/nojs-dom.html" ||
    { cat "$work/browser.log" >&2; fail "chromium could not render $nojs"; }
grep -q 'Content Security Policy' "$work/browser.log" || fail "the script of $nojs was not blocked"
grep -q 'id="filter' "$work/nojs-dom.html" && fail "a filter box without JavaScript"
[ "$(grep -o '<li value="[0-9]*">' "$work/nojs-dom.html" | wc -l)" -eq "$listed" ] ||
    fail "without JavaScript not every fact is shown"

# The default report of a directory of fortune files (Debian's fortunes,
# as the fortunes suite has them): charts of its sources.
fortunes=${FORTUNES_DIR:-/usr/share/games/fortunes}
[ -d "$fortunes" ] || fail "no fortunes directory $fortunes (Debian package fortunes)"
report="$build_dir/report-fortunes.html"
"$cli" --corpus "$fortunes" --corpus-format fortune report --max-facts 3 --out "$report" ||
    fail "drivefacts report of $fortunes exited with status $?"
run_browser --dump-dom "file://$report" >"$work/fortunes-dom.html" ||
    { cat "$work/browser.log" >&2; fail "chromium could not render $report"; }
check_charts "$report" "$work/fortunes-dom.html" 3
grep -q 'aria-label="Facts per source (top 10 of [0-9]* sources)' "$work/fortunes-dom.html" ||
    fail "no chart of the sources of $fortunes"
screenshot report-fortunes.png 1200,1600

# A corpus of multi-line facts (a poem, ASCII art, a line that reads like a
# fact number, an ESC): after rendering, the art keeps its line breaks and
# spacing inside <pre>, and no raw control character is in the page.
art="$work/art.fortune"
printf '%s\n' 'Roses are red,' '   violets are blue.' '%' \
    "/\\_/\\" '  ( o.o )' '3: 1 to screw it in' '   > ^ <' '%' \
    "$(printf 'an \033[1mescape')" >"$art"
art_report="$build_dir/report-multiline.html"
"$cli" --corpus "$art" --corpus-format fortune report --format html --out "$art_report" \
    --section 'Art=o\.o|red|escape' || fail "drivefacts report of $art exited with status $?"
if LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" "$art_report"; then
    fail "a raw control character in $art_report"
fi
report=$art_report
run_browser --dump-dom "file://$report" >"$work/art-dom.html" ||
    { cat "$work/browser.log" >&2; fail "chromium could not render $report"; }
grep -Fq '<pre class="fact">' "$work/art-dom.html" || fail "no <pre class=\"fact\"> in the DOM"
sed 's/<[^>]*>//g' "$work/art-dom.html" | tr '\n' '|' >"$work/art-text"
grep -Fq '|  ( o.o )|3: 1 to screw it in|   &gt; ^ &lt;' "$work/art-text" ||
    fail "the ASCII art lost its line breaks or spacing in the DOM"
grep -Fq 'Roses are red,|   violets are blue.' "$work/art-text" ||
    fail "the poem lost its line break in the DOM"
screenshot report-multiline.png 800,900

echo "html_report_browser: ok: $sections sections, $marks <mark> elements, $charts charts," \
    "the filter (typed into, from the address, without JavaScript), multi-line facts kept; screenshots in $build_dir:" \
    "report.png, report-phone.png, report-phone-dark.png, report-filter-phone.png," \
    "report-fortunes.png, report-multiline.png"
