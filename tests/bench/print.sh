#!/usr/bin/env bash
# Searches that print what they find: `drivefacts search PATTERN` (facts,
# one a line, the streamed search) against `rg -n PATTERN` (lines with
# their numbers) on the generated corpus in lines format, where a fact is a
# line, whole processes, the same run, the output of both written to a
# file.  The query set is bench.sh's, in plain output, then its literal in
# Markdown and HTML (the same stream, another renderer), which the
# geometric mean leaves out.  Run by `make bench`; figures in README
# "Performance".
#
# Environment (all optional): BENCH_MB (default 100), BENCH_RUNS (5: the
# minimum times), BENCH_SEED (2011), BUILD (build).  Needs lua5.4, rg and
# the built Lua module (`make build`).
#
# Exit status: 0; 1 when the two print different numbers of lines; 2 on any
# other error.
BENCH_NAME=print
# shellcheck source=tests/bench/common.sh
. "$(dirname "$0")/common.sh"
against_rg

# name, rg/drivefacts flag, pattern, the CLI's --format: bench.sh's
# queries, then the formats other than plain
QUERIES=(
    literal '' 'Gosling' plain
    word-i '-iw' 'drive' plain
    alternation '' 'Mulligan|Cranston|Brooks|Perlman' plain
    class '' '\b[A-Z][a-z]+ [A-Z][a-z]+\b' plain
    rare-literal '' 'Zyxquorvant' plain
    rare-regex '' 'QX-\d{4}-ZZ' plain
    anchored '' '^Ryan Gosling' plain
    literal '' 'Gosling' markdown
    literal '' 'Gosling' html
)

# printed FORMAT CMD...: timed, and the LINES (facts: in HTML the list's
# items, not the page around them) and BYTES it printed.
printed() {
    local format=$1
    shift
    timed "$@"
    if [ "$format" = html ]; then LINES=$(grep -c '^<li ' "$TMP/out" || true); else LINES=$(wc -l <"$TMP/out"); fi
    BYTES=$(wc -c <"$TMP/out")
}
ms() { awk -v s="$1" 'BEGIN { printf "%.0f", s * 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

status=0
log_wall=0 log_cpu=0 n=0
echo "| query | lines | CLI search | rg -n | ratio (wall) | ratio (CPU) | CLI MB out |"
echo "|---|--:|--:|--:|--:|--:|--:|"
for ((q = 0; q < ${#QUERIES[@]}; q += 4)); do
    name=${QUERIES[q]} flag=${QUERIES[q + 1]} pattern=${QUERIES[q + 2]} format=${QUERIES[q + 3]}
    # shellcheck disable=SC2086 # an empty flag is no argument
    printed "$format" lua5.4 "$ROOT/scripts/drivefacts" search $flag --format "$format" "$pattern" \
        --corpus "$CORPUS" --corpus-format lines
    cli_wall=$WALL cli_cpu=$CPU cli_lines=$LINES cli_bytes=$BYTES
    # shellcheck disable=SC2086
    printed plain rg --no-config -n $flag -e "$pattern" "$CORPUS"
    lines=$cli_lines
    if [ "$cli_lines" != "$LINES" ]; then lines="$cli_lines (rg: $LINES)" status=1; fi
    printf '| %s `%s`%s%s | %s | %s ms | %s ms | %s | %s | %s |\n' "$name" "${pattern//|/\\|}" \
        "${flag:+ $flag}" "$([ "$format" = plain ] || echo " --format $format")" "$lines" "$(ms "$cli_wall")" "$(ms "$WALL")" \
        "$(ratio "$WALL" "$cli_wall")" "$(ratio "$CPU" "$cli_cpu")" \
        "$(awk -v b="$cli_bytes" 'BEGIN { printf "%.1f", b / 1048576 }')"
    if [ "$format" = plain ]; then
        log_wall=$(awk -v l="$log_wall" -v a="$WALL" -v b="$cli_wall" 'BEGIN { print l + log(a / b) }')
        log_cpu=$(awk -v l="$log_cpu" -v a="$CPU" -v b="$cli_cpu" 'BEGIN { print l + log(a / b) }')
        n=$((n + 1))
    fi
done
echo
echo "Geometric mean of the ratios in plain output (rg's time / the CLI's; above 1: the CLI is faster): wall $(awk -v l="$log_wall" -v n=$n 'BEGIN { printf "%.2f", exp(l / n) }'), CPU $(awk -v l="$log_cpu" -v n=$n 'BEGIN { printf "%.2f", exp(l / n) }')."
echo "${BENCH_MB} MiB, lines format, best of $BENCH_RUNS runs, output to a file; load $(cut -d' ' -f1-3 /proc/loadavg)"
exit $status
