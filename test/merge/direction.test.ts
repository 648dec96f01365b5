import { directionOf, listeningPorts } from '../../src/merge/direction.js';
import type { InetSocketRow } from '../../src/model/index.js';

function row(proto: InetSocketRow['proto'], state: InetSocketRow['state'], localPort: number, netns = 'default'): InetSocketRow {
  return {
    proto, state, netns,
    local: { address: '10.0.0.1', port: localPort },
    remote: { address: state === 'LISTEN' || state === 'UNCONN' ? '0.0.0.0' : '10.0.0.2', port: state === 'LISTEN' ? 0 : 40000 },
    recvQ: 0, sendQ: 0, uid: 0, inode: 1, source: { file: '/proc/net/tcp', line: 2 },
  };
}

describe('directionOf', () => {
  const rows = [row('tcp6', 'LISTEN', 22), row('udp', 'UNCONN', 53), row('tcp', 'LISTEN', 8080, 'blue')];
  const listening = listeningPorts(rows);
  const ephemeral = { low: 32768, high: 60999 };

  test.each([
    ['a TCP listener', row('tcp', 'LISTEN', 22), 'listen'],
    ['an unconnected UDP socket', row('udp6', 'UNCONN', 5353), 'listen'],
    ['a v4 connection to a :: listener (one port space for tcp and tcp6)', row('tcp', 'ESTABLISHED', 22), 'inbound'],
    ['a connected UDP socket on a listening UDP port', row('udp', 'ESTABLISHED', 53), 'inbound'],
    ['a TCP connection on the UDP listener\'s port is not inbound', row('tcp', 'ESTABLISHED', 53), 'unknown'],
    ['an ephemeral local port', row('tcp', 'ESTABLISHED', 40001), 'outbound'],
    ['a port listened to only in another namespace', row('tcp', 'ESTABLISHED', 8080), 'unknown'],
    ['the same port inside that namespace', row('tcp', 'ESTABLISHED', 8080, 'blue'), 'inbound'],
    ['a TIME_WAIT on an ephemeral port', row('tcp', 'TIME_WAIT', 50000), 'outbound'],
    ['a raw socket that is connected', row('raw', 'ESTABLISHED', 1), 'unknown'],
  ] as const)('%s → %s', (_what, socket, expected) => {
    expect(directionOf(socket, listening, ephemeral)).toBe(expected);
  });

  test('without a known ephemeral range nothing is called outbound', () => {
    expect(directionOf(row('tcp', 'ESTABLISHED', 40001), listening, null)).toBe('unknown');
  });
});
