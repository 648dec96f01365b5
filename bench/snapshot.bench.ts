// Snapshot I/O at the scale: 60 hosts of 10,000 sockets written then read back in one
// process (bench/snapshot-io.mjs, on the build). Prints time, file size and peak RSS; asserts nothing about time.
import { spawnSync } from 'node:child_process';

test('snapshot: 60 hosts × 10,000 sockets, written then read back', () => {
  const script = new URL('./snapshot-io.mjs', import.meta.url).pathname;
  const run = spawnSync(process.execPath, [script, '60', '10000'], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (run.status !== 0) throw new Error(`snapshot-io failed (${run.status}): ${run.stderr.slice(0, 500)}`);
  const figures = JSON.parse(run.stdout.trim().split('\n').pop()!);
  console.log(`snapshot of ${figures.hosts} × ${figures.socketsPerHost} sockets: file ${(figures.fileBytes / 2 ** 20).toFixed(1)} MiB, ` +
    `write ${figures.writeSeconds} s, read ${figures.readSeconds} s, peak RSS ${figures.peakRssMiB} MiB`);
  expect(figures.readBack).toEqual({ hosts: figures.hosts, sockets: figures.hosts * figures.socketsPerHost, complete: true });
});
