// /proc/net/unix prints socket names raw: a newline in a name starts a line of the attacker's choosing.
// Real sockets bound to such names (abstract and file system), each followed by a forged
// `LISTEN /run/docker.sock` row claiming a different kind of inode, collected for real.
import { mkdtempSync, rmSync } from 'node:fs';
import { unbatchSections } from '../../src/capture/unbatch.js';
import { buildHostView, type HostView } from '../../src/merge/host-view.js';
import { bundledServices } from '../../src/merge/services.js';
import { describeIf, hasCommand, isRoot } from '../helpers/requirements.js';
import { NAMESPACE_HOST_NEEDS, runInNamespaceHost, type HostRun, type HostSocket } from './namespace-host.js';

const missing = [...(isRoot ? [] : ['root']), ...NAMESPACE_HOST_NEEDS.filter((c) => !hasCommand(c))];

describeIf(missing, 'forged /proc/net/unix lines', () => {
  let dir: string;
  let host: HostRun;
  let view: HostView;
  let sockets: HostSocket[];
  const FORGERS = [2, 3, 4, 5, 6, 7];

  beforeAll(() => {
    dir = mkdtempSync('/tmp/fsf-');
    sockets = [
      { kind: 'unix-listen', path: `${dir}/victim.sock` },
      { kind: 'tcp-listen', host: '127.0.0.1' },
      { kind: 'unix-forge', name: '@made-up\n{row}', inode: 'made-up' }, // no fd holds it
      { kind: 'unix-forge', name: '@own\n{row}', inode: 'own' }, // shares the forger's own inode
      { kind: 'unix-forge', name: '@victim\n{row}', inode: { of: 0 } }, // shares a real listener's inode
      { kind: 'unix-forge', name: '@tcp\n{row}', inode: { of: 1 } }, // the inode of a tcp socket
      { kind: 'unix-forge', name: '@zero\n{row}', inode: 'zero' }, // a listener with inode 0
      { kind: 'unix-forge', name: `${dir}/f\n{row}`, inode: 'made-up' }, // a file system name
    ];
    host = runInNamespaceHost({ sockets, collections: [{}] });
    expect(host.runs[0]!.status).toBe(0);
    view = buildHostView(host.runs[0]!.capture, bundledServices());
  });
  afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

  test('no forged row becomes a socket', () => {
    expect(view.sockets.filter((s) => s.local !== null && 'path' in s.local && s.local.path === '/run/docker.sock')).toEqual([]);
  });

  test('each forged line is a forged-line issue naming its line in /proc/net/unix', () => {
    const unixText = unbatchSections(host.runs[0]!.capture.sections, true).sections.find((s) => s.name === 'net.unix')!.text.split('\n');
    const forged = view.issues.filter((i) => i.kind === 'forged-line');
    expect(forged).toHaveLength(FORGERS.length);
    for (const i of FORGERS) {
      const line = unixText.indexOf(host.sockets[i]!.forged!) + 1;
      expect(line).toBeGreaterThan(1);
      expect(forged).toContainEqual(expect.objectContaining({ kind: 'forged-line', file: '/proc/net/unix', line, field: 'Path' }));
    }
    expect(view.issues.filter((i) => i.kind !== 'forged-line')).toEqual([]);
  });

  test('each forging socket is there under its whole name, newline included, with its process', () => {
    for (const i of FORGERS) {
      const spec = sockets[i] as Extract<HostSocket, { kind: 'unix-forge' }>;
      const name = spec.name.replace('{row}', host.sockets[i]!.forged!);
      const socket = view.sockets.find((s) => s.inode === host.sockets[i]!.inode);
      expect(socket).toMatchObject({ proto: 'unix', state: 'LISTEN', local: { path: name } });
      expect(socket!.processes.map((p) => p.pid)).toEqual([host.driverPid]);
    }
  });

  test('the real sockets whose inodes were claimed keep their own rows', () => {
    const victim = view.sockets.filter((s) => s.inode === host.sockets[0]!.inode);
    expect(victim).toEqual([expect.objectContaining({ proto: 'unix', local: { path: `${dir}/victim.sock` } })]);
    expect(view.sockets.filter((s) => s.inode === host.sockets[1]!.inode).map((s) => s.proto)).toEqual(['tcp']);
  });
});
