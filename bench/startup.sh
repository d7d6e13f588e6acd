#!/usr/bin/env bash
# Start-up and small jobs, jcasync beside casync, in one run (issue 14):
#
#   bench/startup.sh
#
#   --version      jcasync --version vs casync --version vs a bare `java -version` of the JDK the
#                  launcher picks (the same JVM options)
#   list           list of a directory archive index (.caidx of the files in the 12 MiB tar, casync lists
#                  no blob index)
#   digest         digest of the 12 MiB image
#   extract        extract of the 12 MiB image from a local store (casync made the store)
#
# Method: each command RUNS times (default 10) after one untimed warm-up; the median wall time
# is reported (hyperfine when installed: its median; else a loop with date +%s%N). Peak RSS is
# the largest /usr/bin/time %M over 3 further runs. Every extract output is compared with the
# image (cmp). Then the ratios against the targets: jcasync --version within 2.5x of the bare
# `java -version`; the extract within 6x of casync and at most 64 MiB RSS.
# It also checks the class archive: used when it matches, ignored without a word when the jar
# changed (a copy of the jar and its archive, the copy touched).
#
# Environment: RUNS, CASYNC (default casync), JCASYNC (default ./jcasync), TMPDIR (work directory
# parent, default /var/tmp). Results are saved to bench/results/startup-<date>.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${RUNS:-10}"
CASYNC="${CASYNC:-casync}"
JCASYNC="${JCASYNC:-$ROOT/jcasync}"
die() { echo "startup: error: $*" >&2; exit 1; }
log() { echo "startup: $(date +%H:%M:%S) $*" >&2; }
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer"
[[ -x /usr/bin/time ]] || die "/usr/bin/time not found (apt-get install -y time)"
command -v "$CASYNC" >/dev/null 2>&1 || die "$CASYNC not found"

# The jar is built (and its class archive made) before anything is timed.
"$JCASYNC" --version >/dev/null
jar="$ROOT/cli/target/jcasync.jar"
java_line="$("$JCASYNC" --version | sed -n 2p)"
java_bin="${java_line##* at }"
[ -x "$java_bin" ] || die "cannot tell the launcher's java from: $java_line"

work="$(mktemp -d "${TMPDIR:-/var/tmp}/jcasync-startup.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cd "$work"
# A 12 MiB image of real files (a tar of /usr/bin, cut), its index and store made by casync.
tar -cf - -C /usr bin 2>/dev/null | head -c 12M >image.img || true
[ "$(stat -c %s image.img)" -eq $((12 << 20)) ] || die "could not make the 12 MiB image"
"$CASYNC" make --store=store.castr image.caibx image.img >/dev/null
mkdir tree && { tar -xf image.img -C tree 2>/dev/null || true; } # the files the cut tar holds
"$CASYNC" make --store=store.castr tree.caidx tree >/dev/null

load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
have_hyperfine=0
command -v hyperfine >/dev/null 2>&1 && have_hyperfine=1

# median_ms COMMAND: the median wall time in ms of RUNS runs of COMMAND (a shell string).
median_ms() {
    local cmd="$1"
    if ((have_hyperfine)); then
        hyperfine -N --warmup 1 --runs "$RUNS" --export-json "$work/h.json" "$cmd" >/dev/null 2>&1 \
            || hyperfine --warmup 1 --runs "$RUNS" --export-json "$work/h.json" "$cmd" >/dev/null 2>&1
        python3 -c 'import json,sys; print(round(json.load(open(sys.argv[1]))["results"][0]["median"]*1000))' "$work/h.json"
        return
    fi
    bash -c "$cmd" >/dev/null 2>&1 || true
    local times=() i start end
    for ((i = 0; i < RUNS; i++)); do
        start="$(date +%s%N)"
        bash -c "$cmd" >/dev/null 2>&1
        end="$(date +%s%N)"
        times+=($(((end - start) / 1000000)))
    done
    printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'
}
# peak_kb COMMAND: the largest peak RSS (KiB) of 3 runs (of the largest process of the shell string).
peak_kb() {
    local best=0 kb i
    for i in 1 2 3; do
        /usr/bin/time -o "$work/t" -f %M bash -c "$1" >/dev/null 2>&1 || true
        kb="$(tail -1 "$work/t")"
        ((kb > best)) && best="$kb"
    done
    echo "$best"
}

extract_j="rm -f out-j.img && $JCASYNC extract -q --store=store.castr image.caibx out-j.img"
extract_c="rm -f out-c.img && $CASYNC extract --store=store.castr image.caibx out-c.img"
declare -A ms kb
log "timing ($RUNS runs each, hyperfine: $have_hyperfine)"
ms[jversion]="$(median_ms "$JCASYNC --version")"
ms[cversion]="$(median_ms "$CASYNC --version")"
ms[bare]="$(median_ms "$java_bin -XX:-UsePerfData -XX:+UseSerialGC -Xms8m -XX:TieredStopAtLevel=1 -version")"
ms[jlist]="$(median_ms "$JCASYNC list --store=store.castr tree.caidx")"
ms[clist]="$(median_ms "$CASYNC list --store=store.castr tree.caidx")"
ms[jdigest]="$(median_ms "$JCASYNC digest image.img")"
ms[cdigest]="$(median_ms "$CASYNC digest image.img")"
ms[jextract]="$(median_ms "$extract_j")"
ms[cextract]="$(median_ms "$extract_c")"
# jcasync syncs its output before renaming it into place; casync does not: the same without.
ms[jextract_nosync]="$(median_ms "${extract_j/extract -q/extract -q --no-sync}")"
cmp image.img out-j.img && cmp image.img out-c.img || die "an extracted image differs from the original"
kb[jversion]="$(peak_kb "$JCASYNC --version")"
kb[cversion]="$(peak_kb "$CASYNC --version")"
kb[bare]="$(peak_kb "$java_bin -XX:-UsePerfData -XX:+UseSerialGC -Xms8m -XX:TieredStopAtLevel=1 -version")"
kb[jlist]="$(peak_kb "$JCASYNC list --store=store.castr tree.caidx")"
kb[clist]="$(peak_kb "$CASYNC list --store=store.castr tree.caidx")"
cmp <("$JCASYNC" list --store=store.castr tree.caidx) <("$CASYNC" list --store=store.castr tree.caidx) \
    || die "jcasync list differs from casync list"
