// Well-known port names (data/services.json, from IANA via Debian's netbase).
import { readFileSync } from 'node:fs';
import type { Proto } from '../model/index.js';

export interface ServiceTable {
  tcp: Record<string, string>;
  udp: Record<string, string>;
}

let bundled: ServiceTable | undefined;
/** The table shipped in the package, read once. */
export function bundledServices(): ServiceTable {
  bundled ??= JSON.parse(readFileSync(new URL('../../data/services.json', import.meta.url), 'utf8')) as ServiceTable;
  return bundled;
}

/** The service name of a port, for tcp/tcp6 and udp/udp6 only (raw "ports" are protocol numbers). */
export function serviceName(table: ServiceTable, proto: Proto, port: number): string | undefined {
  if (port === 0) return undefined;
  if (proto === 'tcp' || proto === 'tcp6') return table.tcp[String(port)];
  if (proto === 'udp' || proto === 'udp6') return table.udp[String(port)];
  return undefined;
}
