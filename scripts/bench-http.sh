#!/usr/bin/env bash
# service-daemon's HTTP server against Hummingbird 2 (SwiftNIO), both serving
# GET /healthz -> {"status":"ok"}, release builds, on loopback, with wrk.
# Rounds alternate A B A B so drift on the machine hits both alike; the
# table reports every run, the medians and the daemon/Hummingbird ratio.
#
#   scripts/bench-http.sh                       # 64 connections, 2 threads, 10 s, 3 rounds
#   CONNECTIONS=1 THREADS=1 scripts/bench-http.sh
#   ROUNDS=5 DURATION=20s scripts/bench-http.sh
#   PACE_MS=2 scripts/bench-http.sh             # each connection waits 2 ms between requests:
#                                               # latency at a load both servers sustain
#   PACE_MS=2 PACE_JITTER_MS=1 scripts/bench-http.sh  # waits of 1-3 ms: independent clients (without
#                                               # jitter wrk's millisecond timers put connections in step)
#   TLS=1 scripts/bench-http.sh                 # HTTPS: the daemon with tls_cert/tls_key against
#                                               # Hummingbird over swift-nio-ssl, same P-256 certificate
#   TLS=1 NEW_CONNECTIONS=1 scripts/bench-http.sh  # every request on a new connection (Connection: close):
#                                               # the handshake rate
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-2}"
PORT_A="${PORT_A:-18080}"
PORT_B="${PORT_B:-18081}"
PACE_MS="${PACE_MS:-}"
PACE_JITTER_MS="${PACE_JITTER_MS:-}"
TLS="${TLS:-}"
NEW_CONNECTIONS="${NEW_CONNECTIONS:-}"

source scripts/lib/pacing.sh
pacing_validate
export PACE_MS PACE_JITTER_MS  # read by Benchmarks/lib/pace.lua in wrk

bash scripts/ensure-wrk.sh
bash scripts/ensure-deps.sh

swift build -c release --product service-daemon >&2
swift build -c release --package-path Benchmarks >&2

workdir=$(mktemp -d)
pids=()
wrk_pid=""
cleanup() {
  # wrk too: interrupted mid-run, it would otherwise keep loading the next run's servers.
  for pid in $wrk_pid "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$workdir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

scheme=http
curl_tls=()
if [ -n "$TLS" ]; then
  scheme=https
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1 -keyout "$workdir/key.pem" -out "$workdir/cert.pem" 2>/dev/null
  curl_tls=(--cacert "$workdir/cert.pem")
  # The daemon reads them from the environment, so DAEMON_CMD stays a plain command line.
  export SERVICE_DAEMON_TLS_CERT="$workdir/cert.pem" SERVICE_DAEMON_TLS_KEY="$workdir/key.pem"
  default_hb="Benchmarks/.build/release/hb-health-tls --host 127.0.0.1 --port $PORT_B --cert $workdir/cert.pem --key $workdir/key.pem"
  default_b_label="Hummingbird 2.28.1 + swift-nio-ssl 2.37.6"
else
  default_hb="Benchmarks/.build/release/hb-health --host 127.0.0.1 --port $PORT_B"
  default_b_label="Hummingbird 2.28.1"
fi

DAEMON_CMD="${DAEMON_CMD:-.build/release/service-daemon serve --host 127.0.0.1 --port $PORT_A --db $workdir/bench.db}"
HB_CMD="${HB_CMD:-$default_hb}"
# Row labels; set A_LABEL when DAEMON_CMD points at something else (e.g. a second hb-health).
A_LABEL="${A_LABEL:-service-daemon}"
B_LABEL="${B_LABEL:-$default_b_label}"

# Only our own servers may answer the readiness checks below.
source scripts/lib/ports.sh
require_free_port "$PORT_A"
require_free_port "$PORT_B"

$DAEMON_CMD 2>"$workdir/daemon.log" & daemon_pid=$!; pids+=("$daemon_pid")
$HB_CMD >"$workdir/hb.log" 2>&1 & hb_pid=$!; pids+=("$hb_pid")

# Up to about 20 s per server; fails at once if the server has exited.
wait_ready() {
  local port=$1 pid=$2 log=$3
  for _ in $(seq 1 100); do
    curl -fsS --max-time 1 "${curl_tls[@]}" "$scheme://127.0.0.1:$port/healthz" >/dev/null 2>&1 && return 0
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "server for port $port exited; its output:" >&2
      head -n 30 "$log" >&2
      exit 1
    fi
    sleep 0.1
  done
  echo "server on port $port did not answer /healthz" >&2
  exit 1
}
wait_ready "$PORT_A" "$daemon_pid" "$workdir/daemon.log"
wait_ready "$PORT_B" "$hb_pid" "$workdir/hb.log"

# Saturation measures throughput; latency is only comparable at a load both
# sustain, where neither server's loops compete with wrk for every time slice.
pace=()
if [ -n "$PACE_MS" ]; then pace=(-s Benchmarks/lib/pace.lua); fi
# With Connection: close each request pays a TCP connect and (with TLS) a full handshake.
close_each=()
[ -n "$NEW_CONNECTIONS" ] && close_each=(-H "Connection: close")

# One wrk run against a port; sets rps and p99 (ms). wrk runs in the background with its
# pid recorded so that the EXIT trap can stop it.
run_wrk() {
  local output value unit
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "${pace[@]}" "${close_each[@]}" "$scheme://127.0.0.1:$1/healthz" >"$workdir/wrk.out" &
  wrk_pid=$!
  wait "$wrk_pid"
  wrk_pid=""
  output=$(<"$workdir/wrk.out")
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$output")
  if [ -z "$rps" ]; then
    echo "no Requests/sec in wrk's output against port $1:" >&2
    echo "$output" >&2
    exit 1
  fi
  pacing_check_rate "$rps" "$CONNECTIONS"
  read -r value unit < <(awk '$1 == "99%" {v=$2; u=$2; gsub(/[a-z]+$/, "", v); gsub(/^[0-9.]+/, "", u); print v, u}' <<<"$output")
  case "$unit" in
    us) p99=$(awk -v v="$value" 'BEGIN {printf "%.3f", v / 1000}') ;;
    ms) p99="$value" ;;
    s) p99=$(awk -v v="$value" 'BEGIN {printf "%.1f", v * 1000}') ;;
    *) p99="?" ;;
  esac
  if grep -q "Socket errors\|Non-2xx" <<<"$output"; then
    echo "wrk reported errors against port $1:" >&2
    grep "Socket errors\|Non-2xx" <<<"$output" >&2
  fi
}

