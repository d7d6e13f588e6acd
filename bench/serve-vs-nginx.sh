#!/usr/bin/env bash
# `jcasync serve` against nginx on the same chunk store, in one run, 127.0.0.1 only:
#
#   bench/serve-vs-nginx.sh
#
#   1  wrk -t2 -c64 (bounded: DURATION seconds, default 10) on one chunk file of about 54 KB,
#      keep-alive: requests/s and p99 latency, serve vs nginx, and the ratio
#   2  casync extract of an IMAGE_SIZE (default 16M) image through each (median of RUNS, default 3)
#
# Targets (issue 13): serve >= half of nginx's requests/s, p99 < 10 ms at 64 connections;
# casync extract via serve within 1.5x of nginx. The jar is cli/target/jcasync.jar (build it with
# `mvn -B -q -pl cli -am package -DskipTests`; JCASYNC_JAR overrides). Both servers get a fresh
# port; nginx runs with its own config, one worker, access log off (serve's is off by default).
# Needs wrk (apt-get install wrk), nginx, casync. Report: stdout, and bench/results/serve-<date>.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="${JCASYNC_JAR:-$ROOT/cli/target/jcasync.jar}"
DURATION="${DURATION:-10}"
CONNECTIONS="${CONNECTIONS:-64}"
IMAGE_SIZE="${IMAGE_SIZE:-16M}"
RUNS="${RUNS:-3}"
JAVA="${JAVA:-java}"
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

# The image: half random, half repeated text, so chunks compress like a real image's.
head -c "$(numfmt --from=iec "$IMAGE_SIZE")" /dev/urandom >"$WORK/image.img"
STORE="$WORK/store.castr"
"$CASYNC" make --store="$STORE" "$WORK/image.caibx" "$WORK/image.img" >/dev/null

# The chunk closest to 54 KB.
CHUNK="$(cd "$STORE" && find . -name '*.cacnk' -printf '%s %P\n' \
    | awk '{d = $1 - 54000; if (d < 0) d = -d; print d, $1, $2}' | sort -n | head -1 | awk '{print $3}')"
CHUNK_SIZE="$(stat -c %s "$STORE/$CHUNK")"

SERVE_PORT="$(free_port)"
"$JAVA" -jar "$JAR" serve --store="$STORE" --listen="127.0.0.1:$SERVE_PORT" >"$WORK/serve.log" 2>&1 &
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

# wrk's --latency output: "Requests/sec: N" and the "99%" line of the latency distribution.
run_wrk() { # name url
    curl -sf -o /dev/null "$2" || { echo "serve-vs-nginx: $1 does not serve $2" >&2; exit 1; }
    wrk -t2 -c"$CONNECTIONS" -d"${WARMUP:-5}s" "$2" >/dev/null # warm-up (JIT, page cache)
    wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 5s --latency "$2" >"$WORK/wrk-$1.txt"
    local rps p99
    rps="$(awk '/^Requests\/sec:/ {print $2}' "$WORK/wrk-$1.txt")"
    p99="$(awk '$1 == "99%" {print $2}' "$WORK/wrk-$1.txt")"
    echo "$rps $p99"
}

to_ms() { # wrk's 1.23ms / 456.00us / 1.02s
    awk -v v="$1" 'BEGIN {
        if (v ~ /us$/) { sub(/us$/, "", v); print v / 1000 }
        else if (v ~ /ms$/) { sub(/ms$/, "", v); print v + 0 }
        else if (v ~ /s$/) { sub(/s$/, "", v); print v * 1000 }
        else print v }'
}

read -r SERVE_RPS SERVE_P99 <<<"$(run_wrk serve "http://127.0.0.1:$SERVE_PORT/$CHUNK")"
read -r NGINX_RPS NGINX_P99 <<<"$(run_wrk nginx "http://127.0.0.1:$NGINX_PORT/$CHUNK")"

median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

extract_time() { # url
    local times=()
    for run in $(seq "$RUNS"); do
        rm -f "$WORK/out.img"
        local start end
        start="$(date +%s.%N)"
        "$CASYNC" extract --store="$1" "$WORK/image.caibx" "$WORK/out.img" >/dev/null
        end="$(date +%s.%N)"
        cmp -s "$WORK/out.img" "$WORK/image.img" || { echo "serve-vs-nginx: extract via $1 differs" >&2; exit 1; }
        times+=("$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.3f", b - a}')")
    done
    printf '%s\n' "${times[@]}" | median
}

SERVE_EXTRACT="$(extract_time "http://127.0.0.1:$SERVE_PORT/")"
NGINX_EXTRACT="$(extract_time "http://127.0.0.1:$NGINX_PORT/")"
SERVE_RSS_KIB="$(awk '/^VmHWM:/ {print $2}' "/proc/$SERVE_PID/status")"

SERVE_P99_MS="$(to_ms "$SERVE_P99")"
NGINX_P99_MS="$(to_ms "$NGINX_P99")"
RPS_RATIO="$(awk -v a="$SERVE_RPS" -v b="$NGINX_RPS" 'BEGIN {printf "%.2f", a / b}')"
EXTRACT_RATIO="$(awk -v a="$SERVE_EXTRACT" -v b="$NGINX_EXTRACT" 'BEGIN {printf "%.2f", a / b}')"
verdict() { if [ "$1" = 1 ]; then echo "met"; else echo "MISSED"; fi; }
RPS_OK="$(awk -v r="$RPS_RATIO" 'BEGIN {print (r >= 0.5)}')"
P99_OK="$(awk -v p="$SERVE_P99_MS" 'BEGIN {print (p < 10)}')"
EXTRACT_OK="$(awk -v r="$EXTRACT_RATIO" 'BEGIN {print (r <= 1.5)}')"

mkdir -p "$ROOT/bench/results"
REPORT="$ROOT/bench/results/serve-$(date -u +%Y%m%d-%H%M%S).md"
{
    echo "# jcasync serve vs nginx ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $("$JAVA" -version 2>&1 | head -1))"
    echo
    echo "Store: casync make of $IMAGE_SIZE of random data. Chunk: $CHUNK ($CHUNK_SIZE bytes)."
    echo "wrk -t2 -c$CONNECTIONS -d${DURATION}s --latency (after a ${WARMUP:-5} s warm-up at the same load); extract: median of $RUNS."
    echo
    echo "| | jcasync serve | nginx | serve/nginx | target |"
    echo "|---|---:|---:|---:|---|"
    echo "| requests/s | $SERVE_RPS | $NGINX_RPS | $RPS_RATIO | >= 0.5: $(verdict "$RPS_OK") |"
    echo "| p99 latency | $SERVE_P99 | $NGINX_P99 | | serve < 10 ms: $(verdict "$P99_OK") |"
    echo "| casync extract $IMAGE_SIZE (s) | $SERVE_EXTRACT | $NGINX_EXTRACT | $EXTRACT_RATIO | <= 1.5: $(verdict "$EXTRACT_OK") |"
    echo
    echo "serve peak RSS: $((SERVE_RSS_KIB / 1024)) MiB"
    echo
    echo '```'
    echo "== serve"; cat "$WORK/wrk-serve.txt"
    echo "== nginx"; cat "$WORK/wrk-nginx.txt"
    echo '```'
} | tee "$REPORT"
