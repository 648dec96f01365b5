// FleetTransports: hosts refused before any connection when ssh_config asks for what cannot be done
// as ssh would do it. Each host here points at a loopback listener that counts connections.
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { configFromText } from '../../src/openssh/config/index.js';
import { FleetTransports } from '../../src/transport/index.js';
import { TransportError, type NotContacted, type Transport } from '../../src/transport/transport.js';
import type { HostSpec } from '../../src/model/index.js';

let server: Server;
let port: number;
let connections = 0;
beforeAll(async () => {
  server = createServer((s) => {
    connections++;
    s.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function transportFor(config: string): Transport | NotContacted {
  const fleet = new FleetTransports({
    sshConfig: configFromText(config, 'cfg'),
    localUser: 'me',
    homeDir: '/nonexistent-home',
    passphrase: async () => ({ none: 'none here' }),
    warn: () => {},
  });
  const spec: HostSpec = { name: 'h', address: '127.0.0.1', port, groups: [], connection: 'ssh', become: false };
  return fleet.transportFor(spec);
}

test('algorithms the SSH library does not implement at all: not contacted, status config, naming the keyword', () => {
  const before = connections;
  expect(transportFor('MACs umac-64@openssh.com\n')).toEqual({
    notContacted: true, kind: 'config', port, message: expect.stringMatching(/^not contacted: MACs allows only umac-64@openssh.com, none of which/),
  });
  expect(transportFor('KexAlgorithms sntrup761x25519-sha512@openssh.com\n')).toMatchObject({ notContacted: true, message: expect.stringContaining('KexAlgorithms') });
  expect(connections).toBe(before);
});

test.each([
  ['KnownHostsCommand /bin/true\n', /KnownHostsCommand/],
  ['RevokedHostKeys /nonexistent/revoked\n', /RevokedHostKeys \/nonexistent\/revoked: cannot read: no such file/],
])('%j: status hostkey, and no connection', async (config, message) => {
  const before = connections;
  const transport = transportFor(config) as Transport;
  const run = transport.exec('true', Buffer.alloc(0), { deadlineMs: 2000, maxBytes: 1024 });
  await expect(run).rejects.toThrow(TransportError);
  await expect(run).rejects.toMatchObject({ kind: 'hostkey', message: expect.stringMatching(message) });
  expect(connections).toBe(before);
});
