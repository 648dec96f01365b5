// -o FILE: written beside the target and renamed over it once complete; never a half-written file,
// whether the run fails, is interrupted or the disk fills up; a failure is exit 16 naming the file.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CliFailure } from '../../src/cli/failure.js';
import { openOutputFile } from '../../src/cli/output.js';
import { openOutput } from '../../src/report/index.js';
import { describeIf, hasCommand, isRoot } from '../helpers/requirements.js';
import { web1 } from '../report/scan-fixtures.js';

const freshDir = () => mkdtempSync(join(tmpdir(), 'fleetstat-out-'));

async function expectFailure(promise: Promise<unknown>, message: RegExp): Promise<void> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(CliFailure);
  expect((err as CliFailure).kind).toBe('output');
  expect((err as CliFailure).exitCode).toBe(16);
  expect((err as CliFailure).message).toMatch(message);
}

describe('openOutputFile', () => {
  it('writes beside the target and replaces it only on commit', async () => {
    const dir = freshDir();
    const target = join(dir, 'scan.json');
    writeFileSync(target, 'last week\n');
    const file = await openOutputFile(target);
    const output = openOutput('json', file.stream, { color: false });
    await output.start({ startedAt: '2024-05-01T12:00:00.000Z' });
    await output.host(0, web1());
    await output.end({ finishedAt: '2024-05-01T12:00:01.000Z' });
    expect(readFileSync(target, 'utf8')).toBe('last week\n'); // a reader meanwhile sees the old file
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toHaveLength(1);
    await file.commit();
    expect(JSON.parse(readFileSync(target, 'utf8')).hosts[0].name).toBe('web1');
    expect(readdirSync(dir)).toEqual(['scan.json']);
  });

  it('a FIFO (or a device: -o /dev/null) is written in place, never replaced by a renamed file', async () => {
    const dir = freshDir();
    const fifo = join(dir, 'pipe');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    // the reader's stdio is not spawnSync's pipes, or spawnSync would wait for it (and it for the writer)
    const reader = spawnSync('sh', ['-c', `cat "${fifo}" > "${join(dir, 'read')}" 2>/dev/null </dev/null & echo $!`], { encoding: 'utf8' });
    const file = await openOutputFile(fifo);
    const output = openOutput('csv', file.stream, { color: false });
    await output.start({ startedAt: '2024-05-01T12:00:00.000Z' });
    await output.host(0, web1());
    await output.end({ finishedAt: '2024-05-01T12:00:01.000Z' });
    await file.commit();
    expect(statSync(fifo).isFIFO()).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['pipe', 'read']);
    for (let i = 0; i < 50 && !readFileSync(join(dir, 'read'), 'utf8').includes('web1'); i++) await new Promise((r) => setTimeout(r, 20));
    expect(readFileSync(join(dir, 'read'), 'utf8')).toMatch(/^host,address,status/);
    expect(reader.status).toBe(0);
    // (not tried on /dev/null itself: a regression would replace the machine's /dev/null)
  });

  it('discard leaves the target as it was and no temporary file', async () => {
    const dir = freshDir();
    const target = join(dir, 'scan.csv');
    writeFileSync(target, 'old\n');
    const file = await openOutputFile(target);
    file.stream.write('half a row');
    await file.discard();
    await file.discard();
    expect(readdirSync(dir)).toEqual(['scan.csv']);
    expect(readFileSync(target, 'utf8')).toBe('old\n');
    const fresh = await openOutputFile(join(dir, 'new.csv'));
    await fresh.discard();
    expect(readdirSync(dir)).toEqual(['scan.csv']);
  });

  it('a target that cannot be written is exit 16 naming it, before anything is scanned', async () => {
    const dir = freshDir();
    await expectFailure(openOutputFile(join(dir, 'missing', 'scan.json')), /^cannot write .*missing\/scan\.json: ENOENT: no such file or directory/);
    mkdirSync(join(dir, 'adir'));
    await expectFailure(openOutputFile(join(dir, 'adir')), /^cannot write .*adir: it is a directory$/);
  });

  it('an error met while writing is the answer of commit, and the temporary file is removed', async () => {
    const dir = freshDir();
    const target = join(dir, 'scan.json');
    const file = await openOutputFile(target);
    file.stream.destroy(Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO' }));
    await expectFailure(file.commit(), /^cannot write .*scan\.json: EIO: i\/o error, write$/);
    await file.discard();
    expect(readdirSync(dir)).toEqual([]);
    expect(file.failure(new Error('x')).message).toBe(`cannot write ${target}: x`);
  });
});

// Run in a child, from the build (`npm test` builds first; never rebuilt here, as other tests run the
// CLI from it meanwhile): the exit hook, and a disk that fills up (a 64 KiB tmpfs in a private mount namespace).
const builtPath = join(process.cwd(), 'dist/cli/output.js');
const built = pathToFileURL(builtPath).href;
beforeAll(() => {
  if (!existsSync(builtPath)) throw new Error(`${builtPath} is missing: run npm run build first`);
});

describe('an output file when the process exits before commit (a second Ctrl-C)', () => {
  it('leaves no temporary file', () => {
    const dir = freshDir();
    const script = `const { openOutputFile } = await import(${JSON.stringify(built)});
      const file = await openOutputFile(${JSON.stringify(join(dir, 'scan.json'))});
      file.stream.write('{"schema": "fleetstat/scan@1", "hosts": [');
      setTimeout(() => process.exit(130), 50);`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(run.status).toBe(130);
    expect(readdirSync(dir)).toEqual([]);
    rmSync(dir, { recursive: true });
  }, 120_000);
});

describeIf([...(isRoot ? [] : ['root']), ...(hasCommand('unshare') ? [] : ['unshare'])], 'an output file on a full disk', () => {
  it('is exit 16 naming the file and ENOSPC; the old file stays, no temporary file is left', () => {
    const dir = freshDir();
    const script = `const { openOutputFile } = await import(${JSON.stringify(built)});
      const { writeFileSync, readdirSync, readFileSync } = await import('node:fs');
      const target = process.argv[1] + '/scan.csv';
      writeFileSync(target, 'old\\n');
      const file = await openOutputFile(target);
      const chunk = 'x'.repeat(16 * 1024);
      for (let i = 0; i < 16; i++) file.stream.write(chunk); // 256 KiB into 64 KiB
      const err = await file.commit().then(() => null, (e) => e);
      console.log(JSON.stringify({ kind: err?.kind, exitCode: err?.exitCode, message: err?.message, files: readdirSync(process.argv[1]), old: readFileSync(target, 'utf8') }));`;
    const run = spawnSync('unshare', ['-m', 'sh', '-c', 'mount -t tmpfs -o size=64k fleetstat-full "$1" && exec "$2" --input-type=module -e "$3" "$1"', 'sh', dir, process.execPath, script], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const seen = JSON.parse(run.stdout);
    expect(seen).toEqual({ kind: 'output', exitCode: 16, message: expect.stringMatching(/^cannot write .*scan\.csv: ENOSPC: no space left on device, write$/), files: ['scan.csv'], old: 'old\n' });
    rmSync(dir, { recursive: true });
  }, 120_000);
});
