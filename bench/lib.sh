# Shared by bench/run's cases: medians and ratios, wrk runs, tunnel runs, the targets table.
# Expects ROOT, RUNS, WARMUP, DURATION and (for the tunnel cases) CP to be set by bench/run.

median() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) print "n/a"; else if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b == 0 || a == "n/a" || b == "n/a") print "n/a"; else printf "%.2f", a / b}'; }

# to_ms VALUE_WITH_UNIT (wrk prints 812.00us, 1.20ms, 1.01s)
to_ms() { awk -v v="$1" 'BEGIN {n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n *= 1000; printf "%.3f", n}'; }

# wrk_run PROXY_PORT|direct URL: prints "REQ_PER_SEC P50_MS P99_MS FAILED" (FAILED: non-2xx/3xx
# responses, socket errors and requests that took over wrk's 2 s timeout; wrk counts failed
# requests in its req/s). CONNS connections (default 50).
wrk_run() {
  local proxy=$1 url=$2 count=${3:-} out
  if [ "$proxy" = direct ]; then
    out=$(wrk -t2 -c"${CONNS:-50}" -d"${DURATION}s" --latency -s "$ROOT/bench/proxy.lua" "$url" 2>&1)
  else
    out=$(TARGET="$url" wrk -t2 -c"${CONNS:-50}" -d"${DURATION}s" --latency -s "$ROOT/bench/proxy.lua" "http://127.0.0.1:$proxy/" 2>&1)
  fi
  local failed
  # the larger of the two counts: a request answered with an error and then cut shows in both
  failed=$(echo "$out" | awk '/Non-2xx/ {h = $NF} /Socket errors/ {gsub(",", ""); e = $4 + $6 + $8 + $10} END {print (h > e ? h : e) + 0}')
  echo "$(echo "$out" | awk '/Requests\/sec/ {print $2}') $(to_ms "$(echo "$out" | awk '$1 == "50%" {print $2}')") $(to_ms "$(echo "$out" | awk '$1 == "99%" {print $2}')") $failed${count:+ $(echo "$out" | awk '/requests in/ {print $1}')}"
}

# wrk_case LABEL PROXY URL: medians of RUNS runs into WRK_<LABEL>="rps p50 p99 failed", after one
# unmeasured warm-up run (the JVMs' compilers, Gangway's and LittleProxy's, reach steady state)
wrk_case() {
  local label=$1 proxy=$2 url=$3 rps=() p50=() p99=() failed=() r
  wrk_run "$proxy" "$url" >/dev/null
  for _ in $(seq 1 "$RUNS"); do
    read -r a b c d <<<"$(wrk_run "$proxy" "$url")"
    rps+=("$a"); p50+=("$b"); p99+=("$c"); failed+=("$d")
  done
  r="$(printf '%s\n' "${rps[@]}" | median) $(printf '%s\n' "${p50[@]}" | median) $(printf '%s\n' "${p99[@]}" | median) $(printf '%s\n' "${failed[@]}" | median)"
  printf -v "WRK_$label" '%s' "$r"
  log "$label: req/s p50 p99 failed = $r"
}

# metrics_case OFF_PORT OFF_PID ON_PORT ON_PID URL: wrk runs alternating between two Gangways started
# for this case (one without an admin listener, one with it and scraped), MRUNS of each (default
# 3 × RUNS: the effect is small beside this machine's noise) after three warm-up runs of each. Into WRK_metrics_off/on: median
# req/s, failed, and the Gangway's CPU time per request in µs (utime + stime from /proc), which
# the noise of a shared machine moves less than req/s; and the median of the paired on/off ratios.
metrics_case() {
  local off=$1 offpid=$2 on=$3 onpid=$4 url=$5 a=() b=() fa=() fb=() ca=() cb=() pr=() x y n c0 c1
  local runs=${MRUNS:-$((RUNS * 3))}
  for _ in 1 2 3; do wrk_run "$off" "$url" >/dev/null; wrk_run "$on" "$url" >/dev/null; done
  for _ in $(seq 1 "$runs"); do
    c0=$(proc_cpu "$offpid"); read -r x _ _ y n <<<"$(wrk_run "$off" "$url" count)"; c1=$(proc_cpu "$offpid")
    a+=("$x"); fa+=("$y"); ca+=("$(awk -v c=$((c1 - c0)) -v n="$n" 'BEGIN {printf "%.1f", n ? c * 1e6 / 100 / n : 0}')")
    c0=$(proc_cpu "$onpid"); read -r x _ _ y n <<<"$(wrk_run "$on" "$url" count)"; c1=$(proc_cpu "$onpid")
    b+=("$x"); fb+=("$y"); cb+=("$(awk -v c=$((c1 - c0)) -v n="$n" 'BEGIN {printf "%.1f", n ? c * 1e6 / 100 / n : 0}')")
    pr+=("$(ratio "$x" "${a[-1]}")")
  done
  WRK_metrics_off="$(printf '%s\n' "${a[@]}" | median) $(printf '%s\n' "${fa[@]}" | median) $(printf '%s\n' "${ca[@]}" | median)"
  WRK_metrics_on="$(printf '%s\n' "${b[@]}" | median) $(printf '%s\n' "${fb[@]}" | median) $(printf '%s\n' "${cb[@]}" | median)"
  METRICS_PAIRED=$(printf '%s\n' "${pr[@]}" | median)
  log "metrics off: req/s failed cpu-us/req = $WRK_metrics_off (req/s: ${a[*]}); on: $WRK_metrics_on (req/s: ${b[*]}); paired on/off: ${pr[*]}"
}

