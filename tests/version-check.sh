#!/bin/sh
# The version is written once, in the public header; every other place that
# shows it must agree: the CMake project, pkg-config, the manual page, the
# Lua module, the command, the rockspec (its name, version and tag) and the
# newest entry of CHANGELOG.md.
# Usage: version-check.sh SOURCE_DIR BUILD_DIR LUA (LUA_PATH/LUA_CPATH set)
set -eu
src=$1 build=$2 lua=$3
header=$src/core/include/drivefacts.h
part() { sed -n "s/^#define DF_VERSION_$1 \([0-9]*\)$/\1/p" "$header"; }
v=$(part MAJOR).$(part MINOR).$(part PATCH)
fail() { echo "version $v (header) but $1" >&2; exit 1; }

grep -q "^CMAKE_PROJECT_VERSION:STATIC=$v\$" "$build/CMakeCache.txt" || fail "another in CMake"
grep -q "^Version: $v\$" "$build/core/drivefacts.pc" || fail "another in drivefacts.pc"
grep -q "\"drivefacts $v\"" "$build/scripts/drivefacts.1" || fail "another in the manual page"
got=$("$lua" -e 'io.write(require("drivefacts").version)')
[ "$got" = "$v" ] || fail "$got in the Lua module"
got=$("$lua" "$src/scripts/drivefacts" --version)
[ "$got" = "drivefacts $v" ] || fail "'$got' from the command"
rockspec=$src/bindings/lua/drivefacts-$v-1.rockspec
[ "$(ls "$src"/bindings/lua/*.rockspec)" = "$rockspec" ] || fail "the rockspec is not (only) $rockspec"
grep -q "^version = \"$v-1\"\$" "$rockspec" || fail "another version in the rockspec"
grep -q "tag = \"v$v\"" "$rockspec" || fail "another tag in the rockspec"
newest=$(sed -n 's/^## \([0-9][0-9.]*\).*/\1/p' "$src/CHANGELOG.md" | head -n 1)
[ "$newest" = "$v" ] || fail "$newest as the newest entry of CHANGELOG.md"
echo "version $v everywhere"
