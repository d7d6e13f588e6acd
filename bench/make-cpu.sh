#!/usr/bin/env bash
# make side by side with casync, reporting CPU seconds as well as wall time: on a shared, loaded
# machine wall times say little, CPU seconds (user+sys) still say what each tool costs.
#
#   bench/make-cpu.sh [JAR...]      (default: cli/target/jcasync.jar)
#
# For each jar (and casync): make os-v2.img into an empty store, then into a copy of a store
# holding os-v1 (made by casync, untimed), RUNS (default 1) runs each, after WARMUP (default 1)
# untimed runs. Stores and indexes on tmpfs (/dev/shm). Every index is compared with casync's.
# The launcher runs the `java` it finds (PATH=/usr/lib/jvm/temurin-25-jdk-amd64/bin:$PATH: JDK 25).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CORPUS="${JCASYNC_CORPUS:-/var/tmp/jcasync-corpus}"
RUNS="${RUNS:-1}"
WARMUP="${WARMUP:-1}"
JARS=("$@")
[[ ${#JARS[@]} -gt 0 ]] || JARS=("$ROOT/cli/target/jcasync.jar")
W="$(mktemp -d /dev/shm/jcasync-make-cpu.XXXXXX)"
trap 'rm -rf "$W"' EXIT

casync make --store="$W/v1.castr" "$W/v1.caibx" "$CORPUS/os-v1.img" >/dev/null
casync make --store="$W/ref.castr" "$W/ref.caibx" "$CORPUS/os-v2.img" >/dev/null

# run NAME CMD...: prints "NAME wall_s cpu_s rss_mib"
run() {
    local name="$1"; shift
    sync
    /usr/bin/time -f "%e %U %S %M" -o "$W/time" "$@" >/dev/null 2>"$W/err" || { cat "$W/err" >&2; exit 1; }
    read -r wall user sys rss <"$W/time"
    cmp -s "$W/out.caibx" "$W/ref.caibx" || { echo "$name: index differs from casync's" >&2; exit 1; }
    awk -v n="$name" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" \
        'BEGIN { printf "%-40s wall %6.2f s  cpu %6.2f s  rss %4d MiB\n", n, w, u + s, r / 1024 }'
}

tool() { # tool LABEL store-mode
    local label="$1" mode="$2"; shift 2
    rm -rf "$W/store" "$W/out.caibx"
    if [[ "$mode" == again ]]; then cp -a "$W/v1.castr" "$W/store"; fi
    if [[ "$label" == casync ]]; then
        run "casync make ($mode)" casync make --store="$W/store" "$W/out.caibx" "$CORPUS/os-v2.img"
    else
        run "jcasync $(basename "$label") ($mode)" env JCASYNC_JAR="$label" "$ROOT/jcasync" make \
            --store="$W/store" "$W/out.caibx" "$CORPUS/os-v2.img"
    fi
}

echo "# $(date -u '+%F %H:%M') UTC, load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
for mode in empty again; do
    for ((i = 0; i < WARMUP; i++)); do
        for t in casync "${JARS[@]}"; do tool "$t" "$mode" >/dev/null; done
    done
    for ((i = 0; i < RUNS; i++)); do
        for t in casync "${JARS[@]}"; do tool "$t" "$mode"; done
    done
done
echo "# end: load average $(cut -d' ' -f1-3 /proc/loadavg)"
