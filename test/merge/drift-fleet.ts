// Fleets built in code for the drift tests: hosts with listeners given as `port/name/user@address`,
// in the groups given; pids and inodes chosen by the caller, so a restart can be one.
import type { HostScan, Socket } from '../../src/model/index.js';
import { facts, inet, proc } from '../report/scan-fixtures.js';

export interface Listen {
  port: number;
  name: string;
  user: string;
  address?: string;
  proto?: 'tcp' | 'udp' | 'tcp6';
  pid?: number;
}

export function listen(l: Listen, inode = l.port): Socket {
  const proto = l.proto ?? 'tcp';
  const address = l.address ?? (proto === 'tcp6' ? '::' : '0.0.0.0');
  return inet({ proto, state: proto === 'udp' ? 'UNCONN' : 'LISTEN', local: { address, port: l.port }, inode, processes: [proc(l.pid ?? l.port, l.name, l.user, 0)] });
}

export function host(name: string, groups: string[], listeners: Listen[], status: HostScan['status'] = 'ok'): HostScan {
  const scanned = status === 'ok' || status === 'partial';
  return {
    name,
    address: `10.0.0.${name.length}`,
    port: 22,
    groups,
    status,
    ...(scanned ? { facts: facts({ hostname: name }) } : { error: { kind: status, message: 'connect ECONNREFUSED' } }),
    sockets: scanned ? listeners.map((l) => listen(l)) : [],
    issues: [],
  };
}

export const SSHD: Listen = { port: 22, name: 'sshd', user: 'root' };
export const NGINX: Listen = { port: 80, name: 'nginx', user: 'www-data' };
export const POSTGRES: Listen = { port: 5432, name: 'postgres', user: 'postgres', address: '127.0.0.1' };
export const REDIS: Listen = { port: 6379, name: 'redis-server', user: 'redis', address: '127.0.0.1' };
export const NODE_DEBUG: Listen = { port: 9229, name: 'node', user: 'app' };
export const EXPORTER: Listen = { port: 9100, name: 'node_exporter', user: 'prometheus' };

/** Three groups of four, one odd host each: web3 has a debug port, db2 binds postgres to every address, cache4 lacks redis. */
export function oddFleet(): HostScan[] {
  return [
    host('web1', ['web'], [SSHD, NGINX]),
    host('web2', ['web'], [SSHD, NGINX]),
    host('web3', ['web'], [SSHD, NGINX, NODE_DEBUG]),
    host('web4', ['web'], [SSHD, NGINX]),
    host('db1', ['db'], [SSHD, POSTGRES]),
    host('db2', ['db'], [SSHD, { ...POSTGRES, address: '0.0.0.0' }]),
    host('db3', ['db'], [SSHD, POSTGRES]),
    host('db4', ['db'], [SSHD, POSTGRES]),
    host('cache1', ['cache'], [SSHD, REDIS]),
    host('cache2', ['cache'], [SSHD, REDIS]),
    host('cache3', ['cache'], [SSHD, REDIS]),
    host('cache4', ['cache'], [SSHD]),
  ];
}
