#!/bin/sh
# The busted specs of the Lua API under valgrind's memcheck.
#
#   lua-specs.sh VALGRIND LUA BUSTED SPEC...
#
# Run from ctest (valgrind-lua-specs) with the environment of lua-specs
# (LUA_PATH, LUA_CPATH, DRIVEFACTS_SOURCE_DIR, DRIVEFACTS_BUILD_DIR).
# Fails on any memcheck error (invalid access, use of uninitialised
# values, a definite leak) and on any failing spec.
#
# - PCRE2 JIT's SIMD over-reads of Lua strings are suppressed by lua.supp
#   (next to this script); see the comments there.
# - Only definite leaks count: busted ends with os.exit without closing
#   the Lua state, so everything still reachable at exit is reported as
#   "still reachable" / "possibly lost" by no fault of ours.
# - Tests tagged #slow (the 30 MB fact, a million facts) are left out:
#   under memcheck they take minutes and add no new code paths.
set -eu

if [ $# -lt 4 ]; then
    echo "usage: $0 VALGRIND LUA BUSTED SPEC..." >&2
    exit 2
fi
valgrind=$1 lua=$2 busted=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)

exec "$valgrind" -q --error-exitcode=1 \
    --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite \
    --suppressions="$here/lua.supp" \
    "$lua" "$busted" --output=TAP --exclude-tags=slow "$@"
