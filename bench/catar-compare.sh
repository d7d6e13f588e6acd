#!/usr/bin/env bash
# Directory archives, jcasync against casync, side by side (issue 11):
#
#   bench/catar-compare.sh
#
#   1  make: a root-file-system-like tree (directories of /usr/share copied until TREE_MB, default
#      300 MB: tens of thousands of files) into a .caidx and a store (each tool its own store)
#   2  extract of that .caidx from nginx into a new directory
#   3  extract of the next version (2% of the files changed, 1% removed, NEW_MB of new files)
#      from nginx into a new directory, seeded by the old tree (--seed=OLD_TREE)
#
# Per step and tool: wall time, CPU time (user+sys), peak RSS (/usr/bin/time), and for extracts
# the bytes nginx sent (its access log: body bytes of chunk GETs) and the number of chunk GETs.
# Every result is checked (diff -r --no-dereference against the tree archived); the two tools'
# indexes must be byte-identical. One run per step, the page cache warm (the source trees were
# just written); `sync` before every timed step. The jcasync runs use the launcher (./jcasync, its
# default JVM options, a private copy of cli/target/jcasync.jar). Needs casync, nginx, /usr/bin/time; the jar is built if missing.
# Report: stdout and bench/results/catar-<date>.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TREE_MB="${TREE_MB:-300}"
NEW_MB="${NEW_MB:-8}"
SOURCE="${SOURCE:-/usr/share}"
NGINX="${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}"
CASYNC="${CASYNC:-casync}"
JCASYNC="$ROOT/jcasync"

for tool in "$NGINX" "$CASYNC" /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "catar-compare: $tool not found" >&2; exit 1; }
done
[ -f "$ROOT/cli/target/jcasync.jar" ] || (cd "$ROOT" && mvn -B -q -o -pl cli -am package -DskipTests)

