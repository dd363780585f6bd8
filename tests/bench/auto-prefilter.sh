#!/usr/bin/env bash
# The prefilter nobody asks for: a default `df.open` of the generated corpus
# answers a sequence of selective questions (with comments, inline options,
# \Q...\E and a lookahead in them), each once, against `rg -c` given the
# same question as a whole process (ripgrep's syntax has no comments or
# \Q...\E, so it gets the equivalent pattern).  The default db builds its
# trigram prefilter on the second question; the table shows what that
# question pays and what the later ones gain, and the same questions on a
# db opened with `prefilter = false`.  Run by `make bench`; figures in
# README "Performance".
#
# Environment (all optional): BENCH_MB (default 100), BENCH_RUNS (5: the
# minimum over rg's runs), BENCH_SEED (2011), BUILD (build).  Needs lua5.4,
# rg and the built Lua module (`make build`).
#
# Exit status: 0; 1 when the counts disagree; 2 on any other error.
BENCH_NAME=auto-prefilter
# shellcheck source=tests/bench/common.sh
. "$(dirname "$0")/common.sh"
against_rg

# drivefacts pattern, then the same question in ripgrep's syntax
QUESTIONS=(
    'Zyxquorvant' 'Zyxquorvant'
    '(?i)zyxquorvant(?#any case)' '(?i)zyxquorvant'
    'QX-\d{4}-ZZ' 'QX-\d{4}-ZZ'
    '\QQX-\E\d{4}(?#ticket)' 'QX-\d{4}'
    '(?i:zq424)\b' '(?i:zq424)\b'
    'Zyxq(?=uorvant)' 'Zyxquorvant'
    'Nicolas Winding Refn(?= read)' 'Nicolas Winding Refn read'
)
patterns=()
for ((i = 0; i < ${#QUESTIONS[@]}; i += 2)); do patterns+=("${QUESTIONS[i]}"); done

lua5.4 "$ROOT/tests/bench/auto_prefilter.lua" "$CORPUS" "${patterns[@]}" >"$TMP/lua.tsv" ||
    die "auto_prefilter.lua failed"
declare -A LOAD SECS FACTS MEM
while IFS=$'\t' read -r key policy n facts secs mem; do
    case $key in
    load) LOAD[$policy]=$n ;;
    query) SECS[$policy,$n]=$secs FACTS[$policy,$n]=$facts MEM[$policy,$n]=$mem ;;
    esac
done <"$TMP/lua.tsv"

ms() { awk -v s="$1" 'BEGIN { printf (s < 0.01 ? "%.3f" : "%.0f"), s * 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b <= 0) b = 1e-6; r = a / b; printf (r >= 100 ? "%.0f" : r >= 1 ? "%.1f" : "%.2f"), r }'; }

status=0
echo "| # | question | default db | prefilter = false | rg -c | rg / default | facts |"
echo "|--:|---|--:|--:|--:|--:|--:|"
for ((q = 1; q <= ${#patterns[@]}; q++)); do
    rg_pattern=${QUESTIONS[2 * q - 1]}
    timed rg --no-config -c -e "$rg_pattern" "$CORPUS"
    rg_count=$(awk 'NR == 1 { n = $1 } END { print n + 0 }' "$TMP/out")  # no line: none
    facts=${FACTS[default,$q]}
    if [ "$facts" != "$rg_count" ] || [ "$facts" != "${FACTS[false,$q]}" ]; then
        facts="$facts (rg: $rg_count, prefilter = false: ${FACTS[false,$q]})" status=1
    fi
    built=""
    if [ "${MEM[default,$q]}" != 0 ] && { [ "$q" = 1 ] || [ "${MEM[default,$((q - 1))]}" = 0 ]; }; then
        built=" (builds the prefilter: $((MEM[default,$q] / 1048576)) MiB)"
    fi
    printf '| %d | `%s` | %s ms%s | %s ms | %s ms | %s | %s |\n' "$q" "${patterns[q - 1]//|/\\|}" \
        "$(ms "${SECS[default,$q]}")" "$built" "$(ms "${SECS[false,$q]}")" "$(ms "$WALL")" \
        "$(ratio "$WALL" "${SECS[default,$q]}")" "$facts"
done
echo
echo "${BENCH_MB} MiB, lines format; drivefacts: one run of each question in this order, in one process, CPU time, load excluded (default $(ms "${LOAD[default]}") ms, prefilter = false $(ms "${LOAD[false]}") ms); rg -c: whole process, wall, best of $BENCH_RUNS; load $(cut -d' ' -f1-3 /proc/loadavg)"
exit $status
