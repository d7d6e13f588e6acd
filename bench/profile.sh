#!/usr/bin/env bash
# Where the CPU time goes: runs casync and jcasync once each under `perf record` on the corpus of
# bench/corpus.sh and prints, per scenario, the CPU seconds of each kind of work side by side, plus
# what two cores allow at best. This is the profile behind the "limits" in the issue notes:
#
#   bench/profile.sh [SCENARIO...]      (default: all; needs root or perf_event_paranoid <= 1)
#
#   make-empty    make os-v2.img into an empty store
#   make-again    make os-v2.img into a store holding os-v1's chunks
#   extract       extract os-v2 from a local store, no seed
#   extract-seed  extract os-v2 from a local store, --seed=os-v1.img
#
# Method: `perf record -e task-clock -c 1000000` samples every millisecond of CPU time of every
# thread, so sample counts are CPU milliseconds. jcasync runs with the launcher's JVM options plus
# -XX:+DumpPerfMapAtExit (names of JIT-compiled methods) and -XX:+PrintStubCode (address ranges of
# the JVM's assembly stubs, where the SHA-512 intrinsic lives). Samples are put into categories by
# thread, library and symbol (see categorize() below). Inputs are read once first, so both tools
# find them in the page cache. One run per tool: this is a breakdown, compare.sh gives the timings.
#
# "2-core floor" is the wall time no schedule on two cores can beat: the larger of half the CPU
# seconds and the CPU seconds of the one thread that cannot be split (jcasync's whole-blob digest).
# "best ratio" = casync's wall time / that floor: the speed-up jcasync could reach on this machine
# doing the work it does now.
#
# Stores and outputs go to a tmpfs (/dev/shm) by default: on a disk file system the kernel's share
# swings by a CPU-second or two with what ran before (ext4 scans recently freed inodes when it
# allocates thousands of new ones), which would bill one tool for the other's deletions. The
# inputs are read from the corpus, in the page cache.
#
# Environment: JCASYNC_CORPUS (default /var/tmp/jcasync-corpus), TMPDIR (work directory parent,
# default /dev/shm, else /var/tmp), CASYNC (default casync). jcasync runs through ./jcasync (java on PATH).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CORPUS="${JCASYNC_CORPUS:-/var/tmp/jcasync-corpus}"
CASYNC="${CASYNC:-casync}"
ALL=(make-empty make-again extract extract-seed)
SCENARIOS=("$@")
(( ${#SCENARIOS[@]} )) || SCENARIOS=("${ALL[@]}")
for s in "${SCENARIOS[@]}"; do
    [[ " ${ALL[*]} " == *" $s "* ]] || { echo "usage: $0 [${ALL[*]}]" >&2; exit 2; }
done

die() { echo "profile: error: $*" >&2; exit 1; }
log() { echo "profile: $(date +%H:%M:%S) $*" >&2; }
command -v perf >/dev/null 2>&1 || { [[ "$(id -u)" == 0 ]] && DEBIAN_FRONTEND=noninteractive apt-get install -y -q linux-perf >&2; } \
    || die "perf not found (apt-get install -y linux-perf)"
perf stat -e task-clock true >/dev/null 2>&1 || die "perf cannot count here (perf_event_paranoid?)"
for t in "$CASYNC" java python3 /usr/bin/time; do
    command -v "$t" >/dev/null 2>&1 || die "$t not found"
done
bash "$ROOT/bench/corpus.sh" "$CORPUS" >&2
"$ROOT/jcasync" --version >/dev/null # builds the jar if needed
# jcasync runs through the launcher, with the JVM options users get, plus what perf needs to name
# Java code (given to the JVM through JAVA_TOOL_OPTIONS for the jcasync runs only).
PERF_JVM_OPTS="-XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit -XX:+PrintStubCode"

if [[ -z "${TMPDIR:-}" ]]; then
    TMPDIR=/var/tmp
    [[ -d /dev/shm && -w /dev/shm ]] && TMPDIR=/dev/shm
fi
W="$(mktemp -d "$TMPDIR/jcasync-profile.XXXXXX")"
ls /tmp/perf-*.map >"$W/maps-before" 2>/dev/null || true
# The JVM's perf maps are needed until `perf script` has run; the ones made here go at the end.
trap 'ls /tmp/perf-*.map 2>/dev/null | grep -vxF -f "$W/maps-before" | xargs -r rm -f; rm -rf "$W"' EXIT
cd "$W"
cat "$CORPUS/os-v1.img" "$CORPUS/os-v2.img" >/dev/null
log "reference stores (casync make)"
"$CASYNC" make --store=v1.castr v1.caibx "$CORPUS/os-v1.img" >/dev/null
"$CASYNC" make --store=v2.castr v2.caibx "$CORPUS/os-v2.img" >/dev/null

# prepare TOOL SCENARIO: a fresh store and output for one run. No store is deleted until the end
# (only the previous output file, one file): on ext4, creating thousands of files right after deleting thousands costs the creator extra
# kernel time (the allocator skips recently freed inodes), which would bill one tool for the other.
prepare() {
    rm -f out.img
    case "$2" in
        make-again) cp -a v1.castr "store-$1-$2.castr" ;;
    esac
    sync
}

# args TOOL SCENARIO: the command line
args() {
    local tool="$1" s="$2" cmd
    if [[ "$tool" == casync ]]; then cmd=("$CASYNC"); else cmd=("$ROOT/jcasync"); fi
    case "$s" in
        make-*) echo "${cmd[@]}" make --store="store-$tool-$s.castr" made.caibx "$CORPUS/os-v2.img" ;;
        extract) echo "${cmd[@]}" extract --store=v2.castr --seed-output=no v2.caibx out.img ;;
        extract-seed) echo "${cmd[@]}" extract --store=v2.castr --seed-output=no --seed="$CORPUS/os-v1.img" v2.caibx out.img ;;
    esac
}