WORK="$(mktemp -d "${TMPDIR:-/var/tmp}/catar-bench.XXXXXX")"
# A private copy of the jar: the launcher would rebuild its own if sources change during the run.
# shellcheck source=lib/private-jar.sh
. "$ROOT/bench/lib/private-jar.sh"
JCASYNC_JAR="$(private_jar "$ROOT" "$WORK")"
export JCASYNC_JAR
NGINX_PID=
cleanup() {
    [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

# ---- the trees ----
V1="$WORK/v1"
mkdir -p "$V1/usr/share"
for d in $(cd "$SOURCE" && ls -1 | sort); do
    [ "$(du -sm "$V1" | cut -f1)" -ge "$TREE_MB" ] && break
    cp -a "$SOURCE/$d" "$V1/usr/share/" 2>/dev/null || true
done
V2="$WORK/v2"
cp -a "$V1" "$V2"
# Deterministic choice of files: every 50th regular file changed (bytes appended), every 100th
# (offset by 7) removed; NEW_MB of new random files in a new directory.
mapfile -t FILES < <(cd "$V2" && find . -type f | LC_ALL=C sort)
CHANGED=0
REMOVED=0
for i in "${!FILES[@]}"; do
    if [ $((i % 50)) -eq 0 ]; then
        printf 'changed in v2 %d\n' "$i" >>"$V2/${FILES[$i]}"
        CHANGED=$((CHANGED + 1))
    elif [ $((i % 100)) -eq 7 ]; then
        rm -f "$V2/${FILES[$i]}"
        REMOVED=$((REMOVED + 1))
    fi
done
mkdir -p "$V2/usr/share/new-in-v2"
for n in $(seq "$NEW_MB"); do
    head -c 1048576 /dev/urandom >"$V2/usr/share/new-in-v2/blob-$n"
done
TREE_FILES="$(find "$V1" | wc -l)"
TREE_BYTES="$(du -sb "$V1" | cut -f1)"

# ---- nginx over both stores, with an access log to count bytes ----
WWW="$WORK/www"
mkdir -p "$WWW/casync" "$WWW/jcasync" "$WORK/nginx/logs" "$WORK/nginx/tmp"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
LOG="$WORK/nginx/logs/access.log"
cat >"$WORK/nginx/nginx.conf" <<CONF
$([ "$(id -u)" = 0 ] && echo "user root;")
worker_processes 1;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log $LOG;
  sendfile on;
  client_body_temp_path $WORK/nginx/tmp;
  default_type application/octet-stream;
  server { listen 127.0.0.1:$PORT; root $WWW; }
}
CONF
"$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -g 'daemon off;' &
NGINX_PID=$!
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done

ROWS=()
# timed NAME TOOL CMD...: one row "step | tool | wall | cpu | rss | bytes | GETs"
timed() {
    local step="$1" tool="$2"
    shift 2
    sync
    : >"$LOG"
    /usr/bin/time -f '%e %U %S %M' -o "$WORK/time" "$@" >"$WORK/out.log" 2>&1 \
        || { echo "catar-compare: $tool $step failed:" >&2; cat "$WORK/out.log" >&2; exit 1; }
    local wall user sys rss bytes gets
    read -r wall user sys rss <"$WORK/time"
    bytes="$(awk -F'"' '$2 ~ /^GET .*\.cacnk / {split($3, a, " "); s += a[2]} END {print s + 0}' "$LOG")"
    gets="$(grep -c '\.cacnk ' "$LOG" || true)"
    ROWS+=("| $step | $tool | $wall | $(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.2f", u + s}') | $((rss / 1024)) | $bytes | $gets |")
    echo "${ROWS[-1]}"
}
same_tree() { # expected actual
    diff -r --no-dereference "$1" "$2" >/dev/null || { echo "catar-compare: $2 differs from $1" >&2; exit 1; }
}

for tool in casync jcasync; do
    cmd="$CASYNC"; [ "$tool" = jcasync ] && cmd="$JCASYNC"
    timed "make v1.caidx" "$tool" "$cmd" make --store="$WWW/$tool/store" "$WWW/$tool/v1.caidx" "$V1"
    "$cmd" make --store="$WWW/$tool/store" "$WWW/$tool/v2.caidx" "$V2" >/dev/null # untimed
done
cmp "$WWW/casync/v1.caidx" "$WWW/jcasync/v1.caidx" || { echo "catar-compare: v1 indexes differ" >&2; exit 1; }
cmp "$WWW/casync/v2.caidx" "$WWW/jcasync/v2.caidx" || { echo "catar-compare: v2 indexes differ" >&2; exit 1; }

for tool in casync jcasync; do
    cmd="$CASYNC"; [ "$tool" = jcasync ] && cmd="$JCASYNC"
    url="http://127.0.0.1:$PORT/$tool"
    timed "extract v1" "$tool" "$cmd" extract --store="$url/store" "$url/v1.caidx" "$WORK/$tool-v1"
    same_tree "$V1" "$WORK/$tool-v1"
    timed "extract v2 --seed=v1" "$tool" "$cmd" extract --store="$url/store" --seed="$V1" "$url/v2.caidx" "$WORK/$tool-v2"
    same_tree "$V2" "$WORK/$tool-v2"
    rm -rf "$WORK/$tool-v1" "$WORK/$tool-v2"
done

STORE_BYTES="$(du -sb "$WWW/jcasync/store" | cut -f1)"
CHUNKS_V2="$(find "$WWW/jcasync/store" -name '*.cacnk' | wc -l)"
mkdir -p "$ROOT/bench/results"
REPORT="$ROOT/bench/results/catar-$(date -u +%Y%m%d-%H%M%S).md"
{
    echo "# Directory archives: jcasync vs casync ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
    echo
    echo "Tree: $TREE_FILES entries, $TREE_BYTES bytes (directories of $SOURCE). Next version: $CHANGED files"
    echo "changed (a line appended), $REMOVED removed, $NEW_MB MiB of new random files. Store: $CHUNKS_V2 chunk files,"
    echo "$STORE_BYTES bytes (zstd). Indexes of both tools byte-identical; every extract checked with diff -r."
    echo "One run per step; wall and CPU in seconds, peak RSS in MiB; bytes = chunk bodies nginx sent."
    echo
    echo "| step | tool | wall s | CPU s | peak RSS MiB | bytes fetched | chunk GETs |"
    echo "|---|---|---|---|---|---|---|"
    printf '%s\n' "${ROWS[@]}"
} | tee "$REPORT"
echo "report: $REPORT"
