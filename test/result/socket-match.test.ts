// The triage filters, one criterion at a time and together: --port (local OR remote, as ss
// sport/dport), --state, --process (comm or argv[0] basename), --user (holders, else the owner),
// --netns; one flag's values OR'ed, different flags AND'ed, and AND'ed with netstat's flags.
import type { Socket } from '../../src/model/index.js';
import { filterHost, type SocketFilter } from '../../src/result/filter.js';
import { compileGlob } from '../../src/result/glob.js';
import { NO_SELECTION, selects, type SocketSelection } from '../../src/result/socket-match.js';
import { statesNamed } from '../../src/result/states.js';
import { inet, proc, unix, web1 } from '../report/scan-fixtures.js';

const nginxMaster = proc(900, 'nginx', 'root', 0, ['nginx: master process /usr/sbin/nginx']);
const nginxWorker = proc(901, 'nginx', 'www-data', 33, ['nginx: worker process']);
const renamed = proc(950, 'npm install /tm', 'deploy', 1001, ['/usr/lib/node_modules/npm/bin/npm-cli.js']);
const java = proc(1200, 'java', null, 1500, ['/usr/lib/jvm/java-17/bin/java', '-jar', 'app.jar']);

const zoo: Socket[] = [
  inet({ proto: 'tcp', state: 'LISTEN', local: { address: '0.0.0.0', port: 22 }, inode: 1, processes: [proc(812, 'sshd', 'root', 0, ['/usr/sbin/sshd', '-D'])], user: 'root' }),
  inet({ proto: 'tcp6', state: 'LISTEN', local: { address: '::', port: 80 }, inode: 2, processes: [nginxMaster, nginxWorker], user: 'root' }),
  inet({ proto: 'tcp', state: 'ESTABLISHED', local: { address: '10.0.0.5', port: 22 }, remote: { address: '10.0.0.9', port: 51000 }, inode: 3, direction: 'inbound', user: 'root' }),
  inet({ proto: 'tcp', state: 'ESTABLISHED', local: { address: '10.0.0.5', port: 41000 }, remote: { address: '10.0.0.7', port: 5432 }, inode: 4, direction: 'outbound', processes: [java], uid: 1500, user: null }),
  inet({ proto: 'tcp', state: 'TIME_WAIT', local: { address: '10.0.0.5', port: 8443 }, remote: { address: '10.0.0.8', port: 40000 }, inode: 5, direction: 'inbound', uid: 0, user: 'root' }),
  inet({ proto: 'udp', state: 'UNCONN', local: { address: '0.0.0.0', port: 8125 }, inode: 6, processes: [renamed], uid: 1001, user: 'deploy' }),
  inet({ proto: 'udp', state: 'ESTABLISHED', local: { address: '10.0.0.5', port: 33000 }, remote: { address: '10.0.0.2', port: 53 }, inode: 7, direction: 'outbound', uid: 101, user: 'systemd-resolve' }),
  inet({ proto: 'raw', state: 'UNCONN', local: { address: '0.0.0.0', port: 1 }, inode: 8, uid: 0, user: 'root' }),
  unix('/run/docker.sock', { inode: 9, processes: [proc(700, 'dockerd', 'root', 0, ['/usr/bin/dockerd'])] }),
  unix(null, { state: 'CONNECTED', inode: 10, direction: 'unknown', processes: [nginxWorker] }),
  unix('@abstract', { state: 'UNCONN', inode: 11, direction: 'unknown' }), // no holder, no owner
  inet({ proto: 'tcp', state: 'LISTEN', local: { address: '0.0.0.0', port: 2223 }, inode: 12, netns: 'net:[4026532522]', processes: [proc(3000, 'busybox', 'root', 0, ['busybox', 'nc', '-lk'])], user: 'root' }),
  inet({ proto: 'tcp', state: 'LISTEN', local: { address: '0.0.0.0', port: 9000 }, inode: 13, netns: 'blue', uid: 2000, user: null }),
];

const globs = (...patterns: string[]) => patterns.map(compileGlob);
const states = (...names: string[]) => names.flatMap((n) => statesNamed(n)!);

function kept(selection: Partial<SocketSelection>, netstat: Partial<SocketFilter> = {}): number[] {
  const filter: SocketFilter = { listeningOnly: false, protocols: [], addressFamilies: [], ...netstat, selection: { ...NO_SELECTION, ...selection } };
  return filterHost({ ...web1(), sockets: zoo }, filter).sockets.map((s) => s.inode);
}

describe('--port: the local or the remote port', () => {
  test.each<[string, Partial<SocketSelection>, number[]]>([
    ['22: the listener and the connection to it', { ports: [{ from: 22, to: 22 }] }, [1, 3]],
    ['5432: a connection out to it, by its remote port', { ports: [{ from: 5432, to: 5432 }] }, [4]],
    ['53: udp too', { ports: [{ from: 53, to: 53 }] }, [7]],
    ['8000-8999: a range, inclusive', { ports: [{ from: 8000, to: 8999 }] }, [5, 6]],
    ['8443-8443', { ports: [{ from: 8443, to: 8443 }] }, [5]],
    ['22 or 80: repeated values OR\'ed', { ports: [{ from: 22, to: 22 }, { from: 80, to: 80 }] }, [1, 2, 3]],
    ['1: raw sockets\' protocol number, as the table shows it', { ports: [{ from: 1, to: 1 }] }, [8]],
    ['0-21: a listener\'s remote `*` (port 0) is no port', { ports: [{ from: 0, to: 21 }] }, [8]],
  ])('%s', (_what, selection, inodes) => {
    expect(kept(selection)).toEqual(inodes);
  });

  test('unix sockets have no port: never kept by --port', () => {
    expect(kept({ ports: [{ from: 0, to: 65535 }] })).not.toEqual(expect.arrayContaining([9]));
    expect(kept({ ports: [{ from: 0, to: 65535 }] })).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 12, 13]);
  });
});

