// checkHostKey() against the real OpenSSH client's verdict. An in-process ssh2 Server on 127.0.0.1
// (the only address contacted) presents a host key; `ssh` connects with StrictHostKeyChecking=yes
// and a known_hosts file we write, and says what it thinks: accepted (it goes on to authenticate,
// and is refused there), unknown, changed or revoked. Each scenario's verdict must be ours.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { checkHostKey, knownHostsLine, knownKeyTypes, parseKnownHosts, type HostKeyCheck } from '../../../src/openssh/known-hosts/index.js';
import { describeIf, hasCommand } from '../../helpers/requirements.js';
import { generateKey, type TestKey } from './keys.js';

type Verdict = HostKeyCheck['status'];

interface Loopback {
  port: number;
  close(): Promise<void>;
}

/** An SSH server on 127.0.0.1 with one host key, refusing every login. */
function startServer(hostKey: TestKey): Promise<Loopback> {
  const server = new ssh2.Server({ hostKeys: [readFileSync(hostKey.privateKey!)] }, (client) => {
    client.on('authentication', (ctx) => ctx.reject());
    client.on('error', () => undefined);
  });
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

/** What ssh makes of the server's key, with only `knownHosts` known. */
function sshVerdict(port: number, knownHosts: string, extra: string[] = []): Promise<{ verdict: Verdict | 'other'; stderr: string }> {
  const args = [
    '-F', 'none',
    '-o', 'BatchMode=yes',
    '-o', 'StrictHostKeyChecking=yes',
    '-o', `UserKnownHostsFile=${knownHosts}`,
    '-o', 'GlobalKnownHostsFile=/dev/null',
    '-o', 'CheckHostIP=no',
    '-o', 'UpdateHostKeys=no',
    '-o', 'IdentitiesOnly=yes',
    '-o', 'IdentityFile=none',
    '-o', 'ConnectTimeout=10',
    ...extra,
    '-p', String(port),
    '127.0.0.1',
    'true',
  ];
  return new Promise((resolve) => {
    execFile('ssh', args, { timeout: 20_000, encoding: 'utf8' }, (_err, _stdout, stderr) => {
      const verdict: Verdict | 'other' =
        /REVOKED HOST KEY/.test(stderr) ? 'revoked'
        : /REMOTE HOST IDENTIFICATION HAS CHANGED/.test(stderr) ? 'changed'
        : /No \S+ host key is known for/.test(stderr) ? 'unknown'
        : /Permission denied/.test(stderr) ? 'match'
        : 'other';
      resolve({ verdict, stderr });
    });
  });
}

describeIf(hasCommand('ssh') && hasCommand('ssh-keygen') ? [] : ['ssh, ssh-keygen (openssh-client)'], 'checkHostKey gives the real ssh client\'s verdict', () => {
  let dir: string;
  let serverKey: TestKey; // ed25519, what the server presents
  let otherEd: TestKey;
  let rsa: TestKey;
  let server: Loopback;
  let rsaServerKey: TestKey;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fleetstat-verdict-'));
    serverKey = generateKey(dir, 'server', 'ed25519');
    otherEd = generateKey(dir, 'other', 'ed25519');
    rsa = generateKey(dir, 'rsa', 'rsa', 2048);
    rsaServerKey = generateKey(dir, 'server-rsa', 'rsa', 2048);
    server = await startServer(serverKey);
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const scenarios: Array<{ why: string; lines: (p: number) => string[]; want: Verdict; alias?: string }> = [
    { why: 'the key, under [127.0.0.1]:port', lines: (p) => [`[127.0.0.1]:${p} ${serverKey.text}`], want: 'match' },
    { why: 'nothing known', lines: () => [], want: 'unknown' },
    { why: 'another ed25519 key', lines: (p) => [`[127.0.0.1]:${p} ${otherEd.text}`], want: 'changed' },
    { why: 'only an RSA key known, the server shows ed25519', lines: (p) => [`[127.0.0.1]:${p} ${rsa.text}`], want: 'changed' },
    { why: 'listed as good and @revoked', lines: (p) => [`[127.0.0.1]:${p} ${serverKey.text}`, `@revoked * ${serverKey.text}`], want: 'revoked' },
    { why: 'the key under the bare host, connecting to another port', lines: () => [`127.0.0.1 ${serverKey.text}`], want: 'match' },
    { why: 'another key under the bare host', lines: () => [`127.0.0.1 ${otherEd.text}`], want: 'unknown' },
    { why: 'another key under [host]:port, the right one under the bare host', lines: (p) => [`[127.0.0.1]:${p} ${otherEd.text}`, `127.0.0.1 ${serverKey.text}`], want: 'changed' },
    { why: 'only a @cert-authority line', lines: () => [`@cert-authority * ${serverKey.text}`], want: 'unknown' },
    { why: 'a wildcard pattern', lines: () => [`[127.0.0.?]:* ${serverKey.text}`], want: 'match' },
    { why: 'a pattern negating this host and port', lines: (p) => [`[127.0.0.*]:*,![127.0.0.1]:${p} ${serverKey.text}`], want: 'unknown' },
    { why: 'a hashed line written by knownHostsLine', lines: (p) => [knownHostsLine({ host: '127.0.0.1', port: p }, serverKey.blob, { hash: true })], want: 'match' },
    { why: 'a plain line written by knownHostsLine', lines: (p) => [knownHostsLine({ host: '127.0.0.1', port: p }, serverKey.blob, { hash: false })], want: 'match' },
    { why: 'HostKeyAlias: the alias alone, no port', lines: () => [`fleet-alias ${serverKey.text}`], want: 'match', alias: 'fleet-alias' },
    { why: 'HostKeyAlias: the host\'s own line does not count', lines: (p) => [`[127.0.0.1]:${p} ${serverKey.text}`], want: 'unknown', alias: 'fleet-alias' },
  ];

  test.each(scenarios)('$why → $want', async ({ lines, want, alias }) => {
    const file = join(dir, 'known_hosts');
    const text = lines(server.port).map((l) => `${l}\n`).join('');
    writeFileSync(file, text);
    const { verdict, stderr } = await sshVerdict(server.port, file, alias ? ['-o', `HostKeyAlias=${alias}`] : []);
    const { entries, issues } = parseKnownHosts(text, file);
    expect(issues).toEqual([]);
    const target = alias ? { host: alias } : { host: '127.0.0.1', port: server.port };
    const ourVerdict = checkHostKey(entries, target, { type: 'ssh-ed25519', blob: serverKey.blob }).status;
    expect({ ssh: verdict, ours: ourVerdict, stderr: verdict === want ? '' : stderr }).toEqual({ ssh: want, ours: want, stderr: '' });
  });

  test('the bare host revoked, another port: both refuse (OpenSSH says "unknown" after a REVOKED warning, we say revoked)', async () => {
    const file = join(dir, 'known_hosts');
    writeFileSync(file, `@revoked 127.0.0.1 ${serverKey.text}\n`);
    const { stderr } = await sshVerdict(server.port, file);
    expect(stderr).toMatch(/REVOKED HOST KEY DETECTED/);
    expect(stderr).toMatch(/Host key verification failed/);
    const { entries } = parseKnownHosts(readFileSync(file, 'utf8'), file);
    expect(checkHostKey(entries, { host: '127.0.0.1', port: server.port }, { blob: serverKey.blob }).status).toBe('revoked');
  });

  test('an RSA host key negotiated as rsa-sha2-*: the ssh-rsa line matches', async () => {
    const rsaServer = await startServer(rsaServerKey);
    try {
      const file = join(dir, 'known_hosts');
      const line = `[127.0.0.1]:${rsaServer.port} ${rsaServerKey.text}\n`;
      writeFileSync(file, line);
      const { verdict } = await sshVerdict(rsaServer.port, file, ['-o', 'HostKeyAlgorithms=rsa-sha2-512']);
      const { entries } = parseKnownHosts(line, file);
      expect([verdict, checkHostKey(entries, { host: '127.0.0.1', port: rsaServer.port }, { type: 'rsa-sha2-512', blob: rsaServerKey.blob }).status]).toEqual(['match', 'match']);
      expect(knownKeyTypes(entries, { host: '127.0.0.1', port: rsaServer.port })).toEqual(['ssh-rsa']);
    } finally {
      await rsaServer.close();
    }
  });
});
