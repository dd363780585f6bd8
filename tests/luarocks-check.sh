#!/bin/sh
# The rock as a Lua user gets it: `luarocks lint` on the rockspec, then
# `luarocks make` in a copy of the source tree (luarocks builds in the
# directory it runs from) into a fresh tree, for each Lua version given;
# then the module, the command (deployed where PATH finds it) and the
# manual page are used from that tree alone.
# Usage: luarocks-check.sh SOURCE_DIR WORK_DIR LUA_VERSION...
set -eu
src=$1 work=$2
shift 2
rm -rf "$work" && mkdir -p "$work/src"
if git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
    (cd "$src" && git ls-files -z | xargs -0 tar -cf -) | tar -xf - -C "$work/src"
else  # a source tarball: everything but build trees
    (cd "$src" && tar --exclude='./build*' -cf - .) | tar -xf - -C "$work/src"
fi
cd "$work/src"
rockspec=$(ls bindings/lua/drivefacts-*.rockspec)
luarocks lint "$rockspec"
for v in "$@"; do
    tree=$work/tree-$v
    luarocks --lua-version "$v" make --tree "$tree" --deps-mode=none "$rockspec" \
        >"$work/luarocks-$v.log" 2>&1 || { cat "$work/luarocks-$v.log" >&2; exit 1; }
    LUA_PATH="$tree/share/lua/$v/?.lua;$tree/share/lua/$v/?/init.lua;;"
    LUA_CPATH="$tree/lib/lua/$v/?.so;;"
    export LUA_PATH LUA_CPATH
    out=$(cd "$work" && "lua$v" -e 'local df = require "drivefacts"
        io.write(#df.open(), " ", package.searchpath and package.searchpath("drivefacts.core", package.cpath) or "")')
    case "$out" in
        "122 $tree/"*|"122 ") ;;
        *) echo "Lua $v: the rock does not load from its tree: '$out'" >&2; exit 1 ;;
    esac
    count=$(cd "$work" && PATH="$tree/bin:$PATH" drivefacts search -c Gosling)
    [ "$count" -gt 0 ] || { echo "Lua $v: the command from the tree: '$count'" >&2; exit 1; }
    man=$(ls "$tree"/lib/luarocks/rocks-*/drivefacts/*/share/man/man1/drivefacts.1)
    [ -f "$man" ] || { echo "Lua $v: no manual page in the rock" >&2; exit 1; }
    echo "luarocks make works on Lua $v: module, command ($count facts), $man"
done
