// The command line as a new user meets it: a typo is one line and a pointer to --help, --json
// always gets a JSON answer with the documented exit status, netstat's flags work.
import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { schemaErrors } from '../helpers/schema.js';
import { join } from 'node:path';
import { fleetstat, localInventory, scratch, stderrLines, type CliRun } from '../helpers/run-cli.js';

/** The one JSON document on stdout (throws if there is anything else). */
function jsonOut(run: CliRun): any {
  return JSON.parse(run.stdout);
}

describe('a bad command line: one line on stderr, exit 2, a pointer to --help', () => {
  test.each([
    ['an unknown flag', ['scan', localInventory, '--bogus'], "fleetstat: scan: unknown flag --bogus (see 'fleetstat scan --help')"],
    ['an unknown short flag in a bundle', ['scan', localInventory, '-tulz'], "fleetstat: scan: unknown flag -z (see 'fleetstat scan --help')"],
    ['an extra argument', ['scan', localInventory, 'extra'], 'fleetstat: scan: unexpected argument "extra" (see \'fleetstat scan --help\')'],
    ['no inventory', ['scan'], "fleetstat: scan: missing the INVENTORY argument (see 'fleetstat scan --help')"],
    ['a value not offered', ['scan', localInventory, '--format', 'xml'], "fleetstat: scan: expected --format=xml to be one of: table, json, ndjson, csv (see 'fleetstat scan --help')"],
    ['a flag without its value', ['scan', localInventory, '--limit'], "fleetstat: scan: flag --limit expects a value (see 'fleetstat scan --help')"],
    ['flags that exclude each other', ['scan', localInventory, '--insecure-no-host-key-check', '--strict-host-keys', 'yes'], "fleetstat: scan: --strict-host-keys=yes cannot also be provided when using --insecure-no-host-key-check (see 'fleetstat scan --help')"],
    ['a timeout a timer cannot hold', ['scan', localInventory, '--command-timeout', '2147484'], "fleetstat: scan: --command-timeout: expected an integer less than or equal to 2147483 but received: 2147484 (see 'fleetstat scan --help')"],
    ['a connect timeout a timer cannot hold', ['scan', localInventory, '--connect-timeout', '99999999'], "fleetstat: scan: --connect-timeout: expected an integer less than or equal to 2147483 but received: 99999999 (see 'fleetstat scan --help')"],
    ['a typo of a command', ['scann', localInventory], 'fleetstat: unknown command "scann"; did you mean scan? (see \'fleetstat --help\')'],
    ['a command that does not exist', ['frobnicate'], 'fleetstat: unknown command "frobnicate"; commands: check, diff, drift, help, inventory, merge, scan (see \'fleetstat --help\')'],
    ['help for a command that does not exist', ['help', 'frobnicate'], 'fleetstat: unknown command "frobnicate"; commands: check, diff, drift, help, inventory, merge, scan (see \'fleetstat --help\')'],
    ['inventory: an unknown flag', ['inventory', localInventory, '-z'], "fleetstat: inventory: unknown flag -z (see 'fleetstat inventory --help')"],
    ['merge: an unknown flag', ['merge', 'a.snap.gz', '-o', 'all.snap.gz', '-z'], "fleetstat: merge: unknown flag -z (see 'fleetstat merge --help')"],
    ['merge: no snapshot', ['merge', '-o', 'all.snap.gz'], "fleetstat: merge: missing the SNAPSHOT argument (see 'fleetstat merge --help')"],
    ['merge: no -o', ['merge', 'a.snap.gz'], "fleetstat: merge: missing required flag output (see 'fleetstat merge --help')"],
  ])('%s', (_what, args, line) => {
    const run = fleetstat(args);
    expect([run.status, stderrLines(run), run.stdout]).toEqual([2, [line], '']);
  });

  test.each([
    ['an unknown flag', ['scan', localInventory, '--bogus', '--json'], 'usage', 'scan'],
    ['an unknown command', ['scann', '--json'], 'usage', undefined],
    ['a timeout a timer cannot hold', ['scan', localInventory, '--json', '--command-timeout', '9999999'], 'usage', 'scan'],
    ['inventory: no inventory', ['inventory', '--json'], 'usage', 'inventory'],
  ])('with --json, %s: the error document (and only it) on stdout, exit 2', (_what, args, kind, command) => {
    const run = fleetstat(args);
    expect(run.status).toBe(2);
    const doc = jsonOut(run);
    expect(schemaErrors(doc, 'error')).toEqual([]);
    expect(doc.error).toEqual({ kind, exitCode: 2, message: stderrLines(run)[0]!.replace(/^fleetstat: /, ''), ...(command ? { command } : {}) });
    expect(stderrLines(run)).toHaveLength(1);
  });
});