report="$W/report.md"
{
    echo "# Where the CPU time goes: casync vs jcasync, $(date -u '+%Y-%m-%d %H:%M') UTC"
    echo
    echo "- machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(uname -r)"
    echo "- jcasync git $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown); $(java -version 2>&1 | head -n1); $("$CASYNC" --version 2>&1 | head -n1)"
    echo "- corpus: $CORPUS (os-v1.img, os-v2.img: 1 GiB ext4 images, bench/corpus.sh)"
    echo "- CPU seconds from perf task-clock samples (1 per CPU-ms, all threads); wall and user+sys from /usr/bin/time of the same run"
    echo "- stores and outputs in $(df -P "$W" | awk 'NR == 2 { print $1 }') ($W); one run per tool and scenario"
    echo
} >"$report"

for s in "${SCENARIOS[@]}"; do
    for tool in casync jcasync; do
        log "$s: $tool"
        prepare "$tool" "$s"
        if [[ "$tool" == jcasync ]]; then export JAVA_TOOL_OPTIONS="$PERF_JVM_OPTS"; else unset JAVA_TOOL_OPTIONS; fi
        # shellcheck disable=SC2046
        perf record -q -e task-clock -c 1000000 -o "$tool-$s.data" -- \
            /usr/bin/time -f '%e %U %S' -o "$tool-$s.time" $(args "$tool" "$s") >"$tool-$s.out" 2>"$tool-$s.err" \
            || { cat "$tool-$s.err" >&2; die "$tool $s failed"; }
        [[ "$s" == make-* ]] || cmp -s out.img "$CORPUS/os-v2.img" || die "$tool $s: output differs from os-v2.img"
        unset JAVA_TOOL_OPTIONS
        perf script -i "$tool-$s.data" -F comm,tid,ip,sym,dso 2>/dev/null >"$tool-$s.samples"
    done
    python3 - "$s" "$W" >>"$report" <<'EOF'
import collections, re, sys
scenario, w = sys.argv[1], sys.argv[2]

def stub_ranges(path):
    """StubRoutines::name [start, end] lines that -XX:+PrintStubCode printed (jcasync's stdout)."""
    out = []
    for line in open(path, errors="replace"):
        m = re.match(r"StubRoutines::(\S.*?) \[0x([0-9a-f]+), 0x([0-9a-f]+)\]", line)
        if m:
            out.append((int(m.group(2), 16), int(m.group(3), 16), m.group(1)))
    return out

others = collections.Counter()

