#!/usr/bin/env bash
# Runs jcasync and casync side by side on a realistic corpus (bench/corpus.sh) and prints a
# markdown report (also saved to bench/results/compare-<date>.md):
#
#   bench/compare.sh [--quick]
#
#   a  make os-v2.img into an empty store
#   b  make os-v2.img into a store already holding os-v1's chunks (fresh cp -a copy per run)
#   c  extract os-v2 from a local store, no seed
#   d  extract os-v2 from a local store, --seed=os-v1.img
#   e  extract os-v2 over HTTP (nginx on 127.0.0.1), --seed=os-v1.img
#   f1 make tar-v2.tar into an empty store
#   f2 extract tar-v2 over HTTP, --seed=tar-v1.tar
#
# Every extract uses --seed-output=no and a fresh output; every jcasync output (and casync's) is
# compared with cmp against the input, and every made .caibx (both tools) must be identical to
# the reference index casync made during set-up; jcasync's store must hold the same chunk files.
#
# Method: RUNS (default 3; --quick: 1) timed runs per tool, interleaved (odd runs casync first,
# even runs jcasync first), median wall time reported, peak RSS = max of /usr/bin/time %M over
# the timed runs. Dropping the page cache is not possible reliably here, so each scenario first
# runs each tool once untimed (warm-up, checked like the others): inputs, seeds and stores are
# then in the page cache for both tools. `sync` (untimed) runs before every run so neither tool
# pays for the other's dirty pages. Both tools run with their default concurrency.
# HTTP: nginx (own config in the work directory, 127.0.0.1 only) serves the stores casync made;
# the bytes are the sum of $body_bytes_sent of the chunk (.cacnk) requests in its access log. The
# ideal is the compressed size of the chunks of v2 whose ids are not in v1's index.
#
# Environment: RUNS, IMAGE_SIZE (default 1G; --quick: 256M), JCASYNC_CORPUS (corpus directory,
# default /var/tmp/jcasync-corpus, suffixed with -IMAGE_SIZE when that is not 1G), CMD_TIMEOUT
# (seconds per command, default 1800), TMPDIR (work directory parent, default /var/tmp),
# CASYNC (default casync), NGINX (default nginx); jcasync runs through ./jcasync, which picks the Java.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

QUICK=0
for arg in "$@"; do
    case "$arg" in
        --quick) QUICK=1 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "usage: $0 [--quick]" >&2; exit 2 ;;
    esac
done
if (( QUICK )); then
    RUNS="${RUNS:-1}"; IMAGE_SIZE="${IMAGE_SIZE:-256M}"
else
    RUNS="${RUNS:-3}"; IMAGE_SIZE="${IMAGE_SIZE:-1G}"
fi
CMD_TIMEOUT="${CMD_TIMEOUT:-1800}"
CASYNC="${CASYNC:-casync}"
NGINX="${NGINX:-nginx}"
CORPUS="${JCASYNC_CORPUS:-/var/tmp/jcasync-corpus}"
[[ "$IMAGE_SIZE" == 1G ]] || CORPUS="$CORPUS-$IMAGE_SIZE"
export IMAGE_SIZE

die() { echo "compare: error: $*" >&2; exit 1; }
log() { echo "compare: $(date +%H:%M:%S) $*" >&2; }
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer"
[[ "$CMD_TIMEOUT" =~ ^[1-9][0-9]*$ ]] || die "CMD_TIMEOUT must be a positive integer"

# --- tools ---------------------------------------------------------------------------------------
PATH="$PATH:/usr/sbin:/sbin"
apt_install() { # package: only when root and apt-get exists
    [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1 || return 1
    log "installing $1"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$1" >&2 || { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$1" >&2; }
}
[[ -x /usr/bin/time ]] || apt_install time || die "/usr/bin/time not found (apt-get install -y time)"
command -v mke2fs >/dev/null 2>&1 || apt_install e2fsprogs || die "mke2fs not found (apt-get install -y e2fsprogs)"
command -v curl >/dev/null 2>&1 || apt_install curl || die "curl not found"
for t in "$CASYNC" "$NGINX" timeout cmp awk; do
    command -v "$t" >/dev/null 2>&1 || die "$t not found"
