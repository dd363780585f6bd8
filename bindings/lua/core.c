/*
** drivefacts.core: the C library's corpus, regex and search for Lua.
** The pure-Lua layer (require "drivefacts") is built on this module.
*/

#define _POSIX_C_SOURCE 200809L  /* isatty */

#include <limits.h>
#include <stdarg.h>
#include <unistd.h>

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


/* core.isatty(fd): whether file descriptor fd (0, 1, 2...) is a terminal */
static int is_a_tty (lua_State *L) {
  lua_Integer fd = luaL_checkinteger(L, 1);
  luaL_argcheck(L, fd >= 0 && fd <= INT_MAX, 1, "not a file descriptor");
  lua_pushboolean(L, isatty((int)fd));
  return 1;
}


/*
** core.proxy(mt): an empty userdata with metatable mt, for an object of
** the Lua layer whose every operation goes through its metatable (Lua 5.1
** and LuaJIT ignore __len on a table).
*/
static int proxy (lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  lua_newuserdatauv(L, 0, 0);
  lua_insert(L, 1);
  lua_setmetatable(L, 1);
  return 1;
}


static const luaL_Reg funcs[] = {
  {"isatty", is_a_tty},
  {"proxy", proxy},
  {NULL, NULL}
};


DFL_EXPORT int luaopen_drivefacts_core (lua_State *L) {
  luaL_checkversion(L);
  lua_createtable(L, 0, 14);
  luaL_setfuncs(L, funcs, 0);
  dfl_open_corpus(L);
  dfl_open_regex(L);
  dfl_open_search(L);
  dfl_open_hits(L);
  dfl_open_index(L);
  dfl_open_output(L);
  dfl_open_stream(L);
  lua_pushstring(L, df_version());
  lua_setfield(L, -2, "version");
  return 1;
}
