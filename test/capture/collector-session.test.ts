// The scan's own SSH session, collected for real over OpenSSH inside a namespace host (sshd, its
// sessions and the client are all visible there): the TCP connection the host's $SSH_CONNECTION names
// and the sockets only the session's processes hold are marked `collector`; nothing else is.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildHostView, type HostView } from '../../src/merge/host-view.js';
import { bundledServices } from '../../src/merge/services.js';
import type { Socket } from '../../src/model/index.js';
import { describeIf, hasCommand, isRoot } from '../helpers/requirements.js';
import { NAMESPACE_HOST_NEEDS, runInNamespaceHost, type HostRun } from './namespace-host.js';
import { scannedHost } from '../../src/result/host-result.js';
import { formatJson } from '../../src/report/json.js';
import { schemaErrors } from '../helpers/schema.js';

const missing = [
  ...(isRoot ? [] : ['root']),
  ...[...NAMESPACE_HOST_NEEDS, 'ssh', 'ssh-keygen', 'sudo'].filter((c) => !hasCommand(c)),
  ...(hasCommand('/usr/sbin/sshd') ? [] : ['/usr/sbin/sshd']),
];
const PORT = 2222;

describeIf(missing, 'the collection\'s own SSH session', () => {
  let dir: string;
  let host: HostRun;
  const views: HostView[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fleetstat-session-'));
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'host_key')]);
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'client_key')]);
    execFileSync('cp', [join(dir, 'client_key.pub'), join(dir, 'authorized_keys')]);
    const config = join(dir, 'sshd_config');
    writeFileSync(
      config,
      [
        `Port ${PORT}`, 'ListenAddress 127.0.0.1', `HostKey ${join(dir, 'host_key')}`, `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
        'PermitRootLogin prohibit-password', 'StrictModes no', 'PidFile none', 'UsePAM no', 'LogLevel QUIET', '',
      ].join('\n'),
    );
    host = runInNamespaceHost({
      sockets: [{ kind: 'tcp-listen', host: '127.0.0.1' }],
      sshd: { config, port: PORT, clientKey: join(dir, 'client_key') },
      collections: [{ ssh: { become: false } }, { ssh: { become: true } }],
    });
    for (const run of host.runs) {
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      views.push(buildHostView(run.capture, bundledServices()));
    }
  });
  afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

  const port = (s: Socket, side: 'local' | 'remote') => {
    const end = s[side];
    return end !== null && 'port' in end ? end.port : undefined;
  };

  test.each([0, 1])('run %i (1: sudo -n, which drops $SSH_CONNECTION): the session is the host\'s own report of it', (i) => {
    const session = views[i]!.facts!.session!;
    expect(session).toEqual({ client: { address: '127.0.0.1', port: expect.any(Number) }, server: { address: '127.0.0.1', port: PORT } });
  });

  test.each([0, 1])('run %i: sshd\'s end of the TCP connection is marked, and no other TCP socket', (i) => {
    const view = views[i]!;
    const client = view.facts!.session!.client.port;
    const marked = view.sockets.filter((s) => s.collector === true && s.proto.startsWith('tcp'));
    expect(marked).toEqual([expect.objectContaining({ proto: 'tcp', state: 'ESTABLISHED', local: { address: '127.0.0.1', port: PORT }, remote: { address: '127.0.0.1', port: client } })]);
    expect(marked[0]!.processes.map((p) => p.name)).toContain('sshd');
    // the listener, the client's own end and the test's listener are the host's
    const listener = view.sockets.find((s) => s.state === 'LISTEN' && port(s, 'local') === PORT);
    const clientEnd = view.sockets.find((s) => port(s, 'local') === client && port(s, 'remote') === PORT);
    const test = view.sockets.find((s) => s.inode === host.sockets[0]!.inode);
    for (const s of [listener, clientEnd, test]) expect(s).toMatchObject({ proto: 'tcp' });
    for (const s of [listener, clientEnd, test]) expect(s!.collector).toBeUndefined();
  });

  test.each([0, 1])('run %i: every marked socket is held by the session\'s processes only', (i) => {
    const view = views[i]!;
    const marked = view.sockets.filter((s) => s.collector === true);
    expect(marked.length).toBeGreaterThan(1); // sshd's own socketpairs too
    for (const s of marked) expect(s.processes.every((p) => ['sshd', 'sudo', 'sh'].includes(p.name))).toBe(true);
    // the driver's own sockets (the test listener above) are never the session's
    expect(view.sockets.filter((s) => s.collector && s.processes.some((p) => p.pid === host.driverPid))).toEqual([]);
  });

  test('the JSON, with the session and the marks, follows the scan@1 schema', () => {
    const hosts = views.map((view, i) => scannedHost({ name: `run${i}`, address: '127.0.0.1', groups: [], connection: 'ssh', become: i === 1 }, { port: PORT }, view));
    const doc = JSON.parse(formatJson({ schema: 'fleetstat/scan@1', startedAt: '2024-05-01T12:00:00.000Z', finishedAt: '2024-05-01T12:00:01.000Z', hosts }));
    expect(schemaErrors(doc)).toEqual([]);
    expect(doc.hosts[0].sockets.some((s: { collector?: boolean }) => s.collector === true)).toBe(true);
  });
});
