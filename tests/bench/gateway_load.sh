#!/usr/bin/env bash
# Load benchmark: wrk against `pathbridge serve` on loopback, plain HTTP and
# TLS, each endpoint beside a baseline measured in the same run:
#   GET /ledger/checkpoint     nginx serving a small static response
#                              (target >= 0.60 of nginx's requests/s)
#   POST /credentials/verify   a credential issued by this run's hub, beside
#                              the in-process verify rate of the same request
#                              body (verify_rate: the route's parse and
#                              Verify on the server's worker count, measured
#                              just before each wrk run; target >= 0.80)
# Prints requests/s, the baseline, the ratio, p99 latency and errors (target
# 0) per endpoint. See docs/performance.md.
#
#   gateway_load.sh [--smoke] [--seconds S] [--connections C] [--threads T]
#                   [--verify-rate BIN] [--shared DIR] PATHBRIDGE
#
# --smoke: a one-second run that only checks every endpoint answers without
# errors (the default suite runs it). Exits 77 (skipped) without nginx or wrk.
# --verify-rate: the verify_rate binary [next to PATHBRIDGE's build:
# tests/bench/verify_rate]; --shared: the shared samples folder [the repo's
# sibling shared/] (the unsigned OB 3.0 credential issued comes from there).
#
# The servers run with --open-rate-limit 1000000: the open verification
# routes are otherwise limited to 10 requests/s per client address, and all
# of wrk's connections come from 127.0.0.1.
#
# To add an endpoint, add a line to the ENDPOINTS list below:
# "METHOD|path|body file|baseline", with the body file (JSON) under the temp
# dir or an absolute path (wrk then sends it with a generated Lua script),
# and the baseline nginx or verify.
set -euo pipefail

seconds=10
connections=32
threads=2
smoke=0
here=$(cd "$(dirname "$0")" && pwd)
shared="$here/../../../shared"
verify_rate=""
while [[ $# -gt 1 ]]; do
  case "$1" in
    --smoke) smoke=1; seconds=1; connections=8; shift ;;
    --seconds) seconds="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --verify-rate) verify_rate="$2"; shift 2 ;;
    --shared) shared="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
pathbridge="${1:?usage: gateway_load.sh [--smoke] [--seconds S] [--connections C] [--threads T] [--verify-rate BIN] [--shared DIR] PATHBRIDGE}"
[[ -n "$verify_rate" ]] || verify_rate="$(dirname "$pathbridge")/../tests/bench/verify_rate"
[[ -x "$verify_rate" ]] || { echo "no verify_rate binary at $verify_rate (build the verify_rate target)" >&2; exit 2; }
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

# The credential to verify: an organization of a fresh hub issues the OB 3.0
# spec's basic badge (`credential issue` refuses while a server holds the
# data dir, so before serve). Each server then starts from its own copy of
# that hub, so the hub's keys and status lists verify the credential there.
hub="$tmp/hub"
"$pathbridge" org add --data "$hub" --name "Bench College" bench >/dev/null
python3 - "$shared/standards/ob3/spec-examples/basicOpenBadgeCredential.json" "$tmp/unsigned.json" <<'PY'
import json, sys
badge = json.load(open(sys.argv[1]))
badge.pop("id", None)  # the hub assigns one
badge["issuer"].pop("id", None)  # the organization's DID
badge["issuer"]["name"] = "Bench College"
json.dump(badge, open(sys.argv[2], "w"))
PY
"$pathbridge" credential issue --data "$hub" --issuer bench "$tmp/unsigned.json" >"$tmp/vc.json"
python3 -c 'import json, sys; json.dump({"verifiableCredential": json.load(open(sys.argv[1]))}, open(sys.argv[2], "w"))' \
  "$tmp/vc.json" "$tmp/verify.json"
cp -a "$hub" "$tmp/tls"
cp -a "$hub" "$tmp/plain"

