/*
** The Lua 5.4 C API that drivefacts.core uses, on Lua 5.1, 5.2, 5.3 and
** LuaJIT 2.1, in the spirit of lua-compat-5.3: the module is written
** against 5.4 and only this file (and compat.c) knows the older versions.
**
** Where an older Lua has the function but not the 5.4 behaviour, the 5.4
** behaviour wins, so that the module behaves the same everywhere:
**   - type errors name a metatable's __name ("drivefacts.regex expected,
**     got drivefacts.db"), as since 5.3;
**   - an argument that must be an integer rejects 1.5 ("number has no
**     integer representation"), as since 5.3;
**   - lua_pushfstring and luaL_error know "%I" (a lua_Integer);
**   - luaL_setfuncs takes NULL functions as placeholders.
** Userdata user values are kept in a table (the environment on 5.1).
*/
#ifndef DRIVEFACTS_LUA_COMPAT_H
#define DRIVEFACTS_LUA_COMPAT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "lua.h"
#include "lauxlib.h"

#if LUA_VERSION_NUM < 504

#define luaL_pushfail(L) lua_pushnil(L)
#define lua_newuserdatauv(L, size, nuv) dflc_newuserdatauv(L, size, nuv)
#define lua_getiuservalue(L, idx, n) dflc_getiuservalue(L, idx, n)
#define lua_setiuservalue(L, idx, n) dflc_setiuservalue(L, idx, n)
#define luaL_typeerror(L, arg, tname) dflc_typeerror(L, arg, tname)
#define luaL_argexpected(L, cond, arg, tname) \
  ((void)((cond) || luaL_typeerror(L, (arg), (tname))))
#define luaL_setfuncs(L, l, nup) dflc_setfuncs(L, l, nup)

void *dflc_newuserdatauv(lua_State *L, size_t size, int nuv);
int dflc_getiuservalue(lua_State *L, int idx, int n);
int dflc_setiuservalue(lua_State *L, int idx, int n);
int dflc_typeerror(lua_State *L, int arg, const char *tname);
void dflc_setfuncs(lua_State *L, const luaL_Reg *l, int nup);

#endif


#if LUA_VERSION_NUM < 503

/* Lua 5.1 and 5.2 keep lua_Integer in a ptrdiff_t, numbers in a double. */
#define LUA_MAXINTEGER PTRDIFF_MAX
#define lua_Unsigned size_t

/* Since 5.3 these return the type of the value they push, and array
** indices are lua_Integers (an int is enough for a table in memory). */
#define lua_getfield(L, idx, k) (lua_getfield(L, idx, k), lua_type(L, -1))
#define lua_rawgeti(L, idx, n) (lua_rawgeti(L, idx, (int)(n)), lua_type(L, -1))
#define lua_rawseti(L, idx, n) lua_rawseti(L, idx, (int)(n))

#define lua_seti(L, idx, n) dflc_seti(L, idx, n)
#define lua_rotate(L, idx, n) dflc_rotate(L, idx, n)
#define lua_tointegerx(L, idx, isnum) dflc_tointegerx(L, idx, isnum)
#define luaL_checkinteger(L, arg) dflc_checkinteger(L, arg)
#define luaL_optinteger(L, arg, def) dflc_optinteger(L, arg, def)
#define luaL_checknumber(L, arg) dflc_checknumber(L, arg)
#define luaL_optnumber(L, arg, def) dflc_optnumber(L, arg, def)
#define luaL_checklstring(L, arg, len) dflc_checklstring(L, arg, len)
#define luaL_optlstring(L, arg, def, len) dflc_optlstring(L, arg, def, len)
#define luaL_checktype(L, arg, t) dflc_checktype(L, arg, t)
#define luaL_checkudata(L, arg, tname) dflc_checkudata(L, arg, tname)
#define luaL_checkoption(L, arg, def, lst) dflc_checkoption(L, arg, def, lst)
#define luaL_testudata(L, arg, tname) dflc_testudata(L, arg, tname)
#define luaL_newmetatable(L, tname) dflc_newmetatable(L, tname)
#define lua_pushvfstring(L, fmt, argp) dflc_pushvfstring(L, fmt, argp)
#define lua_pushfstring(L, ...) dflc_pushfstring(L, __VA_ARGS__)
#define luaL_error(L, ...) dflc_error(L, __VA_ARGS__)
#define lua_stringtonumber(L, s) dflc_stringtonumber(L, s)

void dflc_seti(lua_State *L, int idx, lua_Integer n);
void dflc_rotate(lua_State *L, int idx, int n);
lua_Integer dflc_tointegerx(lua_State *L, int idx, int *isnum);
lua_Integer dflc_checkinteger(lua_State *L, int arg);
lua_Integer dflc_optinteger(lua_State *L, int arg, lua_Integer def);
lua_Number dflc_checknumber(lua_State *L, int arg);
lua_Number dflc_optnumber(lua_State *L, int arg, lua_Number def);
const char *dflc_checklstring(lua_State *L, int arg, size_t *len);
const char *dflc_optlstring(lua_State *L, int arg, const char *def,
                            size_t *len);
void dflc_checktype(lua_State *L, int arg, int t);
void *dflc_checkudata(lua_State *L, int arg, const char *tname);
int dflc_checkoption(lua_State *L, int arg, const char *def,
                     const char *const lst[]);
void *dflc_testudata(lua_State *L, int arg, const char *tname);
int dflc_newmetatable(lua_State *L, const char *tname);
const char *dflc_pushvfstring(lua_State *L, const char *fmt, va_list argp);
const char *dflc_pushfstring(lua_State *L, const char *fmt, ...);
int dflc_error(lua_State *L, const char *fmt, ...);
size_t dflc_stringtonumber(lua_State *L, const char *s);

#endif


#if LUA_VERSION_NUM < 502

#define lua_rawlen(L, idx) lua_objlen(L, idx)
#define lua_absindex(L, idx) \
  ((idx) > 0 || (idx) <= LUA_REGISTRYINDEX ? (idx) : lua_gettop(L) + (idx) + 1)
#define luaL_checkversion(L) ((void)(L))
#ifndef luaL_newlibtable  /* LuaJIT has it */
#define luaL_newlibtable(L, l) \
  lua_createtable(L, 0, (int)(sizeof(l) / sizeof((l)[0])) - 1)
#endif
#define luaL_setmetatable(L, tname) \
  (luaL_getmetatable(L, tname), lua_setmetatable(L, -2))

#endif

/* The io library's file handles: named LUA_FILEHANDLE in lualib.h before
** 5.2; a luaL_Stream whose closef is NULL once closed since 5.2, a box
** holding a FILE pointer that is NULL once closed in 5.1 and LuaJIT.  Both
** start with the FILE pointer. */
#ifndef LUA_FILEHANDLE
#include "lualib.h"
#endif
#if LUA_VERSION_NUM >= 502
#define dflc_isclosedfile(box) (((luaL_Stream *)(box))->closef == NULL)
#else
#define dflc_isclosedfile(box) (*(FILE **)(box) == NULL)
#endif


#endif