# proc_cpu PID: the process's CPU time so far, in clock ticks (utime + stime)
proc_cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# tunnel_case LABEL PROXY BYTES TUNNELS SINK: median MiB/s into TUN_<LABEL>, after unmeasured warm-up
# runs: a cold JVM proxy spends its first seconds of bulk transfer compiling (Gangway's own CPU
# for 2 × 1 GiB fell from 2.4 s to 1.1 s over its first four runs). SINK: the HOST:PORT of a sink
# process that answers BYTES (PROXY direct connects to it, or to a TCP relay in front of it).
tunnel_case() {
  local label=$1 proxy=$2 bytes=$3 tunnels=$4 sink=$5 v=() in=()
  # TUNNEL_NS: the network namespace the client runs in (ns_tunnel_case)
  [ -n "${TUNNEL_NS:-}" ] && in=(ip netns exec "$TUNNEL_NS")
  for _ in $(seq 1 "$WARMUP"); do
    "${in[@]}" java -cp "$CP" io.gangway.harness.bench.TunnelThroughput "$proxy" "$bytes" "$tunnels" "$sink" >/dev/null 2>&1
  done
  for _ in $(seq 1 "$RUNS"); do
    v+=("$("${in[@]}" java -cp "$CP" io.gangway.harness.bench.TunnelThroughput "$proxy" "$bytes" "$tunnels" "$sink" 2>&1 | tail -1)")
  done
  printf -v "TUN_$label" '%s' "$(printf '%s\n' "${v[@]}" | median)"
  log "$label: ${v[*]} MiB/s -> median $(eval echo "\$TUN_$label")"
}

# ns_tunnel_case LABEL PROXY|direct SINK: as tunnel_case, one tunnel of 1 GiB each way, the client in
# the namespace $BENCH_NS and the sink on the host side of its veth
ns_tunnel_case() {
  TUNNEL_NS=$BENCH_NS tunnel_case "$1" "$2" $((1024 * 1024 * 1024)) 1 "$3"
}

# target TEXT VALUE OP LIMIT: one row of the targets table
target() {
  local ok
  ok=$(awk -v v="$2" -v l="$4" -v op="$3" 'BEGIN {if (v == "n/a") print "?"; else if ((op == ">=" && v + 0 >= l) || (op == "<=" && v + 0 <= l)) print "met"; else print "**missed**"}')
  echo "| $1 | $2 | $ok |"
}


# haproxy_start NAME CONFIG_BODY: HAProxy in the foreground with a global section fit for 1,000
# connections (two threads, as Gangway has two event loops on this machine) and the given
# frontends and backends
haproxy_start() {
  local name=$1 body=$2 cfg="$WORK/haproxy-$1.cfg"
  cat >"$cfg" <<CFG
global
  maxconn 9000
  nbthread $(nproc)
defaults
  timeout connect 5s
  timeout client 30s
  timeout server 30s
$body
CFG
  start "haproxy_$name" "$WORK/haproxy-$name.log" haproxy -db -f "$cfg"
}

# tls_run HOW URL N: N HTTPS requests, 50 at a time, each on a new connection with a full TLS
# handshake (no session reuse; the origin closes each connection); HOW: direct, a proxy port
# (CONNECT), or relay:PORT (a TCP relay that curl is pointed at in place of the origin). Prints
# "TUNNELS_PER_SECOND FAILED".
tls_run() {
  local how=$1 url=$2 n=$3 route=() t0 t1 codes authority=${2#https://}
  authority=${authority%%/*}
  case $how in
    direct) ;;
    relay:*) route=(--connect-to "$authority:127.0.0.1:${how#relay:}") ;;
    *) route=(-x "http://127.0.0.1:$how") ;;
  esac
  t0=$(date +%s%N)
  codes=$(curl -s --no-progress-meter -k --no-sessionid --parallel --parallel-max 50 "${route[@]}" -o /dev/null -w '%{http_code}\n' \
    "$url?[1-$n]")
  t1=$(date +%s%N)
  echo "$(awk -v n="$n" -v ns=$((t1 - t0)) 'BEGIN {printf "%.0f", n * 1e9 / ns}') $(echo "$codes" | grep -vc '^200$')"
}

# tls_case LABEL HOW URL: median tunnels/s and failed of RUNS runs of TLS_TUNNELS (default 3000)
# into TLS_<LABEL>, after an unmeasured warm-up of TLS_WARMUP tunnels (default 12,000): a tunnel
# runs its code once, so a JVM proxy compiles it only after thousands (Gangway's CPU per tunnel,
# compiler threads included, fell from 1.8 ms over the first 2,000 to 0.35 ms after 12,000)
tls_case() {
  local label=$1 how=$2 url=$3 n=${TLS_TUNNELS:-3000} rate=() failed=() a b
  tls_run "$how" "$url" "${TLS_WARMUP:-12000}" >/dev/null
  for _ in $(seq 1 "$RUNS"); do
    read -r a b <<<"$(tls_run "$how" "$url" "$n")"
    rate+=("$a"); failed+=("$b")
  done
  printf -v "TLS_$label" '%s' "$(printf '%s\n' "${rate[@]}" | median) $(printf '%s\n' "${failed[@]}" | median)"
  log "$label: tunnels/s ${rate[*]}, failed ${failed[*]}"
}
