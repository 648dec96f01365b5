// The snapshot bench's driver (bench/snapshot-io.mjs, plain JavaScript the typecheck never sees) still
// writes records the snapshot reader takes: run small here, so a change to the record fails a test and
// not only `npm run bench` (a snapshot record once gained a field the driver did not write).
import { spawnSync } from 'node:child_process';

test('bench/snapshot-io.mjs writes 2 hosts × 100 sockets and reads them all back', () => {
  const script = new URL('../../bench/snapshot-io.mjs', import.meta.url).pathname;
  const run = spawnSync(process.execPath, [script, '2', '100'], { encoding: 'utf8' });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  const figures = JSON.parse(run.stdout.trim().split('\n').pop()!);
  expect(figures.readBack).toEqual({ hosts: 2, sockets: 200, complete: true });
});
