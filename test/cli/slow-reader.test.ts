// A reader that is slow to read stdout (a pipe into `jq`, `gzip`, a busy CI runner) gets the whole
// output, whatever the format. Proves the CLI waits for stdout to take its last bytes before it exits:
// Node queues what a full pipe cannot take, and process.exit() drops that queue (seen: a JSON
// document cut a few KiB before its end when the reader was busy).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fleetstat, runJs, scratch } from '../helpers/run-cli.js';
import { captureFromFixture, header, hostRecord, specs, trailer, writeSnapshot } from '../capture/snapshot-records.js';

// Reads its stdin a page at a time, a little late and slowly: the pipe stays full, so whatever the
// CLI writes last waits in the CLI's own queue, not in the pipe.
const SLOW_READER = `
import os, sys, time
time.sleep(0.5)
while True:
    page = os.read(0, 4096)
    if not page:
        break
    sys.stdout.buffer.write(page)
    time.sleep(0.001)
`;

/** Runs the CLI with its stdout piped into the slow reader: what the reader got, and the CLI's status. */
function runWithSlowReader(args: string[]): Promise<{ status: number | null; stdout: Buffer; stderr: string }> {
  return new Promise((resolve) => {
    const pipeline = 'node "$0" "$@" | python3 -c "$SLOW_READER"; exit "${PIPESTATUS[0]}"';
    const child = spawn('bash', ['-c', pipeline, runJs, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', SLOW_READER } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('close', (status) => resolve({ status, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString() }));
  });
}

let snapshot: string;
let dir: string;
beforeAll(async () => {
  ({ dir } = scratch('slow-reader'));
  // a fixed capture, not this machine's: its size must not depend on how busy the machine is
  const capture = captureFromFixture(new URL('../../fixtures/captures/root-zoo/capture.out', import.meta.url));
  // far more than a pipe holds (64 KiB), so that the end of every format waits in the process
  const hosts = specs(100);
  const records = hosts.map((spec, i) => hostRecord(i, spec, capture));
  snapshot = join(dir, 'fleet.snap.gz');
  await writeSnapshot(snapshot, header(hosts), records, trailer(records));
}, 60_000);

test.each(['json', 'ndjson', 'csv', 'table'])('--format %s: a reader that starts late gets all of it', async (format) => {
  const whole = join(dir, `whole.${format}`);
  const toFile = fleetstat(['scan', snapshot, '--view', 'sockets', '--format', format, '-o', whole]);
  const expected = readFileSync(whole);
  expect(expected.length).toBeGreaterThan(80 * 1024);

  const slow = await runWithSlowReader(['scan', snapshot, '--view', 'sockets', '--format', format]);
  expect(slow.stderr).not.toMatch(/error|cannot/);
  expect(slow.status).toBe(toFile.status);
  expect(slow.stdout.length).toBe(expected.length);
  expect(slow.stdout.equals(expected)).toBe(true);
}, 60_000);
