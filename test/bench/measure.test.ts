// The scale bench's measurement (bench/measure.ts): peak RSS from inside the process and from GNU time
// agree, a process that aborts still gets a figure, and the time limit ends the whole process group.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { measureNode } from '../../bench/measure.js';
import { scratch } from '../helpers/run-cli.js';

const { dir, file } = scratch('measure');
const MiB = 1024;
const hasGnuTime = existsSync('/usr/bin/time');
// touches every page of 256 MiB, prints its pid, then does what argv[2] says
const script = file('hog.mjs', `
const hog = Buffer.alloc(256 * 1024 * 1024, 1);
process.stdout.write(process.pid + '\\n');
const then = process.argv[2];
if (then === 'abort') setTimeout(() => process.abort(), 500);
else if (then === 'hang') setInterval(() => hog[0]++, 1000);
else console.error('first line\\nsecond line');
`);
const options = (name: string, timeoutMs = 30_000) => ({ outputFile: join(dir, `${name}.out`), rssFile: join(dir, `${name}.rss`), env: process.env, timeoutMs });

test('a process that exits: its own getrusage, GNU time agreeing, stdout to the file, stderr\'s first line', async () => {
  const run = await measureNode([script], options('exit'));
  expect(run).toMatchObject({ status: 0, signal: null, rssSource: 'getrusage at exit', timedOut: false, stderrFirstLine: 'first line' });
  expect(run.peakRss).toBeGreaterThanOrEqual(256 * MiB);
  expect(run.peakRss).toBeLessThan(512 * MiB);
  if (hasGnuTime) expect(Math.abs(run.gnuTimeRss! - run.peakRss!)).toBeLessThan(8 * MiB);
  expect(run.outputBytes).toBe(readFileSync(options('exit').outputFile).length);
});

test('a process that aborts (no exit handler runs) still gets a peak RSS', async () => {
  const run = await measureNode([script, 'abort'], options('abort'));
  expect(run.status === 0 && run.signal === null).toBe(false);
  expect(run.rssSource).toBe(hasGnuTime ? 'GNU time' : 'VmHWM polled');
  expect(run.peakRss).toBeGreaterThanOrEqual(256 * MiB);
});

test('past the time limit the process is killed, GNU time and node both', async () => {
  const run = await measureNode([script, 'hang'], options('hang', 1500));
  expect(run.timedOut).toBe(true);
  const pid = Number(readFileSync(options('hang').outputFile, 'utf8').trim());
  expect(pid).toBeGreaterThan(0);
  // dead: gone, or a zombie its new parent (GNU time died with it) has not reaped yet. A SIGKILL is
  // delivered when the process next runs: on a busy machine it may still show R for a moment.
  const stateOf = () => {
    try {
      return existsSync(`/proc/${pid}`) ? /^State:\s+(\S)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] : 'gone';
    } catch {
      return 'gone';
    }
  };
  let state = stateOf();
  for (let i = 0; i < 40 && state !== 'gone' && state !== 'Z'; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    state = stateOf();
  }
  expect(['gone', 'Z']).toContain(state);
}, 15_000);
