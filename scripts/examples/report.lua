--- A report: several queries over the embedded corpus as one document.
--
-- Usage: lua5.4 scripts/examples/report.lua [FORMAT [OUTFILE]]
--
-- FORMAT is any registered formatter: html (a standalone page with a table
-- of contents), markdown (the default), plain, json or csv.  Without
-- OUTFILE the document goes to standard output.
--
-- Each section shows one kind of query df.report accepts: a pattern
-- string (with flags), a compiled regex, a query builder that has not been
-- run, and a function of the db returning a result set.

local df = require "drivefacts"

local format, outfile = arg[1] or "markdown", arg[2]
local db = df.open()

local document = df.report{
    db = db,
    title = "The embedded corpus: nights, cars and music",
    format = format,
    sections = {
        {title = "Nights", query = [[\bnights?\b]]},
        {title = "Cars and driving", query = [[\b(car|cars|driv(e|er|ing))\b]], flags = "i"},
        {title = "Music", query = df.regex([[\b(songs?|music|score|soundtrack)\b]], "i")},
        {title = "The five shortest facts", query = db:query():sort_by("length"):limit(5)},
        {title = "Facts quoting someone", query = function(d)
            return d:query():match([["[^"]{20,}"]]):where(function(fact) return #fact.text < 400 end):run()
        end},
    },
}

if outfile then
    -- Whole or not at all: a failed write leaves any old file as it was.
    local ok, message = df.write_file(outfile, document)
    if not ok then
        io.stderr:write("report: ", message, "\n")
        os.exit(2)
    end
    print(("wrote the %s report (%d bytes) to %s"):format(format, #document, outfile))
else
    io.write(document)
end