describe('--state: kernel states, as ss means them', () => {
  test.each<[string[], number[]]>([
    [['LISTEN'], [1, 2, 9, 12, 13]], // tcp and unix listeners; unconnected udp is not LISTEN
    [['listening'], [1, 2, 9, 12, 13]],
    [['established'], [3, 4, 7, 10]], // tcp, connected udp, connected unix (ss: ESTAB)
    [['time-wait'], [5]],
    [['UNCONN'], [6, 8, 11]],
    [['close'], [6, 8, 11]],
    [['TIME_WAIT', 'LISTEN'], [1, 2, 5, 9, 12, 13]],
    [['connected'], [3, 4, 5, 7, 10]],
    [['all'], zoo.map((s) => s.inode)],
  ])('%j', (names, inodes) => {
    expect(kept({ states: states(...names) })).toEqual(inodes);
  });
});

describe('--process: comm or argv[0] basename', () => {
  test.each<[string[], number[]]>([
    [['nginx'], [2, 10]],
    [['sshd'], [1]], // comm; argv[0] /usr/sbin/sshd's basename is sshd too
    [['npm-cli.js'], [6]], // argv[0] basename; comm is the renamed title
    [['npm install*'], [6]], // comm
    [['npm'], []], // neither: comm is `npm install /tm`, argv[0]'s basename npm-cli.js
    [['java'], [4]],
    [['d*'], [9]],
    [['[bs]*'], [1, 12]],
    [['NGINX'], []], // case-sensitive
    [['nginx', 'java'], [2, 4, 10]],
    [['*'], [1, 2, 4, 6, 9, 10, 12]], // * keeps a socket with any holder, never one with none
  ])('%j', (patterns, inodes) => {
    expect(kept({ processes: globs(...patterns) })).toEqual(inodes);
  });
  test('argv[0] is cut at its last / only: a title with spaces is the whole name', () => {
    expect(kept({ processes: globs('nginx: worker process') })).toEqual([2, 10]);
  });
});

describe('--user: the holders\' users, else the socket owner', () => {
  test.each<[string[], number[]]>([
    [['www-data'], [2, 10]], // a worker holds it; the master's root too
    [['root'], [1, 2, 3, 5, 8, 9, 12]], // 3, 5, 8: no holder, owned by root
    [['deploy'], [6]],
    [['1500'], [4]], // a holder with no passwd name: its uid
    [['2000'], [13]], // no holder, owner without a name: its uid
    [['systemd-*'], [7]],
    [['nobody'], []],
    [['*'], zoo.map((s) => s.inode).filter((i) => i !== 11)], // the unheld unix socket has no user at all
  ])('%j', (patterns, inodes) => {
    expect(kept({ users: globs(...patterns) })).toEqual(inodes);
  });
});

describe('--netns: the namespace label', () => {
  test.each<[string[], number[]]>([
    [['default'], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]],
    [['blue'], [13]],
    [['net:\\[*'], [12]],
    [['net:[[]4026532522]'], [12]],
    [['net:[4026532522]'], []], // unescaped: `[4026532522]` is one character of 4 0 2 6 5
    [['blue', 'net:*'], [12, 13]],
  ])('%j', (patterns, inodes) => {
    expect(kept({ netns: globs(...patterns) })).toEqual(inodes);
  });
});

describe('together: flags AND\'ed, with each other and with netstat\'s', () => {
  test.each<[string, Partial<SocketSelection>, Partial<SocketFilter>, number[]]>([
    ['--port 22 --state established', { ports: [{ from: 22, to: 22 }], states: states('established') }, {}, [3]],
    ['--process nginx --user www-data: both hold 2; 10 too', { processes: globs('nginx'), users: globs('www-data') }, {}, [2, 10]],
    ['--process nginx -x', { processes: globs('nginx') }, { protocols: ['unix'] }, [10]],
    ['--process nginx -t', { processes: globs('nginx') }, { protocols: ['tcp'] }, [2]],
    ['--state established -t', { states: states('established') }, { protocols: ['tcp'] }, [3, 4]],
    ['--state established -4', { states: states('established') }, { addressFamilies: ['inet'] }, [3, 4, 7]],
    ['-l --port 8000-8999: the TIME_WAIT one is no listener', { ports: [{ from: 8000, to: 8999 }] }, { listeningOnly: true }, [6]],
    ['--user root --netns default --state listen', { users: globs('root'), netns: globs('default'), states: states('listen') }, {}, [1, 2, 9]],
    ['--port 22 --process nginx: nothing has both', { ports: [{ from: 22, to: 22 }], processes: globs('nginx') }, {}, []],
  ])('%s', (_what, selection, netstat, inodes) => {
    expect(kept(selection, netstat)).toEqual(inodes);
  });

  test('no selection at all keeps every socket, in the tables\' order', () => {
    expect(kept({})).toEqual(zoo.map((s) => s.inode));
    expect(zoo.every((s) => selects(s, NO_SELECTION))).toBe(true);
  });

  test('a hostile 200k-character argv[0] against a backtracking-prone glob is matched, bounded', () => {
    const hostile = inet({ proto: 'tcp', state: 'LISTEN', inode: 99, processes: [proc(6666, 'x', 'root', 0, [`/tmp/${'a'.repeat(200_000)}`])] });
    const selection = { ...NO_SELECTION, processes: globs('*a*a*a*a*a*a*a*a*a*b') };
    expect(selects(hostile, selection)).toBe(false);
    expect(selects(hostile, { ...selection, processes: globs('*a*a*a*a*a*a*a*a*a') })).toBe(true);
  });
});
