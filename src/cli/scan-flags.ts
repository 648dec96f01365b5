// The flags of `scan` that select and show sockets as netstat's do, the triage filters and --sort,
// and what they mean together. Values are checked here: a bad one is one usage line naming the flag.
import { Flags } from '@oclif/core';
import { bundledServices, type ServiceTable } from '../merge/services.js';
import type { AddressFamily, InetProtocol, SocketFilter } from '../result/filter.js';
import { compileGlob, GlobError, type Glob } from '../result/glob.js';
import type { PortRange, SocketSelection } from '../result/socket-match.js';
import { SORT_KEYS, type SortKey } from '../result/socket-order.js';
import { STATE_NAMES, statesNamed, type KernelState } from '../result/states.js';
import { usageFailure } from './usage.js';

// oclif types `char` as a letter; its parser takes any one character, and netstat's -4/-6 are digits.
const digit = (c: '4' | '6') => c as unknown as 'a';

export const netstatFlags = {
  listening: Flags.boolean({ char: 'l', description: 'only listening sockets (without --save, hosts then send only the LISTEN rows of their tcp tables)', default: false }),
  all: Flags.boolean({ char: 'a', description: 'all sockets, listening and not (the default)', default: false }),
  tcp: Flags.boolean({ char: 't', description: 'TCP sockets', default: false }),
  udp: Flags.boolean({ char: 'u', description: 'UDP sockets', default: false }),
  raw: Flags.boolean({ char: 'w', description: 'raw sockets', default: false }),
  unix: Flags.boolean({ char: 'x', description: 'unix domain sockets', default: false }),
  inet: Flags.boolean({ char: digit('4'), description: 'IPv4 sockets only (with -x: and unix sockets), as netstat -4', default: false }),
  inet6: Flags.boolean({ char: digit('6'), description: 'IPv6 sockets only (with -x: and unix sockets), as netstat -6', default: false }),
  program: Flags.boolean({ char: 'p', description: 'accepted for netstat habits: PID/Program name is always shown', default: false }),
  numeric: Flags.boolean({ char: 'n', description: 'accepted for netstat habits: addresses and ports are always numeric', default: false }),
  extend: Flags.boolean({ char: 'e', description: 'accepted for netstat habits: the User column is always shown', default: false }),
  wide: Flags.boolean({ char: 'W', description: 'never cut the table to the terminal\'s width (netstat -W)', default: false }),
  color: Flags.boolean({ allowNo: true, description: 'colour the table [default: on a terminal, unless NO_COLOR is set]' }),
};

// repeatable; non-greedy, so `--port 22 hosts.yml` leaves the inventory alone
const repeatable = (description: string, helpValue: string) => Flags.string({ multiple: true, multipleNonGreedy: true, description, helpValue });

export const selectionFlags = {
  port: repeatable('sockets whose local OR remote port is P (as ss sport/dport): a number, a range (8000-8999) or a service name (ssh, as ss :ssh); repeatable', 'P'),
  state: repeatable('sockets in state S: netstat\'s names (LISTEN, ESTABLISHED, TIME_WAIT…) or ss\'s (listening, time-wait, syn-sent…, and its groups connected, bucket…), any case; as ss, ESTABLISHED includes connected unix sockets and CLOSE is UNCONN; repeatable', 'S'),
  process: repeatable('sockets a process holds whose name (comm) or argv[0] basename matches GLOB (* ? [...], case-sensitive); repeatable', 'GLOB'),
  user: repeatable('sockets whose holding processes\' user (else the socket owner) matches GLOB; repeatable', 'GLOB'),
  netns: repeatable('sockets in a network namespace whose label matches GLOB (default, an ip netns name, net:[…]: write [ as \\[); repeatable', 'GLOB'),
  sort: Flags.option({ options: SORT_KEYS, description: 'order each host\'s sockets by: port (local port, then proto), process, user, state, local, remote, proto; ties keep the tables\' order [default: the tables\' order]' })(),
};

export interface SelectionFlagValues {
  port?: string[] | undefined;
  state?: string[] | undefined;
  process?: string[] | undefined;
  user?: string[] | undefined;
  netns?: string[] | undefined;
  sort?: SortKey | undefined;
}

