#!/usr/bin/env bash
# Shared by interop/run and bench/run: a temp dir, processes started in the background and
# stopped by pid at exit, free loopback ports, Squid and Gangway launchers.
# Expects ROOT (the repository) to be set by the sourcing script.

JAR="$ROOT/proxy-core/target/gangway.jar"
WORK=$(mktemp -d /tmp/gangway-peers.XXXXXX)
chmod 0755 "$WORK"
# the lockout state of every Gangway started here (and of check --login): never the user's own
export XDG_STATE_HOME="$WORK/state"
PIDS=()
PORTS=()
# commands that undo what a case set up (namespaces, iptables rules), run at exit after the processes stop
UNDO=()
undo() { UNDO+=("$1"); }
HOSTS_MARK="# gangway-peers $$"

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  sleep 1
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null; done
  wait 2>/dev/null # reap them quietly
  local i
  for ((i = ${#UNDO[@]} - 1; i >= 0; i--)); do eval "${UNDO[$i]}" >/dev/null 2>&1; done
  sed -i "/$HOSTS_MARK\$/d" /etc/hosts 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "# $*"; }

# apt_install CMD:PACKAGE...: installs the packages whose command is missing
apt_install() {
  local missing=() pair
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null || missing+=(${pair#*:})
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
      || { echo "cannot install ${missing[*]}"; exit 1; }
  fi
}

build_jar() {
  if [ ! -f "$JAR" ]; then
    log "building $JAR"
    (cd "$ROOT" && ./mvnw -B -q -Dmaven.test.skip=true -pl proxy-core -am package) || exit 1
  fi
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 12000)) # below the ephemeral range (32768-60999)
    if ! port_open "$p" && [[ " ${PORTS[*]} " != *" $p "* ]]; then PORTS+=("$p"); echo "$p"; return; fi
  done
}

wait_port() {
  for _ in $(seq 1 150); do port_open "$1" && return 0; sleep 0.1; done
  echo "nothing listens on $1 (see $2)"; return 1
}

# start NAME LOGFILE COMMAND...: runs in the background, remembers the pid in PID_<NAME>
start() {
  local name=$1 out=$2; shift 2
  "$@" >"$out" 2>&1 &
  PIDS+=($!)
  printf -v "PID_$name" '%s' "$!"
}

# squid_start NAME PORT [AUTH_LINES]
squid_start() {
  local name=$1 port=$2 auth=${3:-} dir="$WORK/squid-$1"
  mkdir -p "$dir"
  cat >"$dir/squid.conf" <<CONF
http_port 127.0.0.1:$port
pid_filename $dir/squid.pid
cache_log $dir/cache.log
access_log stdio:$dir/access.log
cache_store_log none
netdb_filename none
pinger_enable off
icp_port 0
htcp_port 0
cache deny all
dns_nameservers 127.0.0.1
shutdown_lifetime 1 seconds
max_filedescriptors 20000
coredump_dir $dir
$auth
CONF
  if [ -n "$auth" ]; then
    printf 'acl authed proxy_auth REQUIRED\nhttp_access allow authed\nhttp_access deny all\n' >>"$dir/squid.conf"
  else
    printf 'http_access allow all\n' >>"$dir/squid.conf"
  fi
  chown -R proxy:proxy "$dir"
  start "squid_$name" "$dir/out.log" squid -n "gw$name$$" -f "$dir/squid.conf" -N -d1
  wait_port "$port" "$dir/out.log"
}

# netns_pair NS HOST_IF HOST_ADDR NS_ADDR: a network namespace joined to this host by a veth
# pair (addresses /24 from 198.18.0.0/15, the benchmarking range: nothing leaves the machine)
netns_pair() {
  local ns=$1 hif=$2 haddr=$3 naddr=$4
  ip netns add "$ns" && undo "ip netns del $ns"
  ip link add "$hif" type veth peer name "${hif}n" && undo "ip link del $hif"
  ip link set "${hif}n" netns "$ns"
  ip addr add "$haddr/24" dev "$hif"; ip link set "$hif" up
  ip netns exec "$ns" ip addr add "$naddr/24" dev "${hif}n"
  ip netns exec "$ns" ip link set "${hif}n" up
  ip netns exec "$ns" ip link set lo up
}

# gangway_start NAME PORT [ENV=VALUE...] -- [ARGS...]
gangway_start() {
  local name=$1 port=$2; shift 2
  local envs=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do envs+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  start "gw_$name" "$WORK/gangway-$name.log" env "${envs[@]}" java ${GANGWAY_JAVA_OPTS:--XX:+UseSerialGC} -jar "$JAR" run \
    --listen "127.0.0.1:$port" "$@"
  wait_port "$port" "$WORK/gangway-$name.log"
}
