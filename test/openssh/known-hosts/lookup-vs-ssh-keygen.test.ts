// Which known_hosts lines apply to a name, against OpenSSH's own lookup `ssh-keygen -F name -f
// file` (it prints the matching lines, markers included), on a plain file and on the same file
// hashed by `ssh-keygen -H`; and lines written by knownHostsLine() are found by ssh-keygen.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { entriesForName, knownHostsLine, knownHostsName, parseKnownHosts } from '../../../src/openssh/known-hosts/index.js';
import { describeIf, hasCommand } from '../../helpers/requirements.js';
import { fixtureKeys, generateKey, sshKeygenFind, type TestKey } from './keys.js';

const names = [
  'web01', 'WEB01', 'web02', 'web03', 'web001', '[web01]:2222', '[web01]:2223', 'a.example.test', 'bad.example.test',
  'example.test', '127.0.0.1', '127.0.0.5', '[127.0.0.5]:2222', '::1', '[::1]:2222', 'db-1', 'db-x', 'nothing',
];

function fileText(keys: TestKey[]): string {
  const [a, b, c, d] = keys as [TestKey, TestKey, TestKey, TestKey];
  return [
    '# a realistic mix',
    `web01,web02 ${a.text}`,
    `[web01]:2222 ${b.text}`,
    `*.example.test,!bad.example.test ${c.text} wildcard with a negation`,
    `127.0.0.? ${d.text}`,
    `[127.0.0.5]:2222,::1,[::1]:2222 ${a.text}`,
    `db-? ${b.text}`,
    `@revoked db-x ${c.text}`,
    `@cert-authority *.example.test ${d.text}`,
    `Web03 ${a.text}`,
    '',
  ].join('\n');
}

/** Our answer in ssh-keygen -F's form: line numbers, with REVOKED / CA for marked lines. */
function ours(text: string, file: string, name: string): string[] {
  const { entries, issues } = parseKnownHosts(text, file);
  expect(issues).toEqual([]);
  return entriesForName(entries, name).map((e) => (e.marker === 'revoked' ? `${e.line} REVOKED` : e.marker === 'cert-authority' ? `${e.line} CA` : String(e.line)));
}

describe('entriesForName: written-out lookups (hold without ssh-keygen)', () => {
  const text = fileText(Object.values(fixtureKeys()));
  test.each([
    ['web01', ['2']],
    ['[web01]:2222', ['3']],
    ['a.example.test', ['4', '9 CA']],
    ['bad.example.test', ['9 CA']],
    ['127.0.0.5', ['5']],
    ['[::1]:2222', ['6']],
    ['db-x', ['7', '8 REVOKED']],
    ['web03', ['10']],
    ['nothing', []],
  ])('%s → lines %j', (name, want) => {
    expect(ours(text, 'kh', name)).toEqual(want);
  });
});

describeIf(hasCommand('ssh-keygen') ? [] : ['ssh-keygen (openssh-client)'], 'lookups against ssh-keygen -F', () => {
  let dir: string;
  let keys: TestKey[];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fleetstat-kh-'));
    keys = [generateKey(dir, 'a', 'ed25519'), generateKey(dir, 'b', 'ecdsa'), generateKey(dir, 'c', 'rsa', 2048), generateKey(dir, 'd', 'ecdsa', 384)];
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test.each(names)('plain file: %s', (name) => {
    const file = join(dir, 'plain');
    const text = fileText(keys);
    writeFileSync(file, text);
    expect(ours(text, file, name)).toEqual(sshKeygenFind(file, name));
  });

  test.each(names)('hashed by ssh-keygen -H: %s', (name) => {
    const file = join(dir, 'hashed');
    writeFileSync(file, fileText(keys));
    execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'ignore' });
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^\|1\|/m); // it did hash
    expect(ours(text, file, name)).toEqual(sshKeygenFind(file, name));
  });

  test('the bad-lines fixture: ssh-keygen finds the good lines we keep', () => {
    const fixture = fixtureKeys();
    const text = readFileSync(join(process.cwd(), 'fixtures/ssh/known_hosts/bad-lines'), 'utf8')
      .replace(/@KEY_(\w+?)_BLOB@/g, (_, n: string) => fixture[n]!.text.split(' ')[1]!)
      .replace(/@KEY_(\w+?)@/g, (_, n: string) => fixture[n]!.text);
    const file = join(dir, 'bad-lines');
    writeFileSync(file, text);
    const { entries } = parseKnownHosts(text, file);
    for (const name of ['web01', 'web12', '[web12]:2222', 'a.example.test']) {
      const mine = entriesForName(entries, name).map((e) => (e.marker === 'revoked' ? `${e.line} REVOKED` : e.marker === 'cert-authority' ? `${e.line} CA` : String(e.line)));
      expect([name, mine]).toEqual([name, sshKeygenFind(file, name)]);
    }
  });

  test.each([
    [{ host: 'web01' }, false],
    [{ host: 'Web01.Example.Test', port: 2222 }, false],
    [{ host: '::1', port: 2200 }, false],
    [{ host: 'web01' }, true],
    [{ host: '10.0.0.7', port: 2022 }, true],
  ])('knownHostsLine(%j, hash %s) is found by ssh-keygen -F under its name only', (target, hash) => {
    const file = join(dir, 'written');
    writeFileSync(file, `${knownHostsLine(target, keys[0]!.blob, { hash })}\n`);
    expect(sshKeygenFind(file, knownHostsName(target))).toEqual(['1']);
    expect(sshKeygenFind(file, 'someone-else')).toEqual([]);
    // and ssh-keygen reads the key in it: the fingerprint it lists is the key's
    const listed = execFileSync('ssh-keygen', ['-lf', file], { encoding: 'utf8' });
    expect(listed.split(' ')[1]).toBe(keys[0]!.fingerprint);
  });

  test('our hash of a name equals the one ssh-keygen -H wrote (same salt, same line)', () => {
    const file = join(dir, 'one');
    writeFileSync(file, `web01 ${keys[0]!.text}\n`);
    execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'ignore' });
    const hashed = readFileSync(file, 'utf8').trim();
    const salt = Buffer.from(hashed.split('|')[2]!, 'base64');
    expect(knownHostsLine({ host: 'web01' }, keys[0]!.blob, { hash: true, salt })).toBe(hashed);
  });
});
