// Which sockets are the collection's own session, from sockets built in code.
import { markCollectorSockets } from '../../src/merge/collector.js';
import type { CollectorSession, ProcessRef, Socket } from '../../src/model/index.js';

const proc = (pid: number, name: string): ProcessRef => ({ pid, name, uid: 0, user: 'root', cmdline: [name] });
function tcp(local: [string, number], remote: [string, number], holders: ProcessRef[], proto: 'tcp' | 'tcp6' = 'tcp'): Socket {
  return {
    proto, state: 'ESTABLISHED', local: { address: local[0], port: local[1] }, remote: { address: remote[0], port: remote[1] },
    recvQ: 0, sendQ: 0, uid: 0, inode: local[1], netns: 'default', processes: holders, direction: 'inbound',
  };
}
function unix(inode: number, holders: ProcessRef[]): Socket {
  return { proto: 'unix', state: 'CONNECTED', local: { path: null }, remote: null, type: 'stream', recvQ: 0, sendQ: 0, uid: null, inode, netns: 'default', processes: holders, direction: 'unknown' };
}
const marked = (sockets: Socket[]) => sockets.filter((s) => s.collector).map((s) => s.inode);

// pids: 1 init, 500 sshd listener, 600 sshd session, 700 sudo, 800 the collection (sh)
const [init, listener, session, sudo, sh] = [proc(1, 'systemd'), proc(500, 'sshd'), proc(600, 'sshd'), proc(700, 'sudo'), proc(800, 'sh')];
const ancestry = new Map([[800, 700], [700, 600], [600, 500], [500, 1], [1, 0]]);
const ssh: CollectorSession = { client: { address: '192.0.2.10', port: 50022 }, server: { address: '192.0.2.1', port: 22 } };

describe('markCollectorSockets', () => {
  function host(): Socket[] {
    return [
      tcp(['0.0.0.0', 22], ['0.0.0.0', 0], [listener]), // 22: the listener
      tcp(['192.0.2.1', 22], ['192.0.2.10', 50022], [session]), // 22 too: the session's connection (inode 22 is only a label here)
      tcp(['192.0.2.1', 22], ['192.0.2.10', 50023], [proc(601, 'sshd')]), // another user's session
      unix(1000, [session]), // sshd's socketpair to its monitor
      unix(1001, [sudo]), // sudo's own
      unix(1002, [sh]), // the collection's stdio
      unix(1003, [session, init]), // shared with init: the host's
      unix(1004, [init]),
      unix(1005, [listener]),
    ].map((s, i) => ({ ...s, inode: 100 + i }));
  }

  test('over ssh and sudo: the connection $SSH_CONNECTION names, and what only sshd, sudo and the collection hold', () => {
    const sockets = host();
    markCollectorSockets(sockets, { collectorPid: 800, ancestry, session: ssh });
    expect(marked(sockets)).toEqual([101, 103, 104, 105]);
  });

  test('a v4 client of a `::` listener: tcp6 with ::ffff: addresses', () => {
    const sockets = [tcp(['::ffff:192.0.2.1', 22], ['::ffff:192.0.2.10', 50022], [session], 'tcp6')];
    markCollectorSockets(sockets, { collectorPid: 800, ancestry, session: ssh });
    expect(marked(sockets)).toEqual([22]);
  });

  test('the connection not seen (sshd in another pid namespace): only the collection\'s own', () => {
    const sockets = host().filter((s) => s.inode !== 101);
    markCollectorSockets(sockets, { collectorPid: 800, ancestry, session: ssh });
    expect(marked(sockets)).toEqual([105]);
  });

  test('no ssh (a local run): the collection and its parent, the process that ran it', () => {
    const sockets = host();
    markCollectorSockets(sockets, { collectorPid: 800, ancestry, session: null });
    expect(marked(sockets)).toEqual([104, 105]);
  });

  test('without its own pid nothing can be told', () => {
    const sockets = host();
    markCollectorSockets(sockets, { collectorPid: null, ancestry, session: ssh });
    expect(marked(sockets)).toEqual([]);
  });

  test('an ancestry loop (hostile host) ends', () => {
    const sockets = host();
    markCollectorSockets(sockets, { collectorPid: 800, ancestry: new Map([[800, 700], [700, 800]]), session: ssh });
    expect(marked(sockets)).toEqual([101, 103, 105]);
  });
});
