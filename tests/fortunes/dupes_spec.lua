-- Near-duplicates on data nobody here wrote: every cookie file of the Debian
-- packages fortunes, fortunes-de, fortunes-ru and fortunes-zh, loaded as
-- one db from their directory.  The collection repeats cookies
-- within and across files, with and without their attribution, and
-- attributes thousands of cookies to a few hundred authors with the same
-- line ("-- Stanislaw Jerzy Lec"); the default `db:duplicates` must keep the
-- first and not pair the second.
-- FORTUNES_DIR overrides the directory (default: Debian's).

local df = require "drivefacts"

local DIR = os.getenv("FORTUNES_DIR") or "/usr/share/games/fortunes"
-- A line that this many distinct cookies hold is common by any measure:
-- an author's attribution, a series' heading ("Wußten Sie schon...").  (The
-- core's own bound is lower; a cookie repeated whole three times over, with
-- different attributions, still pairs.)
local MANY = 10

-- The whole collection as one db, the files in name order.
local function collection()
    local db = assert(df.open(DIR, {format = "fortune"}))
    assert.is_true(#db:sources() >= 150, ("only %d cookie files under %s"):format(#db:sources(), DIR))
    return db
end

-- A line as a key, roughly as the core normalises it: ASCII lowercased,
-- words of letters, digits, underscores and non-ASCII characters, a Chinese
-- or Japanese character (a three-byte sequence from U+3040 on) a word of its
-- own.
local function normalise(line)
    return (line:lower():gsub("[\227-\233][\128-\191][\128-\191]", " %0 ")
        :gsub("[^%w_\128-\255]+", " "):gsub("^ ", ""):gsub(" $", ""))
end

local function lines_of(text)
    local list, seen = {}, {}
    for line in text:gmatch("[^\n]+") do
        local key = normalise(line)
        if key ~= "" and not seen[key] then
            seen[key] = true
            list[#list + 1] = key
        end
    end
    return list
end

-- The word bigrams of a fact's lines other than those in `skip`.
local function bigrams(text, skip)
    local set, previous = {}, nil
    for _, line in ipairs(lines_of(text)) do
        if skip[line] then
            previous = nil
        else
            for word in line:gmatch("%S+") do
                if previous then set[previous .. " " .. word] = true end
                previous = word
            end
        end
    end
    return set
end

describe("dupes on the fortunes collection", function()
    local db = collection()
    local pairs_ = db:duplicates{}

    -- How many distinct texts hold each line.
    local holders, seen_text = {}, {}
    for _, fact in db:facts() do
        local text = table.concat(lines_of(fact.text), "\n")
        if not seen_text[text] then
            seen_text[text] = true
            for _, line in ipairs(lines_of(fact.text)) do holders[line] = (holders[line] or 0) + 1 end
        end
    end

    local function find_pair(a_text, b_text)
        for _, p in ipairs(pairs_) do
            local a, b = db[p.a].text, db[p.b].text
            if (a:find(a_text, 1, true) and b:find(b_text, 1, true))
                or (a:find(b_text, 1, true) and b:find(a_text, 1, true)) then
                return p
            end
        end
    end

    it("pairs no facts that share only lines many facts hold (attributions)", function()
        assert.is_true(#pairs_ > 1000, #pairs_ .. " pairs")
        local formula_shared = 0
        for _, p in ipairs(pairs_) do
            local a, b = db[p.a].text, db[p.b].text
            -- The lines both hold that many texts hold.
            local in_b, common = {}, {}
            for _, line in ipairs(lines_of(b)) do in_b[line] = true end
            for _, line in ipairs(lines_of(a)) do
                if in_b[line] and holders[line] >= MANY then common[line] = true end
            end
            if next(common) then
                formula_shared = formula_shared + 1
                local rest_b, shared = bigrams(b, common), false
                for bigram in pairs(bigrams(a, common)) do
                    if rest_b[bigram] then shared = true break end
                end
                -- A cookie repeated whole, with an attribution or without,
                -- is a repeat: one of the two is nothing but common lines.
                local whole = true
                for _, text in ipairs{a, b} do
                    local rest = false
                    for _, line in ipairs(lines_of(text)) do rest = rest or not common[line] end
                    whole = whole and rest
                end
                if not shared and whole then
                    error(("%d~%d (%s, %.3f) share only a common line:\n%s\n---\n%s")
                        :format(p.a, p.b, p.kind, p.score, a, b))
                end
            end
        end
        -- Attributed repeats are among them: the check looked at some.
        assert.is_true(formula_shared > 100, formula_shared .. " pairs with a common line")
    end)

    it("keeps real repeats in every language, across files", function()
        for _, repeat_ in ipairs{
            {"Adding manpower to a late software project makes it later.", "Brook's Law:", across = true},
            {"In Dir muß brennen, was Du in anderen entzünden willst.", "(K"},
            {"Да убережёт тебя Бог от дурных женщин", "Да убережет тебя Бог от дурных женщин", across = true},
            {"天下无难事，只怕有心人", "世上无难事，只怕有心人"},
        } do
            local p = find_pair(repeat_[1], repeat_[2])
            assert.truthy(p, "no pair for " .. repeat_[1])
            assert.is_true(p.score >= 0.6, repeat_[1] .. ": " .. p.score)
            if repeat_.across then assert.are_not.equal(db[p.a].source, db[p.b].source) end
        end
    end)
end)
