// The exe and cwd links and the fd numbers, collected for real on this machine under bash, dash and
// busybox sh (busybox applets only): a listener started from a copy of a binary in a temporary
// directory names that copy and that directory; once the copy is deleted, it says so; a process
// whose stdin is a connected TCP socket holds it by fd 0.
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import net from 'node:net';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HostView } from '../../src/merge/host-view.js';
import type { ProcessRef, Socket } from '../../src/model/index.js';
import { describeIf } from '../helpers/requirements.js';
import { startZoo, type Zoo } from '../helpers/socket-zoo.js';
import { busyboxAppletDir, collectWith, LOCAL_SHELLS_NEED, SYSTEM_PATH } from './local-collect.js';

const SHELLS = ['bash', 'dash', 'busybox'] as const;
type Shell = (typeof SHELLS)[number];

describeIf(LOCAL_SHELLS_NEED, 'exe, cwd and fds, collected for real', () => {
  let appletDir: string;
  let workDir: string;
  let copy: string;
  let zoo: Zoo;
  let client: net.Socket;
  let stdinChild: ChildProcess;
  const before: Partial<Record<Shell, HostView>> = {};
  const after: Partial<Record<Shell, HostView>> = {};

  const collectAll = (into: Partial<Record<Shell, HostView>>) => {
    for (const shell of SHELLS) {
      const [command, path] = shell === 'busybox' ? [[join(appletDir, 'sh')], appletDir] : [[shell], SYSTEM_PATH];
      const run = collectWith(command, path);
      expect(run.complete).toBe(true);
      into[shell] = run.view;
    }
  };

  beforeAll(async () => {
    appletDir = busyboxAppletDir();
    // realpath: the kernel names the directory by its real path
    workDir = realpathSync(mkdtempSync(join(tmpdir(), 'fleetstat-exe-')));
    copy = join(workDir, 'node-copy');
    copyFileSync(process.execPath, copy);
    zoo = await startZoo([{ kind: 'tcp-listen', host: '127.0.0.1' }], { node: copy, cwd: workDir });
    // a process whose stdin is a TCP connection to that listener (inetd's children, a bind shell's)
    client = net.connect(zoo.ports[0]!.listen!, '127.0.0.1');
    await once(client, 'connect');
    stdinChild = spawn('sleep', ['120'], { stdio: [client, 'ignore', 'ignore'] });
    await once(stdinChild, 'spawn');
    collectAll(before);
    rmSync(copy);
    collectAll(after);
  }, 60_000);

  afterAll(async () => {
    stdinChild?.kill('SIGKILL');
    client?.destroy();
    await zoo?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
    if (appletDir) rmSync(appletDir, { recursive: true, force: true });
  });

  const listenerOf = (view: HostView): Socket => {
    // the machine is busy (other namespaces, thousands of sockets, another's listener on the same port
    // of another address): ours is the one in our namespace, on our address and port, held by the zoo
    const found = view.sockets.filter(
      (s) =>
        s.proto === 'tcp' &&
        s.direction === 'listen' &&
        s.netns === 'default' &&
        s.local !== null &&
        'port' in s.local &&
        s.local.port === zoo.ports[0]!.listen &&
        s.local.address === '127.0.0.1' &&
        s.processes.some((p) => p.pid === zoo.pid),
    );
    expect(found).toHaveLength(1);
    return found[0]!;
  };
  const holder = (s: Socket, pid: number): ProcessRef => {
    const found = s.processes.filter((p) => p.pid === pid);
    expect(found).toHaveLength(1);
    return found[0]!;
  };

  test.each(SHELLS)('%s: the listener names the copy it runs from and the directory it runs in', (shell) => {
    const zooRef = holder(listenerOf(before[shell]!), zoo.pid);
    expect({ exe: zooRef.exe, exeDeleted: zooRef.exeDeleted, cwd: zooRef.cwd }).toEqual({ exe: copy, exeDeleted: undefined, cwd: workDir });
    expect('exeDeleted' in zooRef).toBe(false);
    expect(zooRef.fds).toHaveLength(1);
    expect(zooRef.fds![0]).toBeGreaterThan(2);
  });

  test.each(SHELLS)('%s: after the copy is deleted: the same path, and exeDeleted', (shell) => {
    const zooRef = holder(listenerOf(after[shell]!), zoo.pid);
    expect({ exe: zooRef.exe, exeDeleted: zooRef.exeDeleted, cwd: zooRef.cwd }).toEqual({ exe: copy, exeDeleted: true, cwd: workDir });
  });

  test.each(SHELLS)('%s: the process whose stdin is the connection holds it by fd 0 (and by no other fd)', (shell) => {
    // a local port alone is not ours: another process of a busy machine may use it towards another peer
    const connection = before[shell]!.sockets.filter(
      (s) =>
        s.proto === 'tcp' && s.state === 'ESTABLISHED' && s.netns === 'default' && s.local !== null && 'port' in s.local && s.local.port === client.localPort && s.remote?.port === zoo.ports[0]!.listen && s.remote?.address === '127.0.0.1',
    );
    expect(connection).toHaveLength(1);
    const sleeper = holder(connection[0]!, stdinChild.pid!);
    expect({ name: sleeper.name, fds: sleeper.fds, cwd: sleeper.cwd }).toEqual({ name: 'sleep', fds: [0], cwd: process.cwd() });
    expect(sleeper.exe).toBe(realpathSync(sleeper.exe!));
    // this test process holds the same socket by an fd of its own, above its stdio
    expect(holder(connection[0]!, process.pid).fds!.every((fd) => fd > 2)).toBe(true);
  });

  test.each(SHELLS)('%s: no parse issues', (shell) => {
    expect(before[shell]!.issues).toEqual([]);
    expect(after[shell]!.issues).toEqual([]);
  });
});
