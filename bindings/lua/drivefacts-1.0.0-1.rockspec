-- Build and install with
--   luarocks --lua-version 5.4 make bindings/lua/drivefacts-1.0.0-1.rockspec
-- from the top of the source tree (tests/luarocks-check.sh does, under ctest): the project's own CMake build makes the
-- C module (with the library and its embedded corpus linked in) and installs
-- it and the Lua layer where luarocks expects them.
rockspec_format = "3.0"
package = "drivefacts"
version = "1.0.0-1"

source = {
   -- Placeholder: the public repository's address, for `luarocks build`.
   url = "git+https://example.invalid/drivefacts.git",
   tag = "v1.0.0",
}

description = {
   summary = "Regex queries (PCRE2) over a corpus of short facts",
   detailed = [[
A C library that loads a corpus of short facts and answers PCRE2 regex
queries, with Lua 5.4 bindings for queries, filters, formatters and reports,
and the drivefacts command-line tool.  It embeds a demo corpus of 122
film trivia facts with its profile; any UTF-8 fact file or directory
(fortune files, paragraphs, lines) works the same.
]],
}

dependencies = {
   "lua >= 5.4, < 5.5",
   "lua-cjson >= 2.1",  -- the JSON formatter
   "argparse >= 0.7",   -- the drivefacts command
}

external_dependencies = {
   PCRE2 = { header = "pcre2.h", library = "pcre2-8" },
}

build = {
   type = "cmake",
   variables = {
      CMAKE_BUILD_TYPE = "Release",
      CMAKE_INSTALL_PREFIX = "$(PREFIX)",
      DF_BUILD_TESTS = "OFF",
      -- The rock's own directories, whose contents luarocks then deploys:
      -- lib/ must hold Lua modules only, so the C library, its CMake and
      -- pkg-config files go to clib/, which stays inside the rock.
      DF_LUA_CMOD_DIR = "$(LIBDIR)",
      DF_LUA_LMOD_DIR = "$(LUADIR)",
      CMAKE_INSTALL_LIBDIR = "clib",
   },
}