done

# --- corpus --------------------------------------------------------------------------------------
log "corpus ($IMAGE_SIZE) in $CORPUS"
bash "$ROOT/bench/corpus.sh" "$CORPUS" >&2
for f in os-v1.img os-v2.img tar-v1.tar tar-v2.tar; do
    [[ -f "$CORPUS/$f" ]] || die "corpus file $CORPUS/$f missing"
done

# --- work directory, cleanup -------------------------------------------------------------------
W="$(mktemp -d "${TMPDIR:-/var/tmp}/jcasync-compare.XXXXXX")"
NGINX_PID=""
cleanup() {
    if [[ -n "$NGINX_PID" ]]; then
        kill "$NGINX_PID" 2>/dev/null || true
        wait "$NGINX_PID" 2>/dev/null || true
    fi
    if [[ -s "$W/results" && ! -f "$W/reported" ]]; then
        mkdir -p "$ROOT/bench/results"
        cp "$W/results" "$ROOT/bench/results/compare-$(date +%Y%m%d-%H%M%S)-incomplete.txt" 2>/dev/null || true
        echo "compare: raw per-run results (scenario tool secs rss_kb nginx_bytes requests jc_transferred) saved in bench/results/*-incomplete.txt" >&2
    fi
    rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
mkdir -p "$W/ref" "$W/logs" "$W/run"

# --- jcasync jar: build (retrying: others may be mid-edit), then use a private copy -------------
for attempt in 1 2 3 4 5 6 7 8 9 10; do
    if "$ROOT/jcasync" --version >"$W/logs/build.log" 2>&1; then
        break
    fi
    (( attempt < 10 )) || { cat "$W/logs/build.log" >&2; die "jcasync does not build"; }
    log "jcasync build failed (attempt $attempt), retrying in 60 s"
    sleep 60
done
# shellcheck source=lib/private-jar.sh
. "$ROOT/bench/lib/private-jar.sh"
# Through the launcher, so jcasync runs with the JVM options users get.
JC=(env JCASYNC_JAR="$(private_jar "$ROOT" "$W")" "$ROOT/jcasync")
JC_VERSION="$("${JC[@]}" --version 2>&1 | head -n1)"
JC_JAVA="$("${JC[@]}" --version 2>&1 | sed -n 2p)" # the Java the launcher chose
GIT_REV="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
[[ -z "$(git -C "$ROOT" status --porcelain --untracked-files=no -- chunker archive store store-http sync cli pom.xml 2>/dev/null)" ]] || GIT_REV="$GIT_REV+uncommitted changes"

# --- helpers -------------------------------------------------------------------------------------
now() { date +%s.%N; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) exit 1; if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
maxof() { sort -g | tail -n1; }
fsize() { stat -c %s "$1"; }
mib() { awk -v b="$1" 'BEGIN { printf "%.0f", b / 1048576 }'; }
fmt_bytes() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }

# run NAME CMD...: runs CMD under timeout and /usr/bin/time after a sync; sets SECS and RSS_KB;
# stdout/stderr in $W/logs/NAME.{out,err}; dies (showing stderr) when CMD fails.
run() {
    local name="$1"; shift
    sync
    local t0 t1 rc=0
    t0="$(now)"
    timeout -k 10 "$CMD_TIMEOUT" /usr/bin/time -f '%M' -o "$W/logs/$name.time" "$@" \
        >"$W/logs/$name.out" 2>"$W/logs/$name.err" || rc=$?
    t1="$(now)"
    if (( rc != 0 )); then
        tail -n 20 "$W/logs/$name.err" >&2
        die "$name failed (exit $rc): $*"
    fi
    SECS="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')"
    RSS_KB="$(tail -n1 "$W/logs/$name.time")"
}

# --- reference indexes and stores (casync, untimed) -------------------------------------------
for v in os-v1 os-v2 tar-v1 tar-v2; do
    src="$CORPUS/$v.img"; [[ -f "$src" ]] || src="$CORPUS/$v.tar"
    log "reference: casync make $v"
    run "ref-$v" "$CASYNC" make --store="$W/ref/$v.castr" "$W/ref/$v.caibx" "$src"
