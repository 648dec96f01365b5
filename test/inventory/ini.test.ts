// Ansible's INI inventory. Each expectation below was checked by feeding the same text to
// ansible-core 2.14.18 (fixtures/inventory/tools/ansible-truth.py); a comment marks where
// fleetstat differs on purpose.
import { parseInventory, parseInventoryGraph } from '../../src/inventory/parse.js';
import { hostVars } from '../../src/inventory/vars.js';

const varsOf = (text: string, host: string): Record<string, unknown> => {
  const graph = parseInventoryGraph(text, 'hosts.ini');
  return Object.fromEntries([...hostVars(graph, graph.hosts.get(host)!)].map(([k, v]) => [k, v.value]));
};
const groupsOf = (text: string): Array<[string, string[]]> => parseInventory(text, 'hosts.ini').map((h) => [h.name, h.groups]);

describe('INI inventory', () => {
  test.each([
    // a `#` ends the line even in the middle of a word (shlex, comments=True): role and tier are never read
    ['a # inside a word starts a comment', 'h1 note=b#c role="a b" tier=x\n', 'h1', { note: 'b' }],
    ['quotes group words and vanish; a backslash escapes', `h1 role="a b" tier=x\\ y site='q "r"'\n`, 'h1', { role: 'a b', tier: 'x y', site: 'q "r"' }],
    ['values are Python literals: numbers, booleans; the rest stays text', 'h1 ansible_port=2222 ansible_become=True note=yes site=10.0.0.1\n', 'h1',
      { ansible_port: 2222, ansible_become: true, note: 'yes', site: '10.0.0.1' }],
    ['[g:vars]: everything after the first =, trimmed, then literal_eval (a comment only after a literal)',
      '[web:vars]\nnote = "a b" # c\nrole=foo # c\ntier=\nsite=[1, 2]\n[web]\nw1\n', 'w1', { note: 'a b', role: 'foo # c', tier: '', site: [1, 2] }],
    ['a :port in the pattern counts only where the host first appears', '[a]\nh1:2201\n[b]\nh1:2202 note=x\n', 'h1', { ansible_port: 2201, note: 'x' }],
    ['[all:vars] under group vars under host vars', '[all:vars]\nnote=all\nrole=all\n[g:vars]\nrole=g\n[g]\nh1 tier=host\n', 'h1', { note: 'all', role: 'g', tier: 'host' }],
  ])('%s', (_what, text, host, expected) => {
    expect(varsOf(text, host)).toEqual(expected);
  });

  test('hosts before any section are ungrouped, unless a group lists them too', () => {
    expect(groupsOf('lone\nboth\n[g]\nboth\n')).toEqual([['lone', ['ungrouped']], ['both', ['g']]]);
  });

  test('[g:children] may name a group declared further down; group_names includes every ancestor', () => {
    expect(groupsOf('[prod:children]\nweb\n[web:children]\nedge\n[edge]\ne1\n[web]\nw1\n')).toEqual([
      ['w1', ['prod', 'web']],
      ['e1', ['edge', 'prod', 'web']],
    ]);
  });

  test('a section name may be followed by a comment; `;` lines are comments', () => {
    expect(groupsOf('; fleet\n[web]   # the front\nw1\n')).toEqual([['w1', ['web']]]);
  });

  test('CRLF line ends read like LF', () => {
    expect(parseInventory('[web]\r\nw1 ansible_port=2200\r\n', 'hosts.ini')).toEqual([
      { name: 'w1', address: 'w1', port: 2200, groups: ['web'], connection: 'ssh', become: false },
    ]);
  });
});
