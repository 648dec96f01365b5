// The values of scan's triage flags, read as the filter they mean; a bad one is a usage failure
// (exit 2) of one line naming the flag and the value.
import { CliFailure } from '../../src/cli/failure.js';
import { parsePort, socketFilterFrom } from '../../src/cli/scan-flags.js';
import { bundledServices, type ServiceTable } from '../../src/merge/services.js';
import { globMatches } from '../../src/result/glob.js';

const netstat = { listening: false, all: false, tcp: false, udp: false, raw: false, unix: false, inet: false, inet6: false };
const services = bundledServices();

function failure(run: () => unknown): CliFailure {
  try {
    run();
  } catch (err) {
    if (err instanceof CliFailure) return err;
    throw err;
  }
  throw new Error('no failure');
}

describe('--port values', () => {
  test.each([
    ['22', { from: 22, to: 22 }],
    [':22', { from: 22, to: 22 }],
    ['65535', { from: 65535, to: 65535 }],
    ['022', { from: 22, to: 22 }],
    ['8000-8999', { from: 8000, to: 8999 }],
    ['0-1023', { from: 0, to: 1023 }],
    ['443-443', { from: 443, to: 443 }],
    ['ssh', { from: 22, to: 22 }],
    [':https', { from: 443, to: 443 }],
    ['domain', { from: 53, to: 53 }],
  ])('%j', (value, range) => {
    expect(parsePort(value, services)).toEqual(range);
  });

  test('a name only the udp table has is its udp port; tcp\'s wins where both have it (as ss resolves :name)', () => {
    const table: ServiceTable = { tcp: { '7000': 'both', '7001': 'tcponly' }, udp: { '7000': 'both', '7002': 'udponly' } };
    expect(parsePort('udponly', table)).toEqual({ from: 7002, to: 7002 });
    expect(parsePort('tcponly', table)).toEqual({ from: 7001, to: 7001 });
    expect(parsePort('both', table)).toEqual({ from: 7000, to: 7000 });
  });

  test.each([
    ['0', /--port "0": ports are 1 to 65535/],
    ['65536', /--port "65536": ports are 1 to 65535/],
    ['99999999999999999999', /ports are 1 to 65535/],
    ['9000-8000', /--port "9000-8000": the range is reversed \(did you mean 8000-9000\?\)/],
    ['1-70000', /ports are 1 to 65535/],
    ['SSH', /--port "SSH": not a port, a range \(8000-8999\) or a service name/], // names are case-sensitive, as in /etc/services
    ['no-such-service', /not a port, a range/],
    ['', /--port "": not a port/],
    ['22,80', /--port "22,80": not a port/],
    ['-5', /not a port/],
  ])('%j is refused', (value, message) => {
    const err = failure(() => parsePort(value, services));
    expect(err.kind).toBe('usage');
    expect(err.exitCode).toBe(2);
    expect(err.message).toMatch(message);
    expect(err.message).toMatch(/^scan: /);
    expect(err.message).not.toContain('\n');
  });
});

describe('the filter the flags make', () => {
  test('no triage flag: an empty selection, no sort', () => {
    const filter = socketFilterFrom(netstat, services);
    expect(filter.selection).toEqual({ ports: [], states: [], processes: [], users: [], netns: [] });
    expect(filter.sort).toBeUndefined();
  });

  test('every flag given, repeated values kept, states folded into one set', () => {
    const filter = socketFilterFrom(
      { ...netstat, tcp: true, port: ['22', '8000-8999'], state: ['LISTEN', 'listening', 'time-wait'], process: ['nginx', 'php-fpm[0-9]'], user: ['www-*'], netns: ['default'], sort: 'port' },
      services,
    );
    expect(filter.protocols).toEqual(['tcp']);
    expect(filter.sort).toBe('port');
    const selection = filter.selection!;
    expect(selection.ports).toEqual([{ from: 22, to: 22 }, { from: 8000, to: 8999 }]);
    expect([...selection.states].sort()).toEqual(['LISTEN', 'TIME_WAIT']);
    expect(selection.processes.map((g) => g.source)).toEqual(['nginx', 'php-fpm[0-9]']);
    expect(globMatches(selection.processes[1]!, 'php-fpm8')).toBe(true);
    expect(selection.users.map((g) => g.source)).toEqual(['www-*']);
    expect(selection.netns.map((g) => g.source)).toEqual(['default']);
  });

  test.each<[string, Record<string, string[]>, RegExp]>([
    ['an unknown state, listing the valid ones', { state: ['LISTEN', 'lisen'] }, /^scan: --state "lisen": no such state; valid: ESTABLISHED .*LISTEN.* \(netstat\), .*time-wait.*listening.* \(ss\)/],
    ['a POSIX class in --process', { process: ['[[:digit:]]*'] }, /^scan: --process "\[\[:digit:\]\]\*": POSIX character classes/],
    ['a reversed range in --user', { user: ['[z-a]*'] }, /^scan: --user "\[z-a\]\*": the range z-a is reversed/],
    ['a reversed range in --netns', { netns: ['net:[9-0]'] }, /^scan: --netns "net:\[9-0\]": the range 9-0 is reversed/],
    ['a bad port among good ones', { port: ['22', 'sshh'] }, /^scan: --port "sshh"/],
  ])('%s: one usage line', (_what, flags, message) => {
    const err = failure(() => socketFilterFrom({ ...netstat, ...flags }, services));
    expect(err.exitCode).toBe(2);
    expect(err.message).toMatch(message);
    expect(err.message).toMatch(/\(see 'fleetstat scan --help'\)$/);
    expect(err.message).not.toContain('\n');
  });
});
