--- Profiles: the knowledge that belongs to a kind of corpus.
--
-- A profile gives a db its entities, tag rules and the title and named
-- sections of its default report.  The profiles are compiled into the C
-- library from core/data/ (`core.profile(name)`); the embedded corpus opens
-- with "drive", a corpus from files with none unless `df.open` is asked
-- for one (`profile = NAME`) or given files (`entities = FILE`, `tags = FILE`),
-- which add to the profile's.
--
-- The report data, one item per line (blank and '#' lines ignored):
--
--    title: Report title
--    section: Section title = {Entity name}   facts mentioning the entity
--    section: Section title = #tag            facts with the tag
-- @module drivefacts.profile

local core = require "drivefacts.core"

local profile = {}

--- The names of the profiles the library knows.
profile.names = core.profiles

-- The report data of profile `name` as {title =, sections = {{title =,
-- entity = name} or {title =, tag = name}...}}.  The data is compiled in and
-- tested: a line that does not parse is a bug of the library, raised.
local function parse_report(data, name)
    local report = {sections = {}}
    local line_no = 0
    for line in (data .. "\n"):gmatch("([^\n]*)\n") do
        line_no = line_no + 1
        line = line:match("^%s*(.-)%s*$")
        if line ~= "" and line:sub(1, 1) ~= "#" then
            local title = line:match("^title:%s*(.+)$")
            local section, query = line:match("^section:%s*(.-)%s*=%s*(.+)$")
            local entity = query and query:match("^{%s*(.-)%s*}$")
            local tag = query and query:match("^#([%w_-]+)$")
            if title then
                report.title = title
            elseif section and (entity or tag) then
                report.sections[#report.sections + 1] = {title = section, entity = entity, tag = tag}
            else
                error(("profile %s: report line %d: expected 'title: T' or 'section: T = {Name}|#tag'")
                    :format(name, line_no))
            end
        end
    end
    return report
end

--- The profile called `name`: {name =, report = {title =, sections = ...}},
-- with its entity and tag data; nil when the library has no such profile.
-- @tparam string name
function profile.get(name)
    local data = core.profile(name)
    if data == nil then return nil end
    data.report = parse_report(data.report, name)
    return data
end

--- Give a corpus the knowledge of a profile, then of the files.
-- @param corpus a `drivefacts.core` corpus
-- @param p a profile (`profile.get`), or nil
-- @tparam[opt] string entities a file of entities (the gazetteer format)
-- @tparam[opt] string tags a file of tag rules
-- @return true, or nil and the message of a file that cannot be used
--   (naming it, and the line)
function profile.apply(corpus, p, entities, tags)
    if p then
        -- Compiled in and tested: failing here is a bug of the library.
        assert(corpus:add_entities(p.entities, ("<%s profile entities>"):format(p.name)))
        assert(corpus:add_tag_rules(p.tags, ("<%s profile tags>"):format(p.name)))
    end
    if entities then
        local ok, err = corpus:add_entities_file(entities)
        if not ok then return nil, err end
    end
    if tags then
        local ok, err = corpus:add_tag_rules_file(tags)
        if not ok then return nil, err end
    end
    return true
end

return profile