export interface NetstatFlagValues {
  listening: boolean;
  all: boolean;
  tcp: boolean;
  udp: boolean;
  raw: boolean;
  unix: boolean;
  inet: boolean;
  inet6: boolean;
}

/** What the command line selects; a bad value throws the usage failure that names it. */
export function socketFilterFrom(flags: NetstatFlagValues & SelectionFlagValues, services: ServiceTable = bundledServices()): SocketFilter {
  return { ...netstatFilterFrom(flags), selection: selectionFrom(flags, services), ...(flags.sort !== undefined ? { sort: flags.sort } : {}) };
}

function netstatFilterFrom(flags: NetstatFlagValues): SocketFilter {
  const protocols: Array<InetProtocol | 'unix'> = [];
  if (flags.tcp) protocols.push('tcp');
  if (flags.udp) protocols.push('udp');
  if (flags.raw) protocols.push('raw');
  if (flags.unix) protocols.push('unix');
  const addressFamilies: AddressFamily[] = [];
  if (flags.inet) addressFamilies.push('inet');
  if (flags.inet6) addressFamilies.push('inet6');
  return { listeningOnly: flags.listening && !flags.all, protocols, addressFamilies };
}

const badValue = (flag: string, value: string, why: string) => usageFailure('scan', `--${flag} ${JSON.stringify(value)}: ${why}`);

function selectionFrom(flags: SelectionFlagValues, services: ServiceTable): SocketSelection {
  const globs = (flag: 'process' | 'user' | 'netns'): Glob[] =>
    (flags[flag] ?? []).map((value) => {
      try {
        return compileGlob(value);
      } catch (err) {
        if (err instanceof GlobError) throw usageFailure('scan', `--${flag} ${err.message}`);
        throw err;
      }
    });
  return {
    ports: (flags.port ?? []).map((value) => parsePort(value, services)),
    states: [...new Set((flags.state ?? []).flatMap(parseState))],
    processes: globs('process'),
    users: globs('user'),
    netns: globs('netns'),
  };
}

/** `22`, `8000-8999`, `ssh` (each with an optional leading `:`, as ss writes ports). */
export function parsePort(value: string, services: ServiceTable): PortRange {
  const text = value.startsWith(':') ? value.slice(1) : value;
  const number = (digits: string) => (/^[0-9]{1,5}$/.test(digits) && Number(digits) <= 65535 ? Number(digits) : null);
  const range = /^([0-9]+)-([0-9]+)$/.exec(text);
  if (range) {
    const from = number(range[1]!);
    const to = number(range[2]!);
    if (from === null || to === null) throw badValue('port', value, 'ports are 1 to 65535');
    if (from > to) throw badValue('port', value, `the range is reversed (did you mean ${to}-${from}?)`);
    return { from, to };
  }
  if (/^[0-9]+$/.test(text)) {
    const port = number(text);
    if (port === null || port === 0) throw badValue('port', value, 'ports are 1 to 65535');
    return { from: port, to: port };
  }
  const port = serviceNamed(services, text);
  if (port === null) throw badValue('port', value, 'not a port, a range (8000-8999) or a service name in the bundled services table (ssh, https…)');
  return { from: port, to: port };
}

const servicePorts = new WeakMap<ServiceTable, Map<string, number>>();
/** A service name's port, as ss resolves `:name` (getservbyname: tcp's, else udp's); names are case-sensitive there too. */
function serviceNamed(services: ServiceTable, name: string): number | null {
  let ports = servicePorts.get(services);
  if (ports === undefined) {
    ports = new Map();
    for (const table of [services.tcp, services.udp]) {
      for (const [port, service] of Object.entries(table)) if (!ports.has(service)) ports.set(service, Number(port));
    }
    servicePorts.set(services, ports);
  }
  return ports.get(name) ?? null;
}

function parseState(value: string): readonly KernelState[] {
  const states = statesNamed(value);
  if (states === null) throw badValue('state', value, `no such state; valid: ${STATE_NAMES.netstat.join(' ')} (netstat), ${STATE_NAMES.ss.join(' ')} (ss)`);
  return states;
}
