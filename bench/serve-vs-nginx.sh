#!/usr/bin/env bash
# `jcasync serve` against nginx on the same chunk store, in one run, 127.0.0.1 only:
#
#   bench/serve-vs-nginx.sh
#
#   1  wrk -t2 -c64 -d DURATION (default 10 s) on one chunk file of about 54 KB, keep-alive, in
#      ROUNDS (default 5) alternating rounds (odd rounds serve first, even rounds nginx first):
#      requests/s, p99 latency and each server's CPU time per request, per round and as medians
#   2  casync extract of an IMAGE_SIZE (default 1G) image through each, RUNS (default 3)
#      alternating runs, median wall time (EXTRACT=0 skips it)
#
# Targets (issue 13): serve >= half of nginx's requests/s, p99 < 10 ms at 64 connections;
# casync extract via serve within 1.5x of nginx. The machine may be shared: the ratios of the
# same round are what to read, not absolute numbers. serve runs through the launcher ./jcasync
# (its JVM options for serve) on cli/target/jcasync.jar (build it with `mvn -B -q -pl cli -am
# package -DskipTests`; JCASYNC_JAR overrides; JAVA=/path/to/bin/java picks the JDK). Each
# server gets a WARMUP (default 15 s) of the same load first: serve is a long-running JVM, and
# its JIT compilers need that on a loaded 2-core machine. Both get a fresh port; nginx runs with
# its own config, one worker (serve answers GETs on one selector thread), sendfile on, access
# log off (serve's is off by default). Needs wrk (apt-get install wrk), nginx, casync.
# Report: stdout, and bench/results/serve-<date>.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="${JCASYNC_JAR:-$ROOT/cli/target/jcasync.jar}"
DURATION="${DURATION:-10}"
CONNECTIONS="${CONNECTIONS:-64}"
IMAGE_SIZE="${IMAGE_SIZE:-1G}"
RUNS="${RUNS:-3}"
ROUNDS="${ROUNDS:-5}"
WARMUP="${WARMUP:-15}"
EXTRACT="${EXTRACT:-1}"
JAVA="${JAVA:-java}"
if [ "$JAVA" != java ]; then
    export PATH="$(dirname "$JAVA"):$PATH" # the launcher runs the java on PATH
fi
NGINX="${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}"
CASYNC="${CASYNC:-casync}"

for tool in wrk "$NGINX" "$CASYNC" "$JAVA"; do
    command -v "$tool" >/dev/null || { echo "serve-vs-nginx: $tool not found" >&2; exit 1; }
done
[ -f "$JAR" ] || { echo "serve-vs-nginx: $JAR missing (mvn -B -q -pl cli -am package -DskipTests)" >&2; exit 1; }

WORK="$(mktemp -d "${TMPDIR:-/var/tmp}/serve-bench.XXXXXX")"
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

wait_port() {
    for _ in $(seq 100); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
        sleep 0.1
    done
    echo "serve-vs-nginx: nothing listens on port $1" >&2
    exit 1
}

LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"
# The image: half random, half repeated text, so chunks compress like a real image's.
head -c "$(numfmt --from=iec "$IMAGE_SIZE")" /dev/urandom >"$WORK/image.img"
STORE="$WORK/store.castr"
"$CASYNC" make --store="$STORE" "$WORK/image.caibx" "$WORK/image.img" >/dev/null

# The chunk closest to 54 KB.
CHUNK="$(cd "$STORE" && find . -name '*.cacnk' -printf '%s %P\n' \
    | awk '{d = $1 - 54000; if (d < 0) d = -d; print d, $1, $2}' | sort -n | awk 'NR == 1 {print $3}')"
CHUNK_SIZE="$(stat -c %s "$STORE/$CHUNK")"

SERVE_PORT="$(free_port)"
JCASYNC_JAR="$JAR" "$ROOT/jcasync" serve --store="$STORE" --listen="127.0.0.1:$SERVE_PORT" >"$WORK/serve.log" 2>&1 &
PIDS+=($!)
SERVE_PID=$!

NGINX_PORT="$(free_port)"
mkdir -p "$WORK/nginx/logs" "$WORK/nginx/tmp"
cat >"$WORK/nginx/nginx.conf" <<EOF
$([ "$(id -u)" = 0 ] && echo "user root;")
worker_processes 1;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  client_body_temp_path $WORK/nginx/tmp;
  default_type application/octet-stream;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $STORE;
  }
}
EOF
"$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -g 'daemon off;' &
PIDS+=($!)