done
rm -rf "$W/ref/tar-v1.castr"     # only its index is needed

# ideal transfer: compressed chunks of NEW's index whose ids are not in OLD's index
ideal() { # old.caibx new.caibx new-store  -> "bytes chunks"
    "${JC[@]}" list "$1" | awk '{ print $3 }' | sort -u > "$W/old.ids"
    "${JC[@]}" list "$2" | awk '{ print $3 }' | sort -u > "$W/new.ids"
    comm -13 "$W/old.ids" "$W/new.ids" > "$W/missing.ids"
    (cd "$3" && find . -name '*.cacnk' -printf '%f %s\n') \
        | awk 'NR == FNR { want[$1 ".cacnk"] = 1; n++; next } ($1 in want) { s += $2; c++ }
               END { if (c != n) { print "missing " n - c > "/dev/stderr"; exit 1 } print s + 0, c + 0 }' \
            "$W/missing.ids" -
}
read -r IDEAL_OS IDEAL_OS_N < <(ideal "$W/ref/os-v1.caibx" "$W/ref/os-v2.caibx" "$W/ref/os-v2.castr")
read -r IDEAL_TAR IDEAL_TAR_N < <(ideal "$W/ref/tar-v1.caibx" "$W/ref/tar-v2.caibx" "$W/ref/tar-v2.castr")
store_bytes() { du -sb "$1" | cut -f1; }
chunk_list() { (cd "$1" && find . -name '*.cacnk' -printf '%P\n' | sort); }
chunk_list "$W/ref/os-v2.castr" > "$W/ref/os-v2.chunks"
chunk_list "$W/ref/tar-v2.castr" > "$W/ref/tar-v2.chunks"
[[ -n "${IDEAL_OS:-}" && -n "${IDEAL_TAR:-}" ]] || die "could not compute the ideal transfer sizes"
log "ideal transfer: os $IDEAL_OS bytes in $IDEAL_OS_N chunks, tar $IDEAL_TAR bytes in $IDEAL_TAR_N chunks"

# --- nginx on 127.0.0.1 ----------------------------------------------------------------------
start_nginx() {
    local n="$W/nginx" port try
    mkdir -p "$n/tmp"
    for try in $(seq 1 20); do
        port=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
        ss -Htln 2>/dev/null | awk '{ print $4 }' | grep -q ":$port\$" && continue
        {
            [[ "$(id -u)" == 0 ]] && echo "user root;"
            cat <<EOF
daemon off;
master_process on;
worker_processes 2;
pid $n/nginx.pid;
error_log $n/error.log warn;
events { worker_connections 512; }
http {
    log_format bench '\$status \$body_bytes_sent "\$request"';
    access_log $n/access.log bench;
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65;
    keepalive_requests 1000000;
    client_body_temp_path $n/tmp/body;
    proxy_temp_path $n/tmp/proxy;
    fastcgi_temp_path $n/tmp/fastcgi;
    uwsgi_temp_path $n/tmp/uwsgi;
    scgi_temp_path $n/tmp/scgi;
    server {
        listen 127.0.0.1:$port;
        root $W/ref;
        location / { }
    }
}
EOF
        } > "$n/nginx.conf"
        "$NGINX" -p "$n" -e "$n/error.log" -c "$n/nginx.conf" >"$n/stdout" 2>&1 &
        NGINX_PID=$!
        local i
        for i in $(seq 1 50); do
            if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
                NGINX_URL="http://127.0.0.1:$port"
                log "nginx (pid $NGINX_PID) serving $W/ref on $NGINX_URL"
                return 0
            fi
            kill -0 "$NGINX_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill "$NGINX_PID" 2>/dev/null || true
        wait "$NGINX_PID" 2>/dev/null || true
        NGINX_PID=""
    done
    cat "$n/error.log" >&2 || true
    die "could not start nginx"
}
start_nginx
# sum of body bytes and number of chunk requests since the last reset; dies on a non-200 reply
nginx_reset() { : > "$W/nginx/access.log"; }
nginx_bytes() {
    awk '/\.cacnk/ { if ($1 != 200) bad++; s += $2; n++ } END { print s + 0, n + 0, bad + 0 }' "$W/nginx/access.log"
}

