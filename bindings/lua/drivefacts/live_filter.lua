--- The live filter of HTML reports: a search box, made by a small script,
-- that narrows the listed facts as one types.
--
-- Plain text matches anywhere in a fact, ignoring case; `/pattern/flags`
-- is a JavaScript regex.  A line under the box says how many of the listed
-- facts are shown (a report with `max_facts` lists only some of them), and
-- a section left with no fact shown is hidden.  `#filter=QUERY` in the
-- page's address opens it filtered.  Without JavaScript the page is the
-- whole report: the box exists only once the script made it.
--
-- The script is inline, so that the page stays one self-contained file,
-- and its SHA-256 is in the page's Content-Security-Policy (`html.page`),
-- which lets that script run and no other.
-- @module drivefacts.live_filter

local live_filter = {}

--- The script, as it goes between `<script>` and `</script>`.
live_filter.script = [==[
(function () {
  "use strict";
  var items = document.querySelectorAll("ol.drivefacts-results > li");
  var nav = document.querySelector("nav");
  if (!items.length || !nav) return;
  var texts = [], lower = [], sections = document.querySelectorAll("section");
  for (var i = 0; i < items.length; i++) {
    texts[i] = items[i].textContent;
    lower[i] = texts[i].toLowerCase();
  }
  var box = document.createElement("div");
  box.className = "filter";
  box.setAttribute("role", "search");
  var label = document.createElement("label");
  label.textContent = "Filter facts ";
  var input = document.createElement("input");
  input.type = "search";
  input.id = "filter";
  input.placeholder = "text, or /regex/";
  input.setAttribute("autocomplete", "off");
  label.appendChild(input);
  var status = document.createElement("p");
  status.id = "filter-count";
  status.setAttribute("role", "status");
  box.appendChild(label);
  box.appendChild(status);
  // At the top, under the title and the overview's sentence (above the
  // charts): the first thing a reader can use, and sticky as one scrolls.
  var above = document.querySelector("body > p.overview") || document.querySelector("body > h1");
  if (above) above.parentNode.insertBefore(box, above.nextSibling);
  else nav.parentNode.insertBefore(box, nav);

  // Plain text matches anywhere, ignoring case; /pattern/flags is a regex.
  function matcher(query) {
    var re = /^\/(.+)\/([a-z]*)$/.exec(query);
    if (!re) {
      query = query.toLowerCase();
      return function (i) { return lower[i].indexOf(query) >= 0; };
    }
    // g and y would make test() start where the last match ended.
    var compiled = new RegExp(re[1], re[2].replace(/[gy]/g, ""));
    return function (i) { return compiled.test(texts[i]); };
  }

  // A query that is not a valid regex (yet: "/(" on the way to "/(a)/")
  // filters nothing, and says why.
  function apply() {
    var query = input.value, test = null, problem = "";
    try {
      if (query) test = matcher(query);
    } catch (e) {
      problem = "Not a regex: " + e.message + "; ";
    }
    var shown = 0;
    for (var i = 0; i < items.length; i++) {
      var hide = test !== null && !test(i);
      items[i].hidden = hide;
      if (!hide) shown++;
    }
    for (var j = 0; j < sections.length; j++) {
      var list = sections[j].querySelectorAll("ol.drivefacts-results > li");
      var visible = sections[j].querySelectorAll("ol.drivefacts-results > li:not([hidden])");
      sections[j].hidden = list.length > 0 && visible.length === 0;
    }
    status.textContent = problem + (test === null ? items.length + " facts listed"
      : shown + " of " + items.length + " listed facts shown");
  }

  input.addEventListener("input", apply);
  // #filter=QUERY opens the page filtered (a link to a narrowed view).
  var hash = /^#filter=(.*)$/.exec(location.hash);
  if (hash) {
    try { input.value = decodeURIComponent(hash[1]); } catch (e) { input.value = hash[1]; }
  }
  apply();
})();
]==]

--- Its hash as a CSP source ("'sha256-shN06nEVbrJCUrHGrSD4uyMPN1Fl8E4Dp5TBuQlDYdg='"); tests/lua/live_filter_spec.lua
-- checks it against the script.
live_filter.csp_hash = "'sha256-shN06nEVbrJCUrHGrSD4uyMPN1Fl8E4Dp5TBuQlDYdg='"

return live_filter