median() { sort -g | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2] + a[NR/2+1]) / 2}'; }

declare -a a_rps a_p99 b_rps b_p99
for round in $(seq 1 "$ROUNDS"); do
  run_wrk "$PORT_A"; a_rps+=("$rps"); a_p99+=("$p99")
  echo "round $round $A_LABEL: $rps req/s, p99 $p99 ms" >&2
  run_wrk "$PORT_B"; b_rps+=("$rps"); b_p99+=("$p99")
  echo "round $round $B_LABEL: $rps req/s, p99 $p99 ms" >&2
done

peak_rss() { awk '/^VmHWM:/ {printf "%.1f MB", $2 / 1024}' "/proc/$1/status"; }
a_rss=$(peak_rss "$daemon_pid")
b_rss=$(peak_rss "$hb_pid")
a_median=$(printf '%s\n' "${a_rps[@]}" | median)
b_median=$(printf '%s\n' "${b_rps[@]}" | median)
a_p99m=$(printf '%s\n' "${a_p99[@]}" | median)
b_p99m=$(printf '%s\n' "${b_p99[@]}" | median)
ratio=$(awk -v a="$a_median" -v b="$b_median" 'BEGIN {printf "%.2f", a / b}')

cpu=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
echo
echo "Machine: $(nproc) cores, $cpu, Linux $(uname -r)"
echo "Command: ROUNDS=$ROUNDS DURATION=$DURATION CONNECTIONS=$CONNECTIONS THREADS=$THREADS$(pacing_describe)${TLS:+ TLS=$TLS}${NEW_CONNECTIONS:+ NEW_CONNECTIONS=$NEW_CONNECTIONS} scripts/bench-http.sh"
echo "  each run: wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency${PACE_MS:+ (each connection pausing $PACE_MS ms${PACE_JITTER_MS:+ +/- $PACE_JITTER_MS ms} between requests)}${NEW_CONNECTIONS:+ -H 'Connection: close'} $scheme://127.0.0.1:PORT/healthz, $ROUNDS alternating rounds"
echo "  A: $DAEMON_CMD"
echo "  B: $HB_CMD"
echo
echo "| server | runs (req/s) | median req/s | median p99 (ms) | peak RSS |"
echo "|---|---|---|---|---|"
echo "| $A_LABEL | ${a_rps[*]} | $a_median | $a_p99m | $a_rss |"
echo "| $B_LABEL | ${b_rps[*]} | $b_median | $b_p99m | $b_rss |"
echo
echo "Ratio $A_LABEL / $B_LABEL (median req/s): $ratio"
