#!/usr/bin/env bash
# Compares jcasync's chunker and make with casync on the same random input.
#
#   bench/chunker-vs-casync.sh            (from anywhere; it works from the repository root)
#
# 1. Builds bench/target/benchmarks.jar if it is missing (REBUILD=1 forces a build).
# 2. Writes SIZE_MIB (default 256) MiB of random data to a temporary directory.
# 3. Runs the JMH ChunkerBenchmark briefly (single thread) and prints MiB/s per core.
# 4. Times `casync make --store=DIR idx.caibx FILE` and jcasync's BlobMaker (via
#    dev.jcasync.bench.MakeTimer) at concurrency 1 and 2, RUNS (default 3) runs each,
#    interleaved, every run into a fresh empty store, and prints the median wall time,
#    MiB/s and the ratio to casync.
#
# Environment: SIZE_MIB, RUNS, JMH_OPTS (JMH options, default "-f 1 -wi 2 -i 3 -w 2s -r 3s"),
# CONCURRENCIES (default "1 2"), CASYNC (default casync), JAVA (default java),
# TMPDIR (where the input and stores go), REBUILD=1, SKIP_JMH=1.
# MiB/s is 2^20 bytes per second of input.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

SIZE_MIB="${SIZE_MIB:-256}"
RUNS="${RUNS:-3}"
JMH_OPTS="${JMH_OPTS:--f 1 -wi 2 -i 3 -w 2s -r 3s}"
CONCURRENCIES="${CONCURRENCIES:-1 2}"
CASYNC="${CASYNC:-casync}"
JAVA="${JAVA:-java}"
JAR="$ROOT/bench/target/benchmarks.jar"

die() { echo "error: $*" >&2; exit 1; }

command -v "$CASYNC" >/dev/null 2>&1 || die "casync not found ('$CASYNC')"
command -v "$JAVA" >/dev/null 2>&1 || die "java not found ('$JAVA')"
[[ "$SIZE_MIB" =~ ^[1-9][0-9]*$ ]] || die "SIZE_MIB must be a positive integer"
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer"

TMP="$(mktemp -d "${TMPDIR:-/tmp}/jcasync-bench.XXXXXX")"
cleanup() { rm -rf "$TMP"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- build -----------------------------------------------------------------------------------
if [[ ! -f "$JAR" || "${REBUILD:-0}" == 1 ]]; then
    echo "== building $JAR"
    command -v mvn >/dev/null 2>&1 || die "mvn not found"
    mvn -q -B -pl bench -am package -DskipTests
    [[ -f "$JAR" ]] || die "build did not produce $JAR"
fi

now() { date +%s.%N; }
# median of the numbers on stdin (one per line)
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) exit 1; if (NR % 2) print v[(NR + 1) / 2]; else printf "%.6f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
mibps() { awk -v mib="$SIZE_MIB" -v s="$1" 'BEGIN { printf "%.1f", mib / s }'; }

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //' || echo unknown CPU)"
echo "== $("$JAVA" -version 2>&1 | head -n1); $("$CASYNC" --version 2>&1 | head -n1)"

# --- input -----------------------------------------------------------------------------------
INPUT="$TMP/input.bin"
echo "== generating ${SIZE_MIB} MiB of random data in $TMP"
head -c "${SIZE_MIB}M" /dev/urandom > "$INPUT"
[[ "$(stat -c %s "$INPUT")" -eq $((SIZE_MIB * 1024 * 1024)) ]] || die "short input file"
cat "$INPUT" > /dev/null   # into the page cache, so no tool pays for the first read