wait_port "$SERVE_PORT"
wait_port "$NGINX_PORT"

NGINX_WORKER=""
for _ in $(seq 50); do
    NGINX_WORKER="$(pgrep -P "$(cat "$WORK/nginx/nginx.pid")" | head -1)" && [ -n "$NGINX_WORKER" ] && break
    sleep 0.1
done
[ -n "$NGINX_WORKER" ] || { echo "serve-vs-nginx: no nginx worker" >&2; exit 1; }

cpu_ticks() { # user + system clock ticks of a process, all its threads
    awk '{print $14 + $15}' "/proc/$1/stat"
}

to_ms() { # wrk's 1.23ms / 456.00us / 1.02s
    awk -v v="$1" 'BEGIN {
        if (v ~ /us$/) { sub(/us$/, "", v); print v / 1000 }
        else if (v ~ /ms$/) { sub(/ms$/, "", v); print v + 0 }
        else if (v ~ /s$/) { sub(/s$/, "", v); print v * 1000 }
        else print v }'
}

median() { sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

# One round against one server: "requests/s p99-ms cpu-us-per-request"; wrk's output is kept.
run_wrk() { # name url pid round
    local before after out="$WORK/wrk-$1-$4.txt"
    before="$(cpu_ticks "$3")"
    wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 5s --latency "$2" >"$out"
    after="$(cpu_ticks "$3")"
    awk -v ticks="$((after - before))" -v hz="$(getconf CLK_TCK)" '
        /^Requests\/sec:/ {rps = $2}
        / requests in / {n = $1}
        $1 == "99%" {p99 = $2}
        END {printf "%s %s %.1f\n", rps, p99, n ? ticks * 1e6 / hz / n : 0}' "$out" \
        | { read -r rps p99 cpu; echo "$rps $(to_ms "$p99") $cpu"; }
}

SERVE_URL="http://127.0.0.1:$SERVE_PORT/$CHUNK"
NGINX_URL="http://127.0.0.1:$NGINX_PORT/$CHUNK"
for url in "$SERVE_URL" "$NGINX_URL"; do
    curl -sf -o /dev/null "$url" || { echo "serve-vs-nginx: nothing served at $url" >&2; exit 1; }
    wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" "$url" >/dev/null # warm-up (JIT, page cache)
done

ROUND_LINES=()
for round in $(seq "$ROUNDS"); do
    if [ $((round % 2)) = 1 ]; then
        read -r s_rps s_p99 s_cpu <<<"$(run_wrk serve "$SERVE_URL" "$SERVE_PID" "$round")"
        read -r n_rps n_p99 n_cpu <<<"$(run_wrk nginx "$NGINX_URL" "$NGINX_WORKER" "$round")"
    else
        read -r n_rps n_p99 n_cpu <<<"$(run_wrk nginx "$NGINX_URL" "$NGINX_WORKER" "$round")"
        read -r s_rps s_p99 s_cpu <<<"$(run_wrk serve "$SERVE_URL" "$SERVE_PID" "$round")"
    fi
    line="$round $s_rps $n_rps $(awk -v a="$s_rps" -v b="$n_rps" 'BEGIN {printf "%.2f", a / b}') $s_p99 $n_p99 $s_cpu $n_cpu $(cut -d' ' -f1 /proc/loadavg)"
    echo "round $line" >&2
    ROUND_LINES+=("$line")
done
col() { printf '%s\n' "${ROUND_LINES[@]}" | awk -v c="$1" '{print $c}' | median; }
SERVE_RPS="$(col 2)"
NGINX_RPS="$(col 3)"
RPS_RATIO="$(col 4)"
SERVE_P99_MS="$(col 5)"
NGINX_P99_MS="$(col 6)"
SERVE_CPU="$(col 7)"
NGINX_CPU="$(col 8)"

# Alternating runs too; "-" when skipped.
SERVE_EXTRACT="-"
NGINX_EXTRACT="-"
EXTRACT_RATIO="-"
if [ "$EXTRACT" = 1 ]; then
    extract_once() { # url -> seconds
        rm -f "$WORK/out.img"
        local start end
        start="$(date +%s.%N)"
        "$CASYNC" extract --store="$1" "$WORK/image.caibx" "$WORK/out.img" >/dev/null
        end="$(date +%s.%N)"
        cmp -s "$WORK/out.img" "$WORK/image.img" || { echo "serve-vs-nginx: extract via $1 differs" >&2; exit 1; }
        awk -v a="$start" -v b="$end" 'BEGIN {printf "%.3f", b - a}'
    }
    SERVE_TIMES=()
    NGINX_TIMES=()
    for run in $(seq "$RUNS"); do
        if [ $((run % 2)) = 1 ]; then
            SERVE_TIMES+=("$(extract_once "http://127.0.0.1:$SERVE_PORT/")")
            NGINX_TIMES+=("$(extract_once "http://127.0.0.1:$NGINX_PORT/")")
        else
            NGINX_TIMES+=("$(extract_once "http://127.0.0.1:$NGINX_PORT/")")
            SERVE_TIMES+=("$(extract_once "http://127.0.0.1:$SERVE_PORT/")")
        fi
        echo "extract run $run: serve ${SERVE_TIMES[-1]} s, nginx ${NGINX_TIMES[-1]} s" >&2
    done
    SERVE_EXTRACT="$(printf '%s\n' "${SERVE_TIMES[@]}" | median)"
    NGINX_EXTRACT="$(printf '%s\n' "${NGINX_TIMES[@]}" | median)"
    EXTRACT_RATIO="$(awk -v a="$SERVE_EXTRACT" -v b="$NGINX_EXTRACT" 'BEGIN {printf "%.2f", a / b}')"
fi
SERVE_JAVA="$(readlink "/proc/$SERVE_PID/exe")" # the launcher execs java: the same process
SERVE_RSS_KIB="$(awk '/^VmHWM:/ {print $2}' "/proc/$SERVE_PID/status")"

verdict() { if [ "$1" = 1 ]; then echo "met"; else echo "MISSED"; fi; }
RPS_OK="$(awk -v r="$RPS_RATIO" 'BEGIN {print (r >= 0.5)}')"
P99_OK="$(awk -v p="$SERVE_P99_MS" 'BEGIN {print (p < 10)}')"
EXTRACT_OK="$(awk -v r="$EXTRACT_RATIO" 'BEGIN {print (r != "-" && r <= 1.5)}')"

mkdir -p "$ROOT/bench/results"
REPORT="$ROOT/bench/results/serve-$(date -u +%Y%m%d-%H%M%S).md"
{
    echo "# jcasync serve vs nginx ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $("$SERVE_JAVA" -version 2>&1 | head -1))"
    echo
    echo "Store: casync make of $IMAGE_SIZE of random data. Chunk: $CHUNK ($CHUNK_SIZE bytes)."
    echo "wrk -t2 -c$CONNECTIONS -d${DURATION}s --latency, $ROUNDS alternating rounds after a ${WARMUP} s warm-up of each;"
    echo "extract: $RUNS alternating runs. Medians. Load average at the start: $LOAD_START (2 cores: the machine is shared)."
    echo
    echo "| | jcasync serve | nginx | serve/nginx | target |"
    echo "|---|---:|---:|---:|---|"
    echo "| requests/s (median; ratio: median of the rounds' ratios) | $SERVE_RPS | $NGINX_RPS | $RPS_RATIO | >= 0.5: $(verdict "$RPS_OK") |"
    echo "| p99 latency (ms) | $SERVE_P99_MS | $NGINX_P99_MS | | serve < 10 ms: $(verdict "$P99_OK") |"
    echo "| server CPU per request (us) | $SERVE_CPU | $NGINX_CPU | $(awk -v a="$SERVE_CPU" -v b="$NGINX_CPU" 'BEGIN {printf "%.2f", a / b}') | |"
    echo "| casync extract $IMAGE_SIZE (s) | $SERVE_EXTRACT | $NGINX_EXTRACT | $EXTRACT_RATIO | <= 1.5: $(if [ "$EXTRACT" = 1 ]; then verdict "$EXTRACT_OK"; else echo "not run"; fi) |"
    echo
    echo "serve peak RSS: $((SERVE_RSS_KIB / 1024)) MiB"
    echo
    echo "Rounds:"
    echo
    echo "| round | serve req/s | nginx req/s | ratio | serve p99 ms | nginx p99 ms | serve us/req | nginx us/req | load |"
    echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    printf '%s\n' "${ROUND_LINES[@]}" | awk '{printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8, $9}'
    if [ "$EXTRACT" = 1 ]; then
        echo
        echo "Extract runs (s): serve ${SERVE_TIMES[*]}; nginx ${NGINX_TIMES[*]}"
    fi
    echo
    echo '```'
    echo "== serve, last round"; cat "$WORK/wrk-serve-$ROUNDS.txt"
    echo "== nginx, last round"; cat "$WORK/wrk-nginx-$ROUNDS.txt"
    echo '```'
} | tee "$REPORT"
