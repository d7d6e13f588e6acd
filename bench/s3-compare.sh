#!/usr/bin/env bash
# jcasync with an S3 store (S3Proxy, in memory, signatures checked, on 127.0.0.1) against a local
# store directory and nginx, on bench/corpus.sh's images (IMAGE_SIZE, default 256M here):
#
#   bench/s3-compare.sh            (after: mvn -B -q -pl store-s3,cli -am package -DskipTests)
#
#   make os-v1 into an empty store: local directory vs S3
#   make os-v2 into the store holding os-v1: local vs S3 (each distinct chunk asked about once)
#   extract os-v2 seeded by os-v1: from nginx (serving the local store) vs from S3
#   the same through `jcasync serve --cache` in front of S3 (cold cache, then warm), S3 requests counted
#
# Times are wall-clock seconds of one run (page cache warm). Requests are counted by a proxy in
# front of S3Proxy, in a second run of each S3 step into its own prefix (the proxy opens one
# connection per request, so its runs are not timed); nginx's requests come from its access log.
# Results: bench/results/s3-compare-DATE.md. Environment: IMAGE_SIZE, JCASYNC_CORPUS, NGINX.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
IMAGE_SIZE="${IMAGE_SIZE:-256M}"
export IMAGE_SIZE
CORPUS="${JCASYNC_CORPUS:-/var/tmp/jcasync-corpus}"
[[ "$IMAGE_SIZE" == 1G ]] || CORPUS="$CORPUS-$IMAGE_SIZE" # compare.sh's names
NGINX="${NGINX:-nginx}"
PATH="$PATH:/usr/sbin:/sbin"
die() { echo "s3-compare: error: $*" >&2; exit 1; }
log() { echo "s3-compare: $(date +%H:%M:%S) $*" >&2; }

JAR="$ROOT/cli/target/jcasync.jar"
[[ -f "$JAR" && -d "$ROOT/store-s3/target/test-classes" ]] \
    || die "build first: mvn -B -q -pl store-s3,cli -am package -DskipTests"
command -v "$NGINX" >/dev/null 2>&1 || die "nginx not found"
[[ -x /usr/bin/time ]] || die "/usr/bin/time not found (apt-get install -y time)"

bash "$ROOT/bench/corpus.sh" "$CORPUS" >&2
V1="$CORPUS/os-v1.img"
V2="$CORPUS/os-v2.img"

W="$(mktemp -d "${TMPDIR:-/var/tmp}/jcasync-s3.XXXXXX")"
S3_PID=""
NGINX_PID=""
SERVE_PID=""
cleanup() {
    [[ -n "$SERVE_PID" ]] && { kill "$SERVE_PID" 2>/dev/null || true; wait "$SERVE_PID" 2>/dev/null || true; }
    [[ -n "$S3_PID" ]] && { kill "$S3_PID" 2>/dev/null || true; wait "$S3_PID" 2>/dev/null || true; }
    [[ -n "$NGINX_PID" ]] && { kill "$NGINX_PID" 2>/dev/null || true; wait "$NGINX_PID" 2>/dev/null || true; }
    rm -rf "$W"
}
trap cleanup EXIT

