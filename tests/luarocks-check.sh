#!/bin/sh
# `luarocks make` on the rockspec, in a copy of the source tree (luarocks
# builds in the directory it runs from), into a fresh tree; then use the
# rock from that tree alone.  Usage: luarocks-check.sh SOURCE_DIR WORK_DIR
set -eu
src=$1 work=$2
rm -rf "$work" && mkdir -p "$work/src"
if git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
    (cd "$src" && git ls-files -z | xargs -0 tar -cf -) | tar -xf - -C "$work/src"
else  # a source tarball: everything but build trees
    (cd "$src" && tar --exclude='./build*' -cf - .) | tar -xf - -C "$work/src"
fi
cd "$work/src"
luarocks --lua-version 5.4 make --tree "$work/tree" --deps-mode=none \
    bindings/lua/drivefacts-1.0.0-1.rockspec >"$work/luarocks.log" 2>&1 ||
    { cat "$work/luarocks.log" >&2; exit 1; }
LUA_PATH="$work/tree/share/lua/5.4/?.lua;$work/tree/share/lua/5.4/?/init.lua;;"
LUA_CPATH="$work/tree/lib/lua/5.4/?.so;;"
export LUA_PATH LUA_CPATH
cd "$work"
out=$(lua5.4 -e 'local df = require "drivefacts"
                 io.write(#df.open(), " ", package.searchpath("drivefacts.core", package.cpath))')
case "$out" in
    "122 $work/tree/"*) echo "luarocks make works: $out" ;;
    *) echo "the rock does not load from its tree: '$out'" >&2; exit 1 ;;
esac
