/*
** drivefacts.core: the C library's corpus, regex and search for Lua 5.4.
** The pure-Lua layer (require "drivefacts") is built on this module.
*/

#include <stdarg.h>

#include "core.h"


int dfl_error (lua_State *L, const char *fmt, ...) {
  va_list argp;
  va_start(argp, fmt);
  lua_pushvfstring(L, fmt, argp);
  va_end(argp);
  return lua_error(L);
}


int dfl_fail (lua_State *L, const char *message) {
  luaL_pushfail(L);
  lua_pushstring(L, message);
  return 2;
}


DFL_EXPORT int luaopen_drivefacts_core (lua_State *L) {
  luaL_checkversion(L);
  lua_createtable(L, 0, 12);
  dfl_open_corpus(L);
  dfl_open_regex(L);
  dfl_open_search(L);
  dfl_open_index(L);
  dfl_open_output(L);
  lua_pushstring(L, df_version());
  lua_setfield(L, -2, "version");
  return 1;
}
