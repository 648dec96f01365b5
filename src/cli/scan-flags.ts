// The flags of `scan` that select and show sockets as netstat's do, and what they mean together.
import { Flags } from '@oclif/core';
import type { AddressFamily, InetProtocol, SocketFilter } from '../result/filter.js';

// oclif types `char` as a letter; its parser takes any one character, and netstat's -4/-6 are digits.
const digit = (c: '4' | '6') => c as unknown as 'a';

export const netstatFlags = {
  listening: Flags.boolean({ char: 'l', description: 'only listening sockets', default: false }),
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

export function socketFilterFrom(flags: NetstatFlagValues): SocketFilter {
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
