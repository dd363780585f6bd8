-- Knowledge belongs to a profile: the embedded corpus opens with "drive", a
-- corpus from files with none unless asked; files of entities and tags add
-- to the profile's; entity kinds are open.

local df = require "drivefacts"
local report = require "drivefacts.report"
local files = require "support.files"

local tempfile = files.tempfile
teardown(files.cleanup)

local FACTS = "Ryan Gosling drives at night.\n\nAnn Leckie wrote Ancillary Justice.\n\n"
    .. "The violence of the scene shocked Albert Brooks.\n"

describe("profiles", function()
    it("are listed by name", function()
        assert.are.same({"drive"}, df.profiles)
    end)

    it("give the embedded corpus its knowledge", function()
        local db = df.open()
        assert.are.equal("drive", db:profile())
        assert.is_true(#db:entities() >= 100)
        assert.is_true(#db:tags() > 0)
    end)

    it("are not applied to a corpus from a file or a string unless asked", function()
        local path = tempfile(FACTS)
        for _, db in ipairs{assert(df.open(path)), assert(df.from_string(FACTS))} do
            assert.is_nil(db:profile())
            assert.are.same({}, db:entities())
            assert.are.same({}, db:tags())
            assert.are.same({}, db[1].entities)
            assert.are.same({}, db[3].tags)
            assert.are.equal(0, #db:mentions("Ryan Gosling"))
        end
        local db = assert(df.open(path, {profile = "drive"}))
        assert.are.equal("drive", db:profile())
        assert.are.same({"Ryan Gosling"}, db[1].entities)
        assert.are.same({1}, db:mentions("Gosling"):ids())
        assert.is_true(#db:tags() > 0)
    end)

    it("can be left out of the embedded corpus", function()
        local db = df.open(nil, {profile = false})
        assert.is_nil(db:profile())
        assert.are.same({}, db:entities())
        assert.are.equal(122, #db)
    end)

    it("refuse an unknown name, listing the known", function()
        assert.has_error(function() df.open(nil, {profile = "dirve"}) end,
            "bad argument #2 to 'open' (unknown profile 'dirve'; expected one of: drive)")
        assert.has_error(function() df.from_string("x", {profile = 3}) end,
            "bad argument #2 to 'from_string' (string expected, got number)")
        assert.has_error(function() df.count_file("x", "y", nil, {profile = "drive"}) end)
    end)
end)

describe("entities and tags files", function()
    local entities = tempfile("# authors and ships\nauthor: Ann Leckie = Leckie\nship: Justice of Toren = "
        .. "Ancillary Justice\n")
    local tags = tempfile("books: @author @ship\nnight: \\bnight\\b\n")

    it("give a corpus from a file knowledge of any kind", function()
        local db = assert(df.from_string(FACTS, {entities = entities, tags = tags}))
        local kinds = {}
        for _, e in ipairs(db:entities()) do kinds[e.name] = e.kind end
        assert.are.same({["Ann Leckie"] = "author", ["Justice of Toren"] = "ship"}, kinds)
        assert.are.same({"Ann Leckie", "Justice of Toren"}, db[2].entities)
        assert.are.same({"books"}, db[2].tags)
        assert.are.same({"night"}, db[1].tags)
        assert.are.same({2}, db:query():tagged("books"):run():ids())
    end)

    it("add to the profile's", function()
        local db = assert(df.from_string(FACTS, {profile = "drive", entities = entities, tags = tags}))
        assert.are.same({"Ryan Gosling"}, db[1].entities)
        assert.are.same({"Ann Leckie", "Justice of Toren"}, db[2].entities)
        local tag_names = {}
        for _, t in ipairs(db:tags()) do tag_names[t.name] = t.count end
        assert.are.equal(1, tag_names.books)
        assert.is_true(tag_names.violence >= 1)
    end)

    it("that cannot be used give nil and a message naming the file and line", function()
        local bad = tempfile("author: Fine\nper son: Bad\n")
        local db, err = df.from_string(FACTS, {entities = bad})
        assert.is_nil(db)
        assert.truthy(err:find(bad .. ":2: bad kind 'per son'", 1, true), err)
        db, err = df.open(tempfile(FACTS), {tags = bad .. ".missing"})
        assert.is_nil(db)
        assert.truthy(err:find(bad .. ".missing", 1, true), err)
        local bad_tags = tempfile("ok: x\nbad: (\n")
        db, err = df.from_string(FACTS, {tags = bad_tags})
        assert.is_nil(db)
        assert.truthy(err:find(bad_tags .. ":2:", 1, true), err)
    end)

    it("add_entity takes any kind", function()
        local db = assert(df.from_string(FACTS))
        db:add_entity{name = "Ann Leckie", kind = "novelist"}
        assert.are.same({{name = "Ann Leckie", kind = "novelist", aliases = {}, count = 1, mentions = 1}},
            db:entities())
    end)
end)

describe("the default report of any corpus", function()
    it("has an overview, the longest facts and what the files give, without a profile", function()
        local path = tempfile(FACTS .. "\nRyan Gosling drives at night.\n")
        local tags = tempfile("night: \\bnight\\b\n")
        local entities = tempfile("author: Ann Leckie\n")
        local db = assert(df.open(path, {tags = tags, entities = entities}))
        local titles = {}
        for i, s in ipairs(report.default_sections(db)) do titles[i] = s.title end
        assert.are.same({"Authors", "Tag: night", "Longest facts", "Near-duplicates"}, titles)
        local text = df.report{db = db, format = "plain"}
        local title = "Facts report: " .. path
        assert.are.equal(1, select(2, text:gsub("^" .. title:gsub("%p", "%%%0") .. "\n=+\n\n4 facts %(", "")))
        assert.truthy(text:find("; 1 entity, 1 tag.\n", 1, true))
        assert.is_nil(text:find("Gosling\n", 1, true) and text:find("## Ryan Gosling", 1, true))
    end)

    it("titles entity kinds from their names", function()
        local cases = {person = "People", author = "Authors", company = "Companies", ship = "Ships",
            box = "Boxes", church = "Churches", ["space-station"] = "Space stations", key = "Keys"}
        for kind, title in pairs(cases) do
            assert.are.equal(title, report.kind_title(kind))
        end
    end)
end)