kb[jdigest]="$(peak_kb "$JCASYNC digest image.img")"
kb[cdigest]="$(peak_kb "$CASYNC digest image.img")"
kb[jextract]="$(peak_kb "$extract_j")"
kb[cextract]="$(peak_kb "$extract_c")"
load_end="$(cut -d' ' -f1-3 /proc/loadavg)"

# The class archive: is there one, and does a stale one stay silent?
archive="$(ls "${jar%.jar}"-java-* 2>/dev/null | head -1 || true)"
archive_check="no archive beside $jar"
if [ -n "$archive" ]; then
    cp "$jar" "$work/copy.jar"
    cp "$archive" "$work/copy${archive#"${jar%.jar}"}"
    fresh="$(JCASYNC_JAR="$work/copy.jar" "$JCASYNC" list image.caibx 2>&1 | md5sum)"
    [ "$fresh" = "$("$JCASYNC" list image.caibx 2>&1 | md5sum)" ] || die "the jar's copy lists differently"
    touch -d '+1 minute' "$work/copy.jar" # the jar changed: the JVM must refuse the archive, quietly
    stale="$(JCASYNC_JAR="$work/copy.jar" "$JCASYNC" list image.caibx 2>&1 | md5sum)"
    if [ "$fresh" = "$stale" ]; then
        archive_check="$(basename "$archive"): same output (stdout and stderr) with a changed jar"
    else
        archive_check="$(basename "$archive"): OUTPUT CHANGED with a changed jar"
    fi
fi

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
verdict() { awk -v r="$1" -v t="$2" 'BEGIN { print (r <= t ? "met" : "NOT met") }'; }
r_version="$(ratio "${ms[jversion]}" "${ms[bare]}")"
r_extract="$(ratio "${ms[jextract]}" "${ms[cextract]}")"
mib_extract="$(awk -v k="${kb[jextract]}" 'BEGIN { printf "%.1f", k / 1024 }')"

out="$ROOT/bench/results/startup-$(date +%Y%m%d-%H%M%S).md"
mkdir -p "$ROOT/bench/results"
{
    echo "# Start-up and small jobs: jcasync vs casync ($(date -u +%Y-%m-%dT%H:%MZ))"
    echo
    echo "- jcasync: \`$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo '?')\`, $java_line"
    echo "- casync: $("$CASYNC" --version 2>&1 | head -1)"
    echo "- $(nproc) cores; load average at start $load_start, at end $load_end (the machine is shared"
    echo "  with other jobs: wall times vary with the load)"
    echo "- $RUNS runs per command, median wall time ($( ((have_hyperfine)) && echo hyperfine || echo 'a loop, date +%s%N')); peak RSS: largest of 3 runs (/usr/bin/time %M)"
    echo "- class archive: $archive_check"
    echo
    echo "| job | casync | jcasync | ratio | bare java -version |"
    echo "|---|---:|---:|---:|---:|"
    echo "| \`--version\` | ${ms[cversion]} ms, ${kb[cversion]} KiB | ${ms[jversion]} ms, ${kb[jversion]} KiB | $(ratio "${ms[jversion]}" "${ms[cversion]}") | ${ms[bare]} ms, ${kb[bare]} KiB |"
    echo "| \`list\` (.caidx of a tree of $(du -sh tree | cut -f1)) | ${ms[clist]} ms, ${kb[clist]} KiB | ${ms[jlist]} ms, ${kb[jlist]} KiB | $(ratio "${ms[jlist]}" "${ms[clist]}") | |"
    echo "| \`digest\` (12 MiB file) | ${ms[cdigest]} ms, ${kb[cdigest]} KiB | ${ms[jdigest]} ms, ${kb[jdigest]} KiB | $(ratio "${ms[jdigest]}" "${ms[cdigest]}") | |"
    echo "| extract 12 MiB, local store | ${ms[cextract]} ms, ${kb[cextract]} KiB | ${ms[jextract]} ms, ${kb[jextract]} KiB | $r_extract | |"
    echo "| the same, jcasync \`--no-sync\` (casync never syncs) | ${ms[cextract]} ms | ${ms[jextract_nosync]} ms | $(ratio "${ms[jextract_nosync]}" "${ms[cextract]}") | |"
    echo
    echo "Targets:"
    echo
    echo "- \`jcasync --version\` / bare \`java -version\`: ${r_version}x (target 2.5x: $(verdict "$r_version" 2.5))"
    echo "- 12 MiB extract / casync: ${r_extract}x (target 6x: $(verdict "$r_extract" 6))"
    echo "- 12 MiB extract peak RSS: $mib_extract MiB (target 64 MiB: $(verdict "$mib_extract" 64))"
} | tee "$out"
log "saved $out"
