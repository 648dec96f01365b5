#!/usr/bin/env bash
# Saves a whole-host capture of this machine as a test fixture, with ss's view of the same moment beside it.
# Usage: scripts/capture-fixture.sh fixtures/captures/NAME
# Writes NAME/capture.out (first line `marker <M>`, then the script's raw output), NAME/ss.txt
# (`ss -tuanpe`, before and after, as the truth) and NAME/ss-unix.txt (`ss -xanp`).
set -euo pipefail
out=${1:?usage: $0 fixtures/captures/NAME}
here=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$out"
marker=FLEETSTAT$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
ss -tuanpe > "$out/ss.before.txt"
{ printf 'marker %s\n' "$marker"; { printf 'M=%s\n' "$marker"; cat "$here/src/collect/collect.sh"; } | sh -s; } > "$out/capture.out"
ss -tuanpe > "$out/ss.txt"
ss -xanp > "$out/ss-unix.txt"
echo "saved $out"
