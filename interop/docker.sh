#!/usr/bin/env bash
# The container backend against a real Docker Engine (Debian's docker.io, dockerd 20.10), sourced
# by interop/run. dockerd runs on private paths under the work dir, with its bridge on
# 198.18.0.1/24, no iptables rules and no ip_forward change of its own: its containers reach the
# host (Gangway) and nothing else, but what Gangway's own rules redirect. Origins live in the
# namespace of the transparent case (198.19.1.2): no test traffic is addressed off this machine.
#   1. docker pull from the TLS registry, the engine's proxy at Gangway's engine listener, Gangway
#      chained to the NTLM Squid (Samba-verified): layers compared, the user in Squid's log
#   2. a container with the proxies of the CLI's config.json reaches an origin through
#      --containers-listen, routed by the containers profile (the Basic Squid, not the NTLM one)
#   3. a container with no proxy settings reaches an origin on 80 (busybox wget) and 443 (TLS, by
#      SNI; curl in the container's network namespace) through --transparent (the rules of
#      'gangway transparent-rules --interface docker0')
#   4. --publish of a host port to a container's port: loopback by default, local-only refuses 0.0.0.0
#   5. a PAC for containers refusing one host (reject.docker.internal) and sending another DIRECT

dk() { DOCKER_HOST="unix://$WORK/docker/docker.sock" DOCKER_CONFIG="$WORK/docker/cli" docker "$@"; }

# fetched DOCKER_RUN_ARGS...: runs busybox's wget in a new container; prints the size of what it
# got, and when wget failed, its error (dockerd's own warnings, on standard error too, are left out)
fetched() {
  local out="$WORK/docker/fetched.$RANDOM"
  dk run --rm "$@" >"$out" 2>"$out.err"
  local code=$?
  if [ "$code" -eq 0 ]; then wc -c <"$out"; else echo "$(wc -c <"$out") (exit $code: $(grep -v WARNING "$out.err" | tr '\n' ' '))"; fi
}

docker_start() {
  local d=$1 engine_proxy=$2
  mkdir -p "$d/cli"
  echo '{}' >"$d/daemon.json"
  # the registry's CA, where dockerd looks for it; only what this run created is removed
  [ -d /etc/docker ] || undo "rmdir /etc/docker"
  [ -d /etc/docker/certs.d ] || undo "rmdir /etc/docker/certs.d"
  [ -e /etc/docker/key.json ] || undo "rm -f /etc/docker/key.json" # dockerd 20.10 makes its trust key there
  mkdir -p "/etc/docker/certs.d/registry.gangway.test:$RP"
  undo "rm -rf /etc/docker/certs.d/registry.gangway.test:$RP"
  cp "$WORK/registry/cert.pem" "/etc/docker/certs.d/registry.gangway.test:$RP/ca.crt"
  # undone in reverse: the engine's leftovers (if it could not stop cleanly), its mounts, its bridge
  undo "ip link del docker0"
  undo "grep ' $d' /proc/mounts | awk '{print \$2}' | sort -r | xargs -r -n1 umount -l"
  undo "pkill -9 -f $d/exec"
  start dockerd "$d/dockerd.log" env HTTP_PROXY="$engine_proxy" HTTPS_PROXY="$engine_proxy" NO_PROXY= \
    dockerd --config-file "$d/daemon.json" --storage-driver=vfs --data-root "$d/data" --exec-root "$d/exec" \
    --pidfile "$d/docker.pid" --host "unix://$d/docker.sock" --bip 198.18.0.1/24 \
    --iptables=false --ip-forward=false --ip-masq=false
  for _ in $(seq 1 60); do dk info >/dev/null 2>&1 && return 0; sleep 0.5; done
  return 1
}

# Stops dockerd by its pid and waits, so that its containerd and shims go with it.
docker_stop() {
  local d=$1 pid
  pid=$(cat "$d/docker.pid" 2>/dev/null) || return 0
  kill "$pid" 2>/dev/null
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.5; done
}

