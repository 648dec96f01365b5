// The fleet bench's union of harness fleets (bench/fleet-union.ts): how hosts split over fleets, and
// that every client reads the same hosts from its own file: OpenSSH (`ssh -G -F`) from the ssh_config,
// fleetstat from the inventory, OpenSSH's known_hosts lookup (`ssh-keygen -F`) from the known_hosts.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fleetSizes, unionHosts, unionInventory, unionKnownHosts, unionNames, unionSshConfig } from '../../bench/fleet-union.js';
import { loadInventory } from '../../src/inventory/load.js';
import { hasCommand } from '../helpers/requirements.js';
import { scratch } from '../helpers/run-cli.js';

const { dir } = scratch('fleet-union');

test('fleetSizes: as few fleets of at most 15 as fit, sizes within one of each other', () => {
  expect(fleetSizes(1)).toEqual([1]);
  expect(fleetSizes(15)).toEqual([15]);
  expect(fleetSizes(16)).toEqual([8, 8]);
  expect(fleetSizes(20)).toEqual([10, 10]);
  expect(fleetSizes(100)).toEqual([15, 15, 14, 14, 14, 14, 14]);
  expect(fleetSizes(7, 3)).toEqual([3, 2, 2]);
  expect(() => fleetSizes(0)).toThrow('host count must be a positive integer, not 0');
  expect(() => fleetSizes(2.5)).toThrow('host count must be a positive integer, not 2.5');
});

test('unionNames: zero-padded, so that they sort and fold as one nodeset', () => {
  expect(unionNames(3)).toEqual(['h001', 'h002', 'h003']);
  expect(unionNames(1000).slice(-2)).toEqual(['h0999', 'h1000']);
});

// two fleets as the harness returns them (only what the union reads), on the same addresses, other ports
const fleet = (port: number, key: string, hostKeyBlob: string, hosts: number) => ({
  port,
  hosts: Array.from({ length: hosts }, (_, i) => ({ address: `127.0.77.${i + 1}` })),
  keys: { ed25519: { path: key } },
  hostKeys: [{ publicKey: `ssh-ed25519 ${hostKeyBlob} fleetstat-fleet-host-ed25519\n` }, { publicKey: `ssh-rsa ${hostKeyBlob}RSA` }],
});
const hosts = unionHosts([fleet(2201, '/k/one', 'AAAAone', 2), fleet(2202, '/k/two', 'AAAAtwo', 1)] as never);

test('unionHosts: one name per host across fleets, each with its fleet\'s port, key and host keys', () => {
  expect(hosts).toEqual([
    { name: 'h001', address: '127.0.77.1', port: 2201, user: 'root', identityFile: '/k/one', hostKeys: [{ type: 'ssh-ed25519', blob: 'AAAAone' }, { type: 'ssh-rsa', blob: 'AAAAoneRSA' }] },
    { name: 'h002', address: '127.0.77.2', port: 2201, user: 'root', identityFile: '/k/one', hostKeys: [{ type: 'ssh-ed25519', blob: 'AAAAone' }, { type: 'ssh-rsa', blob: 'AAAAoneRSA' }] },
    { name: 'h003', address: '127.0.77.1', port: 2202, user: 'root', identityFile: '/k/two', hostKeys: [{ type: 'ssh-ed25519', blob: 'AAAAtwo' }, { type: 'ssh-rsa', blob: 'AAAAtwoRSA' }] },
  ]);
});

test('unionKnownHosts: `[address]:port type blob`, per host and key', () => {
  expect(unionKnownHosts(hosts.slice(2))).toBe('[127.0.77.1]:2202 ssh-ed25519 AAAAtwo\n[127.0.77.1]:2202 ssh-rsa AAAAtwoRSA\n');
});

test('unionInventory: fleetstat reads each host\'s address, port, user and key', () => {
  const path = join(dir, 'inventory.yml');
  writeFileSync(path, unionInventory(hosts));
  const read = loadInventory(path).hosts.map((h) => [h.name, h.address, h.port, h.user, h.identityFile, h.groups]);
  expect(read).toEqual([
    ['h001', '127.0.77.1', 2201, 'root', '/k/one', ['fleet']],
    ['h002', '127.0.77.2', 2201, 'root', '/k/one', ['fleet']],
    ['h003', '127.0.77.1', 2202, 'root', '/k/two', ['fleet']],
  ]);
});

(hasCommand('ssh') ? test : test.skip)('unionSshConfig: OpenSSH resolves each name to its host, port, key and the union\'s known_hosts', () => {
  const config = join(dir, 'ssh_config');
  writeFileSync(config, unionSshConfig(hosts, '/k/known_hosts'));
  const resolved = (name: string) => {
    const run = spawnSync('ssh', ['-G', '-F', config, name], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    const wanted = ['hostname', 'port', 'user', 'identityfile', 'userknownhostsfile', 'stricthostkeychecking', 'batchmode', 'identitiesonly'];
    return Object.fromEntries(run.stdout.split('\n').map((line) => line.split(' ')).filter(([key]) => wanted.includes(key!)).map(([key, ...value]) => [key, value.join(' ')]));
  };
  expect(resolved('h003')).toEqual({
    hostname: '127.0.77.1', port: '2202', user: 'root', identityfile: '/k/two', userknownhostsfile: '/k/known_hosts',
    stricthostkeychecking: 'true', batchmode: 'yes', identitiesonly: 'yes',
  });
  expect(resolved('h002')).toMatchObject({ hostname: '127.0.77.2', port: '2201', identityfile: '/k/one' });
});

(hasCommand('ssh-keygen') ? test : test.skip)('unionKnownHosts: OpenSSH finds a host by address and port, and only its own fleet\'s keys', () => {
  const path = join(dir, 'known_hosts');
  writeFileSync(path, unionKnownHosts(hosts));
  const found = (host: string) => spawnSync('ssh-keygen', ['-F', host, '-f', path], { encoding: 'utf8' }).stdout.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
  expect(found('[127.0.77.1]:2202')).toEqual(['[127.0.77.1]:2202 ssh-ed25519 AAAAtwo', '[127.0.77.1]:2202 ssh-rsa AAAAtwoRSA']);
  expect(found('[127.0.77.2]:2202')).toEqual([]);
});