# --- scenarios ------------------------------------------------------------------------------------
# Results: one line per timed run in $W/results: SCEN TOOL SECS RSS_KB NGINX_BYTES NGINX_REQS JC_TRANSFERRED
: > "$W/results"
declare -A SCEN_TITLE SCEN_BYTES SCEN_IDEAL SCEN_STORE
SCENARIOS=()

# one_run SCEN TOOL RUNIDX: prepare, run, verify, record
one_run() {
    local scen="$1" tool="$2" idx="$3" name="$1-$2-$3"
    local kind src idx_file store seed expect_chunks http=0
    case "$scen" in
        a)  kind=make; src="$CORPUS/os-v2.img"; expect_chunks="$W/ref/os-v2.chunks" ;;
        b)  kind=make; src="$CORPUS/os-v2.img" ;;
        c)  kind=extract; src="$CORPUS/os-v2.img"; idx_file="$W/ref/os-v2.caibx"; store="$W/ref/os-v2.castr"; seed="" ;;
        d)  kind=extract; src="$CORPUS/os-v2.img"; idx_file="$W/ref/os-v2.caibx"; store="$W/ref/os-v2.castr"; seed="$CORPUS/os-v1.img" ;;
        e)  kind=extract; src="$CORPUS/os-v2.img"; idx_file="$W/ref/os-v2.caibx"; store="$NGINX_URL/os-v2.castr/"; seed="$CORPUS/os-v1.img"; http=1 ;;
        f1) kind=make; src="$CORPUS/tar-v2.tar"; expect_chunks="$W/ref/tar-v2.chunks" ;;
        f2) kind=extract; src="$CORPUS/tar-v2.tar"; idx_file="$W/ref/tar-v2.caibx"; store="$NGINX_URL/tar-v2.castr/"; seed="$CORPUS/tar-v1.tar"; http=1 ;;
    esac
    local ref_idx="$W/ref/$(basename "${src%.*}").caibx"
    rm -rf "$W/run"; mkdir -p "$W/run"
    local cmd=()
    if [[ "$kind" == make ]]; then
        [[ "$scen" == b ]] && cp -a "$W/ref/os-v1.castr" "$W/run/store"
        if [[ "$tool" == casync ]]; then
            cmd=("$CASYNC" make --store="$W/run/store" "$W/run/out.caibx" "$src")
        else
            cmd=("${JC[@]}" make --store="$W/run/store" "$W/run/out.caibx" "$src")
        fi
    else
        local seedopt=()
        [[ -n "$seed" ]] && seedopt=(--seed="$seed")
        if [[ "$tool" == casync ]]; then
            cmd=("$CASYNC" extract --store="$store" "${seedopt[@]}" --seed-output=no "$idx_file" "$W/run/out.img")
        else
            cmd=("${JC[@]}" extract --store="$store" "${seedopt[@]}" --seed-output=no --progress=none "$idx_file" "$W/run/out.img")
        fi
    fi
    (( http )) && nginx_reset
    run "$name" "${cmd[@]}"
    # verify (untimed)
    if [[ "$kind" == make ]]; then
        cmp -s "$W/run/out.caibx" "$ref_idx" || die "$name: $tool's index differs from casync's reference index $ref_idx"
        if [[ -n "${expect_chunks:-}" ]]; then
            chunk_list "$W/run/store" | cmp -s - "$expect_chunks" || die "$name: $tool's store does not hold the same chunk files as casync's"
            SCEN_STORE["$scen-$tool"]="$(store_bytes "$W/run/store")"
        fi
    else
        cmp "$W/run/out.img" "$src" >&2 || die "$name: $tool's output differs from $src"
    fi
    local nb="-" nr="-" bad=0 jt="-"
    if (( http )); then
        read -r nb nr bad < <(nginx_bytes)
        (( bad == 0 )) || die "$name: $bad chunk requests did not get 200 (see $W/nginx/access.log)"
    fi
    if [[ "$tool" == jcasync && "$kind" == extract ]]; then
        jt="$(sed -n 's/.*transferred: \([0-9]*\) bytes.*/\1/p' "$W/logs/$name.err" | tail -n1)"
        [[ -n "$jt" ]] || jt="-"
    fi
    if [[ "$idx" != warm ]]; then
        echo "$scen $tool $SECS $RSS_KB $nb $nr $jt" >> "$W/results"
    fi
    local extra=""
    (( http )) && extra=", nginx sent $nb bytes in $nr chunk requests"
    [[ "$jt" != - ]] && extra="$extra, jcasync transferred $jt"
    log "  $name: ${SECS}s, peak RSS $(( RSS_KB / 1024 )) MiB$extra"
    rm -rf "$W/run"
}

