#!/usr/bin/env bash
# Alternations of strings: `drivefacts search -c` against `rg -c` on the
# generated corpus, case-sensitive and caseless, whole processes, the same
# run.  The CLI counts these by its multi-string scan alone (no PCRE2 per
# fact; see search_litscan.c), so the ratio says how that scan, the file
# reading and the start-up of Lua compare with ripgrep.  Run by `make bench`
# after bench.sh; the figures are in README "Performance".
#
# Environment (all optional): BENCH_MB (default 100), BENCH_RUNS (5: the
# minimum counts), BENCH_SEED (2011), BUILD (build).  Needs lua5.4, rg, the
# built Lua module and bench helpers (`make build`).
#
# Exit status: 0; 1 when the counts disagree; 2 on any other error.
BENCH_NAME=alternation
# shellcheck source=tests/bench/common.sh
. "$(dirname "$0")/common.sh"
against_rg

# counted CMD...: timed, and COUNT, the number its output starts with.
counted() {
    timed "$@"
    COUNT=$(awk 'NR == 1 { print $1 + 0; exit }' "$TMP/out")
}
ms() { awk -v s="$1" 'BEGIN { printf "%.0f", s * 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

PATTERN='Mulligan|Cranston|Brooks|Perlman'
status=0
echo "| query | CLI search -c | rg -c | ratio (wall) | ratio (CPU) | facts |"
echo "|---|--:|--:|--:|--:|--:|"
for flag in "" -i; do
    counted lua5.4 "$ROOT/scripts/drivefacts" search -c $flag "$PATTERN" --corpus "$CORPUS" \
        --corpus-format lines
    cli_wall=$WALL cli_cpu=$CPU cli_count=$COUNT
    counted rg --no-config -c $flag -e "$PATTERN" "$CORPUS"
    agree=$cli_count
    if [ "$cli_count" != "$COUNT" ]; then agree="$cli_count (rg: $COUNT)" status=1; fi
    printf '| `%s`%s | %s ms | %s ms | %s | %s | %s |\n' "${PATTERN//|/\\|}" "${flag:+ $flag}" \
        "$(ms "$cli_wall")" "$(ms "$WALL")" "$(ratio "$WALL" "$cli_wall")" \
        "$(ratio "$CPU" "$cli_cpu")" "$agree"
done
echo
echo "${BENCH_MB} MiB, best of $BENCH_RUNS runs; ratio: rg's time / the CLI's (above 1: the CLI is faster); load $(cut -d' ' -f1-3 /proc/loadavg)"
exit $status
