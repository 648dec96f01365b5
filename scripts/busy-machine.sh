#!/usr/bin/env bash
# busy-machine.sh -- COMMAND [ARG ...]: runs COMMAND while this machine is busy the way a real host is:
# 20 extra network namespaces (each with a process and a listener in it) and about 10,000 loopback TCP
# sockets held open, so that no test may assume a quiet machine (few sockets, one namespace, small
# outputs). Needs root and python3. Everything it makes is removed when COMMAND ends; the exit status
# is COMMAND's.
set -euo pipefail

NAMESPACES=${BUSY_NAMESPACES:-20}
CONNECTIONS=${BUSY_CONNECTIONS:-5000} # each is two sockets, plus the listener
tag="fleetstat-busy-$$"
pids=()

cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for i in $(seq 1 "$NAMESPACES"); do ip netns del "$tag-$i" 2>/dev/null || true; done
}
trap cleanup EXIT

[ "${1:-}" = "--" ] && shift
[ $# -gt 0 ] || { echo "usage: $0 -- COMMAND [ARG ...]" >&2; exit 2; }

# a listener that prints READY once it holds its sockets, then waits to be killed
holder='
import socket, sys, time
port, count = int(sys.argv[1]), int(sys.argv[2])
server = socket.socket(); server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", port)); server.listen(4096)
held = []
for _ in range(count):
    client = socket.create_connection(("127.0.0.1", port)); peer, _ = server.accept()
    held += [client, peer]
print("READY", flush=True)
time.sleep(10**9)
'

for i in $(seq 1 "$NAMESPACES"); do
  ip netns add "$tag-$i"
  ip -n "$tag-$i" link set lo up
  ip netns exec "$tag-$i" python3 -c "$holder" 8080 1 > "/tmp/$tag-$i.ready" &
  pids+=($!)
done

ulimit -n $((CONNECTIONS * 2 + 1024))
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -c "$holder" "$port" "$CONNECTIONS" > "/tmp/$tag.ready" &
pids+=($!)

for _ in $(seq 1 300); do
  ready=$(cat /tmp/"$tag"*.ready 2>/dev/null | grep -c READY || true)
  [ "$ready" -ge $((NAMESPACES + 1)) ] && break
  sleep 0.1
done
rm -f /tmp/"$tag"*.ready
echo "busy-machine: $NAMESPACES namespaces and $(ss -tan | wc -l) TCP sockets while running: $*" >&2

set +e
"$@"
status=$?
set -e
exit "$status"