# --- S3Proxy with a counting proxy in front (S3TestServer's main) -------------------------------
log "classpath"
(cd "$ROOT" && mvn -B -q -o -pl store-s3 dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$W/cp.txt" >&2) || die "could not compute store-s3's test classpath"
CP="$ROOT/store-s3/target/test-classes:$ROOT/store-s3/target/classes:$ROOT/store/target/classes:$ROOT/chunker/target/classes:$(cat "$W/cp.txt")"
mkfifo "$W/s3.in" "$W/s3.out"
java -Xmx6g -cp "$CP" dev.jcasync.store.s3.S3TestServer bench <"$W/s3.in" >"$W/s3.out" 2>"$W/s3.err" &
S3_PID=$!
exec 7>"$W/s3.in" 8<"$W/s3.out"
read -r -t 60 S3_URL PROXY_URL <&8 || { cat "$W/s3.err" >&2; die "S3Proxy did not start"; }
log "S3Proxy at $S3_URL, counting proxy at $PROXY_URL"
counts() { echo counts >&7; local c; read -r -t 60 c <&8; echo "$c"; }
export AWS_ACCESS_KEY_ID=jcasync-test-access-key AWS_SECRET_ACCESS_KEY=jcasync-test-secret-key-0123456789
export AWS_EC2_METADATA_DISABLED=true AWS_REGION=us-east-1
s3() { echo "s3+$1/bench/$2"; }

JC=(java -XX:+UseSerialGC -XX:MaxNewSize=32m -jar "$JAR")
secs() { # command...: prints elapsed seconds, fails on failure
    /usr/bin/time -f "%e" -o "$W/time" "$@" >"$W/out" 2>"$W/err" || { cat "$W/err" >&2; die "failed: $*"; }
    cat "$W/time"
}

# --- nginx serving the local store --------------------------------------------------------------
mkdir -p "$W/www" "$W/nginx/tmp"
port=$(( 20000 + RANDOM % 30000 ))
cat >"$W/nginx/nginx.conf" <<NGX
$( [[ "$(id -u)" == 0 ]] && echo "user root;" )
daemon off;
worker_processes 2;
pid $W/nginx/nginx.pid;
error_log $W/nginx/error.log warn;
events { worker_connections 512; }
http {
    log_format bench '\$status \$body_bytes_sent "\$request"';
    access_log $W/nginx/access.log bench;
    default_type application/octet-stream;
    sendfile on;
    keepalive_requests 1000000;
    client_body_temp_path $W/nginx/tmp/body;
    proxy_temp_path $W/nginx/tmp/proxy;
    fastcgi_temp_path $W/nginx/tmp/fastcgi;
    uwsgi_temp_path $W/nginx/tmp/uwsgi;
    scgi_temp_path $W/nginx/tmp/scgi;
    server { listen 127.0.0.1:$port; root $W/www; location / { } }
}
NGX
"$NGINX" -p "$W/nginx" -e "$W/nginx/error.log" -c "$W/nginx/nginx.conf" >/dev/null 2>&1 &
NGINX_PID=$!
for _ in $(seq 1 50); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
NGINX_URL="http://127.0.0.1:$port"

# --- the runs ----------------------------------------------------------------------------------
R="$W/results.md"
{
    echo "# jcasync: S3 (S3Proxy, in memory) vs local store and nginx"
    echo
    echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, IMAGE_SIZE=$IMAGE_SIZE ($(stat -c %s "$V1") bytes), one run each."
    echo
    echo "| step | local / nginx | S3 | S3 requests |"
    echo "|---|---:|---:|---|"
} >"$R"

log "make v1: local"
t_local=$(secs "${JC[@]}" make --store="$W/www/store.castr" "$W/v1.caibx" "$V1")
log "make v1: S3"
t_s3=$(secs "${JC[@]}" make --store="$(s3 "$S3_URL" timed)" "$W/v1-s3.caibx" "$V1")
counts >/dev/null
secs "${JC[@]}" make --store="$(s3 "$PROXY_URL" counted)" "$W/v1-c.caibx" "$V1" >/dev/null
c=$(counts)
echo "| make v1, empty store | ${t_local} s | ${t_s3} s | $c |" >>"$R"

log "make v2 over v1: local"
t_local=$(secs "${JC[@]}" make --store="$W/www/store.castr" "$W/www/v2.caibx" "$V2")
log "make v2 over v1: S3"
t_s3=$(secs "${JC[@]}" make --store="$(s3 "$S3_URL" timed)" "$W/v2-s3.caibx" "$V2")
counts >/dev/null
secs "${JC[@]}" make --store="$(s3 "$PROXY_URL" counted)" "$W/v2-c.caibx" "$V2" >/dev/null
c=$(counts)
echo "| make v2, store holding v1 | ${t_local} s | ${t_s3} s | $c |" >>"$R"
cmp -s "$W/www/v2.caibx" "$W/v2-s3.caibx" || die "the S3 make wrote another index"

log "extract v2 seeded by v1: nginx"
: >"$W/nginx/access.log"
t_local=$(secs "${JC[@]}" extract --store="$NGINX_URL/store.castr" --seed="$V1" "$W/www/v2.caibx" "$W/out-nginx.img")
nginx_n=$(grep -c '\.cacnk' "$W/nginx/access.log" || true)
log "extract v2 seeded by v1: S3"
t_s3=$(secs "${JC[@]}" extract --store="$(s3 "$S3_URL" timed)" --seed="$V1" "$W/www/v2.caibx" "$W/out-s3.img")
transferred=$(grep -o 'transferred: [0-9]* bytes' "$W/err" || true)
counts >/dev/null
secs "${JC[@]}" extract --store="$(s3 "$PROXY_URL" counted)" --seed="$V1" "$W/www/v2.caibx" "$W/out-c.img" >/dev/null
c=$(counts)
echo "| extract v2 seeded by v1 | ${t_local} s (nginx: $nginx_n chunk GETs) | ${t_s3} s | $c |" >>"$R"
cmp "$V2" "$W/out-nginx.img" && cmp "$V2" "$W/out-s3.img" && cmp "$V2" "$W/out-c.img" || die "extract differs"

log "extract v2 seeded by v1 through serve --cache in front of S3 (cold, then warm)"
"${JC[@]}" serve --store="$(s3 "$PROXY_URL" counted)" --cache="$W/serve-cache" >"$W/serve.out" 2>"$W/serve.err" &
SERVE_PID=$!
SERVE_URL=""
for _ in $(seq 1 600); do
    SERVE_URL=$(sed -n 's/^serving .* at \(http:[^ ]*\)$/\1/p' "$W/serve.out")
    [[ -n "$SERVE_URL" ]] && break
    kill -0 "$SERVE_PID" 2>/dev/null || { cat "$W/serve.err" >&2; die "jcasync serve did not start"; }
    sleep 0.1
done
[[ -n "$SERVE_URL" ]] || die "jcasync serve did not start"
counts >/dev/null
t_cold=$(secs "${JC[@]}" extract --store="$SERVE_URL" --seed="$V1" "$W/www/v2.caibx" "$W/out-serve.img")
c_cold=$(counts)
t_warm=$(secs "${JC[@]}" extract --store="$SERVE_URL" --seed="$V1" "$W/www/v2.caibx" "$W/out-serve2.img")
c_warm=$(counts)
kill "$SERVE_PID"; wait "$SERVE_PID" 2>/dev/null || true; SERVE_PID=""
echo "| extract v2 seeded by v1 through serve --cache (cold / warm; S3 behind the counting proxy) | | ${t_cold} s / ${t_warm} s | cold: $c_cold; warm: ${c_warm:-none} |" >>"$R"
cmp "$V2" "$W/out-serve.img" && cmp "$V2" "$W/out-serve2.img" || die "extract through serve differs"
{
    echo
    echo "S3 extract: $transferred. Every output compared equal to os-v2.img. Each S3 step's requests"
    echo "come from a second run into its own prefix through the counting proxy (one connection per request)."
} >>"$R"

mkdir -p "$ROOT/bench/results"
out="$ROOT/bench/results/s3-compare-$(date +%Y%m%d-%H%M%S).md"
cp "$R" "$out"
cat "$R"
log "saved $out"