def categorize(comm, sym, dso, ip, stubs):
    if comm.startswith(("C1 CompilerThre", "C2 CompilerThre")):
        return "JIT compiler threads"
    if "kernel" in dso:
        return "kernel (file I/O, mkdir, page cache)"
    if "zstd" in dso:
        return "zstd"
    if "libcrypto" in dso or "sha512" in sym.lower() or "SHA5" in sym or "ByteArrayAccess" in sym:
        return "SHA-512/256"
    if sym.startswith("StubRoutines"):
        for a, b, name in stubs:
            if a <= ip < b:
                return "SHA-512/256" if name.startswith("sha512") else "memory copies (JVM stubs)"
        return "memory copies (JVM stubs)"
    if "Chunker" in sym or "Buzhash" in sym or "ChunkSplitter" in sym:
        return "chunker"
    if dso.endswith("casync"):
        return "casync itself (chunker, index, ...)"
    if "libc" in dso:
        return "libc (memcpy, memset, ...)"
    if comm.startswith(("VM Thread", "GC Thread")) or "libjvm" in dso or sym == "Interpreter" or "/jvm/" in dso:
        return "JVM (start-up, interpreter, GC, JNI)"
    others[f"{sym or ip} ({dso})"] += 1
    return "other"

def load(tool):
    stubs = stub_ranges(f"{w}/{tool}-{scenario}.out") if tool == "jcasync" else []
    cats, threads = collections.Counter(), collections.Counter()
    for line in open(f"{w}/{tool}-{scenario}.samples", errors="replace"):
        tail = re.match(r"^(.*)\s+\(([^()]*)\)\s*$", line)  # the library is the last (...)
        head = tail and re.match(r"^\s*(.+?)\s+(\d+)\s+([0-9a-f]+)\s*(.*)$", tail.group(1))
        if not head:
            continue
        comm, _, ip, sym = head.groups()
        dso = tail.group(2)
        cats[categorize(comm, sym, dso, int(ip, 16), stubs)] += 1
        threads[re.sub(r"[#\d]+$", "", comm)] += 1
    wall, user, sys_ = (float(x) for x in open(f"{w}/{tool}-{scenario}.time").read().split()[-3:])
    return cats, threads, wall, user + sys_

c_cats, c_threads, c_wall, c_cpu = load("casync")
j_cats, j_threads, j_wall, j_cpu = load("jcasync")
order = sorted(set(c_cats) | set(j_cats), key=lambda k: -(c_cats[k] + j_cats[k]))
sec = lambda n: f"{n / 1000:.2f}"
print(f"## {scenario}\n")
print("| work | casync CPU-s | jcasync CPU-s |\n|---|---:|---:|")
for k in order:
    print(f"| {k} | {sec(c_cats[k])} | {sec(j_cats[k])} |")
print(f"| **all (perf)** | **{sec(sum(c_cats.values()))}** | **{sec(sum(j_cats.values()))}** |")
print(f"| user+sys (time) | {c_cpu:.2f} | {j_cpu:.2f} |")
print(f"| wall (time) | {c_wall:.2f} | {j_wall:.2f} |\n")
# Thread names are cut to 15 characters in the kernel: "jcasync-blob-digest" shows as "jcasync-blob-di".
serial = sum(n for t, n in j_threads.items() if "jcasync-blob-digest".startswith(t) and len(t) >= 15) / 1000
floor = max(sum(j_cats.values()) / 1000 / 2, serial)
if others:
    print("largest in 'other': " + "; ".join(f"{k} {sec(n)}" for k, n in others.most_common(4)) + "\n")
print("jcasync threads (CPU-s): " + ", ".join(f"{t} {sec(n)}" for t, n in j_threads.most_common()) + "\n")
print(f"2-core floor for jcasync: {floor:.2f} s (half of {sec(sum(j_cats.values()))} CPU-s"
      + (f"; whole-blob digest thread {serial:.2f} s" if serial else "") + f"); measured {j_wall:.2f} s. "
      f"Speed-up now {c_wall / j_wall:.2f}x; best on 2 cores with this work {c_wall / floor:.2f}x.\n")
EOF
done
mkdir -p "$ROOT/bench/results"
out="$ROOT/bench/results/profile-$(date +%Y%m%d-%H%M%S).md"
cp "$report" "$out"
cat "$report"
log "saved $out"
