/*
** The functions compat.h gives Lua 5.1, 5.2, 5.3 and LuaJIT, after their
** Lua 5.4 (lauxlib.c, lapi.c) counterparts.
*/

#include <stdio.h>
#include <string.h>

#include "compat.h"


#if LUA_VERSION_NUM < 504

#if LUA_VERSION_NUM < 502
#define getuservalues(L, idx) lua_getfenv(L, idx)
#define setuservalues(L, idx) lua_setfenv(L, idx)
#else
#define getuservalues(L, idx) lua_getuservalue(L, idx)
#define setuservalues(L, idx) lua_setuservalue(L, idx)
#endif


/* The user values live in a table: the one value 5.2 and 5.3 give a
** userdata, or its environment on 5.1 (which would otherwise be the
** globals of the function that made it). */
void *dflc_newuserdatauv (lua_State *L, size_t size, int nuv) {
  void *p = lua_newuserdata(L, size);
  if (nuv > 0) {
    lua_createtable(L, nuv, 0);
    setuservalues(L, -2);
  }
  return p;
}


int dflc_getiuservalue (lua_State *L, int idx, int n) {
  getuservalues(L, idx);
  if (!lua_istable(L, -1)) {
    lua_pop(L, 1);
    lua_pushnil(L);
    return LUA_TNONE;
  }
  lua_rawgeti(L, -1, n);
  lua_remove(L, -2);
  return lua_type(L, -1);
}


int dflc_setiuservalue (lua_State *L, int idx, int n) {
  idx = lua_absindex(L, idx);
  getuservalues(L, idx);
  if (!lua_istable(L, -1)) {
    lua_pop(L, 2);
    return 0;
  }
  lua_insert(L, -2);
  lua_rawseti(L, -2, n);
  lua_pop(L, 1);
  return 1;
}


int dflc_typeerror (lua_State *L, int arg, const char *tname) {
  const char *typearg;
  if (luaL_getmetafield(L, arg, "__name") && lua_type(L, -1) == LUA_TSTRING)
    typearg = lua_tostring(L, -1);
  else if (lua_type(L, arg) == LUA_TLIGHTUSERDATA)
    typearg = "light userdata";
  else
    typearg = luaL_typename(L, arg);
  return luaL_argerror(L, arg, lua_pushfstring(L, "%s expected, got %s",
                                               tname, typearg));
}


void dflc_setfuncs (lua_State *L, const luaL_Reg *l, int nup) {
  luaL_checkstack(L, nup, "too many upvalues");
  for (; l->name != NULL; l++) {
    if (l->func == NULL)  /* a place holder */
      lua_pushboolean(L, 0);
    else {
      int i;
      for (i = 0; i < nup; i++)
        lua_pushvalue(L, -nup);
      lua_pushcclosure(L, l->func, nup);
    }
    lua_setfield(L, -(nup + 2), l->name);
  }
  lua_pop(L, nup);
}

#endif


#if LUA_VERSION_NUM < 503

void dflc_seti (lua_State *L, int idx, lua_Integer n) {
  idx = lua_absindex(L, idx);
  lua_pushinteger(L, n);
  lua_insert(L, -2);
  lua_settable(L, idx);
}


void dflc_rotate (lua_State *L, int idx, int n) {
  idx = lua_absindex(L, idx);
  for (; n > 0; n--)
    lua_insert(L, idx);
  for (; n < 0; n++) {
    lua_pushvalue(L, idx);
    lua_remove(L, idx);
  }
}


/* A number with an integral value in lua_Integer's range, as 5.3 has it. */
lua_Integer dflc_tointegerx (lua_State *L, int idx, int *isnum) {
  lua_Number x = lua_tonumber(L, idx);
  int ok = lua_isnumber(L, idx) && x >= (lua_Number)PTRDIFF_MIN &&
           x < -(lua_Number)PTRDIFF_MIN && (lua_Number)(lua_Integer)x == x;
  if (isnum != NULL)
    *isnum = ok;
  return ok ? (lua_Integer)x : 0;
}


lua_Integer dflc_checkinteger (lua_State *L, int arg) {
  int ok;
  lua_Integer n = dflc_tointegerx(L, arg, &ok);
  if (!ok) {
    if (lua_isnumber(L, arg))
      luaL_argerror(L, arg, "number has no integer representation");
    else
      dflc_typeerror(L, arg, "number");
  }
  return n;
}


lua_Integer dflc_optinteger (lua_State *L, int arg, lua_Integer def) {
  return lua_isnoneornil(L, arg) ? def : dflc_checkinteger(L, arg);
}


lua_Number dflc_checknumber (lua_State *L, int arg) {
  if (!lua_isnumber(L, arg))
    dflc_typeerror(L, arg, "number");
  return lua_tonumber(L, arg);
}


lua_Number dflc_optnumber (lua_State *L, int arg, lua_Number def) {
  return lua_isnoneornil(L, arg) ? def : dflc_checknumber(L, arg);
}


