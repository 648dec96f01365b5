// loadSshConfig(): which files, Include (relative paths, ~, globs, nesting depth, permissions),
// and what OpenSSH says about the same files.
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { expandGlob, loadSshConfig, readSshConfig, SshConfigError } from '../../../src/openssh/config/index.js';
import { resolveSshConfig, type LoadedConfig } from '../../../src/openssh/config/index.js';
import { describeIf, hasCommand, isRoot } from '../../helpers/requirements.js';
import { sshG } from './openssh.js';

const me = userInfo();
const hasSsh = hasCommand('ssh');
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fleetstat-sshload-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(path: string, text: string, mode = 0o644): string {
  const full = join(dir, path);
  mkdirSync(join(full, '..'), { recursive: true });
  writeFileSync(full, text);
  chmodSync(full, mode);
  return full;
}

const portOf = (loaded: LoadedConfig, host = 'x', homeDir = me.homedir): number | undefined =>
  resolveSshConfig(loaded, { host, localUser: me.username, homeDir }).port;

describe('which files', () => {
  test('-F: a file that cannot be read is an error naming it', async () => {
    const missing = join(dir, 'nope');
    await expect(loadSshConfig(missing, dir)).rejects.toThrow(SshConfigError);
    await expect(loadSshConfig(missing, dir)).rejects.toThrow(`${missing}: can't open user config file: no such file`);
  });

  test('-F none reads nothing', async () => {
    expect(await loadSshConfig('none', dir)).toEqual({ files: [], issues: [], warnings: [] });
  });

  test('defaults: ~/.ssh/config then the system file; missing ones are fine', async () => {
    expect(await loadSshConfig(undefined, dir, { systemConfig: join(dir, 'no-system') })).toEqual({ files: [], issues: [], warnings: [] });
    write('.ssh/config', 'Host x\n  Port 1\n', 0o600);
    const system = write('system', 'Host *\n  Port 2\n  User sys\n');
    const loaded = await loadSshConfig(undefined, dir, { systemConfig: system });
    expect(loaded.files.map((f) => [f.path, f.userConfig])).toEqual([[join(dir, '.ssh/config'), true], [system, false]]);
    const r = resolveSshConfig(loaded, { host: 'x', localUser: me.username, homeDir: dir });
    expect([r.port, r.user]).toEqual([1, 'sys']);
  });

  test('~/.ssh/config writable by others is refused, as OpenSSH refuses it', async () => {
    write('.ssh/config', 'Port 1\n', 0o666);
    const loaded = await readSshConfig(undefined, dir, { systemConfig: join(dir, 'none') });
    expect(loaded.issues).toEqual([expect.objectContaining({ kind: 'bad-permissions', file: join(dir, '.ssh/config'), line: 0 })]);
    await expect(loadSshConfig(undefined, dir, { systemConfig: join(dir, 'none') })).rejects.toThrow(`${join(dir, '.ssh/config')}: bad owner or permissions`);
  });

  test('an -F file is not permission-checked (OpenSSH does not either)', async () => {
    const main = write('main', 'Port 1\n', 0o666);
    expect((await loadSshConfig(main, dir)).issues).toEqual([]);
  });
});