# pathbridge: TLS (development certificates, made on first run) and plain,
# each with its own data dir, the same number of I/O threads as nginx has
# workers, and no practical rate limit on the open verification routes.
start_pathbridge() {  # VAR NAME ARGS...: sets VAR to the base URL, VAR_pid to its process
  local var=$1 name=$2; shift 2
  "$pathbridge" serve --listen 127.0.0.1:0 --data "$tmp/$name" --threads "$threads" \
    --open-rate-limit 1000000 "$@" >"$tmp/$name.out" 2>/dev/null &
  pids+=($!)
  printf -v "${var}_pid" '%s' "$!"
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
wait_for "$pb_tls/readyz"

# The credential verifies on both servers before any load (a 422 under load
# would only show as errors).
for base in "$pb_plain" "$pb_tls"; do
  code=$(curl -sk -o "$tmp/verify.answer" -w '%{http_code}' -H 'Content-Type: application/json' \
    --data-binary "@$tmp/verify.json" "$base/credentials/verify")
  if [[ "$code" != 200 ]]; then
    echo "POST $base/credentials/verify answered $code, not 200:" >&2
    cat "$tmp/verify.answer" >&2
    exit 1
  fi
done

# The endpoints: METHOD|path|body file ("" for none)|baseline.
ENDPOINTS=(
  "GET|/ledger/checkpoint||nginx"
  "POST|/credentials/verify|verify.json|verify"
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

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }  # PID: user + system

# Runs wrk; prints "requests/s p99_ms errors cpu_ms", cpu_ms being the CPU
# time process PID spent per request ("-" without a PID).
run_wrk() {  # URL [LUA] [PID]
  local url=$1 lua=${2:-} pid=${3:-} out before=0 after=0
  local args=(-t "$threads" -c "$connections" -d "${seconds}s" --latency --timeout 5s)
  [[ -n "$lua" ]] && args+=(-s "$lua")
  [[ -n "$pid" ]] && before=$(cpu_ticks "$pid")
  out=$(wrk "${args[@]}" "$url")
  [[ -n "$pid" ]] && after=$(cpu_ticks "$pid")
  python3 - "$out" "$pid" "$((after - before))" "$(getconf CLK_TCK)" <<'PY'
import re, sys
out, pid, ticks, hz = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
requests = int(re.search(r"(\d+) requests in", out).group(1))
cpu_ms = f"{1000 * ticks / hz / max(requests, 1):.3f}" if pid else "-"
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
m = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
p99 = float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]
errors = 0
e = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
if e: errors += sum(int(x) for x in e.groups())
n = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
if n: errors += int(n.group(1))
print(f"{rps:.0f} {p99:.2f} {errors} {cpu_ms}")
PY
}

# The in-process verify rate of the request body, on the hub the servers
# copied, as a baseline result: "verifies/s 0 0 cpu_ms", or "0 0 1 -" when it
# failed.
verify_baseline() {
  local out rps cpu
  out=$("$verify_rate" --data "$hub" --body "$tmp/verify.json" --seconds "$seconds") ||
    { echo "0 0 1 -"; return 0; }
  read -r _ rps _ cpu <<<"$out"
  echo "$rps 0 0 $cpu"
}

status=0
report() {  # LABEL BASELINE_NAME BASELINE_RESULT RESULT
  read -r b_rps b_p99 b_err b_cpu <<<"$3"
  read -r rps p99 err cpu <<<"$4"
  local ratio
  ratio=$(python3 -c "print(f'{$rps / max($b_rps, 1):.2f}')")
  printf '%-34s %10s %10s %-8s %6s %8s %7s' "$1" "$rps" "$b_rps" "$2" "$ratio" "$p99" "$err"
  if [[ "$2" == nginx ]]; then
    printf '   (nginx: p99 %s ms, errors %s)' "$b_p99" "$b_err"
  else
    printf '   (CPU per request %s ms, in-process %s ms)' "$cpu" "$b_cpu"
  fi
  printf '\n'
  if [[ "$err" != 0 || "$b_err" != 0 || "$rps" == 0 || "$b_rps" == 0 ]]; then status=1; fi
}

echo "gateway_load: wrk -t $threads -c $connections -d ${seconds}s; pathbridge --threads $threads, nginx worker_processes $threads; $(nproc) CPUs; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "baselines: nginx (a static response; target ratio >= 0.60), verify (in-process verifies/s on the server's worker count; target >= 0.80)"
printf '%-34s %10s %10s %-8s %6s %8s %7s\n' "endpoint" "req/s" "baseline" "" "ratio" "p99 ms" "errors"
nginx_plain=$(run_wrk "http://127.0.0.1:$nginx_plain_port/")
nginx_tls=$(run_wrk "https://127.0.0.1:$nginx_tls_port/")
for endpoint in "${ENDPOINTS[@]}"; do
  IFS='|' read -r method path body baseline <<<"$endpoint"
  [[ -n "$body" && "$body" != /* ]] && body="$tmp/$body"
  lua=$(lua_for "$method" "$body")
  for transport in http https; do
    if [[ "$transport" == http ]]; then
      base=$pb_plain pid=$pb_plain_pid
    else
      base=$pb_tls pid=$pb_tls_pid
    fi
    if [[ "$baseline" == verify ]]; then
      b=$(verify_baseline)
    elif [[ "$transport" == http ]]; then
      b=$nginx_plain
    else
      b=$nginx_tls
    fi
    report "$method $path ($transport)" "$baseline" "$b" "$(run_wrk "$base$path" "$lua" "$pid")"
  done
done
exit $status
