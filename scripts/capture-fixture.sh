#!/usr/bin/env bash
# Saves a whole-host capture of this machine as a test fixture, with ss's view of the same moment beside it.
# Usage: scripts/capture-fixture.sh fixtures/captures/NAME [UID]
#   UID: run the collection as that user (with setpriv), to capture what a non-root login sees.
# Writes NAME/capture.out (first line `marker <M>`, then the script's raw output), and as the truth
# NAME/ss.before.txt and NAME/ss.txt (`ss -tuanpe` just before and just after) and NAME/ss-unix.txt (`ss -xanp`).
# Run it in a quiet network namespace (`unshare --net`, `ip link set lo up`, the socket zoo started in
# it): the captured tables are that namespace's, and nothing else comes and goes between the ss runs.
set -euo pipefail
out=${1:?usage: $0 fixtures/captures/NAME [UID]}
as_user=${2:-}
here=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$out"
marker=FLEETSTAT$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
run=(sh -s)
[ -n "$as_user" ] && run=(setpriv --reuid="$as_user" --regid="$as_user" --clear-groups sh -s)
ss -tuanpe > "$out/ss.before.txt"
{ printf 'marker %s\n' "$marker"; { printf 'M=%s\n' "$marker"; cat "$here/src/capture/collect.sh"; } | (cd / && "${run[@]}"); } > "$out/capture.out"
ss -tuanpe > "$out/ss.txt"
ss -xanp > "$out/ss-unix.txt"
echo "saved $out"