describe('Include', () => {
  test('relative paths of a user config live in ~/.ssh; globs in lexical order; dot files and directories', async () => {
    write('.ssh/conf.d/b.conf', 'Port 2\n');
    write('.ssh/conf.d/a.conf', 'Host *\n  User from-a\n');
    write('.ssh/conf.d/.hidden.conf', 'Port 3\n');
    mkdirSync(join(dir, '.ssh/conf.d/d.conf'));
    const main = write('main', 'Include conf.d/*.conf\nPort 9\n');
    const loaded = await loadSshConfig(main, dir);
    expect(loaded.issues).toEqual([]);
    const include = loaded.files[0]!.directives[0]!;
    expect(include.kind === 'include' && include.included!.map((f) => f.path)).toEqual(
      ['a.conf', 'b.conf', 'd.conf'].map((n) => join(dir, '.ssh/conf.d', n)),
    );
    const r = resolveSshConfig(loaded, { host: 'x', localUser: me.username, homeDir: dir });
    expect([r.port, r.user]).toEqual([2, 'from-a']);
  });

  test('~ in a user config; no match is not an error; ~ in the system config is', async () => {
    write('.ssh/extra', 'Port 5\n');
    const main = write('main', 'Include ~/.ssh/extra ~/.ssh/nothing-*\n');
    const loaded = await loadSshConfig(main, dir);
    expect([loaded.issues, portOf(loaded, 'x', dir)]).toEqual([[], 5]);
    const system = write('system', 'Include ~/.ssh/extra\n');
    const sys = await readSshConfig(undefined, join(dir, 'empty-home'), { systemConfig: system });
    expect(sys.issues).toEqual([expect.objectContaining({ kind: 'bad-include', file: system, line: 1, field: 'include' })]);
  });

  test('16 levels of nesting are fine, a 17th is an error (READCONF_MAX_DEPTH)', async () => {
    const chain = (files: number): string => {
      for (let i = 0; i < files; i++) write(`c${files}/f${i}`, i < files - 1 ? `Include ${join(dir, `c${files}/f${i + 1}`)}\n` : 'Port 4242\n');
      return join(dir, `c${files}/f0`);
    };
    const ok = await loadSshConfig(chain(17), dir);
    expect([ok.issues, portOf(ok)]).toEqual([[], 4242]);
    const deep = await readSshConfig(chain(18), dir);
    expect(deep.issues).toEqual([expect.objectContaining({ kind: 'include-depth', file: join(dir, 'c18/f16'), line: 1 })]);
  });

  test('a file including itself stops at the depth limit', async () => {
    const self = join(dir, 'self');
    write('self', `Port 7\nInclude ${self}\n`);
    const loaded = await readSshConfig(self, dir);
    expect(loaded.issues.map((i) => i.kind)).toEqual(['include-depth']);
  });

  test('an included file writable by others, or owned by another user, is refused', async () => {
    write('inc/open.conf', 'Port 1\n', 0o666);
    const main = write('main', `Include ${join(dir, 'inc/*.conf')}\n`);
    const loaded = await readSshConfig(main, dir);
    expect(loaded.issues).toEqual([expect.objectContaining({ kind: 'bad-permissions', file: join(dir, 'inc/open.conf') })]);
    expect(portOf(loaded)).toBeUndefined();
  });

  (isRoot ? test : test.skip)('(root) an included file owned by another user is refused', async () => {
    const other = write('inc/other.conf', 'Port 1\n');
    chownSync(other, 4321, 4321);
    const main = write('main', `Include ${other}\n`);
    expect((await readSshConfig(main, dir)).issues).toEqual([expect.objectContaining({ kind: 'bad-permissions', file: other })]);
  });

  (isRoot ? test.skip : test)('(not root) an unreadable included file is an error', async () => {
    const secret = write('inc/secret.conf', 'Port 1\n', 0o000);
    const main = write('main', `Include ${secret}\n`);
    expect((await readSshConfig(main, dir)).issues).toEqual([expect.objectContaining({ kind: 'unreadable', file: main, line: 1 })]);
  });

  test('parse errors of included files carry their own file and line', async () => {
    const inc = write('inc/bad.conf', '\n\nPort nope\n');
    const main = write('main', `Host never\n  Include ${inc}\n`);
    expect((await readSshConfig(main, dir)).issues).toEqual([expect.objectContaining({ kind: 'bad-value', file: inc, line: 3, field: 'port' })]);
  });

  test('loadSshConfig refuses what ssh refuses to run with: one line, the first problem\'s file and line, how many more', async () => {
    const inc = write('inc/bad.conf', '\nHostNmae 10.0.0.1\nPort nope\n');
    const main = write('main', `Host never\n  Include ${inc}\n`);
    const refusal = loadSshConfig(main, dir);
    await expect(refusal).rejects.toThrow(SshConfigError);
    await expect(refusal).rejects.toThrow(`${inc}:3: bad port 'nope' (and 1 more bad configuration options)`);
    await expect(refusal).rejects.toMatchObject({ issues: [expect.objectContaining({ kind: 'bad-value', line: 3 }), expect.objectContaining({ kind: 'unknown-keyword', line: 2 })] });
  });

  test('a bad line in ~/.ssh/config or the system file refuses the run too (ssh: "terminating")', async () => {
    write('.ssh/config', 'Hostname 10.0.0.1\nUseKeychain yes\n', 0o600);
    await expect(loadSshConfig(undefined, dir, { systemConfig: join(dir, 'no-system') })).rejects.toThrow(`${join(dir, '.ssh/config')}:2: Bad configuration option: usekeychain`);
    const system = write('system', 'Host *\n  Compression maybe\n');
    await expect(loadSshConfig(undefined, join(dir, 'empty-home'), { systemConfig: system })).rejects.toThrow(`${system}:2: keyword compression: unsupported option "maybe"`);
  });

  test('an IgnoreUnknown in the system file does not excuse ~/.ssh/config, read before it', async () => {
    write('.ssh/config', 'UseKeychain yes\n', 0o600);
    const system = write('system', 'IgnoreUnknown UseKeychain\n');
    expect((await readSshConfig(undefined, dir, { systemConfig: system })).issues).toEqual([
      expect.objectContaining({ kind: 'unknown-keyword', file: join(dir, '.ssh/config'), line: 1, field: 'usekeychain' }),
    ]);
    write('.ssh/config', 'IgnoreUnknown UseKeychain\n', 0o600);
    write('system', 'Host *\n  UseKeychain yes\n');
    expect((await readSshConfig(undefined, dir, { systemConfig: system })).issues).toEqual([]);
  });

  test('the refusal is one line whatever the file holds', async () => {
    const main = write('main', 'User \x1b[31mred\x07 x\n');
    await expect(loadSshConfig(main, dir)).rejects.toThrow(/^[^\x00-\x1f]*$/);
  });

  test('expandGlob: character classes, escapes, nothing outside the pattern', async () => {
    for (const n of ['a1', 'a2', 'b1', 'a*']) write(`g/${n}`, '');
    expect(await expandGlob(join(dir, 'g/[a]?'))).toEqual([join(dir, 'g/a*'), join(dir, 'g/a1'), join(dir, 'g/a2')]);
    expect(await expandGlob(join(dir, 'g/[!a]1'))).toEqual([join(dir, 'g/b1')]);
    expect(await expandGlob(join(dir, 'g/a\\*'))).toEqual([join(dir, 'g/a*')]);
    expect(await expandGlob(join(dir, 'g/*/x'))).toEqual([]);
    expect(await expandGlob(join(dir, 'nope/*'))).toEqual([]);
  });
});

