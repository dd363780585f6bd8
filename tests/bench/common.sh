# shellcheck shell=bash
# What the benchmark scripts after bench.sh share; sourced, with BENCH_NAME
# set to the script's name for its messages.  Reads BUILD (build),
# BENCH_MB (100) and BENCH_SEED (2011); sets ROOT, BUILD_DIR, TIMECMD, the
# Lua paths of the built module, and CORPUS, the generated corpus (made
# when missing, in the page cache), which bench.sh shares.
set -euo pipefail
export LC_ALL=C

die() {
    echo "$BENCH_NAME: $*" >&2
    exit 2
}

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
BUILD=${BUILD:-build}
case $BUILD in /*) BUILD_DIR=$BUILD ;; *) BUILD_DIR=$ROOT/$BUILD ;; esac
BENCH_MB=${BENCH_MB:-100}
BENCH_SEED=${BENCH_SEED:-2011}
for v in BENCH_MB BENCH_SEED; do
    case ${!v} in '' | *[!0-9]*) die "$v must be a whole number, not '${!v}'" ;; esac
done
GEN=$BUILD_DIR/tests/bench/gen-corpus
TIMECMD=$BUILD_DIR/tests/bench/timecmd
[ -x "$GEN" ] && [ -x "$TIMECMD" ] || die "gen-corpus and timecmd are not built (run 'make build')"
command -v lua5.4 >/dev/null 2>&1 || die "lua5.4 is not installed"
export LUA_PATH="$ROOT/bindings/lua/?.lua;$ROOT/bindings/lua/?/init.lua;;"
export LUA_CPATH="$BUILD_DIR/bindings/lua/?.so;;"

mkdir -p "$BUILD_DIR/bench"
CORPUS=$BUILD_DIR/bench/corpus-${BENCH_MB}MB-s${BENCH_SEED}.txt
if [ ! -f "$CORPUS" ] || [ "$(wc -c <"$CORPUS")" -ne $((BENCH_MB * 1048576)) ]; then
    echo "$BENCH_NAME: generating a ${BENCH_MB} MiB corpus (seed $BENCH_SEED) ..." >&2
    "$GEN" -s "$BENCH_SEED" -f "$ROOT/core/data/drive-2011.txt" "${BENCH_MB}M" "$CORPUS" ||
        die "gen-corpus failed"
fi
cat "$CORPUS" >/dev/null # into the page cache

# What the scripts that time rg against drivefacts need: BENCH_RUNS
# (default 5, checked), rg, and TMP, a directory removed at exit.
against_rg() {
    BENCH_RUNS=${BENCH_RUNS:-5}
    case $BENCH_RUNS in '' | *[!0-9]* | 0) die "BENCH_RUNS must be a whole number above 0" ;; esac
    command -v rg >/dev/null 2>&1 || die "rg is not installed (Debian: ripgrep)"
    TMP=$(mktemp -d)
    trap 'rm -rf "$TMP"' EXIT
}

# timed CMD...: runs CMD BENCH_RUNS times (its output in $TMP/out); sets
# WALL and CPU, the minimum seconds over the runs.  Exit 1 is a result
# (nothing found), anything above a failure.
timed() {
    local rc
    read -r WALL CPU rc _ < <("$TIMECMD" "$BENCH_RUNS" "$TMP/out" "$TMP/err" "$@")
    if [ "${rc:-2}" -gt 1 ]; then
        head -5 "$TMP/err" >&2
        die "command failed: $*"
    fi
}