# --- JMH -------------------------------------------------------------------------------------
if [[ "${SKIP_JMH:-0}" != 1 ]]; then
    echo "== JMH ChunkerBenchmark ($JMH_OPTS), single thread, 64 MiB seeded buffer in memory (random, and image-like with zero runs)"
    # shellcheck disable=SC2086  # JMH_OPTS is a list of options
    if ! "$JAVA" -jar "$JAR" 'dev.jcasync.bench.ChunkerBenchmark' $JMH_OPTS \
            -rf csv -rff "$TMP/jmh.csv" > "$TMP/jmh.log" 2>&1; then
        cat "$TMP/jmh.log" >&2
        die "JMH run failed"
    fi
    echo
    printf '%-28s %16s %14s\n' "benchmark" "ops/s (+-99.9%)" "MiB/s/core"
    # CSV: "Benchmark","Mode","Threads","Samples","Score","Score Error (99.9%)","Unit",...,"Param: sizeMiB"
    awk -F, '
        { gsub(/"/, "") }
        NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "Score") sc = i; if ($i ~ /Score Error/) er = i; if ($i == "Param: sizeMiB") sz = i; if ($i == "Param: content") ct = i }; next }
        {
            name = $1; sub(/.*\./, "", name)
            if (ct) name = name "/" $ct
            mib = (sz ? $sz : 64)
            err = ($er == "NaN" ? "n/a" : sprintf("%.3f", $er))
            printf "%-28s %8.3f +- %-5s %14.1f\n", name, $sc, err, $sc * mib
        }' "$TMP/jmh.csv"
    echo "(boundaries = ChunkSplitter over an in-memory channel; boundariesAndDigest = + SHA-512/256 per chunk;"
    echo " rawCut = Chunker.cut over the array, no channel; one op = the whole buffer, MiB/s = ops/s x 64)"
    echo
fi

# --- make: casync vs jcasync -----------------------------------------------------------------
echo "== make: ${SIZE_MIB} MiB file, fresh store per run, $RUNS runs each (interleaved), defaults (64K avg, sha512-256, zstd)"
: > "$TMP/casync.times"
for c in $CONCURRENCIES; do : > "$TMP/jc$c.times"; : > "$TMP/jc$c.inner"; done

for run in $(seq 1 "$RUNS"); do
    # casync
    rm -rf "$TMP/store" "$TMP/casync.caibx"
    sync
    t0="$(now)"
    "$CASYNC" make --store="$TMP/store" "$TMP/casync.caibx" "$INPUT" > "$TMP/casync.out" 2> "$TMP/casync.err" \
        || { cat "$TMP/casync.err" >&2; die "casync make failed"; }
    t1="$(now)"
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f\n", b - a }' >> "$TMP/casync.times"
    echo "   run $run: casync make $(tail -n1 "$TMP/casync.times") s"

    # jcasync, per concurrency
    for c in $CONCURRENCIES; do
        rm -rf "$TMP/store" "$TMP/jc$c.caibx"
        sync
        t0="$(now)"
        "$JAVA" -cp "$JAR" dev.jcasync.bench.MakeTimer "$INPUT" "$TMP/store" "$c" "$TMP/jc$c.caibx" \
            > "$TMP/jc.out" 2> "$TMP/jc.err" || { cat "$TMP/jc.err" >&2; die "jcasync make failed"; }
        t1="$(now)"
        awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f\n", b - a }' >> "$TMP/jc$c.times"
        tail -n1 "$TMP/jc.out" >> "$TMP/jc$c.inner"
        echo "   run $run: jcasync make -j$c $(tail -n1 "$TMP/jc$c.times") s (in JVM $(tail -n1 "$TMP/jc$c.inner") s)"
    done
done
rm -rf "$TMP/store"

echo
cas_s="$(median < "$TMP/casync.times")"
cas_mibps="$(mibps "$cas_s")"
printf '%-24s %10s %9s %10s %14s\n' "tool" "median s" "MiB/s" "vs casync" "in-JVM MiB/s"
printf '%-24s %10.3f %9s %10s %14s\n' "casync make" "$cas_s" "$cas_mibps" "1.00x" "-"
for c in $CONCURRENCIES; do
    s="$(median < "$TMP/jc$c.times")"
    inner="$(median < "$TMP/jc$c.inner")"
    ratio="$(awk -v a="$cas_s" -v b="$s" 'BEGIN { printf "%.2fx", a / b }')"
    printf '%-24s %10.3f %9s %10s %14s\n' "jcasync make (conc. $c)" "$s" "$(mibps "$s")" "$ratio" "$(mibps "$inner")"
done
echo "(wall time of the whole process, JVM start-up included; in-JVM = MakeTimer's own clock, open to index written;"
echo " jcasync conc. N = N hashing/compressing workers plus the reading/chunking thread)"

for c in $CONCURRENCIES; do
    if cmp -s "$TMP/casync.caibx" "$TMP/jc$c.caibx"; then
        echo "index check: jcasync (conc. $c) .caibx is byte-identical to casync's"
    else
        echo "index check: WARNING jcasync (conc. $c) .caibx differs from casync's" >&2
    fi
done