describeIf(hasSsh ? [] : ['ssh (openssh-client)'], 'Include against ssh -G', () => {
  test('relative include in ~/.ssh (HOME for ssh, homeDir for us), glob order, first value wins', async () => {
    write('.ssh/conf.d/b.conf', 'Port 2\n');
    write('.ssh/conf.d/a.conf', 'Host *\n  User from-a\n');
    const main = write('main', 'Include conf.d/*.conf\nPort 9\n');
    const g = sshG(main, 'x', {}, { ...process.env, HOME: dir });
    const r = resolveSshConfig(await loadSshConfig(main, dir), { host: 'x', localUser: me.username, homeDir: dir });
    expect([g.values.get('port'), g.values.get('user')]).toEqual([[String(r.port)], [r.user]]);
  });

  test('OpenSSH agrees on the depth limit', async () => {
    for (const files of [17, 18]) {
      for (let i = 0; i < files; i++) write(`c${files}/f${i}`, i < files - 1 ? `Include ${join(dir, `c${files}/f${i + 1}`)}\n` : 'Port 4242\n');
      const g = sshG(join(dir, `c${files}/f0`), 'x');
      expect([files, g.status]).toEqual([files, files === 17 ? 0 : 255]);
    }
  });

  test('OpenSSH refuses an included file writable by others', async () => {
    const inc = write('inc/open.conf', 'Port 1\n', 0o666);
    const g = sshG(write('main', `Include ${inc}\n`), 'x');
    expect([g.status, g.stderr]).toEqual([255, expect.stringContaining(`Bad owner or permissions on ${inc}`)]);
  });

  test('OpenSSH refuses a host name with shell metacharacters, and such a user', () => {
    const main = write('main', 'Port 1\n');
    expect(sshG(main, 'x;reboot').stderr).toMatch(/invalid characters/);
    expect(sshG(main, 'x', { user: '-oProxyCommand=x' }).stderr).toMatch(/invalid characters/);
  });
});
