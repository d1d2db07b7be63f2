#!/usr/bin/env bash
# Load benchmark: wrk against `pathbridge serve` beside nginx serving a
# small static response, both on loopback, in the same run; plain HTTP and
# TLS. Prints requests/s, the ratio to nginx (target >= 0.60), p99 latency
# and errors (target 0) per endpoint. See docs/performance.md.
#
#   gateway_load.sh [--smoke] [--seconds S] [--connections C] [--threads T] PATHBRIDGE
#
# --smoke: a one-second run that only checks every endpoint answers without
# errors (the default suite runs it). Exits 77 (skipped) without nginx or wrk.
#
# To add an endpoint (e.g. POST /credentials/verify), add a line to the
# ENDPOINTS list below: "name|METHOD|path|body file", with the body file
# (JSON) under the temp dir or an absolute path; wrk then sends it with a
# generated Lua script.
set -euo pipefail

seconds=10
connections=32
threads=2
smoke=0
while [[ $# -gt 1 ]]; do
  case "$1" in
    --smoke) smoke=1; seconds=1; connections=8; shift ;;
    --seconds) seconds="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
pathbridge="${1:?usage: gateway_load.sh [--smoke] [--seconds S] [--connections C] [--threads T] PATHBRIDGE}"
for tool in nginx wrk python3; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed"; exit 77; }
done

tmp=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_for() {  # URL: until it answers (30 s)
  for _ in $(seq 300); do
    curl -sk -o /dev/null "$1" && return 0
    sleep 0.1
  done
  echo "no answer from $1" >&2; exit 1
}

# pathbridge: TLS (development certificates, made on first run) and plain,
# each with its own data dir, the same number of I/O threads as nginx has
# workers.
start_pathbridge() {  # VAR NAME ARGS...: sets VAR to the base URL
  local var=$1 name=$2; shift 2
  "$pathbridge" serve --listen 127.0.0.1:0 --data "$tmp/$name" --threads "$threads" "$@" \
    >"$tmp/$name.out" 2>/dev/null &
  pids+=($!)
  for _ in $(seq 300); do
    local base
    base=$(sed -n 's/.*" at \(http[^ ]*\)$/\1/p' "$tmp/$name.out")
    [[ -n "$base" ]] && { printf -v "$var" '%s' "$base"; return 0; }
    sleep 0.1
  done
  echo "pathbridge $name did not start" >&2; cat "$tmp/$name.out" >&2; exit 1
}
start_pathbridge pb_tls tls
start_pathbridge pb_plain plain --plain

# nginx: a private config; the same certificate pathbridge serves.
nginx_plain_port=$(free_port)
nginx_tls_port=$(free_port)
mkdir -p "$tmp/nginx"
cat >"$tmp/nginx/nginx.conf" <<EOF
worker_processes $threads;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log;
daemon off;
events { worker_connections 4096; }
http {
  # One log line per request, as pathbridge writes (its logs go to /dev/null too).
  access_log /dev/null;
  client_body_temp_path $tmp/nginx/body;
  proxy_temp_path $tmp/nginx/proxy;
  fastcgi_temp_path $tmp/nginx/fastcgi;
  uwsgi_temp_path $tmp/nginx/uwsgi;
  scgi_temp_path $tmp/nginx/scgi;
  server {
    listen 127.0.0.1:$nginx_plain_port;
    listen 127.0.0.1:$nginx_tls_port ssl;
    ssl_certificate $tmp/tls/pki/server.pem;
    ssl_certificate_key $tmp/tls/pki/server.key;
    ssl_protocols TLSv1.3;
    location / { default_type text/plain; return 200 "a small static response\n"; }
  }
}
EOF
nginx -c "$tmp/nginx/nginx.conf" -p "$tmp/nginx" &
pids+=($!)
wait_for "http://127.0.0.1:$nginx_plain_port/"
wait_for "$pb_plain/readyz"

# The endpoints: name|METHOD|path|body file ("" for none).
ENDPOINTS=(
  "checkpoint|GET|/ledger/checkpoint|"
)

lua_for() {  # METHOD BODY_FILE: a wrk script, or nothing for a plain GET
  local method=$1 body=$2
  [[ "$method" == GET && -z "$body" ]] && return 0
  local script="$tmp/$RANDOM.lua"
  python3 - "$method" "$body" "$script" <<'PY'
import json, sys
method, body, out = sys.argv[1:]
text = open(body).read() if body else ""
with open(out, "w") as f:
    f.write("wrk.method = %s\n" % json.dumps(method))
    f.write("wrk.body = %s\n" % json.dumps(text))
    f.write('wrk.headers["Content-Type"] = "application/json"\n')
PY
  echo "$script"
}

# Runs wrk; prints "requests/s p99_ms errors".
run_wrk() {  # URL [LUA]
  local url=$1 lua=${2:-} out
  local args=(-t "$threads" -c "$connections" -d "${seconds}s" --latency --timeout 5s)
  [[ -n "$lua" ]] && args+=(-s "$lua")
  out=$(wrk "${args[@]}" "$url")
  python3 - "$out" <<'PY'
import re, sys
out = sys.argv[1]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
m = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
p99 = float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]
errors = 0
e = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
if e: errors += sum(int(x) for x in e.groups())
n = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
if n: errors += int(n.group(1))
print(f"{rps:.0f} {p99:.2f} {errors}")
PY
}

status=0
report() {  # LABEL NGINX_RESULT RESULT
  read -r n_rps n_p99 n_err <<<"$2"
  read -r rps p99 err <<<"$3"
  local ratio
  ratio=$(python3 -c "print(f'{$rps / max($n_rps, 1):.2f}')")
  printf '%-26s %12s %12s %8s %8s   errors %s (nginx: p99 %s ms, errors %s)\n' \
    "$1" "$rps" "$n_rps" "$ratio" "$p99" "$err" "$n_p99" "$n_err"
  if [[ "$err" != 0 || "$n_err" != 0 || "$rps" == 0 ]]; then status=1; fi
}

echo "gateway_load: wrk -t $threads -c $connections -d ${seconds}s; pathbridge --threads $threads, nginx worker_processes $threads; $(nproc) CPUs"
printf '%-26s %12s %12s %8s %8s\n' "endpoint" "requests/s" "nginx req/s" "ratio" "p99 ms"
nginx_plain=$(run_wrk "http://127.0.0.1:$nginx_plain_port/")
nginx_tls=$(run_wrk "https://127.0.0.1:$nginx_tls_port/")
for endpoint in "${ENDPOINTS[@]}"; do
  IFS='|' read -r name method path body <<<"$endpoint"
  [[ -n "$body" && "$body" != /* ]] && body="$tmp/$body"
  lua=$(lua_for "$method" "$body")
  report "$method $path (http)" "$nginx_plain" "$(run_wrk "$pb_plain$path" "$lua")"
  report "$method $path (https)" "$nginx_tls" "$(run_wrk "$pb_tls$path" "$lua")"
done
exit $status
