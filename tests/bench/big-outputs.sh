#!/usr/bin/env bash
# The big-output rows of the hardening issue: the CLI commands whose output
# (or work) grows with the corpus -- stats and report with and without the
# Drive profile's knowledge index, dupes, search -l, and search -l cut short
# by a reader that stops -- on the generated corpus, with their
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
BENCH_NAME=big-outputs
# shellcheck source=tests/bench/common.sh
. "$(dirname "$0")/common.sh"
BENCH_OUT=${BENCH_OUT:-$BUILD_DIR/bench/big-outputs-${BENCH_MB}MB.md}

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

measure "stats" "$CLI stats"
measure "stats --profile drive" "$CLI --profile drive stats"
measure "dupes" "$CLI dupes"
measure "dupes --limit 100" "$CLI dupes --limit 100"
measure "report" "$CLI report"
measure "report --profile drive" "$CLI --profile drive report"
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
