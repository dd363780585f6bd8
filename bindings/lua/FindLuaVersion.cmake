# Finding the Luas the module is built for (included by the top CMakeLists).
#
# df_find_lua(VERSION) sets, for VERSION one of 5.1 5.2 5.3 5.4 luajit:
#   DF_LUA_INCDIR_<VERSION>       the directory of its lua.h (pkg-config)
#   DF_LUA_INTERPRETER_<VERSION>  its interpreter (lua5.4, luajit...)
# each NOTFOUND when missing.  The header must declare the version asked
# for, so that a stray lua.h never builds a module that cannot load.
#
# df_lua_version(INCDIR OUT) sets OUT to the version INCDIR's headers
# declare (5.1 .. 5.4, or luajit).

set(DF_LUA_VERSIONS 5.1 5.2 5.3 5.4 luajit)

function(df_lua_version incdir out)
    if(EXISTS ${incdir}/luajit.h)
        set(${out} luajit PARENT_SCOPE)
        return()
    endif()
    file(STRINGS ${incdir}/lua.h num REGEX "^#define[ \t]+LUA_VERSION_NUM[ \t]+[0-9]+")
    string(REGEX REPLACE ".*LUA_VERSION_NUM[ \t]+([0-9])0([0-9]).*" "\\1.\\2" version "${num}")
    set(${out} ${version} PARENT_SCOPE)
endfunction()

function(df_find_lua version)
    if(version STREQUAL "luajit")
        set(modules luajit)
        set(programs luajit)
    else()
        string(REPLACE "." "" nodot ${version})
        set(modules lua${version} lua-${version} lua${nodot})
        set(programs lua${version} lua${nodot} lua-${version})
    endif()
    string(MAKE_C_IDENTIFIER "DF_PC_LUA_${version}" pc)
    pkg_search_module(${pc} QUIET ${modules})
    set(incdir NOTFOUND)
    foreach(dir IN LISTS ${pc}_INCLUDE_DIRS)
        if(EXISTS ${dir}/lua.h)
            df_lua_version(${dir} declared)
            if(declared STREQUAL version)
                set(incdir ${dir})
                break()
            endif()
        endif()
    endforeach()
    set(DF_LUA_INCDIR_${version} ${incdir} PARENT_SCOPE)
    find_program(DF_LUA_INTERPRETER_${version} NAMES ${programs})
    set(DF_LUA_INTERPRETER_${version} ${DF_LUA_INTERPRETER_${version}} PARENT_SCOPE)
endfunction()
