// A hostile host controls every byte after the marker: every parser must make one linear pass.
// No time is asserted. Each input is sized so that a quadratic pass (an `includes()` per line, a
// list copied per repeat, a regex that backtracks over a line) would take minutes, and is parsed on
// a worker thread (hostile-worker.mjs, running dist/), so that jest's timeout can end it: a
// synchronous parse on the test's own thread would run to its end, however long, and pass.
import { readdirSync, statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { MAX_ISSUES_PER_FILE } from '../../src/parse/lines.js';

const DIST = new URL('../../dist/', import.meta.url);
const running = new Set<Worker>();

function inWorker(name: string, n: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./hostile-worker.mjs', import.meta.url), { workerData: { case: name, n, dist: DIST.href } });
    running.add(worker);
    worker.once('message', (summary) => resolve(summary));
    worker.once('error', reject);
    worker.once('exit', () => running.delete(worker));
  });
}

beforeAll(() => {
  // the workers run the built parsers: a dist/ older than src/ would test old code
  const newest = (dir: URL): number =>
    Math.max(...readdirSync(dir).map((f) => statSync(new URL(f, dir)).mtimeMs));
  for (const stage of ['parse', 'merge']) {
    if (newest(new URL(`../../src/${stage}/`, import.meta.url)) > newest(new URL(`${stage}/`, DIST))) {
      throw new Error(`dist/ is older than src/${stage}: run \`npm run build\` (npm test does)`);
    }
  }
});
afterEach(async () => {
  await Promise.all([...running].map((w) => w.terminate()));
});

describe('fd links: a host that lists hundreds of thousands of unreadable pids', () => {
  // 100k lines cost 4.4 s with an includes() per line: 600k would cost ~160 s
  test('parseFdLinks: 600k pids, each under its own header with one unreadable link', async () => {
    expect(await inWorker('fdlinks-unreadable', 600_000)).toEqual({ links: 0, unreadable: 600_000, last: 600_000, issues: 0 });
  });

  test('parseUnreadablePids: 500k distinct pids, the last one repeated', async () => {
    expect(await inWorker('unreadable-pids', 500_000)).toEqual({ rows: 500_000, issues: 0 });
  });

  test('a link line of a million words: the fd is found from its end', async () => {
    expect(await inWorker('fdlinks-long-line', 1_000_000)).toEqual([{ pid: 7, fd: 9, inode: 5 }]);
  });
});

describe('exe and cwd links: long lines full of arrows, and many pids', () => {
  test('a million words before the link name and a million ` -> ` in the target: the first arrow ends the name', async () => {
    expect(await inWorker('proc-links-arrows', 1_000_000)).toEqual({ exeLength: '/a -> '.length * 1_000_000 + 1, exeDeleted: true, issues: 0 });
  });

  test('500k pids, one exe each', async () => {
    expect(await inWorker('proc-links-many', 500_000)).toEqual({ pids: 500_000, last: '/usr/bin/x', issues: 0 });
  });
});

describe('socket tables: one socket printed 200k times, and 200k lines of junk', () => {
  test('tcp: 200k prints of one inode fold into one row, the last', async () => {
    expect(await inWorker('tcp-one-inode', 200_000)).toEqual({ rows: [['CLOSE_WAIT', 200_001]], issues: 0 });
  });

  test('udp: 200k junk lines are the first 100 issues and one that counts the rest; the good row after them is kept', async () => {
    expect(await inWorker('udp-junk', 200_000)).toEqual({ rows: [77], issues: MAX_ISSUES_PER_FILE + 1 });
  });

  test('tcp: one line of four million columns', async () => {
    expect(await inWorker('tcp-wide-line', 4_000_000)).toEqual([9]);
  });

  test('unix: 200k prints of one socket fold into one row that lists every earlier line', async () => {
    expect(await inWorker('unix-one-socket', 200_000)).toEqual({ rows: 1, folded: 199_999, issues: 0 });
  });

  test('unix: 200k names that each run on into a fragment line', async () => {
    expect(await inWorker('unix-run-on-names', 200_000)).toEqual({ rows: 200_000, runOn: 200_000, issues: MAX_ISSUES_PER_FILE + 1 });
  });

  test('unix, in the host view: 200k rows each the rest of the name before, given back to the first one, the issues bounded', async () => {
    expect(await inWorker('unix-forged-chain', 200_000)).toEqual({ rows: 1, nameLines: 200_000, issues: MAX_ISSUES_PER_FILE + 1 });
  });

  test('unix: a 4 MB name, and a 4 MB run of blanks where columns should be', async () => {
    expect(await inWorker('unix-long-name', 2_000_000)).toBe(4_000_001);
    expect(await inWorker('unix-blanks', 4_000_000)).toBe(1);
  });

  test('packet: 200k prints of one inode fold into one row', async () => {
    expect(await inWorker('packet-one-inode', 200_000)).toEqual({ rows: 1, issues: 0 });
  });
});

describe('host facts sections', () => {
  test('passwd: a line of four million colons, and 200k short lines', async () => {
    expect(await inWorker('passwd-colons', 4_000_000)).toBe(1);
    expect(await inWorker('passwd-lines', 200_000)).toBe(200_000);
  });

  test('netns names: a 4 MB name, and 4 MB of blanks before a word', async () => {
    expect(await inWorker('netns-long-name', 4_000_000)).toBe(1);
    expect(await inWorker('netns-blanks', 4_000_000)).toBe(1);
  });
});
