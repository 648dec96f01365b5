// The table on a terminal: fitted to its width, coloured unless NO_COLOR or --no-color says not.
import { spawnSync } from 'node:child_process';
import { colorWanted, tableWidth } from '../../src/cli/terminal.js';
import { E2E_REQUIRED, hasCommand } from '../helpers/requirements.js';
import { cleanEnv, fleetstat, localInventory, runJs } from '../helpers/run-cli.js';

describe('tableWidth', () => {
  const tty = { isTTY: true, columns: 80 };
  const pipe = { isTTY: false };
  test.each([
    ['a terminal: its width', tty, {}, false, 80],
    ['piped: no limit', pipe, {}, false, undefined],
    ['COLUMNS wins, piped or not (as ls and ps read it)', pipe, { COLUMNS: '100' }, false, 100],
    ['COLUMNS over the terminal', tty, { COLUMNS: '132' }, false, 132],
    ['a COLUMNS that is no number is ignored', tty, { COLUMNS: 'wide' }, false, 80],
    ['COLUMNS=0 is ignored', pipe, { COLUMNS: '0' }, false, undefined],
    ['-W: no limit, even on a terminal', tty, { COLUMNS: '60' }, true, undefined],
  ])('%s', (_what, stream, env, wide, width) => {
    expect(tableWidth(stream, env, wide)).toBe(width);
  });
});

describe('colorWanted', () => {
  test.each([
    ['a terminal', undefined, true, {}, true],
    ['piped', undefined, false, {}, false],
    ['NO_COLOR=1 on a terminal', undefined, true, { NO_COLOR: '1' }, false],
    ['NO_COLOR set but empty', undefined, true, { NO_COLOR: '' }, true],
    ['--no-color', false, true, {}, false],
    ['--color overrides NO_COLOR (no-color.org)', true, true, { NO_COLOR: '1' }, true],
    ['--color into a pipe', true, false, {}, true],
  ])('%s', (_what, flag, isTTY, env, wanted) => {
    expect(colorWanted(flag, { isTTY }, env)).toBe(wanted);
  });
});

const hasScript = hasCommand('script') && hasCommand('stty');
// FLEETSTAT_E2E=required: a missing `script` fails the test instead of skipping it
(hasScript || E2E_REQUIRED ? describe : describe.skip)('on a real terminal (script(1), 80 columns)', () => {
  const onTerminal = (args: string, env: Record<string, string> = {}) =>
    spawnSync('script', ['-qfec', `stty cols 80 rows 50; ${process.execPath} ${runJs} scan ${localInventory} ${args}`, '/dev/null'], {
      encoding: 'utf8',
      env: cleanEnv(env),
      maxBuffer: 256 * 1024 * 1024,
    }).stdout;
  const ANSI = /\x1b\[[0-9;]*[mK]/g;
  const GREEN_LISTEN = '\x1b[32mLISTEN\x1b[0m';

  test('no line of the table is wider than the terminal', () => {
    const lines = onTerminal('-q').replace(ANSI, '').split(/\r?\n/);
    expect(lines.some((l) => l.startsWith('Active Internet connections'))).toBe(true);
    expect(lines.filter((l) => l.length > 80)).toEqual([]);
  });

  test('LISTEN in colour by default; none with NO_COLOR=1 or --no-color; --color wins over NO_COLOR', () => {
    expect(onTerminal('-q -l')).toContain(GREEN_LISTEN);
    expect(onTerminal('-q -l', { NO_COLOR: '1' })).not.toMatch(/\x1b\[(1|32)m/);
    expect(onTerminal('-q -l --no-color')).not.toMatch(/\x1b\[(1|32)m/);
    expect(onTerminal('-q -l --color', { NO_COLOR: '1' })).toContain(GREEN_LISTEN);
  });
});

test('piped: no colour, and COLUMNS fits the table to it', () => {
  const run = fleetstat(['scan', localInventory], { env: { COLUMNS: '60' } });
  expect(run.stdout).not.toContain('\x1b');
  expect(run.stdout.split('\n').filter((l) => l.length > 60)).toEqual([]);
});
