#!/usr/bin/env bash
# The drivefacts benchmark: drivefacts against ripgrep, pcre2grep
# and Lua loops on a generated corpus, with the ratio to ripgrep, and a check
# that every tool counts the same facts.  Run by `make bench`; results and
# their reading are in tests/bench/RESULTS.md.
#
# Environment (all optional):
#   BENCH_MB=100          corpus size in MiB (BENCH_MB=10: a quick run)
#   BENCH_RUNS=3          runs of each external command (the minimum counts)
#   BENCH_INPROC_RUNS=5   runs of each in-process query (C; Lua does 3 at most)
#   BENCH_SEED=2011       generator seed
#   BENCH_MEM_SIZES       corpus sizes (MiB) for the memory table; default
#                         "10 100 500" when BENCH_MB >= 100, else BENCH_MB;
#                         empty: skip the memory table
#   BENCH_OUT             where the markdown report goes (it is also printed);
#                         default BUILD/bench/results-<MB>MB.md
#   BUILD=build           the CMake build directory that `make build` made
#                         (relative to the source tree, or absolute)
# Needs lua5.4, rg, pcre2grep, lua-rex-pcre2, the built Lua module and a C
# compiler (only when the CMake build has not built the helpers).
#
# Times.  Every time is the minimum over the runs.  The main tables use CPU
# time (user + system): for these single-threaded programs it equals the
# wall-clock time on an idle machine, and it is what a busy machine (other
# builds or tests on the same cores) distorts least.  External commands are
# also shown in wall-clock time, the time a user waits; the load average at
# the start and end is printed so that a noisy run can be recognised.
#
# Exit status: 0; 1 when the tools disagree on a count; 2 on any other error.
set -euo pipefail
export LC_ALL=C

