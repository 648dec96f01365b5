// A scan killed with SIGKILL while it saves: every host whose host() had resolved is in the file,
// and the file reads back as cut. The writer runs in a real child process (the build, dist/).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { readSnapshot } from '../../src/capture/snapshot-reader.js';
import type { SnapshotHost } from '../../src/model/index.js';
import { repo, scratch } from '../helpers/run-cli.js';
import { header, hostRecord, specs } from './snapshot-records.js';

const writerScript = `
import { openSnapshotWriter } from '${repo}dist/capture/snapshot-writer.js';
const [path, head, host] = [process.argv[1], JSON.parse(process.argv[2]), JSON.parse(process.argv[3])];
const writer = await openSnapshotWriter(path);
await writer.header(head);
for (let index = 0; ; index++) {
  await writer.host({ ...host, index: index % head.inventory.hosts });
  process.stdout.write('wrote ' + (index + 1) + '\\n');
  await new Promise((r) => setTimeout(r, 5));
}`;

test('kill -9 while saving: every host written before it reads back, then "cut"', async () => {
  const { dir } = scratch('snap-kill');
  const path = join(dir, 'killed.snap.gz');
  const all = specs(1000);
  const child = spawn(process.execPath, ['--input-type=module', '-e', writerScript, path, JSON.stringify(header(all)), JSON.stringify(hostRecord(0, all[0]!, null))], { stdio: ['ignore', 'pipe', 'inherit'] });
  const written = await new Promise<number>((resolve) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const n = [...out.matchAll(/wrote (\d+)\n/g)].length;
      if (n >= 25) {
        child.kill('SIGKILL');
        resolve(n);
      }
    });
  });
  await new Promise((resolve) => child.on('exit', resolve));
  const reading = await readSnapshot(path);
  const hosts: SnapshotHost[] = [];
  for await (const h of reading.hosts) hosts.push(h);
  expect(hosts.length).toBeGreaterThanOrEqual(written); // it may have written one more before the signal landed
  expect(hosts.length).toBeLessThanOrEqual(written + 2);
  expect(reading.end()).toEqual({ complete: false, reason: expect.stringMatching(/(no trailer|cut) after \d+ host records/) });
});