scenario() { # SCEN "title" BYTES [IDEAL]
    local scen="$1"
    SCENARIOS+=("$scen"); SCEN_TITLE["$scen"]="$2"; SCEN_BYTES["$scen"]="$3"; SCEN_IDEAL["$scen"]="${4:-}"
    log "scenario $scen: $2 (warm-up, then $RUNS timed runs per tool)"
    one_run "$scen" casync warm
    one_run "$scen" jcasync warm
    local i
    for i in $(seq 1 "$RUNS"); do
        if (( i % 2 )); then
            one_run "$scen" casync "$i"; one_run "$scen" jcasync "$i"
        else
            one_run "$scen" jcasync "$i"; one_run "$scen" casync "$i"
        fi
    done
}

START="$(date +%s)"
LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"
OS_BYTES="$(fsize "$CORPUS/os-v2.img")"
TAR_BYTES="$(fsize "$CORPUS/tar-v2.tar")"
scenario a  "make os-v2, empty store" "$OS_BYTES"
scenario b  "make os-v2, store holding os-v1" "$OS_BYTES"
scenario c  "extract os-v2, local store, no seed" "$OS_BYTES"
scenario d  "extract os-v2, local store, seed os-v1" "$OS_BYTES"
scenario e  "extract os-v2, HTTP, seed os-v1" "$OS_BYTES" "$IDEAL_OS"
scenario f1 "make tar-v2, empty store" "$TAR_BYTES"
scenario f2 "extract tar-v2, HTTP, seed tar-v1" "$TAR_BYTES" "$IDEAL_TAR"
ELAPSED=$(( $(date +%s) - START ))
LOAD_END="$(cut -d' ' -f1-3 /proc/loadavg)"