describe('help', () => {
  test('`fleetstat help` lists the commands, as `fleetstat --help` does', () => {
    const run = fleetstat(['help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(fleetstat(['--help']).stdout);
    expect(run.stdout).toMatch(/^\s+scan\s+Scan every host/m);
  });

  test('-h is --help, as netstat -h is', () => {
    expect([fleetstat(['-h']).status, fleetstat(['-h']).stdout]).toEqual([0, fleetstat(['--help']).stdout]);
    expect([fleetstat(['scan', '-h']).status, fleetstat(['scan', '-h']).stdout]).toEqual([0, fleetstat(['scan', '--help']).stdout]);
  });

  test('`fleetstat help scan` is `fleetstat scan --help`, and speaks of the exit codes', () => {
    const run = fleetstat(['help', 'scan']);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(fleetstat(['scan', '--help']).stdout);
    expect(run.stdout).toContain('Exit status');
    expect(run.stdout).toMatch(/-4, --inet/);
  });
});

describe("netstat's flags", () => {
  let v4: Server;
  let v6: Server;
  let local: Server;
  const unixPath = join(scratch('unix').dir, 'listener.sock');
  beforeAll(async () => {
    v4 = createServer().listen(0, '127.0.0.1');
    v6 = createServer().listen(0, '::1');
    local = createServer().listen(unixPath);
    await Promise.all([once(v4, 'listening'), once(v6, 'listening'), once(local, 'listening')]);
  });
  afterAll(() => {
    for (const server of [v4, v6, local]) server.close();
  });
  const port = (s: Server) => (s.address() as { port: number }).port;

  type Found = { proto: string; local: { address?: string; port?: number; path?: string } };
  const sockets = (args: string[]): Found[] => {
    const run = fleetstat(['scan', localInventory, '--json', ...args]);
    expect(run.status).toBe(0);
    return jsonOut(run).hosts[0].sockets;
  };
  const hasOwn = (found: Found[], server: Server, proto: string) =>
    found.some((s) => s.proto === proto && s.local.port === port(server));

  test.each([
    [['-tulpn'], /^(tcp|udp)6?$/],
    [['-tulpen'], /^(tcp|udp)6?$/],
    [['-tlnp'], /^tcp6?$/],
    [['-lntp'], /^tcp6?$/],
    [['-t', '-l', '-n', '-p', '-e'], /^tcp6?$/],
  ])('%j works: listeners of those protocols only', (args, protos) => {
    const found = sockets(args);
    expect(found.filter((s) => !protos.test(s.proto))).toEqual([]);
    expect(hasOwn(found, v4, 'tcp') && hasOwn(found, v6, 'tcp6')).toBe(true);
  });

  test('-4: IPv4 sockets only, no unix; -6: IPv6 only', () => {
    const four = sockets(['-4', '-l']);
    expect(hasOwn(four, v4, 'tcp')).toBe(true);
    expect(four.filter((s) => /6$|^unix$/.test(s.proto))).toEqual([]);
    expect(sockets(['-l']).some((s) => s.local.path === unixPath)).toBe(true); // it is there without -4
    const six = sockets(['-6', '-l']);
    expect(hasOwn(six, v6, 'tcp6')).toBe(true);
    expect(six.filter((s) => !s.proto.endsWith('6'))).toEqual([]);
  });

  test('-4x: IPv4 and unix, as netstat -4 -x and ss -4 -x', () => {
    const found = sockets(['-4xl']);
    expect(hasOwn(found, v4, 'tcp')).toBe(true);
    expect(found.some((s) => s.proto === 'unix' && s.local.path === unixPath)).toBe(true);
    expect(found.filter((s) => s.proto.endsWith('6'))).toEqual([]);
  });
});