die() {
    echo "bench: $*" >&2
    exit 2
}

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
BUILD=${BUILD:-build}
case $BUILD in /*) BUILD_DIR=$BUILD ;; *) BUILD_DIR=$ROOT/$BUILD ;; esac
BENCH_MB=${BENCH_MB:-100}
BENCH_RUNS=${BENCH_RUNS:-3}
BENCH_INPROC_RUNS=${BENCH_INPROC_RUNS:-5}
BENCH_SEED=${BENCH_SEED:-2011}
for v in BENCH_MB BENCH_RUNS BENCH_INPROC_RUNS BENCH_SEED; do
    case ${!v} in '' | *[!0-9]*) die "$v must be a whole number, not '${!v}'" ;; esac
done
if [ "$BENCH_MB" -lt 1 ] || [ "$BENCH_MB" -gt 1024 ]; then die "BENCH_MB must be 1..1024 (MiB)"; fi
if [ "$BENCH_RUNS" -lt 1 ] || [ "$BENCH_INPROC_RUNS" -lt 1 ]; then die "runs must be at least 1"; fi
if [ -z "${BENCH_MEM_SIZES+set}" ]; then
    if [ "$BENCH_MB" -ge 100 ]; then BENCH_MEM_SIZES="10 100 500"; else BENCH_MEM_SIZES=$BENCH_MB; fi
fi
BENCH_DIR=$BUILD_DIR/bench
BENCH_OUT=${BENCH_OUT:-$BENCH_DIR/results-${BENCH_MB}MB.md}
LOAD_START=$(cut -d' ' -f1 /proc/loadavg)

# ------------------------------------------------------------------ tools

need() {
    command -v "$1" >/dev/null 2>&1 || die "'$1' is not installed ($2)"
}
need lua5.4 "Debian: lua5.4"
need rg "Debian: ripgrep"
need pcre2grep "Debian: pcre2-utils"
need awk "Debian: mawk or gawk"
lua5.4 -e 'require "rex_pcre2"' 2>/dev/null || die "the Lua module rex_pcre2 is missing (Debian: lua-rex-pcre2)"

export LUA_PATH="$ROOT/bindings/lua/?.lua;$ROOT/bindings/lua/?/init.lua;;"
export LUA_CPATH="$BUILD_DIR/bindings/lua/?.so;;"
lua5.4 -e 'require "drivefacts"' >/dev/null 2>&1 ||
    die "the drivefacts Lua module does not load from $BUILD_DIR (run 'make build'): $(lua5.4 -e 'require "drivefacts"' 2>&1 | head -1)"
[ -f "$ROOT/scripts/drivefacts" ] || die "scripts/drivefacts is missing"
CLI=(lua5.4 "$ROOT/scripts/drivefacts")

mkdir -p "$BENCH_DIR/bin"

# The C helpers: from the CMake build when it has them (tests/bench added
# with add_subdirectory), otherwise compiled here; bench_search links the
# static library that `make build` made.
helper() {
    local name=$1 src=$ROOT/tests/bench/$1.c out=$BENCH_DIR/bin/$1
    if [ -x "$BUILD_DIR/tests/bench/$name" ]; then
        echo "$BUILD_DIR/tests/bench/$name"
        return
    fi
    local cc=${CC:-cc}
    command -v "$cc" >/dev/null 2>&1 || die "no C compiler ('$cc') to build $name"
    local lib=$BUILD_DIR/core/libdrivefacts.a
    if [ "$name" = bench_search ]; then
        [ -f "$lib" ] || die "$lib is missing (run 'make build')"
        if [ ! -x "$out" ] || [ "$src" -nt "$out" ] || [ "$lib" -nt "$out" ]; then
            # shellcheck disable=SC2046
            "$cc" -std=c11 -O2 -g -Wall -Wextra -I"$ROOT/core/include" -o "$out" "$src" "$lib" \
                $(pkg-config --libs libpcre2-8 2>/dev/null || echo -lpcre2-8) >&2 ||
                die "cannot build $name"
        fi
    elif [ ! -x "$out" ] || [ "$src" -nt "$out" ]; then
        "$cc" -std=c11 -O2 -g -Wall -Wextra -o "$out" "$src" >&2 || die "cannot build $name"
    fi
    echo "$out"
}
GEN=$(helper gen-corpus)
BENCH_C=$(helper bench_search)
TIMECMD=$(helper timecmd)

# corpus MIB -> its path; generated when missing, of the wrong size, or older
# than the generator.  Same seed and size: the same bytes.
corpus() {
    local mb=$1 path=$BENCH_DIR/corpus-${1}MB-s${BENCH_SEED}.txt
    if [ ! -f "$path" ] || [ ! -f "$path.manifest" ] || [ "$GEN" -nt "$path" ] ||
        [ "$(wc -c <"$path")" -ne $((mb * 1048576)) ]; then
        echo "bench: generating a ${mb} MiB corpus (seed $BENCH_SEED) ..." >&2
        "$GEN" -s "$BENCH_SEED" -f "$ROOT/core/data/drive-2011.txt" "${mb}M" "$path" ||
            die "gen-corpus failed"
    fi
    echo "$path"
}
manifest() { awk -F'\t' -v k="$2" '$1 == k { print $2 }' "$1.manifest"; }

CORPUS=$(corpus "$BENCH_MB")
cat "$CORPUS" >/dev/null # into the page cache: every tool reads from memory

# ------------------------------------------------------------------ queries
# name, flags (drivefacts letters), pattern.  The first six are the issue's
# set (the geometric means are over them).  "anchored" is an extra: its ^
# makes it not context-free, so PCRE2 cannot scan the whole buffer for it;
# the scan for the string it requires ("ryan gosling", caseless) finds the
# facts that may match, each then matched alone.  bench.lua knows the string.find
# form of each by name (and checks that the pattern is the same).
Q_NAME=(literal word-i alternation class rare-literal rare-regex anchored)
Q_FLAGS=("" iw "" "" "" "" "")
Q_PAT=('Gosling' 'drive' 'Mulligan|Cranston|Brooks|Perlman' '\b[A-Z][a-z]+ [A-Z][a-z]+\b'
    'Zyxquorvant' 'QX-\d{4}-ZZ' '^Ryan Gosling')
NQ=${#Q_NAME[@]}
NCORE=6
SELECTIVE="rare-literal rare-regex"

opt_args() { # drivefacts flags -> grep options, one a line
    case $1 in *i*) printf '%s\n' -i ;; esac
    case $1 in *w*) printf '%s\n' -w ;; esac
    return 0
}

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# run_timed CMD...: runs CMD BENCH_RUNS times; sets SECS (minimum CPU time),
# WALL (minimum wall time), RSS_KB (peak) and COUNT (the first number CMD
# printed; 0 when it printed nothing and exited 1, as rg does for no match).
# An exit status above 1 is fatal, with the command's stderr.
run_timed() {
    local line rc
    line=$("$TIMECMD" "$BENCH_RUNS" "$TMP/out" "$TMP/err" "$@") || {
        cat "$TMP/err" >&2
        die "cannot run: $*"
    }
    read -r WALL SECS rc RSS_KB <<<"$line"
    if [ "$rc" -gt 1 ]; then
        head -5 "$TMP/err" >&2
        die "command failed (exit $rc): $*"
    fi
    COUNT=$(awk 'NR == 1 { print $1 + 0; exit }' "$TMP/out")
    COUNT=${COUNT:-0}
}

declare -A T C W # [tool,query]: CPU seconds, facts counted, wall seconds
declare -A MATCHES JIT LOAD_S LOAD_MBPS LUA_LOAD AGREE GEO GEO_WALL CAND

# -------------------------------------------------- C: df_count, load, floor
echo "bench: C API (bench_search, $BENCH_INPROC_RUNS runs) ..." >&2
specs=()
for ((q = 0; q < NQ; q++)); do specs+=("${Q_FLAGS[q]}:${Q_PAT[q]}"); done
"$BENCH_C" -r "$BENCH_INPROC_RUNS" "$CORPUS" "${specs[@]}" >"$TMP/c.tsv" || die "bench_search failed"
while IFS=$'\t' read -r key a b c d e f; do
    case $key in
    query)
        n=${Q_NAME[a - 1]}
        C[c,$n]=$b T[c,$n]=$d MATCHES[$n]=$c JIT[$n]=$f
        : "$e" # SECONDS_ALL: every match, not only the first per fact
        ;;
    fquery | mquery)
        n=${Q_NAME[a - 1]} t=c-file
        if [ "$key" = mquery ]; then t=c-map; fi
        C[$t,$n]=$b T[$t,$n]=$c
        ;;
    pquery)
        n=${Q_NAME[a - 1]}
        C[c-pf,$n]=$b T[c-pf,$n]=$d CAND[$n]=$f
        ;;
    prefilter) PF_BUILD_S=$a PF_BYTES=$b ;;
    read | utf8 | loadbuf | load | loadfirst | memchr) LOAD_S[$key]=$a LOAD_MBPS[$key]=$b ;;
    facts) NFACTS=$a ;;
    bytes) FILE_BYTES=$a FACT_BYTES=$b ;;
    esac
done <"$TMP/c.tsv"

# ------------------------------------------------------ external commands
for ((q = 0; q < NQ; q++)); do
    n=${Q_NAME[q]} f=${Q_FLAGS[q]} p=${Q_PAT[q]}
    mapfile -t o < <(opt_args "$f")
    echo "bench: $n: CLI, rg, pcre2grep ($BENCH_RUNS runs each) ..." >&2
    run_timed "${CLI[@]}" search -c "${o[@]}" "$p" --corpus "$CORPUS" --corpus-format lines
    T[cli,$n]=$SECS W[cli,$n]=$WALL C[cli,$n]=$COUNT
    run_timed "${CLI[@]}" search -c --no-mmap "${o[@]}" "$p" --corpus "$CORPUS" --corpus-format lines
    T[cli-read,$n]=$SECS W[cli-read,$n]=$WALL C[cli-read,$n]=$COUNT
    run_timed rg --no-config -c "${o[@]}" -e "$p" "$CORPUS"
    T[rg,$n]=$SECS W[rg,$n]=$WALL C[rg,$n]=$COUNT
    # (*UCP): \b, \w and caseless matching by Unicode properties, as
    # drivefacts always does; pcre2grep -u alone is UTF without UCP.
    run_timed pcre2grep -c -u "${o[@]}" -e "(*UCP)$p" "$CORPUS"
    T[pcre2grep,$n]=$SECS W[pcre2grep,$n]=$WALL C[pcre2grep,$n]=$COUNT
done

# CLI start-up: the same command on the embedded 122-fact corpus.
run_timed "${CLI[@]}" search -c Gosling
CLI_STARTUP=$SECS

# ------------------------------------------------------------ Lua in-process
lua_args=()
for ((q = 0; q < NQ; q++)); do lua_args+=("${Q_NAME[q]}" "${Q_FLAGS[q]}" "${Q_PAT[q]}"); done
LUA_RUNS=$((BENCH_INPROC_RUNS < 3 ? BENCH_INPROC_RUNS : 3))
for method in search psearch count rex,find; do
    echo "bench: Lua $method ($LUA_RUNS runs) ..." >&2
    lua5.4 "$ROOT/tests/bench/bench.lua" "$CORPUS" "$LUA_RUNS" "$method" "${lua_args[@]}" \
        >"$TMP/lua.tsv" || die "bench.lua $method failed"
    while IFS=$'\t' read -r key m a b c; do
        case $key in
        load) LUA_LOAD[$m]=$a ;;
        result)
            if [ "$c" != unsupported ]; then
                T[lua-$m,$a]=$c C[lua-$m,$a]=$b
            fi
            ;;
        esac
    done <"$TMP/lua.tsv"
done

# Result sets: db:search against db:count of the same query, and
# formatting the hits, over the query set and the issue's "Refn".
echo "bench: Lua result sets ($LUA_RUNS runs) ..." >&2
RS_NAMES=("${Q_NAME[@]}" refn)
lua5.4 "$ROOT/tests/bench/bench.lua" "$CORPUS" "$LUA_RUNS" rs "${lua_args[@]}" refn "" Refn \
    >"$TMP/rs.tsv" || die "bench.lua rs failed"
declare -A RS_FACTS RS_COUNT RS_SEARCH RS_FORMAT RS_WRITE RS_BYTES
while IFS=$'\t' read -r key n facts count search format write bytes; do
    if [ "$key" = rs ]; then
        RS_FACTS[$n]=$facts RS_COUNT[$n]=$count RS_SEARCH[$n]=$search
        RS_FORMAT[$n]=$format RS_WRITE[$n]=$write RS_BYTES[$n]=$bytes
    fi
done <"$TMP/rs.tsv"

# ------------------------------------------------------------------ memory
MEM_ROWS=()
for mb in $BENCH_MEM_SIZES; do
    echo "bench: memory at $mb MiB ..." >&2
    path=$(corpus "$mb")
    cat "$path" >/dev/null
    c_kb=$("$BENCH_C" --load-only "$path" | awk -F'\t' '$1 == "rss_kb" { print $2 }')
    BENCH_RUNS=1 run_timed "${CLI[@]}" search -c Zyxquorvant --corpus "$path" --corpus-format lines
    cli_kb=$RSS_KB
    BENCH_RUNS=1 run_timed "${CLI[@]}" search -c --no-mmap Zyxquorvant --corpus "$path" --corpus-format lines
    cli_read_kb=$RSS_KB
    BENCH_RUNS=1 run_timed rg --no-config -c Zyxquorvant "$path"
    MEM_ROWS+=("$mb $c_kb $cli_kb $RSS_KB $cli_read_kb")
done
LOAD_END=$(cut -d' ' -f1 /proc/loadavg)

# ------------------------------------------------------------------ report
TOOLS=(cli cli-read c-map c-file lua-search lua-psearch lua-count c c-pf rg pcre2grep lua-rex lua-find)
declare -A LABEL=([cli]="CLI search -c" [lua-search]="Lua db:search" [lua-count]="Lua core.count"
    [c]="C df_count" [c-pf]="C df_count_prefiltered" [lua-psearch]="Lua db:search, prefilter"
    [c-file]="C df_count_file" [c-map]="C df_count_file, mmap" [cli-read]="CLI search -c --no-mmap"
    [rg]="rg -c" [pcre2grep]="pcre2grep -c" [lua-rex]="Lua rex_pcre2 loop"
    [lua-find]="Lua string.find loop")

# Counts against the C API's, and the planted tokens against the manifest.
disagree=0
declare -A TRUTH=([rare-literal]=$(manifest "$CORPUS" zyxquorvant_facts) [rare-regex]=$(manifest "$CORPUS" qx_facts))
for ((q = 0; q < NQ; q++)); do
    n=${Q_NAME[q]}
    ref=${C[c,$n]}
    AGREE[$n]=yes
    for t in "${TOOLS[@]}"; do
        v=${C[$t,$n]-}
        if [ -n "$v" ] && [ "$v" != "$ref" ]; then AGREE[$n]=NO disagree=1; fi
    done
    if [ -n "${TRUTH[$n]-}" ] && [ "${TRUTH[$n]}" != "$ref" ]; then
        AGREE[$n]="NO (planted ${TRUTH[$n]})" disagree=1
    fi
done

ms() { awk -v s="$1" 'BEGIN { printf (s * 1000 >= 100 ? "%.0f" : s * 1000 >= 10 ? "%.1f" : s * 1000 >= 0.1 ? "%.2f" : "%.4f"), s * 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b <= 0) print "-"; else printf "%.2f", a / b }'; }
mbps() { awk -v b="$FILE_BYTES" -v s="$1" 'BEGIN { if (s > 0) printf "%.0f", b / 1e6 / s }'; }
mdpat() { printf '%s' "$1" | sed 's/|/\\|/g'; }
# geomean ARRAY TOOL: geometric mean of rg/TOOL over the first NCORE queries.
geomean() {
    local -n times=$1
    local vals="" q n k g
    for ((q = 0; q < NCORE; q++)); do
        n=${Q_NAME[q]}
        if [ -n "${times[$2,$n]-}" ]; then vals="$vals ${times[rg,$n]}/${times[$2,$n]}"; fi
    done
    g=$(awk -v v="$vals" 'BEGIN { k = split(v, a, " "); if (k == 0) { print "-"; exit }
        s = 0; for (i = 1; i <= k; i++) { split(a[i], r, "/"); s += log(r[1] / r[2]) } printf "%.2f", exp(s / k) }')
    k=$(echo "$vals" | wc -w)
    if [ "$k" -lt "$NCORE" ]; then g="$g (of $k)"; fi
    echo "$g"
}
for t in "${TOOLS[@]}"; do GEO[$t]=$(geomean T "$t"); done
for t in cli cli-read pcre2grep; do GEO_WALL[$t]=$(geomean W "$t"); done
header() { # the table header for the given tools
    printf '| query |'
    for t in "$@"; do printf ' %s |' "${LABEL[$t]}"; done
    printf '\n|---|'
    for _ in "$@"; do printf -- '--:|'; done
    echo
}
RATIO_TOOLS=(cli cli-read c-map c-file lua-search lua-psearch lua-count c c-pf pcre2grep lua-rex lua-find)

{
    echo "## drivefacts benchmark: $BENCH_MB MiB corpus"
    echo
    echo "- machine: $(nproc) CPUs, $(lscpu 2>/dev/null | awk -F: '/Model name/ { gsub(/^ +/, "", $2); if (!m) m = $2 } END { print m }'), $(awk '/MemTotal/ { printf "%.0f GiB RAM", $2 / 1048576 }' /proc/meminfo); load average $LOAD_START at the start, $LOAD_END at the end"
    echo "- corpus: $(basename "$CORPUS"), $FILE_BYTES bytes, $NFACTS facts, $FACT_BYTES bytes of fact text (lines format), seed $BENCH_SEED"
    echo "- tools: $(rg --version | awk 'NR == 1'), pcre2grep $(pcre2grep --version | awk '{ print $3 }'), $(lua5.4 -v 2>&1 | awk '{ print $1, $2 }'), drivefacts $(lua5.4 -e 'print(require("drivefacts").version)')"
    jit="yes"
    for ((q = 0; q < NQ; q++)); do if [ "${JIT[${Q_NAME[q]}]}" != 1 ]; then jit="NO (${Q_NAME[q]} interpreted)"; fi; done
    echo "- drivefacts regexes JIT-compiled: $jit"
    echo "- times: minimum CPU time (user + system) of $BENCH_RUNS runs for commands (file in the page cache), of $BENCH_INPROC_RUNS (C) / $LUA_RUNS (Lua) runs of the query alone in-process"
    echo
    echo "### Facts matched (every tool must agree)"
    echo
    printf '| query | pattern |'
    for t in "${TOOLS[@]}"; do printf ' %s |' "${LABEL[$t]}"; done
    printf ' matches | agree |\n|---|---|'
    for _ in "${TOOLS[@]}"; do printf -- '--:|'; done
    printf -- '--:|---|\n'
    for ((q = 0; q < NQ; q++)); do
        n=${Q_NAME[q]}
        # shellcheck disable=SC2016
        printf '| %s | `%s`%s |' "$n" "$(mdpat "${Q_PAT[q]}")" "${Q_FLAGS[q]:+ -${Q_FLAGS[q]}}"
        for t in "${TOOLS[@]}"; do printf ' %s |' "${C[$t,$n]-n/a}"; done
        printf ' %s | %s |\n' "${MATCHES[$n]}" "${AGREE[$n]}"
    done
    echo
    echo "### Time (ms, CPU)"
    echo
    header "${TOOLS[@]}"
    for ((q = 0; q < NQ; q++)); do
        n=${Q_NAME[q]}
        printf '| %s |' "$n"
        for t in "${TOOLS[@]}"; do
            if [ -n "${T[$t,$n]-}" ]; then printf ' %s |' "$(ms "${T[$t,$n]}")"; else printf ' n/a |'; fi
        done
        echo
    done
    echo
    echo "### Ratio to rg (rg time / tool time, CPU; > 1 is faster than rg)"
    echo
    header "${RATIO_TOOLS[@]}"
    for ((q = 0; q < NQ; q++)); do
        n=${Q_NAME[q]}
        printf '| %s%s |' "$n" "$(if [ "$q" -ge "$NCORE" ]; then echo ' \*'; fi)"
        for t in "${RATIO_TOOLS[@]}"; do
            if [ -n "${T[$t,$n]-}" ]; then printf ' %s |' "$(ratio "${T[rg,$n]}" "${T[$t,$n]}")"; else printf ' n/a |'; fi
        done
        echo
    done
    printf '| **geometric mean** (first %d) |' "$NCORE"
    for t in "${RATIO_TOOLS[@]}"; do printf ' **%s** |' "${GEO[$t]}"; done
    echo
    echo
    echo "\\* not in the issue's query set: anchored with ^, so not context-free: only the facts that hold its string are matched, one by one."
    echo
    echo "### Commands in wall-clock time (ms; ratio = rg / tool)"
    echo
    echo "| query | CLI search -c | CLI --no-mmap | rg -c | pcre2grep -c | CLI ratio | CLI --no-mmap ratio | pcre2grep ratio |"
    echo "|---|--:|--:|--:|--:|--:|--:|--:|"
    for ((q = 0; q < NQ; q++)); do
        n=${Q_NAME[q]}
        echo "| $n | $(ms "${W[cli,$n]}") | $(ms "${W[cli-read,$n]}") | $(ms "${W[rg,$n]}") | $(ms "${W[pcre2grep,$n]}") | $(ratio "${W[rg,$n]}" "${W[cli,$n]}") | $(ratio "${W[rg,$n]}" "${W[cli-read,$n]}") | $(ratio "${W[rg,$n]}" "${W[pcre2grep,$n]}") |"
    done
    echo "| **geometric mean** (first $NCORE) | | | | | **${GEO_WALL[cli]}** | **${GEO_WALL[cli-read]}** | **${GEO_WALL[pcre2grep]}** |"
    echo
    echo "### Load and floor (CPU time)"
    echo
    echo "| step | ms | MB/s |"
    echo "|---|--:|--:|"
    echo "| read(2) of the whole file | $(ms "${LOAD_S[read]}") | ${LOAD_MBPS[read]%.*} |"
    echo "| df_utf8_check | $(ms "${LOAD_S[utf8]}") | ${LOAD_MBPS[utf8]%.*} |"
    echo "| df_corpus_load_buffer (copy, validate, split) | $(ms "${LOAD_S[loadbuf]}") | ${LOAD_MBPS[loadbuf]%.*} |"
    echo "| **df_corpus_load_file, first in the process** | **$(ms "${LOAD_S[loadfirst]}")** | **${LOAD_MBPS[loadfirst]%.*}** |"
    echo "| df_corpus_load_file, best of repeated loads | $(ms "${LOAD_S[load]}") | ${LOAD_MBPS[load]%.*} |"
    echo "| Lua df.open (lines) | $(ms "${LUA_LOAD[search]}") | $(mbps "${LUA_LOAD[search]}") |"
    echo "| Lua drivefacts.core.load_file | $(ms "${LUA_LOAD[count]}") | $(mbps "${LUA_LOAD[count]}") |"
    echo "| Lua df.open (lines) with prefilter = true | $(ms "${LUA_LOAD[psearch]}") | $(mbps "${LUA_LOAD[psearch]}") |"
    echo "| df_prefilter_build | $(ms "$PF_BUILD_S") | $(mbps "$PF_BUILD_S") |"
    echo "| memchr floor (scan of the loaded buffer) | $(ms "${LOAD_S[memchr]}") | ${LOAD_MBPS[memchr]%.*} |"
    echo "| CLI start-up (search -c on the embedded 122 facts) | $(ms "$CLI_STARTUP") | |"
    echo
    if [ "${#MEM_ROWS[@]}" -gt 0 ]; then
        echo "### Peak memory (RSS)"
        echo
        echo "| corpus MiB | C load: MiB | C / corpus | CLI search -c: MiB | CLI --no-mmap: MiB | rg -c: MiB |"
        echo "|--:|--:|--:|--:|--:|--:|"
        for row in "${MEM_ROWS[@]}"; do
            # shellcheck disable=SC2086
            set -- $row
            awk -v mb="$1" -v c="$2" -v l="$3" -v r="$4" -v n="$5" 'BEGIN {
                printf "| %d | %.1f | %.2f | %.1f | %.1f | %.1f |\n", mb, c / 1024, c / 1024 / mb, l / 1024, n / 1024, r / 1024 }'
        done
        echo
        echo "The CLI's search -c maps the file, as rg does: the mapped pages count in its RSS but are the"
        echo "page cache's, shared, not memory it allocates; with --no-mmap it reads 256 KiB at a time."
        echo
        echo "Prefilter memory (df_prefilter_memory): see the Prefilter section."
        echo
    fi
    echo "### Prefilter"
    echo
    awk -v m="$PF_BYTES" -v c="$FACT_BYTES" -v s="$PF_BUILD_S" 'BEGIN {
        printf "- index memory: %.1f MiB for %.1f MiB of fact text: **%.2f× the corpus** (goal ≤ 1×)\n", m / 1048576, c / 1048576, m / c
        printf "- build: %.0f ms (%.0f MB/s), once per load\n", s * 1000, c / 1e6 / s }'
    echo
    echo "| query | candidate facts | of | C df_count_prefiltered ms | C df_count ms | speed-up | ratio to rg |"
    echo "|---|--:|--:|--:|--:|--:|--:|"
    for ((q = 0; q < NQ; q++)); do
        n=${Q_NAME[q]}
        echo "| $n | ${CAND[$n]} | $NFACTS | $(ms "${T[c-pf,$n]}") | $(ms "${T[c,$n]}") | $(ratio "${T[c,$n]}" "${T[c-pf,$n]}") | $(ratio "${T[rg,$n]}" "${T[c-pf,$n]}") |"
    done
    echo
    echo "### Result sets (Lua, df.open with prefilter = false: every fact scanned)"
    echo
    echo "| query | facts | db:count ms | db:search ms | search / count | rs:format(\"plain\") ms | rs:write(file, \"plain\") ms | output MB |"
    echo "|---|--:|--:|--:|--:|--:|--:|--:|"
    for n in "${RS_NAMES[@]}"; do
        echo "| $n | ${RS_FACTS[$n]} | $(ms "${RS_COUNT[$n]}") | $(ms "${RS_SEARCH[$n]}") | $(ratio "${RS_SEARCH[$n]}" "${RS_COUNT[$n]}") | $(ms "${RS_FORMAT[$n]}") | $(ms "${RS_WRITE[$n]}") | $(awk -v b="${RS_BYTES[$n]}" 'BEGIN { printf "%.1f", b / 1e6 }') |"
    done
    echo
    worst=$(for n in "${RS_NAMES[@]}"; do ratio "${RS_SEARCH[$n]}" "${RS_COUNT[$n]}"; echo; done | sort -g | tail -1)
    echo "- db:search at most 2× db:count, worst query: ${worst}× — $(awk -v r="$worst" 'BEGIN { if (r + 0 <= 2) print "**met**"; else print "**missed**" }')"
    echo
    echo "### Goals"
    echo
    for t in cli cli-read; do
        for kind in CPU wall; do
            if [ "$kind" = CPU ]; then g=${GEO[$t]%% *}; else g=${GEO_WALL[$t]%% *}; fi
            echo "- ${LABEL[$t]} vs \`rg -c\`, geometric mean over the six queries, load included ($kind time): ${g}× — $(awk -v g="$g" 'BEGIN { if (g >= 1) print "**met**"; else printf "**missed**: %.1f× slower than rg", 1 / g }')"
        done
    done
    for n in $SELECTIVE; do
        for t in lua-search lua-psearch lua-count c c-pf; do
            r=$(ratio "${T[rg,$n]}" "${T[$t,$n]-0}")
            echo "- $n, ${LABEL[$t]} vs rg: ${r}× (goal ≥ 20×) — $(awk -v r="$r" 'BEGIN { if (r + 0 >= 20) print "**met**"; else printf "**missed** by %.1f×", 20 / r }')"
        done
    done
    if [ "$disagree" -ne 0 ]; then
        echo
        echo "**COUNTS DISAGREE** — see the first table."
    fi
} | tee "$BENCH_OUT"

echo "bench: report written to $BENCH_OUT" >&2
if [ "$disagree" -ne 0 ]; then
    echo "bench: FAILED: the tools disagree on some counts" >&2
    exit 1
fi
