// --shard K/N and auto, the slice each shard takes, and the digest shards of one selection share.
import { InventoryError } from '../../src/inventory/errors.js';
import { inventoryDigest, parseShard, shardHosts } from '../../src/inventory/shard.js';
import type { HostSpec } from '../../src/model/index.js';

const host = (name: string, extra: Partial<HostSpec> = {}): HostSpec => ({ name, address: '127.0.0.1', groups: [], connection: 'ssh', become: false, ...extra });
// inventory order is not name order
const inventory = ['web03', 'db01', 'web01', 'Zed', 'web10', 'web2', 'app'].map((n) => host(n));

describe('shardHosts', () => {
  test('sorted by name (code point), dealt round-robin, given back in inventory order with their indexes', () => {
    // by name: Zed app db01 web01 web03 web10 web2 → shard 1 takes ranks 0,3,6; 2: 1,4; 3: 2,5
    expect(shardHosts(inventory, { index: 1, total: 3 }).map((h) => [h.index, h.spec.name])).toEqual([[2, 'web01'], [3, 'Zed'], [5, 'web2']]);
    expect(shardHosts(inventory, { index: 2, total: 3 }).map((h) => [h.index, h.spec.name])).toEqual([[0, 'web03'], [6, 'app']]);
    expect(shardHosts(inventory, { index: 3, total: 3 }).map((h) => [h.index, h.spec.name])).toEqual([[1, 'db01'], [4, 'web10']]);
  });

  test('every host in exactly one shard, for every total; no shard is empty while another has two more', () => {
    for (let total = 1; total <= 9; total++) {
      const slices = Array.from({ length: total }, (_, k) => shardHosts(inventory, { index: k + 1, total }));
      expect(slices.flat().map((h) => h.index).sort((a, b) => a - b)).toEqual(inventory.map((_, i) => i));
      const sizes = slices.map((s) => s.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });

  test('the slice does not depend on the inventory order (shards reading one inventory agree whatever loads it)', () => {
    const reversed = [...inventory].reverse();
    const names = (hosts: HostSpec[]) => shardHosts(hosts, { index: 2, total: 3 }).map((h) => h.spec.name).sort();
    expect(names(reversed)).toEqual(names(inventory));
  });

  test('no shard: the whole selection, indexed', () => {
    expect(shardHosts(inventory, null).map((h) => h.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });
});

describe('parseShard', () => {
  test('K/N, 1-based', () => {
    expect(parseShard(undefined, {})).toBeNull();
    expect(parseShard('1/1', {})).toEqual({ index: 1, total: 1 });
    expect(parseShard('3/5', {})).toEqual({ index: 3, total: 5 });
  });

  const refused = (value: string, env: Record<string, string> = {}) => {
    try {
      parseShard(value, env);
    } catch (err) {
      expect(err).toBeInstanceOf(InventoryError);
      expect(err).toMatchObject({ kind: 'bad-shard', file: '--shard', line: 0 });
      expect((err as Error).message).not.toMatch(/\n/);
      return (err as Error).message;
    }
    throw new Error(`${value} was accepted`);
  };

  test.each([
    ['0/3', /^--shard: "0\/3": shard 0 of 3 does not exist \(shards are 1 to 3\)$/],
    ['4/3', /shard 4 of 3 does not exist/],
    ['1/0', /the number of shards must be at least 1/],
    ['3', /"3" is not K\/N \(e\.g\. 2\/5, 1-based\) or auto/],
    ['-1/3', /is not K\/N/],
    [' 1/3', /is not K\/N/],
    ['1/3/5', /is not K\/N/],
    ['1/99999999999999999999', /N 99999999999999999999 is too large/],
  ])('%s is refused', (value, message) => {
    expect(refused(value)).toMatch(message);
  });

  test('auto: a Kubernetes Indexed Job (JOB_COMPLETION_INDEX is 0-based) with FLEETSTAT_SHARD_TOTAL', () => {
    expect(parseShard('auto', { JOB_COMPLETION_INDEX: '0', FLEETSTAT_SHARD_TOTAL: '4' })).toEqual({ index: 1, total: 4 });
    expect(parseShard('auto', { JOB_COMPLETION_INDEX: '3', FLEETSTAT_SHARD_TOTAL: '4' })).toEqual({ index: 4, total: 4 });
    expect(refused('auto', { JOB_COMPLETION_INDEX: '4', FLEETSTAT_SHARD_TOTAL: '4' })).toMatch(/JOB_COMPLETION_INDEX=4 \(0-based\) with FLEETSTAT_SHARD_TOTAL=4: shard 5 of 4 does not exist/);
    expect(refused('auto', { JOB_COMPLETION_INDEX: '1' })).toMatch(/JOB_COMPLETION_INDEX is set but FLEETSTAT_SHARD_TOTAL is not/);
    expect(refused('auto', { JOB_COMPLETION_INDEX: 'x', FLEETSTAT_SHARD_TOTAL: '4' })).toMatch(/JOB_COMPLETION_INDEX="x" is not a whole number/);
  });

  test('auto: GitLab parallel (CI_NODE_INDEX is 1-based, CI_NODE_TOTAL); a job without parallel: is 1/1', () => {
    expect(parseShard('auto', { CI_NODE_INDEX: '2', CI_NODE_TOTAL: '3' })).toEqual({ index: 2, total: 3 });
    expect(parseShard('auto', { CI_NODE_TOTAL: '1' })).toEqual({ index: 1, total: 1 });
    expect(refused('auto', { CI_NODE_INDEX: '0', CI_NODE_TOTAL: '3' })).toMatch(/shard 0 of 3 does not exist/);
    expect(refused('auto', { CI_NODE_INDEX: '1' })).toMatch(/CI_NODE_INDEX is set but CI_NODE_TOTAL is not/);
    expect(refused('auto', { CI_NODE_TOTAL: '3' })).toMatch(/no job index in the environment/);
  });

  test('auto: nothing to go by, or two runners at once', () => {
    expect(refused('auto', {})).toMatch(/^--shard: auto: no job index in the environment \(JOB_COMPLETION_INDEX with FLEETSTAT_SHARD_TOTAL, or CI_NODE_INDEX with CI_NODE_TOTAL\)$/);
    expect(refused('auto', { JOB_COMPLETION_INDEX: '0', FLEETSTAT_SHARD_TOTAL: '2', CI_NODE_INDEX: '1', CI_NODE_TOTAL: '2' })).toMatch(/both JOB_COMPLETION_INDEX .* and CI_NODE_INDEX .* are set/);
  });
});

describe('inventoryDigest', () => {
  const digest = inventoryDigest(inventory);
  test('sha256 hex, the same for the same selection', () => {
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(inventoryDigest(inventory.map((h) => ({ ...h })))).toBe(digest);
  });

  test('changes with the order (indexes point into it) and with how any host is reached', () => {
    expect(inventoryDigest([...inventory].reverse())).not.toBe(digest);
    expect(inventoryDigest(inventory.slice(1))).not.toBe(digest);
    const changed = (extra: Partial<HostSpec>) => inventoryDigest([host('web03', extra), ...inventory.slice(1)]);
    for (const extra of [{ address: '127.0.0.2' }, { port: 2222 }, { user: 'ops' }, { become: true }, { groups: ['web'] }, { connection: 'local' as const }, { notContactedBecause: 'x' }]) {
      expect(changed(extra)).not.toBe(digest);
    }
    const args = (words: string[], source: string) => ({ sshArguments: { before: [], after: [{ source, words }] } });
    expect(changed(args(['-o', 'Port=2'], 'a.yml:1:1'))).not.toBe(changed(args(['-o', 'Port=3'], 'a.yml:1:1')));
  });

  test('not where things were written: two checkouts of one inventory agree', () => {
    const args = (source: string) => ({ sshArguments: { before: [], after: [{ source, words: ['-o', 'Port=2'] }] } });
    const inCheckout = (dir: string) => inventoryDigest([host('a', { ...args(`${dir}/hosts.yml:3:5: ansible_ssh_extra_args`), notContactedBecause: `${dir}/hosts.yml:4:1: docker` })]);
    expect(inCheckout('/builds/a')).toBe(inCheckout('/srv/b'));
  });
});