const char *dflc_checklstring (lua_State *L, int arg, size_t *len) {
  const char *s = lua_tolstring(L, arg, len);
  if (s == NULL)
    dflc_typeerror(L, arg, "string");
  return s;
}


const char *dflc_optlstring (lua_State *L, int arg, const char *def,
                             size_t *len) {
  if (lua_isnoneornil(L, arg)) {
    if (len != NULL)
      *len = def != NULL ? strlen(def) : 0;
    return def;
  }
  return dflc_checklstring(L, arg, len);
}


void dflc_checktype (lua_State *L, int arg, int t) {
  if (lua_type(L, arg) != t)
    dflc_typeerror(L, arg, lua_typename(L, t));
}


void *dflc_testudata (lua_State *L, int arg, const char *tname) {
  void *p = lua_touserdata(L, arg);
  if (p != NULL && lua_getmetatable(L, arg)) {
    luaL_getmetatable(L, tname);
    if (!lua_rawequal(L, -1, -2))
      p = NULL;
    lua_pop(L, 2);
    return p;
  }
  return NULL;
}


void *dflc_checkudata (lua_State *L, int arg, const char *tname) {
  void *p = dflc_testudata(L, arg, tname);
  if (p == NULL)
    dflc_typeerror(L, arg, tname);
  return p;
}


/* LuaJIT's takes the default for an argument of the wrong type. */
int dflc_checkoption (lua_State *L, int arg, const char *def,
                      const char *const lst[]) {
  const char *name = def != NULL ? dflc_optlstring(L, arg, def, NULL)
                                 : dflc_checklstring(L, arg, NULL);
  int i;
  for (i = 0; lst[i] != NULL; i++)
    if (strcmp(lst[i], name) == 0)
      return i;
  return luaL_argerror(L, arg, dflc_pushfstring(L, "invalid option '%s'", name));
}


/* As since 5.3, the metatable names its type for messages and tostring. */
int dflc_newmetatable (lua_State *L, const char *tname) {
  if (!(luaL_newmetatable)(L, tname))
    return 0;
  lua_pushstring(L, tname);
  lua_setfield(L, -2, "__name");
  return 1;
}


/* lua_pushvfstring with "%I" (a lua_Integer), one directive at a time. */
const char *dflc_pushvfstring (lua_State *L, const char *fmt, va_list argp) {
  int n = 0;
  const char *e;
  while ((e = strchr(fmt, '%')) != NULL) {
    char buff[32];
    lua_pushlstring(L, fmt, (size_t)(e - fmt));
    switch (e[1]) {
      case 's': {
        const char *s = va_arg(argp, const char *);
        lua_pushstring(L, s != NULL ? s : "(null)");
        break;
      }
      case 'c':
        buff[0] = (char)va_arg(argp, int);
        lua_pushlstring(L, buff, 1);
        break;
      case 'd':
        (lua_pushfstring)(L, "%d", va_arg(argp, int));
        break;
      case 'I':
        snprintf(buff, sizeof(buff), "%lld",
                 (long long)va_arg(argp, lua_Integer));
        lua_pushstring(L, buff);
        break;
      case 'f':
        (lua_pushfstring)(L, "%f", (lua_Number)va_arg(argp, double));
        break;
      case 'p':
        (lua_pushfstring)(L, "%p", va_arg(argp, void *));
        break;
      default:  /* '%' */
        lua_pushliteral(L, "%");
        break;
    }
    n += 2;
    fmt = e + 2;
  }
  lua_pushstring(L, fmt);
  lua_concat(L, n + 1);
  return lua_tostring(L, -1);
}


const char *dflc_pushfstring (lua_State *L, const char *fmt, ...) {
  const char *s;
  va_list argp;
  va_start(argp, fmt);
  s = dflc_pushvfstring(L, fmt, argp);
  va_end(argp);
  return s;
}


int dflc_error (lua_State *L, const char *fmt, ...) {
  va_list argp;
  va_start(argp, fmt);
  luaL_where(L, 1);
  dflc_pushvfstring(L, fmt, argp);
  va_end(argp);
  lua_concat(L, 2);
  return lua_error(L);
}


/* Pushes the number s reads as (a double before 5.3), as lua_stringtonumber
** does: the size of s plus one, or 0 and nothing pushed. */
size_t dflc_stringtonumber (lua_State *L, const char *s) {
  lua_Number n;
  lua_pushstring(L, s);
  if (!lua_isnumber(L, -1)) {
    lua_pop(L, 1);
    return 0;
  }
  n = lua_tonumber(L, -1);
  lua_pop(L, 1);
  lua_pushnumber(L, n);
  return strlen(s) + 1;
}

#endif


#if LUA_VERSION_NUM >= 504
/* Lua 5.4 needs nothing from here; ISO C wants a declaration all the same. */
extern int dflc_nothing_to_add;
#endif
