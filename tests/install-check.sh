#!/bin/sh
# Install into a fresh prefix and use every installed piece from there only:
# the C library through pkg-config and through CMake's find_package (each
# shared and static), the Lua module with plain lua5.4, the CLI.
# Usage: install-check.sh BUILD_DIR WORK_DIR
set -eu
build=$1 work=$2
prefix=$work/prefix
rm -rf "$work" && mkdir -p "$work"
cmake --install "$build" --prefix "$prefix" >/dev/null

# C: the example, built against the installed header and library.
PKG_CONFIG_PATH=$prefix/lib/pkgconfig
export PKG_CONFIG_PATH
src=$(cd "$(dirname "$0")/../scripts/examples" && pwd)/grep-embedded.c
check_c() {  # check_c PROGRAM HOW: it runs, and a static one needs no libdrivefacts.so
    out=$(LD_LIBRARY_PATH=$prefix/lib "$1" Kavinsky | tail -n 1)
    case "$out" in *"of 122 facts match"*) ;; *) echo "C example ($2): $out" >&2; exit 1 ;; esac
    case "$2" in *static*)
        if ldd "$1" | grep -q libdrivefacts; then echo "$2: linked to the shared library" >&2; exit 1; fi
    esac
}
cc -std=c11 -o "$work/grep-pc-shared" "$src" $(pkg-config --cflags --libs drivefacts)
check_c "$work/grep-pc-shared" "pkg-config, shared"
cc -std=c11 -o "$work/grep-pc-static" "$src" $(pkg-config --cflags drivefacts) \
    $(pkg-config --static --libs drivefacts | sed 's/-ldrivefacts/-Wl,-Bstatic -ldrivefacts -Wl,-Bdynamic/')
check_c "$work/grep-pc-static" "pkg-config, static"

# A CMake project of the consumer's own, with a PCRE2_FOUND that the package
# must leave alone.
mkdir -p "$work/consumer"
cat >"$work/consumer/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.25)
project(consumer C)
set(PCRE2_FOUND "the consumer's own")
find_package(drivefacts $(pkg-config --modversion drivefacts) REQUIRED)
if(NOT PCRE2_FOUND STREQUAL "the consumer's own")
    message(FATAL_ERROR "find_package(drivefacts) changed PCRE2_FOUND to \${PCRE2_FOUND}")
endif()
add_executable(grep-shared "$src")
target_link_libraries(grep-shared PRIVATE drivefacts::drivefacts)
add_executable(grep-static "$src")
target_link_libraries(grep-static PRIVATE drivefacts::static)
CMAKE
cmake -S "$work/consumer" -B "$work/consumer/build" -DCMAKE_PREFIX_PATH="$prefix" >"$work/consumer.log" 2>&1 &&
    cmake --build "$work/consumer/build" >>"$work/consumer.log" 2>&1 ||
    { cat "$work/consumer.log" >&2; exit 1; }
check_c "$work/consumer/build/grep-shared" "find_package, drivefacts::drivefacts"
check_c "$work/consumer/build/grep-static" "find_package, drivefacts::static"

# Lua: the installed module, nothing from the source or build tree.
LUA_PATH="$prefix/share/lua/5.4/?.lua;$prefix/share/lua/5.4/?/init.lua;;"
LUA_CPATH="$prefix/lib/lua/5.4/?.so;;"
export LUA_PATH LUA_CPATH
n=$(cd "$work" && lua5.4 -e 'local df = require "drivefacts"; io.write(#df.open(), " ", df.version)')
[ "$n" = "122 $(pkg-config --modversion drivefacts)" ] || { echo "Lua module: '$n'" >&2; exit 1; }

# CLI: the installed command.
count=$(cd "$work" && "$prefix/bin/drivefacts" search -c Gosling)
[ "$count" -gt 0 ] || { echo "CLI count: '$count'" >&2; exit 1; }
echo "installed prefix works: C library (pkg-config and find_package, shared and static), Lua module, CLI ($count facts mention Gosling)"
