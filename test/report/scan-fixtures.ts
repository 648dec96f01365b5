// ScanResults built in code for the report tests: several hosts, every proto, a failed host,
// partial attribution, a container namespace and hostile remote strings.
import type { HostFacts, HostScan, ProcessRef, ScanResult, Socket } from '../../src/model/index.js';

export const FORMULA = "=cmd|' /C calc'!A0";
export const ESC_RED = '\x1b[31m';

export function proc(pid: number, name: string, user: string | null, uid: number | null, cmdline: string[] = [name]): ProcessRef {
  return { pid, name, uid, user, cmdline };
}

export function facts(overrides: Partial<HostFacts> = {}): HostFacts {
  return {
    hostname: 'web1.example',
    kernel: '6.1.0-18-amd64',
    bootId: '0b7d3f0e-2a51-4c8e-9a55-0f1c7a1b2c3d',
    byteOrder: 'little',
    ephemeralPorts: { low: 32768, high: 60999 },
    attribution: 'full',
    unreadableProcesses: [],
    hiddenProcesses: null,
    session: null,
    collectorUid: 0,
    netns: [{ label: 'default', inode: 4026531840, readerPid: null }],
    ...overrides,
  };
}

export function inet(overrides: Partial<Socket> & Pick<Socket, 'proto' | 'state'>): Socket {
  return {
    local: { address: '0.0.0.0', port: 0 },
    remote: { address: '0.0.0.0', port: 0 },
    recvQ: 0,
    sendQ: 0,
    uid: 0,
    user: null,
    inode: 1000,
    netns: 'default',
    processes: [],
    direction: 'listen',
    ...overrides,
  };
}

export function unix(path: string | null, overrides: Partial<Socket> = {}): Socket {
  return {
    proto: 'unix',
    state: 'LISTEN',
    local: { path },
    remote: null,
    type: 'stream',
    recvQ: 0,
    sendQ: 0,
    uid: null,
    user: null,
    inode: 2000,
    netns: 'default',
    processes: [],
    direction: 'listen',
    ...overrides,
  };
}

export const sshd = proc(812, 'sshd', 'root', 0, ['/usr/sbin/sshd', '-D']);

/** A healthy host: tcp, tcp6 with a prefork server, udp, an established connection, unix sockets. */
export function web1(): HostScan {
  return {
    name: 'web1',
    address: '10.0.0.5',
    port: 22,
    groups: ['web', 'prod'],
    status: 'ok',
    facts: facts(),
    sockets: [
      inet({ proto: 'tcp', state: 'LISTEN', local: { address: '0.0.0.0', port: 22 }, sendQ: 128, inode: 11, processes: [sshd], service: 'ssh' }),
      inet({
        proto: 'tcp6',
        state: 'LISTEN',
        local: { address: '::', port: 80 },
        remote: { address: '::', port: 0 },
        sendQ: 511,
        inode: 12,
        processes: [proc(1234, 'nginx', 'root', 0, ['nginx: master process /usr/sbin/nginx']), proc(1235, 'nginx', 'www-data', 33, ['nginx: worker process'])],
        service: 'http',
      }),
      inet({ proto: 'udp', state: 'UNCONN', local: { address: '127.0.0.53', port: 53 }, uid: 101, inode: 13, processes: [proc(501, 'systemd-resolve', 'systemd-resolve', 101)], service: 'domain' }),
      inet({
        proto: 'tcp',
        state: 'ESTABLISHED',
        local: { address: '10.0.0.5', port: 22 },
        remote: { address: '192.0.2.7', port: 51234 },
        inode: 14,
        processes: [proc(9001, 'sshd', 'root', 0, ['sshd: alice [priv]'])],
        direction: 'inbound',
        service: 'ssh',
      }),
      unix('/run/systemd/private', { inode: 15, processes: [proc(1, 'systemd', 'root', 0, ['/sbin/init'])] }),
      unix(null, { state: 'CONNECTED', type: 'dgram', inode: 16, direction: 'unknown' }),
    ],
    issues: [],
  };
}

/** Not root: partial attribution; a container netns; hostile process strings; one unreadable line. */
export function db1(): HostScan {
  return {
    name: 'db1',
    address: 'db1.internal',
    port: 2222,
    groups: ['db'],
    status: 'partial',
    facts: facts({
      hostname: 'db1',
      attribution: 'partial',
      collectorUid: 1000,
      netns: [
        { label: 'default', inode: 4026531840, readerPid: null },
        { label: 'ctr1', inode: 4026532300, readerPid: 4242 },
      ],
    }),
    sockets: [
      inet({
        proto: 'tcp6',
        state: 'LISTEN',
        local: { address: '::1', port: 5432 },
        remote: { address: '::', port: 0 },
        uid: 999,
        inode: 21,
        processes: [proc(700, '日本db', 'δ-user', 999, ['postgres', '-D', '/var/lib/postgresql'])],
        service: 'postgresql',
      }),
      inet({
        proto: 'tcp',
        state: 'LISTEN',
        local: { address: '0.0.0.0', port: 8080 },
        uid: 1000,
        inode: 22,
        netns: 'ctr1',
        processes: [proc(4243, `${ESC_RED}evil`, null, 1000, [FORMULA, '-x'])],
      }),
      inet({ proto: 'udp6', state: 'UNCONN', local: { address: '::', port: 5353 }, remote: { address: '::', port: 0 }, uid: 108, inode: 23 }),
      inet({ proto: 'raw', state: 'UNCONN', local: { address: '0.0.0.0', port: 1 }, inode: 24, direction: 'unknown' }),
      unix('/tmp/evil\nsock "quoted", here', { inode: 25, processes: [proc(4244, 'sh', 'mallory', 1001, ['sh', '-c', 'line1\nline2'])] }),
    ],
    issues: [{ kind: 'bad-address', file: '/proc/net/tcp6', line: 7, field: 'local_address', message: 'expected 32 hex digits' }],
  };
}

/** A host that could not be reached; its error message carries a terminal escape. */
export function gw1(): HostScan {
  return {
    name: 'gw1',
    address: '10.0.0.1',
    port: 22,
    groups: [],
    status: 'unreachable',
    error: { kind: 'unreachable', message: 'connect ECONNREFUSED 10.0.0.1:22\x1b[2J' },
    sockets: [],
    issues: [],
  };
}

export function scan(hosts: HostScan[]): ScanResult {
  return { schema: 'fleetstat/scan@1', startedAt: '2024-05-01T12:00:00.000Z', finishedAt: '2024-05-01T12:00:03.250Z', hosts };
}

export function fleet(): ScanResult {
  return scan([web1(), db1(), gw1()]);
}
