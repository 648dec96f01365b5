// What every command reads first (src/cli/input.ts): the inventory narrowed by --limit. A --limit
// that leaves no host is an error, as Ansible refuses it (ansible-playbook 2.14.18: "ERROR!
// Specified inventory, host pattern and/or --limit leaves us with no hosts to target.").
import { spawnSync } from 'node:child_process';
import { readInput } from '../../src/cli/input.js';
import { FIXTURES } from './ansible-truth.js';
import { inventoryErrorOfAsync } from './inventory-error.js';

const INVENTORY = `${FIXTURES}prod.yml`;
const repo = new URL('../../', import.meta.url).pathname;

const errorOf = inventoryErrorOfAsync;

describe('readInput and --limit', () => {
  test('a --limit that matches nothing: kind no-hosts-selected, one line naming the pattern', async () => {
    const err = await errorOf(() => readInput(INVENTORY, 'web99', 'none', '/nonexistent'));
    expect([err.kind, err.message]).toEqual(['no-hosts-selected', `--limit: "web99" leaves no host of ${INVENTORY} to scan (no host matches "web99")`]);
  });

  test('a --limit whose parts each match, but nothing is left (web:&db): the same error', async () => {
    const err = await errorOf(() => readInput(INVENTORY, 'web:&db', 'none', '/nonexistent'));
    expect([err.kind, err.message]).toEqual(['no-hosts-selected', `--limit: "web:&db" leaves no host of ${INVENTORY} to scan`]);
  });

  test('a --limit with one part matching nothing still scans the rest, with a warning', async () => {
    const input = await readInput(INVENTORY, 'stg-web01.par.example.com,nosuch', 'none', '/nonexistent');
    expect([input.hosts.map((h) => h.name), input.warnings]).toEqual([['stg-web01.par.example.com'], ['--limit: no host matches "nosuch"']]);
  });

  test('the CLI: exit 2, that one line on stderr, nothing on stdout', () => {
    const run = spawnSync(process.execPath, [`${repo}bin/run.js`, 'scan', INVENTORY, '--limit', 'web99', '-F', 'none'], { encoding: 'utf8' });
    expect([run.status, run.stdout, run.stderr]).toEqual([2, '', `fleetstat: --limit: "web99" leaves no host of ${INVENTORY} to scan (no host matches "web99")\n`]);
  });
});
