// readKnownHosts() and appendKnownHost(): missing files, unreadable ones, and appends from many
// concurrent scans that must neither interleave nor touch what is already there.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendKnownHost, readKnownHosts } from '../../../src/openssh/known-hosts/index.js';
import { checkHostKey, knownHostsLine, parseKnownHosts } from '../../../src/openssh/known-hosts/index.js';
import { describeIf, hasCommand, isRoot } from '../../helpers/requirements.js';
import { fixtureKeys, sshKeygenFind } from './keys.js';

const keys = fixtureKeys();
const ed = keys.ed25519!;
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fleetstat-khfile-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('readKnownHosts', () => {
  test('missing files are fine; entries in file order; issues name their file', async () => {
    writeFileSync(join(dir, 'a'), `web01 ${ed.text}\nweb02 ssh-ed25519\n`);
    writeFileSync(join(dir, 'b'), `web03 ${keys.rsa2048!.text}\n`);
    const r = await readKnownHosts([join(dir, 'missing'), join(dir, 'a'), join(dir, 'no/such/dir/x'), join(dir, 'b')]);
    expect(r.entries.map((e) => [e.file, e.line, e.hostnames])).toEqual([[join(dir, 'a'), 1, 'web01'], [join(dir, 'b'), 1, 'web03']]);
    expect(r.issues).toEqual([expect.objectContaining({ kind: 'missing-field', file: join(dir, 'a'), line: 2 })]);
  });

  test('a directory where a file should be is an issue, not a crash', async () => {
    mkdirSync(join(dir, 'kh'));
    const r = await readKnownHosts([join(dir, 'kh')]);
    expect(r.issues).toEqual([expect.objectContaining({ kind: 'unreadable', file: join(dir, 'kh'), line: 0, field: 'file' })]);
  });

  (isRoot ? test.skip : test)('(not root) a file that cannot be read is an issue', async () => {
    writeFileSync(join(dir, 'secret'), `web01 ${ed.text}\n`);
    chmodSync(join(dir, 'secret'), 0o000);
    expect((await readKnownHosts([join(dir, 'secret')])).issues).toEqual([expect.objectContaining({ kind: 'unreadable', line: 0 })]);
  });
});

describe('appendKnownHost', () => {
  test('creates the directory 0700 and the file 0600', async () => {
    const file = join(dir, 'new/.ssh/known_hosts');
    await appendKnownHost(file, knownHostsLine({ host: 'web01' }, ed.blob, { hash: true }));
    expect((statSync(join(dir, 'new/.ssh')).mode & 0o777).toString(8)).toBe('700');
    expect((statSync(join(dir, 'new')).mode & 0o777).toString(8)).toBe('700');
    expect((statSync(file).mode & 0o777).toString(8)).toBe('600');
    const { entries, issues } = parseKnownHosts(readFileSync(file, 'utf8'), file);
    expect([issues, checkHostKey(entries, { host: 'web01' }, { blob: ed.blob }).status]).toEqual([[], 'match']);
  });

  test('never rewrites what is there; ends an unterminated last line first; keeps the mode', async () => {
    const file = join(dir, 'known_hosts');
    const before = `# mine\nweb01 ${ed.text} hand-written, no newline at the end`;
    writeFileSync(file, before);
    chmodSync(file, 0o644);
    await appendKnownHost(file, `web02 ${ed.text}`);
    const after = readFileSync(file, 'utf8');
    expect(after).toBe(`${before}\nweb02 ${ed.text}\n`);
    expect((statSync(file).mode & 0o777).toString(8)).toBe('644');
  });

  test('200 concurrent appends from one process: 200 whole lines, none lost or interleaved', async () => {
    const file = join(dir, 'known_hosts');
    writeFileSync(file, `existing ${ed.text}\n`);
    const lines = Array.from({ length: 200 }, (_, i) => knownHostsLine({ host: `host${i}.example.test`, port: 2000 + i }, keys.rsa2048!.blob, { hash: i % 2 === 0 }));
    await Promise.all(lines.map((line) => appendKnownHost(file, line)));
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith(`existing ${ed.text}\n`)).toBe(true);
    const written = text.split('\n').slice(1, -1);
    expect(written.sort()).toEqual([...lines].sort());
    const { entries, issues } = parseKnownHosts(text, file);
    expect([issues, entries.length]).toEqual([[], 201]);
    for (let i = 0; i < 200; i += 37) {
      expect(checkHostKey(entries, { host: `host${i}.example.test`, port: 2000 + i }, { blob: keys.rsa2048!.blob }).status).toBe('match');
    }
  });

  test.each([
    ['two lines', `web01 ${ed.text}\nweb02 ${ed.text}`],
    ['a trailing newline', `web01 ${ed.text}\n`],
    ['a carriage return', `web01 ${ed.text}\r`],
    ['a bad line', 'web01 ssh-ed25519 not-base64'],
    ['a comment', '# just a comment'],
    ['nothing', ''],
  ])('refuses %s, and writes nothing', async (_, line) => {
    const file = join(dir, 'known_hosts');
    await expect(appendKnownHost(file, line)).rejects.toThrow(TypeError);
    expect(() => statSync(file)).toThrow();
  });

  test('a failed append (a directory where the file should be) rejects, and does not block the next one', async () => {
    const file = join(dir, 'known_hosts');
    mkdirSync(file);
    await expect(appendKnownHost(file, `a ${ed.text}`)).rejects.toThrow(/EISDIR/);
    rmSync(file, { recursive: true });
    await appendKnownHost(file, `c ${ed.text}`);
    expect(readFileSync(file, 'utf8')).toBe(`c ${ed.text}\n`);
  });
});

describeIf(hasCommand('ssh-keygen') ? [] : ['ssh-keygen (openssh-client)'], 'appended lines, read by ssh-keygen', () => {
  test('every concurrently appended line is found by ssh-keygen -F', async () => {
    const file = join(dir, 'known_hosts');
    const targets = Array.from({ length: 20 }, (_, i) => ({ host: `10.0.0.${i}`, port: i % 3 === 0 ? 22 : 2200 + i }));
    await Promise.all(targets.map((t, i) => appendKnownHost(file, knownHostsLine(t, ed.blob, { hash: i % 2 === 1 }))));
    targets.forEach((t) => {
      const name = t.port === 22 ? t.host : `[${t.host}]:${t.port}`;
      expect([name, sshKeygenFind(file, name)]).toEqual([name, [expect.stringMatching(/^\d+$/)]]);
    });
  });
});
