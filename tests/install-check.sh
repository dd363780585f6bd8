#!/bin/sh
# Install into a fresh prefix and use every installed piece from there only:
# the C library through pkg-config, the Lua module with plain lua5.4, the CLI.
# Usage: install-check.sh BUILD_DIR WORK_DIR
set -eu
build=$1 work=$2
prefix=$work/prefix
rm -rf "$work" && mkdir -p "$work"
cmake --install "$build" --prefix "$prefix" >/dev/null

# C: compile the example against the installed header and library.
PKG_CONFIG_PATH=$prefix/lib/pkgconfig
export PKG_CONFIG_PATH
src=$(dirname "$0")/../scripts/examples/grep-embedded.c
cc -std=c11 -o "$work/grep-embedded" "$src" $(pkg-config --cflags --libs drivefacts)
out=$(LD_LIBRARY_PATH=$prefix/lib "$work/grep-embedded" Kavinsky | tail -n 1)
case "$out" in *"of 122 facts match"*) ;; *) echo "C example: $out" >&2; exit 1 ;; esac

# Lua: the installed module, nothing from the source or build tree.
LUA_PATH="$prefix/share/lua/5.4/?.lua;$prefix/share/lua/5.4/?/init.lua;;"
LUA_CPATH="$prefix/lib/lua/5.4/?.so;;"
export LUA_PATH LUA_CPATH
n=$(cd "$work" && lua5.4 -e 'local df = require "drivefacts"; io.write(#df.open(), " ", df.version)')
[ "$n" = "122 1.0.0" ] || { echo "Lua module: '$n'" >&2; exit 1; }

# CLI: the installed command.
count=$(cd "$work" && "$prefix/bin/drivefacts" search -c Gosling)
[ "$count" -gt 0 ] || { echo "CLI count: '$count'" >&2; exit 1; }
echo "installed prefix works: C library, Lua module, CLI ($count facts mention Gosling)"
