// --limit as Ansible reads it. The whole-inventory comparisons with Ansible's own answers are in
// against-ansible.test.ts (fixtures/inventory/*.ansible.json, ansible-core 2.14.18); these are the
// operators one by one on a small inventory, and the parts that need no Ansible to check.
import { InventoryError } from '../../src/inventory/parse.js';
import { selectHosts, selectHostsByPatterns, splitHostPattern } from '../../src/inventory/limit.js';
import type { HostSpec } from '../../src/model/index.js';

const spec = (name: string, groups: string[]): HostSpec => ({ name, address: name, groups, connection: 'ssh', become: false });
// in inventory order; `groups` as parseInventory gives them (group_names: parents included)
const fleet: HostSpec[] = [
  spec('bastion', ['ungrouped']),
  spec('web01.par.example.com', ['par', 'prod', 'web']),
  spec('web02.par.example.com', ['par', 'prod', 'web']),
  spec('web01.ams.example.com', ['ams', 'prod', 'web']),
  spec('db01.par.example.com', ['db', 'par', 'prod']),
  spec('db01.stg.example.com', ['db', 'staging']),
];
const names = (pattern: string) => {
  const { hosts, unmatched } = selectHosts(fleet, pattern);
  return { hosts: hosts.map((h) => h.name.replace('.example.com', '')), unmatched };
};

describe('selectHosts', () => {
  test.each([
    ['all', ['bastion', 'web01.par', 'web02.par', 'web01.ams', 'db01.par', 'db01.stg'], []],
    ['*', ['bastion', 'web01.par', 'web02.par', 'web01.ams', 'db01.par', 'db01.stg'], []],
    ['', ['bastion', 'web01.par', 'web02.par', 'web01.ams', 'db01.par', 'db01.stg'], []], // no limit
    ['web', ['web01.par', 'web02.par', 'web01.ams'], []],
    ['ungrouped', ['bastion'], []],
    ['bastion,db01.stg.example.com', ['bastion', 'db01.stg'], []],
    ['bastion:db', ['bastion', 'db01.par', 'db01.stg'], []],
    ['db,web', ['web01.par', 'web02.par', 'web01.ams', 'db01.par'].concat('db01.stg'), []], // inventory order, not pattern order
    ['web*', ['web01.par', 'web02.par', 'web01.ams'], []],
    ['*.par.example.com', ['web01.par', 'web02.par', 'db01.par'], []],
    ['web0[12].par.example.com', ['web01.par', 'web02.par'], []],
    ['db01.[!p]*', ['db01.stg'], []],
    ['~^web0\\d\\.ams', ['web01.ams'], []],
    ['~example', [], ['~example']], // re.match: anchored at the start (of host and group names)
    ['~par', ['web01.par', 'web02.par', 'db01.par'], []], // the group `par`, whose name starts so
    ['~.*par', ['web01.par', 'web02.par', 'db01.par'], []], // `par` the group matches too
    ['prod:&par', ['web01.par', 'web02.par', 'db01.par'], []],
    ['prod:!web', ['db01.par'], []],
    ['prod:&web:!ams', ['web01.par', 'web02.par'], []],
    ['!ams:&web:prod', ['web01.par', 'web02.par'], []], // order in the pattern does not matter
    ['!prod', ['bastion', 'db01.stg'], []], // only exclusions: from all
    ['&db', ['db01.par', 'db01.stg'], []], // only intersections: from all
    ['web[0]', ['web01.par'], []],
    ['web[-1]', ['web01.ams'], []],
    ['web[1:]', ['web02.par', 'web01.ams'], []],
    ['web[0:1]', ['web01.par', 'web02.par'], []],
    ['web[7]', [], ['web[7]']], // Ansible stops with "No hosts matched the subscripted pattern"
    ['nosuch', [], ['nosuch']],
    ['web,nosuch', ['web01.par', 'web02.par', 'web01.ams'], ['nosuch']],
    ['web:!typo:&tpyo', [], ['&tpyo', '!typo']], // each unmatched part, as written, in the order applied
  ])('%j', (pattern, hosts, unmatched) => {
    expect(names(pattern)).toEqual({ hosts, unmatched });
  });

  test('a host and a group of the same name: plain is the host, after & or ! the group', () => {
    const clash = [spec('db', ['web']), spec('db01', ['db']), spec('web01', ['web'])];
    expect(selectHosts(clash, 'db').hosts.map((h) => h.name)).toEqual(['db']);
    expect(selectHosts(clash, '!db').hosts.map((h) => h.name)).toEqual(['db', 'web01']);
    expect(selectHosts(clash, 'web:&db').hosts.map((h) => h.name)).toEqual([]);
  });

  test('a host with no groups at all still counts as ungrouped', () => {
    expect(selectHosts([spec('h', [])], 'ungrouped').hosts.map((h) => h.name)).toEqual(['h']);
  });

  test('returns the same HostSpec objects, not copies', () => {
    expect(selectHosts(fleet, 'bastion').hosts[0]).toBe(fleet[0]);
  });

  test('a regex that does not compile is an InventoryError of kind bad-limit, one line', () => {
    let caught: unknown;
    try {
      selectHosts(fleet, '~(web');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(InventoryError);
    expect((caught as InventoryError).kind).toBe('bad-limit');
    expect((caught as InventoryError).message).toMatch(/^--limit: invalid host pattern "~\(web"/);
  });

  test('Python regex spellings: (?i) and (?P<name>…)', () => {
    expect(names('~(?i)WEB01\\.PAR').hosts).toEqual(['web01.par']);
    expect(names('~(?P<role>web|db)01\\.stg').hosts).toEqual(['db01.stg']);
  });

  test('a group without hosts matches nothing, quietly (Ansible warns only when no group matched)', () => {
    expect(selectHostsByPatterns(fleet, ['empty', 'nosuch'], ['empty'])).toEqual({ hosts: [], unmatched: ['nosuch'] });
    expect(selectHostsByPatterns(fleet, ['empty[0]'], ['empty'])).toEqual({ hosts: [], unmatched: ['empty[0]'] });
  });

  test('selectHostsByPatterns takes patterns already split (the lines of a limit file)', () => {
    expect(selectHostsByPatterns(fleet, ['web', '', '!ams', '  ']).hosts.map((h) => h.name)).toEqual(['web01.par.example.com', 'web02.par.example.com']);
  });
});

describe('splitHostPattern (split_host_pattern)', () => {
  test.each([
    ['a,b , c', ['a', 'b', 'c']],
    ['web:&prod:!db', ['web', '&prod', '!db']],
    ['web[01:10]', ['web[01:10]']], // a range, not two patterns
    ['web[1:3]:db', ['web[1:3]', 'db']],
    ['db01:22', ['db01:22']], // host:port parses as one address
    ['2001:db8::1', ['2001:db8::1']],
    ['a:b,c', ['a:b', 'c']], // with a comma, colons are not separators
    ['~web.*:db', ['~web.*', 'db']],
    ['  ', []],
  ])('%j → %j', (pattern, parts) => {
    expect(splitHostPattern(pattern)).toEqual(parts);
  });
});
