// Attribution that tells the truth, collected for real in namespace hosts: fds that close while the
// script reads them are normal (never "unreadable"), processes that cannot be read are named, and a
// /proc that hides other users' processes (hidepid) is noticed.
import { buildHostView, type HostView } from '../../src/merge/host-view.js';
import { bundledServices } from '../../src/merge/services.js';
import { describeIf, hasCommand, isRoot } from '../helpers/requirements.js';
import { NAMESPACE_HOST_NEEDS, runInNamespaceHost, type HostRun } from './namespace-host.js';

const missing = [...(isRoot ? [] : ['root']), ...NAMESPACE_HOST_NEEDS.filter((c) => !hasCommand(c))];
const NOBODY = 65534;
const view = (host: HostRun, i = 0): HostView => {
  expect(host.runs[i]!.status).toBe(0);
  return buildHostView(host.runs[i]!.capture, bundledServices());
};

describeIf(missing, 'attribution', () => {
  test('fds and processes that vanish mid-scan (concurrent scans, socket churn) leave attribution full', () => {
    for (let round = 0; round < 3; round++) {
      const host = runInNamespaceHost({
        sockets: [{ kind: 'tcp-listen', host: '127.0.0.1' }],
        collections: [{}, {}, {}],
        concurrent: true,
        churn: true,
      });
      for (let i = 0; i < host.runs.length; i++) {
        const facts = view(host, i).facts!;
        expect({ round, run: i, attribution: facts.attribution, unreadable: facts.unreadableProcesses }).toEqual({ round, run: i, attribution: 'full', unreadable: [] });
      }
    }
  });

  test('as root, links that cannot be read even so: which process, its name, how many', () => {
    const host = runInNamespaceHost({
      sockets: [{ kind: 'tcp-listen', host: '127.0.0.1' }, { kind: 'udplite', host: '127.0.0.1' }],
      nonDumpable: true,
      collections: [{ dropPtrace: true }],
    });
    const v = view(host);
    expect(v.facts!.attribution).toBe('partial');
    expect(v.facts!.unreadableProcesses).toEqual([{ pid: host.driverPid, name: 'python3', count: expect.any(Number) }]);
    expect(v.facts!.unreadableProcesses![0]!.count).toBeGreaterThanOrEqual(host.sockets.length);
    expect(v.facts!.hiddenProcesses).toBeNull();
  });

  test('without root: the processes of other users, by pid and name (their fd directory is closed: no count)', () => {
    const host = runInNamespaceHost({ sockets: [{ kind: 'tcp-listen', host: '127.0.0.1' }], collections: [{ uid: NOBODY }] });
    const v = view(host);
    expect(v.facts!.attribution).toBe('partial');
    expect(v.facts!.unreadableProcesses).toContainEqual({ pid: host.driverPid, name: 'python3', count: null });
    const listener = v.sockets.find((s) => s.inode === host.sockets[0]!.inode);
    expect(listener).toMatchObject({ uid: 0, user: 'root', processes: [] });
  });

  test('without root on a hidepid=invisible /proc: hidden processes make attribution partial; the socket owner is still named', () => {
    const host = runInNamespaceHost({
      sockets: [{ kind: 'tcp-listen', host: '127.0.0.1' }],
      hidepid: 'invisible',
      collections: [{ uid: NOBODY }],
    });
    const v = view(host);
    expect(v.facts!.attribution).toBe('partial');
    expect(v.facts!.hiddenProcesses).toEqual({ reason: 'hidepid', detail: expect.stringContaining('hidepid=invisible') });
    const listener = v.sockets.find((s) => s.inode === host.sockets[0]!.inode);
    expect(listener).toMatchObject({ uid: 0, user: 'root', processes: [] });
  });

  test('without root on a hidepid=noaccess /proc: other users\' processes are listed but closed, their names too', () => {
    const host = runInNamespaceHost({ sockets: [{ kind: 'tcp-listen', host: '127.0.0.1' }], hidepid: 'noaccess', collections: [{ uid: NOBODY }] });
    const v = view(host);
    expect(v.facts!.attribution).toBe('partial');
    expect(v.facts!.hiddenProcesses).toBeNull();
    expect(v.facts!.unreadableProcesses).toContainEqual({ pid: host.driverPid, name: '', count: null });
  });

  test('as root on a hidepid=invisible /proc nothing is hidden', () => {
    const host = runInNamespaceHost({ sockets: [{ kind: 'tcp-listen', host: '127.0.0.1' }], hidepid: 'invisible', collections: [{}] });
    const v = view(host);
    expect(v.facts!.attribution).toBe('full');
    expect(v.facts!.hiddenProcesses).toBeNull();
    expect(v.sockets.find((s) => s.inode === host.sockets[0]!.inode)!.processes.map((p) => p.pid)).toEqual([host.driverPid]);
  });
});