docker_cases() {
  local sq_ntlm=$1 sq_basic=$2 d="$WORK/docker" ge gc gt g2 g3 gc3 pp pp2 cip want got
  mkdir -p "$d/rootfs/bin" "$d/rootfs/www"
  ge=$(free_port); gc=$(free_port); gt=$(free_port)
  if ! docker_start "$d" "http://127.0.0.1:$ge"; then
    fail "docker" "dockerd did not start: $(tail -3 "$d/dockerd.log" | tr '\n' ' ')"
    return
  fi
  # a tiny image, offline: busybox's sh, wget (with TLS and SNI), httpd
  cp /bin/busybox "$d/rootfs/bin/"
  for c in sh wget httpd echo cat mkdir sleep; do ln -s busybox "$d/rootfs/bin/$c"; done
  tar -C "$d/rootfs" -c . | dk import - gangway-busybox:1 >/dev/null

  # one Gangway for the engine (the NTLM Squid) and the containers (the Basic Squid)
  gangway_start docker "$ge" GANGWAY_PASSWORD=Winter-2026 GANGWAY_CONTAINERS_PASSWORD=Basic-Pa55 -- \
    --upstream "http://127.0.0.1:$sq_ntlm" --user 'CORP\alice' \
    --containers-listen "198.18.0.1:$gc" --transparent "198.18.0.1:$gt" --allow 198.18.0.0/24,127.0.0.1/32 \
    --containers-upstream "http://alice@127.0.0.1:$sq_basic" || { fail "docker" "Gangway did not start"; docker_stop "$d"; return; }
  local glog="$WORK/gangway-docker.log"

  # 1. docker pull through the engine profile
  dk pull "registry.gangway.test:$RP/gangway/test:v1" >"$d/pull.log" 2>&1
  want=$(skopeo inspect --config "oci:$WORK/registry/oci:v1" 2>/dev/null \
    | python3 -c 'import json,sys; print(" ".join(json.load(sys.stdin)["rootfs"]["diff_ids"]))')
  got=$(dk image inspect --format '{{range $i, $l := .RootFS.Layers}}{{if $i}} {{end}}{{$l}}{{end}}' \
    "registry.gangway.test:$RP/gangway/test:v1" 2>&1)
  expect "docker: docker pull through the engine listener and the NTLM Squid (layers as pushed)" "$want" "$got"
  expect "docker: the pull's tunnels went through the engine profile, NTLM, as CORP\\alice in Squid's log" "yes yes" \
    "$(grep -q "CONNECT registry.gangway.test:$RP profile=engine route=PROXY/127.0.0.1:$sq_ntlm auth=NTLM status=200" "$glog" \
       && echo yes || echo no) $(grep -qi "CONNECT registry.gangway.test:$RP .*alice" "$WORK/squid-ntlm/access.log" && echo yes || echo no)"

  # 2. a container with the CLI's proxies, through --containers-listen
  # config.json's proxies written by 'gangway env' from the same listener setting as the run
  DOCKER_CONFIG="$d/cli" java -jar "$JAR" env --docker-config --write --containers-listen "198.18.0.1:$gc" \
    --allow 198.18.0.0/24 >"$d/env.log" 2>&1
  expect "docker: gangway env --docker-config --write names the containers listener" "http://198.18.0.1:$gc" \
    "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["proxies"]["default"]["httpsProxy"])' "$d/cli/config.json" 2>&1)"
  expect "docker: a container with config.json proxies reaches an origin through the containers listener" "1000" \
    "$(fetched gangway-busybox:1 wget -q -O - http://origin.test/bytes/1000)"
  expect "docker: ... routed by the containers profile (the Basic Squid, user alice), not the engine's" "yes no" \
    "$(grep -q 'GET http://origin.test/bytes/1000 alice' "$WORK/squid-basic/access.log" && echo yes || echo no) $(grep -q 'origin.test/bytes/1000' "$WORK/squid-ntlm/access.log" && echo yes || echo no)"
  expect "docker: the access log names the container and the containers profile" "1" \
    "$(count_lines 1 "198\\.18\\.0\\.[0-9]+:[0-9]+ GET http://origin\\.test/bytes/1000 profile=containers route=PROXY/127\\.0\\.0\\.1:$sq_basic auth=Basic status=200" "$glog")"
  DOCKER_CONFIG="$d/cli" java -jar "$JAR" env --docker-config --write --unset >>"$d/env.log" 2>&1
  expect "docker: gangway env --docker-config --write --unset takes the proxies out again" "{}" \
    "$(python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))))' "$d/cli/config.json" 2>&1)"
  rm -f "$d/cli/config.json" "$d/cli/config.json.bak"

  # 3. a container that knows nothing of proxies, through --transparent
  java -jar "$JAR" transparent-rules --interface docker0 --transparent "198.18.0.1:$gt" --allow 198.18.0.0/24 --apply \
    >"$d/rules.log" 2>&1
  undo "java -jar $JAR transparent-rules --interface docker0 --transparent 198.18.0.1:$gt --allow 198.18.0.0/24 --remove"
  expect "docker: a container with no proxy settings reaches http://origin.test (port 80) transparently" "2000" \
    "$(fetched --add-host origin.test:198.19.1.2 gangway-busybox:1 wget -q -O - http://origin.test/bytes/2000)"
  # busybox's own TLS fails handshakes with OpenSSL servers inside a container (and crashes on
  # the host at times): curl is the TLS client, run in the container's network namespace, so
  # its packets leave from the container's interface on the bridge as the container's would
  dk run -d --name gangway-plain gangway-busybox:1 sleep 300 >/dev/null
  expect "docker: ... and https://origin.test (443, named by SNI, TLS not terminated), from the container's network" "200 3000" \
    "$(nsenter -t "$(dk inspect -f '{{.State.Pid}}' gangway-plain)" -n curl -sS -k --resolve origin.test:443:198.19.1.2 \
       -o "$d/tls.body" -w '%{http_code} %{size_download}' https://origin.test/bytes/3000 2>&1)"
  dk rm -f gangway-plain >/dev/null 2>&1
  expect "docker: the access log shows the container and the original destinations, through the Basic Squid" "2" \
    "$(count_lines 2 "198\\.18\\.0\\.[0-9]+:[0-9]+ (GET http://origin\\.test/bytes/2000 dst=198\\.19\\.1\\.2:80|CONNECT origin\\.test:443 dst=198\\.19\\.1\\.2:443) profile=containers route=PROXY/127\\.0\\.0\\.1:$sq_basic auth=Basic status=200" "$glog")"
  java -jar "$JAR" transparent-rules --interface docker0 --transparent "198.18.0.1:$gt" --allow 198.18.0.0/24 --remove \
    >>"$d/rules.log" 2>&1

  # 4. a published port to a container's port
  dk run -d --name gangway-web gangway-busybox:1 sh -c 'echo published-ok >/www/index.html; httpd -f -p 8080 -h /www' >/dev/null
  cip=$(dk inspect -f '{{.NetworkSettings.IPAddress}}' gangway-web)
  g2=$(free_port); pp=$(free_port); pp2=$(free_port)
  gangway_start publish "$g2" -- --routing direct --publish "$pp:$cip:8080" || true
  for _ in $(seq 1 20); do curl -s -o /dev/null "http://127.0.0.1:$pp/" && break; sleep 0.2; done
  expect "docker: --publish HOST_PORT:CONTAINER:PORT reaches the container" "published-ok" \
    "$(curl -sS "http://127.0.0.1:$pp/index.html" 2>&1)"
  expect "docker: ... listening on loopback by default (ss)" "127.0.0.1:$pp" \
    "$(ss -Hltn "sport = :$pp" | awk '{print $4}' | sed 's/^\[::ffff:\(.*\)\]/\1/')"
  expect "docker: publish-bind local-only refuses 0.0.0.0" "2 yes" \
    "$(java -jar "$JAR" run --listen "127.0.0.1:$(free_port)" --routing direct --publish-bind local-only \
         --publish "0.0.0.0:$pp2:$cip:8080" >"$d/local-only.log" 2>&1; echo "$? $(grep -q 'not a loopback address' "$d/local-only.log" && echo yes || echo no)")"
  dk rm -f gangway-web >/dev/null 2>&1

  # 5. a PAC for containers: one host refused (Docker Desktop's way), one DIRECT, the rest via the Basic Squid
  cat >"$d/containers.pac" <<PAC
function FindProxyForURL(url, host) {
  if (host == "blocked.test") return "PROXY reject.docker.internal:1234";
  if (host == "origin.test") return "DIRECT";
  return "PROXY 127.0.0.1:$sq_basic";
}
PAC
  g3=$(free_port); gc3=$(free_port)
  gangway_start pac_containers "$g3" -- --containers-listen "198.18.0.1:$gc3" --allow 198.18.0.0/24,127.0.0.1/32 \
    --containers-pac "$d/containers.pac" || true
  expect "docker: the containers' PAC refuses blocked.test (reject.docker.internal: 403)" "403" \
    "$(dk run --rm -e "http_proxy=http://198.18.0.1:$gc3" gangway-busybox:1 wget -q -O - http://blocked.test/ 2>&1 \
       | grep -o '403' | head -1)"
  expect "docker: ... and sends origin.test DIRECT" "500 1" \
    "$(fetched -e "http_proxy=http://198.18.0.1:$gc3" gangway-busybox:1 wget -q -O - http://origin.test/bytes/500) $(count_lines 1 'GET http://origin.test/bytes/500 profile=containers route=DIRECT' "$WORK/gangway-pac_containers.log")"

  docker_stop "$d"
}
