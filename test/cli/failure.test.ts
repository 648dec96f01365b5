// Every way a run can end early, as the failure the user reads, and the fleetstat/error@1 document.
import { readFileSync } from 'node:fs';
import { CliFailure, errorDocument, toFailure } from '../../src/cli/failure.js';
import { parseErrorFailure, unknownCommandFailure } from '../../src/cli/usage.js';
import { InventoryError } from '../../src/inventory/errors.js';
import { LocalResourceError } from '../../src/local/resource-error.js';
import { SshConfigError } from '../../src/openssh/config/index.js';
import { schemaErrors } from '../helpers/schema.js';

describe('toFailure', () => {
  test('an inventory error is input, exit 2, with file, line, column and the issue kind', () => {
    const failure = toFailure(new InventoryError('hosts.yml', 4, 21, 'ansible_group_priority of group "web" must be a whole number, not "high"', 'bad-value'), 'scan');
    expect(errorDocument(failure)).toEqual({
      schema: 'fleetstat/error@1',
      error: {
        kind: 'input', exitCode: 2, command: 'scan',
        message: 'hosts.yml:4:21: ansible_group_priority of group "web" must be a whole number, not "high"',
        file: 'hosts.yml', line: 4, column: 21, issue: 'bad-value',
      },
    });
  });

  test('a file that cannot be read at all has no line', () => {
    const doc = errorDocument(toFailure(new InventoryError('/nope', 0, 0, 'cannot read the inventory: no such file', 'unreadable'), 'scan'));
    expect(doc.error).toEqual({ kind: 'input', exitCode: 2, command: 'scan', message: '/nope: cannot read the inventory: no such file', file: '/nope', issue: 'unreadable' });
  });

  test('an ssh_config error is input, naming the file', () => {
    expect(errorDocument(toFailure(new SshConfigError('/etc/cfg', "can't open user config file: no such file"), 'scan')).error).toMatchObject({ kind: 'input', exitCode: 2, file: '/etc/cfg' });
  });

  test('no file descriptors left is local, exit 16', () => {
    expect(toFailure(new LocalResourceError('EMFILE', 'connecting to 10.0.0.5:22'), 'scan')).toMatchObject({ kind: 'local', exitCode: 16 });
  });

  test('anything else is a bug, exit 1, and says so', () => {
    const failure = toFailure(new TypeError("Cannot read properties of undefined (reading 'on')"), 'scan');
    expect([failure.kind, failure.exitCode, failure.message]).toEqual([
      'internal', 1, "internal error: Cannot read properties of undefined (reading 'on') (a bug in fleetstat: please report it; FLEETSTAT_DEBUG=1 shows where)",
    ]);
  });
});

describe('usage failures', () => {
  test("oclif's parser errors become one line", () => {
    const nonexistent = Object.assign(new Error('Nonexistent flags: -z, --bogus\nSee more help with --help'), { flags: ['-z', '--bogus'] });
    expect(parseErrorFailure(nonexistent, 'scan').message).toBe("scan: unknown flags -z --bogus (see 'fleetstat scan --help')");
    const generic = new Error('Parsing --concurrency \n\tExpected an integer but received: x\nSee more help with --help');
    expect(parseErrorFailure(generic, 'scan').message).toBe("scan: --concurrency: expected an integer but received: x (see 'fleetstat scan --help')");
  });

  test('a typo of a command is answered with the nearest command', () => {
    expect(unknownCommandFailure('inventroy', ['help', 'inventory', 'scan']).message).toBe('unknown command "inventroy"; did you mean inventory? (see \'fleetstat --help\')');
    expect(unknownCommandFailure('-x', ['help', 'inventory', 'scan']).message).toBe("unknown flag -x before a command; commands: help, inventory, scan (see 'fleetstat --help')");
  });
});

describe('schema/error-v1.schema.json', () => {
  test('accepts every kind with its exit status, refuses a mismatch', () => {
    for (const kind of ['usage', 'input', 'local', 'internal'] as const) {
      const doc = errorDocument(new CliFailure(kind, 'x', kind === 'input' ? { file: 'f' } : undefined));
      expect([kind, schemaErrors(doc, 'error')]).toEqual([kind, []]);
    }
    expect(schemaErrors({ schema: 'fleetstat/error@1', error: { kind: 'usage', exitCode: 16, message: 'x' } }, 'error')).not.toEqual([]);
    expect(schemaErrors({ schema: 'fleetstat/error@1', error: { kind: 'input', exitCode: 2, message: 'x' } }, 'error')).not.toEqual([]); // no file
    expect(schemaErrors({ schema: 'fleetstat/error@1', error: { kind: 'usage', exitCode: 2, message: 'two\nlines' } }, 'error')).not.toEqual([]);
  });

  test("the README's example follows it", () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const example = /```json\n([\s\S]*?"fleetstat\/error@1"[\s\S]*?)```/.exec(readme)?.[1];
    expect(schemaErrors(JSON.parse(example ?? 'null'), 'error')).toEqual([]);
  });
});

test('a failure is one line, safe for a terminal, whatever it quotes; what is already escaped stays as it is', () => {
  expect(new CliFailure('internal', 'first\nsecond \x1b[2J \u202e').message).toBe('first\\nsecond \\x1b[2J \\u202e');
  expect(toFailure(new InventoryError('inv.ini', 3, 1, 'bad line "a\tb"', 'ini-syntax'), 'scan').message).toBe('inv.ini:3:1: bad line "a\\tb"');
});
