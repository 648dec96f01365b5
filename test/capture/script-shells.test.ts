// The collection script under bash, dash, and busybox sh with a PATH of busybox applets only:
// all three must yield the same parsed host view. So must a host with the least the script can live
// with (busybox applets, no awk, a grep without -z), under dash and busybox sh: the fallbacks (sed for
// the owners' uids, a shell loop, one cmdline section per pid) read what the usual paths read.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readlinkSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HostView } from '../../src/merge/host-view.js';
import { describeIf } from '../helpers/requirements.js';
import { findCommand } from '../helpers/sshd-run.js';
import { startZoo, type Zoo } from '../helpers/socket-zoo.js';
import { busyboxAppletDir, collectWith, LOCAL_SHELLS_NEED, SYSTEM_PATH } from './local-collect.js';
import type { CollectionWanted } from '../../src/capture/script.js';

describeIf(LOCAL_SHELLS_NEED, 'the collection script under three shells', () => {
  let appletDir: string;
  let leastDir: string;
  let zoo: Zoo;
  const views: Record<string, HostView> = {};

  beforeAll(async () => {
    appletDir = busyboxAppletDir();
    // a file whose name, printed raw by `ls -l`, would forge a header line `/proc/4194999/fd/:`
    const forgedDir = join(appletDir, 'x\n/proc/4194999/fd');
    mkdirSync(forgedDir, { recursive: true });
    writeFileSync(join(forgedDir, ':'), '');
    const forged = { kind: 'open-file', path: join(forgedDir, ':') } as const;
    zoo = await startZoo([forged, { kind: 'tcp-listen', host: '127.0.0.1' }, { kind: 'udp-unconnected', host: '::1' }, { kind: 'tcp-pair' }, forged]);
    leastDir = busyboxAppletDir();
    const busybox = readlinkSync(join(leastDir, 'sh'));
    unlinkSync(join(leastDir, 'awk'));
    unlinkSync(join(leastDir, 'grep'));
    // a grep that knows no -z (as some hosts' do not): usage error, as grep gives one
    writeFileSync(join(leastDir, 'grep'), `#!${busybox} sh\nfor a; do case $a in -z|-[!-]*z*) exit 2 ;; esac; done\nexec ${busybox} grep "$@"\n`);
    chmodSync(join(leastDir, 'grep'), 0o755);
    // bash twice, first and last: what both bash runs saw was there all along, so the other shells
    // must see it too (the machine is not quiet: other namespaces and processes come and go)
    // bash first and last; between them every other run, the listeners-only ones (L=1: the tcp
    // tables' other rows stay on the host) too
    const none: CollectionWanted = {};
    const listening: CollectionWanted = { listeningTcpOnly: true };
    for (const [name, shell, path, wanted] of [
      ['bash', ['bash'], SYSTEM_PATH, none],
      ['dash', ['dash'], SYSTEM_PATH, none],
      ['busybox', [join(appletDir, 'sh')], appletDir, none],
      // by its path: the least PATH has no dash
      ['dashLeast', [findCommand('dash')!], leastDir, none],
      ['busyboxLeast', [join(leastDir, 'sh')], leastDir, none],
      ['bashListening', ['bash'], SYSTEM_PATH, listening],
      ['dashListening', ['dash'], SYSTEM_PATH, listening],
      ['busyboxListening', [join(appletDir, 'sh')], appletDir, listening],
      ['busyboxLeastListening', [join(leastDir, 'sh')], leastDir, listening],
      ['bashAgain', ['bash'], SYSTEM_PATH, none],
    ] as const) {
      const { view, complete } = collectWith([...shell], path, wanted);
      expect(complete).toBe(true);
      views[name] = view;
    }
  });

  afterAll(async () => {
    await zoo?.stop();
    if (appletDir) rmSync(appletDir, { recursive: true, force: true });
    if (leastDir) rmSync(leastDir, { recursive: true, force: true });
  });

  test('the least host really has no awk and no grep -z', () => {
    const probe = spawnSync(join(leastDir, 'sh'), ['-c', 'command -v awk; grep -z -q "" /proc/self/cmdline; echo $?'], { env: { PATH: leastDir } });
    expect(probe.stdout.toString()).toBe('2\n');
  });

  test('the busybox run really had busybox applets only', () => {
    const applets = ['ls', 'od', 'grep', 'id', 'cat', 'sed', 'sort', 'tr'];
    const which = spawnSync(join(appletDir, 'sh'), ['-c', `for a in ${applets.join(' ')}; do command -v $a; done`], { env: { PATH: appletDir } });
    expect(which.stdout.toString().trim().split('\n')).toEqual(applets.map((a) => join(appletDir, a)));
  });

  /** What both bash runs saw: stable while the three shells ran. */
  const stable = (pick: (view: HostView) => string[]): string[] => {
    const later = new Set(pick(views.bashAgain!));
    return pick(views.bash!).filter((x) => later.has(x));
  };

  const others = ['dash', 'busybox', 'dashLeast', 'busyboxLeast'];

  test.each(others)('%s: same facts as bash', (shell) => {
    // what holds still while other tests' namespaces and processes come and go between the runs;
    // attribution and unreadable processes may differ: a process can exit between a run's fd listing and its link reads
    const facts = (view: HostView) => ({ ...view.facts, netns: view.facts?.netns[0], attribution: undefined, unreadableProcesses: undefined });
    expect(facts(views[shell]!)).toEqual(facts(views.bash!));
    expect(views[shell]!.facts!.netns[0]).toEqual({ label: 'default', inode: expect.any(Number), readerPid: null });
    const namespaces = (view: HostView) => view.facts!.netns.map((n) => `${n.label} ${n.inode}`);
    expect(namespaces(views[shell]!)).toEqual(expect.arrayContaining(stable(namespaces)));
    expect(views.bash!.facts!.byteOrder).toBe('little');
    expect(views.bash!.facts!.ephemeralPorts).not.toBeNull();
  });

  test.each(others)('%s: same sockets of the test process as bash, with owners', (shell) => {
    const ofZoo = (view: HostView) =>
      view.sockets
        // inet only: node's own stdio pipes are unix socketpairs
        .filter((s) => s.proto !== 'unix' && s.proto !== 'other' && s.processes.some((p) => p.pid === zoo.pid))
        .map((s) => JSON.stringify(s))
        .sort();
    expect(ofZoo(views.bash!)).toHaveLength(5);
    expect(ofZoo(views[shell]!)).toEqual(ofZoo(views.bash!));
  });

  test.each(['bash', ...others])('%s: a file name with a newline cannot forge an fd header', (shell) => {
    const pids = views[shell]!.sockets.flatMap((s) => s.processes.map((p) => p.pid));
    expect(pids).not.toContain(4194999);
    expect(views[shell]!.issues).toEqual([]);
  });

  test.each(['bashListening', 'dashListening', 'busyboxListening', 'busyboxLeastListening'])(
    '%s (listening TCP only): every listener bash saw all along, owned as bash saw it, no other TCP row, no issue',
    (shell) => {
      const listeners = (view: HostView) =>
        view.sockets
          .filter((s) => s.direction === 'listen' && (s.proto === 'tcp' || s.proto === 'tcp6'))
          .map((s) => JSON.stringify([s.proto, s.local, s.inode]))
          .sort();
      const common = stable(listeners);
      expect(common.length).toBeGreaterThan(0);
      expect(listeners(views[shell]!)).toEqual(expect.arrayContaining(common));
      expect(views[shell]!.sockets.filter((s) => (s.proto === 'tcp' || s.proto === 'tcp6') && s.state !== 'LISTEN')).toEqual([]);
      const zooListener = (view: HostView) => view.sockets.filter((s) => s.state === 'LISTEN' && s.processes.some((p) => p.pid === zoo.pid)).map((s) => JSON.stringify(s));
      expect(zooListener(views[shell]!)).toEqual(zooListener(views.bash!));
      expect(views[shell]!.issues).toEqual([]);
    },
  );

  test.each(others)('%s: every listener bash saw all along, and the same parse issues', (shell) => {
    // by what the tables say (proto, endpoint, inode): who holds another test's listener, and what its
    // namespace is called, can change while those tests start and stop (the test process's own
    // sockets are compared whole above)
    const listeners = (view: HostView) =>
      view.sockets
        .filter((s) => s.direction === 'listen')
        .map((s) => JSON.stringify([s.proto, s.local, s.inode]))
        .sort();
    const common = stable(listeners);
    expect(common.length).toBeGreaterThan(0);
    expect(listeners(views[shell]!)).toEqual(expect.arrayContaining(common));
    expect(views[shell]!.issues).toEqual(views.bash!.issues);
  });
});