# --- report ---------------------------------------------------------------------------------
stat_of() { # scen tool column(3=secs 4=rss 5=nginx bytes 6=reqs 7=jc transferred) median|max|list
    local vals
    vals="$(awk -v s="$1" -v t="$2" -v c="$3" '$1 == s && $2 == t { print $c }' "$W/results")"
    case "$4" in
        median) printf '%s\n' "$vals" | median ;;
        max) printf '%s\n' "$vals" | maxof ;;
        list) printf '%s\n' "$vals" | tr '\n' ' ' | sed 's/ $//' ;;
    esac
}
report() {
    echo "# jcasync vs casync — $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo
    echo "- machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //')), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM, $(uname -r)"
    echo "- jcasync: $JC_VERSION, git $GIT_REV; $JC_JAVA; casync: $("$CASYNC" --version 2>&1 | head -n1); $("$NGINX" -v 2>&1)"
    echo "- corpus: $CORPUS ($IMAGE_SIZE ext4 images; \`bench/corpus.sh\`): os-v2.img $(mib "$OS_BYTES") MiB ($(( $(stat -c %b "$CORPUS/os-v2.img") * $(stat -c %B "$CORPUS/os-v2.img") >> 20 )) MiB allocated), tar-v2.tar $(mib "$TAR_BYTES") MiB"
    [[ -f "$CORPUS/corpus-info.txt" ]] && sed -n '1p' "$CORPUS/corpus-info.txt" | sed 's/^/- /'
    echo "- $RUNS timed runs per tool and scenario, interleaved, after one untimed warm-up run each (page cache warm for both); median wall time; peak RSS = max over the timed runs; default concurrency for both tools; total benchmark time ${ELAPSED}s; load average $LOAD_START at the start, $LOAD_END at the end (the machine is shared: other load inflates single runs)"
    echo "- MiB/s = size of the blob made or extracted / median wall time; speedup = casync time / jcasync time (> 1: jcasync faster)"
    echo
    echo "| scenario | MiB | casync s | jcasync s | casync MiB/s | jcasync MiB/s | speedup | casync RSS MiB | jcasync RSS MiB |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    local s cs js cr jr
    for s in "${SCENARIOS[@]}"; do
        cs="$(stat_of "$s" casync 3 median)"; js="$(stat_of "$s" jcasync 3 median)"
        cr="$(stat_of "$s" casync 4 max)"; jr="$(stat_of "$s" jcasync 4 max)"
        awk -v s="$s" -v t="${SCEN_TITLE[$s]}" -v b="${SCEN_BYTES[$s]}" -v cs="$cs" -v js="$js" -v cr="$cr" -v jr="$jr" 'BEGIN {
            m = b / 1048576
            printf "| %s: %s | %.0f | %.2f | %.2f | %.1f | %.1f | %.2fx | %.0f | %.0f |\n", s, t, m, cs, js, m / cs, m / js, cs / js, cr / 1024, jr / 1024 }'
    done
    echo
    echo "HTTP transfer (nginx \$body_bytes_sent of the .cacnk requests, per run; ideal = compressed size of the v2 chunks whose ids are not in v1's index):"
    echo
    echo "| scenario | ideal | casync sent (requests) | jcasync sent (requests) | jcasync 'transferred' | casync / ideal | jcasync / ideal |"
    echo "|---|---:|---:|---:|---:|---:|---:|"
    local ib ideal_n cb cn jb jn jt
    for s in "${SCENARIOS[@]}"; do
        [[ -n "${SCEN_IDEAL[$s]}" ]] || continue
        ib="${SCEN_IDEAL[$s]}"
        [[ "$s" == e ]] && ideal_n="$IDEAL_OS_N" || ideal_n="$IDEAL_TAR_N"
        cb="$(stat_of "$s" casync 5 median)"; cn="$(stat_of "$s" casync 6 median)"
        jb="$(stat_of "$s" jcasync 5 median)"; jn="$(stat_of "$s" jcasync 6 median)"
        jt="$(stat_of "$s" jcasync 7 median)"
        awk -v s="$s" -v t="${SCEN_TITLE[$s]}" -v ib="$ib" -v inn="$ideal_n" -v cb="$cb" -v cn="$cn" -v jb="$jb" -v jn="$jn" -v jt="$jt" 'BEGIN {
            printf "| %s: %s | %.2f MiB (%d) | %.2f MiB (%d) | %.2f MiB (%d) | %.2f MiB | %.3f | %.3f |\n",
                s, t, ib / 1048576, inn, cb / 1048576, cn, jb / 1048576, jn, jt / 1048576, cb / ib, jb / ib }'
    done
    echo
    echo "Store size after make (empty store): $(for s in a f1; do printf '%s: casync %s, jcasync %s; ' "$s" "$(fmt_bytes "${SCEN_STORE[$s-casync]}")" "$(fmt_bytes "${SCEN_STORE[$s-jcasync]}")"; done | sed 's/; $//')."
    echo
    echo "Checks passed: every made .caibx identical to casync's reference index; every empty-store make wrote the same chunk files as casync; every extracted output (both tools) identical to the input (cmp); all chunk requests answered 200."
    echo
    echo "Wall times per run (s):"
    echo
    for s in "${SCENARIOS[@]}"; do
        echo "- $s: casync $(stat_of "$s" casync 3 list); jcasync $(stat_of "$s" jcasync 3 list)"
    done
}
mkdir -p "$ROOT/bench/results"
SUFFIX=""
if (( QUICK )); then SUFFIX="-quick"; fi
OUT="$ROOT/bench/results/compare-$(date +%Y%m%d-%H%M%S)$SUFFIX.md"
report > "$W/report.md"
cp "$W/report.md" "$OUT"
touch "$W/reported"
cat "$W/report.md"
log "saved $OUT"
