// Socket states for --state: netstat's names (what the State column shows) and ss's spellings, both
// read case-insensitively, as ss reads them. A name stands for a kernel socket state, as ss's state
// filter means it, so one name means one thing for every protocol: ESTABLISHED also keeps connected
// unix sockets (netstat shows them CONNECTED, ss ESTAB), and CLOSE is UNCONN (TCP_CLOSE: ss shows
// both as UNCONN). ss's groups (connected, synchronized, bucket, big, all) are accepted too.

/** The state a socket is in, as the kernel numbers them (ss's SS_*), plus the two /proc cannot say. */
export type KernelState =
  | 'ESTABLISHED' | 'SYN_SENT' | 'SYN_RECV' | 'FIN_WAIT1' | 'FIN_WAIT2' | 'TIME_WAIT' | 'CLOSE'
  | 'CLOSE_WAIT' | 'LAST_ACK' | 'LISTEN' | 'CLOSING'
  /** a unix socket's SS_DISCONNECTING (/proc/net/unix shows the socket's state, not its sock's) */
  | 'DISCONNECTING'
  /** a socket no table describes (proto `other`) */
  | 'UNKNOWN';

const TCP_STATES: readonly KernelState[] = [
  'ESTABLISHED', 'SYN_SENT', 'SYN_RECV', 'FIN_WAIT1', 'FIN_WAIT2', 'TIME_WAIT', 'CLOSE', 'CLOSE_WAIT', 'LAST_ACK', 'LISTEN', 'CLOSING',
];
const ALL: readonly KernelState[] = [...TCP_STATES, 'DISCONNECTING', 'UNKNOWN'];
const except = (...left: KernelState[]) => ALL.filter((s) => !left.includes(s));

/** What a socket's shown state (Socket.state) is in the kernel's terms. */
export function kernelStateOf(shown: string): KernelState {
  switch (shown) {
    case 'UNCONN':
      return 'CLOSE'; // udp/raw/icmp/packet st 07, unix SS_UNCONNECTED
    case 'CONNECTED':
      return 'ESTABLISHED'; // unix SS_CONNECTED
    case 'CONNECTING':
      return 'SYN_SENT'; // unix SS_CONNECTING: ss shows SYN-SENT
    case 'NEW_SYN_RECV':
      return 'SYN_RECV'; // a request socket; /proc prints 03 for it anyway
    default:
      return (ALL as readonly string[]).includes(shown) ? (shown as KernelState) : 'UNKNOWN';
  }
}

/** netstat's spellings (the State column's): lower-cased here, matched case-insensitively. */
const NETSTAT_NAMES: ReadonlyArray<readonly [string, readonly KernelState[]]> = [
  ...TCP_STATES.map((s) => [s, [s]] as const),
  ['NEW_SYN_RECV', ['SYN_RECV']],
  ['UNCONN', ['CLOSE']],
  ['CONNECTING', ['SYN_SENT']],
  ['DISCONNECTING', ['DISCONNECTING']],
  ['UNKNOWN', ['UNKNOWN']],
];

/** ss's spellings (iproute2 6.1 `ss state NAME`), with its groups; `connected` is ss's group, which includes netstat's unix CONNECTED. */
const SS_NAMES: ReadonlyArray<readonly [string, readonly KernelState[]]> = [
  ['established', ['ESTABLISHED']],
  ['syn-sent', ['SYN_SENT']],
  ['syn-recv', ['SYN_RECV']],
  ['syn-rcv', ['SYN_RECV']],
  ['fin-wait-1', ['FIN_WAIT1']],
  ['fin-wait-2', ['FIN_WAIT2']],
  ['time-wait', ['TIME_WAIT']],
  ['closed', ['CLOSE']],
  ['close-wait', ['CLOSE_WAIT']],
  ['last-ack', ['LAST_ACK']],
  ['listening', ['LISTEN']],
  ['closing', ['CLOSING']],
  ['unconnected', ['CLOSE']],
  ['connected', except('LISTEN', 'CLOSE', 'UNKNOWN')],
  ['synchronized', except('LISTEN', 'CLOSE', 'SYN_SENT', 'UNKNOWN')],
  ['bucket', ['SYN_RECV', 'TIME_WAIT']],
  ['big', except('SYN_RECV', 'TIME_WAIT')],
  ['all', ALL],
];

const BY_NAME = new Map<string, readonly KernelState[]>();
for (const [name, states] of [...NETSTAT_NAMES, ...SS_NAMES]) {
  const key = name.toLowerCase();
  if (!BY_NAME.has(key)) BY_NAME.set(key, states);
}

/** The states a --state value names, or null when it names none. */
export function statesNamed(name: string): readonly KernelState[] | null {
  return BY_NAME.get(name.toLowerCase()) ?? null;
}

/** Every name --state takes, netstat's then ss's (for the error that lists them). */
export const STATE_NAMES: { netstat: readonly string[]; ss: readonly string[] } = {
  netstat: NETSTAT_NAMES.map(([n]) => n),
  ss: SS_NAMES.map(([n]) => n).filter((n) => !NETSTAT_NAMES.some(([m]) => m.toLowerCase() === n)),
};
