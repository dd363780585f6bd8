#!/usr/bin/env bash
# The big-output rows of the hardening issue: the CLI commands whose output
# (or work) grows with the corpus -- dupes, report, search -l, and search -l
# cut short by a reader that stops -- on the generated corpus, with their
# wall-clock and CPU time, peak memory and output size.  Run by `make bench`
# after bench.sh; the results and their reading are in tests/bench/RESULTS.md.
#
# Environment (all optional): BENCH_MB (default 100), BENCH_SEED (2011),
# BUILD (build), BENCH_OUT (default BUILD/bench/big-outputs-<MB>MB.md).
# Needs lua5.4, the built Lua module and the built bench helpers
# (gen-corpus, timecmd: `make build`).  One run of each command.
#
# Exit status: 0; 2 when a command fails (exit status above 1) or a tool is
# missing.
set -euo pipefail
export LC_ALL=C

die() {
    echo "big-outputs: $*" >&2
    exit 2
}

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
BUILD=${BUILD:-build}
case $BUILD in /*) BUILD_DIR=$BUILD ;; *) BUILD_DIR=$ROOT/$BUILD ;; esac
BENCH_MB=${BENCH_MB:-100}
BENCH_SEED=${BENCH_SEED:-2011}
for v in BENCH_MB BENCH_SEED; do
    case ${!v} in '' | *[!0-9]*) die "$v must be a whole number, not '${!v}'" ;; esac
done
BENCH_DIR=$BUILD_DIR/bench
BENCH_OUT=${BENCH_OUT:-$BENCH_DIR/big-outputs-${BENCH_MB}MB.md}
GEN=$BUILD_DIR/tests/bench/gen-corpus
TIMECMD=$BUILD_DIR/tests/bench/timecmd
[ -x "$GEN" ] && [ -x "$TIMECMD" ] || die "gen-corpus and timecmd are not built (run 'make build')"
command -v lua5.4 >/dev/null 2>&1 || die "lua5.4 is not installed"
export LUA_PATH="$ROOT/bindings/lua/?.lua;$ROOT/bindings/lua/?/init.lua;;"
export LUA_CPATH="$BUILD_DIR/bindings/lua/?.so;;"

mkdir -p "$BENCH_DIR"
CORPUS=$BENCH_DIR/corpus-${BENCH_MB}MB-s${BENCH_SEED}.txt # shared with bench.sh
if [ ! -f "$CORPUS" ] || [ "$(wc -c <"$CORPUS")" -ne $((BENCH_MB * 1048576)) ]; then
    echo "big-outputs: generating a ${BENCH_MB} MiB corpus (seed $BENCH_SEED) ..." >&2
    "$GEN" -s "$BENCH_SEED" -f "$ROOT/core/data/drive-2011.txt" "${BENCH_MB}M" "$CORPUS" ||
        die "gen-corpus failed"
fi
cat "$CORPUS" >/dev/null # into the page cache

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
CLI="lua5.4 $(printf '%q' "$ROOT/scripts/drivefacts") --corpus $(printf '%q' "$CORPUS") --corpus-format lines"

rows=()
# measure NAME SHELL-COMMAND: one run under timecmd (peak RSS of the whole
# pipeline: the shell waits for it), its stdout counted.
measure() {
    local name=$1 command=$2 wall cpu rc rss bytes shown
    echo "big-outputs: $name ..." >&2
    read -r wall cpu rc rss < <("$TIMECMD" 1 "$TMP/out" "$TMP/err" sh -c "$command")
    if [ "$rc" -gt 1 ]; then
        head -5 "$TMP/err" >&2
        die "$name failed (exit $rc)"
    fi
    bytes=$(wc -c <"$TMP/out")
    shown=${command//$CLI/drivefacts}
    rows+=("$(printf '| %s | `%s` | %.2f | %.2f | %d | %d | %d |' "$name" "${shown//|/\\|}" \
        "$wall" "$cpu" $((rss / 1024)) "$bytes" "$rc")")
}

measure "dupes" "$CLI dupes"
measure "dupes --limit 100" "$CLI dupes --limit 100"
measure "report" "$CLI report"
measure "search -l" "$CLI search -l e"
measure "search -l, reader stops" "$CLI search -l e | head -1"
measure "search -c (the floor)" "$CLI search -c e"

{
    echo "## Big outputs: ${BENCH_MB} MiB"
    echo
    echo "- corpus: $(basename "$CORPUS"), $(wc -c <"$CORPUS") bytes, lines format, seed $BENCH_SEED"
    echo "- machine: $(nproc) CPUs, load average $(cut -d' ' -f1 /proc/loadavg) at the end"
    echo "- one run each; memory is the peak resident set of the command (and its pipeline)"
    echo
    echo "| row | command | wall s | CPU s | peak MiB | stdout bytes | exit |"
    echo "|---|---|--:|--:|--:|--:|--:|"
    printf '%s\n' "${rows[@]}"
} | tee "$BENCH_OUT"
