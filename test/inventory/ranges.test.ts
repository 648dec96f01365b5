// Host patterns and ranges. The expansions and the errors below are what Ansible's own
// BaseInventoryPlugin._expand_hostpattern gave (ansible-core 2.14.18), except where a comment says
// fleetstat is stricter.
import { expandHostPattern, MAX_HOSTS_PER_PATTERN, parseAddress, RangeProblem } from '../../src/inventory/ranges.js';

function problemOf(pattern: string): RangeProblem {
  try {
    expandHostPattern(pattern);
  } catch (err) {
    if (err instanceof RangeProblem) return err;
    throw err;
  }
  throw new Error(`no error for ${pattern}`);
}

describe('expandHostPattern', () => {
  test.each([
    ['web[01:03].example.com', ['web01.example.com', 'web02.example.com', 'web03.example.com'], null],
    ['web[1:3]', ['web1', 'web2', 'web3'], null],
    ['web[08:11]', ['web08', 'web09', 'web10', 'web11'], null],
    ['db-[a:c]', ['db-a', 'db-b', 'db-c'], null],
    ['h[x:B]', ['hx', 'hy', 'hz', 'hA', 'hB'], null], // Python's ascii_letters order: a–z, then A–Z
    ['n[1:10:3]', ['n1', 'n4', 'n7', 'n10'], null],
    ['n[01:10:4]', ['n01', 'n05', 'n09'], null],
    ['h[a:e:2]', ['ha', 'hc', 'he'], null],
    ['rack[1:2]-node[a:b]', ['rack1-nodea', 'rack1-nodeb', 'rack2-nodea', 'rack2-nodeb'], null],
    ['web[:2]', ['web0', 'web1', 'web2'], null],
    ['db[1:03]', ['db1', 'db2', 'db3'], null], // no padding: only a zero-led begin asks for it
    ['web[01:03]:2222', ['web01', 'web02', 'web03'], 2222],
    ['10.0.0.[1:3]', ['10.0.0.1', '10.0.0.2', '10.0.0.3'], null],
    ['[::1]:2222', ['::1'], 2222],
    ['::1', ['::1'], null],
    ['web01:22', ['web01'], 22],
    ['my_host-:22', ['my_host-:22'], null], // not a valid host name, so Ansible keeps the colon in the name
  ])('%s', (pattern, names, port) => {
    expect(expandHostPattern(pattern)).toEqual({ names, port });
  });

  test.each([
    // Ansible expands web[5:1] to no host at all, silently; fleetstat says so
    ['web[5:1]', 'bad-range', 3, /begin is greater than the end/],
    ['web[01:3a]', 'bad-range', 3, /both be numbers or both single letters/],
    ['web[1:3:0]', 'bad-range', 3, /step must be a whole number of at least 1/],
    ['web[01:100]', 'bad-range', 3, /same width/],
    ['web[1]', 'bad-range', 3, /\[begin:end\] or \[begin:end:step\]/],
    ['web[1:]', 'bad-range', 3, /end is missing/],
    ['web[1:2:3:4]', 'bad-range', 3, /\[begin:end\] or \[begin:end:step\]/],
    ['web[1:2', 'bad-range', 3, /"\[" without "\]"/],
    ['web]1:2[', 'bad-range', 3, /"\]" without "\["/],
    ['db01.x[1:2]y[c:a]', 'bad-range', 12, /begin comes after the end/],
    ['web[1:200000]', 'too-many-hosts', 3, /more than 100000 hosts/],
    ['r[1:1000]n[1:1000]', 'too-many-hosts', 10, /more than 100000 hosts/], // the product counts
  ])('%s is an error (%s at offset %d)', (pattern, kind, offset, message) => {
    const problem = problemOf(pattern);
    expect([problem.kind, problem.offset]).toEqual([kind, offset]);
    expect(problem.message).toMatch(message);
  });

  test('exactly the cap is allowed', () => {
    expect(expandHostPattern(`h[1:${MAX_HOSTS_PER_PATTERN}]`).names).toHaveLength(MAX_HOSTS_PER_PATTERN);
  });
});

describe('parseAddress', () => {
  test.each([
    ['web01', { host: 'web01', port: null }],
    ['web01:2222', { host: 'web01', port: 2222 }],
    ['192.0.2.1:22', { host: '192.0.2.1', port: 22 }],
    ['[2001:db8::1]:22', { host: '2001:db8::1', port: 22 }],
    ['2001:db8::1', { host: '2001:db8::1', port: null }],
    ['web[01:10]', { host: 'web[01:10]', port: null }],
    ['web*', null],
    ['web:db', null],
    ['web-', null],
  ])('%s', (text, expected) => {
    expect(parseAddress(text)).toEqual(expected);
  });
});
