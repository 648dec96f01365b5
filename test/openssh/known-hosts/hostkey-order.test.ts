// The host key algorithms a connection proposes, against the real ssh client's own proposal
// (`ssh -vvv` prints it: "debug2: host key algorithms: …"): HostKeyAlgorithms assembled as
// kex_assemble_names() does, then ordered by the key types known_hosts has (sshconnect2.c
// order_hostkeyalgs). The server is ssh2's, in this process, on 127.0.0.1; it refuses every login.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { configFromText, resolveSshConfig } from '../../../src/openssh/config/index.js';
import { appendKnownHost } from '../../../src/openssh/known-hosts/index.js';
import { hostKeyPolicy } from '../../../src/transport/host-key-policy.js';
import { KnownHostsBook } from '../../../src/transport/known-hosts-book.js';
import { describeIf, hasCommand } from '../../helpers/requirements.js';
import { generateKey, type TestKey } from './keys.js';

describeIf(hasCommand('ssh') && hasCommand('ssh-keygen') ? [] : ['ssh, ssh-keygen (openssh-client)'], 'host key algorithms proposed, as ssh proposes them', () => {
  let dir: string;
  let port: number;
  let server: ssh2.Server;
  const k: Record<string, TestKey> = {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fleetstat-hkorder-'));
    k.ed = generateKey(dir, 'ed', 'ed25519');
    k.ec = generateKey(dir, 'ec', 'ecdsa');
    k.rsa = generateKey(dir, 'rsa', 'rsa', 2048);
    server = new ssh2.Server({ hostKeys: [readFileSync(k.ed.privateKey!)] }, (client) => {
      client.on('authentication', (ctx) => ctx.reject());
      client.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  const proposal = (knownHosts: string, spec?: string): Promise<string[]> =>
    new Promise((resolve) => {
      const args = ['-vvv', '-F', 'none', '-o', 'BatchMode=yes', '-o', `UserKnownHostsFile=${knownHosts}`, '-o', 'GlobalKnownHostsFile=/dev/null',
        '-o', 'IdentityFile=none', '-o', 'ConnectTimeout=10', ...(spec ? ['-o', `HostKeyAlgorithms=${spec}`] : []), '-p', String(port), '127.0.0.1', 'true'];
      execFile('ssh', args, { timeout: 20_000, encoding: 'utf8' }, (_err, _out, stderr) => {
        resolve((/debug2: host key algorithms: (\S+)/.exec(stderr)?.[1] ?? '').split(','));
      });
    });

  const scenarios: Array<{ why: string; lines: () => string[]; spec?: string }> = [
    { why: 'nothing known: the defaults', lines: () => [] },
    { why: 'an ECDSA key known: its algorithms first', lines: () => [`[127.0.0.1]:${port} ${k.ec!.text}`] },
    { why: 'an Ed25519 key known: the best choice already, the list as it is', lines: () => [`[127.0.0.1]:${port} ${k.ed!.text}`] },
    { why: 'an RSA key known: rsa-sha2 first', lines: () => [`[127.0.0.1]:${port} ${k.rsa!.text}`] },
    { why: 'a @cert-authority line: certificate algorithms first', lines: () => [`@cert-authority * ${k.ec!.text}`] },
    { why: '+ssh-rsa with an RSA key known', lines: () => [`[127.0.0.1]:${port} ${k.rsa!.text}`], spec: '+ssh-rsa' },
    { why: '-ecdsa* with ECDSA and RSA keys known', lines: () => [`[127.0.0.1]:${port} ${k.ec!.text}`, `[127.0.0.1]:${port} ${k.rsa!.text}`], spec: '-ecdsa*' },
    { why: 'an explicit list: as written, whatever is known', lines: () => [`[127.0.0.1]:${port} ${k.rsa!.text}`], spec: 'ssh-ed25519,rsa-sha2-256' },
    { why: '^ puts names first, and is not reordered', lines: () => [`[127.0.0.1]:${port} ${k.ec!.text}`], spec: '^ssh-ed25519' },
  ];

  test.each(scenarios)('$why', async ({ lines, spec }) => {
    const file = join(dir, 'known_hosts');
    const text = lines().map((l) => `${l}\n`).join('');
    writeFileSync(file, text);
    // the way a scan gets there: ssh_config resolved, known_hosts read, the host's policy
    const { algorithms } = resolveSshConfig(configFromText(spec ? `HostKeyAlgorithms ${spec}\n` : '', 'cfg'), { host: '127.0.0.1', localUser: 'u', homeDir: dir });
    const ours = hostKeyPolicy({
      name: '127.0.0.1', port, mode: 'yes', knownHosts: await new KnownHostsBook(appendKnownHost, () => {}).view([file]), hash: false,
      requiredRsaSize: 1024, hostKeyAlgorithms: { list: algorithms.hostKey, knownFirst: algorithms.hostKeyKnownFirst }, onAccepted: () => {}, warn: () => {},
    }).algorithms;
    expect(ours).toEqual(await proposal(file, spec));
  });
});
