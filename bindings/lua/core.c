/*
** drivefacts.core: the C library's corpus, regex and search for Lua.
** The pure-Lua layer (require "drivefacts") is built on this module.
*/

#define _POSIX_C_SOURCE 200809L  /* isatty */

#include <limits.h>
#include <stdarg.h>
#include <string.h>
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


static int fielderror (lua_State *L, int arg, const char *field,
                       const char *problem) {
  return luaL_argerror(L, arg, lua_pushfstring(L, "option '%s': %s", field,
                                               problem));
}


static int fieldtypeerror (lua_State *L, int arg, const char *field,
                           const char *expected) {
  return fielderror(L, arg, field, lua_pushfstring(L, "%s expected, got %s",
                    expected, luaL_typename(L, -1)));
}


int dfl_fieldoption (lua_State *L, int arg, const char *field,
                     const char *def, const char *const lst[]) {
  const char *name = def;
  int i;
  if (lua_getfield(L, arg, field) != LUA_TNIL) {
    if (lua_type(L, -1) != LUA_TSTRING)
      return fieldtypeerror(L, arg, field, "string");
    name = lua_tostring(L, -1);
  }
  for (i = 0; lst[i] != NULL; i++) {
    if (strcmp(lst[i], name) == 0) {
      lua_pop(L, 1);
      return i;
    }
  }
  return fielderror(L, arg, field,
                    lua_pushfstring(L, "invalid option '%s'", name));
}


lua_Integer dfl_fieldinteger (lua_State *L, int arg, const char *field,
                              lua_Integer min) {
  lua_Integer n = min;
  int isnum = 1;
  if (lua_getfield(L, arg, field) != LUA_TNIL) {
    n = lua_tointegerx(L, -1, &isnum);
    if (!isnum)
      return fieldtypeerror(L, arg, field, "integer");
  }
  lua_pop(L, 1);
  if (n < min)
    return fielderror(L, arg, field, "out of range");
  return n;
}


const char *dfl_fieldstring (lua_State *L, int arg, const char *field,
                             size_t *len) {
  const char *s = NULL;
  if (lua_getfield(L, arg, field) != LUA_TNIL) {
    if (lua_type(L, -1) != LUA_TSTRING) {
      fieldtypeerror(L, arg, field, "string");
      return NULL;  /* not reached */
    }
    s = lua_tolstring(L, -1, len);
  }
  lua_pop(L, 1);
  return s;
}


int dfl_fieldboolean (lua_State *L, int arg, const char *field) {
  int b;
  lua_getfield(L, arg, field);
  b = lua_toboolean(L, -1);
  lua_pop(L, 1);
  return b;
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
