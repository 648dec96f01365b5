// The fleet bench's measurement (bench/cpu-time.ts): the CPU of a command's whole process tree (a
// grandchild's too), its exit status and stdout, and the time limit ending the whole tree.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runTimed } from '../../bench/cpu-time.js';
import { scratch } from '../helpers/run-cli.js';

const { dir, file } = scratch('cpu-time');
// burns argv[2] ms of CPU in a grandchild (node → node), then prints and exits with argv[3]
const burner = file('burn.mjs', `
import { spawnSync } from 'node:child_process';
const [ms, status] = process.argv.slice(2);
if (process.env.BURN_CHILD) {
  // by its own CPU clock, not the wall clock: a busy machine preempts it
  const spent = () => { const { user, system } = process.cpuUsage(); return (user + system) / 1000; };
  while (spent() < Number(ms));
} else {
  spawnSync(process.execPath, [process.argv[1], ms, status], { env: { ...process.env, BURN_CHILD: '1' }, stdio: 'inherit' });
  process.stdout.write('done\\n');
  process.exitCode = Number(status);
}
`);
const options = (name: string, timeoutMs = 30_000) => ({ stdoutFile: join(dir, `${name}.out`), cpuFile: join(dir, `${name}.cpu`), env: process.env, timeoutMs });

const sources = [...(existsSync('/usr/bin/time') ? ['GNU time (wait4 rusage)' as const] : []), '/proc/self/stat cutime+cstime' as const];

test.each(sources)('%s: a grandchild\'s CPU counts; stdout goes to the file; the exit status is the command\'s', async (source) => {
  const run = await runTimed([process.execPath, burner, '600', '3'], { ...options('burn'), source });
  expect(run).toMatchObject({ status: 3, signal: null, timedOut: false });
  // 600 ms of busy loop plus two node start-ups; never less than the loop (the machine may be busy: no upper bound on wall)
  expect(run.cpuSeconds).toBeGreaterThanOrEqual(0.55);
  expect(run.cpuSeconds).toBeLessThan(run.wallSeconds + 0.05);
  expect(readFileSync(options('burn').stdoutFile, 'utf8')).toBe('done\n');
});

test('an idle command costs next to no CPU however long it waits', async () => {
  const run = await runTimed(['sleep', '0.5'], options('sleep'));
  expect(run.status).toBe(0);
  expect(run.wallSeconds).toBeGreaterThanOrEqual(0.5);
  expect(run.cpuSeconds).toBeLessThan(0.05);
});

test('past the time limit the whole tree is killed', async () => {
  const started = Date.now();
  const run = await runTimed([process.execPath, burner, '60000', '0'], options('hang', 1000));
  expect(run.timedOut).toBe(true);
  expect(run.status === 0 && run.signal === null).toBe(false);
  expect(Date.now() - started).toBeLessThan(10_000);
});
