-- Build and install with, from the top of the source tree,
--   luarocks --lua-version 5.4 make bindings/lua/drivefacts-1.1.0-1.rockspec
-- (5.1, 5.2, 5.3 or 5.4; tests/luarocks-check.sh does).  The project's own
-- CMake build makes the C module for the Lua whose headers luarocks names
-- (LUA_INCDIR), with the library and its embedded corpus linked in, and
-- installs it, the Lua layer, the drivefacts command and its manual page.
-- The version is the public header's (tests/version-check.sh checks this file).
rockspec_format = "3.0"
package = "drivefacts"
version = "1.1.0-1"

source = {
   url = "git+https://github.com/drivefacts/drivefacts.git",
   tag = "v1.1.0",
}

description = {
   summary = "Regex queries (PCRE2) over a corpus of short facts",
   detailed = [[
A C library that loads a corpus of short facts (paragraphs, lines or fortune
files) and answers PCRE2 regex queries fast, with Lua bindings for queries,
filters, formatters (plain, Markdown, JSON Lines, CSV, HTML) and reports, and
the drivefacts command-line tool.  It embeds a demo corpus of 122 film
trivia facts with its profile; any UTF-8 fact file or directory works the
same.  Lua 5.1 to 5.4 and LuaJIT.
]],
   homepage = "https://github.com/drivefacts/drivefacts",
   license = "MIT",
   maintainer = "the drivefacts authors",
   labels = { "regex", "pcre2", "search", "text", "cli" },
}

dependencies = {
   "lua >= 5.1, < 5.5",  -- and LuaJIT, as Lua 5.1
   "lua-cjson >= 2.1",   -- the JSON formatter (loaded only to write JSON)
   "argparse >= 0.7",    -- the drivefacts command
}

external_dependencies = {
   PCRE2 = { header = "pcre2.h", library = "pcre2-8" },
   JANSSON = { header = "jansson.h", library = "jansson" },  -- JSON Lines records
   LIBCSV = { header = "csv.h", library = "csv" },           -- CSV and TSV records
   HS = { header = "hs/hs.h", library = "hs" },              -- the index's multi-pattern scan
}

build = {
   type = "cmake",
   variables = {
      CMAKE_BUILD_TYPE = "Release",
      CMAKE_INSTALL_PREFIX = "$(PREFIX)",
      DF_BUILD_TESTS = "OFF",
      -- the Lua luarocks builds for: its headers
      DF_LUA_INCDIR = "$(LUA_INCDIR)",
      -- The rock's own directories, whose contents luarocks then deploys:
      -- lib/ must hold Lua modules only, so the C library, its CMake and
      -- pkg-config files go to clib/, which stays inside the rock; bin/
      -- (the command) is deployed where PATH finds it; share/man stays in
      -- the rock (README, "Install": MANPATH).
      DF_LUA_CMOD_DIR = "$(LIBDIR)",
      DF_LUA_LMOD_DIR = "$(LUADIR)",
      CMAKE_INSTALL_LIBDIR = "clib",
   },
}
